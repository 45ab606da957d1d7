"""Events for the website's tests: live pages below a place, dated relative to today."""

import datetime
import json
import re

from events.models import EventPage
from events.occurrences import local_today


def days(count: int) -> datetime.date:
    """The local date ``count`` days from today (Europe/Berlin)."""
    return local_today() + datetime.timedelta(days=count)


def make_event(place, title="Hoffest", **fields) -> EventPage:
    """A live event below ``place``: by default in a week from 18:00 to 21:00."""
    values = {
        "title": title,
        "teaser": f"{title}: Musik, Kuchen und offene Werkstätten.",
        "start_date": days(7),
        "start_time": datetime.time(18),
        "end_time": datetime.time(21),
        "live": True,
        **fields,
    }
    event = EventPage(**values)
    place.add_child(instance=event)
    return event


def json_ld_blocks(html: str) -> list:
    return [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


def text(html: str) -> str:
    """The page's text without tags, spaces folded (no-break spaces too)."""
    without_tags = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", without_tags.replace("\u00a0", " ").replace("\u202f", " "))
