"""What visitors see of events besides their own fields: the dates in German and the event
rows of the place page („Nächste Termine“), the region page („Veranstaltungen in der
Region“) and /veranstaltungen/ (``website.event_index``).

The dates come from ``events.occurrences`` (the one definition of "upcoming"); this module
selects the events (one query, their place's title and municipality joined; in English their
translations' titles: ``add_urls``) and words their dates. What a page keeps
(``website.listing.kept``) are the events' fields, under the data version and the local
date (``not_over(today)`` selects them). Their dates are computed on every request, so an
evening event leaves the list when it ends, not at the next change.
"""

import datetime
import re

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.utils import formats
from django.utils.dates import MONTHS, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from wagtail.models import Page

from core import languages
from events.models import EventPage, Recurrence
from events.occurrences import Occurrence, local_now, rrule, upcoming
from places.models import PlacePage
from website.cards import in_active_language
from website.listing import kept

#: Dates in the place page's „Nächste Termine“ and the region page's list.
PAGE_DATES = 5

#: What a row needs of an event (dates, link, price, „Fällt aus“), in this order.
ROW_FIELDS = (
    "id",
    "title",
    "slug",
    "url_path",
    "start_date",
    "start_time",
    "end_date",
    "end_time",
    "recurrence",
    "recurrence_interval",
    "recurrence_until",
    "cancelled",
    "is_free",
    "price",
    "price_note",
    "translation_key",
)
#: What a row of a list with places adds: the place's title and municipality, and the key of
#: its translations (``add_urls``).
PLACE_FIELDS = ("place_title", "place_municipality", "place_translation_key")


# --------------------------------------------------------------------------------------
# Selecting events
# --------------------------------------------------------------------------------------


def with_place_path(queryset):
    """``place_path``: the path of the event's parent (its place)."""
    return queryset.annotate(
        place_path=Substr("path", 1, Length("path") - PlacePage.steplen),
    )


def event_rows(queryset, *, with_place: bool = True) -> list[tuple]:
    """The rows (``ROW_FIELDS``, then ``PLACE_FIELDS`` with ``with_place``) of the events in
    ``queryset`` in one query; plain values, so that they can be kept in the cache."""
    fields = ROW_FIELDS
    if with_place:
        if "place_path" not in queryset.query.annotations:
            queryset = with_place_path(queryset)
        place = PlacePage.objects.filter(path=OuterRef("place_path")).order_by()
        queryset = queryset.annotate(
            place_title=Subquery(place.values("title")[:1]),
            place_municipality=Subquery(place.values("municipality")[:1]),
            place_translation_key=Subquery(place.values("translation_key")[:1]),
        )
        fields = (*ROW_FIELDS, *PLACE_FIELDS)
    return [tuple(row) for row in queryset.order_by().values_list(*fields)]


def events_from_rows(rows) -> list[EventPage]:
    """``EventPage`` objects of ``rows`` (not read from the database) for
    ``events.occurrences``, with ``place_title``, ``place_municipality`` and
    ``place_translation_key`` where the rows have them."""
    events = []
    for row in rows:
        event = EventPage(**dict(zip(ROW_FIELDS, row[: len(ROW_FIELDS)], strict=True)))
        # A row without the place's fields (``with_place=False``) sets none.
        for name, value in zip(PLACE_FIELDS, row[len(ROW_FIELDS) :], strict=False):
            setattr(event, name, value)
        events.append(event)
    return events


def add_urls(occurrences, request) -> list[Occurrence]:
    """``listed_url`` and ``place_url`` on the events of the ``occurrences`` shown (a
    listing's page of them, not all), and in another language than German the events' and
    places' titles in it (``titles_in_active_language``)."""
    added = []
    for occurrence in occurrences:
        event = occurrence.event
        if not hasattr(event, "listed_url"):
            event.listed_url = event.get_url(request)
            # The place's address is the event's without its last segment.
            event.place_url = event.listed_url and event.listed_url[: -len(event.slug) - 1]
            added.append(event)
    titles_in_active_language(added)
    return occurrences


def titles_in_active_language(events) -> None:
    """The titles of ``events`` and, in a list with places, their ``place_title`` in the
    active language: a live translation's title where there is one; else the German title,
    and ``text_language`` / ``place_text_language`` (German) for the list's ``lang``. One
    query for the events and their places (``title`` is every page's: ``Page``), none in
    German."""
    for event in events:
        event.text_language = event.place_text_language = ""  # see ``in_active_language``
    if languages.active() == languages.DEFAULT or not events:
        return
    places = {}
    for event in events:
        key = getattr(event, "place_translation_key", None)
        if key and key not in places:
            places[key] = Page(title=event.place_title, translation_key=key)
    in_active_language([*events, *places.values()], fields=("title",), model=Page)
    for event in events:
        place = places.get(getattr(event, "place_translation_key", None))
        if place is None:
            continue
        event.place_title = place.title
        event.place_text_language = place.text_language


