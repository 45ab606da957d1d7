"""``/api/orte.geojson`` and ``/api/orte.csv``: every live, public place for maps and tables.

Both take the shared place filters (``places.queries``) plus ``bbox``. Bodies are cached in
Django's cache under the data version (``places.api_cache``) and the normalised filters;
``ETag``/``Last-Modified`` make an unchanged copy a ``304``.
"""

import csv
import gc
import io
import json
import re

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

import orjson

from .api_cache import DataVersion, conditional_response, set_validators
from .api_data import (
    THUMBNAIL_SPEC,
    PublicUrls,
    absolute,
    data_licence,
    exclude_unpublished_subtrees,
    images_with_renditions,
    licence_link_header,
    region_for_path,
    rendition_data,
    taxonomy_by_place,
    visible_region_map,
)
from .queries import FILTER_PARAMETERS, FilterError, parse_place_filters

ALLOWED_PARAMETERS = {*FILTER_PARAMETERS, "bbox", "_"}

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
# A value that is only a number or phone number cannot be a spreadsheet formula.
_PLAIN_NUMBER = re.compile(r"^[+-]?[\d\s()/.,-]+$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

ROW_FIELDS = (
    "pk",
    "title",
    "teaser",
    "path",
    "url_path",
    "external_id",
    "street",
    "postcode",
    "municipality",
    "district",
    "latitude",
    "longitude",
    "status",
    "website",
    "email",
    "phone",
    "contact_person",
    "opening_hours",
    "founded",
    "former_use",
    "hero_image_id",
)


def error_response(errors: dict[str, str], message: str | None = None, status: int = 400):
    return JsonResponse(
        {"message": message or _("Ungültige Parameter."), "errors": errors},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def parse_request_filters(request):
    """Validated filters, or raise ``FilterError`` (also for unknown parameters)."""
    unknown = sorted(set(request.GET.keys()) - ALLOWED_PARAMETERS)
    if unknown:
        raise FilterError(
            {
                name: _("Unbekannter Parameter. Erlaubt: %(allowed)s.")
                % {"allowed": ", ".join(sorted(ALLOWED_PARAMETERS - {"_"}))}
                for name in unknown
            }
        )
    return parse_place_filters(request.GET, allow_bbox=True)


def place_rows(filters, request=None) -> list[dict]:
    """All visible places with coordinates matching ``filters``, as plain dicts.

    A fixed number of queries whatever the count: places, regions, categories, offers,
    tags, hero images and their renditions, site root paths.
    """
    from .models import PlacePage

    queryset = exclude_unpublished_subtrees(
        PlacePage.objects.visible().filter(latitude__isnull=False, longitude__isnull=False)
    ).order_by("title", "pk")
    queryset = filters.apply(queryset)
    rows = list(queryset.values(*ROW_FIELDS))
    if not rows:
        return []

    taxonomy = taxonomy_by_place(queryset.order_by().values("pk"))
    categories, offers, tags = taxonomy["categories"], taxonomy["offers"], taxonomy["tags"]

    regions = visible_region_map()
    images = images_with_renditions(row["hero_image_id"] for row in rows)
    urls = PublicUrls(request)
    thumbnails = {}
    result = []
    for row in rows:
        region = region_for_path(regions, row["path"])
        if region is None:  # below a region that is not public
            continue
        image_id = row["hero_image_id"]
        if image_id and image_id not in thumbnails:
            image = images.get(image_id)
            rendition = rendition_data(image, THUMBNAIL_SPEC, request) if image else None
            thumbnails[image_id] = rendition["url"] if rendition else None
        row["url"], row["full_url"] = urls.for_url_path(row["url_path"])
        row["region"] = region
        row["categories"] = categories[row["pk"]]
        row["offers"] = offers[row["pk"]]
        row["tags"] = tags[row["pk"]]
        row["image"] = thumbnails.get(image_id)
        result.append(row)
    return result


def feature(row: dict, api_base: str) -> dict:
    return {
        "type": "Feature",
        "id": row["pk"],
        "geometry": {
            "type": "Point",
            "coordinates": [float(row["longitude"]), float(row["latitude"])],
        },
        "properties": {
            "id": row["pk"],
            "title": row["title"],
            "teaser": row["teaser"],
            "url": row["url"],
            "full_url": row["full_url"],
            "api_url": f"{api_base}{row['pk']}/",
            "region": row["region"],
            "municipality": row["municipality"],
            "categories": row["categories"],
            "tags": row["tags"],
            "offers": row["offers"],
            "status": row["status"],
            "image": row["image"],
        },
    }


def feature_collection(rows: list[dict], request=None) -> dict:
    licence = data_licence()
    api_base = absolute("/api/v2/pages/", request)
    return {
        "type": "FeatureCollection",
        # Foreign members (RFC 7946, section 6.1): the data licence and attribution.
        "license": licence,
        "attribution": licence["attribution"],
        "features": [feature(row, api_base) for row in rows],
    }


def safe_cell(value) -> str:
    """A CSV cell that no spreadsheet runs as a formula (leading apostrophe if needed)."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def csv_body(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        values = {
            **row,
            "categories": CSV_SEPARATOR.join(item["slug"] for item in row["categories"]),
            "tags": CSV_SEPARATOR.join(item["slug"] for item in row["tags"]),
            "offers": CSV_SEPARATOR.join(item["slug"] for item in row["offers"]),
            "url": row["full_url"] or row["url"],
        }
        writer.writerow(
            [
                str(values[column])
                if column in ("latitude", "longitude")
                else safe_cell(values[column])
                for column in CSV_COLUMNS
            ]
        )
    # UTF-8 with BOM so that Excel (German locale) shows umlauts correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _cached_export(request, kind: str, content_type: str, render):
    try:
        filters = parse_request_filters(request)
    except FilterError as exc:
        return error_response(exc.errors)
    normalised = json.dumps(filters.as_query_dict(), sort_keys=True)
    version = DataVersion()
    parts = (kind, request.scheme, request.get_host(), normalised)
    etag = version.etag_for(*parts)
    not_modified = conditional_response(request, version, etag)
    if not_modified is not None:
        not_modified["Link"] = licence_link_header()
        return not_modified

    from django.core.cache import cache

    key = version.body_cache_key(*parts)
    body = cache.get(key)
    if body is None:
        # Thousands of small dicts: the cyclic GC would scan them again and again while
        # they are built; none of them can form a cycle, so pause it for the build.
        gc.disable()
        try:
            body = render(place_rows(filters, request))
        finally:
            gc.enable()
        cache.set(key, body, timeout=60 * 60 * 24)
    response = HttpResponse(body, content_type=content_type)
    response["Link"] = licence_link_header()
    return set_validators(response, version, etag)


@require_safe
def places_geojson(request):
    return _cached_export(
        request,
        "geojson",
        "application/geo+json",
        lambda rows: orjson.dumps(feature_collection(rows, request)),
    )


@require_safe
def places_csv(request):
    response = _cached_export(request, "csv", "text/csv; charset=utf-8", csv_body)
    if response.status_code == 200:
        response["Content-Disposition"] = 'attachment; filename="orte.csv"'
    return response
