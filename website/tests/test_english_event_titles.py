"""Event lists on English pages name the events by their English titles where an event
is translated (German and marked lang="de" otherwise): the place page's „Nächste Termine“,
the region page and /veranstaltungen/ – in the same one query as their places' titles."""

import pytest

from tests.translations import translate
from website.tests.event_pages import make_event
from website.tests.test_english_interface import Attributes, events, queries  # noqa: F401
from website.tests.test_languages import get

pytestmark = pytest.mark.django_db


def event_links(html: str) -> dict[str, str | None]:
    """The events named in the page's event rows: ``{title: lang}``."""
    found = {}
    for row in html.split('<h3 class="event-row-title">')[1:]:
        (tag, attrs) = Attributes(row).tags[0]
        assert tag == "a"
        found[row.split(">", 1)[1].split("</a>")[0]] = attrs.get("lang")
    return found


@pytest.fixture
def translated_event(events):  # noqa: F811
    place, _other = events
    (festival,) = [child.specific for child in place.get_children()]
    translate(festival, title="Wiesengrund Farm Festival")
    return place


@pytest.mark.parametrize("path", ["/altmark/", "/veranstaltungen/"])
def test_event_lists_name_events_in_english_where_translated(client, translated_event, path):
    assert event_links(get(client, f"/en{path}")) == {
        "Wiesengrund Farm Festival": None,
        "Scheunenkino": "de",
    }
    assert event_links(get(client, path)) == {"Hoffest im Wiesengrund": None, "Scheunenkino": None}
    assert "Wiesengrund Farm Festival" in event_links(get(client, f"/en{path}"))


def test_the_place_pages_dates_name_the_event_in_english(client, translated_event):
    path = translated_event.url
    assert event_links(get(client, f"/en{path}")) == {"Wiesengrund Farm Festival": None}
    assert event_links(get(client, path)) == {"Hoffest im Wiesengrund": None}


@pytest.mark.parametrize("path", ["/altmark/", "/veranstaltungen/"])
def test_english_event_titles_cost_no_query_of_their_own(client, region, place, path):
    """Events and places in one query: English lists cost the German list + 1 however
    many events (and translated ones) they show."""
    make_event(place, title="Hoffest")
    german, english = queries(client, path), queries(client, f"/en{path}")
    for number in range(3):
        translate(make_event(place, title=f"Markt {number}"), title=f"Market {number}")
    assert "Market 0" in get(client, f"/en{path}")
    assert queries(client, path) == german
    assert queries(client, f"/en{path}") == english
