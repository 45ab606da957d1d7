"""„Nächste Termine“ on the place page and „Veranstaltungen in der Region“ on the region page:
the next five dates of visible events, links to them, nothing when there are none; past,
unpublished and restricted events and events below an unpublished place never show."""

import datetime

from wagtail.models import PageViewRestriction

import pytest

from events.models import Recurrence
from events.occurrences import TIME_ZONE
from places.factories import PlacePageFactory
from regions.factories import RegionPageFactory
from website.events import place_dates, region_dates
from website.tests.event_pages import days, make_event, text

pytestmark = pytest.mark.django_db


def section(html: str, heading: str) -> str:
    """The text of the page from ``heading`` to the next section."""
    shown = text(html)
    start = shown.find(heading)
    if start < 0:
        return ""
    end = min(
        (
            i
            for i in (shown.find(word, start + 1) for word in ("Lage", "Kontakt", "Bilder"))
            if i > 0
        ),
        default=len(shown),
    )
    return shown[start:end]


def test_the_place_page_lists_the_next_five_dates_with_links(client, place):
    market = make_event(place, title="Markt", slug="markt", start_date=days(2))
    make_event(place, title="Hoffest", slug="hoffest", start_date=days(9), cancelled=True)
    make_event(
        place,
        title="Coworking-Tag",
        slug="coworking-tag",
        start_date=days(3),
        start_time=datetime.time(9),
        end_time=datetime.time(17),
        recurrence=Recurrence.WEEKLY,
        is_free=True,
    )
    make_event(place, title="Sommerfest", slug="sommerfest", start_date=days(-30))  # over
    html = client.get(place.url).content.decode()
    shown = section(html, "Nächste Termine")
    titles = [title for title in ("Markt", "Coworking-Tag", "Hoffest") if title in shown]
    assert titles == ["Markt", "Coworking-Tag", "Hoffest"]
    assert shown.count("Coworking-Tag") == 3  # days 3, 10 (after the Hoffest on 9), 17 …
    assert shown.count(" Uhr ") == 5  # five dates
    assert "Fällt aus" in shown and "Eintritt frei" in shown
    assert "Sommerfest" not in shown
    assert f'href="{market.url}"' in html
    assert f'href="/api/veranstaltungen.ics?place={place.pk}"' in html


def test_a_place_without_upcoming_events_shows_no_dates(client, place):
    make_event(place, title="Sommerfest", start_date=days(-30))
    assert "Nächste Termine" not in client.get(place.url).content.decode()


def test_unpublished_and_restricted_events_never_show(client, place, region):
    draft = make_event(place, title="Entwurf", slug="entwurf", live=False)
    private = make_event(place, title="Geheimtreffen", slug="geheim")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    make_event(place, title="Offener Abend", slug="offen")
    for url in (place.url, region.url, "/veranstaltungen/"):
        shown = text(client.get(url).content.decode())
        assert "Offener Abend" in shown, url
        assert "Entwurf" not in shown and "Geheimtreffen" not in shown, url
    assert client.get(draft.url).status_code == 404


def test_events_below_an_unpublished_place_never_show(client, region):
    hidden = PlacePageFactory(parent=region, title="Stiller Hof", slug="stiller-hof")
    make_event(hidden, title="Stilles Fest")
    hidden.unpublish()
    shown_place = PlacePageFactory(parent=region, title="Lauter Hof", slug="lauter-hof")
    make_event(shown_place, title="Lautes Fest")
    for url in (region.url, "/veranstaltungen/", "/veranstaltungen/?region=altmark"):
        shown = text(client.get(url).content.decode())
        assert "Lautes Fest" in shown and "Stilles Fest" not in shown, url


