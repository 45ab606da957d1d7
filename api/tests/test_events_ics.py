"""/api/veranstaltungen.ics: the upcoming events as iCalendar (RFC 5545), parsed back with
the ``icalendar`` library as calendar apps read it."""

import datetime

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
from icalendar import Calendar, vRecur

from api.tests.event_fixtures import clock, day, gutshof, publish_event  # noqa: F401
from events.models import Recurrence
from events.occurrences import HORIZON_DAYS, TIME_ZONE, rrule
from places.factories import PlacePageFactory
from regions.factories import RegionPageFactory

pytestmark = pytest.mark.django_db

URL = "/api/veranstaltungen.ics"


def fetch(client, query="", **headers):
    response = client.get(f"{URL}{query}", headers=headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response


def calendar(client, query="") -> Calendar:
    return Calendar.from_ical(fetch(client, query).content)


def vevents(client, query="") -> dict[str, object]:
    """The VEVENTs by SUMMARY."""
    return {str(event["SUMMARY"]): event for event in calendar(client, query).events}


def test_calendar_properties_and_time_zone(client, gutshof):  # noqa: F811
    publish_event(gutshof)
    response = fetch(client)
    assert b"\r\n" in response.content  # content lines end with CRLF
    cal = Calendar.from_ical(response.content)
    assert cal["VERSION"] == "2.0"
    assert cal["PRODID"] == "-//Kreativorte im Grünen//Veranstaltungen//DE"
    assert cal["METHOD"] == "PUBLISH"
    assert cal["CALSCALE"] == "GREGORIAN"
    assert cal["X-WR-CALNAME"] == "Kreativorte im Grünen – Veranstaltungen"
    assert cal["NAME"] == "Kreativorte im Grünen – Veranstaltungen"
    assert cal["X-WR-TIMEZONE"] == "Europe/Berlin"
    assert cal["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    # Every TZID used has its VTIMEZONE, covering summer and winter time.
    assert cal.get_missing_tzids() == set()
    (zone,) = cal.timezones
    assert zone["TZID"] == "Europe/Berlin"
    assert {component.name for component in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}


def test_a_timed_event(client, gutshof):  # noqa: F811
    event = publish_event(
        gutshof,
        title="Hoffest",
        teaser="Musik, Kuchen und offene Werkstätten.",
        start_date=day(7),
        start_time=datetime.time(18),
        end_time=datetime.time(21, 30),
    )
    vevent = vevents(client)["Hoffest"]
    start, end = vevent["DTSTART"], vevent["DTEND"]
    assert start.params["TZID"] == "Europe/Berlin"
    assert start.dt == datetime.datetime.combine(day(7), datetime.time(18), tzinfo=TIME_ZONE)
    assert start.dt.tzinfo.key == "Europe/Berlin"
    assert end.dt == datetime.datetime.combine(day(7), datetime.time(21, 30), tzinfo=TIME_ZONE)
    page_url = f"http://localhost/altmark/gutshof-wiesengrund/{event.slug}/"
    assert vevent["URL"] == page_url
    assert vevent["DESCRIPTION"] == f"Musik, Kuchen und offene Werkstätten.\n\n{page_url}"
    assert vevent["LOCATION"] == "Gutshof Wiesengrund, Dorfstraße 1, 29410 Salzwedel"
    assert (vevent["GEO"].latitude, vevent["GEO"].longitude) == (52.85, 11.15)
    assert vevent["STATUS"] == "CONFIRMED"
    assert vevent["UID"] == f"event-{event.pk}@localhost"
    assert vevent["CATEGORIES"].cats == ["Arbeiten/Wirtschaft"]
    assert "RRULE" not in vevent


def test_an_all_day_festival_ends_the_day_after_its_last_day(client, gutshof):  # noqa: F811
    publish_event(gutshof, title="Festival", start_date=day(3), end_date=day(5), start_time=None)
    vevent = vevents(client)["Festival"]
    assert vevent["DTSTART"].params["VALUE"] == "DATE"
    assert vevent["DTSTART"].dt == day(3)
    # DTEND is exclusive for dates (RFC 5545 3.6.1): the day after the last one.
    assert vevent["DTEND"].params["VALUE"] == "DATE"
    assert vevent["DTEND"].dt == day(6)
    assert b"DTSTART;VALUE=DATE:" in fetch(client).content


def test_repeating_events_keep_their_rule(client, gutshof):  # noqa: F811
    weekly = publish_event(
        gutshof,
        title="Offene Werkstatt",
        start_date=day(-14),
        start_time=datetime.time(17),
        recurrence=Recurrence.WEEKLY,
        recurrence_interval=2,
        recurrence_until=day(90),
    )
    monthly = publish_event(
        gutshof,
        title="Markt",
        start_date=day(2),
        start_time=None,
        recurrence=Recurrence.MONTHLY_WEEKDAY,
    )
    found = vevents(client)
    # One VEVENT per series, starting on its first date (also when that is past).
    werkstatt = found["Offene Werkstatt"]
    assert werkstatt["DTSTART"].dt == datetime.datetime.combine(
        day(-14), datetime.time(17), tzinfo=TIME_ZONE
    )
    assert werkstatt["RRULE"].to_ical().decode() == _canonical(rrule(weekly))
    assert werkstatt["RRULE"]["FREQ"] == ["WEEKLY"]
    assert werkstatt["RRULE"]["INTERVAL"] == [2]
    assert werkstatt["RRULE"]["UNTIL"][0].tzinfo is not None  # UTC, as DTSTART has a TZID
    markt = found["Markt"]
    assert markt["DTSTART"].dt == day(2)
    assert markt["RRULE"].to_ical().decode() == _canonical(rrule(monthly))
    assert "UNTIL" not in markt["RRULE"]


def _canonical(rule: str) -> str:
    """An RRULE value as icalendar writes it (its own order of the parts)."""
    return vRecur.from_ical(rule).to_ical().decode()


def test_a_cancelled_event_says_so(client, gutshof):  # noqa: F811
    publish_event(gutshof, title="Lesung", cancelled=True)
    (vevent,) = calendar(client).events
    assert vevent["STATUS"] == "CANCELLED"
    assert vevent["SUMMARY"] == "Fällt aus: Lesung"


def test_uid_and_dtstamp_are_stable_and_follow_the_published_version(client, gutshof):  # noqa: F811
    event = publish_event(gutshof, title="Hoffest")
    first = fetch(client).content
    assert fetch(client).content == first  # same data, same bytes
    (vevent,) = Calendar.from_ical(first).events
    assert vevent["UID"] == f"event-{event.pk}@localhost"
    stamp = event.last_published_at.astimezone(datetime.UTC).replace(microsecond=0)
    assert vevent["DTSTAMP"].dt == stamp
    assert vevent["LAST-MODIFIED"].dt == stamp

    # A draft changes nothing in the feed.
    event.title = "Hoffest (Entwurf)"
    event.save_revision()
    assert fetch(client).content == first

    # Publishing an edit: same UID, a new DTSTAMP.
    event.title = "Großes Hoffest"
    event.start_date = day(8)
    event.save_revision().publish()
    event.refresh_from_db()
    (edited,) = calendar(client).events
    assert edited["SUMMARY"] == "Großes Hoffest"
    assert edited["UID"] == vevent["UID"]
    assert edited["DTSTAMP"].dt == event.last_published_at.astimezone(datetime.UTC).replace(
        microsecond=0
    )


def test_only_events_with_a_date_from_today_within_the_horizon(client, gutshof, clock):  # noqa: F811
    publish_event(gutshof, title="Heute Abend", start_date=day(0), start_time=datetime.time(18))
    publish_event(gutshof, title="Gestern", start_date=day(-1), start_time=None)
    publish_event(
        gutshof,
        title="Vorbei",
        start_date=day(-30),
        recurrence=Recurrence.WEEKLY,
        recurrence_until=day(-2),
    )
    publish_event(gutshof, title="Noch im Gange", start_date=day(-2), end_date=day(0))
    publish_event(gutshof, title="Zu weit weg", start_date=day(HORIZON_DAYS + 5))
    clock(day(0), 23, 30)  # the evening event is over; the day is not
    assert set(vevents(client)) == {"Heute Abend", "Noch im Gange"}


def test_filters_by_region_and_place(client, gutshof, home_page):  # noqa: F811
    other_place = PlacePageFactory(parent=gutshof.get_parent(), title="Alte Mühle", slug="muehle")
    harz = RegionPageFactory(parent=home_page, title="Harz", slug="harz")
    harz_place = PlacePageFactory(parent=harz, title="Harzhof", slug="harzhof")
    publish_event(gutshof, title="Hoffest")
    publish_event(other_place, title="Mühlentag")
    publish_event(harz_place, title="Harzfest")
    assert set(vevents(client)) == {"Hoffest", "Mühlentag", "Harzfest"}

    assert set(vevents(client, "?region=altmark")) == {"Hoffest", "Mühlentag"}
    cal = calendar(client, "?region=altmark")
    assert cal["X-WR-CALNAME"] == "Kreativorte im Grünen – Veranstaltungen – Altmark"

    for query in (
        "?place=gutshof-wiesengrund",
        f"?place={gutshof.pk}",
        "?region=altmark&place=gutshof-wiesengrund",
    ):
        assert set(vevents(client, query)) == {"Hoffest"}, query
    cal = calendar(client, f"?place={gutshof.pk}")
    assert cal["X-WR-CALNAME"] == "Kreativorte im Grünen – Veranstaltungen – Gutshof Wiesengrund"
    assert set(vevents(client, "?region=harz")) == {"Harzfest"}
    # A region without events: a valid, empty calendar (its VTIMEZONE is its component).
    RegionPageFactory(parent=home_page, title="Fläming", slug="flaeming")
    empty = calendar(client, "?region=flaeming")
    assert empty.events == [] and len(empty.timezones) == 1


def test_a_place_slug_two_regions_share_needs_the_region(client, gutshof, home_page):  # noqa: F811
    harz = RegionPageFactory(parent=home_page, title="Harz", slug="harz")
    twin = PlacePageFactory(parent=harz, title="Gutshof im Harz", slug="gutshof-wiesengrund")
    publish_event(gutshof, title="Hoffest")
    publish_event(twin, title="Harzer Hoffest")
    response = client.get(f"{URL}?place=gutshof-wiesengrund")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "Mehrere Orte heißen „gutshof-wiesengrund“" in text
    assert set(vevents(client, "?region=harz&place=gutshof-wiesengrund")) == {"Harzer Hoffest"}
    assert set(vevents(client, f"?place={twin.pk}")) == {"Harzer Hoffest"}


@pytest.mark.parametrize(
    ("query", "status", "needle"),
    [
        ("?region=mond", 404, "Eine Region „mond“ gibt es nicht."),
        ("?place=nirgendwo", 404, "Einen Ort „nirgendwo“ gibt es nicht."),
        ("?place=999999", 404, "Einen Ort „999999“ gibt es nicht."),
        ("?region=harz&place=gutshof-wiesengrund", 404, "in der Region „Harz“ nicht"),
        ("?region=alt mark", 400, "region muss der Kurzname einer Region sein"),
        ("?region=altmark,harz", 400, "region muss der Kurzname"),
        ("?region=altmark&region=harz", 400, "region bitte nur einmal angeben."),
        ("?place=../../etc", 400, "place muss der Kurzname eines Ortes sein"),
        ("?place=0", 400, "place muss der Kurzname"),
        ("?place=99999999999999999999", 400, "place muss der Kurzname"),
        ("?place=4294967296", 400, "zu groß"),
        ("?place=" + "x" * 300, 400, "place muss der Kurzname"),
        (
            "?category=wohnen-bauen",
            400,
            "category: Unbekannter Parameter. Erlaubt: region, place, locale.",
        ),
        ("?region=%C3%A4%27%22%3Cb%3E", 400, "region muss der Kurzname"),
    ],
)
def test_bad_input_is_a_german_text_answer_never_a_500(
    client,
    gutshof,  # noqa: F811
    home_page,
    query,
    status,
    needle,
):
    RegionPageFactory(parent=home_page, title="Harz", slug="harz")
    response = client.get(f"{URL}{query}")
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert needle in response.content.decode()


def test_repeated_equal_values_and_the_cache_buster_are_fine(client, gutshof):  # noqa: F811
    publish_event(gutshof, title="Hoffest")
    plain = fetch(client, "?region=altmark")
    same = fetch(client, "?region=altmark&region=altmark&_=12345")
    assert same.content == plain.content
    assert same["ETag"] == plain["ETag"]


def test_conditional_requests_get_304_and_cors_like_the_other_exports(client, gutshof, settings):  # noqa: F811
    settings.CORS_ALLOWED_ORIGINS = ["https://karte.example.org"]
    publish_event(gutshof)
    first = fetch(client, origin="https://karte.example.org")
    assert first["Access-Control-Allow-Origin"] == "https://karte.example.org"
    assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert 'rel="license"' in first["Link"]
    with CaptureQueriesContext(connection) as queries:
        again = client.get(URL, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert len(queries) == 1  # the data version
    since = client.get(URL, headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304
    head = client.head(URL)
    assert head.status_code == 200 and head["ETag"] == first["ETag"]


def test_a_publish_changes_the_feed_at_once(client, gutshof):  # noqa: F811
    publish_event(gutshof, title="Hoffest")
    first = fetch(client)
    publish_event(gutshof, title="Lesung")
    again = client.get(URL, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200
    assert "Lesung" in {str(e["SUMMARY"]) for e in Calendar.from_ical(again.content).events}


def test_past_dates_drop_out_at_midnight_without_a_publish(client, gutshof, clock):  # noqa: F811
    """The data version does not change at midnight; the local day is in the key."""
    publish_event(
        gutshof,
        title="Abendkonzert",
        start_date=day(1),
        start_time=datetime.time(19),
        end_time=datetime.time(22),
    )
    publish_event(gutshof, title="Sommerfest", start_date=day(5), start_time=None)
    tomorrow, day_after = day(1), day(2)
    clock(tomorrow, 23, 59)
    evening = fetch(client)
    assert {str(e["SUMMARY"]) for e in Calendar.from_ical(evening.content).events} == {
        "Abendkonzert",
        "Sommerfest",
    }
    assert client.get(URL, headers={"if-none-match": evening["ETag"]}).status_code == 304

    clock(day_after, 0, 1)
    for headers in (
        {"if-none-match": evening["ETag"]},
        {"if-modified-since": evening["Last-Modified"]},
        {},
    ):
        response = client.get(URL, headers=headers)
        assert response.status_code == 200, headers
        assert response["ETag"] != evening["ETag"]
        summaries = {str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).events}
        assert summaries == {"Sommerfest"}, headers
    assert client.get(URL, headers={"if-none-match": response["ETag"]}).status_code == 304


def test_query_count_does_not_grow_with_the_events(client, gutshof, home_page):  # noqa: F811
    def count() -> int:
        cache.clear()  # no kept body: a full render
        with CaptureQueriesContext(connection) as queries:
            fetch(client)
        return len(queries)

    publish_event(gutshof, title="Erstes Fest")
    few = count()
    harz = RegionPageFactory(parent=home_page, title="Harz", slug="harz")
    for number in range(6):
        place = PlacePageFactory(parent=harz, title=f"Hof {number}", slug=f"hof-{number}")
        publish_event(place, title=f"Fest {number}", recurrence=Recurrence.WEEKLY)
    assert count() == few
