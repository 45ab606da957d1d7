"""The dates of events: one-off, multi-day, all-day and repeating (the RFC 5545 subset of
``events.models.Recurrence``), in Europe/Berlin.

The one definition of "upcoming" for every channel (place, region and event pages,
/veranstaltungen/, the iCalendar feed, the API, the static build): an occurrence is upcoming
until it ends (``Occurrence.ends``), so today's evening event is listed all afternoon and a
festival until its last day is over. Nothing here reads the database.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from dateutil import rrule as dateutil_rrule

from .models import EventPage, Recurrence

TIME_ZONE = ZoneInfo("Europe/Berlin")
#: How far ahead listings and feeds expand repeating events.
HORIZON_DAYS = 366

_ICAL_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Occurrence:
    """One date of an event. ``start``/``end`` are aware (Europe/Berlin); an all-day
    occurrence starts at midnight and ``end`` is the midnight after its last day."""

    event: EventPage
    start: datetime.datetime
    end: datetime.datetime | None
    all_day: bool

    @property
    def ends(self) -> datetime.datetime:
        """When it is over: its end; a timed event without an end at the end of its day."""
        if self.end is not None:
            return self.end
        return _at(self.start.date() + datetime.timedelta(days=1), None)

    @property
    def cancelled(self) -> bool:
        return self.event.cancelled

    @property
    def last_day(self) -> datetime.date:
        """The last day it runs on: an end at midnight belongs to the day before (all-day
        occurrences, and timed ones over several days without an end time)."""
        if self.end is None:
            return self.start.date()
        if self.end.time() == datetime.time.min and self.end.date() > self.start.date():
            return self.end.date() - datetime.timedelta(days=1)
        return self.end.date()

    @property
    def is_multi_day(self) -> bool:
        return self.last_day != self.start.date()


def local_now(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()).astimezone(TIME_ZONE)


def local_today(now: datetime.datetime | None = None) -> datetime.date:
    return local_now(now).date()


def _at(day: datetime.date, time: datetime.time | None) -> datetime.datetime:
    return datetime.datetime.combine(day, time or datetime.time.min, tzinfo=TIME_ZONE)


def _occurrence_on(event: EventPage, day: datetime.date) -> Occurrence:
    """The occurrence starting on ``day`` (the event's own span moved to that day)."""
    length = (event.end_date - event.start_date) if event.end_date else datetime.timedelta()
    last_day = day + length
    if event.is_all_day:
        return Occurrence(
            event, _at(day, None), _at(last_day + datetime.timedelta(days=1), None), True
        )
    end = _at(last_day, event.end_time) if event.end_time else None
    if end is None and event.end_date and event.end_date != event.start_date:
        end = _at(last_day + datetime.timedelta(days=1), None)
    return Occurrence(event, _at(day, event.start_time), end, False)


def first_occurrence(event: EventPage) -> Occurrence:
    """The event's first (or only) date: where a series starts (iCalendar's DTSTART/DTEND)."""
    return _occurrence_on(event, event.start_date)


def _rule(event: EventPage) -> dateutil_rrule.rrule | None:
    if not event.recurrence:
        return None
    start = datetime.datetime.combine(event.start_date, datetime.time.min)
    until = (
        datetime.datetime.combine(event.recurrence_until, datetime.time.min)
        if event.recurrence_until
        else None
    )
    by_day = {}
    if event.recurrence == Recurrence.MONTHLY_DAY:
        by_day["bymonthday"] = event.start_date.day
    elif event.recurrence == Recurrence.MONTHLY_WEEKDAY:
        weekday = dateutil_rrule.weekdays[event.start_date.weekday()]
        by_day["byweekday"] = weekday(week_of_month(event.start_date))
    elif event.recurrence != Recurrence.WEEKLY:
        raise ValueError(f"unknown recurrence {event.recurrence!r}")
    return dateutil_rrule.rrule(
        dateutil_rrule.WEEKLY if event.recurrence == Recurrence.WEEKLY else dateutil_rrule.MONTHLY,
        dtstart=start,
        interval=event.recurrence_interval or 1,
        until=until,
        **by_day,
    )


def week_of_month(day: datetime.date) -> int:
    """1 for the first Saturday of a month … 4; the fifth is "the last" (-1)."""
    week = (day.day - 1) // 7 + 1
    return -1 if week == 5 else week


def rrule(event: EventPage) -> str | None:
    """The event's RRULE value for iCalendar (``FREQ=WEEKLY;INTERVAL=2;UNTIL=…``), or None.
    ``UNTIL`` is a date for all-day events, else the end of that day in UTC (RFC 5545 3.3.10:
    UTC when DTSTART has a time zone)."""
    if not event.recurrence:
        return None
    parts = ["FREQ=WEEKLY" if event.recurrence == Recurrence.WEEKLY else "FREQ=MONTHLY"]
    if (event.recurrence_interval or 1) != 1:
        parts.append(f"INTERVAL={event.recurrence_interval}")
    if event.recurrence == Recurrence.MONTHLY_DAY:
        parts.append(f"BYMONTHDAY={event.start_date.day}")
    elif event.recurrence == Recurrence.MONTHLY_WEEKDAY:
        weekday = _ICAL_WEEKDAYS[event.start_date.weekday()]
        parts.append(f"BYDAY={week_of_month(event.start_date):+d}{weekday}")
    if event.recurrence_until:
        if event.is_all_day:
            parts.append(f"UNTIL={event.recurrence_until:%Y%m%d}")
        else:
            last_moment = _at(event.recurrence_until, datetime.time.max)
            parts.append(f"UNTIL={last_moment.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}")
    return ";".join(parts)


def start_days(event: EventPage, first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The days in ``first``–``last`` (both included) on which an occurrence starts."""
    rule = _rule(event)
    if rule is None:
        return [event.start_date] if first <= event.start_date <= last else []
    return [
        moment.date()
        for moment in rule.between(
            datetime.datetime.combine(first, datetime.time.min),
            datetime.datetime.combine(last, datetime.time.min),
            inc=True,
        )
    ]


def occurrences(
    event: EventPage, after: datetime.datetime, before: datetime.datetime
) -> list[Occurrence]:
    """The event's occurrences that are not over at ``after`` and start before ``before``."""
    length = (event.end_date - event.start_date).days if event.end_date else 0
    first = after.astimezone(TIME_ZONE).date() - datetime.timedelta(days=length + 1)
    last = before.astimezone(TIME_ZONE).date()
    found = []
    for day in start_days(event, first, last):
        occurrence = _occurrence_on(event, day)
        if occurrence.ends > after and occurrence.start < before:
            found.append(occurrence)
    return found


def upcoming(
    events: Iterable[EventPage],
    *,
    now: datetime.datetime | None = None,
    first_day: datetime.date | None = None,
    last_day: datetime.date | None = None,
    limit: int | None = None,
) -> list[Occurrence]:
    """The occurrences of ``events`` that are not over (at ``now``), sorted by start, then
    title. ``first_day``/``last_day`` narrow them to those running on any day of that
    span (a filter's „von“/„bis“); by default up to ``HORIZON_DAYS`` ahead."""
    now = local_now(now)
    after = now if first_day is None else max(now, _at(first_day, None))
    last = last_day or (now.date() + datetime.timedelta(days=HORIZON_DAYS))
    before = _at(last + datetime.timedelta(days=1), None)
    found = [o for event in events for o in occurrences(event, after, before)]
    found.sort(key=lambda o: (o.start, o.event.title, o.event.pk or 0))
    return found[:limit] if limit is not None else found