def test_the_region_page_lists_its_places_dates_and_links_to_all(client, region, place):
    other_place = PlacePageFactory(parent=region, title="Alte Mühle", municipality="Arendsee")
    elsewhere = RegionPageFactory(parent=region.get_parent(), title="Harz", slug="harz")
    harz_place = PlacePageFactory(parent=elsewhere, title="Harzhof")
    make_event(harz_place, title="Harzer Abend", start_date=days(1))
    for number in range(4):
        make_event(
            place, title=f"Abend {number}", slug=f"abend-{number}", start_date=days(number + 2)
        )
    make_event(other_place, title="Mühlenfest", start_date=days(4), start_time=datetime.time(10))
    make_event(other_place, title="Spätes Fest", start_date=days(40))
    html = client.get(region.url).content.decode()
    shown = section(html, "Veranstaltungen in der Region")
    assert "Abend 0" in shown and "Abend 1" in shown and "Abend 2" in shown
    assert "Mühlenfest Alte Mühle , Arendsee" in shown
    assert "Gutshof Wiesengrund , Salzwedel" in shown
    assert "Harzer Abend" not in shown
    assert "Spätes Fest" not in shown  # only the next five
    assert shown.count(" Uhr ") == 5
    assert 'href="/veranstaltungen/?region=altmark"' in html
    harz = section(client.get(elsewhere.url).content.decode(), "Veranstaltungen in der Region")
    assert "Harzer Abend" in harz and "Abend 0" not in harz


def test_a_region_without_events_shows_no_event_section(client, region, place):
    assert "Veranstaltungen in der Region" not in client.get(region.url).content.decode()


@pytest.fixture
def kept_parts(settings):
    """Kept parts on, as in production with Redis (``FRAGMENT_CACHE_SECONDS``)."""
    settings.FRAGMENT_CACHE_SECONDS = 600


def test_kept_dates_move_on_with_the_clock_and_the_day(rf, place, region, kept_parts):
    """With kept parts on, the events' rows are kept (by data version and local date) but
    their dates are computed at each call: without any change, an evening event leaves both
    lists when it is over, and it is gone the next morning."""
    today = days(0)
    make_event(place, title="Heute", slug="heute", start_date=today)
    make_event(place, title="Übermorgen", slug="uebermorgen", start_date=days(2))
    request = rf.get(place.url)
    evening = datetime.datetime.combine(today, datetime.time(20), TIME_ZONE)
    late = datetime.datetime.combine(today, datetime.time(21, 30), TIME_ZONE)
    next_morning = datetime.datetime.combine(days(1), datetime.time(8), TIME_ZONE)

    def the_places_dates(place, request, now=None):
        return place_dates(place, request, now=now)[0]

    for dates_of, page in ((the_places_dates, place), (region_dates, region)):
        titles = [o.event.title for o in dates_of(page, request, now=evening)]
        assert titles == ["Heute", "Übermorgen"]
        for later in (late, next_morning):
            assert [o.event.title for o in dates_of(page, request, now=later)] == ["Übermorgen"]


def test_the_event_index_keeps_each_filters_dates_apart(client, place, region, kept_parts):
    """With kept parts on, /veranstaltungen/ keeps its rows per filter (regions, fields,
    days): another filter never gets the rows kept for the first."""
    other_region = RegionPageFactory(parent=region.get_parent(), title="Harz", slug="harz")
    other_place = PlacePageFactory(parent=other_region, title="Harzhof", slug="harzhof")
    make_event(place, title="Scheunenkonzert", slug="konzert", start_date=days(2))
    make_event(other_place, title="Bergfest", slug="bergfest", start_date=days(5))

    def shown(query: str) -> tuple[bool, bool]:
        html = client.get("/veranstaltungen/" + query).content.decode()
        return "Scheunenkonzert" in html, "Bergfest" in html

    assert shown("?region=altmark") == (True, False)
    assert shown("?region=harz") == (False, True)
    day = days(5).isoformat()
    assert shown(f"?von={day}&bis={day}") == (False, True)
    assert shown("") == (True, True)
    assert shown("?region=altmark") == (True, False)


def test_dates_far_ahead_are_listed_when_fewer_are_near(rf, place):
    """The short lists look at the next weeks first, then the whole year ahead."""
    make_event(place, title="Bald", slug="bald", start_date=days(3))
    make_event(place, title="Herbst", slug="herbst", start_date=days(200))
    make_event(place, title="Zu weit", slug="zu-weit", start_date=days(400))
    request = rf.get(place.url)
    assert [o.event.title for o in place_dates(place, request)[0]] == ["Bald", "Herbst"]
    weekly = make_event(
        place, title="Jede Woche", slug="jede-woche", start_date=days(1), recurrence="weekly"
    )
    dates, _kept = place_dates(place, request)
    assert [o.event.title for o in dates] == ["Jede Woche", "Bald", *["Jede Woche"] * 3]
    assert dates[0].event.listed_url == weekly.url
