"""``/api/orte.geojson`` and ``/api/orte.csv``: every live, public place for maps and tables.

Both take the shared place filters (``places.queries``) plus ``bbox``. Each place's feature
and CSV row are kept pre-rendered (``PlaceApiSnapshot``, see ``export_pieces`` and
``store_snapshots``), so a body is the visible places' pieces joined. Bodies are cached in
Django's cache under the data version (``places.api_cache``) and the normalised filters;
``ETag``/``Last-Modified`` make an unchanged copy a ``304``.
"""

import csv
import gc
import io
import json
import logging

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

import orjson

from publishing.versions import DataVersion

from .api_cache import conditional_response, set_validators
from .api_data import (
    THUMBNAIL_SPEC,
    PublicUrls,
    absolute,
    data_licence,
    images_with_renditions,
    licence_link_header,
    region_for_path,
    rendition_data,
    taxonomy_by_place,
    visible_region_map,
)
from .imports.layout import CSV_COLUMNS, CSV_SEPARATOR, safe_cell
from .queries import FILTER_PARAMETERS, FilterError, parse_place_filters

logger = logging.getLogger(__name__)

ALLOWED_PARAMETERS = {*FILTER_PARAMETERS, "bbox", "_"}


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


def _visible_places(filters):
    """Visible places with coordinates matching ``filters``, in export order."""
    from .models import PlacePage

    queryset = (
        PlacePage.objects.visible()
        .filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("title", "pk")
    )
    return filters.apply(queryset)


def place_rows(queryset, request=None) -> list[dict]:
    """The places of ``queryset`` below a public region, as plain dicts.

    A fixed number of queries whatever the count: places, regions, categories, offers,
    tags, hero images and their renditions, site root paths. Without ``request``, URLs on
    the API's own base (``api_url``, ``image`` on local media) stay relative.
    """
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


def collection_head() -> bytes:
    """The FeatureCollection up to its features (the licence as foreign members,
    RFC 7946 section 6.1)."""
    licence = data_licence()
    head = orjson.dumps(
        {"type": "FeatureCollection", "license": licence, "attribution": licence["attribution"]}
    )
    return head[:-1] + b',"features":['


# Values that may be paths on the API's own base (``/api/v2/…``, ``/media/…``): pre-rendered
# features keep them relative, behind a marker byte that a response replaces with the base
# URL. orjson escapes every control character inside strings, so the raw marker byte
# cannot occur anywhere else, and a quote inside a string is always escaped, so these
# byte sequences can only be the keys themselves.
BASE_MARKER = b"\x01"
_RELATIVE_URL_KEYS = (b'"api_url":"/', b'"image":"/')


def mark_relative_urls(feature_json: bytes) -> bytes:
    for key in _RELATIVE_URL_KEYS:
        feature_json = feature_json.replace(key, key[:-1] + BASE_MARKER + b"/")
    return feature_json


def with_base_url(body: bytes, request) -> bytes:
    return body.replace(BASE_MARKER, absolute("/", request)[:-1].encode())


def csv_line(row: dict) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
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
    return buffer.getvalue()


def render_pieces(place_ids) -> dict[int, tuple[str, str]]:
    """``{pk: (feature JSON, CSV line)}`` for places below a public region, without any
    request-dependent part."""
    from .models import PlacePage

    pieces = {}
    for row in place_rows(PlacePage.objects.filter(pk__in=place_ids)):
        feature_json = mark_relative_urls(orjson.dumps(feature(row, "/api/v2/pages/")))
        pieces[row["pk"]] = (feature_json.decode(), csv_line(row))
    return pieces


RENDER_BATCH = 2000


def refresh_snapshots(place_ids=None, batch_size: int = RENDER_BATCH) -> int:
    """Render and store the snapshots of ``place_ids`` (default: all places); returns
    how many were written. Safe to run at any time (see ``store_snapshots``)."""
    from .models import PlacePage

    if place_ids is None:
        place_ids = PlacePage.objects.values_list("pk", flat=True)
    place_ids = list(place_ids)
    written = 0
    for start in range(0, len(place_ids), batch_size):
        batch = place_ids[start : start + batch_size]
        generations = create_snapshot_rows(batch)
        written += store_snapshots(generations, render_pieces(batch))
    return written


def create_snapshot_rows(place_ids) -> dict[int, int]:
    """Create missing snapshot rows (e.g. after bulk inserts without signals) and return
    their generations, read after creating them; empty if that is not possible now."""
    from .models import PlaceApiSnapshot

    try:
        with transaction.atomic():
            PlaceApiSnapshot.objects.bulk_create(
                [PlaceApiSnapshot(page_id=pk) for pk in place_ids],
                ignore_conflicts=True,
                batch_size=500,
            )
    except DatabaseError:  # e.g. a place deleted meanwhile
        logger.warning("Could not create API snapshot rows", exc_info=True)
        return {}
    generations = {}
    for start in range(0, len(place_ids), RENDER_BATCH):
        batch = place_ids[start : start + RENDER_BATCH]
        generations.update(
            PlaceApiSnapshot.objects.filter(page_id__in=batch).values_list("page_id", "generation")
        )
    return generations


def store_snapshots(generations: dict[int, int], pieces: dict[int, tuple[str, str]]) -> int:
    """Store rendered pieces as built at the generations read *before* rendering.

    A change committed meanwhile has bumped the row's generation, so a piece rendered
    from older data is stored as stale, never as current.
    """

    rows = [
        (generations[pk], feature_json, csv_row, pk)
        for pk, (feature_json, csv_row) in pieces.items()
        if pk in generations
    ]
    return _update_snapshot_rows(["built_generation", "feature", "csv_row"], rows)


