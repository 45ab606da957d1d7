"""Bulk import and export of a region's places (CSV and GeoJSON).

The column layout is the one of ``/api/orte.csv`` (``places.api.CSV_COLUMNS``) without ``url``;
several slugs in one cell are separated by ``|``. See docs/redaktion.md for the editors' view.

The import works in three phases and touches the database only in the last one:

1. **Read** the file: size limit, encoding (UTF-8 with or without BOM, UTF-16 with BOM, else
   Windows-1252 as saved by a German Excel), format (GeoJSON if it parses as a JSON object,
   else CSV with ``,``, ``;`` or tab as found in the header line), row limit, header check.
   Any problem here refuses the whole file.
2. **Validate** every row with the model's fields and validators; match it to an existing place
   of the region (the page ``id`` the export writes, else ``external_id``, else title +
   municipality; each compared with the place's live values and its latest draft) and flag
   possible duplicates.
3. **Write** every valid row in one transaction. A row is compared with the place's latest
   revision (draft with draft): an unchanged row writes nothing and publishes nothing, ever.
   New places become drafts, changed places a new revision. With ``publish``, only a new place
   and a changed row of a live place without pending changes are published. Every other
   existing place gets a new draft revision only, and the report says why: a place in a
   moderation workflow (never published around it), one taken offline (a moderator's decision
   that a batch import does not undo), one never published (a draft nobody approved, e.g.
   from an application) and a live place with unpublished changes (an editor's pending,
   unreviewed draft would go live with the row).
   Rejected rows are reported and skipped (``strict`` skips writing entirely when any row is
   rejected). Any error while writing rolls back everything.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import os
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from places.api import CSV_COLUMNS, CSV_SEPARATOR, safe_cell

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
DUPLICATE_DISTANCE_M = 500
CSV_FIELD_LIMIT = 100_000

IGNORED_COLUMNS = ("url",)  # written by /api/orte.csv, never imported
# Properties of /api/orte.geojson that are not part of the layout; ignored on import. (The
# page id of a GeoJSON feature is its top-level "id" member.)
IGNORED_GEOJSON_PROPERTIES = ("url", "id", "full_url", "api_url", "region", "image")
#: The page id: written by the export, matches a row to its place (empty for a new place).
ID_COLUMN = "id"
LAYOUT_COLUMNS = [ID_COLUMN, *(column for column in CSV_COLUMNS if column not in IGNORED_COLUMNS)]
MAX_PAGE_ID = 2**31 - 1
#: Longer integers in a JSON file are kept as text (none of our numbers has more digits).
MAX_INT_DIGITS = 20
REQUIRED_COLUMNS = ("title", "municipality", "latitude", "longitude", "categories")
MULTI_COLUMNS = ("categories", "tags", "offers")
TEXT_FIELDS = (
    "external_id",
    "title",
    "teaser",
    "street",
    "postcode",
    "municipality",
    "district",
    "website",
    "email",
    "phone",
    "contact_person",
    "opening_hours",
    "former_use",
)
COORDINATE_PLACES = Decimal("0.000001")

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# "=…" always; "+SUM(", "-HYPERLINK(", "@IF(" … too. "+49 3901 …" or "- Café" are text.
_FORMULA = re.compile(r"^(=|[+\-@]\s*[A-Za-z_][A-Za-z0-9_.]*\s*\()")
_HTML = re.compile(r"<\s*[A-Za-z/!]|&[A-Za-z]+;|&#\d+;")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ImportFileError(Exception):
    """The file as a whole cannot be imported; nothing was written."""


@dataclass
class RowResult:
    number: int  # line in a CSV file, feature number in GeoJSON
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    action: str = ""  # create | update | unchanged | rejected
    page_id: int | None = None
    given_id: int | None = None  # the row's "id" (page id from an export)
    published: bool = False

    @property
    def title(self) -> str:
        return self.values.get("title", "")


ACTION_LABELS = {
    "create": "neu",
    "update": "geändert",
    "unchanged": "unverändert",
    "rejected": "abgelehnt",
}


@dataclass
class ImportReport:
    region: object
    file_format: str = ""
    encoding: str = ""
    delimiter: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False
    publish: bool = False
    strict: bool = False
    written: bool = False

    @property
    def row_label(self) -> str:
        return "Objekt" if self.file_format == "GeoJSON" else "Zeile"

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def rejected(self) -> list[RowResult]:
        return [row for row in self.rows if row.action == "rejected"]

    @property
    def flagged(self) -> list[RowResult]:
        return [row for row in self.rows if row.warnings and row.action != "rejected"]

    def summary(self) -> str:
        counts = ", ".join(
            f"{self.count(action)} {label}" for action, label in ACTION_LABELS.items()
        )
        if self.dry_run:
            verb = "Probelauf, nichts gespeichert"
        elif not self.written:
            verb = "nichts gespeichert"
        elif self.publish:
            published = sum(1 for row in self.rows if row.published)
            verb = f"gespeichert, {published} veröffentlicht"
        else:
            verb = "als Entwürfe gespeichert"
        return f"{len(self.rows)} Datensätze: {counts} ({verb})."

    def lines(self) -> list[str]:
        lines = [
            f"Datei: {self.file_format}, Kodierung {self.encoding}"
            + (f", Trennzeichen „{self.delimiter}“" if self.delimiter else "")
            + f"; Region „{self.region.title}“.",
            *self.notes,
        ]
        for row in self.rejected:
            reasons = "; ".join(row.errors)
            title = f" „{row.title}“" if row.title else ""
            lines.append(f"{self.row_label} {row.number}{title}: abgelehnt – {reasons}")
        for row in self.flagged:
            hints = "; ".join(row.warnings)
            title = f" „{row.title}“" if row.title else ""
            lines.append(
                f"{self.row_label} {row.number}{title} ({ACTION_LABELS[row.action]}): "
                f"Hinweis – {hints}"
            )
        if self.strict and self.rejected and not self.dry_run:
            lines.append("Strenger Modus: Weil Zeilen abgelehnt wurden, wurde nichts gespeichert.")
        lines.append(self.summary())
        return lines


class ProgressBar:
    """A small progress bar on stderr, shown only on a terminal."""

    def __init__(self, total: int, label: str, stream=None, enabled: bool | None = None):
        self.total = max(total, 1)
        self.label = label
        self.stream = stream or sys.stderr
        isatty = getattr(self.stream, "isatty", lambda: False)
        self.enabled = isatty() if enabled is None else enabled
        self.done = 0
        self._last = -1

    def update(self, step: int = 1) -> None:
        self.done += step
        if not self.enabled:
            return
        percent = int(100 * self.done / self.total)
        if percent == self._last:
            return
        self._last = percent
        filled = percent * 30 // 100
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] {percent:3d} % "
            f"({self.done}/{self.total})"
        )
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self._last >= 0:
            self.stream.write("\n")
            self.stream.flush()


# --- Phase 1: read ---------------------------------------------------------------------------


def decode(raw: bytes) -> tuple[str, str]:
    """The text and the name of its encoding, or ``ImportFileError``."""
    if raw.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            _(
                "Das ist eine Excel- oder ZIP-Datei, keine CSV-Datei. In Excel „Speichern unter“ "
                "→ „CSV UTF-8 (durch Trennzeichen getrennt)“ wählen."
            )
        )
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise ImportFileError(_("Die UTF-16-Datei ist beschädigt.")) from exc
    if b"\x00" in raw:
        raise ImportFileError(
            _("Die Datei enthält Nullbytes – sie ist keine Text-, CSV- oder GeoJSON-Datei.")
        )
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw[len(codecs.BOM_UTF8) :].decode("utf-8"), "UTF-8"
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                _("Die Datei ist als UTF-8 markiert, hat aber ungültige Zeichen (Byte %(pos)s).")
                % {"pos": exc.start + len(codecs.BOM_UTF8)}
            ) from exc
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _(
                "Die Zeichenkodierung ist weder UTF-8 noch Windows-1252 (Byte %(pos)s). "
                "Bitte als „CSV UTF-8“ speichern."
            )
            % {"pos": exc.start}
        ) from exc


def read_file(path) -> tuple[str, str]:
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise ImportFileError(
            _("Die Datei „%(path)s“ lässt sich nicht öffnen.") % {"path": path}
        ) from exc
    if size > MAX_FILE_BYTES:
        raise ImportFileError(
            _(
                "Die Datei ist %(size).1f MB groß; erlaubt sind höchstens %(max)d MB. "
                "Bitte in mehrere Dateien aufteilen."
            )
            % {"size": size / 1024 / 1024, "max": MAX_FILE_BYTES // 1024 // 1024}
        )
    with open(path, "rb") as handle:
        raw = handle.read(MAX_FILE_BYTES + 1)
    if not raw.strip():
        raise ImportFileError(_("Die Datei ist leer."))
    return decode(raw)


def _too_many_rows():
    return ImportFileError(
        _(
            "Die Datei hat mehr als %(max)s Datensätze. Bitte in mehrere Dateien mit höchstens "
            "%(max)s Datensätzen aufteilen."
        )
        % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
    )


def _check_columns(columns: list[str], ignored=IGNORED_COLUMNS, kind="Spalte") -> None:
    errors = []
    seen = set()
    for column in columns:
        if column in seen:
            errors.append(
                _("%(kind)s „%(name)s“ kommt doppelt vor.") % {"kind": kind, "name": column}
            )
        seen.add(column)
    unknown = [c for c in columns if c not in LAYOUT_COLUMNS and c not in ignored]
    if unknown:
        errors.append(
            _("Unbekannte %(kind)s(n): %(names)s. Erlaubt sind: %(allowed)s.")
            % {
                "kind": kind,
                "names": ", ".join(f"„{name}“" for name in unknown),
                "allowed": ", ".join(LAYOUT_COLUMNS),
            }
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in seen]
    if missing:
        errors.append(
            _("Pflicht-%(kind)s(n) fehlen: %(names)s.")
            % {"kind": kind, "names": ", ".join(f"„{name}“" for name in missing)}
        )
    if errors:
        raise ImportFileError(" ".join(errors))


def parse_csv(text: str, report: ImportReport) -> list[RowResult]:
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    if first_line.count(delimiter) == 0:
        raise ImportFileError(
            _("In der Kopfzeile steht kein Trennzeichen (Komma, Semikolon oder Tabulator).")
        )
    report.file_format = "CSV"
    report.delimiter = {"\t": "Tab"}.get(delimiter, delimiter)
    csv.field_size_limit(CSV_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows = []
    try:
        header = next(reader)
        columns = [cell.strip().lstrip("\ufeff").lower() for cell in header]
        # Excel likes to add empty columns at the end.
        while columns and not columns[-1]:
            columns.pop()
        if "" in columns:
            raise ImportFileError(
                _("Spalte %(n)s hat keine Überschrift.") % {"n": columns.index("") + 1}
            )
        _check_columns(columns)
        report.columns = columns
        line = reader.line_num + 1
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise _too_many_rows()
            row = RowResult(number=start, values={})
            extra = cells[len(columns) :]
            if any(cell.strip() for cell in extra):
                row.errors.append(
                    _("mehr Zellen (%(cells)s) als Spalten (%(columns)s) – unbekanntes Feld")
                    % {"cells": len(cells), "columns": len(columns)}
                )
            for index, column in enumerate(columns):
                if column in IGNORED_COLUMNS:
                    continue
                row.values[column] = cells[index] if index < len(cells) else ""
            rows.append(row)
    except csv.Error as exc:
        raise ImportFileError(
            _("Die CSV-Datei ist in Zeile %(line)s kaputt: %(error)s.")
            % {"line": reader.line_num, "error": exc}
        ) from exc
    except StopIteration as exc:
        raise ImportFileError(_("Die Datei hat keine Kopfzeile.")) from exc
    return rows


def _property_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else ""
    if isinstance(value, list):
        parts = []
        for item in value:
            if isinstance(item, dict):
                item = item.get("slug") or item.get("name") or ""
            parts.append(str(item))
        return CSV_SEPARATOR.join(parts)
    if isinstance(value, dict):
        return str(value.get("slug") or value.get("name") or "")
    return str(value)


class _LongNumber(str):
    """An integer in the JSON with more digits than any field holds: kept as its digits
    (Python refuses to convert very long ones, and no coordinate or year is one)."""


def _json_int(digits: str):
    return int(digits) if len(digits.lstrip("-")) <= MAX_INT_DIGITS else _LongNumber(digits)


def _coordinate(value) -> float | None:
    """A finite number from a GeoJSON position, else ``None`` (no bool, string, list,
    NaN, Infinity, 1e400 or 400-digit integer)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)  # ints are at most MAX_INT_DIGITS long (``_json_int``)
    return number if math.isfinite(number) else None


