"""English names of fields, offers and actor types (``SluggedTaxonomy.name_en``, shown by
``label`` / ``taxonomy_label``): on /en/ and in the API with ``?locale=en`` the English name
where one is set, else the German one; German pages and answers unchanged; tags stay German.
With the production-like caches on as well (kept filter choices, kept cards)."""

import re
from decimal import Decimal

import pytest

from api.locale import taxonomy_names_in
from core.data_version import bump_version
from places.factories import ActorTypeFactory, PlacePageFactory
from places.models import Category, Offer, PlacePage
from tests.translations import translate
from website.tests.event_pages import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def places(region):
    """``(translated, untranslated)``: „Wohnen/Bauen“ and „Werkstatt“ have English names,
    „Arbeiten/Wirtschaft“ and „Hofladen“ none; both places have all four and the tag
    „werkstatt“ (same slug and name as the offer)."""
    Category.objects.filter(slug="wohnen-bauen").update(name_en="Housing/Building")
    Offer.objects.filter(slug="werkstatt").update(name_en="Workshop")
    actor = ActorTypeFactory(slug="verein-test", name="Eingetragener Verein", name_en="Club")
    found = []
    for title, slug in (("Gutshof Wiesengrund", "gutshof"), ("Alte Schule", "alte-schule")):
        place = PlacePageFactory(
            parent=region,
            title=title,
            slug=slug,
            actor_type=actor,
            latitude=Decimal("52.85"),
            longitude=Decimal("11.15"),
            categories=list(
                Category.objects.filter(slug__in=["wohnen-bauen", "arbeiten-wirtschaft"])
            ),
        )
        place.offers.set(Offer.objects.filter(slug__in=["werkstatt", "hofladen"]))
        place.tags.add("Werkstatt")
        place.save_revision().publish()
        found.append(PlacePage.objects.get(pk=place.pk))
    translate(found[0], title="Wiesengrund Manor")
    bump_version()
    return found