def place_dates(place, request, *, now=None, also=None) -> tuple[list[Occurrence], dict]:
    """The next ``PAGE_DATES`` dates of ``place``'s visible events at ``now`` (default: now),
    and the values of ``also`` kept in the same cache round trip (``kept_dates``). A place
    without children has no events: no query, nothing kept."""
    key = ("place-events", place.pk)
    computations = {}
    if place.numchild:
        computations[key] = lambda today: event_rows(
            EventPage.objects.child_of(place).visible().not_over(today), with_place=False
        )
    found = kept_dates(computations, request, limit=PAGE_DATES, also=also, now=now)
    return found.pop(key, []), found


def region_dates(region, request, *, now=None) -> list[Occurrence]:
    """The next ``PAGE_DATES`` dates of the visible events below ``region``'s places."""
    key = ("region-events", region.pk)
    computations = {
        key: lambda today: event_rows(
            EventPage.objects.descendant_of(region).visible().not_over(today)
        )
    }
    return kept_dates(computations, request, limit=PAGE_DATES, now=now)[key]


def kept_dates(
    computations: dict,
    request,
    *,
    limit: int | None = None,
    first_day: datetime.date | None = None,
    last_day: datetime.date | None = None,
    also: dict | None = None,
    now: datetime.datetime | None = None,
) -> dict:
    """``{key: upcoming dates}`` (``events.occurrences.upcoming`` with ``limit``,
    ``first_day``, ``last_day``) of the event rows that ``computations`` (``{key:
    compute(today)}``) select, kept by data version and the local date in one cache round
    trip, with ``also`` (``{key: compute()}``, other kept values, returned as they are).
    ``now``: the moment the dates are for (default: now). With a ``limit``, the dates'
    events have their URLs (``add_urls``); a listing adds them to the page it shows."""
    now = local_now(now)
    today = now.date()
    wanted = {
        (*key, today.isoformat()): (lambda compute=compute: compute(today))
        for key, compute in computations.items()
    }
    values = kept({**wanted, **(also or {})}) if wanted or also else {}
    found = {key: values[key] for key in also or {}}
    for key in computations:
        rows = values[(*key, today.isoformat())]
        dates = _upcoming(
            events_from_rows(rows), now=now, first_day=first_day, last_day=last_day, limit=limit
        )
        found[key] = dates if limit is None else add_urls(dates, request)
    return found


#: Days ahead that a short list (``limit``) looks at first: a weekly series has 53 dates
#: in ``HORIZON_DAYS``, and the next five of many series lie within weeks.
_FIRST_WINDOWS = (14, 60)


def _upcoming(events, *, now, first_day, last_day, limit) -> list[Occurrence]:
    """``upcoming(events, …)``; for a short list without ``last_day``, the nearer windows
    first. The dates are sorted by start, so ``limit`` dates within a window are the first
    ``limit`` of all."""
    if limit is not None and last_day is None:
        start = max(now.date(), first_day) if first_day else now.date()
        for window in _FIRST_WINDOWS:
            near = upcoming(
                events,
                now=now,
                first_day=first_day,
                last_day=start + datetime.timedelta(days=window),
                limit=limit,
            )
            if len(near) == limit:
                return near
    return upcoming(events, now=now, first_day=first_day, last_day=last_day, limit=limit)


# --------------------------------------------------------------------------------------
# Dates and prices in the active language (German msgids)
# --------------------------------------------------------------------------------------


def _day(day: datetime.date, *, weekday: bool = True) -> str:
    """„Sa, 5. Dezember 2026“ (``weekday``) or „5. Dezember 2026“; in English „Sat, 5 December
    2026“."""
    values = {
        "weekday": WEEKDAYS_ABBR[day.weekday()],
        "day": day.day,
        "month": MONTHS[day.month],
        "year": day.year,
    }
    if weekday:
        return _("%(weekday)s, %(day)s. %(month)s %(year)s") % values
    return _("%(day)s. %(month)s %(year)s") % values


def short_day(day: datetime.date) -> str:
    """„24.12.2026“ (in English „24 December 2026“): a day in filters and notes."""
    # Translators: a date in Django's date format ("d.m.Y" = 24.12.2026, "j F Y" = 24 December
    # 2026).
    return formats.date_format(day, _("d.m.Y"))


def _time(moment) -> str:
    return f"{moment:%H:%M}"


