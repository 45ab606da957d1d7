"""Wagtail API v2 at /api/v2/: pages with the project's fields, images, documents.

Differences from Wagtail's stock endpoints:

* strictly public: German pages (the site's tree, ``core.languages``), live, without any
  view restriction (sessions never widen it) and not below an unpublished page; images and
  documents outside restricted collections;
* ``?locale=en`` shows the same pages in English where translated (``api.locale``),
  instead of Wagtail's ``locale`` filter (which would list the English tree's pages);
* the shared place filters (``places.queries``: region, category, tag, offer, status,
  municipality, q, bbox) on ``?type=places.PlacePage``, bad input a 400 with a German
  message, never a 500 (``api.v2.filters``);
* a fixed number of queries per listing (``api.v2.listing``), JSON written by orjson
  (``api.v2.serializers``), byte for byte Wagtail's output;
* ``ETag``/``Last-Modified``/``Cache-Control``, ``304`` and kept answers (``api.http``).
"""

import functools

from django.apps import apps
from django.conf import settings
from django.http import Http404
from django.utils import translation

from wagtail.api.v2.filters import (
    AncestorOfFilter,
    ChildOfFilter,
    DescendantOfFilter,
    OrderingFilter,
    SearchFilter,
    TranslationOfFilter,
)
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.api.validators import SiteFilterValidator
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Page

from rest_framework.response import Response

from core.languages import in_language_q
from core.models import restricted_collections
from core.visibility import exclude_below_unpublished
from places.models import PlacePage
from places.queries import FILTER_PARAMETERS
from places.regions import visible_region_map

from ..http import IGNORED_PARAMETERS
from ..locale import request_language, with_parent_in_language
from .filters import PLACE_PARAMETERS, JSONErrorsMixin, PlaceFilterBackend, SafeFieldsFilter
from .listing import ListingMixin
from .serializers import CompiledPageSerializer


class PublicPagesAPIViewSet(JSONErrorsMixin, ListingMixin, PagesAPIViewSet):
    filter_backends = [
        SafeFieldsFilter,
        PlaceFilterBackend,
        ChildOfFilter,
        AncestorOfFilter,
        DescendantOfFilter,
        OrderingFilter,
        TranslationOfFilter,
        SearchFilter,  # last: search results cannot be filtered further
    ]
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(PLACE_PARAMETERS)
    base_serializer_class = CompiledPageSerializer

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
            # German pages only: a translation is shown in its German page's place.
            queryset = Page.objects.live().public().filter(in_language_q())
            if site is None:
                queryset = queryset.none()
            else:
                queryset = queryset.descendant_of(site.root_page, inclusive=True)
            self._base_queryset = exclude_below_unpublished(queryset)
        return self._base_queryset.all()

    def get_queryset(self):
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
            page = super().get_object()
        except OverflowError as exc:
            raise Http404 from exc
        return with_parent_in_language(page, request_language(self.request))

    def detail_view(self, request, pk):
        page = self.get_object()
        # Page addresses in the answer's language (``core.languages.BilingualPage``).
        with translation.override(request_language(request)):
            return Response(self.get_serializer(page).data)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["_regions"] = visible_region_map(self.get_base_queryset())
        return context


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


@functools.cache
def v2_parameters() -> tuple[frozenset, frozenset]:
    """``(names, multi)``: the query parameters API v2 knows (its operations, the place
    filters, any model field as a field filter), and those that take several values."""
    names = set(IGNORED_PARAMETERS)
    for viewset in (PublicPagesAPIViewSet, PublicImagesAPIViewSet, PublicDocumentsAPIViewSet):
        names |= viewset.known_query_parameters
    for model in apps.get_models():
        names |= {field.name for field in model._meta.get_fields()}
    return frozenset(names), frozenset(FILTER_PARAMETERS)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
