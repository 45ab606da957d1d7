"""The column layout of a region's places as CSV or GeoJSON: import, export and ``/api/orte.csv``.

The contract (docs/redaktion.md, ``CONTRACT.md``): the import/export layout is the page ``id``
(empty for a new place) and the columns of ``/api/orte.csv`` without ``url``; several slugs
in one cell are separated by ``|``.
"""

import re

from places.models import PlacePage

#: The columns of ``/api/orte.csv``.
CSV_COLUMNS = [
    "external_id",
    "title",
    "teaser",
    "street",
    "postcode",
    "municipality",
    "district",
    "latitude",
    "longitude",
    "categories",
    "tags",
    "offers",
    "status",
    "website",
    "email",
    "phone",
    "contact_person",
    "opening_hours",
    "founded",
    "former_use",
    "url",
]
CSV_SEPARATOR = "|"
IGNORED_COLUMNS = ("url",)  # written by /api/orte.csv, never imported
#: The page id: written by the export, matches a row to its place (empty for a new place).
ID_COLUMN = "id"
LAYOUT_COLUMNS = [ID_COLUMN, *(column for column in CSV_COLUMNS if column not in IGNORED_COLUMNS)]
REQUIRED_COLUMNS = ("title", "municipality", "latitude", "longitude", "categories")
MULTI_COLUMNS = ("categories", "tags", "offers")
#: The columns that are not text: coordinates, choices, numbers and lists of slugs.
_NOT_TEXT = ("latitude", "longitude", "status", "founded", *MULTI_COLUMNS, *IGNORED_COLUMNS)
#: The columns that are the place's text fields, in the layout's order.
TEXT_FIELDS = tuple(column for column in CSV_COLUMNS if column not in _NOT_TEXT)

#: How a cell starts that a spreadsheet may run as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A value that is only a number or phone number cannot be a spreadsheet formula.
_PLAIN_NUMBER = re.compile(r"^[+-]?[\d\s()/.,-]+$")


def safe_cell(value) -> str:
    """A CSV cell that no spreadsheet runs as a formula (leading apostrophe if needed)."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def latest_places(region):
    """``(page, its latest revision)`` of every place of ``region``, drafts included, by title."""
    pages = (
        PlacePage.objects.child_of(region)
        .order_by("title", "pk")
        .prefetch_related("categories", "offers", "tags")
    )
    return ((page, page.get_latest_revision_as_object()) for page in pages)


def place_values(place) -> dict:
    """A place's values in the import's data types (for comparison and the export)."""
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
