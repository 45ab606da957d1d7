"""/veranstaltungen/: upcoming dates, filters ``region``, ``category``, ``von``, ``bis`` without
JavaScript, German messages for bad input (400, never 500), the empty state, pagination,
the calendar link and the page cache's key per filter."""

import datetime
import re

import pytest

from events.models import Recurrence
from places.factories import PlacePageFactory
from places.models import Category
from regions.factories import RegionPageFactory
from website.tests.event_pages import days, make_event, text

pytestmark = pytest.mark.django_db

URL = "/veranstaltungen/"


def german(day: datetime.date) -> str:
    return f"{day:%d.%m.%Y}"


@pytest.fixture
def harz(home_page):
    return RegionPageFactory(parent=home_page, title="Harz", slug="harz")


@pytest.fixture
def events(region, place, harz):
    """A market in the Altmark (work), a cancelled festival at a housing project in the Harz,
    a priced concert, one that is over."""
    housing = PlacePageFactory(
        parent=harz,
        title="Wohnhof Elend",
        municipality="Elend",
        categories=[Category.objects.get(slug="wohnen-bauen")],
    )
    return {
        "markt": make_event(place, title="Hofmarkt", slug="hofmarkt", start_date=days(2)),
        "fest": make_event(
            housing, title="Richtfest", slug="richtfest", start_date=days(5), cancelled=True
        ),
        "konzert": make_event(
            place, title="Scheunenkonzert", slug="konzert", start_date=days(12), price="15.00"
        ),
        "vorbei": make_event(place, title="Erntefest", slug="erntefest", start_date=days(-2)),
    }


def get(client, query=""):
    response = client.get(URL + query)
    return response, response.content.decode()


def titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="event-row-title"><a href="[^"]+">([^<]+)</a>', html)


def test_lists_upcoming_dates_with_place_municipality_cancelled_and_price(client, events):
    response, html = get(client)
    assert response.status_code == 200
    assert titles(html) == ["Hofmarkt", "Richtfest", "Scheunenkonzert"]
    shown = text(html)
    assert "3 Termine" in shown
    assert "Hofmarkt Gutshof Wiesengrund , Salzwedel" in shown
    assert "Richtfest Fällt aus Wohnhof Elend , Elend" in shown
    assert "Scheunenkonzert Gutshof Wiesengrund , Salzwedel 15 €" in shown
    assert "Erntefest" not in shown
    assert f'href="{events["markt"].url}"' in html
    assert 'href="/api/veranstaltungen.ics"' in html and "Als Kalender abonnieren" in shown
    # The form works without JavaScript: a GET form with date inputs.
    assert 'method="get" action="/veranstaltungen/#ergebnisse"' in html
    assert html.count('type="date"') == 2
    assert '<a href="/veranstaltungen/" aria-current="page">Veranstaltungen</a>' in html


def test_the_empty_state_is_german(client, place):
    response, html = get(client)
    assert response.status_code == 200
    assert "0 Termine" in text(html)
    assert "Zurzeit stehen keine Veranstaltungen fest." in text(html)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?region=altmark", ["Hofmarkt", "Scheunenkonzert"]),
        ("?region=harz", ["Richtfest"]),
        ("?region=harz&region=altmark", ["Hofmarkt", "Richtfest", "Scheunenkonzert"]),
        ("?category=wohnen-bauen", ["Richtfest"]),
        ("?category=arbeiten-wirtschaft&region=harz", []),
        ("?von={d4}", ["Richtfest", "Scheunenkonzert"]),
        ("?von={i4}&bis={i6}", ["Richtfest"]),
        ("?bis={d2}", ["Hofmarkt"]),
        ("?von={d12}&bis={d12}", ["Scheunenkonzert"]),
    ],
)
def test_filters(client, events, query, expected):
    values = {f"d{n}": german(days(n)) for n in (2, 4, 6, 12)}
    values.update({f"i{n}": days(n).isoformat() for n in (2, 4, 6, 12)})
    response, html = get(client, query.format(**values))
    assert response.status_code == 200
    assert titles(html) == expected
    if not expected:
        assert "Keine Termine passen zu diesen Filtern." in text(html)


def test_the_form_keeps_the_chosen_values(client, events):
    _response, html = get(client, f"?region=harz&category=wohnen-bauen&von={german(days(3))}")
    assert '<option value="harz" selected>Harz</option>' in html
    assert 'value="wohnen-bauen" checked' in html
    assert f'name="von" value="{days(3).isoformat()}"' in html
    assert "Gefiltert nach: Harz, Wohnen/Bauen, ab " in text(html)
    assert 'href="/api/veranstaltungen.ics?region=harz"' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?von=foo", "„von“: „foo“ ist kein Datum. Bitte so angeben: 24.12.2026."),
        ("?bis=31.02.2027", "„bis“: „31.02.2027“ ist kein Datum."),
        ("?von=2027-13-01", "„von“: „2027-13-01“ ist kein Datum."),
        ("?von=10.12.2027&bis=01.12.2027", "„bis“ (01.12.2027) liegt vor „von“ (10.12.2027)."),
        ("?region=gibts-nicht", "Unbekannte(r) Region: gibts-nicht."),
        ("?category=kunst", "Unbekannte(r) Themenfeld: kunst."),
        ("?von=99999-01-01", "ist kein Datum"),
        ("?von=0000-00-00&bis=%F0%9F%92%A5", "ist kein Datum"),
    ],
)
def test_bad_input_gets_a_german_message_and_no_error_page(client, events, query, message):
    response, html = get(client, query)
    assert response.status_code == 400
    shown = text(html)
    assert "Diese Filter passen nicht:" in shown
    assert message in shown
    assert "Keine Termine angezeigt" in shown
    assert titles(html) == []


def test_a_far_bis_is_cut_at_a_year_ahead(client, events):
    response, html = get(client, "?bis=31.12.9999")
    assert response.status_code == 200
    assert titles(html) == ["Hofmarkt", "Richtfest", "Scheunenkonzert"]
    assert "höchstens ein Jahr im Voraus" in text(html)


def test_more_than_30_dates_are_paginated_keeping_the_filters(client, place):
    make_event(place, title="Wochenmarkt", start_date=days(1), recurrence=Recurrence.WEEKLY)
    von = days(1).isoformat()
    response, html = get(client, f"?von={von}")
    assert response.status_code == 200
    assert len(titles(html)) == 30
    assert "Seite 1 von 2" in text(html)
    assert f'href="?von={von}&amp;page=2"' in html
    response, html = get(client, f"?von={von}&page=2")
    assert len(titles(html)) == 53 - 30  # days 1, 8, … 365: within a year
    assert "Seite 2 von 2" in text(html)
    # A page number past the end shows the last page, and is not kept.
    response = client.get(URL + "?page=999")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"


def test_the_page_cache_keys_on_von_and_bis(client, events):
    first = client.get(URL + f"?von={days(4).isoformat()}")
    assert first["X-Page-Cache"] == "miss"
    other = client.get(URL + f"?von={days(4).isoformat()}&bis={days(6).isoformat()}")
    assert other["X-Page-Cache"] == "miss"
    assert titles(other.content.decode()) == ["Richtfest"]
    again = client.get(URL + f"?bis={days(6).isoformat()}&utm_source=x&von={days(4).isoformat()}")
    assert again["X-Page-Cache"] == "hit"
    assert again.content == other.content
    plain = client.get(URL)
    assert titles(plain.content.decode()) == ["Hofmarkt", "Richtfest", "Scheunenkonzert"]