def store_snapshot_columns(column: str, built_column: str, pieces: dict[int, tuple[str, str]]):
    """Store other pre-rendered pieces (``{pk: (built, piece)}``, e.g. the API v2 items):
    ``built`` names the generation read *before* rendering, as in ``store_snapshots``."""
    rows = [(built, piece, pk) for pk, (built, piece) in pieces.items()]
    return _update_snapshot_rows([built_column, column], rows)


def _update_snapshot_rows(fields: list[str], rows: list[tuple]) -> int:
    """Set ``fields`` of snapshot rows; each row is ``(*values, page_id)``. Returns how many
    were written."""
    from .models import PlaceApiSnapshot

    if not rows:
        return 0
    meta = PlaceApiSnapshot._meta
    quote = connection.ops.quote_name
    columns = {field.name: quote(field.column) for field in meta.concrete_fields}
    assignments = ", ".join(f"{columns[name]} = %s" for name in fields)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {columns['page']} = %s"
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
    except DatabaseError:
        # Storing is only a saving for the next request (e.g. a lock held by an editor's
        # publish): the pieces stay stale and are rendered again next time.
        logger.warning("Could not store %d API snapshots", len(rows), exc_info=True)
        return 0
    return len(rows)


def export_pieces(filters, column: str) -> list[str]:
    """The pre-rendered ``column`` (``feature`` or ``csv_row``) of every visible place
    matching ``filters``, in export order.

    Two queries when all snapshots are current: the places in order (narrow rows, so the
    database sorts little), then their pieces unsorted (a sort carrying megabytes of pieces
    would spill to disk). Places without a current snapshot are rendered here (a fixed
    number of queries more) and their snapshots stored.
    """
    from .models import PlaceApiSnapshot

    places = _visible_places(filters)
    ordered = list(places.values_list("pk", "path"))
    regions = visible_region_map()
    # Places below a region that is not public are left out.
    ordered = [pk for pk, path in ordered if region_for_path(regions, path) is not None]
    # Piece, generation and built generation come from the same row version.
    snapshots = {
        pk: (piece, generation, built)
        for pk, piece, generation, built in PlaceApiSnapshot.objects.filter(
            page_id__in=places.order_by().values("pk")
        ).values_list("page_id", column, "generation", "built_generation")
    }
    pieces = {}
    stale = {}
    for pk in ordered:
        piece, generation, built = snapshots.get(pk, (None, None, None))
        if generation is not None and generation == built:
            pieces[pk] = piece
        else:
            stale[pk] = generation
    missing = [pk for pk, generation in stale.items() if generation is None]
    if missing:
        stale.update(create_snapshot_rows(missing))
    if stale:
        # The generations were read before the data is rendered.
        index = 0 if column == "feature" else 1
        stale_ids = list(stale)
        for start in range(0, len(stale_ids), RENDER_BATCH):
            batch = stale_ids[start : start + RENDER_BATCH]
            rendered = render_pieces(batch)
            store_snapshots({pk: stale[pk] for pk in batch if stale[pk] is not None}, rendered)
            pieces.update((pk, piece[index]) for pk, piece in rendered.items())
    return [pieces[pk] for pk in ordered if pk in pieces]


def free_text_seconds() -> int:
    return int(getattr(settings, "PLACES_API_RESPONSE_CACHE_SECONDS", 0) or 0) or 60


def _cached_export(request, kind: str, content_type: str, render):
    try:
        filters = parse_request_filters(request)
    except FilterError as exc:
        return error_response(exc.errors)
    params = filters.as_query_dict()
    if "municipality" in params:  # matched case-insensitively: one body for every spelling
        params["municipality"] = sorted({name.casefold() for name in params["municipality"]})
    normalised = json.dumps(params, sort_keys=True)
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
        # Thousands of small objects: the cyclic GC would scan them again and again while
        # they are built; none of them can form a cycle, so pause it for the build.
        gc.disable()
        try:
            body = render(filters)
        finally:
            gc.enable()
        # Free text (a search, a municipality) can take any value: such a body is kept no
        # longer than an API answer, the others for a day (a publish makes a new version).
        free_text = filters.query or filters.municipalities
        cache.set(key, body, timeout=free_text_seconds() if free_text else 60 * 60 * 24)
    response = HttpResponse(body, content_type=content_type)
    response["Link"] = licence_link_header()
    return set_validators(response, version, etag)


def geojson_body(filters, request=None) -> bytes:
    features = ",".join(export_pieces(filters, "feature")).encode()
    return with_base_url(collection_head() + features + b"]}", request)


def csv_body(filters) -> bytes:
    header = io.StringIO()
    csv.writer(header, lineterminator="\r\n").writerow(CSV_COLUMNS)
    # UTF-8 with BOM so that Excel (German locale) shows umlauts correctly.
    head = ("\ufeff" + header.getvalue()).encode()
    return head + "".join(export_pieces(filters, "csv_row")).encode()


@require_safe
def places_geojson(request):
    return _cached_export(
        request,
        "geojson",
        "application/geo+json",
        lambda filters: geojson_body(filters, request),
    )


@require_safe
def places_csv(request):
    response = _cached_export(request, "csv", "text/csv; charset=utf-8", csv_body)
    if response.status_code == 200:
        response["Content-Disposition"] = 'attachment; filename="orte.csv"'
    return response
