"""SQL queries per request of the main public views, the budgets of issue 9.

Place page ≤ 10, region page and ``/orte/`` ≤ 12 and the same for few and many places,
API v2 listing of 100 places with all fields ≤ 15. Counted after one warm-up request (image
renditions exist, per-process lookups are filled), with the page cache off: what a worker
renders. The data comes from ``bench.dataset`` (the benchmark's generator) with stories of
typical length, each with two images, a gallery, tags, offers and links.
"""

import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

import core.images
from bench.dataset import create_places
from events.models import Recurrence
from places.models import PlacePage
from tests.counting_cache import CountingLocMemCache
from website.page_cache import BYPASS_ENVIRON
from website.tests.event_pages import days, make_event

pytestmark = pytest.mark.django_db

PLACE_BUDGET = 10
LISTING_BUDGET = 12
API_BUDGET = 15
API_LISTING = "/api/v2/pages/?type=places.PlacePage&fields=*&limit=100"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


#: Past the page cache (its bypass, as the static build asks): these budgets count what
#: rendering a page costs, not a page cache hit.
PAST_THE_PAGE_CACHE = {BYPASS_ENVIRON: "1"}


def queries(client, url) -> int:
    client.get(url, **PAST_THE_PAGE_CACHE)  # warm-up: renditions, site root paths
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **PAST_THE_PAGE_CACHE)
    assert response.status_code == 200, response.content[:300]
    return len(captured)


def grow(region, count):
    create_places(count, regions=(region.slug,), images=3)


def first_place(region):
    return PlacePage.objects.child_of(region).live().order_by("pk").first()


def test_place_page_within_budget_however_many_images_its_story_has(client, region):
    grow(region, 6)
    place = first_place(region)
    few = queries(client, place.url)
    # Twice the images in the story and the gallery: still the same queries.
    place.story = list(place.story.raw_data) * 2
    place.save(update_fields=["story"])
    for image in place.gallery_images.all():
        image.pk = None
        image.translation_key = uuid.uuid4()  # a row of its own (translatable)
        image.sort_order += 10
        image.save()
    assert queries(client, place.url) == few
    assert few <= PLACE_BUDGET, f"place page: {few} queries"


@pytest.mark.parametrize(
    "path", ["{region}", "{region}?category=arbeiten-wirtschaft&offer=coworking&page=2"]
)
def test_region_page_within_budget_independent_of_places(client, region, path):
    grow(region, 45)
    url = path.format(region=region.url)
    few = queries(client, url)
    grow(region, 120)
    many = queries(client, url)
    assert many == few, f"{few} queries with 45 places, {many} with 165"
    assert many <= LISTING_BUDGET, f"region page: {many} queries"


@pytest.mark.parametrize(
    "url",
    [
        "/orte/",
        "/orte/?category=arbeiten-wirtschaft&region=altmark&status=aktiv",
        "/orte/?page=2",
        "/einbetten/karte/?category=arbeiten-wirtschaft",
    ],
)
def test_place_index_within_budget_independent_of_places(client, region, url):
    grow(region, 45)
    few = queries(client, url)
    grow(region, 120)
    many = queries(client, url)
    assert many == few, f"{few} queries with 45 places, {many} with 165"
    assert many <= LISTING_BUDGET, f"/orte/: {many} queries"


def test_home_page_independent_of_places(client, region):
    grow(region, 20)
    few = queries(client, "/")
    grow(region, 60)
    assert queries(client, "/") == few
    assert few <= LISTING_BUDGET, f"home page: {few} queries"


def test_api_listing_of_100_with_all_fields_within_budget(client, region, settings):
    settings.PLACES_API_RESPONSE_CACHE_SECONDS = 0  # what rendering costs, not a kept body
    grow(region, 110)
    count = queries(client, API_LISTING)
    assert len(client.get(API_LISTING).json()["items"]) == 100
    assert count <= API_BUDGET, f"API v2 listing: {count} queries"


def test_pages_make_one_cache_round_trip_even_when_an_image_appears_twice(client, region, settings):
    """Only Wagtail's site root paths come from the cache; renditions are prefetched and
    never written back, even for an image that is both hero and story image."""
    from tests.counting_cache import CountingLocMemCache

    # Django's setting_changed handler replaces the cache connections.
    settings.CACHES = {
        "default": {"BACKEND": "tests.counting_cache.CountingLocMemCache", "LOCATION": "count"}
    }
    grow(region, 6)
    place = first_place(region)
    story = list(place.story.raw_data)
    story.append({"type": "image", "value": {"image": place.hero_image_id, "caption": ""}})
    place.story = story
    place.save(update_fields=["story"])
    for url in (place.url, region.url, "/orte/?category=arbeiten-wirtschaft", "/"):
        client.get(url, **PAST_THE_PAGE_CACHE)
        CountingLocMemCache.calls.clear()
        assert client.get(url, **PAST_THE_PAGE_CACHE).status_code == 200
        # Plus, at most once in 5 s per process, the restricted collections' ids
        # (core.images): which images a page may show.
        assert len(CountingLocMemCache.calls) <= 2, (url, CountingLocMemCache.calls)


