"""The English interface around the pages' own texts: the words the scripts show (map,
search, copy button, the static form), the 400 and 503 pages, and the places named in event
lists – English on /en/ addresses, German at /.

The scripts take their words from data-text-* attributes that the templates translate
(``frontend_templates/static/js/{map,search,staticsite}.js``); Chromium runs them in
``tests/test_browser_english_scripts.py``."""

from decimal import Decimal
from html import unescape
from html.parser import HTMLParser

from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from places.factories import PlacePageFactory
from tests.test_query_counts import PAST_THE_PAGE_CACHE
from tests.translations import translate
from website.tests.event_pages import make_event
from website.tests.test_languages import english, get

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class Attributes(HTMLParser):
    """The attributes of every start tag of a page, as ``(tag, {name: value})``."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def texts_of(self, wanted) -> dict[str, str]:
        """The data-text-* attributes of the one element for which ``wanted(tag, attrs)``."""
        (attrs,) = [attrs for tag, attrs in self.tags if wanted(tag, attrs)]
        return {name: value for name, value in attrs.items() if name.startswith("data-text-")}


def map_box(tag, attrs):
    return tag == "div" and "data-map" in attrs


def copy_button(tag, attrs):
    return tag == "button" and "data-copy" in attrs


def search_form(tag, attrs):
    return tag == "form" and attrs.get("class") == "search-form"


def application_form(tag, attrs):
    return tag == "form" and attrs.get("class") == "app-form"


#: What the scripts say, by page and element: ``{attribute: German}``.
SCRIPT_TEXTS = {
    ("/orte/", map_box): {
        "data-text-label": "Interaktive Karte",
        "data-text-zoom-in": "Vergrößern",
        "data-text-zoom-out": "Verkleinern",
        "data-text-loading": "Karte wird geladen …",
        "data-text-loaded": "Karte geladen.",
        "data-text-places-loading": "Orte werden geladen …",
        "data-text-loaded-one": "Karte mit einem Ort geladen.",
        "data-text-loaded-many": "Karte mit {count} Orten geladen.",
        "data-text-places-failed": "Die Orte konnten gerade nicht auf der Karte angezeigt "
        "werden. Die Liste zeigt alle Orte.",
        "data-text-failed": "Die Karte konnte nicht geladen werden. Die Liste zeigt alle Orte.",
        "data-text-cluster": "Orte, zum Vergrößern auswählen",
        "data-text-under-construction": "im Aufbau",
    },
    ("/orte/", copy_button): {"data-text-copied": "Code kopiert."},
    ("/suche/", search_form): {
        "data-text-hit": "{count} Ort",
        "data-text-hits": "{count} Orte",
        "data-text-hit-for": "{count} Ort für „{query}“",
        "data-text-hits-for": "{count} Orte für „{query}“",
        "data-text-under-construction": "im Aufbau",
        "data-text-other-pages": "Weitere Seiten",
        "data-text-none": "Dazu haben wir keinen Ort gefunden. Versuchen Sie ein anderes oder "
        "kürzeres Wort, oder sehen Sie sich {link} an.",
        "data-text-all-places": "alle Orte",
        "data-text-failed": "Die Suche konnte nicht geladen werden. Bitte versuchen Sie es "
        "später erneut.",
    },
    ("/mitmachen/", application_form): {
        "data-text-unreachable": "Das Formular ist gerade nicht erreichbar. Sie können es "
        "trotzdem absenden; falls es dann abgelaufen ist, senden Sie es auf der folgenden "
        "Seite einfach erneut ab."
    },
}


@pytest.mark.parametrize(
    ("path", "element"), list(SCRIPT_TEXTS), ids=[f"{p}-{e.__name__}" for p, e in SCRIPT_TEXTS]
)
def test_the_scripts_words_come_from_the_page_in_its_language(client, place, path, element):
    german = SCRIPT_TEXTS[(path, element)]
    assert Attributes(get(client, path)).texts_of(element) == german
    translated = Attributes(get(client, f"/en{path}")).texts_of(element)
    assert translated == {name: english(text) for name, text in german.items()}
    for name, text in german.items():
        assert translated[name] != text, name  # every one has its English
        # The placeholders the script fills in stay as they are.
        for placeholder in ("{count}", "{query}", "{link}"):
            assert (placeholder in translated[name]) == (placeholder in text), name


def test_every_map_carries_its_words(client, place):
    """The region page, the place page and the embeddable map use the same map box."""
    for path in ("/altmark/", "/altmark/gutshof-wiesengrund/", "/einbetten/karte/", "/"):
        texts = Attributes(get(client, f"/en{path}")).texts_of(map_box)
        assert texts["data-text-label"] == "Interactive map", path
        assert texts["data-text-loaded-many"] == english("Karte mit {count} Orten geladen.")


# --------------------------------------------------------------------------------------
# 400 and 503 in the language of the address
# --------------------------------------------------------------------------------------


@pytest.fixture
def quiet_client():
    return Client(raise_request_exception=False)


def test_the_400_page_answers_in_the_language_of_the_address(quiet_client, place):
    response = quiet_client.get("/en/orte/?tag=%00")
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert '<html lang="en">' in html
    assert "<title>Invalid request – Kreativorte im Grünen</title>" in html
    assert "Please check the filters:" in html
    assert "“tag” contains a null character (%00); that is not allowed." in html
    assert 'href="/en/orte/"' in html and ">See all places<" in html
    assert ">All places<" in html  # the header, in English
    # A NUL in the address itself: named in English too.
    html = unescape(quiet_client.get("/en/altmark/%00/").content.decode())
    assert "“Address” contains a null character" in html and '<html lang="en">' in html

    response = quiet_client.get("/orte/?tag=%00")
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert '<html lang="de">' in html
    assert "<title>Ungültige Anfrage – Kreativorte im Grünen</title>" in html
    assert "Bitte prüfen Sie die Filter:" in html
    assert "„tag“ enthält ein Nullzeichen (%00); das ist nicht erlaubt." in html
    assert 'href="/orte/"' in html and "/en/" not in html.split("<main", 1)[1]


def test_the_api_refuses_nul_in_german_whatever_the_page_before(quiet_client, place):
    quiet_client.get("/en/orte/?tag=%00")
    body = quiet_client.get("/api/orte.geojson?tag=%00").json()
    assert body["message"] == "Ungültige Parameter."


def unavailable(client, path):
    """``path`` while every query fails as if the database were gone."""

    def refused(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    with connection.execute_wrapper(refused):
        response = client.get(path)
    assert response.status_code == 503, path
    return response.content.decode()


@pytest.mark.parametrize("path", ["/en/altmark/", "/en/gibt-es-nicht/"])
def test_the_503_page_answers_in_the_language_of_the_address(quiet_client, place, path):
    html = unavailable(quiet_client, path)
    assert '<html lang="en">' in html
    assert f"<title>{english('Vorübergehend nicht erreichbar')} – " in html
    assert english("Vorübergehend nicht erreichbar") == "Temporarily unavailable"
    assert "Vorübergehend" not in html
    assert '<a class="button" href="/en/">Try again</a>' in html
    html = unavailable(quiet_client, path.removeprefix("/en"))
    assert '<html lang="de">' in html
    assert "<title>Vorübergehend nicht erreichbar – Kreativorte im Grünen</title>" in html
    assert "/en/" not in html


def test_the_error_pages_share_one_head(quiet_client, place):
    """400 and 503 (and 500) from ``error_base.html``: the same head but the title."""

    def head(html):
        return html.split("<title>")[0] + html.split("</title>")[1].split("</head>")[0]

    bad = quiet_client.get("/orte/?tag=%00").content.decode()
    down = unavailable(quiet_client, "/orte/")
    assert head(bad) == head(down)
    assert '<meta name="robots" content="noindex">' in head(bad)


# --------------------------------------------------------------------------------------
# The places named in event lists
# --------------------------------------------------------------------------------------


@pytest.fixture
def events(home_page, region, place):
    """An event at a translated place (Gutshof Wiesengrund → Wiesengrund Estate) and one
    at an untranslated place."""
    other = PlacePageFactory(
        parent=region,
        title="Nachbarhof",
        slug="nachbarhof",
        latitude=Decimal("52.86"),
        longitude=Decimal("11.16"),
    )
    other.save_revision().publish()
    make_event(place, title="Hoffest im Wiesengrund")
    make_event(other, title="Scheunenkino")
    translate(place, title="Wiesengrund Estate")
    return place, other


def place_links(html: str) -> dict[str, str | None]:
    """The places named in the page's event rows: ``{title: lang}``."""
    rows = [part.split("</p>")[0] for part in html.split('<p class="event-row-place">')[1:]]
    found = {}
    for row in rows:
        (tag, attrs) = Attributes(row).tags[0]
        assert tag == "a"
        found[unescape(row.split(">", 1)[1].split("</a>")[0])] = attrs.get("lang")
    return found


