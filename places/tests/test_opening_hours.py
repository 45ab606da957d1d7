import pytest

from places.opening_hours import humanize, humanize_lines, schema_org
from places.validators import validate_opening_hours


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "Mo-Fr 09:00-17:00; Sa 10:00-14:00; PH off",
            "Montag bis Freitag 9:00–17:00 Uhr; Samstag 10:00–14:00 Uhr; an Feiertagen geschlossen",
        ),
        ("24/7", "Rund um die Uhr geöffnet"),
        (
            "Mo,We,Fr 08:00-12:00,14:00-18:00",
            "Montag, Mittwoch und Freitag 8:00–12:00 und 14:00–18:00 Uhr",
        ),
        ("Fr 18:00-23:00+", "Freitag 18:00–23:00 Uhr (Ende offen)"),
        ("Apr-Oct Sa,Su 10:00-18:00", "April bis Oktober: Samstag und Sonntag 10:00–18:00 Uhr"),
        ('"nach Vereinbarung"', "Nach Vereinbarung"),
        ('Mo-Fr 09:00-17:00 "Werkstatt"', "Montag bis Freitag 9:00–17:00 Uhr (Werkstatt)"),
        ("PH off", "An Feiertagen geschlossen"),
        ("Su closed", "Sonntag geschlossen"),
        ("Sa,PH 10:00-14:00", "Samstag und an Feiertagen 10:00–14:00 Uhr"),
        (
            "Mo-Fr 09:00-17:00, Sa 10:00-12:00;",
            "Montag bis Freitag 9:00–17:00 Uhr; Samstag 10:00–12:00 Uhr",
        ),
        ("Tu-Th", "Dienstag bis Donnerstag geöffnet"),
        ("SH Mo-Fr 10:00-12:00", "SH Mo-Fr 10:00-12:00"),  # outside the subset: unchanged
        ("", ""),
    ],
)
def test_humanize(value, expected):
    assert humanize(value) == expected


def test_every_humanized_example_is_accepted_by_the_validator():
    for value in ["Mo-Fr 09:00-17:00; Sa 10:00-14:00; PH off", "Apr-Oct Sa,Su 10:00-18:00"]:
        validate_opening_hours(value)


def test_humanize_lines_gives_one_capitalised_line_per_rule():
    assert humanize_lines("Mo-Fr 09:00-17:00; PH off") == [
        "Montag bis Freitag 9:00–17:00 Uhr",
        "An Feiertagen geschlossen",
    ]
    assert humanize_lines("kaputt") == ["kaputt"]


def test_schema_org_keeps_weekday_rules_only():
    assert schema_org("Mo-Fr 09:00-12:00,13:00-17:00; Sa 10:00-14:00; PH off") == [
        "Mo-Fr 09:00-12:00",
        "Mo-Fr 13:00-17:00",
        "Sa 10:00-14:00",
    ]
    assert schema_org("24/7") == ["Mo-Su 00:00-24:00"]
    assert schema_org("Apr-Oct Sa 10:00-18:00") == []
    assert schema_org("unsinn") == []
