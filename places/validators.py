"""Validation of place data with messages an editor understands."""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .opening_hours import MAX_LENGTH, OpeningHoursError, parse_rules

# Bounding box of Germany (with a small margin). A point outside is almost always a
# swapped or mistyped coordinate.
GERMANY_LAT = (Decimal("47.2"), Decimal("55.1"))
GERMANY_LON = (Decimal("5.8"), Decimal("15.1"))


def validate_latitude(value):
    if value is None:
        return
    if not GERMANY_LAT[0] <= Decimal(value) <= GERMANY_LAT[1]:
        raise ValidationError(
            _(
                "Die Breite %(value)s liegt nicht in Deutschland (erlaubt: 47,2 bis 55,1). "
                "Sind Breite und Länge vertauscht?"
            ),
            params={"value": value},
            code="latitude_outside_germany",
        )


def validate_longitude(value):
    if value is None:
        return
    if not GERMANY_LON[0] <= Decimal(value) <= GERMANY_LON[1]:
        raise ValidationError(
            _(
                "Die Länge %(value)s liegt nicht in Deutschland (erlaubt: 5,8 bis 15,1). "
                "Sind Breite und Länge vertauscht?"
            ),
            params={"value": value},
            code="longitude_outside_germany",
        )


def validate_postcode(value):
    if value and not re.fullmatch(r"\d{5}", value):
        raise ValidationError(
            _("Eine Postleitzahl hat fünf Ziffern, z. B. 29410."), code="invalid_postcode"
        )


def validate_founded_year(value):
    if value is None:
        return
    current_year = timezone.localdate().year
    if not 800 <= value <= current_year + 1:
        raise ValidationError(
            _("Das Gründungsjahr muss zwischen 800 und %(max)s liegen."),
            params={"max": current_year + 1},
            code="invalid_founded_year",
        )


def validate_opening_hours(value):
    """Accept the common subset of OpenStreetMap's ``opening_hours`` syntax.

    Read by ``places.opening_hours.parse_rules`` in time linear in the value (no regex
    backtracking) and refused beyond ``MAX_LENGTH`` characters before it is read.
    """
    if not value:
        return
    if len(value) > MAX_LENGTH:
        raise ValidationError(
            _("Öffnungszeiten dürfen höchstens %(max)s Zeichen lang sein."),
            params={"max": MAX_LENGTH},
            code="opening_hours_too_long",
        )
    try:
        valid = bool(parse_rules(value))
    except OpeningHoursError:
        valid = False
    if not valid:
        raise ValidationError(
            _(
                "Öffnungszeiten bitte im OpenStreetMap-Format angeben, z. B. "
                "„Mo-Fr 09:00-17:00; Sa 10:00-14:00“ oder „24/7“. "
                "Wochentage: Mo Tu We Th Fr Sa Su, Feiertage: PH."
            ),
            code="invalid_opening_hours",
        )
