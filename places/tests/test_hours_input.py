"""German opening hours → OSM (places.hours_input)."""

import time

import pytest

from places.hours_input import MAX_INPUT_LENGTH, OpeningHoursInputError, to_osm
from places.opening_hours import humanize
from places.validators import validate_opening_hours

GERMAN = [
    (
        "Mo bis Fr 10 bis 18 Uhr, Sa 10.30-14 Uhr, So Ruhetag",
        "Mo-Fr 10:00-18:00; Sa 10:30-14:00; Su off",
    ),
    ("Mo-Fr 10-18 Uhr; Sa 10-14 Uhr", "Mo-Fr 10:00-18:00; Sa 10:00-14:00"),
    ("Montag bis Freitag 10:00 - 18:00 Uhr", "Mo-Fr 10:00-18:00"),
    ("Mo und Mi 9-12 und 14-18 Uhr", "Mo,We 09:00-12:00,14:00-18:00"),
    ("Di-So 10-17 Uhr, Mo geschlossen", "Tu-Su 10:00-17:00; Mo off"),
    ("an Feiertagen geschlossen", "PH off"),
    ("Mo Di Mi Do Fr 8-16", "Mo,Tu,We,Th,Fr 08:00-16:00"),
    ("Mo.-Fr. 9–17 Uhr", "Mo-Fr 09:00-17:00"),
    ("Sa/So 11-17h", "Sa,Su 11:00-17:00"),
    ("täglich 10 bis 18 Uhr", "Mo-Su 10:00-18:00"),
    ("rund um die Uhr", "24/7"),
    ("Sa 10-14 Uhr und nach Vereinbarung", 'Sa 10:00-14:00 "nach Vereinbarung"'),
    ("April bis Oktober Sa, So 10-18 Uhr", "Apr-Oct Sa,Su 10:00-18:00"),
    (
        "Mai bis September: täglich 10-18 Uhr; Okt-Apr: Sa und So 12-16 Uhr",
        "May-Sep Mo-Su 10:00-18:00; Oct-Apr Sa,Su 12:00-16:00",
    ),
    ("MO-FR 10-18 UHR", "Mo-Fr 10:00-18:00"),
    # Already OSM: kept exactly as written.
    ("Mo-Fr 09:00-17:00; PH off", "Mo-Fr 09:00-17:00; PH off"),
    (
        'Apr-Oct Sa-Su 11:00-18:00; "nach Vereinbarung"',
        'Apr-Oct Sa-Su 11:00-18:00; "nach Vereinbarung"',
    ),
    ("", ""),
]


@pytest.mark.parametrize(("typed", "stored"), GERMAN)
def test_german_opening_hours_become_osm(typed, stored):
    assert to_osm(typed) == stored
    validate_opening_hours(stored)  # what the form stores passes the model's validator


def test_the_stored_form_reads_back_in_german():
    stored = to_osm("Mo bis Fr 10 bis 18 Uhr, Sa 10.30-14 Uhr, So Ruhetag")
    assert humanize(stored) == (
        "Montag bis Freitag 10:00–18:00 Uhr; Samstag 10:30–14:00 Uhr; Sonntag geschlossen"
    )


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("werktags ab 9", "Schreiben Sie „Mo-Fr“ oder „Mo-Sa“"),
        ("Mo ab 10 Uhr", "„10-18 Uhr“ statt „ab 10 Uhr“"),
        ("Mo 10 Uhr", "Zu „10 Uhr“ fehlt das Ende"),
        ("Mo 25-26 Uhr", "Uhrzeiten gehen von 0 bis 24 Uhr"),
        ("Mo 10.75-12", "Uhrzeiten gehen von 0 bis 24 Uhr"),
        ("Apr-Okt", "„Apr-Okt Sa-So 10-18 Uhr“"),
        ("Mo bis", "fehlt der letzte Tag"),
        ("bis 18 Uhr", "Vor „bis“ fehlt der Anfang"),
        ("Montags Kuchen", "Das Wort „Kuchen“ kennen wir hier nicht"),
        ("<script>", "Das Zeichen „<“"),
    ],
)
def test_every_error_says_what_to_type_instead(typed, hint):
    with pytest.raises(OpeningHoursInputError) as caught:
        to_osm(typed)
    message = str(caught.value)
    assert hint in message
    assert "z. B." in message or "Schreiben Sie" in message


def test_long_input_is_refused_before_it_is_read_and_crafted_input_is_linear():
    with pytest.raises(OpeningHoursInputError, match=f"mehr als {MAX_INPUT_LENGTH} Zeichen"):
        to_osm("Mo " * 1000)
    started = time.perf_counter()
    for unit in ("Mo und ", "10-", "Mo bis ", "„", "10.30 "):
        value = (unit * MAX_INPUT_LENGTH)[: MAX_INPUT_LENGTH - 1] + "x"
        with pytest.raises(OpeningHoursInputError):
            to_osm(value)
    assert time.perf_counter() - started < 10
