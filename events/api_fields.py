"""How an event appears in the API (Wagtail API v2, reused by v3): its ``api_fields``.

Part of the model's declaration, so it lives beside it; the feeds (iCalendar, GeoJSON) are
the ``api`` app's. Dates are local (Europe/Berlin) as the editor entered them, plus the
repeat rule in RFC 5545 form (``events.occurrences.rrule``).
"""

from wagtail.api import APIField

EVENT_API_FIELDS = [
    APIField("teaser"),
    APIField("start_date"),
    APIField("start_time"),
    APIField("end_date"),
    APIField("end_time"),
    APIField("recurrence"),
    APIField("recurrence_interval"),
    APIField("recurrence_until"),
    APIField("is_free"),
    APIField("price"),
    APIField("price_note"),
    APIField("registration_url"),
    APIField("cancelled"),
]
