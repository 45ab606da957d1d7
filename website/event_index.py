"""/veranstaltungen/: the upcoming dates of every visible event, filtered by the place's
``region`` and ``category`` (``places.queries``, the same values and messages as /orte/)
and by the days ``von``/``bis`` (``TT.MM.JJJJ`` or ``JJJJ-MM-TT``), 30 dates a page.

A plain GET form, no JavaScript needed. Bad input is a German message with status 400, never
a 500. The events' rows and the form's choices are kept by data version and local date
(``website.events.kept_dates``); the dates are computed on every request, so a date that is
over leaves the list at once (the page cache keeps an answer ``PAGE_CACHE_SECONDS`` at most).
"""

import datetime
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core import languages
from core.middleware import uses_wagtail_site
from events.models import EventPage
from events.occurrences import HORIZON_DAYS, local_today
from places.models import Category, PlacePage, taxonomy_label
from places.queries import FilterError, parse_place_filters
from places.regions import visible_regions
from website.events import (
    add_urls,
    event_rows,
    kept_dates,
    short_day,
    with_place_path,
)
from website.listing import (
    read_parameters,
    selected_values,
    shows_another_page,
)

PER_PAGE = 30
PATH = "/veranstaltungen/"
CALENDAR_PATH = "/api/veranstaltungen.ics"
PLACE_PARAMETERS = ("region", "category")
DAY_PARAMETERS = ("von", "bis")

_GERMAN_DAY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_day(raw: str) -> datetime.date:
    """``24.12.2026``, ``24.12.2026`` with single digits (``1.5.2027``) or ``2026-12-24``."""
    text = raw.strip()
    if german := _GERMAN_DAY.match(text):
        day, month, year = (int(part) for part in german.groups())
    elif iso := _ISO_DAY.match(text):
        year, month, day = (int(part) for part in iso.groups())
    else:
        raise ValueError(text)
    return datetime.date(year, month, day)  # ValueError for 31.02.


@dataclass
class EventListFilters:
    regions: list = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    first_day: datetime.date | None = None
    last_day: datetime.date | None = None
    #: The requested ``bis`` when it lay past what is shown (``HORIZON_DAYS`` ahead).
    cut_at: datetime.date | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.regions or self.categories or self.first_day or self.last_day)

    def as_pairs(self) -> list[tuple[str, str]]:
        pairs = [("region", region.slug) for region in self.regions]
        pairs += [("category", slug) for slug in self.categories]
        if self.first_day:
            pairs.append(("von", self.first_day.isoformat()))
        if self.last_day:
            pairs.append(("bis", (self.cut_at or self.last_day).isoformat()))
        return pairs


def parse_event_list_filters(get, today: datetime.date) -> EventListFilters:
    """The filters from a request's ``GET``; ``FilterError`` with one German message per bad
    parameter."""
    errors = {}
    filters = EventListFilters()
    try:
        place_filters = parse_place_filters(read_parameters(get, PLACE_PARAMETERS))
    except FilterError as exc:
        errors.update(exc.errors)
    else:
        filters.regions = place_filters.regions
        filters.categories = place_filters.categories
    days = {}
    for name in DAY_PARAMETERS:
        raw = (get.get(name) or "").strip()
        if not raw:
            continue
        try:
            days[name] = parse_day(raw)
        except ValueError:
            errors[name] = _(
                "„%(name)s“: „%(value)s“ ist kein Datum. Bitte so angeben: 24.12.2026."
            ) % {"name": name, "value": raw[:40]}
    first, last = days.get("von"), days.get("bis")
    if first and last and last < first:
        errors["bis"] = _("„bis“ (%(last)s) liegt vor „von“ (%(first)s).") % {
            "last": short_day(last),
            "first": short_day(first),
        }
    if errors:
        raise FilterError(errors)
    horizon = today + datetime.timedelta(days=HORIZON_DAYS)
    filters.first_day = first
    if last and last > horizon:
        filters.cut_at, last = last, horizon
    filters.last_day = last
    return filters


