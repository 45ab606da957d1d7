"""Phase 2 of an import, first half: check every row with the model's fields and validators.

Cells are stripped; opening hours may be written in German words as in the place form
(``places.hours_input``); in CSV files spreadsheet formulas are refused and the export's escape
(a leading apostrophe) is undone; control characters are refused, HTML is kept as text.
Every problem is the row's error (in German), never an exception.
"""

from __future__ import annotations

import re
from decimal import InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from places.hours_input import OpeningHoursInputError, to_osm
from places.models import PlacePage
from places.validators import parse_coordinate

from .layout import CSV_SEPARATOR, FORMULA_START, ID_COLUMN, TEXT_FIELDS
from .matching import Context
from .report import RowResult

MAX_PAGE_ID = 2**31 - 1
# "=…" always; "+SUM(", "-HYPERLINK(", "@IF(" … too. "+49 3901 …" or "- Café" are text.
_FORMULA = re.compile(r"^(=|[+\-@]\s*[A-Za-z_][A-Za-z0-9_.]*\s*\()")
_HTML = re.compile(r"<\s*[A-Za-z/!]|&[A-Za-z]+;|&#\d+;")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def split_multi(value: str) -> list[str]:
    return list(dict.fromkeys(part.strip() for part in value.split(CSV_SEPARATOR) if part.strip()))


def _clean_field(row: RowResult, column: str, value) -> None:
    """The model field's own cleaning and validators: the value into ``row.data``, or an error."""
    try:
        row.data[column] = PlacePage._meta.get_field(column).clean(value, None)
    except ValidationError as exc:
        row.errors.append(f"„{column}“: " + " ".join(str(message) for message in exc.messages))


def clean_cell(row: RowResult, column: str, raw: str, spreadsheet: bool = True) -> str:
    """Strip a cell; in CSV files refuse spreadsheet formulas and undo the export's escape."""
    value = raw.strip()
    if spreadsheet and value.startswith("'") and len(value) > 1 and value[1] in FORMULA_START:
        value = value[1:]  # the export's (and Excel's) escape of a text that looks like a formula
    elif spreadsheet and _FORMULA.match(value):
        row.errors.append(
            _(
                "„%(column)s“ enthält eine Tabellenformel („%(start)s…“); Formeln werden nicht "
                "übernommen – bitte den Wert als Text eintragen"
            )
            % {"column": column, "start": value[:12]}
        )
        return ""
    if _CONTROL.search(value):
        row.errors.append(_("„%(column)s“ enthält Steuerzeichen") % {"column": column})
        return ""
    if _HTML.search(value):
        row.warnings.append(
            _("„%(column)s“ enthält HTML-Zeichen; sie werden als Text gespeichert, nicht als HTML")
            % {"column": column}
        )
    return value


def validate_row(row: RowResult, context: Context, columns: list[str], spreadsheet=True) -> None:
    values = {
        column: clean_cell(row, column, row.values.get(column, ""), spreadsheet)
        for column in columns
    }
    data = row.data
    errors = row.errors

    for column in ("title", "municipality"):
        if column in columns and not values[column]:
            errors.append(_("„%(column)s“ fehlt") % {"column": column})

    if ID_COLUMN in columns and values[ID_COLUMN]:
        value = values[ID_COLUMN]
        digits = value.isascii() and value.isdigit() and len(value) <= len(str(MAX_PAGE_ID))
        if digits and 0 < int(value) <= MAX_PAGE_ID:
            row.given_id = int(value)
        else:
            errors.append(
                _("„id“: „%(value)s“ ist keine Seiten-ID (für neue Orte leer lassen)")
                % {"value": value[:40]}
            )

    for column in TEXT_FIELDS:
        if column not in columns:
            continue
        value = values[column]
        if column == "website" and value.lower().startswith("www."):
            value = "https://" + value
            row.warnings.append(_("Website ohne https:// – „https://“ ergänzt"))
        if column == "teaser" and not value:
            data[column] = ""  # checked once the row is matched (see match_rows)
            continue
        if column == "opening_hours" and value:
            # As in the place form: German words ("Mo bis Fr 10 bis 18 Uhr") become OSM.
            try:
                osm = to_osm(value)
            except OpeningHoursInputError as error:
                errors.append(f"„opening_hours“: {error}")
                continue
            if osm != value:
                row.warnings.append(
                    _("„opening_hours“: „%(typed)s“ als „%(osm)s“ übernommen")
                    % {"typed": value, "osm": osm}
                )
            value = osm
        if column not in ("title", "municipality") or value:
            _clean_field(row, column, value)

    for column, label in (("latitude", "Breite"), ("longitude", "Länge")):
        if column not in columns:
            continue
        value = values[column]
        if not value:
            errors.append(_("„%(column)s“ (%(label)s) fehlt") % {"column": column, "label": label})
            continue
        try:
            number = parse_coordinate(value)
        except InvalidOperation:
            errors.append(
                _("„%(column)s“: „%(value)s“ ist keine Zahl") % {"column": column, "value": value}
            )
            continue
        _clean_field(row, column, number)

    if "founded" in columns:
        value = values["founded"]
        if not value:
            data["founded"] = None
        else:
            try:
                _clean_field(row, "founded", int(value))
            except ValueError:
                errors.append(_("„founded“: „%(value)s“ ist keine Jahreszahl") % {"value": value})

    if "status" in columns:
        value = values["status"].lower()
        value = context.status_labels.get(value, value) or "aktiv"
        if value not in context.statuses:
            errors.append(
                _("„status“: unbekannter Wert „%(value)s“ (erlaubt: %(allowed)s)")
                % {"value": values["status"], "allowed": ", ".join(sorted(context.statuses))}
            )
        data["status"] = value

    for column, known, label in (
        ("categories", context.categories, "Themenfeld"),
        ("offers", context.offers, "Angebot"),
    ):
        if column not in columns:
            continue
        slugs = [slug.lower() for slug in split_multi(values[column])]
        unknown = [slug for slug in slugs if slug not in known]
        if unknown:
            errors.append(
                _("„%(column)s“: unbekannte(s) %(label)s %(values)s (erlaubt: %(allowed)s)")
                % {
                    "column": column,
                    "label": label,
                    "values": ", ".join(f"„{slug}“" for slug in unknown),
                    "allowed": ", ".join(sorted(known)),
                }
            )
        elif column == "categories" and not slugs:
            errors.append(_("„categories“ fehlt (mindestens ein Themenfeld)"))
        data[column] = sorted(slugs)

    if "tags" in columns:
        tags = split_multi(values["tags"])
        too_long = [tag for tag in tags if len(tag) > 100]
        if too_long:
            errors.append(_("„tags“: ein Schlagwort ist länger als 100 Zeichen"))
        data["tags"] = tags
