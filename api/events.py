"""Events for machines: which events the feeds show, their places, and the computed values
of the events' API fields (``events.api_fields``), each in a fixed number of queries.

The feeds (``api.event_feeds``) show the visible events with a date from today on
(Europe/Berlin) up to ``events.occurrences.HORIZON_DAYS`` ahead, as ``events.occurrences``
defines them, filtered by ``region`` and ``place``, each answer for a whole local day
(``api.http.day_start``).

``locale=en`` (``api.locale``) shows the same events with their live English translations'
texts and their places' (where translated) and every address under ``/en/``.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from wagtail.models import Page

from core.languages import DEFAULT
from core.query_keys import encode
from events.api_fields import NEXT_DATES
from events.models import EventPage
from events.occurrences import Occurrence, rrule, upcoming
from places.models import PlacePage
from places.queries import FilterError
from places.regions import region_for_path, visible_region_map, visible_regions

from .data import PublicUrls, taxonomy_by_place
from .http import day_start
from .locale import PARAMETER as LOCALE_PARAMETER
from .locale import (
    LocaleError,
    in_language,
    localized_urls,
    parse_language,
    request_language,
    with_translated_texts,
)

EVENT_PARAMETERS = ("region", "place")
#: Wagtail's slugs: letters (Unicode, as ``WAGTAIL_ALLOW_UNICODE_SLUGS`` allows), digits, - _
SLUG = re.compile(r"^[-\w]{1,255}$")
PAGE_ID = re.compile(r"^[1-9][0-9]{0,9}$")
MAX_PAGE_ID = 2**31 - 1
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
#: The place columns the feeds show.
PLACE_FIELDS = (
    "pk",
    "path",
    "url_path",
    "title",
    "street",
    "postcode",
    "municipality",
    "latitude",
    "longitude",
    "last_published_at",
)


class EventFilterNotFound(LookupError):
    """A well-formed region or place that no visitor can see (404)."""


@dataclass(frozen=True)
class FeedFilters:
    """``?region=<slug>`` and ``?place=<slug or page id>``, checked for their form only
    (``parse_feed_filters``); ``resolve()`` finds the pages."""

    region: str = ""
    place: str = ""
    #: The answer's language (``api.locale``); part of the keys through ``cached_response``.
    language: str = DEFAULT

    def canonical_query(self) -> str:
        return encode((name, getattr(self, name)) for name in EVENT_PARAMETERS)

    def resolve(self) -> tuple:
        """``(region or None, place or None)``, both visible; raises ``EventFilterNotFound``
        or ``FilterError`` (a slug several visible places share)."""
        region = place = None
        if self.region:
            region = visible_regions().filter(slug=self.region).order_by("path").first()
            if region is None:
                raise EventFilterNotFound(
                    _("Eine Region „%(slug)s“ gibt es nicht.") % {"slug": self.region}
                )
        if self.place:
            places = PlacePage.objects.visible()
            if region is not None:
                places = places.child_of(region)
            if PAGE_ID.match(self.place):
                found = list(places.filter(pk=int(self.place))[:1])
            else:
                found = list(places.filter(slug=self.place).order_by("path")[:2])
            if not found:
                raise EventFilterNotFound(
                    _("Einen Ort „%(place)s“ gibt es nicht.") % {"place": self.place}
                    if region is None
                    else _("Einen Ort „%(place)s“ gibt es in der Region „%(region)s“ nicht.")
                    % {"place": self.place, "region": region.title}
                )
            if len(found) > 1:
                message = _(
                    "Mehrere Orte heißen „%(place)s“: bitte die Region dazu angeben "
                    "(region=…) oder die Nummer des Ortes (place=…)."
                )
                raise FilterError({"place": message % {"place": self.place}})
            place = found[0]
        return region, place


def parse_feed_filters(params) -> FeedFilters:
    """The filters of ``params`` (a QueryDict), or ``FilterError``. ``_`` (a cache
    buster) is accepted and ignored."""
    errors = {}
    allowed = ", ".join((*EVENT_PARAMETERS, LOCALE_PARAMETER))
    for name in sorted(set(params.keys()) - {*EVENT_PARAMETERS, LOCALE_PARAMETER, "_"}):
        errors[name[:50]] = _("Unbekannter Parameter. Erlaubt: %(allowed)s.") % {"allowed": allowed}
    language = DEFAULT
    try:
        language = parse_language(params.getlist(LOCALE_PARAMETER))
    except LocaleError as exc:
        errors[LOCALE_PARAMETER] = str(exc)
    values = {}
    for name in EVENT_PARAMETERS:
        given = [value.strip() for value in params.getlist(name) if value.strip()]
        if len(set(given)) > 1:
            errors[name] = _("%(name)s bitte nur einmal angeben.") % {"name": name}
        elif given:
            values[name] = given[0]
    region = values.get("region", "")
    if region and not SLUG.match(region):
        errors["region"] = _("region muss der Kurzname einer Region sein, z. B. altmark.")
    place = values.get("place", "")
    if place and (not SLUG.match(place) or (place.isdigit() and not PAGE_ID.match(place))):
        errors["place"] = _(
            "place muss der Kurzname eines Ortes sein (z. B. gutshof-wiesengrund) "
            "oder seine Nummer."
        )
    elif place.isdigit() and int(place) > MAX_PAGE_ID:
        errors["place"] = _("Diese Nummer ist zu groß für einen Ort.")
    if errors:
        raise FilterError(errors)
    return FeedFilters(region=region, place=place, language=language)


def parent_path(path: str) -> str:
    return path[: -Page.steplen]


@dataclass
class FeedEvent:
    """One event as the feeds show it."""

    event: EventPage
    place: dict
    next: Occurrence
    url: str
    full_url: str

    @property
    def changed(self) -> datetime.datetime:
        """The last publish of the event, its place (whose title, address and point the
        feeds show) or the event's translation shown, in UTC; stable while none changes."""
        # Shown in another language: the translation's last publish counts too.
        translation = getattr(self.event, "shown_translation", None)
        stamps = (
            self.event.last_published_at,
            self.event.first_published_at,
            self.place["last_published_at"],
            getattr(translation, "last_published_at", None),
        )
        newest = max((stamp for stamp in stamps if stamp is not None), default=EPOCH)
        return newest.astimezone(datetime.UTC).replace(microsecond=0)


