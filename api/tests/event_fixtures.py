"""Events for the API tests, published through revisions as editors publish them, and a
clock the views read (``django.utils.timezone.now``) that a test can move."""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

import pytest

from events.models import EventPage
from events.occurrences import TIME_ZONE, local_today
from places.factories import PlacePageFactory


def day(offset: int) -> datetime.date:
    """Today (Europe/Berlin) plus ``offset`` days."""
    return local_today() + datetime.timedelta(days=offset)


def publish_event(place, **fields) -> EventPage:
    """A published event below ``place``: by default next week at 18:00."""
    data = {
        "title": "Hoffest",
        "teaser": "Musik, Kuchen und offene Werkstätten.",
        "start_date": day(7),
        "start_time": datetime.time(18),
        **fields,
    }
    data.setdefault("slug", slugify(data["title"]))
    event = place.add_child(instance=EventPage(**data))
    event.save_revision().publish()
    event.refresh_from_db()
    return event


@pytest.fixture
def gutshof(region):
    """A published place with an address and a point."""
    place = PlacePageFactory(
        parent=region,
        title="Gutshof Wiesengrund",
        slug="gutshof-wiesengrund",
        street="Dorfstraße 1",
        postcode="29410",
        municipality="Salzwedel",
        latitude=Decimal("52.850000"),
        longitude=Decimal("11.150000"),
    )
    place.save_revision().publish()
    place.refresh_from_db()
    return place


@pytest.fixture
def clock(monkeypatch):
    """``clock(date, hour)`` moves the time the views read to that local moment."""

    def move(date: datetime.date, hour: int = 12, minute: int = 0):
        moment = datetime.datetime.combine(date, datetime.time(hour, minute), tzinfo=TIME_ZONE)
        monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(datetime.UTC))

    return move
