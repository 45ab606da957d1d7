from datetime import date

import pytest

from places.opening_hours import (
    humanize,
    humanize_lines,
    opening_hours_specification,
)
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


# --- schema.org openingHoursSpecification (seasons kept) -----------------------------------


def _spec(days, opens, closes, **extra):
    return {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": days,
        "opens": opens,
        "closes": closes,
        **extra,
    }


def test_specification_of_weekly_hours_with_holidays_closed():
    assert opening_hours_specification("Mo-Fr 09:00-12:00,13:00-17:00; Sa 10:00-14:00; PH off") == [
        _spec(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"], "09:00", "12:00"),
        _spec(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"], "13:00", "17:00"),
        _spec(["Saturday"], "10:00", "14:00"),
        _spec(["PublicHolidays"], "00:00", "00:00"),
    ]


def test_specification_keeps_seasons_with_their_dates():
    # During the season: this year's dates.
    assert opening_hours_specification(
        "Apr-Oct Sa,Su 10:00-18:00; Nov-Mar Su 12:00-16:00", today=date(2026, 7, 1)
    ) == [
        _spec(
            ["Saturday", "Sunday"],
            "10:00",
            "18:00",
            validFrom="2026-04-01",
            validThrough="2026-10-31",
        ),
        _spec(["Sunday"], "12:00", "16:00", validFrom="2026-11-01", validThrough="2027-03-31"),
    ]
    # After the summer season: next year's; the winter one running across the new year.
    assert opening_hours_specification(
        "Apr-Oct Sa,Su 10:00-18:00; Nov-Mar Su 12:00-16:00", today=date(2027, 1, 10)
    ) == [
        _spec(
            ["Saturday", "Sunday"],
            "10:00",
            "18:00",
            validFrom="2027-04-01",
            validThrough="2027-10-31",
        ),
        _spec(["Sunday"], "12:00", "16:00", validFrom="2026-11-01", validThrough="2027-03-31"),
    ]


def test_specification_follows_osm_overrides_and_leaves_out_what_schema_org_cannot_say():
    assert opening_hours_specification("Mo-Su 10:00-18:00; Mo off") == [
        _spec(["Monday"], "00:00", "00:00"),
        _spec(
            ["Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"], "10:00", "18:00"
        ),
    ]
    assert opening_hours_specification("24/7")[0]["closes"] == "23:59"
    assert opening_hours_specification('SH 10:00-12:00; "nach Vereinbarung"') == []
    assert opening_hours_specification("unsinn") == []
