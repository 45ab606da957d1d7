"""/suche/: forgiving hits, „Meinten Sie …?“ and the empty states (no query, no hit)."""

from django.db import connection

import pytest

from places.factories import PlacePageFactory

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def workshop(region):
    place = PlacePageFactory(
        parent=region,
        title="Offene Werkstatt am Deich",
        teaser="Holz, Metall und Fahrräder.",
        municipality="Havelberg",
    )
    place.save_revision().publish()
    return place


def main(response) -> str:
    assert response.status_code == 200
    return response.content.decode().split("<main", 1)[1]


def test_without_a_query_the_page_invites_to_search_or_browse(client, region):
    html = main(client.get("/suche/"))
    assert "Suchen Sie nach Orten" in html
    assert "Stöbern statt suchen" in html
    assert 'href="/orte/?category=arbeiten-wirtschaft"' in html
    assert 'href="/altmark/"' in html and ">Altmark<" in html
    assert 'href="/orte/"' in html


def test_fragments_and_umlaut_spellings_find_the_place(client, workshop, region):
    mill = PlacePageFactory(parent=region, title="Alte Mühle", teaser="Mahlen wie früher.")
    mill.save_revision().publish()
    html = main(client.get("/suche/", {"q": "Werk"}))
    assert "1 Ort für „Werk“" in html
    assert "<mark>Werk</mark>statt am Deich" in html
    html = main(client.get("/suche/", {"q": "Muehle"}))
    assert "1 Ort für „Muehle“" in html
    # Marked in the spelling of the text.
    assert "Alte <mark>Mühle</mark>" in html
    assert "Stöbern statt suchen" not in html


def test_a_typo_gets_meinten_sie_with_a_link_to_the_corrected_search(client, workshop):
    html = main(client.get("/suche/", {"q": "Werkstadt"}))
    assert 'Meinten Sie <a href="/suche/?q=Werkstatt">„Werkstatt“</a>?' in html
    if POSTGRES:
        # The similar word is found right away.
        assert "1 Ort für „Werkstadt“" in html and "Offene Werkstatt am Deich" in html
    else:
        assert "0 Orte für „Werkstadt“" in html
    html = main(client.get("/suche/", {"q": "Werkstatt"}))
    assert "Meinten Sie" not in html


def test_no_hit_explains_what_to_try_and_where_to_browse(client, workshop):
    html = main(client.get("/suche/", {"q": "Xylophon"}))
    assert "0 Orte für „Xylophon“" in html
    assert "Dazu haben wir keinen Ort gefunden." in html
    assert "„Werk“ findet auch „Werkstatt“" in html
    assert "Meinten Sie" not in html
    assert "Stöbern statt suchen" in html
    assert 'href="/orte/?category=arbeiten-wirtschaft"' in html
    assert 'href="/altmark/"' in html


def test_exact_title_hits_come_first_on_the_page(client, region):
    for title, teaser in [
        ("Kulturhof", "In der alten Scheune wird getanzt."),
        ("Scheune am See", "Ruhige Zimmer."),
    ]:
        PlacePageFactory(parent=region, title=title, teaser=teaser).save_revision().publish()
    html = main(client.get("/suche/", {"q": "scheune"}))
    assert "2 Orte für „scheune“" in html
    assert html.index("am See") < html.index("Kulturhof")


def test_every_hit_names_its_text_language_so_templates_never_search_the_page(client, workshop):
    """Each hit and other page carries ``text_language`` (empty: the active language's own
    text; ``website.cards.in_active_language``): a template asking a page for a missing
    attribute makes Django list all of the page's attributes, every time it asks."""
    response = client.get("/suche/", {"q": "Werkstatt"})
    assert response.status_code == 200
    hits = list(response.context["places"])
    assert hits
    assert all(vars(hit).get("text_language") == "" for hit in hits)
    assert all(vars(page).get("text_language") == "" for page in response.context["other_pages"])
