"""The event page: breadcrumb, date line, repeats and next dates, „Fällt aus“, price,
registration, the place's address, and the schema.org ``Event`` JSON-LD checked against the
property table of ``test_json_ld``."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from core.factories import CustomImageFactory
from events.models import Recurrence
from events.occurrences import local_now
from website.tests.event_pages import days, json_ld_blocks, make_event, text
from website.tests.test_json_ld import violations

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
WEEKDAY_NAMES = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September")
MONTHS += ("Oktober", "November", "Dezember")


def german(day: datetime.date) -> str:
    return f"{WEEKDAYS[day.weekday()]}, {day.day}. {MONTHS[day.month - 1]} {day.year}"


def at(day: datetime.date, hour: int) -> str:
    """``day`` at ``hour`` o'clock in Berlin, as ISO 8601 with its offset."""
    return datetime.datetime.combine(day, datetime.time(hour), BERLIN).isoformat()


@pytest.fixture
def place(place):
    place.street = "Dorfstraße 1"
    place.postcode = "39615"
    place.municipality = "Seehausen"
    place.save()
    return place


def page(client, event):
    response = client.get(event.url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_one_off_event_shows_its_date_place_price_and_registration(client, place):
    day = days(10)
    event = make_event(
        place,
        price=Decimal("12.50"),
        price_note="ermäßigt 5 €",
        registration_url="https://anmeldung.example.org/hoffest",
        start_date=day,
    )
    html = page(client, event)
    shown = text(html)
    assert "Start › Altmark › Gutshof Wiesengrund › Hoffest" in shown
    assert f'href="{place.url}"' in html and 'href="/altmark/"' in html
    assert f"{german(day)}, 18:00–21:00 Uhr" in shown
    assert "Eintritt 12,50 € ermäßigt 5 €" in shown
    assert 'href="https://anmeldung.example.org/hoffest"' in html
    assert "Dorfstraße 1 39615 Seehausen" in shown
    assert f'href="/api/veranstaltungen.ics?place={place.pk}"' in html
    assert "Fällt aus" not in shown and "bereits stattgefunden" not in shown

    (data,) = json_ld_blocks(html)
    assert violations(data) == []
    (event_data,) = data
    assert event_data["@type"] == "Event"
    assert event_data["name"] == "Hoffest"
    assert event_data["url"] == f"http://testserver{event.url}"
    assert event_data["startDate"] == at(day, 18)
    assert event_data["endDate"] == at(day, 21)
    assert event_data["eventStatus"] == "https://schema.org/EventScheduled"
    assert event_data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    location = event_data["location"]
    assert location["@type"] == "Place" and location["name"] == "Gutshof Wiesengrund"
    assert location["url"] == f"http://testserver{place.url}"
    assert location["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "Dorfstraße 1",
        "postalCode": "39615",
        "addressLocality": "Seehausen",
        "addressRegion": "Altmarkkreis Salzwedel",
        "addressCountry": "DE",
    }
    assert location["geo"] == {"@type": "GeoCoordinates", "latitude": 52.85, "longitude": 11.15}
    assert event_data["offers"] == {
        "@type": "Offer",
        "price": "12.50",
        "priceCurrency": "EUR",
        "url": "https://anmeldung.example.org/hoffest",
        "description": "ermäßigt 5 €",
    }
    assert "isAccessibleForFree" not in event_data


def test_a_cancelled_free_event_says_so_everywhere(client, place):
    event = make_event(place, cancelled=True, is_free=True, registration_url="https://x.example")
    html = page(client, event)
    shown = text(html)
    assert "Fällt aus" in shown and "Diese Veranstaltung fällt aus." in shown
    assert "Eintritt frei" in shown
    assert "Zur Anmeldung" not in shown  # nothing to register for
    ((data,),) = json_ld_blocks(html)
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert data["offers"]["price"] == 0 and data["offers"]["priceCurrency"] == "EUR"
    assert data["isAccessibleForFree"] is True
    assert violations([data]) == []


def test_an_all_day_festival_over_days_has_dates_without_times(client, place):
    first, last = days(20), days(22)
    event = make_event(place, start_date=first, start_time=None, end_time=None, end_date=last)
    html = page(client, event)
    if first.month == last.month:
        assert f"{first.day}.–{last.day}. {MONTHS[last.month - 1]} {last.year}" in text(html)
    ((data,),) = json_ld_blocks(html)
    assert data["startDate"] == first.isoformat()
    assert data["endDate"] == last.isoformat()


def test_a_weekly_series_lists_its_next_dates_and_marks_up_each(client, place):
    start = days(-14)  # began two weeks ago, goes on every week
    event = make_event(place, title="Coworking-Tag", start_date=start, recurrence=Recurrence.WEEKLY)
    html = page(client, event)
    shown = text(html)
    assert f"Jeden {WEEKDAY_NAMES[start.weekday()]}, 18:00–21:00 Uhr" in shown
    assert "Nächste Termine" in shown
    # Today's date is listed until it ends at 21:00.
    first_shown = days(0) if local_now().time() < datetime.time(21) else days(7)
    upcoming_days = [first_shown + datetime.timedelta(weeks=week) for week in range(10)]
    for day in upcoming_days[:6]:
        assert f'id="termin-{day.isoformat()}"' in html
        assert f"{german(day)}, 18:00–21:00 Uhr" in shown
    assert f'id="termin-{upcoming_days[6].isoformat()}"' not in html  # six are listed
    assert f"{german(start)}," not in shown  # past dates are not

    (data,) = json_ld_blocks(html)
    assert violations(data) == []
    assert len(data) == 10
    starts = [item["startDate"][:10] for item in data]
    assert starts == [day.isoformat() for day in upcoming_days[:10]]
    assert len({item["url"] for item in data}) == 10
    assert data[1]["url"] == f"http://testserver{event.url}#termin-{upcoming_days[1].isoformat()}"


def test_a_monthly_series_names_its_weekday_of_the_month(client, place):
    # The first of the month's weekday, next month.
    today = days(0)
    first = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=3)
    event = make_event(place, start_date=first, recurrence=Recurrence.MONTHLY_WEEKDAY)
    shown = text(page(client, event))
    assert f"Jeden ersten {WEEKDAY_NAMES[first.weekday()]} im Monat, 18:00–21:00 Uhr" in shown


def test_a_past_event_still_shows_its_date_and_says_it_is_over(client, place):
    day = days(-3)
    event = make_event(place, start_date=day, registration_url="https://x.example")
    html = page(client, event)
    shown = text(html)
    assert f"{german(day)}, 18:00–21:00 Uhr" in shown
    assert "Diese Veranstaltung hat bereits stattgefunden." in shown
    assert "Zur Anmeldung" not in shown
    ((data,),) = json_ld_blocks(html)
    assert data["startDate"].startswith(day.isoformat())


def test_the_events_image_is_its_figure_and_its_shared_image(client, place, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = CustomImageFactory(credit="Foto: Hofverein")
    event = make_event(place, image=image)
    html = page(client, event)
    assert "Foto: Hofverein" in html
    ((data,),) = json_ld_blocks(html)
    assert data["image"][0].startswith("http://testserver/media/images/")
    assert f'<meta property="og:image" content="{data["image"][0]}">' in html


def test_the_header_links_to_the_events(client, place):
    html = page(client, make_event(place))
    assert 'href="/veranstaltungen/"' in html
