"""The demo's events (``content/events.json``), dated relative to the day the loader runs.

A spec's ``when`` is one of ``{"in_days": 3}`` (three days after today), ``{"next":
"tuesday"}`` (the next Tuesday after today) or ``{"first_of_month": "saturday"}`` (the next
first Saturday of a month after today, the start of a "first Saturday" series); ``days`` is
its length (2: a two-day festival), ``start``/``end`` its local times (none: all day).

Idempotent like the rest of the demo: an event is looked up by slug below its place, and an
existing one is left as it is – with one exception, so that an old demo database does not
end up with nothing but past events: a demo event that is over (no date today or later) and
that no editor has touched (every revision was saved by the loader, without a user) is moved
to fresh dates, computed from the same spec, through a new published revision. An event an
editor has saved is never changed, past or not; series without an end are never over. Its
English translation (``demo.translations``) keeps its own copy of the dates, so it moves
along with it, unless an editor has saved that one.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from events.models import EventPage
from places.models import PlacePage

from .data import EVENTS
from .site import publish
from .translations import edited_by_someone, english_version

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def first_day(when: dict, today: datetime.date) -> datetime.date:
    """The event's (first) date for a spec's ``when``, always after ``today``."""
    if "in_days" in when:
        return today + datetime.timedelta(days=when["in_days"])
    if "next" in when:
        ahead = (WEEKDAYS.index(when["next"]) - today.weekday() - 1) % 7 + 1
        return today + datetime.timedelta(days=ahead)
    if "first_of_month" in when:
        weekday = WEEKDAYS.index(when["first_of_month"])
        month = today.replace(day=1)
        while True:
            first = month + datetime.timedelta(days=(weekday - month.weekday()) % 7)
            if first > today:
                return first
            month = (month + datetime.timedelta(days=32)).replace(day=1)
    raise ValueError(f"unknown 'when' in the demo events: {when!r}")


def _time(value: str | None) -> datetime.time | None:
    return datetime.time.fromisoformat(value) if value else None


def dates(spec: dict, today: datetime.date) -> dict:
    """The date fields of an event made from ``spec`` on ``today``."""
    start = first_day(spec["when"], today)
    return {
        "start_date": start,
        "start_time": _time(spec["start"]),
        "end_date": start + datetime.timedelta(days=spec["days"] - 1) if spec["days"] > 1 else None,
        "end_time": _time(spec["end"]),
    }


def new_event(spec: dict, today: datetime.date) -> EventPage:
    return EventPage(
        title=spec["title"],
        slug=spec["slug"],
        teaser=spec["teaser"],
        description=spec["description"],
        recurrence=spec["recurrence"],
        is_free=spec["is_free"],
        price=Decimal(spec["price"]) if spec["price"] else None,
        price_note=spec["price_note"],
        registration_url=spec["registration_url"],
        cancelled=spec["cancelled"],
        live=False,
        **dates(spec, today),
    )


def _is_over(event: EventPage, today: datetime.date) -> bool:
    return not EventPage.objects.filter(pk=event.pk).not_over(today).exists()


def _move_to(event: EventPage, new_dates: dict) -> None:
    event = event.get_latest_revision_as_object()
    for name, value in new_dates.items():
        setattr(event, name, value)
    publish(event)


@dataclass
class Tally:
    """What the loader found of one kind of thing (``demo.loader.DemoResult``)."""

    created: int = 0
    existing: int = 0
    refreshed: int = 0  # events only: past demo events moved to fresh dates

    @property
    def total(self) -> int:
        return self.created + self.existing


def ensure_events(places: dict[str, PlacePage], today: datetime.date, tally: Tally) -> None:
    """Create the demo events of ``places`` (slug → page) that are missing; give fresh dates
    to past ones nobody edited (see the module docstring)."""
    for spec in EVENTS:
        place = places.get(spec["place"])
        if place is None:
            continue
        existing = EventPage.objects.child_of(place).filter(slug=spec["slug"]).first()
        if existing is None:
            event = new_event(spec, today)
            place.add_child(instance=event)
            publish(event)
            tally.created += 1
        elif _is_over(existing, today) and not edited_by_someone(existing):
            for page in filter(None, [existing, english_version(existing)]):
                if page is existing or (page.live and not edited_by_someone(page)):
                    _move_to(page.specific, dates(spec, today))
            tally.refreshed += 1
        else:
            tally.existing += 1
