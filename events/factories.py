"""Test factories for events. An event needs a place as its parent:
``EventPageFactory(parent=place)``; by default it is live, one-off, next week at 18:00."""

import datetime

import wagtail_factories

import factory

from .models import EventPage
from .occurrences import local_today


class EventPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Hoffest {n}")
    slug = factory.Sequence(lambda n: f"hoffest-{n}")
    teaser = "Musik, Kuchen und offene Werkstätten auf dem Hof."
    start_date = factory.LazyFunction(lambda: local_today() + datetime.timedelta(days=7))
    start_time = datetime.time(18)

    class Meta:
        model = EventPage
