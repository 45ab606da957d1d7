"""One definition of "visible" for every channel (issue 19, finding 14).

A live place below an unpublished region stayed public on its page, in the listings, on the
map, in the feed, the sitemap, the search, the nearby places and the static build (the API
already hid it). ``core.visibility`` now says what the public may see, and every channel
asks it. Each test below looks at one channel of that case (built once for the module).
"""

import json
import shutil
from decimal import Decimal

from django.core.management import call_command
from django.test import Client, override_settings

import pytest

from core.factories import CustomImageFactory
from core.visibility import hidden_q, visible_q
from home.factories import ContentPageFactory
from places import nearby
from places.factories import PlacePageFactory
from places.models import PlacePage
from regions.factories import RegionPageFactory
from tests.fixtures import fresh, make_home_page, make_region
from tests.translations import translate

pytestmark = pytest.mark.django_db

HIDDEN = "Versteckter Hof"


@pytest.fixture(scope="module")
def shared_tree(module_db, tmp_path_factory):
    """A visible place in the Altmark; a live place with a photo in the Harz, whose region
    a moderator has taken offline. The hidden place is the visible one's nearest neighbour,
    the newest place and matches the same search. Made once for the module
    (``tests.fixtures.module_db``), its media files in a folder of the module."""
    media = tmp_path_factory.mktemp("visibility-media")
    with module_db(), override_settings(MEDIA_ROOT=media):
        home_page = make_home_page()
        region = make_region(home_page)
        visible = PlacePageFactory(
            parent=region,
            title="Sichtbarer Hof",
            slug="sichtbarer-hof",
            latitude=Decimal("52.850"),
            longitude=Decimal("11.150"),
            teaser="Ein Hof mit Scheune",
        )
        other = PlacePageFactory(
            parent=region,
            title="Ferner Hof",
            slug="ferner-hof",
            latitude=Decimal("53.900"),
            longitude=Decimal("12.900"),
        )
        harz = RegionPageFactory(parent=home_page, title="Harz", slug="harz")
        hidden = PlacePageFactory(
            parent=harz,
            title=HIDDEN,
            slug="versteckter-hof",
            latitude=Decimal("52.851"),
            longitude=Decimal("11.151"),
            teaser="Ein Hof mit Scheune",
            hero_image=CustomImageFactory(),
        )
        harz.refresh_from_db()
        harz.unpublish()
        hidden.refresh_from_db()
        assert hidden.live and not harz.live
    pages = {"home_page": home_page, "region": region, "visible": visible, "other": other}
    return {"media": media, **pages, "harz": harz, "hidden": hidden}


@pytest.fixture
def shared(db, shared_tree, settings, tmp_path):
    """``shared_tree`` for one test: its pages read again from the database (no test's
    changes to them in memory reach the next), its own copy of the module's media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    shutil.copytree(shared_tree["media"], settings.MEDIA_ROOT)
    return fresh({name: value for name, value in shared_tree.items() if name != "media"})


@pytest.fixture
def home_page(shared):
    """The home page of ``shared_tree`` (it is in every test of this module)."""
    return shared["home_page"]


@pytest.fixture
def region(shared):
    """The Altmark of ``shared_tree``."""
    return shared["region"]


@pytest.fixture
def tree(shared):
    return {name: shared[name] for name in ("visible", "other", "harz", "hidden")}


def _forget_cached_pages():
    """Here the change is never committed, so the page cache's invalidation (on commit) does
    not run; routing is what these tests look at (the invalidation: the last two tests)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def test_the_definition(tree):
    hidden, visible = tree["hidden"], tree["visible"]
    assert set(PlacePage.objects.visible()) == {visible, tree["other"]}
    assert PlacePage.objects.filter(hidden_q()).get() == hidden
    assert not PlacePage.objects.filter(visible_q(), pk=hidden.pk).exists()
    # Publishing the region again shows the place again (a subquery, never a stale list).
    tree["harz"].save_revision().publish()
    assert hidden in PlacePage.objects.visible()
    assert hidden in PlacePage.objects.visible_children(tree["harz"])


def test_the_place_page_is_404(client, tree):
    assert client.get(tree["visible"].url).status_code == 200
    assert client.get("/harz/versteckter-hof/").status_code == 404
    assert client.get("/harz/").status_code == 404


