"""Template helpers for events: dates and prices in German (``website.events``)."""

from django import template

from website import events

register = template.Library()
register.filter("event_when", events.when)
register.filter("event_price", events.price)


@register.filter
def event_datetime(occurrence) -> str:
    """The ``datetime`` attribute of the occurrence's ``<time>``: a date for a whole day."""
    if occurrence.all_day:
        return occurrence.start.date().isoformat()
    return occurrence.start.isoformat(timespec="minutes")