def parse_geojson(text: str, report: ImportReport) -> list[RowResult]:
    report.file_format = "GeoJSON"
    try:
        data = json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            _("Die GeoJSON-Datei ist kein gültiges JSON (Zeile %(line)s, Spalte %(col)s).")
            % {"line": exc.lineno, "col": exc.colno}
        ) from exc
    except RecursionError as exc:
        raise ImportFileError(_("Die GeoJSON-Datei ist zu tief verschachtelt.")) from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ImportFileError(_("Erwartet wird eine GeoJSON-FeatureCollection."))
    features = data.get("features")
    if not isinstance(features, list):
        raise ImportFileError(_("Die FeatureCollection hat keine Liste „features“."))
    if len(features) > MAX_ROWS:
        raise _too_many_rows()
    names: list[str] = []
    for item in features:
        properties = item.get("properties") if isinstance(item, dict) else None
        if not isinstance(properties, dict):
            continue  # reported for its feature below
        for name in properties:
            if name not in names:
                names.append(name)
    columns = [n for n in names if n not in IGNORED_GEOJSON_PROPERTIES]
    # Coordinates come from the geometry.
    _check_columns(
        [*columns, *[c for c in ("latitude", "longitude") if c not in columns]],
        ignored=IGNORED_GEOJSON_PROPERTIES,
        kind="Eigenschaft",
    )
    report.columns = [
        *columns,
        *[c for c in ("latitude", "longitude") if c not in columns],
        *([ID_COLUMN] if any(isinstance(item, dict) and "id" in item for item in features) else []),
    ]
    rows = []
    for number, item in enumerate(features, start=1):
        row = RowResult(number=number, values={})
        rows.append(row)
        if not isinstance(item, dict) or item.get("type") != "Feature":
            row.errors.append(_("kein GeoJSON-Feature"))
            continue
        properties = item.get("properties") or {}
        if not isinstance(properties, dict):
            row.errors.append(_("„properties“ ist kein Objekt"))
            continue
        for column in columns:
            row.values[column] = _property_text(properties.get(column))
        feature_id = item.get("id")
        if feature_id is not None:
            plain = isinstance(feature_id, int | str) and not isinstance(feature_id, bool)
            row.values[ID_COLUMN] = str(feature_id) if plain else "?"
        geometry = item.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") != "Point":
            row.errors.append(_("die Geometrie ist kein Punkt [Länge, Breite]"))
            continue
        coordinates = geometry.get("coordinates")
        if not isinstance(coordinates, list) or not 2 <= len(coordinates) <= 3:
            row.errors.append(
                _("die Koordinaten des Punkts sind keine Liste [Länge, Breite] aus zwei Zahlen")
            )
            continue
        longitude, latitude = (_coordinate(value) for value in coordinates[:2])
        if longitude is None or latitude is None:
            row.errors.append(
                _(
                    "die Koordinaten des Punkts sind keine endlichen Zahlen (Text, Liste, NaN, "
                    "Infinity oder zu groß)"
                )
            )
            continue
        row.values["longitude"] = repr(longitude)
        row.values["latitude"] = repr(latitude)
    return rows