def test_a_page_below_an_unpublished_content_page_is_404(client, home_page):
    about = ContentPageFactory(parent=home_page, title="Über uns", slug="ueber-uns")
    team = ContentPageFactory(parent=about, title="Das Team", slug="team")
    assert client.get("/ueber-uns/team/").status_code == 200
    about.refresh_from_db()
    about.unpublish()
    team.refresh_from_db()
    assert team.live
    _forget_cached_pages()
    assert client.get("/ueber-uns/team/").status_code == 404
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/ueber-uns/team/" not in sitemap


def test_nothing_below_an_unpublished_home_page_is_served(client, tree, home_page):
    assert client.get(tree["visible"].url).status_code == 200
    home_page.refresh_from_db()
    home_page.unpublish()
    _forget_cached_pages()
    assert client.get(tree["visible"].url).status_code == 404
    assert client.get("/altmark/").status_code == 404
    assert not PlacePage.objects.visible().exists()


@pytest.mark.parametrize(
    "url", ["/orte/", "/orte/?q=Scheune", "/einbetten/karte/", "/", "/altmark/", "/suche/?q=Hof"]
)
def test_pages_and_listings_leave_it_out(client, tree, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert HIDDEN not in html and "versteckter-hof" not in html, url
    if url.startswith("/orte/"):
        assert "Sichtbarer Hof" in html
    if url == "/orte/":
        assert 'value="harz"' not in html  # no region choice for it either


HIDDEN_EN = "Hidden Farm in English"
DRAFT_EN = "ENGLISH DRAFT of a place"


@pytest.fixture
def english_tree(tree):
    """``tree`` with English pages: the visible place's, the hidden Harz place's (live, below
    a live English Harz: only the German tree says it is hidden) and a draft of the other
    Altmark place's."""
    translate(tree["visible"], title="Visible Farm")
    translate(tree["harz"], title="Harz in English")
    translate(tree["hidden"], title=HIDDEN_EN)
    translate(tree["other"], title=DRAFT_EN, publish=False)
    _forget_cached_pages()
    return tree


@pytest.mark.parametrize(
    "url",
    [
        "/en/orte/",
        "/en/orte/?q=Scheune",
        "/en/einbetten/karte/",
        "/en/",
        "/en/altmark/",
        "/en/altmark/sichtbarer-hof/",
        "/en/suche/?q=Hof",
        "/en/veranstaltungen/",
        # The German side must not pick up English pages either.
        "/orte/",
        "/suche/?q=Hof",
        "/altmark/sichtbarer-hof/",
    ],
)
def test_english_translations_leave_it_out_in_both_languages(client, english_tree, url):
    """An English page of one region shows nothing of another region's hidden place, not
    even its live English translation, nor a draft translation; a German page shows no
    English page at all."""
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    for secret in (HIDDEN, HIDDEN_EN, DRAFT_EN, "versteckter-hof", "Harz in English"):
        assert secret not in html, (url, secret)
    if url.startswith("/en/orte/"):
        assert "Visible Farm" in html
        assert 'value="harz"' not in html
    if not url.startswith("/en/"):
        assert "Visible Farm" not in html, url


def test_english_addresses_of_the_hidden_region_are_404(client, english_tree):
    assert client.get("/en/harz/versteckter-hof/").status_code == 404
    assert client.get("/en/harz/").status_code == 404
    assert client.get("/en/orte/?region=harz").status_code == 400


def test_home_page_counts_only_visible_places(client, tree):
    html = client.get("/").content.decode()
    assert "Alle 2 Orte entdecken" in html


def test_the_region_filter_does_not_know_the_hidden_region(client, tree):
    assert client.get("/orte/?region=harz").status_code == 400
    assert client.get("/api/orte.geojson?region=harz").status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/api/orte.geojson",
        "/api/orte.csv",
        "/feeds/orte.atom",
        "/sitemap.xml",
        "/api/v2/pages/?type=places.PlacePage",
        "/api/v2/pages/?search=Hof",
        "/api/v3/pages/?type=places.PlacePage",
        "/api/v3/pages/?search=Hof",
    ],
)
def test_map_feeds_sitemap_and_api_leave_it_out(client, tree, url):
    response = client.get(url)
    assert response.status_code == 200, url
    text = response.content.decode()
    assert HIDDEN not in text and "versteckter-hof" not in text, url
    assert "sichtbarer-hof" in text or "Sichtbarer Hof" in text, url


