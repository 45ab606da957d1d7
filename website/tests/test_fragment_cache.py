"""Parts of public pages kept in the cache by their data version (``FRAGMENT_CACHE_SECONDS``,
docs/performance.md): place cards by the place's revision and the data version
(``website.cards.CardCache``), a listing's filter choices and count and the home page's counts
by the data version (``website.listing``). With them, a page must be byte for byte what it is
without, and every change must show at once."""

import pickle
import shutil
from pathlib import Path

from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from wagtail.models import CollectionViewRestriction

import pytest

from core.factories import CustomImageFactory
from places.factories import CategoryFactory, PlacePageFactory
from places.models import Category, PlacePage
from regions.factories import RegionPageFactory
from regions.models import RegionPage
from tests.fixtures import make_home_page, make_region
from website.page_cache import BYPASS_ENVIRON

pytestmark = pytest.mark.django_db


def past_the_page_cache() -> Client:
    """A client whose requests the page cache (on, as in production) leaves alone (its
    bypass, as the static build asks): what is measured is the rendering with kept parts."""
    return Client(**{BYPASS_ENVIRON: "1"})


URLS = [
    "/",
    "/altmark/",
    "/altmark/?page=2",
    "/orte/?category=arbeiten-wirtschaft",
    "/orte/?municipality=Stendal",
    "/einbetten/karte/",
]


@pytest.fixture(scope="module")
def shared_places(module_db, tmp_path_factory):
    """Thirty places over two regions, with images, two fields and nearby places: made and
    published once for the module (``tests.fixtures.module_db``), their media files in a
    folder of the module."""
    media = tmp_path_factory.mktemp("fragment-cache-media")
    with module_db(), override_settings(MEDIA_ROOT=media):
        home_page = make_home_page()
        region = make_region(home_page)
        image = CustomImageFactory(credit="Foto: Erste Fassung")
        other_region = RegionPageFactory(parent=home_page, title="Harz", slug="harz")
        work = Category.objects.get(slug="arbeiten-wirtschaft")
        culture = CategoryFactory(name="Kultur im Dorf", slug="kultur-im-dorf")
        created = []
        for number in range(30):
            parent = region if number % 3 else other_region
            place = PlacePageFactory(
                parent=parent,
                title=f"Hof {number:02d}",
                municipality="Stendal" if number % 2 else "Gardelegen",
                hero_image=image if number % 4 else None,
                categories=[work, culture] if number % 5 else [culture],
            )
            revision = place.save_revision()
            revision.publish()
            created.append(place.pk)
    return {"media": media, "region": region.pk, "places": created}