def place_rows(paths, *fields, language=DEFAULT) -> dict[str, dict]:
    """``{path: row}`` of the places at ``paths``, in one query; in another ``language``
    each translated place's texts among ``fields`` are its live translation's (one query
    more)."""
    fields = {"path", "translation_key", *fields}
    rows = list(PlacePage.objects.filter(path__in=set(paths)).values(*fields))
    return {row["path"]: row for row in with_translated_texts(rows, fields, language)}


def feed_events(today: datetime.date, region=None, place=None, language=DEFAULT) -> list[FeedEvent]:
    """The visible events with a date from ``today`` on, by their next date, then title: five
    queries whatever their number (events, places, categories, regions, site roots), two
    more in another ``language`` (``api.locale``: the events' and the places' translations)."""
    events = EventPage.objects.visible().not_over(today)
    if place is not None:
        events = events.child_of(place)
    elif region is not None:
        events = events.descendant_of(region)
    now = day_start(today)
    found = []
    for event in events:
        dates = upcoming([event], now=now, limit=1)
        if dates:
            found.append((event, dates[0]))
    if not found:
        return []
    in_language([event for event, _next in found], language)
    paths = [parent_path(event.path) for event, _next in found]
    places = place_rows(paths, *PLACE_FIELDS, language=language)
    place_ids = [row["pk"] for row in places.values()]
    categories = taxonomy_by_place(place_ids, language, kinds=("categories",))["categories"]
    regions = visible_region_map()
    urls = PublicUrls()
    result = []
    for event, next_date in found:
        row = places.get(parent_path(event.path))
        url, full_url = localized_urls(*urls.for_url_path(event.url_path), language)
        if row is None or url is None:  # not below a place, or outside every site
            continue
        place_url, place_full_url = localized_urls(*urls.for_url_path(row["url_path"]), language)
        place_data = {
            **row,
            "url": place_url,
            "full_url": place_full_url,
            "region": region_for_path(regions, row["path"]),
            "categories": categories.get(row["pk"], []),
        }
        result.append(FeedEvent(event, place_data, next_date, url, full_url))
    result.sort(key=lambda item: (item.next.start, item.event.title, item.event.pk))
    return result


def date_data(occurrence: Occurrence) -> dict:
    """A date as the API shows it: ISO 8601 with offset; an all-day date (or days) ends at
    the midnight after its last day."""
    return {
        "start": occurrence.start.isoformat(),
        "end": occurrence.end.isoformat() if occurrence.end else None,
        "all_day": occurrence.all_day,
    }


def event_api_values(events, request=None) -> dict[int, dict]:
    """``{pk: {"place", "next_dates", "rrule"}}`` for the events' computed API fields
    (``events.api_fields``), in one query (their places) however many there are; in the
    request's language (``api.locale``: the places' titles and addresses), one more."""
    events = list(events)
    if not events:
        return {}
    language = request_language(request)
    paths = [parent_path(event.path) for event in events]
    places = place_rows(paths, "pk", "title", "url_path", language=language)
    urls = PublicUrls()
    now = day_start()
    result = {}
    for event in events:
        row = places.get(parent_path(event.path))
        place = None
        if row is not None:
            _path, full_url = localized_urls(*urls.for_url_path(row["url_path"]), language)
            place = {"id": row["pk"], "title": row["title"], "url": full_url}
        result[event.pk] = {
            "place": place,
            "next_dates": [date_data(o) for o in upcoming([event], now=now, limit=NEXT_DATES)],
            "rrule": rrule(event),
        }
    return result
