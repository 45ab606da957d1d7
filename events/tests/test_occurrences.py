"""The dates of events (``events.occurrences``): no database needed, unsaved pages."""

import datetime

import pytest

from events.models import EventPage, Recurrence
from events.occurrences import TIME_ZONE, rrule, start_days, upcoming

# Wagtail reads the default locale when a page is made.
pytestmark = pytest.mark.django_db


def event(**fields):
    defaults = {"title": "Hoffest", "start_date": datetime.date(2026, 12, 5), "pk": 1}
    return EventPage(**{**defaults, **fields})


def at(*args):
    return datetime.datetime(*args, tzinfo=TIME_ZONE)


def test_a_timed_event_is_upcoming_until_it_ends():
    hoffest = event(start_time=datetime.time(18), end_time=datetime.time(21))
    assert [o.start for o in upcoming([hoffest], now=at(2026, 12, 5, 20))] == [at(2026, 12, 5, 18)]
    assert upcoming([hoffest], now=at(2026, 12, 5, 21, 1)) == []


def test_a_timed_event_without_an_end_is_listed_for_the_rest_of_its_day():
    talk = event(start_time=datetime.time(18))
    assert len(upcoming([talk], now=at(2026, 12, 5, 23, 59))) == 1
    assert upcoming([talk], now=at(2026, 12, 6, 0, 0)) == []


def test_an_all_day_festival_lasts_until_its_last_day_is_over():
    festival = event(end_date=datetime.date(2026, 12, 7))
    (occurrence,) = upcoming([festival], now=at(2026, 12, 7, 23))
    assert occurrence.all_day and occurrence.is_multi_day
    assert occurrence.end == at(2026, 12, 8)
    assert occurrence.last_day == datetime.date(2026, 12, 7)
    assert upcoming([festival], now=at(2026, 12, 8)) == []


def test_a_timed_event_over_days_without_an_end_time_ends_on_its_last_day():
    camp = event(start_time=datetime.time(10), end_date=datetime.date(2026, 12, 6))
    (occurrence,) = upcoming([camp], now=at(2026, 12, 5, 12))
    assert occurrence.end == at(2026, 12, 7)
    assert occurrence.last_day == datetime.date(2026, 12, 6)
    assert occurrence.is_multi_day


def test_a_weekly_event_keeps_its_local_time_across_summer_time():
    market = event(
        start_date=datetime.date(2027, 3, 20),
        start_time=datetime.time(9),
        recurrence=Recurrence.WEEKLY,
        recurrence_until=datetime.date(2027, 4, 3),
    )
    starts = [o.start for o in upcoming([market], now=at(2027, 3, 1))]
    assert starts == [at(2027, 3, 20, 9), at(2027, 3, 27, 9), at(2027, 4, 3, 9)]
    # 8:00 UTC in winter, 7:00 UTC in summer: the wall clock stays at 9.
    assert [s.astimezone(datetime.UTC).hour for s in starts] == [8, 8, 7]


def test_monthly_on_the_first_saturday_and_every_second_week():
    # 2026-12-05 is the first Saturday of December.
    market = event(recurrence=Recurrence.MONTHLY_WEEKDAY)
    days = start_days(market, datetime.date(2026, 12, 1), datetime.date(2027, 3, 31))
    assert days == [
        datetime.date(2026, 12, 5),
        datetime.date(2027, 1, 2),
        datetime.date(2027, 2, 6),
        datetime.date(2027, 3, 6),
    ]
    cowork = event(recurrence=Recurrence.WEEKLY, recurrence_interval=2)
    days = start_days(cowork, datetime.date(2026, 12, 1), datetime.date(2026, 12, 31))
    assert days == [datetime.date(2026, 12, 5), datetime.date(2026, 12, 19)]


def test_filters_by_days_and_limit():
    weekly = event(recurrence=Recurrence.WEEKLY, start_time=datetime.time(10))
    found = upcoming(
        [weekly],
        now=at(2026, 12, 1),
        first_day=datetime.date(2026, 12, 10),
        last_day=datetime.date(2026, 12, 31),
    )
    assert [o.start.date() for o in found] == [
        datetime.date(2026, 12, 12),
        datetime.date(2026, 12, 19),
        datetime.date(2026, 12, 26),
    ]
    assert len(upcoming([weekly], now=at(2026, 12, 1), limit=2)) == 2


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, None),
        ({"recurrence": Recurrence.WEEKLY, "recurrence_interval": 2}, "FREQ=WEEKLY;INTERVAL=2"),
        ({"recurrence": Recurrence.MONTHLY_DAY}, "FREQ=MONTHLY;BYMONTHDAY=5"),
        (
            {"recurrence": Recurrence.MONTHLY_WEEKDAY, "start_date": datetime.date(2026, 12, 29)},
            "FREQ=MONTHLY;BYDAY=-1TU",
        ),
        (
            {
                "recurrence": Recurrence.WEEKLY,
                "recurrence_until": datetime.date(2027, 1, 30),
                "start_time": datetime.time(18),
            },
            "FREQ=WEEKLY;UNTIL=20270130T225959Z",
        ),
        (
            {"recurrence": Recurrence.WEEKLY, "recurrence_until": datetime.date(2027, 1, 30)},
            "FREQ=WEEKLY;UNTIL=20270130",
        ),
    ],
)
def test_rrule_text(fields, expected):
    assert rrule(event(**fields)) == expected