def get(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return response.content.decode()


def checkbox_labels(html: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" value="[^"]+"[^>]*> ([^<]+)</label>', html)


@pytest.fixture(params=[0, 600], ids=["rendered", "kept"])
def kept(request, settings):
    settings.FRAGMENT_CACHE_SECONDS = request.param
    return request.param


def test_filter_form_in_each_language_without_leaks(client, places, kept):
    # German first, then English, then German again: kept choices never stand in for the
    # other language's.
    for _round in range(2):
        german = get(client, "/orte/")
        assert checkbox_labels(german, "category")[:2] == ["Wohnen/Bauen", "Arbeiten/Wirtschaft"]
        assert "Werkstatt" in checkbox_labels(german, "offer")
        assert "Housing/Building" not in german and "Workshop" not in german
        english = get(client, "/en/orte/")
        assert checkbox_labels(english, "category")[:2] == [
            "Housing/Building",
            "Arbeiten/Wirtschaft",  # no English name: German
        ]
        assert checkbox_labels(english, "offer") == ["Workshop", "Hofladen"]
        assert "Wohnen/Bauen" not in english
        # The tag is a free German keyword in both languages.
        assert '<option value="werkstatt">Werkstatt</option>' in english
        # The region page's form and the event index likewise.
        assert checkbox_labels(get(client, "/en/altmark/"), "category")[0] == "Housing/Building"
        assert checkbox_labels(get(client, "/altmark/"), "category")[0] == "Wohnen/Bauen"
        assert checkbox_labels(get(client, "/en/veranstaltungen/"), "category")[0] == (
            "Housing/Building"
        )
        assert checkbox_labels(get(client, "/veranstaltungen/"), "category")[0] == "Wohnen/Bauen"


def test_cards_in_each_language(client, places, kept):
    for _round in range(2):
        german = get(client, "/orte/")
        assert "· Wohnen/Bauen · Arbeiten/Wirtschaft" in german
        english = get(client, "/en/orte/")
        assert "· Housing/Building · Arbeiten/Wirtschaft" in english
        assert "Wohnen/Bauen" not in english


def test_place_page_in_each_language(client, places):
    for place in places:
        english = get(client, f"/en{place.url}")
        assert ">Housing/Building</a>" in english
        assert "<dd>Housing/Building, Arbeiten/Wirtschaft</dd>" in english
        assert "<li>Workshop</li>" in english and "<li>Hofladen</li>" in english
        assert "<dd>Club</dd>" in english
        assert "#Werkstatt" in english  # tags stay German
        german = get(client, place.url)
        assert "<dd>Wohnen/Bauen, Arbeiten/Wirtschaft</dd>" in german
        assert "<li>Werkstatt</li>" in german and "<dd>Eingetragener Verein</dd>" in german
        assert "Housing" not in german and "Workshop" not in german and "Club" not in german


def names(items: list[dict]) -> list[str]:
    return [item["name"] for item in items]


@pytest.mark.parametrize("fields", ["*", None])
def test_api_v2_in_each_language(client, places, fields):
    url = "/api/v2/pages/?type=places.PlacePage" + ("&fields=*" if fields else "")
    url += "&fields=categories,offers,tags,actor_type" if not fields else ""
    for _round in range(2):  # rendered, then the stored items
        english = {item["id"]: item for item in client.get(url + "&locale=en").json()["items"]}
        german = {item["id"]: item for item in client.get(url).json()["items"]}
        for place in places:  # translated and untranslated alike
            item = english[place.pk]
            assert names(item["categories"]) == ["Housing/Building", "Arbeiten/Wirtschaft"]
            assert names(item["offers"]) == ["Workshop", "Hofladen"]
            assert names(item["tags"]) == ["Werkstatt"]
            assert item["actor_type"] == {"slug": "verein-test", "name": "Club"}
            item = german[place.pk]
            assert names(item["categories"]) == ["Wohnen/Bauen", "Arbeiten/Wirtschaft"]
            assert names(item["offers"]) == ["Werkstatt", "Hofladen"]
            assert item["actor_type"]["name"] == "Eingetragener Verein"
        bump_version()


def test_api_detail_geojson_and_event_feed_in_english(client, places):
    for place in places:
        item = client.get(f"/api/v2/pages/{place.pk}/?locale=en").json()
        assert names(item["categories"]) == ["Housing/Building", "Arbeiten/Wirtschaft"]
        assert item["actor_type"]["name"] == "Club"
        item = client.get(f"/api/v2/pages/{place.pk}/").json()
        assert names(item["categories"]) == ["Wohnen/Bauen", "Arbeiten/Wirtschaft"]
    for _round in range(2):
        features = client.get("/api/orte.geojson?locale=en").json()["features"]
        assert len(features) == 2
        for feature in features:
            properties = feature["properties"]
            assert names(properties["categories"]) == ["Housing/Building", "Arbeiten/Wirtschaft"]
            assert names(properties["offers"]) == ["Workshop", "Hofladen"]
            assert names(properties["tags"]) == ["Werkstatt"]
        german = client.get("/api/orte.geojson").json()["features"]
        assert {names(f["properties"]["offers"])[0] for f in german} == {"Werkstatt"}
        bump_version()
    make_event(places[1], title="Hoffest")
    feed = client.get("/api/veranstaltungen.geojson?locale=en").json()["features"]
    assert names(feed[0]["properties"]["categories"])[0] == "Housing/Building"
    assert (
        "CATEGORIES:Housing/Building"
        in client.get("/api/veranstaltungen.ics?locale=en").content.decode()
    )


def test_an_english_name_reaches_stored_answers_at_once(client, places):
    url = "/api/v2/pages/?type=places.PlacePage&fields=*&locale=en"
    client.get(url)  # stores the items
    client.get("/api/orte.geojson?locale=en")
    offer = Offer.objects.get(slug="hofladen")
    offer.name_en = "Farm shop"
    offer.save()
    for item in client.get(url).json()["items"]:
        assert names(item["offers"]) == ["Workshop", "Farm shop"]
    for feature in client.get("/api/orte.geojson?locale=en").json()["features"]:
        assert names(feature["properties"]["offers"]) == ["Workshop", "Farm shop"]
    assert "<li>Farm shop</li>" in get(client, f"/en{places[1].url}")


def test_stored_piece_names_only_where_they_are_listed():
    piece = (
        '{"categories":[{"slug":"a","name":"A \\"x\\" ]"},{"slug":"b","name":"B"}],'
        '"tags":[{"slug":"w","name":"W"}],"offers":[{"slug":"w","name":"W"}],'
        '"actor_type":{"slug":"v","name":"V"},"story":"\\"offers\\":[{\\"slug\\":\\"w\\"}]"}'
    )
    names_en = {"categories": {"a": "Ä"}, "offers": {"w": "Workshop"}, "actor_type": {"v": "C"}}
    assert taxonomy_names_in(piece, names_en) == (
        '{"categories":[{"slug":"a","name":"Ä"},{"slug":"b","name":"B"}],'
        '"tags":[{"slug":"w","name":"W"}],"offers":[{"slug":"w","name":"Workshop"}],'
        '"actor_type":{"slug":"v","name":"C"},"story":"\\"offers\\":[{\\"slug\\":\\"w\\"}]"}'
    )
    assert taxonomy_names_in(piece, {}) == piece


def test_search_in_each_language(client, places):
    english = get(client, "/en/suche/?q=Schule")
    assert "Salzwedel · Housing/Building · Arbeiten/Wirtschaft" in english
    assert "Salzwedel · Wohnen/Bauen · Arbeiten/Wirtschaft" in get(client, "/suche/?q=Schule")
    nothing = get(client, "/en/suche/?q=Zzyzx")
    assert '?category=wohnen-bauen">Housing/Building</a>' in nothing


def test_application_form_offers_the_fields_in_each_language(client, places):
    english = client.get("/en/mitmachen/").content.decode()
    german = client.get("/mitmachen/").content.decode()
    assert "Housing/Building" in english
    assert "Arbeiten/Wirtschaft" in english  # no English name: the German one
    assert "Housing/Building" not in german
    assert "Wohnen/Bauen" in german
