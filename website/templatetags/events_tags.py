"""Template helpers for events: dates and prices in German (``website.events``)."""

from django import template

from website import events

register = template.Library()


@register.filter
def event_when(occurrence) -> str:
    """„Sa, 5. Dezember 2026, 18:00–21:00 Uhr“."""
    return events.when(occurrence)


@register.filter
def event_datetime(occurrence) -> str:
    """The ``datetime`` attribute of the occurrence's ``<time>``: a date for a whole day."""
    if occurrence.all_day:
        return occurrence.start.date().isoformat()
    return occurrence.start.isoformat(timespec="minutes")


@register.filter
def event_price(event) -> str:
    """„Eintritt frei“, „12,50 €“ or ""."""
    return events.price(event)
