"""``/api/orte.geojson`` and ``/api/orte.csv``: every live, public place for maps and tables.

Both take the shared place filters (``places.queries``) plus ``bbox``. Each place's feature
and CSV row are kept pre-rendered (``api.snapshots``), so a body is the visible places'
pieces joined. Validators, ``304`` and the kept body: ``api.http.cached_response``, under
the parsed filters as the canonical query.

``?locale=en`` (``api.locale``): the same places in the same order, a translated place's
texts from its live translation (its pieces stored in the translation's row), every
address under ``/en/``; an untranslated place's German piece gets its English addresses.
"""

import csv
import gc
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

import orjson

from core.languages import DEFAULT, in_language_q
from core.query_keys import encode
from places.api_fields import THUMBNAIL_SPEC, images_with_renditions, rendition_data
from places.imports.layout import (
    CSV_COLUMNS,
    CSV_SEPARATOR,
    IGNORED_COLUMNS,
    MULTI_COLUMNS,
    safe_cell,
)
from places.models import PlacePage
from places.queries import FILTER_PARAMETERS, FilterError, parse_place_filters
from places.regions import region_for_path, visible_region_map

from .data import PublicUrls, licence_link_header, licence_members, point, taxonomy_by_place
from .http import cached_response, json_error, response_cache_seconds
from .locale import PARAMETER as LOCALE_PARAMETER
from .locale import (
    LocaleError,
    localized_urls,
    parse_language,
    taxonomy_names_in,
    translated_field_names,
    translations_and_names,
    with_translated_texts,
)
from .snapshots import BASE_MARKER, Pieces, settings_key, with_base_url

ALLOWED_PARAMETERS = {*FILTER_PARAMETERS, "bbox", LOCALE_PARAMETER, "_"}
#: Raise when a feature's or a CSV row's shape changes: every stored one becomes stale.
EXPORT_FORMAT = "1"
#: Bodies without free text: kept until the data changes (a publish makes a new version).
BODY_SECONDS = 60 * 60 * 24

#: The model fields a piece is made of: the CSV's own columns, and what finds the rest.
ROW_FIELDS = (
    *(column for column in CSV_COLUMNS if column not in (*MULTI_COLUMNS, *IGNORED_COLUMNS)),
    *("pk", "path", "url_path", "hero_image_id", "translation_key"),
)


def parse_request(request):
    """``(filters, language)``, validated, or raise ``FilterError`` (also for unknown
    parameters and an unknown language)."""
    unknown = sorted(set(request.GET.keys()) - ALLOWED_PARAMETERS)
    if unknown:
        allowed = ", ".join(sorted(ALLOWED_PARAMETERS - {"_"}))
        message = _("Unbekannter Parameter. Erlaubt: %(allowed)s.") % {"allowed": allowed}
        raise FilterError(dict.fromkeys(unknown, message))
    try:
        language = parse_language(request.GET.getlist(LOCALE_PARAMETER))
    except LocaleError as exc:
        raise FilterError({LOCALE_PARAMETER: str(exc)}) from exc
    return parse_place_filters(request.GET, allow_bbox=True), language


def exported_places(filters):
    """Visible places with coordinates matching ``filters``, in export order."""
    queryset = (
        PlacePage.objects.visible()
        .filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("title", "pk")
    )
    return filters.apply(queryset)


def place_rows(place_ids, language=DEFAULT) -> list[dict]:
    """The places ``place_ids`` below a public region, as plain dicts, in a fixed number of
    queries whatever the count: places, regions, categories, offers, tags, hero images and
    their renditions, site root paths. URLs on the API's own base stay relative; page
    addresses and a translated place's texts (one query more) are those in ``language``."""
    rows = list(PlacePage.objects.filter(pk__in=place_ids).values(*ROW_FIELDS))
    rows = with_translated_texts(rows, ROW_FIELDS, language)
    if not rows:
        return []
    taxonomy = taxonomy_by_place(place_ids, language)
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
        row["url"], row["full_url"] = localized_urls(*urls.for_url_path(row["url_path"]), language)
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
        "geometry": point(row["latitude"], row["longitude"]),
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


def csv_line(cells) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue()


def place_csv_line(row: dict) -> str:
    values = {**row, "url": row["full_url"] or row["url"]}
    for name in ("categories", "tags", "offers"):
        values[name] = CSV_SEPARATOR.join(item["slug"] for item in row[name])
    return csv_line(
        str(values[column]) if column in ("latitude", "longitude") else safe_cell(values[column])
        for column in CSV_COLUMNS
    )


def render_pieces(place_ids, language=DEFAULT) -> dict[int, tuple[tuple[str, str], bool]]:
    """``{pk: ((feature JSON, CSV line), storable)}`` for places below a public region,
    without any request-dependent part, in ``language`` (their addresses)."""
    return {
        row["pk"]: ((feature_json(row), place_csv_line(row)), True)
        for row in place_rows(place_ids, language)
    }


def export_pieces(render=render_pieces) -> Pieces:
    return Pieces(
        ("feature", "csv_row"),
        "exports_built",
        settings_key(EXPORT_FORMAT, repr(translated_field_names(PlacePage))),
        render,
    )


def refresh_snapshots(place_ids=None) -> int:
    """Render and store the pieces of ``place_ids`` (default: all German places); returns
    how many were written."""
    if place_ids is None:
        place_ids = PlacePage.objects.filter(in_language_q()).values_list("pk", flat=True)
    return export_pieces().refresh(place_ids)


