"""Wagtail API v2 at /api/v2/: pages with the project's fields, images, documents.

Differences from Wagtail's stock endpoints:

* strictly public: live pages without any view restriction (sessions never widen it) and
  not below an unpublished page; images and documents outside restricted collections;
* the shared place filters (``places.queries``: region, category, tag, offer, status,
  municipality, q, bbox) on ``?type=places.PlacePage``;
* bad input is always a 400 with a JSON body (German message), never a 500;
* a fixed number of queries per listing (prefetching, per-request lookups);
* ``ETag``/``Last-Modified``/``Cache-Control`` (see ``api_http_caching``).
"""

import functools
import hashlib
import re
import secrets
import types
from collections import OrderedDict, defaultdict

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Count, Max, Min, QuerySet, Window
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from wagtail.api.v2.filters import (
    AncestorOfFilter,
    ChildOfFilter,
    DescendantOfFilter,
    FieldsFilter,
    LocaleFilter,
    OrderingFilter,
    SearchFilter,
    TranslationOfFilter,
)
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import PageSerializer
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.api.validators import SiteFilterValidator
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Page, Site
from wagtail.utils.urlpatterns import decorate_urlpatterns

import orjson
from rest_framework import status
from rest_framework.fields import CharField, Field, IntegerField, SkipField
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from core.models import restricted_collections
from core.query_keys import canonical_pairs, encode, use_canonical_query
from core.visibility import exclude_below_unpublished
from publishing.versions import DataVersion

from .api_cache import conditional_response, set_validators
from .api_data import (
    URL_BASE_ATTRIBUTE,
    absolute,
    images_with_renditions,
    taxonomy_by_place,
)
from .api_fields import story_image_ids
from .queries import FILTER_PARAMETERS, FilterError, parse_place_filters

PLACE_PARAMETERS = frozenset([*FILTER_PARAMETERS, "bbox"])
MAX_PAGINATION_VALUE = 1_000_000_000
# Set per response (set_validators) or by middleware, never replayed from the cache.
UNCACHED_HEADERS = {"etag", "last-modified", "cache-control", "set-cookie"}


class PlaceFilterError(BadRequestError):
    def __init__(self, errors):
        super().__init__(_("Ungültige Filter."))
        self.errors = errors


# Wagtail's own (English) messages, said in German for the public.
_MESSAGES = [
    (r"^limit cannot be higher than (\d+)$", "limit darf höchstens {0} sein."),
    (r"^limit must be a positive integer$", "limit muss eine positive ganze Zahl sein."),
    (r"^offset must be a positive integer$", "offset muss eine positive ganze Zahl sein."),
    (r"^type doesn't exist$", "Unbekannter Seitentyp (type)."),
    (
        r"^query parameter is not an operation or a recognised field: (.*)$",
        "Unbekannter Parameter: {0}.",
    ),
    (r"^unknown fields: (.*)$", "Unbekannte Felder (fields): {0}."),
    (r"^fields error: (.*)$", "Fehler in fields: {0}."),
    (r"^cannot order by '(.*)' \(unknown field\)$", "Nach „{0}“ kann nicht sortiert werden."),
    (r"^(\w+) must be a positive integer$", "{0} muss eine positive ganze Zahl sein."),
    (r"^parent page doesn't exist$", "Die Elternseite (child_of) gibt es nicht."),
    (r"^ancestor page doesn't exist$", "Die Seite (descendant_of) gibt es nicht."),
    (r"^descendant page doesn't exist$", "Die Seite (ancestor_of) gibt es nicht."),
]


def german_message(message: str) -> str:
    for pattern, template in _MESSAGES:
        match = re.match(pattern, message)
        if match:
            return template.format(*match.groups())
    return message


