"""The event queryset: what the public may see, and which events can still take place."""

import datetime

from django.db.models import Q

from wagtail.models import PageManager
from wagtail.query import PageQuerySet

from core.visibility import visible_q


class EventQuerySet(PageQuerySet):
    def visible(self):
        """What the public may see (``core.visibility``): live, no view restriction at or
        above, nothing unpublished above (an unpublished place hides its events)."""
        return self.filter(visible_q())

    def not_over(self, today: datetime.date):
        """Events that may have a date on or after ``today`` (Europe/Berlin): one-off events
        ending today or later, series without an end or ending today or later. The exact
        dates are ``events.occurrences``'s job; this only keeps old events out of the query."""
        one_off = Q(recurrence="") & (
            Q(end_date__gte=today) | Q(end_date__isnull=True, start_date__gte=today)
        )
        series = ~Q(recurrence="") & (
            Q(recurrence_until__isnull=True) | Q(recurrence_until__gte=today)
        )
        return self.filter(one_off | series)

    def for_listing(self):
        """What an event row needs: its image and its place (the parent page)."""
        return self.select_related("image").defer_streamfields()


EventManager = PageManager.from_queryset(EventQuerySet)
