"""What the event page shows besides its own fields (``EventPage.get_context`` through the
hook ``event_page_context``): its place and region, its dates in German, the price and the
schema.org JSON-LD.

JSON-LD: Google's event results need a ``startDate`` on every ``Event``, and schema.org's
``eventSchedule`` asks for an ``Event`` without one, so a series is one ``Event`` per
upcoming date (at most ``JSON_LD_DATES``), each with its own URL (the date's anchor on
the page); a one-off event is one ``Event``, also once it is over.
"""

from events.occurrences import Occurrence, first_occurrence, local_now, upcoming
from places.models import PlacePage
from website.events import is_free, price, repeats, when
from website.templatetags.places_tags import address_json_ld, page_full_url, social_image_url

#: Dates listed on a series' page, and ``Event`` objects in its JSON-LD.
NEXT_DATES = 6
JSON_LD_DATES = 10
SCHEMA = "https://schema.org/"


def anchor(occurrence: Occurrence) -> str:
    """The id of a date in the page's list (``termin-2026-12-05``)."""
    return f"termin-{occurrence.start.date().isoformat()}"


def event_details(event, request) -> dict:
    """``details`` in the event page's context (``events/event_page.html``)."""
    # Its place (its parent) in one query, with what the page shows of it.
    parent_path = event.path[: -PlacePage.steplen]
    place = PlacePage.objects.select_related("hero_image").filter(path=parent_path).first()
    place = place or event.get_parent().specific
    # Its own class (no query): its address follows the active language (BilingualPage).
    region = place.get_parent().specific_deferred
    now = local_now()
    if event.is_recurring:
        upcoming_dates = upcoming([event], now=now, limit=JSON_LD_DATES)
        dates = upcoming_dates[:NEXT_DATES]
        first = dates[0] if dates else first_occurrence(event)
        marked_up = upcoming_dates or ([first] if first else [])
    else:
        first = first_occurrence(event)
        dates = [first] if first else []
        marked_up = dates
    image_url = social_image_url(event.image, request)
    return {
        "place": place,
        "place_url": place.get_url(request),
        "region": region,
        "region_url": region.get_url(request),
        "repeats": repeats(event),
        "when": when(first) if first and not event.is_recurring else "",
        "dates": [(occurrence, when(occurrence), anchor(occurrence)) for occurrence in dates],
        "is_over": first is None or (not event.is_recurring and first.ends <= now),
        "price": price(event),
        "is_free": is_free(event),
        "calendar_url": f"/api/veranstaltungen.ics?place={place.pk}",
        "json_ld": event_json_ld(event, place, marked_up, request, image_url),
    }


def _moment(occurrence: Occurrence, value, *, end: bool = False) -> str:
    if occurrence.all_day:
        day = occurrence.last_day if end else value.date()
        return day.isoformat()
    return value.isoformat()


def location_json_ld(place, request) -> dict:
    data = {
        "@type": "Place",
        "name": place.title,
        "url": page_full_url(place, request),
        **address_json_ld(place),
    }
    return {key: value for key, value in data.items() if value not in ("", None)}


def offer_json_ld(event, url: str | None) -> dict | None:
    free = is_free(event)
    if not free and event.price is None:
        return None
    offer = {
        "@type": "Offer",
        "price": 0 if free else f"{event.price:.2f}",
        "priceCurrency": "EUR",
        "url": event.registration_url or url,
    }
    if event.price_note:
        offer["description"] = event.price_note
    return offer


def event_json_ld(event, place, dates: list[Occurrence], request, image_url=None) -> list[dict]:
    """schema.org ``Event`` objects of ``event``: one per date in ``dates``."""
    url = page_full_url(event, request)
    common = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.teaser,
        "eventStatus": SCHEMA + ("EventCancelled" if event.cancelled else "EventScheduled"),
        "eventAttendanceMode": SCHEMA + "OfflineEventAttendanceMode",
        "location": location_json_ld(place, request),
    }
    if image_url:
        common["image"] = [image_url]
    offer = offer_json_ld(event, url)
    if offer is not None:
        common["offers"] = offer
        if offer["price"] == 0:
            common["isAccessibleForFree"] = True
    found = []
    for occurrence in dates:
        data = {**common, "url": f"{url}#{anchor(occurrence)}" if event.is_recurring else url}
        data["startDate"] = _moment(occurrence, occurrence.start)
        if occurrence.end is not None and (occurrence.is_multi_day or not occurrence.all_day):
            data["endDate"] = _moment(occurrence, occurrence.end, end=True)
        found.append({key: value for key, value in data.items() if value not in ("", None)})
    return found