def test_kept_parts_of_pages_cost_few_queries_and_cache_round_trips(client, region, settings):
    """With the cards, filter choices and counts kept (``FRAGMENT_CACHE_SECONDS``, as in
    production): fewer queries, still the same with few and many places, and a fixed
    number of cache round trips (site root paths, data version, choices, count, the filter
    form, cards)."""
    from tests.counting_cache import CountingLocMemCache

    settings.CACHES = {
        "default": {"BACKEND": "tests.counting_cache.CountingLocMemCache", "LOCATION": "kept"}
    }
    settings.FRAGMENT_CACHE_SECONDS = 600
    grow(region, 45)
    listings = [region.url, "/orte/?category=arbeiten-wirtschaft&page=2", "/"]
    urls = [*listings, first_place(region).url]
    few = {url: queries(client, url) for url in urls}
    grow(region, 120)  # written in bulk, without signals: the data version still changes
    many = {url: queries(client, url) for url in urls}
    assert many == few
    # Routing, the data version and the page's card keys (and the filter's field slugs;
    # the home page's regions).
    assert max(many[url] for url in listings) <= 5, many
    assert many[urls[-1]] <= PLACE_BUDGET, many
    for url in urls:
        client.get(url, **PAST_THE_PAGE_CACHE)
        CountingLocMemCache.calls.clear()
        assert client.get(url, **PAST_THE_PAGE_CACHE).status_code == 200
        # (+1: the restricted collections' ids, at most once in 5 s per process.)
        assert len(CountingLocMemCache.calls) <= 7, (url, CountingLocMemCache.calls)


def add_events(place, count, start=0):
    """``count`` upcoming events below ``place`` (``website.tests.event_pages``), some weekly."""
    for number in range(start, start + count):
        make_event(
            place,
            title=f"Termin {number}",
            slug=f"termin-{number}",
            start_date=days(number % 20 + 1),
            recurrence=Recurrence.WEEKLY if number % 3 == 0 else "",
        )


def test_place_page_with_events_within_budget_however_many_events(client, region):
    """„Nächste Termine“ costs one query (none for a place without events)."""
    grow(region, 6)
    place = first_place(region)
    without = queries(client, place.url)
    add_events(place, 2)
    few = queries(client, place.url)
    add_events(place, 10, start=2)
    assert queries(client, place.url) == few
    assert few == without + 1
    assert few <= PLACE_BUDGET, f"place page with events: {few} queries"
    assert "Nächste Termine" in client.get(place.url, **PAST_THE_PAGE_CACHE).content.decode()


def test_region_page_with_events_within_budget_however_many_events(client, region):
    grow(region, 45)
    places = list(PlacePage.objects.child_of(region).live().order_by("pk")[:3])
    add_events(places[0], 2)
    few = queries(client, region.url)
    for place in places:
        add_events(place, 8, start=10)
    assert queries(client, region.url) == few
    assert few <= LISTING_BUDGET, f"region page with events: {few} queries"
    html = client.get(region.url, **PAST_THE_PAGE_CACHE).content.decode()
    assert "Veranstaltungen in der Region" in html


def test_kept_events_cost_a_warm_place_page_no_query_and_no_cache_round_trip(
    client, region, settings, monkeypatch
):
    """With kept parts on: the events' rows are kept with the nearby places' keys (one cache
    round trip), so a place with events costs what a place without them costs."""
    # The restricted collections' ids are read again after 5 s in a process: on a busy
    # machine, between the two pages. Not what this compares.
    monkeypatch.setattr(core.images, "PROCESS_MEMO_SECONDS", 3600.0)
    monkeypatch.setattr(core.images, "_process_memo", [0.0, None])
    settings.CACHES = {
        "default": {"BACKEND": "tests.counting_cache.CountingLocMemCache", "LOCATION": "ev"}
    }
    settings.FRAGMENT_CACHE_SECONDS = 600
    grow(region, 6)
    place, other = PlacePage.objects.child_of(region).live().order_by("pk")[:2]
    add_events(place, 5)
    costs = {}
    for page in (place, other):
        costs[page.pk] = queries(client, page.url)
        CountingLocMemCache.calls.clear()
        assert client.get(page.url, **PAST_THE_PAGE_CACHE).status_code == 200
        costs[page.pk] = (costs[page.pk], len(CountingLocMemCache.calls))
    assert costs[place.pk] == costs[other.pk], costs
    assert costs[place.pk][0] <= PLACE_BUDGET
    assert "Nächste Termine" in client.get(place.url, **PAST_THE_PAGE_CACHE).content.decode()
