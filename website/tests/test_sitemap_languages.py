"""``/sitemap.xml`` in both languages (``website/sitemap.py``): every visible page at its German
and its English address, each naming the other and ``x-default`` as alternates, exactly as
Django's sitemap framework writes it; pages of at most ``limit`` addresses."""

import datetime
from xml.etree import ElementTree

from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.contrib.sitemaps.views import sitemap as django_sitemap_view
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page, PageViewRestriction, Site

import pytest

from core.visibility import visible_q
from home.factories import ContentPageFactory
from places.factories import PlacePageFactory
from places.models import PlacePage
from regions.factories import RegionPageFactory
from tests.translations import translate
from website.sitemap import PublicPagesSitemap

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
HOST = "http://testserver"
PLACE = "/altmark/gutshof-wiesengrund/"


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def pages(place, home_page):
    ContentPageFactory(parent=home_page, title="Impressum", slug="impressum")
    PlacePageFactory(parent=place.get_parent(), title="Entwurf", slug="entwurf").unpublish()
    secret = RegionPageFactory(parent=home_page, title="Geheim", slug="geheim")
    PlacePageFactory(parent=secret, title="Darunter", slug="darunter")
    PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    english = translate(place, title="Wiesengrund Manor", run_on_commit=True)
    # The site's host is the request's: the reference names the site's.
    Site.objects.filter(is_default_site=True).update(hostname="testserver")
    return english


def parse(body: bytes) -> list[dict]:
    urls = []
    for element in ElementTree.fromstring(body).findall("s:url", NS):
        links = element.findall("xhtml:link", NS)
        assert all(link.get("rel") == "alternate" for link in links)
        lastmod = element.find("s:lastmod", NS)
        urls.append(
            {
                "loc": element.find("s:loc", NS).text,
                "lastmod": lastmod.text if lastmod is not None else None,
                "alternates": [(link.get("hreflang"), link.get("href")) for link in links],
            }
        )
    return urls


def test_every_visible_page_at_both_addresses_with_alternates(client, pages):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    urls = parse(response.content)
    german = ["/", "/altmark/", PLACE, "/impressum/"]
    expected = [address for path in german for address in (path, f"/en{path}")]
    assert [url["loc"] for url in urls] == [HOST + address for address in expected]
    for url in urls:
        path = url["loc"][len(HOST) :].removeprefix("/en")
        assert url["alternates"] == [
            ("de", HOST + path),
            ("en", f"{HOST}/en{path}"),
            ("x-default", HOST + path),
        ]
    # Drafts, pages behind a view restriction and the English tree's own addresses stay out.
    assert b"entwurf" not in response.content and b"geheim" not in response.content
    assert b"-en/" not in response.content


def test_same_bytes_as_djangos_sitemap_in_both_languages(client, rf, pages):
    """Django's i18n sitemap (``i18n``, ``alternates``, ``x_default``) over the visible
    German pages as objects, their addresses from Wagtail in each language."""

    class Reference(DjangoSitemap):
        i18n = True
        alternates = True
        x_default = True

        def items(self):
            root = Site.objects.get(is_default_site=True).root_page
            pages = Page.objects.descendant_of(root, inclusive=True).filter(visible_q())
            return pages.order_by("path").specific()

        def location(self, page):
            return page.get_url_parts()[2]

        def lastmod(self, page):
            return page.last_published_at or page.latest_revision_created_at

    # Django's sitemap has one date per item: the translation's (its English address's
    # ``<lastmod>``, the next test) on the German place too.
    PlacePage.objects.filter(translation_key=pages.translation_key).update(
        last_published_at=pages.last_published_at
    )
    ours = client.get("/sitemap.xml")
    reference = django_sitemap_view(rf.get("/sitemap.xml"), {"pages": Reference()})
    reference.render()
    assert ours.content == reference.content


def test_an_english_address_names_its_translations_publication(client, pages):
    PlacePage.objects.filter(pk=pages.pk).update(
        last_published_at=datetime.datetime(2030, 1, 2, 12, tzinfo=datetime.UTC)
    )
    urls = {url["loc"]: url["lastmod"] for url in parse(client.get("/sitemap.xml").content)}
    assert urls[f"{HOST}/en{PLACE}"] == "2030-01-02"
    assert urls[f"{HOST}{PLACE}"] != "2030-01-02"
    # Untranslated pages: the German page's date at both addresses.
    assert urls[f"{HOST}/en/impressum/"] == urls[f"{HOST}/impressum/"]


def test_pages_hold_at_most_limit_addresses_and_cost_the_same_queries(
    client, pages, region, monkeypatch
):
    everything = [url["loc"] for url in parse(client.get("/sitemap.xml").content)]
    assert len(everything) == 8
    monkeypatch.setattr(PublicPagesSitemap, "limit", 3)
    paged = []
    for number in (1, 2, 3):
        urls = parse(client.get("/sitemap.xml", {"p": number}).content)
        assert len(urls) == (3 if number < 3 else 2)
        paged += [url["loc"] for url in urls]
    assert paged == everything
    assert client.get("/sitemap.xml", {"p": 4}).status_code == 404
    # The protocol's limit, in addresses (two per page).
    assert PublicPagesSitemap.__mro__[1].limit == 50_000

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/sitemap.xml", {"p": 2}).status_code == 200
        return len(captured)

    before = queries()
    for number in range(5):
        PlacePageFactory(parent=region, slug=f"mehr-{number}")
    assert queries() == before <= 4
