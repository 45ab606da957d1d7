"""An address → a point, for the place form's „Punkt aus Adresse setzen“ button.

Two sources, in this order:

1. A geocoder the operator configured (``GEOCODER_URL``, a Nominatim-compatible ``/search``
   endpoint; docs/deployment.md). Off by default: without it no request leaves the server.
2. The centre of the municipality (or of the postcode area) from the table shipped in
   ``places/data/orte-sachsen-anhalt.csv`` (GeoNames, CC BY 4.0; see its header).

The result is a starting point: the editor moves the marker onto the building.
"""

import csv
import json
import logging
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings

from .validators import COORDINATE_PLACES, GERMANY_LAT, GERMANY_LON

logger = logging.getLogger(__name__)

TABLE = Path(__file__).resolve().parent / "data" / "orte-sachsen-anhalt.csv"


@dataclass(frozen=True)
class Point:
    latitude: Decimal
    longitude: Decimal
    #: "geocoder" (the address itself), "gemeinde" (a municipality's centre) or "plz"
    source: str
    #: What the point stands for, e.g. "Salzwedel (Altmarkkreis Salzwedel)"
    label: str


class GeocoderError(Exception):
    pass


# --- 1. The configured geocoder ------------------------------------------------------------


def geocoder_configured() -> bool:
    return bool(getattr(settings, "GEOCODER_URL", ""))


def ask_geocoder(street: str, postcode: str, municipality: str) -> Point | None:
    """The configured geocoder's first hit inside Germany; ``None`` when it has none or no
    geocoder is configured. ``GeocoderError`` when it cannot be reached or answers nonsense."""
    url = getattr(settings, "GEOCODER_URL", "")
    if not url or not (street or postcode or municipality):
        return None
    query = {"format": "jsonv2", "limit": "1", "countrycodes": "de", "accept-language": "de"}
    for key, value in (("street", street), ("postalcode", postcode), ("city", municipality)):
        if value:
            query[key] = value
    separator = "&" if "?" in url else "?"
    request = urllib.request.Request(
        url + separator + urllib.parse.urlencode(query),
        headers={"User-Agent": settings.GEOCODER_USER_AGENT, "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.GEOCODER_TIMEOUT) as response:
            hits = json.loads(response.read(1_000_000).decode("utf-8"))
        if not hits:
            return None
        hit = hits[0]
        latitude = Decimal(str(hit["lat"])).quantize(COORDINATE_PLACES)
        longitude = Decimal(str(hit["lon"])).quantize(COORDINATE_PLACES)
    except (OSError, ValueError, KeyError, TypeError, IndexError, ArithmeticError) as error:
        raise GeocoderError(str(error)) from error
    if not (GERMANY_LAT[0] <= latitude <= GERMANY_LAT[1]):
        return None
    if not (GERMANY_LON[0] <= longitude <= GERMANY_LON[1]):
        return None
    return Point(latitude, longitude, "geocoder", str(hit.get("display_name") or ""))


# --- 2. The municipalities' table ----------------------------------------------------------

_PREFIXES = re.compile(r"^(?:hansestadt|lutherstadt|stadt|flecken|gemeinde|landkreis)\s+")


def normalise(name: str) -> str:
    """``"Hansestadt Salzwedel"``, ``"salzwedel "`` → ``"salzwedel"``."""
    name = " ".join((name or "").replace("\u00a0", " ").split()).casefold()
    return _PREFIXES.sub("", name)


def _variants(name: str) -> list[str]:
    """Spellings to look ``name`` up under: as written, without a bracket („Kalbe (Milde)“
    → „kalbe“), and each part of „Salzwedel OT Chüden“ / „Chüden, Salzwedel“."""
    variants = []
    for part in [name, *re.split(r"\s+OT\s+|,|/", name or "", flags=re.IGNORECASE)]:
        key = normalise(part)
        for candidate in (key, re.sub(r"\s*\(.*?\)\s*", " ", key).strip()):
            if candidate and candidate not in variants:
                variants.append(candidate)
    return variants


@dataclass(frozen=True)
class _Place:
    name: str
    district: str
    postcodes: tuple[str, ...]
    latitude: Decimal
    longitude: Decimal


def _mean(rows: list[dict], column: str) -> Decimal:
    return (sum(Decimal(row[column]) for row in rows) / len(rows)).quantize(COORDINATE_PLACES)


@cache
def _table() -> tuple[dict[str, list[_Place]], dict[str, list[_Place]]]:
    """``(by name variant, by postcode)``; one entry per name and district, its point the
    mean of the name's postcode areas."""
    rows: dict[tuple[str, str], list[dict]] = {}
    with TABLE.open(encoding="utf-8") as file:
        lines = (line for line in file if not line.startswith("#"))
        for row in csv.DictReader(lines):
            rows.setdefault((row["name"], row["district"]), []).append(row)
    by_name: dict[str, list[_Place]] = {}
    by_postcode: dict[str, list[_Place]] = {}
    for (name, district), group in rows.items():
        place = _Place(
            name=name,
            district=district,
            postcodes=tuple(row["postcode"] for row in group),
            latitude=_mean(group, "latitude"),
            longitude=_mean(group, "longitude"),
        )
        for key in _variants(name):
            by_name.setdefault(key, []).append(place)
        for postcode in place.postcodes:
            by_postcode.setdefault(postcode, []).append(place)
    return by_name, by_postcode


def _district_key(district: str) -> str:
    return normalise(district).removeprefix("kreisfreie stadt ")


def municipality_centre(municipality: str, postcode: str = "", district: str = "") -> Point | None:
    """The centre of ``municipality`` from the table (the one with ``postcode``, else in
    ``district``, when several share the name); else the centre of the postcode's area."""
    by_name, by_postcode = _table()
    for key in _variants(municipality):
        candidates = by_name.get(key)
        if not candidates:
            continue
        best = sorted(
            candidates,
            key=lambda place: (
                postcode not in place.postcodes,
                bool(district) and _district_key(district) != _district_key(place.district),
            ),
        )[0]
        return Point(best.latitude, best.longitude, "gemeinde", f"{best.name} ({best.district})")
    places = by_postcode.get((postcode or "").strip())
    if places:
        place = places[0]
        return Point(
            place.latitude, place.longitude, "plz", f"PLZ {postcode.strip()} ({place.name})"
        )
    return None


def locate(street: str = "", postcode: str = "", municipality: str = "", district: str = ""):
    """The best point for an address: the geocoder's when configured and found, else the
    municipality's centre. ``(point or None, note)``, the note naming a geocoder failure."""
    note = ""
    if geocoder_configured():
        try:
            point = ask_geocoder(street, postcode, municipality)
        except GeocoderError as error:
            logger.warning("Geocoder failed: %s", error)
            point, note = None, "geocoder_failed"
        if point:
            return point, note
    return municipality_centre(municipality, postcode, district), note
