"""``/sitemap.xml``: every visible page at its address in every language, from plain rows.

Wagtail's generator loads every live public page as its specific object and asks each one
for its full URL – about 1 s at 5,000 places, and the static build renders the sitemap
after every publish. This one reads path and dates in one query (the visible pages below
the site's root, ``core.visibility``, ordered by path) and builds the URLs on the
request's scheme and host (as the pages' canonical URLs); each ``<url>`` element is written
here (the location escaped), so that the template only joins them. About 20 ms instead of
180 ms at 1,000 places. None of the page types overrides ``get_sitemap_urls``; one that
does has to be handled here.

Languages (``core.languages``): every visible page is listed at its German address and at its
English one (``/en`` + the German path), each ``<url>`` naming all of them as
``<xhtml:link rel="alternate" hreflang="…">`` plus ``x-default`` (the German address), the
way sitemaps.org and Google describe it and Django's sitemap framework writes it
(``i18n``, ``alternates``, ``x_default``): ``website/tests/test_sitemap_languages.py``
compares the bytes with Django's own output. An English address's ``<lastmod>`` is its live
translation's publication where there is one (the same query, a subquery per language),
else the German page's.

Pagination (``?p=``) counts addresses, not pages, as Django's does with ``i18n``: a file
holds at most ``limit`` (50,000, the protocol's limit) ``<url>`` elements, i.e. 25,000 pages
in two languages (about 22 MB, below the protocol's 50 MB); the even limit keeps a page's
addresses in one file. Nothing links a second file yet (no sitemap index; ``robots.txt``
names ``/sitemap.xml``): 10,000 places fill 40 % of the first.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe

from wagtail.contrib.sitemaps.sitemap_generator import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap_view
from wagtail.models import Page

from core.languages import DEFAULT, OTHERS, live_translation_q, localize_path
from core.visibility import visible_q

#: The site's languages, German first (``settings.LANGUAGES``' order).
LANGUAGES = (DEFAULT, *OTHERS)


class _Addresses:
    """The ``(row, language)`` pairs of a queryset of rows, every language of each row in
    turn, for Django's ``Paginator``: counted and sliced in the database (one ``COUNT``, one
    ``LIMIT``/``OFFSET`` query), never loaded whole."""

    def __init__(self, rows, languages):
        self.rows = rows
        self.languages = languages

    def count(self):
        return self.rows.count() * len(self.languages)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("only slices")
        start, stop = index.start or 0, index.stop
        width = len(self.languages)
        first = start // width
        last = -(-stop // width)  # the row holding address ``stop - 1``, inclusive
        pairs = [(row, language) for row in self.rows[first:last] for language in self.languages]
        return pairs[start - first * width : stop - first * width]


class PublicPagesSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    languages = list(LANGUAGES)

    def items(self):
        root = self.site.root_page
        translated = {
            f"published_{language}": Subquery(
                Page.objects.filter(
                    live_translation_q(language), translation_key=OuterRef("translation_key")
                ).values("last_published_at")[:1]
            )
            for language in OTHERS
        }
        return (
            Page.objects.filter(visible_q(), path__startswith=root.path, depth__gte=root.depth)
            .annotate(**translated)
            .order_by("path")
            .values_list(
                "url_path",
                "last_published_at",
                "latest_revision_created_at",
                *translated,
            )
        )

    @property
    def paginator(self):
        return Paginator(_Addresses(self.items(), self.languages), self.limit)

    @cached_property
    def site(self):
        return self.get_wagtail_site()

    def _urls(self, page, protocol, domain):
        # On the request's scheme and host (the address the visitor used, as the pages'
        # canonical URLs); the site's root URL (``SITE_URL``) only without a request.
        if self.request is not None:
            root_url = f"{self.request.scheme}://{self.request.get_host()}"
        else:
            root_url = self.site.root_url
        root_path = self.site.root_page.url_path
        urls = []
        for row, language in self.paginator.page(page).object_list:
            url_path, published, revised, *translations = row
            path = "/" + url_path[len(root_path) :]
            addresses = {code: f"{root_url}{localize_path(path, code)}" for code in LANGUAGES}
            lastmod = published or revised
            if language != DEFAULT:
                lastmod = translations[OTHERS.index(language)] or lastmod
            location = addresses[language]
            urls.append(
                {
                    "location": location,
                    "lastmod": lastmod,
                    "xml": _url_xml(location, lastmod, addresses),
                }
            )
        last_mods = {url["lastmod"] for url in urls}
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls


def _url_xml(location: str, lastmod, addresses: dict[str, str]) -> str:
    """One ``<url>`` exactly as Django's ``sitemap.xml`` template writes it (``spaceless``;
    the date in the current time zone, as the ``date`` filter shows it), with the page's
    address in every language and ``x-default`` (the German one)."""
    parts = [f"<url><loc>{escape(location)}</loc>"]
    if lastmod is not None:
        if timezone.is_aware(lastmod):
            lastmod = timezone.localtime(lastmod)
        parts.append(f"<lastmod>{lastmod:%Y-%m-%d}</lastmod>")
    alternates = [*addresses.items(), ("x-default", addresses[settings.LANGUAGE_CODE])]
    parts.extend(
        f'<xhtml:link rel="alternate" hreflang="{code}" href="{escape(address)}"/>'
        for code, address in alternates
    )
    parts.append("</url>")
    return mark_safe("".join(parts))


def sitemap(request):
    return wagtail_sitemap_view(
        request, sitemaps={"wagtail": PublicPagesSitemap}, template_name="sitemap_urls.xml"
    )
