"""``/api/veranstaltungen.ics`` and ``/api/veranstaltungen.geojson``: the upcoming events
(``api.events``) as an iCalendar feed (RFC 5545, through the ``icalendar`` library) and as
GeoJSON (RFC 7946) at their places' points.

Both answer through ``api.http.cached_response`` like every export, keyed on the data
version, the filters, the language (``api.locale``) and the local day. The same data gives
the same bytes: every timestamp in a body comes from the pages (their last publish), none
from the clock.
"""

import datetime
from urllib.parse import urlsplit

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

import orjson
from icalendar import Calendar, Event, Timezone, vDuration, vRecur

from events.occurrences import HORIZON_DAYS, TIME_ZONE, first_occurrence, local_today, rrule
from places.queries import FilterError

from .data import licence_link_header, licence_members, point
from .events import EventFilterNotFound, FeedEvent, date_data, feed_events, parse_feed_filters
from .http import cached_response, day_start, json_error
from .locale import in_language

CALENDAR_NAME = "Kreativorte im Grünen – Veranstaltungen"
PRODID = "-//Kreativorte im Grünen//Veranstaltungen//DE"
#: How often calendar apps should fetch the feed again (a 304 while nothing changed).
REFRESH_INTERVAL = datetime.timedelta(hours=1)
#: Bodies are kept until the data or the day changes (both are in the key).
BODY_SECONDS = 60 * 60 * 24


def location(place: dict) -> str:
    """``Gutshof Wiesengrund, Dorfstraße 1, 29410 Salzwedel`` (what is known of it)."""
    town = " ".join(part for part in (place["postcode"], place["municipality"]) if part)
    return ", ".join(part for part in (place["title"], place["street"], town) if part)


def summary(item: FeedEvent) -> str:
    # Some calendar apps ignore STATUS:CANCELLED; the title says it to everyone.
    if item.event.cancelled:
        return _("Fällt aus: %(title)s") % {"title": item.event.title}
    return item.event.title


def vevent(item: FeedEvent) -> Event:
    event, place = item.event, item.place
    first = first_occurrence(event)
    component = Event()
    component.add("uid", f"event-{event.pk}@{urlsplit(item.full_url).hostname}")
    component.add("dtstamp", item.changed)
    if first.all_day:
        component.add("dtstart", first.start.date())
        component.add("dtend", first.end.date())  # the day after the last: exclusive
    else:
        component.add("dtstart", first.start)
        if first.end is not None:
            component.add("dtend", first.end)
    rule = rrule(event)
    if rule:
        component.add("rrule", vRecur.from_ical(rule))
    component.add("summary", summary(item))
    component.add(
        "description", "\n\n".join(part for part in (event.teaser, item.full_url) if part)
    )
    component.add("location", location(place))
    if place["latitude"] is not None and place["longitude"] is not None:
        component.add("geo", (float(place["latitude"]), float(place["longitude"])))
    component.add("url", item.full_url)
    if place["categories"]:
        component.add("categories", [category["name"] for category in place["categories"]])
    component.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    if event.first_published_at is not None:
        created = event.first_published_at.astimezone(datetime.UTC).replace(microsecond=0)
        component.add("created", created)
    component.add("last-modified", item.changed)
    return component


def time_zone(items: list[FeedEvent], today: datetime.date) -> Timezone:
    """Europe/Berlin's VTIMEZONE for every date the feed describes: from the first DTSTART
    to the end of the horizon (or the latest end or repeat limit, if later). Always present,
    so that even a feed without events has a component (RFC 5545 3.6)."""
    first = min([today, *(item.event.start_date for item in items)])
    ends = [
        day
        for item in items
        for day in (item.event.end_date, item.event.recurrence_until)
        if day is not None
    ]
    last = max([today + datetime.timedelta(days=HORIZON_DAYS), *ends]) + datetime.timedelta(days=1)
    component = Timezone.from_tzid(str(TIME_ZONE), first_date=first, last_date=last)
    component.pop("COMMENT", None)  # icalendar's English note on that span
    return component


def ics_body(items: list[FeedEvent], today: datetime.date, scope: str = "") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.calendar_name = f"{CALENDAR_NAME} – {scope}" if scope else CALENDAR_NAME
    calendar.add("x-wr-timezone", str(TIME_ZONE))
    # RFC 7986; X-PUBLISHED-TTL for the apps that predate it.
    calendar.add("refresh-interval", vDuration(REFRESH_INTERVAL), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    calendar.add_component(time_zone(items, today))
    for item in items:
        calendar.add_component(vevent(item))
    return calendar.to_ical()


def feature(item: FeedEvent) -> dict:
    event, place = item.event, item.place
    return {
        "type": "Feature",
        "id": event.pk,
        "geometry": point(place["latitude"], place["longitude"]),
        "properties": {
            "id": event.pk,
            "title": event.title,
            "teaser": event.teaser,
            "url": item.url,
            "full_url": item.full_url,
            **date_data(item.next),
            "rrule": rrule(event),
            "cancelled": event.cancelled,
            "place": {
                "id": place["pk"],
                "title": place["title"],
                "url": place["url"],
                "full_url": place["full_url"],
            },
            "region": place["region"]["slug"] if place["region"] else None,
            "categories": place["categories"],
        },
    }


def geojson_body(items: list[FeedEvent]) -> bytes:
    return orjson.dumps(
        {
            "type": "FeatureCollection",
            **licence_members(),
            "features": [feature(item) for item in items],
        }
    )


def _ics_error(errors: dict[str, str] | None, message: str, status: int) -> HttpResponse:
    lines = [message, *(f"{name}: {text}" for name, text in (errors or {}).items())]
    text = "\n".join(lines) + "\n"
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


def event_export(request, render, headers: dict, error):
    """The shared path of both feeds: filters (400 before any query), the cached answer,
    the pages behind the filters looked up only when the body is rendered (404)."""
    try:
        filters = parse_feed_filters(request.GET)
    except FilterError as exc:
        return error(exc.errors, _("Ungültige Parameter."), 400)
    today = local_today()

    def render_response():
        try:
            region, place = filters.resolve()
        except FilterError as exc:
            return error(exc.errors, _("Ungültige Parameter."), 400)
        except EventFilterNotFound as exc:
            return error(None, str(exc), 404)
        language = filters.language
        items = feed_events(today, region=region, place=place, language=language)
        scope = in_language([page for page in (place or region,) if page is not None], language)
        scope = scope[0].title if scope else ""
        # „Fällt aus: “ in the answer's language.
        with translation.override(language):
            body = render(items, today, scope)
        return HttpResponse(body, headers=headers)

    response = cached_response(
        request,
        filters.canonical_query(),
        render_response,
        BODY_SECONDS,
        since=day_start(today),
        language=filters.language,
    )
    response["Link"] = licence_link_header()
    return response


@require_safe
def events_ics(request):
    return event_export(
        request,
        ics_body,
        {
            "Content-Type": "text/calendar; charset=utf-8",
            "Content-Disposition": 'inline; filename="veranstaltungen.ics"',
        },
        _ics_error,
    )


@require_safe
def events_geojson(request):
    return event_export(
        request,
        lambda items, today, scope: geojson_body(items),
        {"Content-Type": "application/geo+json"},
        json_error,
    )