def test_api_details_are_404(client, tree):
    pk = tree["hidden"].pk
    assert client.get(f"/api/v2/pages/{pk}/").status_code == 404
    assert client.get(f"/api/v3/pages/{pk}/").status_code == 404


def test_nearby_places_leave_it_out(client, tree):
    visible = tree["visible"]
    assert [place.title for place in nearby.nearest(visible)] == ["Ferner Hof"]
    html = client.get(visible.url).content.decode()
    assert "Ferner Hof" in html and HIDDEN not in html


def test_the_static_build_leaves_it_out(tree, tmp_path, settings):
    from staticsite.crawl import page_urls

    assert "/harz/versteckter-hof/" not in page_urls()
    assert "/altmark/sichtbarer-hof/" in page_urls()
    output = tmp_path / "site"
    settings.STATICSITE_OUTPUT = str(output)
    settings.STATICSITE_BASE_URL = "https://www.kreativorte.example/"
    settings.STATICSITE_APP_URL = "https://cms.kreativorte.example"
    call_command("build_frontend", verbosity=0, workers=1)
    assert (output / "altmark" / "sichtbarer-hof" / "index.html").is_file()
    assert not (output / "harz").exists()
    texts = [
        path.read_text()
        for path in output.rglob("*")
        if path.is_file() and path.suffix in (".html", ".json", ".geojson", ".csv", ".atom", ".xml")
    ]
    assert texts
    assert not [text for text in texts if HIDDEN in text or "versteckter-hof" in text]
    index = json.loads((output / "suche" / "index.json").read_text())
    assert [place["t"] for place in index["places"]] == ["Ferner Hof", "Sichtbarer Hof"]


def test_unpublishing_a_region_updates_the_static_site_and_the_page_cache(
    region, home_page, tmp_path, settings, django_capture_on_commit_callbacks
):
    """The incremental build and the page cache follow: the region's places go, and so does
    their entry in the nearby lists of another region's place pages (publishing.paths).
    (A region of its own beside the module's offline Harz, whose hidden place no page shows.)"""
    from staticsite.builder import BuildConfig, full_build

    oberharz = RegionPageFactory(parent=home_page, title="Oberharz", slug="oberharz")
    near = PlacePageFactory(
        parent=region,
        title="Nah",
        slug="nah",
        latitude=Decimal("52.85"),
        longitude=Decimal("11.15"),
    )
    PlacePageFactory(
        parent=oberharz,
        title=HIDDEN,
        slug="versteckter-hof",
        latitude=Decimal("52.851"),
        longitude=Decimal("11.151"),
    )
    output = tmp_path / "site"
    settings.STATICSITE_OUTPUT = str(output)
    settings.STATICSITE_BASE_URL = "https://www.kreativorte.example/"
    settings.STATICSITE_APP_URL = "https://cms.kreativorte.example"
    full_build(BuildConfig.from_settings())
    client = Client()
    near_file = output / "altmark" / "nah" / "index.html"
    assert HIDDEN in client.get(near.url).content.decode()  # now in the page cache
    assert HIDDEN in near_file.read_text()
    assert (output / "oberharz" / "versteckter-hof" / "index.html").is_file()

    oberharz.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        oberharz.unpublish()

    assert not (output / "oberharz").exists()
    assert HIDDEN not in near_file.read_text()
    assert HIDDEN not in client.get(near.url).content.decode()
    assert client.get("/oberharz/versteckter-hof/").status_code == 404


def test_unpublishing_a_content_page_forgets_the_pages_below_it(
    client, home_page, django_capture_on_commit_callbacks
):
    about = ContentPageFactory(parent=home_page, title="Über uns", slug="ueber-uns")
    ContentPageFactory(parent=about, title="Das Team", slug="team")
    assert client.get("/ueber-uns/team/").status_code == 200  # now in the page cache
    about.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        about.unpublish()
    assert client.get("/ueber-uns/team/").status_code == 404
