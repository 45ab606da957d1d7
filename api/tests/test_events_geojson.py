"""/api/veranstaltungen.geojson: the same upcoming events as the iCalendar feed, as RFC 7946
Features at their places' points."""

import datetime
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
from icalendar import Calendar

from api.tests.event_fixtures import clock, day, gutshof, publish_event  # noqa: F401
from api.tests.geojson_validator import validate_feature_collection
from events.models import Recurrence
from events.occurrences import TIME_ZONE
from places.factories import PlacePageFactory
from places.models import Category, PlacePage
from regions.factories import RegionPageFactory

pytestmark = pytest.mark.django_db

URL = "/api/veranstaltungen.geojson"


def geojson(client, query="", **headers):
    response = client.get(f"{URL}{query}", headers=headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    validate_feature_collection(data)
    return data


def test_feature_shape(client, gutshof):  # noqa: F811
    gutshof.categories.set([Category.objects.get(slug="wohnen-bauen")])
    gutshof.save_revision().publish()
    event = publish_event(
        gutshof,
        title="Offene Werkstatt",
        teaser="Jeden zweiten Dienstag.",
        start_date=day(-7),
        start_time=datetime.time(17),
        end_time=datetime.time(20),
        recurrence=Recurrence.WEEKLY,
        recurrence_interval=2,
    )
    data = geojson(client)
    assert data["license"]["name"] == "CC BY 4.0"
    (feature,) = data["features"]
    assert feature["id"] == event.pk
    assert feature["geometry"] == {"type": "Point", "coordinates": [11.15, 52.85]}
    next_start = datetime.datetime.combine(day(7), datetime.time(17), tzinfo=TIME_ZONE)
    assert feature["properties"] == {
        "id": event.pk,
        "title": "Offene Werkstatt",
        "teaser": "Jeden zweiten Dienstag.",
        "url": "/altmark/gutshof-wiesengrund/offene-werkstatt/",
        "full_url": "http://localhost/altmark/gutshof-wiesengrund/offene-werkstatt/",
        # The next date, not the series' first.
        "start": next_start.isoformat(),
        "end": next_start.replace(hour=20).isoformat(),
        "all_day": False,
        "rrule": "FREQ=WEEKLY;INTERVAL=2",
        "cancelled": False,
        "place": {
            "id": gutshof.pk,
            "title": "Gutshof Wiesengrund",
            "url": "/altmark/gutshof-wiesengrund/",
            "full_url": "http://localhost/altmark/gutshof-wiesengrund/",
        },
        "region": "altmark",
        "categories": [{"slug": "wohnen-bauen", "name": "Wohnen/Bauen"}],
    }
    assert feature["properties"]["start"].endswith(("+01:00", "+02:00"))


def test_all_day_cancelled_and_unlocated(client, gutshof):  # noqa: F811
    publish_event(gutshof, title="Festival", start_date=day(3), end_date=day(4), start_time=None)
    nowhere = PlacePageFactory(parent=gutshof.get_parent(), title="Ohne Punkt", slug="ohne")
    PlacePage.objects.filter(pk=nowhere.pk).update(latitude=None, longitude=None)
    publish_event(nowhere, title="Lesung", start_date=day(5), cancelled=True)
    festival, lesung = geojson(client)["features"]
    assert festival["properties"]["all_day"] is True
    assert (
        festival["properties"]["start"]
        == datetime.datetime.combine(day(3), datetime.time(), tzinfo=TIME_ZONE).isoformat()
    )
    # The midnight after the last day, as DTEND in the calendar.
    assert (
        festival["properties"]["end"]
        == datetime.datetime.combine(day(5), datetime.time(), tzinfo=TIME_ZONE).isoformat()
    )
    assert lesung["properties"]["cancelled"] is True
    assert lesung["properties"]["title"] == "Lesung"
    # RFC 7946 3.2: a place without a point makes an unlocated feature, still listed.
    assert lesung["geometry"] is None


def test_the_same_events_as_the_calendar(client, gutshof, home_page):  # noqa: F811
    harz = RegionPageFactory(parent=home_page, title="Harz", slug="harz")
    harz_place = PlacePageFactory(parent=harz, title="Harzhof", slug="harzhof")
    publish_event(gutshof, title="Hoffest", start_date=day(2))
    publish_event(gutshof, title="Markt", start_date=day(-3), recurrence=Recurrence.WEEKLY)
    publish_event(gutshof, title="Vorbei", start_date=day(-3))
    publish_event(harz_place, title="Harzfest", start_date=day(1))
    for query in ("", "?region=altmark", "?region=harz", f"?place={gutshof.pk}"):
        features = geojson(client, query)["features"]
        calendar = Calendar.from_ical(client.get(f"/api/veranstaltungen.ics{query}").content)
        assert {f["properties"]["full_url"] for f in features} == {
            str(event["URL"]) for event in calendar.events
        }, query
    titles = [f["properties"]["title"] for f in geojson(client)["features"]]
    assert titles == ["Harzfest", "Hoffest", "Markt"]  # by their next date


@pytest.mark.parametrize(
    ("query", "status", "key"),
    [
        ("?region=mond", 404, None),
        ("?place=nirgendwo", 404, None),
        ("?region=a b", 400, "region"),
        ("?place=a,b", 400, "place"),
        ("?bbox=1,2,3,4", 400, "bbox"),
    ],
)
def test_bad_input_is_json_with_a_german_message(client, gutshof, query, status, key):  # noqa: F811
    response = client.get(f"{URL}{query}")
    assert response.status_code == status
    body = response.json()
    if key:
        assert body["message"] == "Ungültige Parameter."
        assert key in body["errors"]
    else:
        assert "gibt es nicht" in body["message"]


def test_validators_304_and_midnight(client, gutshof, clock):  # noqa: F811
    publish_event(gutshof, title="Heute", start_date=day(0), start_time=None)
    publish_event(gutshof, title="Morgen", start_date=day(1), start_time=None)
    today, tomorrow = day(0), day(1)
    clock(today, 20)
    first = client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(URL, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert len(queries) == 1
    clock(tomorrow, 0, 0)
    later = client.get(URL, headers={"if-none-match": first["ETag"]})
    assert later.status_code == 200
    assert [f["properties"]["title"] for f in later.json()["features"]] == ["Morgen"]