def _events(filters: EventListFilters, today: datetime.date):
    """The visible events that may have a date in the filters' span."""
    from_day = max(today, filters.first_day) if filters.first_day else today
    queryset = with_place_path(EventPage.objects.all()).visible().not_over(from_day)
    if filters.regions:
        below = Q()
        for region in filters.regions:
            below |= Q(path__startswith=region.path)
        queryset = queryset.filter(below)
    if filters.categories:
        places = PlacePage.objects.filter(
            pk__in=PlacePage.categories.through.objects.filter(
                category__slug__in=filters.categories
            ).values("placepage_id")
        )
        queryset = queryset.filter(place_path__in=places.values("path"))
    if filters.last_day:
        queryset = queryset.filter(start_date__lte=filters.last_day)
    return queryset


def _choices() -> dict:
    """The form's regions and fields, the fields' names in the active language (kept under
    a key with the language)."""
    fields = Category.objects.order_by("sort_order", "name").values_list("slug", "name", "name_en")
    return {
        "region": list(visible_regions().order_by("title").values_list("slug", "title")),
        "category": [(slug, taxonomy_label(name, name_en)) for slug, name, name_en in fields],
    }


def _selected(get) -> dict:
    """The form's values as the visitor sent them (also when they are wrong)."""
    selected = {name: selected_values(get, name) for name in PLACE_PARAMETERS}
    for name in DAY_PARAMETERS:
        raw = (get.get(name) or "").strip()
        try:
            selected[name] = parse_day(raw).isoformat() if raw else ""
        except ValueError:
            selected[name] = ""
    return selected


def calendar_url(filters: EventListFilters | None) -> str:
    """The iCalendar feed (``api``) for the same regions; it has no other filters."""
    regions = [("region", region.slug) for region in filters.regions] if filters else []
    return f"{CALENDAR_PATH}?{urlencode(regions)}" if regions else CALENDAR_PATH


@uses_wagtail_site
@require_safe
def event_index(request):
    today = local_today()
    selected = _selected(request.GET)
    try:
        filters = parse_event_list_filters(request.GET, today)
    except FilterError as exc:
        filters, errors = None, exc.errors
    else:
        errors = {}
    choices_key = ("event-choices", languages.active())
    # The requested days name the rows; the days shown follow from them and the local date,
    # which names every kept value of ``kept_dates``.
    rows_key = ("event-index", *(filters.as_pairs() if filters else ()))
    found = kept_dates(
        {rows_key: lambda day: event_rows(_events(filters, day))} if filters else {},
        request,
        first_day=filters.first_day if filters else None,
        last_day=filters.last_day if filters else None,
        also={choices_key: _choices},
    )
    dates = found.get(rows_key, [])
    requested_page = request.GET.get("page")
    page_obj = Paginator(dates, PER_PAGE).get_page(requested_page)
    add_urls(page_obj.object_list, request)
    query_string = urlencode(filters.as_pairs()) if filters else ""
    choices = found[choices_key]
    context = {
        "errors": errors,
        "filters": filters,
        "selected": selected,
        "choices": choices,
        "page_obj": page_obj,
        "dates": page_obj.object_list,
        "count": len(dates),
        "query_string": query_string,
        "is_filtered": bool(errors) or bool(filters and not filters.is_empty),
        "active_labels": _active_labels(filters, choices),
        "calendar_url": calendar_url(filters),
        "canonical_url": request.build_absolute_uri(PATH),
        "nav_current": "veranstaltungen",
    }
    response = TemplateResponse(
        request, "events/event_index.html", context, status=400 if errors else 200
    )
    if shows_another_page(requested_page, page_obj):
        response["Cache-Control"] = "no-store"
    return response


def _active_labels(filters: EventListFilters | None, choices: dict) -> list[str]:
    if filters is None:
        return []
    names = dict(choices["category"])
    labels = [region.title for region in filters.regions]
    labels += [str(names.get(slug, slug)) for slug in filters.categories]
    if filters.first_day:
        labels.append(_("ab %(day)s") % {"day": short_day(filters.first_day)})
    if filters.last_day:
        labels.append(_("bis %(day)s") % {"day": short_day(filters.cut_at or filters.last_day)})
    return labels
