"""API v2 listings in a fixed number of queries, whatever their size.

A page of results is read ids first (with the total count, ``COUNT(*) OVER ()``), then just
those rows; related rows, images and region statistics come from value queries into the
serializer context (``preload``). A listing of places with all fields (``fields=*``) or the
default ones is the places' stored items joined (``api.snapshots``): the ids of the page of
results, then their items, one query each. Items are stored as the serializer writes them,
with the base URL as ``BASE_MARKER``; stale, missing or unstorable ones are rendered here.
"""

import secrets
from collections import defaultdict

from django.conf import settings
from django.db.models import Count, QuerySet, Window
from django.utils import translation

from wagtail.api.rich_text import APIRichText
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.models import Site

import orjson
from rest_framework.response import Response

from core.languages import DEFAULT
from events.api_fields import CONTEXT_KEY as EVENT_VALUES
from events.models import EventPage
from places.api_fields import (
    URL_BASE_ATTRIBUTE,
    gallery_rows,
    images_with_renditions,
    raw_blocks,
    region_stats,
    story_image_ids,
)
from places.models import PlaceLink, PlacePage
from regions.models import RegionPage

from ..data import taxonomy_by_place
from ..events import event_api_values
from ..locale import (
    in_language,
    request_language,
    show_translation,
    taxonomy_names_in,
    translated_field_names,
    translations_and_names,
)
from ..snapshots import BASE_MARKER, Pieces, settings_key, with_base_url
from .serializers import CompactJSONRenderer, PreRenderedJSON


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