@pytest.fixture(autouse=True)
def media(settings, tmp_path, shared_places):
    """Each test its own copy of the module's media files (renditions it writes stay its own)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    shutil.copytree(shared_places["media"], settings.MEDIA_ROOT)


@pytest.fixture
def region(db, shared_places):
    """The Altmark of ``shared_places`` (instead of the root conftest's new one), as stored."""
    return RegionPage.objects.get(pk=shared_places["region"])


@pytest.fixture
def places(db, shared_places):
    """``shared_places``' places for one test: read again from the database, so that no
    test's changes to them in memory reach the next."""
    by_pk = PlacePage.objects.in_bulk(shared_places["places"])
    return [by_pk[pk] for pk in shared_places["places"]]


@pytest.fixture
def fragments(settings):
    settings.FRAGMENT_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def responses(client, urls, place_url):
    return {url: client.get(url).content for url in [*urls, place_url]}


def test_pages_are_the_same_with_kept_parts(places, settings):
    client = Client()
    place_url = places[4].url
    plain = responses(client, URLS, place_url)
    assert all(content for content in plain.values())
    assert b"Hof 04" in plain["/altmark/"]

    settings.FRAGMENT_CACHE_SECONDS = 600
    cache.clear()
    filled = responses(client, URLS, place_url)
    kept = responses(client, URLS, place_url)
    for url in plain:
        assert filled[url] == plain[url], url
        assert kept[url] == plain[url], url
    cache.clear()


def test_a_kept_listing_reads_no_cards_choices_or_count(places, fragments):
    client = past_the_page_cache()
    client.get("/orte/?category=arbeiten-wirtschaft")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/orte/?category=arbeiten-wirtschaft")
    assert response.status_code == 200
    statements = [query["sql"] for query in captured.captured_queries]
    assert not [sql for sql in statements if "UNION" in sql], "filter choices were read"
    assert not [sql for sql in statements if "COUNT(" in sql], "the count was read"
    assert not [sql for sql in statements if "teaser" in sql], "cards were loaded"
    assert not [sql for sql in statements if "rendition" in sql], "renditions were loaded"
    # Routing, the data version, the field slugs the filter accepts and the page's card keys.
    assert len(statements) == 4, statements


def test_a_kept_listing_takes_its_filter_form_from_the_cache(places, fragments):
    """The filter form, the same on every page of a listing, is rendered once per data
    version and language (``CardCache.fragment``): what the cache holds is what the page
    shows."""
    client = past_the_page_cache()
    url = "/orte/?category=arbeiten-wirtschaft"
    first = client.get(url).content.decode()
    # LocMemCache keeps pickled values under versioned keys (":1:<key>").
    kept = {
        key.split(":", 2)[2]: value
        for key, value in ((key, pickle.loads(raw)) for key, raw in cache._cache.items())
        if isinstance(value, str) and 'class="filter-panel"' in value
    }
    assert len(kept) == 1, "one kept filter form"
    ((name, form),) = kept.items()
    assert form in first
    cache.set(name, form.replace("Orte filtern", "Aus dem Cache"), timeout=600)
    assert "Aus dem Cache" in client.get(url).content.decode()
    assert "Aus dem Cache" in client.get(f"{url}&page=2").content.decode(), "every page"
    english = client.get("/en/orte/?category=arbeiten-wirtschaft").content.decode()
    assert "Aus dem Cache" not in english and "Filter places" in english


def test_publishing_a_place_shows_its_new_card_and_count(
    places, region, fragments, django_capture_on_commit_callbacks
):
    client = Client()
    assert b"Hof 01" in client.get("/altmark/").content
    place = PlacePage.objects.get(pk=places[1].pk)
    place.title = "Hof 01 neu gedeckt"
    # The page cache forgets the pages showing the place when the change commits.
    with django_capture_on_commit_callbacks(execute=True):
        place.save_revision().publish()
    content = client.get("/altmark/").content.decode()
    assert "Hof 01 neu gedeckt" in content
    assert "20 Orte in der Region" in content

    with django_capture_on_commit_callbacks(execute=True):
        PlacePage.objects.get(pk=places[2].pk).unpublish()
    content = client.get("/altmark/").content.decode()
    assert "19 Orte in der Region" in content
    assert "Hof 02" not in content


def test_a_new_place_shows_in_the_choices_and_count(
    places, region, fragments, django_capture_on_commit_callbacks
):
    client = Client()
    assert b"Osterburg" not in client.get("/orte/").content
    with django_capture_on_commit_callbacks(execute=True):
        newcomer = PlacePageFactory(parent=region, title="Hof neu", municipality="Osterburg")
        newcomer.save_revision().publish()
    content = client.get("/orte/").content.decode()
    assert 'value="Osterburg"' in content
    assert "31 Orte" in content


def test_renaming_a_field_or_changing_an_image_shows_on_kept_cards(
    places, fragments, django_capture_on_commit_callbacks
):
    client = Client()
    content = client.get("/altmark/").content.decode()
    assert "Kultur im Dorf" in content and "Foto: Erste Fassung" in content

    culture = Category.objects.get(slug="kultur-im-dorf")
    culture.name = "Kultur auf dem Land"
    with django_capture_on_commit_callbacks(execute=True):
        culture.save()
    image = places[1].hero_image
    image.credit = "Foto: Zweite Fassung"
    with django_capture_on_commit_callbacks(execute=True):
        image.save()

    content = client.get("/altmark/").content.decode()
    form, cards = content.split('<ul class="cards">', 1)
    assert 'value="kultur-im-dorf"> Kultur auf dem Land' in form, "the kept filter form"
    assert "Kultur auf dem Land" in cards and "Kultur im Dorf" not in cards
    assert "Foto: Zweite Fassung" in cards and "Foto: Erste Fassung" not in cards


def test_moving_a_place_links_its_card_to_the_new_address(
    places, region, fragments, django_capture_on_commit_callbacks
):
    client = Client()
    place = PlacePage.objects.get(pk=places[1].pk)
    old_url = place.url
    assert old_url.encode() in client.get("/orte/").content
    with django_capture_on_commit_callbacks(execute=True):
        place.move(PlacePage.objects.get(pk=places[0].pk).get_parent(), pos="last-child")
    moved = PlacePage.objects.get(pk=place.pk)
    content = client.get("/orte/").content.decode()
    assert moved.url != old_url
    assert f'href="{moved.url}"' in content and f'href="{old_url}"' not in content


def test_places_written_without_signals_still_change_the_kept_count(places, region, fragments):
    """Another process (an import, a worker whose cache this one does not share) may change
    places without this process's signals: the data version also reads the database. (The
    page cache, keyed by signals only, shows such a change within ``PAGE_CACHE_SECONDS``.)"""
    from bench.dataset import create_places

    client = past_the_page_cache()
    assert "20 Orte in der Region" in client.get("/altmark/").content.decode()
    create_places(3, regions=("altmark",), images=1)  # rows in bulk, no signals
    assert "23 Orte in der Region" in client.get("/altmark/").content.decode()


def test_the_kept_nearby_places_follow_an_unpublish(
    places, fragments, django_capture_on_commit_callbacks
):
    client = Client()
    viewed = places[4]

    def nearby_titles():
        content = client.get(viewed.url).content.decode()
        section = content[content.index('id="in-der-naehe"') :]
        return [place.title for place in places if f">{place.title}<" in section]

    before = nearby_titles()
    assert len(before) == 3
    gone = PlacePage.objects.get(title=before[0])
    with django_capture_on_commit_callbacks(execute=True):
        gone.unpublish()
    after = nearby_titles()
    assert len(after) == 3 and before[0] not in after


def test_a_static_build_neither_reads_nor_writes_kept_parts(places, fragments):
    """The build renders from the database only (its own card cache and listing memo)."""
    from website.cards import CardCache
    from website.listing import shared_listing_data

    client = Client()
    with shared_listing_data(cards=CardCache.for_build("testserver", "any version")):
        for url in ["/", "/altmark/", "/orte/?category=arbeiten-wirtschaft", places[4].url]:
            assert client.get(url).status_code == 200
    kept = [key for key in cache._cache if "kept:" in key or "place-card" in key]
    assert kept == []


def test_every_migrate_makes_kept_parts_stale(
    places, fragments, django_capture_on_commit_callbacks
):
    """A release may change what a card is made of besides its template: the data version
    that kept cards and values are read under changes."""
    from django.core.management.sql import emit_post_migrate_signal

    from core.data_version import VERSION_CACHE_KEY

    Client().get("/altmark/")
    before = cache.get(VERSION_CACHE_KEY)
    assert before is not None
    with django_capture_on_commit_callbacks(execute=True):
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert cache.get(VERSION_CACHE_KEY) not in (None, before)


def test_a_restricted_collection_takes_its_images_off_kept_cards(
    places, fragments, django_capture_on_commit_callbacks
):
    """The image check (``core.images``) with cards kept, as production runs with Redis."""
    client = past_the_page_cache()
    image = places[1].hero_image
    file_stem = f"images/{Path(image.file.name).stem}."  # every rendition of it
    content = client.get("/altmark/").content.decode()
    assert "Foto: Erste Fassung" in content and file_stem in content
    client.get("/altmark/")  # the cards are kept now

    with django_capture_on_commit_callbacks(execute=True):
        CollectionViewRestriction.objects.create(
            collection=image.collection, restriction_type=CollectionViewRestriction.LOGIN
        )

    content = client.get("/altmark/").content.decode()
    cards = content[content.index('<ul class="cards">') :]
    assert "Hof 01" in cards
    assert "Foto: Erste Fassung" not in cards
    assert file_stem not in cards


def test_kept_search_hits_are_the_same_and_follow_changes(
    places, fragments, django_capture_on_commit_callbacks
):
    """/suche/ keeps its ranked hits by data version: asked again, it searches no more and
    shows the same page; an unpublish or a new title shows at once."""
    client = past_the_page_cache()
    url = "/suche/?q=Hof+07"
    hit = f'href="{places[7].url}"'
    with CaptureQueriesContext(connection) as first_queries:
        first = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as kept_queries:
        again = client.get(url).content.decode()
    assert hit in first
    assert again == first
    assert len(kept_queries) < len(first_queries)

    with django_capture_on_commit_callbacks(execute=True):
        PlacePage.objects.get(pk=places[7].pk).unpublish()
    assert hit not in client.get(url).content.decode()

    renamed = PlacePage.objects.get(pk=places[8].pk)
    renamed.title = "Scheune am Deich"
    with django_capture_on_commit_callbacks(execute=True):
        renamed.save_revision().publish()
    assert f'href="{places[8].url}"' in client.get("/suche/?q=Scheune").content.decode()
