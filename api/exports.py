"""``/api/orte.geojson`` and ``/api/orte.csv``: every live, public place for maps and tables.

Both take the shared place filters (``places.queries``) plus ``bbox``. Each place's feature
and CSV row are kept pre-rendered (``api.snapshots``), so a body is the visible places'
pieces joined. Validators, ``304`` and the kept body: ``api.http.cached_response``, under
the parsed filters as the canonical query.
"""

import csv
import gc
import io

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

import orjson

from core.query_keys import encode
from places.api_fields import (
    THUMBNAIL_SPEC,
    images_with_renditions,
    region_for_path,
    rendition_data,
    visible_region_map,
)
from places.imports.layout import (
    CSV_COLUMNS,
    CSV_SEPARATOR,
    IGNORED_COLUMNS,
    MULTI_COLUMNS,
    safe_cell,
)
from places.models import PlacePage
from places.queries import FILTER_PARAMETERS, FilterError, parse_place_filters

from .data import PublicUrls, data_licence, licence_link_header, taxonomy_by_place
from .http import cached_response, response_cache_seconds
from .snapshots import BASE_MARKER, Pieces, settings_key, with_base_url

ALLOWED_PARAMETERS = {*FILTER_PARAMETERS, "bbox", "_"}
#: Raise when a feature's or a CSV row's shape changes: every stored one becomes stale.
EXPORT_FORMAT = "1"
#: Bodies without free text: kept until the data changes (a publish makes a new version).
BODY_SECONDS = 60 * 60 * 24

#: The model fields a piece is made of: the CSV's own columns, and what finds the rest.
ROW_FIELDS = (
    *(column for column in CSV_COLUMNS if column not in (*MULTI_COLUMNS, *IGNORED_COLUMNS)),
    *("pk", "path", "url_path", "hero_image_id"),
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


def exported_places(filters):
    """Visible places with coordinates matching ``filters``, in export order."""
    queryset = (
        PlacePage.objects.visible()
        .filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("title", "pk")
    )
    return filters.apply(queryset)


def place_rows(place_ids) -> list[dict]:
    """The places ``place_ids`` below a public region, as plain dicts, in a fixed number of
    queries whatever the count: places, regions, categories, offers, tags, hero images and
    their renditions, site root paths. URLs on the API's own base stay relative."""
    rows = list(PlacePage.objects.filter(pk__in=place_ids).values(*ROW_FIELDS))
    if not rows:
        return []
    taxonomy = taxonomy_by_place(place_ids)
    regions = visible_region_map()
    images = images_with_renditions(row["hero_image_id"] for row in rows)
    urls = PublicUrls()
    thumbnails = {}
    result = []
    for row in rows:
        region = region_for_path(regions, row["path"])
        if region is None:  # below a region that is not public
            continue
        image_id = row["hero_image_id"]
        if image_id and image_id not in thumbnails:
            image = images.get(image_id)
            rendition = rendition_data(image, THUMBNAIL_SPEC) if image else None
            thumbnails[image_id] = rendition["url"] if rendition else None
        row["url"], row["full_url"] = urls.for_url_path(row["url_path"])
        row["region"] = region
        for name in ("categories", "offers", "tags"):
            row[name] = taxonomy[name][row["pk"]]
        row["image"] = thumbnails.get(image_id)
        result.append(row)
    return result


def feature(row: dict) -> dict:
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
            "api_url": f"/api/v2/pages/{row['pk']}/",
            "region": row["region"],
            "municipality": row["municipality"],
            "categories": row["categories"],
            "tags": row["tags"],
            "offers": row["offers"],
            "status": row["status"],
            "image": row["image"],
        },
    }


# Values that may be paths on the API's own base (``/api/v2/…``, ``/media/…``) are stored
# behind ``BASE_MARKER``; a quote inside a string is always escaped, so these byte sequences
# can only be the keys themselves.
_RELATIVE_URL_KEYS = (b'"api_url":"/', b'"image":"/')


def feature_json(row: dict) -> str:
    body = orjson.dumps(feature(row))
    for key in _RELATIVE_URL_KEYS:
        body = body.replace(key, key[:-1] + BASE_MARKER + b"/")
    return body.decode()


