"""How an event appears in the API (Wagtail API v2, reused by v3): its ``api_fields``.

Part of the model's declaration, so it lives beside it; the feeds (iCalendar, GeoJSON) are
the ``api`` app's. Dates are local (Europe/Berlin) as the editor entered them, plus three
computed fields:

* ``place``: ``{"id", "title", "url"}`` of the place the event is at (its parent page);
* ``next_dates``: up to ``NEXT_DATES`` dates from today on, ``[{"start", "end",
  "all_day"}]`` (ISO 8601 with offset; an all-day date ends at the midnight after it);
* ``rrule``: the repeat rule in RFC 5545 form (``events.occurrences.rrule``), or null.

They are computed by the ``api`` app through the hook ``EVENT_API_VALUES_HOOK``
(``api/wagtail_hooks.py``): ``events.occurrences`` imports this app's models, which import
this module while the model is being defined, so the dates cannot be computed here. A v2
listing computes them for all its events at once into the serializer context
(``CONTEXT_KEY``); a single page (v2, v3) asks the hook for its own.
"""

from wagtail import hooks
from wagtail.api import APIField

from rest_framework.fields import Field

from places.api_fields import ImageField

#: Wagtail hook: ``fn(events, request) -> {event pk: {"place", "next_dates", "rrule"}}``.
EVENT_API_VALUES_HOOK = "event_api_values"
#: The serializer context's ``{event pk: values}`` of a whole listing.
CONTEXT_KEY = "_event_api_values"
#: How many dates ``next_dates`` lists at most.
NEXT_DATES = 10


class ComputedField(Field):
    """One of the computed values (see the module's docstring)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, event):
        # The listing's values, else the hook's.
        context = self.context or {}
        listing = context.get(CONTEXT_KEY)
        if listing is not None and event.pk in listing:
            return listing[event.pk].get(self.field_name)
        for compute in hooks.get_hooks(EVENT_API_VALUES_HOOK):
            return compute([event], context.get("request")).get(event.pk, {}).get(self.field_name)
        return None


class NextDatesField(ComputedField):
    def to_representation(self, event) -> list[dict]:
        return super().to_representation(event) or []


EVENT_API_FIELDS = [
    APIField("teaser"),
    APIField("start_date"),
    APIField("start_time"),
    APIField("end_date"),
    APIField("end_time"),
    APIField("recurrence"),
    APIField("recurrence_interval"),
    APIField("recurrence_until"),
    APIField("rrule", serializer=ComputedField()),
    APIField("next_dates", serializer=NextDatesField()),
    APIField("place", serializer=ComputedField()),
    APIField("description"),
    APIField("image", serializer=ImageField()),
    APIField("is_free"),
    APIField("price"),
    APIField("price_note"),
    APIField("registration_url"),
    APIField("cancelled"),
]
