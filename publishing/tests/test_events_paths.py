"""Events in publishing: which paths a change of an event (or of the place and region above
it) reaches, and that the one ``Change`` gets to the page cache, the static site's pending
paths and the CDN purge."""

import datetime
from decimal import Decimal

from django.core.cache import cache

from wagtail.images.tests.utils import get_test_image_file

import pytest

from core.models import CustomImage
from events.models import EventPage, Recurrence
from events.occurrences import local_today
from places.factories import CategoryFactory, PlacePageFactory
from publishing.paths import (
    EVENT_LISTING_PATHS,
    PLACE_LISTING_PATHS,
    every_language,
    page_state,
    paths_showing,
    paths_showing_dates,
)
from regions.factories import RegionPageFactory
from staticsite.models import PendingPath
from website import page_cache

pytestmark = pytest.mark.django_db

EVENT = "/altmark/gutshof-wiesengrund/hoffest/"
PLACE = "/altmark/gutshof-wiesengrund/"
#: What publishing the event below the Gutshof changes, exactly (in every language).
EVENT_PATHS = every_language(
    {
        EVENT,
        PLACE,
        "/altmark/",
        "/veranstaltungen/",
        "/api/veranstaltungen.ics",
        "/api/veranstaltungen.geojson",
        "/sitemap.xml",
        "/suche/",
    }
)


def add_event(place, slug="hoffest", *, live=True, days=7, **fields):
    event = EventPage(
        title=fields.pop("title", f"Veranstaltung {slug}"),
        slug=slug,
        teaser="Musik und offene Werkstätten.",
        start_date=local_today() + datetime.timedelta(days=days),
        start_time=datetime.time(18),
        live=live,
        **fields,
    )
    place.add_child(instance=event)
    return event


@pytest.fixture
def layout(place, home_page):
    """The Gutshof in the Altmark with a draft event; the Harz with a place and its event."""
    harz = RegionPageFactory(parent=home_page, title="Harz", slug="harz")
    harzhof = PlacePageFactory(
        parent=harz,
        title="Harzhof",
        slug="harzhof",
        latitude=Decimal("51.80"),
        longitude=Decimal("10.60"),
    )
    return {
        "place": place,
        "draft": add_event(place, live=False),
        "harz": harz,
        "harzhof": harzhof,
        "harz_event": add_event(harzhof, "bergfest"),
    }


def publish(event, capture):
    with capture(execute=True):
        event.save_revision().publish()


def test_publishing_an_event_reaches_exactly_its_page_place_region_and_the_event_lists(
    layout, heard, django_capture_on_commit_callbacks
):
    publish(layout["draft"], django_capture_on_commit_callbacks)
    [change] = heard
    assert change.paths == EVENT_PATHS
    assert change.page_paths == {EVENT, f"/en{EVENT}"}
    # Neither the places' lists nor the other region: events show on none of them.
    assert not change.paths & {"/orte/", "/", "/feeds/orte.atom", "/api/orte.geojson", "/harz/"}