@pytest.mark.parametrize("path", ["/altmark/", "/veranstaltungen/"])
def test_event_lists_name_places_in_their_english_title_where_translated(client, events, path):
    assert place_links(get(client, f"/en{path}")) == {
        "Wiesengrund Estate": None,
        "Nachbarhof": "de",
    }
    assert place_links(get(client, path)) == {"Gutshof Wiesengrund": None, "Nachbarhof": None}
    # English again (a kept list must not carry the German titles over, nor the reverse).
    assert "Wiesengrund Estate" in place_links(get(client, f"/en{path}"))
    assert "Gutshof Wiesengrund" in place_links(get(client, path))


def queries(client, url) -> int:
    client.get(url, **PAST_THE_PAGE_CACHE)  # warm-up
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **PAST_THE_PAGE_CACHE)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", ["/altmark/", "/veranstaltungen/"])
def test_the_english_places_of_an_event_list_cost_one_query(client, region, place, path):
    """The event list's places in English: one query for the whole list, whatever the
    number of events and places; none in German."""
    others = []
    for number in range(3):
        other = PlacePageFactory(parent=region, title=f"Hof {number}", slug=f"hof-{number}")
        other.save_revision().publish()
        others.append(other)
    translate(others[0], title="Farm 0")
    german_without, english_without = queries(client, path), queries(client, f"/en{path}")
    make_event(place, title="Hoffest")
    german_one, english_one = queries(client, path), queries(client, f"/en{path}")
    for other in others:
        make_event(other, title=f"Fest {other.title}")
        make_event(other, title=f"Markt {other.title}")
    german_many, english_many = queries(client, path), queries(client, f"/en{path}")
    assert "Farm 0" in get(client, f"/en{path}")
    counts = (german_without, german_one, german_many, english_without, english_one, english_many)
    assert german_many == german_one, counts
    assert english_many == english_one, counts
    # Over the German page's events: exactly the one query of the places' English titles.
    assert english_one - english_without == german_one - german_without + 1, counts
