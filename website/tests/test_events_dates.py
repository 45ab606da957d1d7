"""Dates, repeats and prices of events in German (``website.events``), on unsaved pages."""

import datetime
from decimal import Decimal

import pytest

from events.models import EventPage, Recurrence
from events.occurrences import TIME_ZONE, upcoming
from website.events import day_span, price, repeats, when

# Wagtail reads the page's content type when a page is made.
pytestmark = pytest.mark.django_db

SATURDAY = datetime.date(2026, 12, 5)


def event(**fields) -> EventPage:
    return EventPage(**{"title": "Hoffest", "start_date": SATURDAY, "pk": 1, **fields})


def first(page: EventPage):
    now = datetime.datetime.combine(page.start_date, datetime.time.min, tzinfo=TIME_ZONE)
    return upcoming([page], now=now, limit=1)[0]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"start_time": datetime.time(18), "end_time": datetime.time(21)},
            "Sa, 5. Dezember 2026, 18:00–21:00 Uhr",
        ),
        ({"start_time": datetime.time(9, 30)}, "Sa, 5. Dezember 2026, 09:30 Uhr"),
        ({}, "Sa, 5. Dezember 2026, ganztägig"),
        ({"end_date": datetime.date(2026, 12, 7)}, "5.–7. Dezember 2026"),
        ({"end_date": datetime.date(2027, 1, 2)}, "5. Dezember 2026 – 2. Januar 2027"),
        (
            {
                "start_time": datetime.time(18),
                "end_date": datetime.date(2026, 12, 6),
                "end_time": datetime.time(14),
            },
            "Sa, 5. Dezember 2026, 18:00 Uhr bis So, 6. Dezember 2026, 14:00 Uhr",
        ),
        # Over several days without an end time: until the end of the last day.
        (
            {"start_time": datetime.time(18), "end_date": datetime.date(2026, 12, 6)},
            "Sa, 5. Dezember 2026, 18:00 Uhr bis So, 6. Dezember 2026",
        ),
    ],
)
def test_the_date_line_of_one_date(fields, expected):
    assert when(first(event(**fields))) == expected


def test_a_span_across_months():
    assert day_span(datetime.date(2026, 11, 30), datetime.date(2026, 12, 2)) == (
        "30. November – 2. Dezember 2026"
    )


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {
                "recurrence": Recurrence.WEEKLY,
                "start_time": datetime.time(18),
                "end_time": datetime.time(21),
            },
            "jeden Samstag, 18:00–21:00 Uhr",
        ),
        (
            {"recurrence": Recurrence.WEEKLY, "recurrence_interval": 2},
            "jeden zweiten Samstag, ganztägig",
        ),
        (
            {"recurrence": Recurrence.MONTHLY_WEEKDAY, "start_time": datetime.time(10)},
            "jeden ersten Samstag im Monat, 10:00 Uhr",
        ),
        (
            {
                "recurrence": Recurrence.MONTHLY_WEEKDAY,
                "start_date": datetime.date(2027, 1, 30),
                "recurrence_interval": 3,
            },
            "jeden letzten Samstag im Monat, alle 3 Monate, ganztägig",
        ),
        (
            {
                "recurrence": Recurrence.MONTHLY_DAY,
                "start_date": datetime.date(2026, 12, 15),
                "start_time": datetime.time(19),
                "recurrence_until": datetime.date(2027, 6, 30),
            },
            "jeden Monat am 15., 19:00 Uhr, bis 30. Juni 2027",
        ),
        (
            {"recurrence": Recurrence.MONTHLY_DAY, "recurrence_interval": 2},
            "alle 2 Monate am 5., ganztägig",
        ),
        ({}, ""),
    ],
)
def test_how_a_series_repeats(fields, expected):
    assert repeats(event(**fields)) == expected


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"is_free": True}, "Eintritt frei"),
        ({"price": Decimal("0.00")}, "Eintritt frei"),
        ({"price": Decimal("12.50")}, "12,50\u00a0€"),
        ({"price": Decimal("12.00")}, "12\u00a0€"),
        ({"price": Decimal("1250.5")}, "1.250,50\u00a0€"),
        ({}, ""),
    ],
)
def test_prices(fields, expected):
    assert price(event(**fields)) == expected
