"""Events in the Wagtail APIs (v2, v3) and what no channel may show: events that are not
published, or below an unpublished or restricted place or region."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

import pytest
from icalendar import Calendar

from api.tests.event_fixtures import clock, day, gutshof, publish_event  # noqa: F401
from events.models import EventPage, Recurrence
from events.occurrences import TIME_ZONE
from places.factories import PlacePageFactory
from regions.factories import RegionPageFactory

pytestmark = pytest.mark.django_db

V2_EVENTS = "/api/v2/pages/?type=events.EventPage&fields=*"
V3_EVENTS = "/api/v3/pages/?type=events.EventPage"


def at(date, hour=0, minute=0) -> str:
    return datetime.datetime.combine(
        date, datetime.time(hour, minute), tzinfo=TIME_ZONE
    ).isoformat()


def test_v2_listing_with_all_fields(client, gutshof):  # noqa: F811
    event = publish_event(
        gutshof,
        title="Offene Werkstatt",
        start_date=day(-7),
        start_time=datetime.time(17),
        end_time=datetime.time(19),
        recurrence=Recurrence.WEEKLY,
        recurrence_until=day(20),
        price="5.00",
    )
    response = client.get(V2_EVENTS)
    assert response.status_code == 200, response.content
    (item,) = response.json()["items"]
    assert item["id"] == event.pk
    assert item["meta"]["type"] == "events.EventPage"
    assert item["meta"]["html_url"] == (
        "http://localhost/altmark/gutshof-wiesengrund/offene-werkstatt/"
    )
    assert item["start_date"] == day(-7).isoformat()
    assert item["start_time"] == "17:00:00"
    assert item["price"] == "5.00"
    assert item["place"] == {
        "id": gutshof.pk,
        "title": "Gutshof Wiesengrund",
        "url": "http://localhost/altmark/gutshof-wiesengrund/",
    }
    assert item["rrule"].startswith("FREQ=WEEKLY;UNTIL=")
    # From today on: this week's, next week's and the one after (until day 20).
    assert item["next_dates"] == [
        {"start": at(day(offset), 17), "end": at(day(offset), 19), "all_day": False}
        for offset in (0, 7, 14)
    ]
    assert item["cancelled"] is False
    assert item["image"] is None


def test_v2_next_dates_stop_at_ten_and_all_day_dates(client, gutshof):  # noqa: F811
    publish_event(gutshof, title="Markt", start_date=day(1), start_time=None, recurrence="weekly")
    (item,) = client.get(V2_EVENTS).json()["items"]
    assert len(item["next_dates"]) == 10
    assert item["next_dates"][0] == {"start": at(day(1)), "end": at(day(2)), "all_day": True}
    assert item["rrule"] == "FREQ=WEEKLY"


def test_v2_detail_and_field_filters(client, gutshof):  # noqa: F811
    event = publish_event(gutshof, title="Lesung", cancelled=True)
    publish_event(gutshof, title="Konzert")
    detail = client.get(f"/api/v2/pages/{event.pk}/")
    assert detail.status_code == 200
    assert detail.json()["place"]["id"] == gutshof.pk
    assert detail.json()["next_dates"][0]["start"] == at(day(7), 18)
    # Boolean fields filter as in Wagtail (true/false), not only Django's True/False.
    for value, titles in (("false", ["Konzert"]), ("true", ["Lesung"]), ("0", ["Konzert"])):
        response = client.get(f"{V2_EVENTS}&cancelled={value}")
        assert response.status_code == 200, response.content
        assert [item["title"] for item in response.json()["items"]] == titles
    bad = client.get(f"{V2_EVENTS}&cancelled=vielleicht")
    assert bad.status_code == 400
    assert "ist kein gültiger Wert für cancelled" in bad.json()["message"]
    nested = client.get("/api/v2/pages/?type=events.EventPage&fields=place(title)")
    assert nested.status_code == 400
    assert nested.json()["message"] == "„place“ hat keine Unterfelder (fields)."


def test_v2_listing_query_count_does_not_grow_with_events(
    client,
    gutshof,  # noqa: F811
    home_page,
    settings,
):
    settings.PLACES_API_RESPONSE_CACHE_SECONDS = 0  # count the rendering, not a kept answer

    def count() -> tuple[int, int]:
        client.get(V2_EVENTS)  # warm-up: site root paths, the serializer class
        with CaptureQueriesContext(connection) as queries:
            response = client.get(V2_EVENTS)
        assert response.status_code == 200
        return len(queries), len(response.json()["items"])

    publish_event(gutshof, title="Erstes Fest")
    harz = RegionPageFactory(parent=home_page, title="Harz", slug="harz")
    few, items = count()
    assert items == 1
    for number in range(8):
        place = PlacePageFactory(parent=harz, title=f"Hof {number}", slug=f"hof-{number}")
        publish_event(place, title=f"Fest {number}", recurrence=Recurrence.WEEKLY)
    many, items = count()
    assert items == 9
    assert many == few, (few, many)


def test_v3_lists_events_and_shows_their_fields(client, gutshof):  # noqa: F811
    event = publish_event(gutshof, title="Hoffest", start_date=day(3), start_time=None)
    listing = client.get(V3_EVENTS)
    assert listing.status_code == 200, listing.content
    assert [item["id"] for item in listing.json()["items"]] == [event.pk]
    assert listing.json()["items"][0]["meta"]["type"] == "events.EventPage"
    detail = client.get(f"/api/v3/pages/{event.pk}/").json()
    assert detail["place"] == {
        "id": gutshof.pk,
        "title": "Gutshof Wiesengrund",
        "url": "http://localhost/altmark/gutshof-wiesengrund/",
    }
    assert detail["next_dates"] == [{"start": at(day(3)), "end": at(day(4)), "all_day": True}]
    assert detail["rrule"] is None
    schema = client.get("/api/v3/openapi.json").json()["components"]["schemas"]
    assert {"place", "next_dates", "rrule"} <= set(schema["EventPageSchema"]["properties"])


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_next_dates_move_on_at_midnight_without_a_publish(client, gutshof, clock, version):  # noqa: F811
    event = publish_event(
        gutshof,
        title="Markt",
        start_date=day(1),
        start_time=datetime.time(8),
        end_time=datetime.time(12),
        recurrence=Recurrence.WEEKLY,
    )
    url = f"/api/{version}/pages/{event.pk}/"
    tomorrow, day_after = day(1), day(2)
    clock(tomorrow, 23)
    first = client.get(url)
    assert first.json()["next_dates"][0]["start"] == at(tomorrow, 8)
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    clock(day_after, 0, 5)
    later = client.get(url, headers={"if-none-match": first["ETag"]})
    assert later.status_code == 200
    assert later.json()["next_dates"][0]["start"] == at(tomorrow + datetime.timedelta(days=7), 8)


def test_place_listings_keep_their_validators_at_midnight(client, gutshof, clock):  # noqa: F811
    url = "/api/v2/pages/?type=places.PlacePage&fields=*"
    tomorrow, day_after = day(1), day(2)
    clock(tomorrow, 23)
    etag = client.get(url)["ETag"]
    clock(day_after, 0, 5)
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304


def test_if_modified_since_gets_304_on_the_place_exports_too(client, gutshof):  # noqa: F811
    for url in ("/api/orte.geojson", "/api/orte.csv", "/api/v2/pages/?type=places.PlacePage"):
        first = client.get(url)
        again = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
        assert again.status_code == 304, url


# What no channel may show ------------------------------------------------------------------

SECRETS = (
    "ENTWURFSFEST",
    "ZURUECKGEZOGEN",
    "UNTER-ENTWURFSORT",
    "UNTER-PASSWORTORT",
    "LOGIN-FEST",
    "UNTER-ENTWURFSREGION",
    "UNTER-GESCHUETZTER-REGION",
    "NEUER-ENTWURFSTITEL",
)


@pytest.fixture
def hidden_world(gutshof, home_page):  # noqa: F811
    """One public event and one of every kind the public must never see."""
    region = gutshof.get_parent()
    public = publish_event(gutshof, title="Offenes Fest", slug="offen")
    public.title = "NEUER-ENTWURFSTITEL"
    public.save_revision()  # a newer draft of a published event

    draft = gutshof.add_child(
        instance=EventPage(
            title="ENTWURFSFEST", slug="entwurf", teaser="x", start_date=day(3), live=False
        )
    )
    draft.save_revision()
    publish_event(gutshof, title="ZURUECKGEZOGEN", slug="zurueck").unpublish()
    login = publish_event(gutshof, title="LOGIN-FEST", slug="login")
    PageViewRestriction.objects.create(page=login, restriction_type=PageViewRestriction.LOGIN)

    draft_place = PlacePageFactory(parent=region, title="Entwurfsort", slug="entwurfsort")
    publish_event(draft_place, title="UNTER-ENTWURFSORT")
    draft_place.unpublish()

    password_place = PlacePageFactory(parent=region, title="Passwortort", slug="passwortort")
    publish_event(password_place, title="UNTER-PASSWORTORT")
    PageViewRestriction.objects.create(
        page=password_place, restriction_type=PageViewRestriction.PASSWORD, password="sesam"
    )

    draft_region = RegionPageFactory(parent=home_page, title="Entwurfsregion", slug="entwurf")
    publish_event(
        PlacePageFactory(parent=draft_region, title="Hof", slug="hof"), title="UNTER-ENTWURFSREGION"
    )
    draft_region.unpublish()

    protected = RegionPageFactory(parent=home_page, title="Geschützt", slug="geschuetzt")
    publish_event(
        PlacePageFactory(parent=protected, title="Hof", slug="hof"),
        title="UNTER-GESCHUETZTER-REGION",
    )
    PageViewRestriction.objects.create(page=protected, restriction_type=PageViewRestriction.LOGIN)
    hidden = EventPage.objects.exclude(pk=public.pk)
    return {
        "public": public,
        "hidden_ids": list(hidden.values_list("pk", flat=True)),
        "hidden_places": [draft_place, password_place],
    }


CHANNELS = (
    "/api/veranstaltungen.ics",
    "/api/veranstaltungen.geojson",
    "/api/v2/pages/?type=events.EventPage&fields=*",
    "/api/v2/pages/?limit=100",
    "/api/v2/pages/?type=events.EventPage&search=fest",
    "/api/v3/pages/?type=events.EventPage&limit=100",
    "/api/v3/pages/?limit=100",
)


def test_no_channel_shows_hidden_events(client, hidden_world, admin_user):
    assert len(hidden_world["hidden_ids"]) == 7
    for logged_in in (False, True):
        if logged_in:  # a session never widens the public API
            client.force_login(admin_user)
        for url in CHANNELS:
            response = client.get(url)
            assert response.status_code == 200, (url, response.content[:300])
            body = response.content.decode()
            assert "Offenes Fest" in body or "search" in url, url
            for secret in SECRETS:
                assert secret not in body, (url, secret)
        for pk in hidden_world["hidden_ids"]:
            for url in (f"/api/v2/pages/{pk}/", f"/api/v3/pages/{pk}/"):
                assert client.get(url).status_code == 404, url
    calendar = Calendar.from_ical(client.get("/api/veranstaltungen.ics").content)
    assert [str(event["SUMMARY"]) for event in calendar.events] == ["Offenes Fest"]


def test_filters_never_reach_hidden_places_or_regions(client, hidden_world):
    for place in hidden_world["hidden_places"]:
        for query in (f"?place={place.pk}", f"?place={place.slug}"):
            for feed in ("ics", "geojson"):
                response = client.get(f"/api/veranstaltungen.{feed}{query}")
                assert response.status_code == 404, (feed, query)
    for slug in ("entwurf", "geschuetzt"):
        response = client.get(f"/api/veranstaltungen.ics?region={slug}")
        assert response.status_code == 404
        assert "UNTER-" not in response.content.decode()