def pieces_in_order(filters, column: str, language=DEFAULT) -> list[str]:
    """The ``column`` (``feature`` or ``csv_row``) of every visible place matching
    ``filters``, in export order, in ``language``.

    Two queries when all pieces are current: the places in order (narrow rows, so the
    database sorts little), then their pieces unsorted (a sort carrying megabytes of pieces
    would spill to disk). In another language one more: which places have a live
    translation (their pieces are the translations', ``api.snapshots``), and the names of
    fields and offers in that language (for the untranslated places' German pieces).
    """
    places = exported_places(filters)
    regions = visible_region_map()
    among = places.order_by().values("pk")
    fields = ["pk", "path"]
    if language != DEFAULT:
        fields += ["url_path", "translation_key"]
    # Places below a region that is not public are left out.
    rows = [row for row in places.values_list(*fields) if region_for_path(regions, row[1])]
    if language == DEFAULT:
        pieces = export_pieces().get([pk for pk, _path in rows], column, among=among)
        return [pieces[pk] for pk, _path in rows if pk in pieces]
    translations, names = translations_and_names(places, language)
    german_of = {translations[key]: pk for pk, *_paths, key in rows if key in translations}
    stored = {pk: translations.get(key, pk) for pk, *_paths, key in rows}

    def render(ids) -> dict:
        """The German places' pieces as in German; a translation's (``german_of``): its
        German place's in ``language`` (its texts, the addresses), keyed by the
        translation's pk (the row they are stored in)."""
        result = render_pieces([pk for pk in ids if pk not in german_of])
        english = [german_of[pk] for pk in ids if pk in german_of]
        if english:
            translation_of = {pk: translation for translation, pk in german_of.items()}
            rendered = render_pieces(english, language).items()
            result.update((translation_of[pk], pieces) for pk, pieces in rendered)
        return result

    pieces = export_pieces(render).get(
        [stored[pk] for pk, *_row in rows], column, among=among, depends=german_of
    )
    urls = PublicUrls()
    result = []
    for pk, _path, url_path, _key in rows:
        piece = pieces.get(stored[pk])
        if piece is not None and stored[pk] == pk:  # untranslated: the German piece
            piece = at_addresses_in(piece, column, pk, urls.for_url_path(url_path), language)
            if column == "feature":
                piece = taxonomy_names_in(piece, names)
        if piece is not None:
            result.append(piece)
    return result


def at_addresses_in(piece: str, column: str, pk, urls: tuple, language: str) -> str:
    """A German place's ``piece`` with its page addresses (``urls``: path and full URL, as
    rendered) in ``language``: the feature's ``url`` and ``full_url``, the CSV's ``url``."""
    url, full_url = urls
    localized, localized_full = localized_urls(url, full_url, language)
    if url is None or localized == url:
        return piece
    if column == "feature":
        # The two members as ``feature_json`` writes them.
        old = orjson.dumps({"url": url, "full_url": full_url}).decode()[1:-1]
        new = orjson.dumps({"url": localized, "full_url": localized_full}).decode()[1:-1]
        if piece.count(old) == 1:
            return piece.replace(old, new)
    else:
        old = "," + csv_line([safe_cell(full_url or url)])
        if piece.endswith(old):
            return piece[: -len(old)] + "," + csv_line([safe_cell(localized_full or localized)])
    # Not written as expected: render it in the language (not stored).
    values = render_pieces([pk], language).get(pk)
    return values[0][("feature", "csv_row").index(column)] if values else piece


def geojson_body(filters, request, language=DEFAULT) -> bytes:
    head = orjson.dumps({"type": "FeatureCollection", **licence_members()})
    features = ",".join(pieces_in_order(filters, "feature", language)).encode()
    return with_base_url(head[:-1] + b',"features":[' + features + b"]}", request)


def csv_body(filters, language=DEFAULT) -> bytes:
    rows = "".join(pieces_in_order(filters, "csv_row", language))
    # UTF-8 with BOM so that Excel (German locale) shows umlauts correctly.
    return ("\ufeff" + csv_line(CSV_COLUMNS) + rows).encode()


def export(request, render, headers: dict):
    try:
        filters, language = parse_request(request)
    except FilterError as exc:
        return json_error(exc.errors, _("Ungültige Parameter."), 400)
    params = filters.as_query_dict()
    if "municipality" in params:  # matched case-insensitively: one body for every spelling
        params["municipality"] = sorted({name.casefold() for name in params["municipality"]})
    query = encode((name, value) for name in sorted(params) for value in params[name])

    def render_response():
        # Thousands of small objects: the cyclic GC would scan them again and again while
        # they are built; none of them can form a cycle, so pause it for the build.
        gc.disable()
        try:
            return HttpResponse(render(filters, language), headers=headers)
        finally:
            gc.enable()

    # Free text (a search, a municipality) can take any value: such a body is kept no
    # longer than an API answer.
    free_text = filters.query or filters.municipalities
    timeout = (response_cache_seconds() or 60) if free_text else BODY_SECONDS
    response = cached_response(request, query, render_response, timeout, language=language)
    response["Link"] = licence_link_header()
    return response


@require_safe
def places_geojson(request):
    return export(
        request,
        lambda filters, language: geojson_body(filters, request, language),
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