def parse(text: str, report: ImportReport) -> list[RowResult]:
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return parse_geojson(text, report)
    return parse_csv(text, report)


# --- Phase 2: validate -----------------------------------------------------------------------


def normalised_name(value: str) -> str:
    value = unicodedata.normalize("NFKD", value.lower().replace("ß", "ss"))
    value = "".join(char for char in value if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", value).split())


def distance_m(lat1, lon1, lat2, lon2) -> float:
    from places.models import distance_km

    return distance_km(float(lat1), float(lon1), float(lat2), float(lon2)) * 1000


def split_multi(value: str) -> list[str]:
    return list(dict.fromkeys(part.strip() for part in value.split(CSV_SEPARATOR) if part.strip()))


def parse_decimal(value: str) -> Decimal:
    text = value.strip().replace(" ", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")  # German decimal comma
    number = Decimal(text)
    if not number.is_finite():
        raise InvalidOperation
    return number.quantize(COORDINATE_PLACES, rounding=ROUND_HALF_UP)


class Context:
    """Reference data and the region's existing places, loaded once per import."""

    def __init__(self, region):
        from taggit.models import Tag

        from places.models import Category, Offer, PlacePage, PlaceStatus

        self.region = region
        self.categories = {c.slug: c for c in Category.objects.all()}
        self.offers = {o.slug: o for o in Offer.objects.all()}
        self.statuses = set(PlaceStatus.values)
        self.status_labels = {str(label).lower(): value for value, label in PlaceStatus.choices}
        self.tags_by_slug = {}
        self.tags_by_name = {}
        for tag in Tag.objects.all().only("id", "name", "slug"):
            self.tags_by_slug[tag.slug] = tag
            self.tags_by_name[tag.name.lower()] = tag
        # The region's places as they are live (the row) and as drafted (the latest
        # revision): a row is matched by either and compared with the draft.
        self.places = {}
        self.drafts = {}
        self.by_external_id: dict[str, list[int]] = {}
        self.by_title: dict[tuple[str, str], list[int]] = {}
        for place in PlacePage.objects.child_of(region).prefetch_related(
            "categories", "offers", "tags"
        ):
            self.places[place.pk] = place
            draft = place.get_latest_revision_as_object()
            self.drafts[place.pk] = draft
            external_ids = {place.external_id, draft.external_id} - {""}
            for external_id in external_ids:
                self.by_external_id.setdefault(external_id, []).append(place.pk)
            for version in {(place.title, place.municipality), (draft.title, draft.municipality)}:
                key = (version[0].strip().lower(), version[1].strip().lower())
                if place.pk not in self.by_title.get(key, []):
                    self.by_title.setdefault(key, []).append(place.pk)
        # Every place of the portal, for "same name nearby" (any region).
        self.nearby_index: dict[str, list[tuple]] = {}
        for pk, title, lat, lon, external_id in PlacePage.objects.filter(
            latitude__isnull=False, longitude__isnull=False
        ).values_list("pk", "title", "latitude", "longitude", "external_id"):
            self.nearby_index.setdefault(normalised_name(title), []).append(
                (pk, title, lat, lon, external_id)
            )

    def tag_slug(self, value: str) -> str:
        tag = self.tags_by_slug.get(value) or self.tags_by_name.get(value.lower())
        return tag.slug if tag else slugify(value)


def _field_error(column: str, error: ValidationError) -> str:
    return f"„{column}“: " + " ".join(str(message) for message in error.messages)


def clean_cell(row: RowResult, column: str, raw: str, spreadsheet: bool = True) -> str:
    """Strip a cell; in CSV files refuse spreadsheet formulas and undo the export's escape."""
    value = raw.strip()
    if spreadsheet and value.startswith("'") and len(value) > 1 and value[1] in _FORMULA_START:
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


def validate_row(
    row: RowResult, context: Context, columns: list[str], publish: bool, spreadsheet: bool = True
) -> None:
    from places.models import PlacePage

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
        if column in ("title", "municipality") and not value:
            continue
        try:
            data[column] = PlacePage._meta.get_field(column).clean(value, None)
        except ValidationError as exc:
            errors.append(_field_error(column, exc))

    for column, label in (("latitude", "Breite"), ("longitude", "Länge")):
        if column not in columns:
            continue
        value = values[column]
        if not value:
            errors.append(_("„%(column)s“ (%(label)s) fehlt") % {"column": column, "label": label})
            continue
        try:
            number = parse_decimal(value)
        except (InvalidOperation, ValueError):
            errors.append(
                _("„%(column)s“: „%(value)s“ ist keine Zahl") % {"column": column, "value": value}
            )
            continue
        try:
            data[column] = PlacePage._meta.get_field(column).clean(number, None)
        except ValidationError as exc:
            errors.append(_field_error(column, exc))

    if "founded" in columns:
        value = values["founded"]
        if not value:
            data["founded"] = None
        else:
            try:
                data["founded"] = PlacePage._meta.get_field("founded").clean(int(value), None)
            except ValueError:
                errors.append(_("„founded“: „%(value)s“ ist keine Jahreszahl") % {"value": value})
            except ValidationError as exc:
                errors.append(_field_error("founded", exc))

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


def match_rows(rows: list[RowResult], context: Context, publish: bool = False) -> None:
    """Decide create/update per row; reject duplicates within the file; flag near duplicates."""
    seen_ids: dict[str, int] = {}
    seen_keys: dict[tuple[str, str], int] = {}
    claimed: dict[int, int] = {}
    for row in rows:
        if row.errors:
            row.action = "rejected"
            continue
        external_id = row.data.get("external_id", "")
        key = (row.data.get("title", "").lower(), row.data.get("municipality", "").lower())
        if row.given_id is not None:
            _match_by_id(row, context, external_id, key)
            if row.errors:
                row.action = "rejected"
                continue
        if external_id:
            if external_id in seen_ids:
                row.errors.append(
                    _("doppelt: external_id „%(id)s“ steht schon in %(label)s %(n)s")
                    % {"id": external_id, "label": "Zeile/Objekt", "n": seen_ids[external_id]}
                )
            seen_ids.setdefault(external_id, row.number)
            candidates = context.by_external_id.get(external_id, [])
            if row.given_id is not None and candidates and candidates != [row.given_id]:
                row.errors.append(
                    _("„id“ %(id)s und external_id „%(ext)s“ gehören zu verschiedenen Orten")
                    % {"id": row.given_id, "ext": external_id}
                )
            candidates = [row.given_id] if row.given_id is not None else candidates
        else:
            if key in seen_keys:
                row.errors.append(
                    _("doppelt: Titel und Ort wie in Zeile/Objekt %(n)s") % {"n": seen_keys[key]}
                )
            candidates = context.by_title.get(key, [])
            if row.given_id is not None:
                candidates = [row.given_id]
        seen_keys.setdefault(key, row.number)
        if not external_id:
            # Matched by title and municipality: keep the place's own external_id.
            row.data.pop("external_id", None)
        if len(candidates) > 1:
            row.errors.append(
                _("mehrdeutig: passt zu mehreren vorhandenen Orten (IDs %(ids)s)")
                % {"ids": ", ".join(str(pk) for pk in candidates)}
            )
        elif candidates:
            page_id = candidates[0]
            if page_id in claimed:
                row.errors.append(
                    _("doppelt: derselbe vorhandene Ort wie in Zeile/Objekt %(n)s")
                    % {"n": claimed[page_id]}
                )
            claimed.setdefault(page_id, row.number)
            row.page_id = page_id
        if row.errors:
            row.action = "rejected"
            continue
        row.action = "update" if row.page_id else "create"
        existing = context.drafts[row.page_id].teaser if row.page_id else ""
        if not row.data.get("teaser", existing):
            if publish:
                row.errors.append(
                    _("„teaser“ (Kurzbeschreibung) fehlt; ohne sie kein Veröffentlichen")
                )
                row.action = "rejected"
                continue
            row.warnings.append(_("Kurzbeschreibung fehlt – vor dem Veröffentlichen ergänzen"))
        if row.action == "create" and "latitude" in row.data and "longitude" in row.data:
            for pk, title, lat, lon, other_id in context.nearby_index.get(
                normalised_name(row.data.get("title", "")), []
            ):
                if other_id and other_id == external_id:
                    continue
                meters = distance_m(row.data["latitude"], row.data["longitude"], lat, lon)
                if meters <= DUPLICATE_DISTANCE_M:
                    row.warnings.append(
                        _(
                            "möglicherweise doppelt: „%(title)s“ (ID %(pk)s) liegt %(m)s m "
                            "entfernt – nicht zusammengeführt, bitte prüfen"
                        )
                        % {"title": title, "pk": pk, "m": math.floor(meters)}
                    )


def _match_by_id(row: RowResult, context: Context, external_id: str, key) -> None:
    """A row with a page id: it must name a place of this region, and one that fits the row
    (same external_id, or the same title or municipality, live or drafted), so that a file
    of another portal or region, whose ids mean other places here, changes nothing."""
    place = context.places.get(row.given_id)
    if place is None:
        row.errors.append(
            _(
                "„id“ %(id)s ist kein Ort der Region „%(region)s“ (gelöscht oder aus einer "
                "anderen Datei?) – nicht übernommen; neue Orte ohne id eintragen"
            )
            % {"id": row.given_id, "region": context.region.title}
        )
        return
    draft = context.drafts[place.pk]
    known_ids = {place.external_id, draft.external_id} - {""}
    if external_id and known_ids and external_id not in known_ids:
        row.errors.append(
            _("„id“ %(id)s gehört zum Ort mit external_id „%(known)s“, nicht „%(ext)s“")
            % {"id": row.given_id, "known": ", ".join(sorted(known_ids)), "ext": external_id}
        )
        return
    names = {
        value.strip().lower()
        for value in (place.title, draft.title, place.municipality, draft.municipality)
    }
    if not (external_id and external_id in known_ids) and not ({key[0], key[1]} & names):
        row.errors.append(
            _(
                "„id“ %(id)s gehört zu „%(title)s“ (%(municipality)s); weder Titel noch Ort "
                "passen – nicht übernommen"
            )
            % {"id": row.given_id, "title": draft.title, "municipality": draft.municipality}
        )


# --- Export layout (also used to detect unchanged rows) --------------------------------------


def place_values(place) -> dict:
    """A place's values in the import's data types (for comparison)."""
    values = {column: getattr(place, column) for column in TEXT_FIELDS}
    values.update(
        latitude=place.latitude,
        longitude=place.longitude,
        founded=place.founded,
        status=place.status,
        categories=sorted(c.slug for c in place.categories.all()),
        offers=sorted(o.slug for o in place.offers.all()),
        tags=sorted(t.slug for t in place.tags.all()),
    )
    return values


def place_cells(place) -> list[str]:
    """One CSV row in ``LAYOUT_COLUMNS`` order, formatted like ``/api/orte.csv``."""
    values = place_values(place)
    cells = []
    for column in LAYOUT_COLUMNS:
        if column == ID_COLUMN:
            cells.append(str(place.pk))
            continue
        value = values[column]
        if column in MULTI_COLUMNS:
            cells.append(CSV_SEPARATOR.join(value))
        elif column in ("latitude", "longitude"):
            cells.append("" if value is None else str(value))
        else:
            cells.append(safe_cell(value))
    return cells


def _comparable(row: RowResult, context: Context) -> dict:
    data = dict(row.data)
    if "tags" in data:
        data["tags"] = sorted({context.tag_slug(tag) for tag in data["tags"]})
    return data


def _is_unchanged(place, row: RowResult, context: Context) -> bool:
    current = place_values(place)
    return all(current[column] == value for column, value in _comparable(row, context).items())


# --- Phase 3: write --------------------------------------------------------------------------


def unique_slug(title: str, taken: set[str]) -> str:
    from regions.onboarding import german_slugify

    base = (german_slugify(title) or "ort")[:70]
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _tags(values: list[str], context: Context):
    from taggit.models import Tag

    tags = []
    for value in values:
        tag = context.tags_by_slug.get(value) or context.tags_by_name.get(value.lower())
        if tag is None:
            tag = Tag.objects.create(name=value)
            context.tags_by_slug[tag.slug] = tag
            context.tags_by_name[tag.name.lower()] = tag
        tags.append(tag)
    return tags


def _apply(page, data: dict, context: Context) -> None:
    for column, value in data.items():
        if column == "categories":
            page.categories.set([context.categories[slug] for slug in value])
        elif column == "offers":
            page.offers.set([context.offers[slug] for slug in value])
        elif column == "tags":
            page.tags.set(_tags(value, context))
        else:
            setattr(page, column, value)


def _save(page, user, publish: bool) -> None:
    # Drafts may lack the teaser (reported as a hint); everything else is fully validated.
    exclude = ["teaser"] if not page.teaser and not publish else None
    page.full_clean(exclude=exclude)
    revision = page.save_revision(user=user, log_action=True, clean=False)
    if publish:
        revision.publish(user=user)


def publish_refusal(page) -> str:
    """Why a changed row of an existing place is saved as a draft only although ``publish``
    was given (empty: it may be published). Only a live page without unpublished changes is
    published: anything else would publish around the moderation."""
    prefix = _("Entwurf gespeichert, nicht veröffentlicht")
    if page.current_workflow_state is not None:
        reason = _("in der Freigabe (Workflow) – die Moderation entscheidet")
    elif not page.live and _was_published(page):
        reason = _("offline genommen – wieder online nur über die Verwaltung")
    elif not page.live:
        reason = _("noch nie veröffentlicht – bitte in der Redaktion freigeben")
    elif page.has_unpublished_changes:
        reason = _(
            "ausstehende Änderungen der Redaktion – bitte in der Redaktion prüfen und freigeben"
        )
    else:
        return ""
    return f"{prefix}: {reason}"


def _was_published(page) -> bool:
    """Whether ``page`` was online once (then someone took it offline)."""
    from wagtail.models import PageLogEntry

    if page.first_published_at is not None or page.last_published_at is not None:
        return True
    return PageLogEntry.objects.filter(page=page, action="wagtail.unpublish").exists()


def _plan_update(row: RowResult, context: Context, publish: bool) -> bool:
    """For a matched row: ``unchanged`` when it equals the place's latest revision (then
    nothing is written or published), else whether to publish, with the reason in the
    report when not. Returns whether to publish."""
    page, draft = context.places[row.page_id], context.drafts[row.page_id]
    if _is_unchanged(draft, row, context):
        row.action = "unchanged"
        return False
    if not publish:
        return False
    refusal = publish_refusal(page)
    if refusal:
        row.warnings.append(refusal)
        return False
    return True


def write(rows: list[RowResult], context: Context, user, publish: bool, progress) -> None:
    from places.models import PlacePage

    taken = set(PlacePage.objects.child_of(context.region).values_list("slug", flat=True))
    for row in rows:
        progress.update()
        try:
            with transaction.atomic():  # a savepoint: a row that fails this late is skipped alone
                _write_row(row, taken, context, user, publish)
        except ValidationError as exc:
            if row.action == "create":
                row.page_id = None
            row.action = "rejected"
            for column, messages in exc.message_dict.items():
                row.errors.append(f"„{column}“: " + " ".join(messages))


def _write_row(row, taken, context, user, publish) -> None:
    from places.models import PlacePage

    if row.action == "update":
        publish_row = _plan_update(row, context, publish)
        if row.action == "update":
            draft = context.drafts[row.page_id]
            _apply(draft, row.data, context)
            _save(draft, user, publish_row)
            row.published = publish_row
    elif row.action == "create":
        page = PlacePage(
            title=row.data["title"],
            slug=unique_slug(row.data["title"], taken),
            live=False,
            owner=user,
        )
        _apply(page, {k: v for k, v in row.data.items() if k not in MULTI_COLUMNS}, context)
        _apply(page, {k: v for k, v in row.data.items() if k in MULTI_COLUMNS}, context)
        context.region.add_child(instance=page)
        row.page_id = page.pk
        _save(page, user, publish)
        row.published = publish


def _classify_unchanged(rows: list[RowResult], context: Context, publish: bool) -> None:
    """For the report when nothing is written (a dry run, strict mode): which matched rows
    would change nothing, and which would be published or kept as drafts."""
    for row in rows:
        if row.action == "update":
            _plan_update(row, context, publish)


def run_import(
    path,
    region,
    *,
    dry_run: bool = False,
    publish: bool = False,
    strict: bool = False,
    user=None,
    progress_stream=None,
    show_progress: bool | None = None,
) -> ImportReport:
    """Import ``path`` into ``region``; raises ``ImportFileError`` when the file is refused."""
    report = ImportReport(region=region, dry_run=dry_run, publish=publish, strict=strict)
    text, report.encoding = read_file(path)
    rows = parse(text, report)
    report.rows = rows
    context = Context(region)
    progress = ProgressBar(len(rows), "Prüfen", progress_stream, show_progress)
    for row in rows:
        if not row.errors:
            validate_row(row, context, report.columns, publish, report.file_format == "CSV")
        progress.update()
    progress.close()
    match_rows(rows, context, publish)
    for row in rows:
        if row.errors:
            row.action = "rejected"
    if dry_run or (strict and report.rejected):
        _classify_unchanged(rows, context, publish)
        return report
    progress = ProgressBar(
        sum(1 for row in rows if row.action in ("create", "update")),
        "Speichern",
        progress_stream,
        show_progress,
    )
    rows_to_write = [row for row in rows if row.action in ("create", "update")]
    with transaction.atomic():
        write(rows_to_write, context, user, publish, progress)
    progress.close()
    report.written = True
    return report


def export_rows(region):
    """Header and rows of every place of ``region`` (drafts included, latest revision)."""
    from places.models import PlacePage

    yield list(LAYOUT_COLUMNS)
    pages = (
        PlacePage.objects.child_of(region)
        .order_by("title", "pk")
        .prefetch_related("categories", "offers", "tags")
    )
    for page in pages:
        yield place_cells(page.get_latest_revision_as_object())


def export_geojson(region) -> dict:
    """The same layout as a GeoJSON FeatureCollection (coordinates in the geometry)."""
    from places.models import PlacePage

    features = []
    pages = (
        PlacePage.objects.child_of(region)
        .order_by("title", "pk")
        .prefetch_related("categories", "offers", "tags")
    )
    for page in pages:
        values = place_values(page.get_latest_revision_as_object())
        lat, lon = values.pop("latitude"), values.pop("longitude")
        properties = {
            column: values[column]
            if column in MULTI_COLUMNS or column == "founded"
            else values[column] or ""
            for column in LAYOUT_COLUMNS
            if column not in ("latitude", "longitude", ID_COLUMN)
        }
        geometry = None
        if lat is not None and lon is not None:
            geometry = {"type": "Point", "coordinates": [float(lon), float(lat)]}
        features.append(
            {"type": "Feature", "id": page.pk, "geometry": geometry, "properties": properties}
        )
    return {"type": "FeatureCollection", "features": features}