class FastJSONRenderer(JSONRenderer):
    """DRF's compact JSON, encoded by orjson (several times faster on big listings).

    Byte for byte what ``JSONRenderer`` writes: UTF-8, no spaces, U+2028/U+2029 escaped,
    dates and anything else orjson does not know through DRF's encoder. Indented output
    (``Accept: application/json; indent=4``) and anything orjson refuses fall back to DRF.
    """

    _options = orjson.OPT_PASSTHROUGH_DATETIME

    def can_pass_through(self, accepted_media_type, renderer_context) -> bool:
        """Whether this renderer writes compact JSON for the request (``PreRenderedJSON``
        is then sent as it is)."""
        return (
            self.compact
            and not self.ensure_ascii
            and self.get_indent(accepted_media_type, renderer_context or {}) is None
        )

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, PreRenderedJSON):
            if self.can_pass_through(accepted_media_type, renderer_context):
                return data.body
            data = orjson.loads(data.body)
        if data is None or not self.compact or self.ensure_ascii:
            return super().render(data, accepted_media_type, renderer_context)
        if self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            body = orjson.dumps(data, default=self.encoder_class().default, option=self._options)
        except TypeError:  # e.g. an integer beyond 64 bits, non-string keys
            return super().render(data, accepted_media_type, renderer_context)
        return body.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")


class PreRenderedJSON:
    """A response body already encoded as ``FastJSONRenderer`` would encode its data."""

    def __init__(self, body: bytes):
        self.body = body