def csv_line(row: dict) -> str:
    buffer = io.StringIO()
    values = {
        **row,
        "categories": CSV_SEPARATOR.join(item["slug"] for item in row["categories"]),
        "tags": CSV_SEPARATOR.join(item["slug"] for item in row["tags"]),
        "offers": CSV_SEPARATOR.join(item["slug"] for item in row["offers"]),
        "url": row["full_url"] or row["url"],
    }
    csv.writer(buffer, lineterminator="\r\n").writerow(
        [
            str(values[column])
            if column in ("latitude", "longitude")
            else safe_cell(values[column])
            for column in CSV_COLUMNS
        ]
    )
    return buffer.getvalue()


def render_pieces(place_ids) -> dict[int, tuple[tuple[str, str], bool]]:
    """``{pk: ((feature JSON, CSV line), storable)}`` for places below a public region,
    without any request-dependent part."""
    return {row["pk"]: ((feature_json(row), csv_line(row)), True) for row in place_rows(place_ids)}


def export_pieces() -> Pieces:
    return Pieces(
        ("feature", "csv_row"), "exports_built", settings_key(EXPORT_FORMAT), render_pieces
    )


def refresh_snapshots(place_ids=None) -> int:
    """Render and store the pieces of ``place_ids`` (default: all places); returns how many
    were written."""
    if place_ids is None:
        place_ids = PlacePage.objects.values_list("pk", flat=True)
    return export_pieces().refresh(place_ids)


def pieces_in_order(filters, column: str) -> list[str]:
    """The ``column`` (``feature`` or ``csv_row``) of every visible place matching
    ``filters``, in export order.

    Two queries when all pieces are current: the places in order (narrow rows, so the
    database sorts little), then their pieces unsorted (a sort carrying megabytes of pieces
    would spill to disk).
    """
    places = exported_places(filters)
    regions = visible_region_map()
    # Places below a region that is not public are left out.
    ordered = [
        pk
        for pk, path in places.values_list("pk", "path")
        if region_for_path(regions, path) is not None
    ]
    pieces = export_pieces().get(ordered, column, among=places.order_by().values("pk"))
    return [pieces[pk] for pk in ordered if pk in pieces]


def geojson_body(filters, request) -> bytes:
    licence = data_licence()
    head = orjson.dumps(
        # The licence as foreign members (RFC 7946 section 6.1).
        {"type": "FeatureCollection", "license": licence, "attribution": licence["attribution"]}
    )
    features = ",".join(pieces_in_order(filters, "feature")).encode()
    return with_base_url(head[:-1] + b',"features":[' + features + b"]}", request)


def csv_body(filters) -> bytes:
    header = io.StringIO()
    csv.writer(header, lineterminator="\r\n").writerow(CSV_COLUMNS)
    # UTF-8 with BOM so that Excel (German locale) shows umlauts correctly.
    return ("\ufeff" + header.getvalue() + "".join(pieces_in_order(filters, "csv_row"))).encode()


def export(request, render, headers: dict):
    try:
        filters = parse_request_filters(request)
    except FilterError as exc:
        errors = {"message": _("Ungültige Parameter."), "errors": exc.errors}
        return JsonResponse(errors, status=400, json_dumps_params={"ensure_ascii": False})
    params = filters.as_query_dict()
    if "municipality" in params:  # matched case-insensitively: one body for every spelling
        params["municipality"] = sorted({name.casefold() for name in params["municipality"]})
    query = encode((name, value) for name in sorted(params) for value in params[name])

    def render_response():
        # Thousands of small objects: the cyclic GC would scan them again and again while
        # they are built; none of them can form a cycle, so pause it for the build.
        gc.disable()
        try:
            return HttpResponse(render(filters), headers=headers)
        finally:
            gc.enable()

    # Free text (a search, a municipality) can take any value: such a body is kept no
    # longer than an API answer.
    free_text = filters.query or filters.municipalities
    timeout = (response_cache_seconds() or 60) if free_text else BODY_SECONDS
    response = cached_response(request, query, render_response, timeout)
    response["Link"] = licence_link_header()
    return response


@require_safe
def places_geojson(request):
    return export(
        request,
        lambda filters: geojson_body(filters, request),
        {"Content-Type": "application/geo+json"},
    )


@require_safe
def places_csv(request):
    return export(
        request,
        csv_body,
        {
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": 'attachment; filename="orte.csv"',
        },
    )
