from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest

from places.models import distance_km
from places.validators import (
    validate_founded_year,
    validate_latitude,
    validate_longitude,
    validate_opening_hours,
    validate_postcode,
)


@pytest.mark.parametrize("value", [Decimal("52.85"), Decimal("47.3"), Decimal("55.0"), None])
def test_latitude_inside_germany_is_accepted(value):
    validate_latitude(value)


@pytest.mark.parametrize("value", [Decimal("11.15"), Decimal("0"), Decimal("-52.8"), Decimal("90")])
def test_latitude_outside_germany_is_refused_in_german(value):
    with pytest.raises(ValidationError, match="nicht in Deutschland"):
        validate_latitude(value)


@pytest.mark.parametrize("value", [Decimal("52.85"), Decimal("-11.15"), Decimal("180")])
def test_longitude_outside_germany_is_refused(value):
    with pytest.raises(ValidationError, match="Sind Breite und Länge vertauscht"):
        validate_longitude(value)


@pytest.mark.parametrize(
    "value",
    [
        "Mo-Fr 09:00-17:00",
        "Mo-Fr 09:00-17:00; Sa 10:00-14:00",
        "Mo,We,Fr 10:00-12:00,14:00-18:00; PH off",
        "24/7",
        "Sa-Su 11:00-18:00",
        'Apr-Oct Sa-Su 11:00-18:00; "nach Vereinbarung"',
        "Tu-Su 10:00-18:00; Mo off",
    ],
)
def test_common_osm_opening_hours_are_accepted(value):
    validate_opening_hours(value)


@pytest.mark.parametrize(
    "value", ["montags 9-17 Uhr", "Mo-Fr 9-17", "Mo-Fr 25:00-26:00", "<script>alert(1)</script>"]
)
def test_free_text_opening_hours_are_refused_with_an_example(value):
    with pytest.raises(ValidationError, match="Mo-Fr 09:00-17:00"):
        validate_opening_hours(value)


def test_postcode_needs_five_digits():
    validate_postcode("29410")
    with pytest.raises(ValidationError, match="fünf Ziffern"):
        validate_postcode("2941")


def test_founded_year_must_be_plausible():
    validate_founded_year(1998)
    with pytest.raises(ValidationError, match="Gründungsjahr"):
        validate_founded_year(3000)


def test_distance_between_salzwedel_and_berlin_is_about_155_km():
    # Salzwedel (52.8547, 11.1519) to Berlin (52.52, 13.405): ~155 km as the crow flies.
    assert 150 < distance_km(52.8547, 11.1519, 52.52, 13.405) < 160
