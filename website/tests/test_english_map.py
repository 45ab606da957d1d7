"""The map on an English page asks the API in English (``?locale=en``): its places carry
their English titles where translated and their /en/ addresses, so a click on a marker
keeps an English visitor on the English site. German pages ask as before."""

import json
from decimal import Decimal
from html import unescape

import pytest

from tests.translations import translate
from website.tests.test_english_interface import Attributes, map_box
from website.tests.test_languages import get

pytestmark = pytest.mark.django_db


@pytest.fixture
def mapped_place(place):
    place.latitude, place.longitude = Decimal("52.85"), Decimal("11.15")
    place.save_revision().publish()
    translate(place, title="Manor Wiesengrund")
    return place


def geojson_of(client, url: str) -> str:
    (attrs,) = [attrs for tag, attrs in Attributes(get(client, url)).tags if map_box(tag, attrs)]
    return unescape(attrs["data-geojson"])


@pytest.mark.parametrize(
    ("german", "english"),
    [("/", "/en/"), ("/{region}/", "/en/{region}/"), ("/orte/", "/en/orte/")],
)
def test_english_maps_ask_for_english_places(client, mapped_place, region, german, english):
    german_url = geojson_of(client, german.format(region=region.slug))
    english_url = geojson_of(client, english.format(region=region.slug))
    assert "locale" not in german_url
    assert english_url.startswith(german_url)
    assert english_url.endswith("locale=en")
    assert english_url.count("?") == 1

    features = json.loads(get(client, english_url))["features"]
    (feature,) = [f for f in features if f["properties"]["id"] == mapped_place.pk]
    assert feature["properties"]["title"] == "Manor Wiesengrund"
    assert feature["properties"]["url"].startswith("/en/")

    features = json.loads(get(client, german_url))["features"]
    (feature,) = [f for f in features if f["properties"]["id"] == mapped_place.pk]
    assert feature["properties"]["title"] == mapped_place.title
    assert not feature["properties"]["url"].startswith("/en/")