class ListingMixin:
    """For ``PagesAPIViewSet``: its listing view in a fixed number of queries."""

    pagination_class = ListingPagination
    #: Raise when an item's serialisation changes: every stored item becomes stale.
    ITEMS_FORMAT = "1"
    SNAPSHOT_COLUMNS = {"*": ("v2_all", "v2_all_built"), None: ("v2_default", "v2_default_built")}

    def listing_view(self, request):
        queryset = self.get_queryset()
        self.check_query_parameters(queryset)
        queryset = self.filter_queryset(queryset)
        sliced = self.paginate_queryset(queryset)
        language = request_language(request)
        columns = self.snapshot_columns(sliced)
        if columns is not None:
            return self.snapshot_listing(sliced, *columns, language=language)
        pages = in_language(self.fetch_page(sliced), language)
        # Page addresses in the answer's language (``core.languages.BilingualPage``).
        with translation.override(language):
            serializer = self.get_serializer(pages, many=True)
            self.prepare(pages, serializer.context)
            return self.get_paginated_response(serializer.data)

    def prepare(self, pages, context):
        # Page URLs: one copy of the site root paths instead of a cache read per page.
        root_paths = Site.get_site_root_paths()
        for page in pages:
            page._wagtail_cached_site_root_paths = root_paths
        self.preload(pages, context)

    def snapshot_columns(self, sliced):
        """``(item column, built column)`` when this listing can use stored items."""
        if not isinstance(sliced, QuerySet) or sliced.model is not PlacePage:
            return None
        params = self.request.GET
        if "rich_text_format" in params or "search" in params:
            return None
        fields = params.get("fields")
        if fields not in self.SNAPSHOT_COLUMNS:
            return None
        renderer = getattr(self.request, "accepted_renderer", None)
        if not isinstance(renderer, CompactJSONRenderer) or not renderer.can_pass_through(
            self.request.accepted_media_type, self.get_renderer_context()
        ):
            return None
        return self.SNAPSHOT_COLUMNS[fields]

    def snapshot_key(self) -> str:
        """What a stored item depends on besides the data: the serializer's fields, the
        settings and code that shape the item (and which fields a translation shows)."""
        serializer_class = self.get_serializer_class()
        return settings_key(
            self.ITEMS_FORMAT,
            repr(list(serializer_class.Meta.fields)),
            repr(list(serializer_class.meta_fields)),
            APIRichText.get_default_format(),
            str(getattr(settings, "WAGTAIL_I18N_ENABLED", False)),
            str(self.request.wagtailapi_router.get_object_detail_urlpath(PlacePage, 0)),
            repr(translated_field_names(PlacePage)),
        )

    def snapshot_listing(self, sliced, column: str, built_column: str, language=DEFAULT):
        """The listing joined from stored items. In another language (``api.locale``): a
        translated place's item is its translation's (stored in the translation's row,
        depending on both rows), an untranslated one the German item at its address in
        that language; one query more than in German (the translations)."""
        fields = ("pk", "url_path") + (() if language == DEFAULT else ("translation_key",))
        rows = self.page_rows(sliced, *fields)
        ids = [row[0] for row in rows]
        # A place that is a site's root page shows no region: never stored.
        site_roots = {root.root_path for root in Site.get_site_root_paths()}
        never_store = {row[0] for row in rows if row[1] in site_roots}
        pieces = Pieces((column,), built_column, self.snapshot_key(), self.render_items)
        if language == DEFAULT:
            items = pieces.get(ids, column, never_store=never_store)
            listed = [items[pk] for pk in ids if pk in items]
        else:
            listed = self.items_in_language(pieces, rows, column, never_store, language)
        if self.paginator.total_count is None:  # an empty page
            self.paginator.total_count = self.paginator.queryset.count()
        head = b'{"meta":{"total_count":%d},"items":[' % self.paginator.total_count
        body = head + ",".join(listed).encode() + b"]}"
        return Response(PreRenderedJSON(with_base_url(body, self.request)))

    def items_in_language(self, pieces, rows, column, never_store, language) -> list[str]:
        # With the names of fields, offers and actor types in the language (for the
        # untranslated places' German items), in the same query.
        translations, names = translations_and_names([key for *_, key in rows], language)
        # A translated place's piece lives in its translation's row.
        german_of = {translations[key]: pk for pk, _url_path, key in rows if key in translations}
        stored = {pk: translations.get(key, pk) for pk, _url_path, key in rows}
        in_language_already = set()

        def render(ids):
            german = [pk for pk in ids if pk not in german_of]
            result = self.render_items(german) if german else {}
            # An untranslated item rendered for every request is rendered in the language.
            again = [pk for pk, (_values, storable) in result.items() if not storable]
            if again:
                result.update(self.render_items(again, language))
                in_language_already.update(again)
            english = [pk for pk in ids if pk in german_of]
            if english:
                result.update(self.render_items(english, language, german_of))
            return result

        pieces.render = render
        items = pieces.get(
            list(stored.values()),
            column,
            never_store={stored[pk] for pk in never_store},
            depends=german_of,
        )
        root_paths = Site.get_site_root_paths()
        listed = []
        for pk, url_path, _key in rows:
            item = items.get(stored[pk])
            if item is None:
                continue
            if stored[pk] == pk and pk not in in_language_already:
                item = self.at_address_in(item, pk, url_path, root_paths, language)
                item = taxonomy_names_in(item, names)
            listed.append(item)
        return listed

    def at_address_in(self, item: str, pk, url_path, root_paths, language) -> str:
        """The German ``item``'s ``html_url`` at its address in ``language``."""
        page = PlacePage(pk=pk, url_path=url_path)
        page._wagtail_cached_site_root_paths = root_paths
        with translation.override(DEFAULT):
            german = page.full_url
        with translation.override(language):
            localized = page.full_url
        if german is None or german == localized:
            return item
        old = b'"html_url":' + orjson.dumps(german)
        body = item.encode()
        if body.count(old) == 1:
            return body.replace(old, b'"html_url":' + orjson.dumps(localized)).decode()
        # Not written as expected: render it in the language (not stored).
        return self.render_items([pk], language)[pk][0][0]

    def render_items(
        self, ids, language=DEFAULT, german_of=None
    ) -> dict[int, tuple[tuple[str], bool]]:
        """``{pk: ((item JSON with the base URL as marker,), storable)}`` of these places, in
        ``language``. ``german_of`` maps translations' pks among ``ids`` to their German
        places' pks: such an item is the German place shown with its translation's texts
        (``api.locale.show_translation``).

        An item is not storable when it depends on more than the place and what the
        snapshot marks cover: rich text with links to pages or documents, or embeds
        (their URLs and renditions), or a region that is not visible now.
        """
        german_of = german_of or {}
        by_id = PlacePage.objects.select_related("actor_type", "locale").in_bulk(
            [german_of.get(pk, pk) for pk in ids]
        )
        # Read after the generations, like the German places (``api.snapshots``).
        translations = PlacePage.objects.in_bulk([pk for pk in ids if pk in german_of])
        shown = []
        for pk in ids:
            page = by_id.get(german_of.get(pk, pk))
            if page is None or (pk in german_of and pk not in translations):
                continue
            if pk in german_of:
                show_translation(page, translations[pk], language)
            shown.append((pk, page))
        if not shown:
            return {}
        pages = [page for _pk, page in shown]
        with translation.override(language):
            serializer = self.get_serializer(pages, many=True)
            self.prepare(pages, serializer.context)
            nonce = secrets.token_hex(8)
            placeholder = b'"\\u0001' + nonce.encode()
            setattr(self.request, URL_BASE_ATTRIBUTE, "\x01" + nonce)
            try:
                data = serializer.data
            finally:
                delattr(self.request, URL_BASE_ATTRIBUTE)
        renderer = CompactJSONRenderer()
        result = {}
        for (pk, page), item in zip(shown, data, strict=True):
            body = renderer.render(item, "application/json", {})
            body = body.replace(placeholder, b'"' + BASE_MARKER)
            result[pk] = ((body.decode(),), self.storable(page, item))
        return result

    @staticmethod
    def storable(page, item) -> bool:
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
        """Story images of all pages, the places' related rows, region statistics and the
        events' computed fields (their places), each in one go."""
        image_ids = set()
        place_ids = [page.pk for page in pages if isinstance(page, PlacePage)]
        if place_ids:
            # Places shown in their translation (``api.locale.show_translation``).
            translations = {
                page.shown_translation.pk: page.pk
                for page in pages
                if isinstance(page, PlacePage) and getattr(page, "shown_translation", None)
            }
            links = defaultdict(list)
            for page_id, platform, url in (
                PlaceLink.objects.filter(page_id__in=place_ids)
                .order_by("sort_order", "pk")
                .values_list("page_id", "platform", "url")
            ):
                links[page_id].append({"platform": platform, "url": url})
            gallery = gallery_rows(place_ids, translations)
            context["_related"] = {
                **taxonomy_by_place(place_ids),
                "links": links,
                "gallery": gallery,
            }
            for rows in gallery.values():
                image_ids |= {image_id for image_id, _caption in rows}
        events = [page for page in pages if isinstance(page, EventPage)]
        if events:
            context[EVENT_VALUES] = event_api_values(events, context.get("request"))
        for page in pages:
            image_ids.add(getattr(page, "hero_image_id", None))
            image_ids.add(getattr(page, "image_id", None))
            for name in ("story", "body"):
                value = page.__dict__.get(name)
                if value is not None:
                    image_ids |= story_image_ids(raw_blocks(value))
        context["_images"] = images_with_renditions(image_ids)
        context["_region_stats"] = {
            page.pk: region_stats(page) for page in pages if isinstance(page, RegionPage)
        }