class JSONErrorsMixin:
    renderer_classes = [FastJSONRenderer]

    def get_renderer_context(self):
        # Compact JSON: Wagtail indents by 4, which costs time and bytes on big listings.
        context = super().get_renderer_context()
        context.pop("indent", None)
        return context

    def handle_exception(self, exc):
        if isinstance(exc, PlaceFilterError):
            data = {"message": str(exc), "errors": exc.errors}
            return Response(data, status=status.HTTP_400_BAD_REQUEST)
        if isinstance(exc, BadRequestError):
            return Response(
                {"message": german_message(str(exc))}, status=status.HTTP_400_BAD_REQUEST
            )
        if isinstance(exc, Http404):
            return Response({"message": _("Nicht gefunden.")}, status=status.HTTP_404_NOT_FOUND)
        if isinstance(exc, (ValidationError, ValueError, OverflowError)):
            return Response(
                {"message": _("Ungültiger Wert in den Parametern.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return super().handle_exception(exc)


class SafeFieldsFilter(FieldsFilter):
    """Wagtail's field filters (``?founded=2019``) with values checked before querying.

    The project's place filters are left to ``PlaceFilterBackend``.
    """

    def filter_queryset(self, request, queryset, view):
        from .models import PlacePage

        skip = PLACE_PARAMETERS if issubclass(queryset.model, PlacePage) else frozenset()
        fields = set(view.get_available_fields(queryset.model, db_fields_only=True)) - skip
        for name, value in request.GET.items():
            if name not in fields or name == "locale":
                continue
            try:
                field = queryset.model._meta.get_field(name)
            except LookupError:
                continue
            if "\x00" in value:
                raise BadRequestError(_("Nullzeichen sind nicht erlaubt."))
            if field.many_to_many or field.one_to_many or not hasattr(field, "to_python"):
                raise BadRequestError(
                    _("Nach %(name)s kann so nicht gefiltert werden.") % {"name": name}
                )
            try:
                target = getattr(field, "target_field", field)
                target.to_python(value)
            except (ValidationError, ValueError, TypeError) as exc:
                raise BadRequestError(
                    _("„%(value)s“ ist kein gültiger Wert für %(name)s.")
                    % {"value": value[:100], "name": name}
                ) from exc
        # Validated: now let Wagtail apply them, without the place parameters.
        original = request._request.GET
        request._request.GET = original.copy()
        for name in skip:
            request._request.GET.pop(name, None)
        try:
            return super().filter_queryset(request, queryset, view)
        finally:
            request._request.GET = original


class PlaceFilterBackend:
    """The shared place filters; only on ``?type=places.PlacePage``."""

    def filter_queryset(self, request, queryset, view):
        from .models import PlacePage

        used = sorted(PLACE_PARAMETERS & set(request.GET.keys()))
        if not used:
            return queryset
        if not issubclass(queryset.model, PlacePage):
            raise PlaceFilterError(
                {name: _("Diesen Filter gibt es nur mit type=places.PlacePage.") for name in used}
            )
        try:
            filters = parse_place_filters(request.GET, allow_bbox=True)
        except FilterError as exc:
            raise PlaceFilterError(exc.errors) from exc
        return filters.apply(queryset)


_FUNCTION_TYPES = (types.FunctionType, types.MethodType, functools.partial)


class FastRepresentationMixin:
    """Wagtail's ``BaseSerializer.to_representation`` with DRF's per-field dispatch worked
    out once per serializer instead of once per field and object.

    The output is the same, field for field: every value still comes from the field's own
    ``to_representation`` (plain attributes are read directly instead of through DRF's
    generic ``get_attribute``); ``detail_url`` is built from the first one's prefix and
    the page URLs share one copy of the site root paths (see ``listing_view``).
    """

    def to_representation(self, instance):
        plan = self.__dict__.get("_fast_plan")
        if plan is None or plan[0] is not type(instance):
            plan = self.__dict__["_fast_plan"] = (type(instance), *self._compile(instance))
        _model, has_id, meta_steps, body_steps = plan
        if has_id is None:  # a case the plan does not cover
            return super().to_representation(instance)
        data = OrderedDict()
        if has_id:
            data["id"] = None
        meta = OrderedDict()
        for name, get, represent in meta_steps:
            try:
                value = get(instance)
            except SkipField:
                continue
            meta[name] = None if value is None else represent(value)
        if meta:
            data["meta"] = meta
        for name, get, represent in body_steps:
            try:
                value = get(instance)
            except SkipField:
                continue
            data[name] = None if value is None else represent(value)
        return data

    def _compile(self, instance):
        fields = [field for field in self.fields.values() if not field.write_only]
        if any(field.field_name == "admin_display_title" for field in fields):
            return None, (), ()
        meta_names = set(self.meta_fields)
        meta_steps, body_steps = [], []
        for field in fields:
            step = (field.field_name, self._getter(field, type(instance)), self._representer(field))
            (meta_steps if field.field_name in meta_names else body_steps).append(step)
        has_id = any(
            field.field_name == "id" for field in fields if field.field_name not in meta_names
        )
        return has_id, meta_steps, body_steps

    @staticmethod
    def _getter(field, model):
        from wagtail.api.v2.serializers import DetailUrlField

        if isinstance(field, DetailUrlField):
            return _DetailUrls(field).get
        if type(field).get_attribute is not Field.get_attribute:
            return field.get_attribute
        if field.source == "*":
            return lambda instance: instance
        if len(field.source_attrs) != 1:
            return field.get_attribute
        name = field.source_attrs[0]
        if isinstance(getattr(model, name, None), _FUNCTION_TYPES):
            return field.get_attribute  # a method: DRF calls it

        def get(instance):
            try:
                value = getattr(instance, name)
            except (AttributeError, ObjectDoesNotExist):
                return field.get_attribute(instance)
            if isinstance(value, _FUNCTION_TYPES):
                return field.get_attribute(instance)
            return value

        return get

    @staticmethod
    def _representer(field):
        method = type(field).to_representation
        if method is CharField.to_representation:
            return str
        if method is IntegerField.to_representation:
            return int
        return field.to_representation


class _DetailUrls:
    """``detail_url`` of many objects: the endpoint's URL prefix is looked up once per
    model (reversing a URL per object is the slow part of Wagtail's field)."""

    def __init__(self, field):
        self.field = field
        self.prefixes = {}

    def get(self, instance):
        request = self.field.context.get("request")
        placeholder = getattr(request, URL_BASE_ATTRIBUTE, None)
        if placeholder is not None:  # pre-rendering for any request (see ``absolute``)
            path = self.field.context["router"].get_object_detail_urlpath(
                type(instance), instance.pk
            )
            if not path:
                raise SkipField
            return placeholder + path
        model = type(instance)
        prefix = self.prefixes.get(model)
        if prefix is None:
            url = self.field.get_attribute(instance)  # may raise SkipField
            suffix = f"/{instance.pk}/"
            self.prefixes[model] = url[: -len(suffix) + 1] if url.endswith(suffix) else False
            return url
        if prefix is False:
            return self.field.get_attribute(instance)
        return f"{prefix}{instance.pk}/"


class FastPageSerializer(FastRepresentationMixin, PageSerializer):
    pass


class _CountLater:
    """A queryset whose count ``WagtailPagination`` leaves to ``ListingPagination``."""

    def __init__(self, queryset):
        self.queryset = queryset

    def count(self):
        return None

    def __getitem__(self, key):
        return self.queryset[key]


class ListingPagination(WagtailPagination):
    """Wagtail's pagination, with the total count taken along with the page's ids when the
    view can (``PublicPagesAPIViewSet.page_rows``: one query instead of two), or else
    when the response is built."""

    def paginate_queryset(self, queryset, request, view=None):
        self.queryset = queryset
        if isinstance(queryset, QuerySet):
            queryset = _CountLater(queryset)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        if self.total_count is None:
            self.total_count = self.queryset.count()
        return super().get_paginated_response(data)


class PublicPagesAPIViewSet(JSONErrorsMixin, PagesAPIViewSet):
    filter_backends = [
        SafeFieldsFilter,
        PlaceFilterBackend,
        ChildOfFilter,
        AncestorOfFilter,
        DescendantOfFilter,
        OrderingFilter,
        TranslationOfFilter,
        LocaleFilter,
        SearchFilter,  # last: search results cannot be filtered further
    ]
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(PLACE_PARAMETERS)
    base_serializer_class = FastPageSerializer
    pagination_class = ListingPagination

    def get_base_queryset(self):
        # Strictly public: no page with any view restriction, whatever the session holds.
        # Computed once per request (Wagtail asks for it several times).
        if not hasattr(self, "_base_queryset"):
            try:
                site = SiteFilterValidator(
                    site=self.request.GET.get("site"), request=self.request
                ).site_obj
            except ValueError as exc:
                raise BadRequestError(str(exc)) from exc
            queryset = Page.objects.live().public()
            if site is None:
                queryset = queryset.none()
            else:
                queryset = queryset.descendant_of(site.root_page, inclusive=True)
            self._base_queryset = exclude_below_unpublished(queryset)
        return self._base_queryset.all()

    def get_queryset(self):
        from places.models import PlacePage

        queryset = super().get_queryset()
        if issubclass(queryset.model, PlacePage):
            # Related rows and images (with renditions) for a whole listing come from
            # ``preload``: plain value queries are much cheaper than prefetch_related.
            queryset = queryset.select_related("actor_type", "locale")
        elif queryset.model is not Page:
            queryset = queryset.select_related("locale")
        return queryset

    # Wagtail builds a new serializer class for every request; they only depend on the
    # model and the ``fields`` parameter, so keep a bounded number of them.
    _serializer_classes: dict = {}
    SERIALIZER_CLASS_CACHE_SIZE = 256

    def get_serializer_class(self):
        if self.action != "listing_view":
            return super().get_serializer_class()
        key = (
            self.get_queryset().model,
            self.request.GET.get("fields"),
            getattr(settings, "WAGTAIL_I18N_ENABLED", False),  # adds "locale" by default
        )
        cached = self._serializer_classes.get(key)
        if cached is None:
            cached = super().get_serializer_class()
            if len(self._serializer_classes) >= self.SERIALIZER_CLASS_CACHE_SIZE:
                self._serializer_classes.clear()
            self._serializer_classes[key] = cached
        return cached

    def get_object(self):
        # Non-numeric ids never reach here (URL pattern); huge ones must not overflow.
        try:
            return super().get_object()
        except OverflowError as exc:
            raise Http404 from exc

    def get_serializer_context(self):
        from .api_data import visible_region_map

        context = super().get_serializer_context()
        context["_regions"] = visible_region_map(self.get_base_queryset())
        return context

    def listing_view(self, request):
        queryset = self.get_queryset()
        self.check_query_parameters(queryset)
        queryset = self.filter_queryset(queryset)
        sliced = self.paginate_queryset(queryset)
        columns = self.snapshot_columns(sliced)
        if columns is not None:
            return self.snapshot_listing(sliced, *columns)
        pages = self.fetch_page(sliced)
        serializer = self.get_serializer(pages, many=True)
        self.prepare(pages, serializer.context)
        return self.get_paginated_response(serializer.data)

    def prepare(self, pages, context):
        # Page URLs: one copy of the site root paths instead of a cache read per page.
        root_paths = Site.get_site_root_paths()
        for page in pages:
            page._wagtail_cached_site_root_paths = root_paths
        self.preload(pages, context)

    # --- Places from their stored items (``PlaceApiSnapshot.v2_all``/``v2_default``) ---
    #
    # A listing of places with all fields (``fields=*``) or the default ones is the places'
    # pre-rendered items joined: the ids of the page of results, then their items, in one
    # query each. Items are stored as this serializer writes them, with the request's base
    # URL left as a marker (``places.api.BASE_MARKER``) and filled in per response. Items
    # that are stale, missing or not storable are rendered here (and stored if they can
    # be); storing follows the generation protocol of the GeoJSON pieces (``places.api``).

    SNAPSHOT_CODE_VERSION = "1"  # bump when the item's serialisation changes
    SNAPSHOT_COLUMNS = {"*": ("v2_all", "v2_all_built"), None: ("v2_default", "v2_default_built")}

    def snapshot_columns(self, sliced):
        """``(item column, built column)`` when this listing can use stored items."""
        from places.models import PlacePage

        if not isinstance(sliced, QuerySet) or sliced.model is not PlacePage:
            return None
        params = self.request.GET
        if "rich_text_format" in params or "search" in params:
            return None
        fields = params.get("fields")
        if fields not in self.SNAPSHOT_COLUMNS:
            return None
        renderer = getattr(self.request, "accepted_renderer", None)
        if not isinstance(renderer, FastJSONRenderer) or not renderer.can_pass_through(
            self.request.accepted_media_type, self.get_renderer_context()
        ):
            return None
        return self.SNAPSHOT_COLUMNS[fields]

    def snapshot_key(self) -> str:
        """What a stored item depends on besides the data: the serializer's fields, the
        settings and code that shape the item."""
        from django.core.files.storage import default_storage

        from wagtail.api.rich_text import APIRichText

        from places.models import PlacePage

        serializer_class = self.get_serializer_class()
        parts = [
            self.SNAPSHOT_CODE_VERSION,
            repr(list(serializer_class.Meta.fields)),
            repr(list(serializer_class.meta_fields)),
            APIRichText.get_default_format(),
            str(getattr(settings, "WAGTAIL_I18N_ENABLED", False)),
            str(settings.MEDIA_URL),
            f"{type(default_storage).__module__}.{type(default_storage).__qualname__}",
            str(getattr(default_storage, "base_url", "")),
            str(self.request.wagtailapi_router.get_object_detail_urlpath(PlacePage, 0)),
        ]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]

    def snapshot_listing(self, sliced, column: str, built_column: str):
        from places.api import BASE_MARKER, create_snapshot_rows, store_snapshot_columns
        from places.models import PlaceApiSnapshot

        rows = self.page_rows(sliced, "pk", "url_path")
        ids = [pk for pk, _url_path in rows]
        key = self.snapshot_key()
        # A place that is a site's root page shows no region: never stored.
        site_roots = {root.root_path for root in Site.get_site_root_paths()}
        snapshots = {
            pk: (item, generation, built)
            for pk, item, generation, built in PlaceApiSnapshot.objects.filter(
                page_id__in=ids
            ).values_list("page_id", column, "generation", built_column)
        }
        items = {}
        stale = {}
        for pk, url_path in rows:
            item, generation, built = snapshots.get(pk, (None, None, None))
            if url_path in site_roots:
                stale[pk] = None
            elif generation is not None and built == f"{generation}:{key}":
                items[pk] = item.encode()
            else:
                stale[pk] = generation
        if stale:
            missing = [
                pk
                for pk, url_path in rows
                if stale.get(pk, 0) is None and url_path not in site_roots
            ]
            if missing:
                stale.update(create_snapshot_rows(missing))
            # The generations were read before the data is rendered.
            rendered = self.render_items(list(stale))
            store_snapshot_columns(
                column,
                built_column,
                {
                    pk: (f"{stale[pk]}:{key}", item.decode())
                    for pk, (item, storable) in rendered.items()
                    if storable and stale.get(pk) is not None
                },
            )
            items.update((pk, item) for pk, (item, _storable) in rendered.items())
        if self.paginator.total_count is None:  # an empty page
            self.paginator.total_count = self.paginator.queryset.count()
        body = b"".join(
            [
                b'{"meta":{"total_count":%d},"items":[' % self.paginator.total_count,
                b",".join(items[pk] for pk in ids if pk in items),
                b"]}",
            ]
        )
        base = absolute("/", self.request)[:-1].encode()
        return Response(PreRenderedJSON(body.replace(BASE_MARKER, base)))

    def render_items(self, ids) -> dict[int, tuple[bytes, bool]]:
        """``{pk: (item JSON with the base URL as marker, storable)}`` of these places.

        An item is not storable when it depends on more than the place and what the
        snapshot signals cover: rich text with links to pages or documents, or embeds
        (their URLs and renditions), or a region that is not visible now.
        """
        from places.api import BASE_MARKER
        from places.models import PlacePage

        by_id = PlacePage.objects.select_related("actor_type", "locale").in_bulk(ids)
        pages = [by_id[pk] for pk in ids if pk in by_id]
        if not pages:
            return {}
        serializer = self.get_serializer(pages, many=True)
        self.prepare(pages, serializer.context)
        nonce = secrets.token_hex(8)
        placeholder = b'"\\u0001' + nonce.encode()
        setattr(self.request, URL_BASE_ATTRIBUTE, "\x01" + nonce)
        try:
            data = serializer.data
        finally:
            delattr(self.request, URL_BASE_ATTRIBUTE)
        renderer = FastJSONRenderer()
        result = {}
        for page, item in zip(pages, data, strict=True):
            body = renderer.render(item, "application/json", {})
            body = body.replace(placeholder, b'"' + BASE_MARKER)
            result[page.pk] = (body, self.storable(page, item))
        return result

    @staticmethod
    def storable(page, item) -> bool:
        from .api_fields import raw_blocks

        if "region" in item and item["region"] is None:
            return False
        if "story" in item:
            for block in raw_blocks(page.story):
                value = block.get("value")
                if (
                    block.get("type") == "paragraph"
                    and isinstance(value, str)
                    and ("linktype" in value or "<embed" in value)
                ):
                    return False
        return True

    def page_rows(self, sliced, *fields) -> list[tuple]:
        """``values_list(*fields)`` of the page's rows; the paginator's total count comes
        with them (``COUNT(*) OVER ()``) unless the page is empty or rows are distinct."""
        paginator = self.paginator
        if getattr(paginator, "total_count", 0) is not None or sliced.query.distinct:
            return list(sliced.values_list(*fields))
        rows = list(
            sliced.annotate(_listing_total=Window(Count("pk"))).values_list(
                *fields, "_listing_total"
            )
        )
        if rows:
            paginator.total_count = rows[0][-1]
        return [row[:-1] for row in rows]

    def fetch_page(self, sliced) -> list:
        """The objects of one listing page: first their ids (sorting narrow rows), then the
        wide rows of just those (a database would otherwise sort every matching row with
        all its columns, story included, to return 100 of them)."""
        if not isinstance(sliced, QuerySet):  # search results
            return list(sliced)
        ids = [pk for (pk,) in self.page_rows(sliced, "pk")]
        if not ids:
            return []
        rows = sliced.model._default_manager.filter(pk__in=ids)
        related = sliced.query.select_related
        if isinstance(related, dict):
            rows = rows.select_related(*related)
        by_id = {row.pk: row for row in rows}
        return [by_id[pk] for pk in ids if pk in by_id]

    @staticmethod
    def preload(pages, context):
        """Story images of all pages and region statistics, each in one go."""
        from places.models import PlacePage
        from regions.models import RegionPage

        image_ids = set()
        place_ids = [page.pk for page in pages if isinstance(page, PlacePage)]
        if place_ids:
            related = _related_rows(place_ids)
            context["_related"] = related
            for rows in related["gallery"].values():
                image_ids |= {image_id for image_id, _caption in rows}
        for page in pages:
            image_ids.add(getattr(page, "hero_image_id", None))
            for name in ("story", "body"):
                value = page.__dict__.get(name)
                if value is not None:
                    image_ids |= story_image_ids(value)
        context["_images"] = images_with_renditions(image_ids)

        region_ids = [page.pk for page in pages if isinstance(page, RegionPage)]
        if region_ids:
            stats = {}
            regions = {page.pk: page for page in pages if isinstance(page, RegionPage)}
            places = PlacePage.objects.visible()
            for region in regions.values():
                stats[region.pk] = places.filter(
                    path__startswith=region.path, depth=region.depth + 1
                ).aggregate(
                    count=Count("pk"),
                    min_lon=Min("longitude"),
                    min_lat=Min("latitude"),
                    max_lon=Max("longitude"),
                    max_lat=Max("latitude"),
                )
            context["_region_stats"] = stats


def _grouped(rows) -> dict:
    result = defaultdict(list)
    for page_id, *values in rows:
        result[page_id].append(values[0] if len(values) == 1 else tuple(values))
    return result


def _related_rows(place_ids) -> dict:
    from places.models import PlaceGalleryImage, PlaceLink

    return {
        **taxonomy_by_place(place_ids),
        "links": _grouped(
            (page_id, {"platform": platform, "url": url})
            for page_id, platform, url in PlaceLink.objects.filter(page_id__in=place_ids)
            .order_by("sort_order", "pk")
            .values_list("page_id", "platform", "url")
        ),
        "gallery": _grouped(
            PlaceGalleryImage.objects.filter(page_id__in=place_ids)
            .order_by("sort_order", "pk")
            .values_list("page_id", "image_id", "caption")
        ),
    }


class PublicImagesAPIViewSet(JSONErrorsMixin, ImagesAPIViewSet):
    """Images outside restricted collections, for everyone alike (``public()``).

    Wagtail's own endpoint lets a session that passes a collection's restriction (a
    logged-in editor, a visitor who entered its password) see the collection's images,
    and a public response may be cached for everyone."""

    filter_backends = [SafeFieldsFilter, OrderingFilter, SearchFilter]

    def get_queryset(self):
        return self.model.objects.public().order_by("id")


class PublicDocumentsAPIViewSet(JSONErrorsMixin, DocumentsAPIViewSet):
    """Documents outside restricted collections, for everyone alike (as images)."""

    filter_backends = [SafeFieldsFilter, OrderingFilter, SearchFilter]

    def get_queryset(self):
        restricted = restricted_collections().values("pk")
        return self.model.objects.exclude(collection__in=restricted).order_by("id")


#: Cache busters (jQuery's ``_=<time>``): accepted, never read, so dropped from the key.
IGNORED_PARAMETERS = frozenset({"_"})


@functools.cache
def v2_parameters() -> tuple[frozenset, frozenset]:
    """``(names, multi)``: the query parameters API v2 knows (its operations, the place
    filters, any model field as a field filter), and those that take several values."""
    from django.apps import apps

    names = set(IGNORED_PARAMETERS)
    for viewset in (PublicPagesAPIViewSet, PublicImagesAPIViewSet, PublicDocumentsAPIViewSet):
        names |= viewset.known_query_parameters
    for model in apps.get_models():
        names |= {field.name for field in model._meta.get_fields()}
    return frozenset(names), frozenset(FILTER_PARAMETERS)


def _stored_body(response) -> bytes | None:
    """The body to keep, as the client gets it; ``None`` for a streaming response."""
    if getattr(response, "streaming", False):
        return None
    if not getattr(response, "is_rendered", True):  # DRF's Response: a template response
        response.render()
    return response.content


#: The ``site`` parameter of the ``find`` endpoints: a host name, optionally with a port.
SITE_PARAMETER = re.compile(r"^[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?$")


def api_http_caching(view=None, *, parameters=v2_parameters):
    """ETag/Last-Modified/Cache-Control for anonymous GETs; 304 when nothing changed; the
    body of a 200 kept in the cache (``PLACES_API_RESPONSE_CACHE_SECONDS``) under the data
    version and the canonical query.

    The canonical query (``core.query_keys``): parameters sorted, empty values and repeated
    values dropped, names that take one value reduced to the last one, cache busters
    (``_``) dropped; the view gets exactly that query, so every request with the same
    canonical form gets the same answer, cached or not. ``parameters`` gives the names the
    endpoints know and those that take several values; a request with another name is
    answered without the cache (v2 listings reject it with a 400; elsewhere each junk value
    would make an entry). Requests with an ``Authorization`` header (API v3 tokens) are
    never cached.
    """
    if view is None:
        return functools.partial(api_http_caching, parameters=parameters)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        site = request.GET.get("site")
        if site is not None and not SITE_PARAMETER.match(site):
            # Wagtail's ``find`` reads "host:port" and raised a 500 on another port.
            return JsonResponse(
                {"message": _("site muss ein Hostname sein, wahlweise mit :Port.")}, status=400
            )
        if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
            response = view(request, *args, **kwargs)
            response["Cache-Control"] = "private, no-store"
            return response
        for name in ("limit", "offset"):
            try:
                too_big = abs(int(request.GET.get(name, 0))) > MAX_PAGINATION_VALUE
            except ValueError:
                continue  # the view says what is wrong with it
            if too_big:
                return JsonResponse(
                    {"message": _("%(name)s ist zu groß.") % {"name": name}}, status=400
                )
        names, multi = parameters()
        cacheable = set(request.GET.keys()) <= names
        if cacheable:
            pairs = canonical_pairs(request.GET, names - IGNORED_PARAMETERS, multi=multi)
            use_canonical_query(request, pairs)
            query = encode(pairs)
        else:
            query = request.META.get("QUERY_STRING", "")
        version = DataVersion()
        parts = ("api", request.scheme, request.get_host(), request.path, query)
        etag = version.etag_for(*parts)
        not_modified = conditional_response(request, version, etag)
        if not_modified is not None:
            return not_modified
        seconds = getattr(settings, "PLACES_API_RESPONSE_CACHE_SECONDS", 0) if cacheable else 0
        key = version.body_cache_key(*parts) if seconds else None
        if seconds:
            cached = cache.get(key)
            if cached is not None:
                headers, body = cached
                return set_validators(HttpResponse(body, headers=headers), version, etag)
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            body = _stored_body(response) if seconds else None
            if body is not None:
                # The same version and URL that make the ETag: the body is exactly as fresh
                # as a 304 for that ETag would be.
                headers = {
                    name: value
                    for name, value in response.items()
                    if name.lower() not in UNCACHED_HEADERS
                }
                cache.set(key, (headers, body), timeout=seconds)
            set_validators(response, version, etag)
        return response

    return wrapper


class CachingAPIRouter(WagtailAPIRouter):
    def get_urlpatterns(self):
        return decorate_urlpatterns(super().get_urlpatterns(), api_http_caching)


api_router = CachingAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