def test_unpublishing_and_deleting_an_event_reach_the_same_paths(
    layout, heard, django_capture_on_commit_callbacks
):
    event = layout["draft"]
    publish(event, django_capture_on_commit_callbacks)
    event.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        event.unpublish()
    assert heard[-1].paths == EVENT_PATHS
    publish(event, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        EventPage.objects.get(pk=event.pk).delete()
    assert heard[-1].paths == EVENT_PATHS
    assert event.pk in heard[-1].deleted


def test_moving_an_event_to_another_place_reaches_both_places_and_regions(
    layout, heard, django_capture_on_commit_callbacks
):
    event = layout["draft"]
    publish(event, django_capture_on_commit_callbacks)
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        EventPage.objects.get(pk=event.pk).move(layout["harzhof"], pos="last-child")
    paths = set().union(*(change.paths for change in heard))
    moved_to = every_language({"/harz/harzhof/hoffest/", "/harz/harzhof/", "/harz/"})
    assert (EVENT_PATHS | moved_to) == paths


def test_a_place_reaches_its_events_and_the_event_lists_only_when_it_has_some(
    layout, heard, django_capture_on_commit_callbacks
):
    place = layout["place"]
    # Only a draft below it: no event is shown through the place.
    assert not paths_showing(place) & (EVENT_LISTING_PATHS | {EVENT})
    publish(layout["draft"], django_capture_on_commit_callbacks)
    place.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        place.unpublish()
    paths = heard[-1].paths
    # Unpublishing the place hides its event (core.visibility) everywhere.
    assert {EVENT, PLACE, "/altmark/"} | EVENT_LISTING_PATHS | PLACE_LISTING_PATHS <= paths
    assert "/harz/harzhof/bergfest/" not in paths
    # A place's title and address show on its events' pages and rows: a re-publish too.
    place.refresh_from_db()
    place.title = "Gutshof Wiesengrund (neu)"
    with django_capture_on_commit_callbacks(execute=True):
        place.save_revision().publish()
    assert {EVENT} | EVENT_LISTING_PATHS <= heard[-1].paths


def test_moving_a_place_reaches_its_events_old_and_new_paths(
    layout, heard, django_capture_on_commit_callbacks
):
    publish(layout["draft"], django_capture_on_commit_callbacks)
    place = layout["place"]
    place.refresh_from_db()
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        place.move(layout["harz"], pos="last-child")
    paths = set().union(*(change.paths for change in heard))
    assert {EVENT, "/harz/gutshof-wiesengrund/hoffest/", "/altmark/", "/harz/"} <= paths
    assert paths >= EVENT_LISTING_PATHS


@pytest.fixture
def static_output(settings, tmp_path):
    """A static output, not built automatically. A change that makes every kept page stale
    (a subtree deleted, an image, a field) is asked for its paths for the static site (and
    the CDN) only: the page cache drops everything anyway."""
    settings.STATICSITE_OUTPUT = str(tmp_path / "site")
    settings.STATICSITE_AUTO_BUILD = False


def test_deleting_a_place_reaches_its_events(
    layout, heard, static_output, django_capture_on_commit_callbacks
):
    publish(layout["draft"], django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        type(layout["place"]).objects.get(pk=layout["place"].pk).delete()
    [change] = heard[-1:]
    assert {EVENT, PLACE} | EVENT_LISTING_PATHS <= change.paths


def test_a_region_reaches_the_events_below_its_places(layout):
    region_paths = paths_showing(layout["harz"])
    assert {"/harz/harzhof/bergfest/"} | EVENT_LISTING_PATHS <= region_paths
    layout["harz"].unpublish()
    assert {"/harz/harzhof/bergfest/"} | EVENT_LISTING_PATHS <= paths_showing(layout["harz"])


def test_a_moved_region_reaches_its_events_old_paths(layout):
    harz = layout["harz"]
    before = page_state(harz)
    harz.slug = "oberharz"
    harz.save_revision().publish()
    harz.refresh_from_db()
    paths = paths_showing(harz, previous=before)
    assert {"/harz/harzhof/bergfest/", "/oberharz/harzhof/bergfest/"} <= paths


def test_unpublishing_the_home_page_reaches_the_event_lists(home_page, layout):
    home_page.live = False
    assert EVENT_LISTING_PATHS | {"/harz/harzhof/bergfest/"} <= paths_showing(
        home_page, previous=page_state(home_page)
    )


def test_an_events_image_reaches_its_page(
    layout, heard, static_output, django_capture_on_commit_callbacks
):
    image = CustomImage.objects.create(title="Hoffest", file=get_test_image_file())
    event = layout["harz_event"]
    event.image = image
    event.save_revision().publish()
    heard.clear()
    image.title = "Hoffest 2026"
    with django_capture_on_commit_callbacks(execute=True):
        image.save()
    assert "/harz/harzhof/bergfest/" in heard[-1].paths


def test_a_field_reaches_the_event_lists(
    layout, heard, static_output, django_capture_on_commit_callbacks
):
    category = CategoryFactory(slug="arbeiten-wirtschaft")
    heard.clear()
    category.name = "Arbeit und Wirtschaft"
    with django_capture_on_commit_callbacks(execute=True):
        category.save()
    assert heard[-1].paths >= EVENT_LISTING_PATHS


def test_the_paths_whose_dates_change_overnight(layout):
    harzhof = layout["harzhof"]
    add_event(harzhof, "gestern", days=-1)
    add_event(harzhof, "vor-einer-woche", days=-7)  # a missed night is caught up
    add_event(harzhof, "vor-acht-tagen", days=-8)
    add_event(
        layout["place"],
        "jeden-montag",
        days=-70,
        recurrence=Recurrence.WEEKLY,
    )
    paths, events = paths_showing_dates()
    assert events == {
        "/harz/harzhof/bergfest/",
        "/harz/harzhof/gestern/",
        "/harz/harzhof/vor-einer-woche/",
        "/altmark/gutshof-wiesengrund/jeden-montag/",
    }
    assert paths == events | EVENT_LISTING_PATHS | {"/harz/harzhof/", "/harz/", PLACE, "/altmark/"}
    # A draft, and an event below an unpublished place, show no dates.
    harzhof.unpublish()
    assert paths_showing_dates()[1] == {"/altmark/gutshof-wiesengrund/jeden-montag/"}


# --- The one Change reaches every channel ----------------------------------------------------


def test_an_event_publish_reaches_page_cache_pending_paths_and_cdn(
    layout, client, settings, tmp_path, purge_server, django_capture_on_commit_callbacks
):
    location, purged = purge_server
    settings.WAGTAILFRONTENDCACHE = {
        "cdn": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": location,
        }
    }
    # Our paths name every language's address already: Wagtail must not derive a /de/
    # address from each /en/ one (the setting production needs, docs/static-site.md).
    settings.WAGTAILFRONTENDCACHE_LANGUAGES = []
    settings.STATICSITE_OUTPUT = str(tmp_path / "site")
    settings.STATICSITE_AUTO_BUILD = False
    cache.clear()
    others = {"/orte/", "/", "/harz/", "/harz/harzhof/", "/feeds/orte.atom", "/impressum/"}
    others = every_language(others)
    tokens_before = {path: page_cache._ensure_tokens(path) for path in EVENT_PATHS | others}
    # Pages kept in the page cache, as visitors left them.
    pages = [
        PLACE,
        "/altmark/",
        "/veranstaltungen/",
        "/veranstaltungen/?region=harz",  # a path stands for all its query strings
        "/sitemap.xml",
        "/harz/",
        "/harz/harzhof/",
        "/harz/harzhof/bergfest/",
        "/orte/",
        # The English addresses: kept apart, stale with their German twins.
        f"/en{PLACE}",
        "/en/veranstaltungen/?region=harz",
        "/en/harz/",
        "/en/orte/",
    ]
    for url in pages:
        assert client.get(url)["X-Page-Cache"] == "miss", url
        assert client.get(url)["X-Page-Cache"] == "hit", url

    publish(layout["draft"], django_capture_on_commit_callbacks)

    tokens_after = {path: page_cache._ensure_tokens(path) for path in tokens_before}
    assert {path for path in tokens_before if tokens_before[path] != tokens_after[path]} == (
        EVENT_PATHS
    )
    for url in pages:
        expected = "miss" if url.partition("?")[0] in EVENT_PATHS else "hit"
        assert client.get(url)["X-Page-Cache"] == expected, url
    assert "Veranstaltung hoffest" in client.get("/veranstaltungen/").content.decode()
    # The static site's pending paths, stored with the change: the event's own page marked.
    pending = dict(PendingPath.objects.values_list("path", "page_changed"))
    assert pending == {path: path in (EVENT, f"/en{EVENT}") for path in EVENT_PATHS}
    # The CDN: everything but the event's page, which Wagtail announced (and purges itself).
    assert {path for _host, path in purged} == EVENT_PATHS - {EVENT}
