"""Validation of place data with messages an editor understands."""

import contextlib
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .opening_hours import MAX_LENGTH, OpeningHoursError, parse_rules

# Bounding box of Germany (with a small margin). A point outside is almost always a
# swapped or mistyped coordinate.
GERMANY_LAT = (Decimal("47.2"), Decimal("55.1"))
GERMANY_LON = (Decimal("5.8"), Decimal("15.1"))
# Saxony-Anhalt, named in the messages as the usual range (not enforced: regions elsewhere
# in Germany may join).
SAXONY_ANHALT_LAT = (Decimal("50.9"), Decimal("53.1"))
SAXONY_ANHALT_LON = (Decimal("10.5"), Decimal("13.2"))
#: Coordinates are kept to six decimals (about 10 cm; the model fields' ``decimal_places``).
COORDINATE_PLACES = Decimal("0.000001")


def parse_coordinate(text: str) -> Decimal:
    """``"52,8547"`` or ``"52.8547"`` (spaces ignored) as a finite ``Decimal`` rounded to
    ``COORDINATE_PLACES``; ``InvalidOperation`` for anything else (place form and import)."""
    number = Decimal(text.strip().replace(" ", "").replace(",", "."))
    if not number.is_finite():
        raise InvalidOperation
    return number.quantize(COORDINATE_PLACES, rounding=ROUND_HALF_UP)


def german_number(value) -> str:
    """``Decimal("52.85")`` → ``"52,85"``."""
    return format(Decimal(value).normalize(), "f").replace(".", ",")


def _check_in_germany(value, name, bounds, local, example, code):
    if value is None or bounds[0] <= Decimal(value) <= bounds[1]:
        return
    raise ValidationError(
        _(
            "Die %(name)s %(value)s liegt nicht in Deutschland. Erlaubt sind Werte von "
            "%(low)s bis %(high)s, in Sachsen-Anhalt etwa %(local_low)s bis %(local_high)s "
            "(z. B. %(example)s für Salzwedel). Sind Breite und Länge vertauscht?"
        ),
        params={
            "name": name,
            "value": german_number(value),
            "low": german_number(bounds[0]),
            "high": german_number(bounds[1]),
            "local_low": german_number(local[0]),
            "local_high": german_number(local[1]),
            "example": example,
        },
        code=code,
    )


def validate_latitude(value):
    _check_in_germany(
        value, _("Breite"), GERMANY_LAT, SAXONY_ANHALT_LAT, "52,8547", "latitude_outside_germany"
    )


def validate_longitude(value):
    _check_in_germany(
        value, _("Länge"), GERMANY_LON, SAXONY_ANHALT_LON, "11,1525", "longitude_outside_germany"
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
    with contextlib.suppress(OpeningHoursError):
        if parse_rules(value):
            return
    raise ValidationError(
        _(
            "Diese Öffnungszeiten können wir nicht lesen. Bitte so schreiben: "
            "„Mo-Fr 09:00-17:00; Sa 10:00-14:00“ oder „24/7“ (OpenStreetMap-Format; "
            "Wochentage: Mo Tu We Th Fr Sa Su, Feiertage: PH, geschlossen: off)."
        ),
        code="invalid_opening_hours",
    )
