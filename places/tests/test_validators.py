import random
import re
import time
from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest

from places.nearby import distance_km
from places.opening_hours import MAX_LENGTH, humanize
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


# --- Opening hours: linear parsing (issue 19, finding 6) -----------------------------------

# The grammar as the former validator's single regex wrote it. Nested quantifiers made it
# backtrack exponentially on values such as "Mo,Mo,…,Mo x"; here it serves as the reference
# for SHORT values only, to show that the parser accepts exactly what it accepted.
_D = r"(?:Mo|Tu|We|Th|Fr|Sa|Su|PH|SH)"
_DS = rf"{_D}(?:-{_D})?(?:,{_D}(?:-{_D})?)*"
_T = r"(?:[01]\d|2[0-4]):[0-5]\d"
_TS = rf"{_T}-{_T}\+?(?:,{_T}-{_T}\+?)*"
_M = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_MS = rf"{_M}(?:-{_M})?(?:,{_M}(?:-{_M})?)*"
_R = (
    rf'(?:{_MS}\s+)?(?:{_DS}\s+)?(?:{_TS}|off|closed|open)(?:\s+"[^"]*")?'
    rf'|(?:{_MS}\s+)?{_DS}|24/7|"[^"]*"'
)
_FORMER_RE = re.compile(rf"^\s*(?:{_R})(?:\s*[;,]\s*(?:{_R}))*\s*;?\s*$")

_ATOMS = [
    "Mo", "Fr", "Su", "PH", "SH", "Mo-Fr", "Jan", "Apr-Oct", "09:00-17:00", "10:00-12:00+",
    "24/7", "off", "closed", "open", '"x"', '"a;b"', " ", "  ", ",", ";", ", ", " ;", "-",
    "x", "Sa", "Dec", "25:00-26:00", "\n",
]  # fmt: skip


def _accepted(value):
    try:
        validate_opening_hours(value)
    except ValidationError:
        return False
    return True


def test_opening_hours_parser_accepts_exactly_what_the_former_regex_accepted():
    rng = random.Random(19)
    accepted = 0
    for _ in range(20_000):
        value = "".join(rng.choice(_ATOMS) for _ in range(rng.randint(1, 7)))
        former = bool(_FORMER_RE.match(value))
        assert _accepted(value) is former, value
        accepted += former
    assert accepted > 1000  # the sample reaches the valid part of the language too


def _crafted():
    """Values of the greatest accepted length built to make a backtracking parser try every
    split of the commas (prefix, repeated unit, a last part that spoils the match)."""
    parts = [
        ("", "Mo,", "x"),
        ("", "Mo-Fr,", " 09:00"),
        ("", "Jan,", " Mo"),
        ("", "09:00-10:00,", "!"),
        ("Mo ", "09:00-10:00,", ' "'),
        ("", "Mo;", ";;"),
        ('"', "a", ""),
        ("", " ", "x"),
    ]
    values = []
    for prefix, unit, suffix in parts:
        room = MAX_LENGTH - len(prefix) - len(suffix)
        values.append(prefix + (unit * room)[:room] + suffix)
    return values


#: A bound no busy CI machine reaches for linear work (well under a millisecond per value)
#: and that the former backtracking regex exceeded by orders of magnitude.
GENEROUS_SECONDS = 10


def test_crafted_opening_hours_are_refused_in_linear_time():
    # The former regex needed about a second for "Mo," * 20 + "x" and doubled with every
    # further "Mo,": the 255-character value below would have run for longer than the age of
    # the universe. The margin is enormous: the parser needs well under a millisecond each.
    started = time.perf_counter()
    for value in _crafted():
        assert len(value) == MAX_LENGTH
        with pytest.raises(ValidationError, match="OpenStreetMap-Format"):
            validate_opening_hours(value)
        assert humanize(value) == value.strip()  # the display reads it in linear time too
    assert time.perf_counter() - started < GENEROUS_SECONDS


def test_long_valid_opening_hours_are_accepted_quickly():
    value = ",".join(["Mo-Fr"] * 20) + " " + ",".join(["09:00-10:00"] * 8)
    assert len(value) <= MAX_LENGTH
    started = time.perf_counter()
    validate_opening_hours(value)
    assert time.perf_counter() - started < GENEROUS_SECONDS


@pytest.mark.parametrize("length", [MAX_LENGTH + 1, 10_000, 1_000_000])
def test_over_long_opening_hours_are_refused_before_they_are_read(length):
    value = ("Mo," * length)[:length]
    started = time.perf_counter()
    with pytest.raises(ValidationError, match=f"höchstens {MAX_LENGTH} Zeichen"):
        validate_opening_hours(value)
    assert humanize(value) == value  # shown as written, never parsed
    assert time.perf_counter() - started < GENEROUS_SECONDS
