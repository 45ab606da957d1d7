"""Phase 1 of an import: read the file (size, encoding, CSV or GeoJSON, row limit, header).

Any problem here refuses the whole file (``ImportFileError``); a problem of one GeoJSON
feature (not a point, coordinates no finite numbers) is that row's error.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import math
import os

from django.utils.translation import gettext as _

from .layout import CSV_SEPARATOR, ID_COLUMN, IGNORED_COLUMNS, LAYOUT_COLUMNS, REQUIRED_COLUMNS
from .report import ImportFileError, ImportReport, RowResult

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
CSV_FIELD_LIMIT = 100_000
# Properties of /api/orte.geojson that are not part of the layout; ignored on import. (The
# page id of a GeoJSON feature is its top-level "id" member.)
IGNORED_GEOJSON_PROPERTIES = ("url", "id", "full_url", "api_url", "region", "image")
#: Longer integers in a JSON file are kept as text (none of our numbers has more digits).
MAX_INT_DIGITS = 20


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
    with contextlib.suppress(UnicodeDecodeError):
        return raw.decode("utf-8"), "UTF-8"
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
        return CSV_SEPARATOR.join(
            _property_text(item) if isinstance(item, dict) else str(item) for item in value
        )
    if isinstance(value, dict):  # a slug or name object of /api/orte.geojson
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
    names: dict[str, None] = {}  # every feature's properties, in the order first seen
    for item in features:
        properties = item.get("properties") if isinstance(item, dict) else None
        if isinstance(properties, dict):  # else reported for its feature below
            names.update(dict.fromkeys(properties))
    columns = [n for n in names if n not in IGNORED_GEOJSON_PROPERTIES]
    # Coordinates come from the geometry.
    from_geometry = [c for c in ("latitude", "longitude") if c not in columns]
    _check_columns(
        [*columns, *from_geometry], ignored=IGNORED_GEOJSON_PROPERTIES, kind="Eigenschaft"
    )
    has_ids = any(isinstance(item, dict) and "id" in item for item in features)
    report.columns = [*columns, *from_geometry, *([ID_COLUMN] if has_ids else [])]
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
    if text.lstrip().startswith("{"):
        return parse_geojson(text, report)
    return parse_csv(text, report)
