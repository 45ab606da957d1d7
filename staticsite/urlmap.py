"""Where a URL of the live site lives in the static site, and how links are rewritten.

A static host ignores query strings, so every URL with filters or a page number gets a path
of its own. The mapping is the same for every path (``static/js/staticsite.js`` mirrors it
for the filter forms):

* ``/orte/?tag=coworking&page=2`` → ``/orte/schlagwort=coworking/seite=2/``
  (file ``orte/schlagwort=coworking/seite=2/index.html``). Segments contain ``=``, which no
  Wagtail slug can, so they never collide with a page. Their order is fixed, several values
  of one parameter are sorted and joined with ``,``, unknown parameters and ``page=1`` are
  dropped (the views ignore them as well).
* files keep their name and extension:
  ``/api/orte.geojson?region=altmark`` → ``/api/orte.region=altmark.geojson``,
  ``/api/veranstaltungen.ics?place=12`` → ``/api/veranstaltungen.ort=12.ics``.
* the API's language ``locale`` (``api.locale``; ``de`` is the default and dropped):
  ``/api/orte.geojson?locale=en`` → ``/api/orte.sprache=en.geojson``. Pages have no such
  parameter: an English page has its own address (``/en/…``).
* /veranstaltungen/'s days ``von``/``bis`` have no segment: which days are "upcoming" changes
  every night, so the static site offers the region and field variants only
  (docs/static-site.md).
"""

from __future__ import annotations

import posixpath
from urllib.parse import parse_qsl, quote, urlencode

from core.languages import DEFAULT

#: Query parameter → path segment name (German, like the site), in the order used in paths.
SEGMENTS = {
    "region": "region",
    "place": "ort",
    "category": "themenfeld",
    "tag": "schlagwort",
    "offer": "angebot",
    "status": "status",
    "municipality": "gemeinde",
    "q": "suche",
    "locale": "sprache",
    "page": "seite",
}


def canonical_query(query: str) -> list[tuple[str, str]]:
    """``[(parameter, value), …]`` in the fixed order; values sorted and joined by ``,``."""
    values: dict[str, set[str]] = {}
    page = None
    for key, value in parse_qsl(query or "", keep_blank_values=False):
        if key not in SEGMENTS:
            continue
        if key == "page":
            page = value.strip()  # the last one wins, as in request.GET.get()
            continue
        if key == "locale":
            # One language, the last one given (``api.locale.parse_language``); the default
            # one is no variant of its own.
            if value.strip():
                values[key] = {value.strip()} - {DEFAULT}
            continue
        parts = [value] if key in ("q", "municipality") else value.split(",")
        values.setdefault(key, set()).update(part.strip() for part in parts if part.strip())
    result = [(key, ",".join(sorted(values[key]))) for key in SEGMENTS if values.get(key)]
    if page and page.isdigit() and int(page) > 1:
        result.append(("page", str(int(page))))
    return result


def _disk_value(value: str) -> str:
    return value.replace("%", "%25").replace("/", "%2F")


def _url_value(value: str) -> str:
    return quote(_disk_value(value), safe="")


def _variant(path: str, query: str, encode) -> str:
    """``path`` with the canonical ``query`` as segments (a folder) or name parts (a file),
    each value through ``encode``."""
    items = canonical_query(query)
    if path.endswith("/"):
        return path + "".join(f"{SEGMENTS[key]}={encode(value)}/" for key, value in items)
    directory, name = posixpath.split(path)
    stem, ext = posixpath.splitext(name)
    suffix = "".join(f".{SEGMENTS[key]}={encode(value)}" for key, value in items)
    return posixpath.join(directory, f"{stem}{suffix}{ext}")


def output_file(path: str, query: str = "") -> str:
    """The file (relative to the output folder) that holds ``path?query``."""
    variant = _variant(path, query, _disk_value)
    return (variant + "index.html" if variant.endswith("/") else variant).lstrip("/")


def static_url(path: str, query: str = "") -> str:
    """The root-relative URL of ``path?query`` on the static site (without the base path)."""
    return _variant(path, query, _url_value)


def url_key(path: str, query: str = "") -> str:
    """A canonical identifier of a live-site URL: path plus the canonical query."""
    items = canonical_query(query)
    return f"{path}?{urlencode(items)}" if items else path
