from functools import partial

from django.conf import settings

from core import languages
from core.query_keys import PAGE_NUMBERS, encode

#: ``og:locale`` of each language (Open Graph names a territory).
OPEN_GRAPH_LOCALES = {"de": "de_DE", "en": "en_GB"}


def site_context(request):
    return {
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
        "MAP_TILE_PROVIDER_NAME": getattr(settings, "MAP_TILE_PROVIDER_NAME", "OpenStreetMap"),
    }


def language_context(request):
    """The active language, the prefix of its addresses (``{{ language_prefix }}/orte/``), this
    page's address in every language (``language_addresses``), the other languages' links
    for the switcher (``language_links``: the same page with the query it was asked with),
    the absolute ``hreflang`` alternates (``language_alternates``, ``x-default`` German),
    and whether the page shown is the German page on an English address (``untranslated``:
    the template's note). The links and alternates are made only when a template reads
    them."""
    language, german_path = languages.split_path(request.path)
    addresses = [
        (code, name, languages.localize_path(german_path, code))
        for code, name in settings.LANGUAGES
    ]
    return {
        "language": language,
        "language_prefix": languages.prefix(language),
        "language_addresses": addresses,
        "language_links": partial(_links, request, language, addresses),
        "language_alternates": partial(_alternates, request, addresses),
        "og_locale": OPEN_GRAPH_LOCALES.get(language, language),
        "untranslated": getattr(request, "untranslated_page", None),
    }


def _links(request, language: str, addresses) -> list[dict]:
    """The switcher's links: every other language's address of this page, with the query
    the page was rendered for (a filter page stays filtered), without a page number: the
    other language's listing starts at its first page, and every page of a listing shares
    the markup around its own part (``website.listing.ListingResponse``)."""
    query = _query_read(request)
    return [
        {"code": code, "name": name, "href": f"{address}?{query}" if query else address}
        for code, name, address in addresses
        if code != language
    ]


def _alternates(request, addresses) -> list[tuple[str, str]]:
    """``(hreflang, absolute URL)`` of every language's address, and ``x-default``: the
    German one (the site's own language)."""
    alternates = [(code, request.build_absolute_uri(address)) for code, _name, address in addresses]
    return [*alternates, ("x-default", dict(alternates)[languages.DEFAULT])]


def _query_read(request) -> str:
    """The query parameters the page's view read, encoded. Behind the page cache the view
    sees the canonical query, which notes what it reads (``core.query_keys``): only those
    names are taken again, so the switcher makes no page depend on a parameter it did not
    read (a place page's entry stays one, whatever query it is asked with)."""
    params = request.GET
    tracker = getattr(params, "_tracker", None)
    names = tracker.read(request) if tracker is not None else None
    if names is None:
        names = params.keys()
    pairs = [
        (name, value)
        for name in sorted(set(names) - PAGE_NUMBERS)
        for value in params.getlist(name)
        if value
    ]
    return encode(pairs)
