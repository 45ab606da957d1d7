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
import re
import types
from collections import OrderedDict, defaultdict

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Count, Max, Min, QuerySet
from django.http import Http404, JsonResponse
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

from .api_cache import DataVersion, conditional_response, set_validators
from .api_data import exclude_unpublished_subtrees, images_with_renditions, taxonomy_by_place
from .api_fields import story_image_ids
from .queries import FILTER_PARAMETERS, FilterError, parse_place_filters

PLACE_PARAMETERS = frozenset([*FILTER_PARAMETERS, "bbox"])
MAX_PAGINATION_VALUE = 1_000_000_000


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

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None or not self.compact or self.ensure_ascii:
            return super().render(data, accepted_media_type, renderer_context)
        if self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            body = orjson.dumps(data, default=self.encoder_class().default, option=self._options)
        except TypeError:  # e.g. an integer beyond 64 bits, non-string keys
            return super().render(data, accepted_media_type, renderer_context)
        return body.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")


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
            self._base_queryset = exclude_unpublished_subtrees(queryset)
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
        pages = self.fetch_page(self.paginate_queryset(queryset))
        # Page URLs: one copy of the site root paths instead of a cache read per page.
        root_paths = Site.get_site_root_paths()
        for page in pages:
            page._wagtail_cached_site_root_paths = root_paths
        serializer = self.get_serializer(pages, many=True)
        self.preload(pages, serializer.context)
        return self.get_paginated_response(serializer.data)

    @staticmethod
    def fetch_page(sliced) -> list:
        """The objects of one listing page: first their ids (sorting narrow rows), then the
        wide rows of just those (a database would otherwise sort every matching row with
        all its columns, story included, to return 100 of them)."""
        if not isinstance(sliced, QuerySet):  # search results
            return list(sliced)
        ids = list(sliced.values_list("pk", flat=True))
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
            places = exclude_unpublished_subtrees(PlacePage.objects.visible())
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
    """Images outside restricted collections (Wagtail excludes those already)."""

    filter_backends = [SafeFieldsFilter, OrderingFilter, SearchFilter]


class PublicDocumentsAPIViewSet(JSONErrorsMixin, DocumentsAPIViewSet):
    filter_backends = [SafeFieldsFilter, OrderingFilter, SearchFilter]


def api_http_caching(view):
    """ETag/Last-Modified/Cache-Control for anonymous GETs; 304 when nothing changed.

    Requests with an ``Authorization`` header (API v3 tokens) are never cached.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
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
        version = DataVersion()
        etag = version.etag_for("api", request.scheme, request.get_host(), request.get_full_path())
        not_modified = conditional_response(request, version, etag)
        if not_modified is not None:
            return not_modified
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
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