def day_span(first: datetime.date, last: datetime.date) -> str:
    """„5.–7. Dezember 2026“, „30. November – 2. Dezember 2026“, across a new year both
    years (in English „5–7 December 2026“, „30 November – 2 December 2026“)."""
    if first.year != last.year:
        return f"{_day(first, weekday=False)} – {_day(last, weekday=False)}"
    if first.month != last.month:
        return _("%(day)s. %(month)s – %(last)s") % {
            "day": first.day,
            "month": MONTHS[first.month],
            "last": _day(last, weekday=False),
        }
    return _("%(day)s.–%(last)s") % {"day": first.day, "last": _day(last, weekday=False)}


def when(occurrence: Occurrence) -> str:
    """The occurrence's date line: „Sa, 5. Dezember 2026, 18:00–21:00 Uhr“, „Sa, 5. Dezember
    2026, ganztägig“, „5.–7. Dezember 2026“."""
    start = occurrence.start
    last = occurrence.last_day
    if occurrence.all_day:
        if last == start.date():
            return _("%(day)s, ganztägig") % {"day": _day(start.date())}
        return day_span(start.date(), last)
    end = occurrence.end
    has_end_time = end is not None and not (end.time() == datetime.time.min and last != end.date())
    values = {"day": _day(start.date()), "start": _time(start)}
    if has_end_time:
        values["end"] = _time(end)
    if last == start.date():
        if has_end_time:
            return _("%(day)s, %(start)s–%(end)s Uhr") % values
        return _("%(day)s, %(start)s Uhr") % values
    values["last"] = _day(last)
    if has_end_time:
        return _("%(day)s, %(start)s Uhr bis %(last)s, %(end)s Uhr") % values
    return _("%(day)s, %(start)s Uhr bis %(last)s") % values


_ORDINALS = {
    1: gettext_noop("ersten"),
    2: gettext_noop("zweiten"),
    3: gettext_noop("dritten"),
    4: gettext_noop("vierten"),
    5: gettext_noop("fünften"),
    6: gettext_noop("sechsten"),
    7: gettext_noop("siebten"),
    8: gettext_noop("achten"),
    9: gettext_noop("neunten"),
    10: gettext_noop("zehnten"),
    11: gettext_noop("elften"),
    12: gettext_noop("zwölften"),
    -1: gettext_noop("letzten"),
}
_BYDAY = re.compile(r"BYDAY=([+-]?\d)")


def _event_times(event: EventPage) -> str:
    if event.start_time is None:
        return _("ganztägig")
    values = {"start": _time(event.start_time)}
    if event.end_time is not None:
        return _("%(start)s–%(end)s Uhr") % {**values, "end": _time(event.end_time)}
    return _("%(start)s Uhr") % values


def repeats(event: EventPage) -> str:
    """How a series repeats: „jeden Samstag, 18:00–21:00 Uhr“, „jeden ersten Samstag im
    Monat, ganztägig“, „jeden Monat am 15., 10:00 Uhr, bis 30. Juni 2027“; "" for a one-off
    event."""
    if not event.is_recurring:
        return ""
    interval = event.recurrence_interval or 1
    values = {
        "weekday": WEEKDAYS[event.start_date.weekday()],
        "day": event.start_date.day,
        "count": interval,
    }
    if event.recurrence == Recurrence.WEEKLY:
        if interval == 1:
            text = _("jeden %(weekday)s") % values
        else:
            text = _("jeden %(nth)s %(weekday)s") % {**values, "nth": _(_ORDINALS[interval])}
    elif event.recurrence == Recurrence.MONTHLY_WEEKDAY:
        # The week of the month as the series' rule counts it (5th = the last).
        week = int(_BYDAY.search(rrule(event)).group(1))
        text = _("jeden %(nth)s %(weekday)s im Monat") % {**values, "nth": _(_ORDINALS[week])}
        if interval > 1:
            text += _(", alle %(count)s Monate") % values
    elif interval == 1:
        text = _("jeden Monat am %(day)s.") % values
    else:
        text = _("alle %(count)s Monate am %(day)s.") % values
    text = f"{text}, {_event_times(event)}"
    if event.recurrence_until:
        text += _(", bis %(day)s") % {"day": _day(event.recurrence_until, weekday=False)}
    return text


def price(event: EventPage) -> str:
    """„Eintritt frei“, „12,50 €“, „1.250 €“ (in English "€12.50"; "" without a price)."""
    if is_free(event):
        return _("Eintritt frei")
    if event.price is None:
        return ""
    digits = 0 if event.price == event.price.to_integral_value() else 2
    amount = formats.number_format(event.price, digits, use_l10n=True, force_grouping=True)
    # The pattern's spaces are no-break spaces: „12,50 €“ never breaks before the „€“.
    return _("%(amount)s €").replace(" ", "\u00a0") % {"amount": amount}


def is_free(event: EventPage) -> bool:
    """„Eintritt frei“ ticked, or a price of 0."""
    return event.is_free or (event.price is not None and not event.price)
