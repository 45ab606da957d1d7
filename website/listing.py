"""Filtered, paginated place listings for the region page, /orte/ and the embed map.

The shared filters (``places.queries``) parse and apply; this module adds what a page
needs around them: the form's choices (built from the places in scope), the selected
values, pagination that keeps the filters in the URL and friendly German errors.
Every listing costs a fixed number of queries, however many places it holds.
"""

import hashlib
import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import BooleanField, Count, Exists, IntegerField, OuterRef, Value, Window
from django.http import QueryDict
from django.template import Context
from django.template.response import TemplateResponse

from taggit.models import Tag

from core import languages
from core.data_version import VERSION_CACHE_KEY, DataVersion
from places.models import Category, Offer, PlacePage, PlacePageTag, PlaceStatus, taxonomy_label
from places.queries import FilterError, PlaceFilters, parse_place_filters
from places.regions import visible_regions
from website.cards import (
    CardCache,
    build_card_cache,
    card_places,
    card_rows,
    cards_kept,
    for_cards,
    fragments_seconds,
    in_active_language,
    listed_places,
    remember_version,
    using,
)

PER_PAGE = 24
#: Past any listing's end (``Paginator.get_page`` then shows the last page).
MAX_PAGE_NUMBER = 1_000_000
FORM_PARAMETERS = ("region", "category", "tag", "offer", "status", "municipality", "q")


def clean_search_text(text: str) -> str:
    """Letters, digits, spaces and hyphens only: search syntax characters never reach the
    database, so no query can fail there."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s-]", " ", text or "")).strip(" -")[:200]


def selected_values(params, name) -> list[str]:
    """The values of ``name`` as the visitor sent them (comma-separated or repeated), for
    the form to show, also when they are wrong."""
    values = []
    for raw in params.getlist(name):
        values.extend(part.strip() for part in raw.split(",") if part.strip())
    return values


def read_parameters(get, names) -> QueryDict:
    """The parameters ``names`` of a request's ``get``; anything else (utm_source …) is
    ignored. Each is read by its name: the page cache keys a page on what it read
    (core/query_keys.py), so a parameter the page ignores makes no new entry."""
    params = QueryDict(mutable=True)
    for name in names:
        if name in get:
            params.setlist(name, get.getlist(name))
    return params


def shows_another_page(requested_page: str | None, page_obj) -> bool:
    """Whether ``page_obj`` is not the page asked for (past the end, not a number): each of
    a million page numbers past the end would be an entry of its own in the page cache and
    the CDN, so such an answer is never kept (``Cache-Control: no-store``)."""
    if requested_page is None or page_obj is None:
        return False
    return requested_page.strip() != str(page_obj.number)


@dataclass
class Listing:
    filters: PlaceFilters | None
    errors: dict[str, str]
    page_obj: PaginatorPage | None
    selected: dict[str, list[str]]
    choices: dict[str, list]
    query_string: str  # the filters as URL parameters, without the page number
    #: What all pages of this listing share, inside ``shared_listing_data()`` (None: errors).
    memo_key: tuple | None = None
    #: The ``page`` parameter as asked for (a number past the end shows the last page).
    requested_page: str | None = None

    @property
    def places(self):
        return self.page_obj.object_list if self.page_obj else []

    @property
    def count(self) -> int:
        return self.page_obj.paginator.count if self.page_obj else 0

    @property
    def is_filtered(self) -> bool:
        return bool(self.errors) or bool(self.filters and not self.filters.is_empty)

    @property
    def status_code(self) -> int:
        return 400 if self.errors else 200

    @property
    def active_labels(self) -> list[str]:
        """Human-readable summary of the active filters (German)."""
        if not self.filters:
            return []
        labels = []
        for key, values in self.filters.as_query_dict().items():
            if key == "q":
                labels.append(f"„{self.filters.query}“")
                continue
            names = {str(slug): str(label) for slug, label in self.choices.get(key, [])}
            labels.extend(names.get(value, value) for value in values)
        return labels


def _choices(scope, *, with_regions: bool, language: str | None = None) -> dict[str, list]:
    """The filter form's options in one query (UNION ALL): all fields, and the offers, tags
    and municipalities that occur among the places in ``scope``; the fields' and offers'
    names in ``language`` (default: the active one; ``places.models.taxonomy_label``), so
    kept per language.

    Offers and tags: one ``EXISTS`` probe each, in the select list, so that the database
    runs it per offer or tag and stops at the first visible place (in ``WHERE`` it would
    become a semi-join, which may read every link). The municipalities are the distinct
    values of one narrow column of the places in scope."""
    language = languages.active() if language is None else language
    place_ids = scope.order_by().values("pk")
    zero = Value(0, output_field=IntegerField())
    yes = Value(True, output_field=BooleanField())
    offer_links = PlacePage.offers.through.objects.filter(
        offer_id=OuterRef("pk"), placepage_id__in=place_ids
    )
    tag_links = PlacePageTag.objects.filter(tag_id=OuterRef("pk"), content_object_id__in=place_ids)
    parts = [
        Category.objects.order_by().values_list(
            Value("category"), "slug", "name", "sort_order", yes, "name_en"
        ),
        Offer.objects.order_by()
        .annotate(present=Exists(offer_links))
        .values_list(Value("offer"), "slug", "name", "sort_order", "present", "name_en"),
        Tag.objects.order_by()
        .annotate(present=Exists(tag_links))
        .values_list(Value("tag"), "slug", "name", zero, "present", Value("")),
        scope.order_by()
        .exclude(municipality="")
        .values_list(Value("municipality"), "municipality", "municipality", zero, yes, Value(""))
        .distinct(),
    ]
    rows = sorted(
        (
            (kind, slug, taxonomy_label(name, name_en, language), order)
            for kind, slug, name, order, present, name_en in parts[0].union(*parts[1:], all=True)
            if present
        ),
        key=lambda row: (row[0], row[3], row[2].lower()),
    )
    choices = {"category": [], "offer": [], "tag": [], "municipality": []}
    for kind, slug, label, _order in rows:
        choices[kind].append((slug, label))
    choices["status"] = list(PlaceStatus.choices)
    if with_regions:
        choices["region"] = list(visible_regions().order_by("title").values_list("slug", "title"))
    return choices


#: The kept values' code key, part of every kept value's name: raise it when the shape of a
#: kept value changes, so that processes of the old and the new release never read each
#: other's values (the data version is the same for both).
KEPT_CODE_KEY = 3


def kept(computations: dict) -> dict:
    """``{key: compute()}`` for ``computations`` (``{key: compute}``, keys are tuples): data
    that many pages share (filter choices, counts, nearby places), kept in the cache under
    the API's data version (``core.data_version.DataVersion``, which counts changes made by
    other processes too) for ``FRAGMENT_CACHE_SECONDS``. One cache round trip reads the
    counter and every value; an entry holds the version it was computed under and counts
    only while that is current. Computed every time without kept parts, and always inside a
    static build (``shared_listing_data``), which must read the database.

    The same in every language: kept values hold ids, counts, rows and lazy labels, never
    words of the active language or addresses (cards and pages add those when they render,
    ``website.cards.CardCache`` keys on the language); a value with words of one language
    has the language in its key (the filter choices)."""
    seconds = fragments_seconds()
    if not seconds or _memo.get() is not None:
        return {key: compute() for key, compute in computations.items()}
    names = {
        key: "kept:" + hashlib.md5(repr((KEPT_CODE_KEY, key)).encode()).hexdigest()
        for key in computations
    }
    found = cache.get_many([VERSION_CACHE_KEY, *names.values()])
    token = DataVersion(counter=found.get(VERSION_CACHE_KEY)).token
    remember_version(token)  # the page's kept cards are read under the same version
    values, stale = {}, {}
    for key, compute in computations.items():
        entry = found.get(names[key])
        if entry is not None and entry[0] == token:
            values[key] = entry[1]
        else:
            # Computed after the version was read: never older than the version it is
            # stored under.
            values[key] = compute()
            stale[names[key]] = (token, values[key])
    if stale:
        cache.set_many(stale, timeout=seconds)
    return values


def kept_by_data_version(key: tuple, compute):
    """``compute()`` kept by data version under ``key`` (``kept``)."""
    return kept({key: compute})[key]


def _page_number(raw) -> int | None:
    """The requested page number as Django's ``Paginator.get_page`` reads it: 1 when
    missing or not a number, ``None`` when below 1 (it then shows the last page)."""
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    # No listing has a millionth page; larger numbers would overflow the database's OFFSET.
    return min(number, MAX_PAGE_NUMBER) if number >= 1 else None


def paginate(queryset, raw_number, per_page: int, *, memo_key=None, count=None) -> PaginatorPage:
    """``Paginator(for_cards(queryset), per_page).get_page(raw_number)`` without a COUNT
    and a page query that sorts every matching place with all its columns: first the
    page's card keys with the total (``COUNT(*) OVER ()``, sorting narrow rows), then the
    cards of just those places (``website.cards``). A page past the end (no rows, so no
    total) falls back to Django's paginator, which shows the last page.

    ``count``: the number of matching places, known already (kept by data version,
    ``build_listing``); the page's rows are then read alone, which an index on the sort
    order (``core`` migration 0004) answers without reading every match.

    Inside ``shared_listing_data()`` the ordered ids of the whole listing are read once per
    ``memo_key`` and every page of it only loads its cards."""

    def cards(rows, listed: bool) -> list:
        if listed:
            return listed_places(queryset.model, [row[:3] for row in rows])
        return card_places(queryset.model, [row[0] for row in rows])

    if _memo.get() is not None and memo_key is not None:
        rows = shared_in_build(("ids", memo_key), lambda: card_rows(queryset))
        page = Paginator(rows, per_page).get_page(raw_number)
        page.object_list = cards(page.object_list, listed=build_card_cache() is not None)
        return page

    def page(rows, number, total) -> PaginatorPage:
        paginator = Paginator([], per_page)
        paginator.count = total
        return PaginatorPage(cards(rows, listed=cards_kept()), number, paginator)

    number = _page_number(raw_number)
    if count is not None:
        # As ``Paginator.get_page``: past the end or below 1, the last page.
        last = max(1, -(-count // per_page))
        if number is None or number > last:
            number = last
        offset = (number - 1) * per_page
        rows = queryset.values_list("pk", "live_revision_id", "url_path")
        return page(list(rows[offset : offset + per_page]) if count else [], number, count)
    if number is not None:
        offset = (number - 1) * per_page
        rows = list(
            queryset.annotate(_listing_total=Window(Count("pk"))).values_list(
                "pk", "live_revision_id", "url_path", "_listing_total"
            )[offset : offset + per_page]
        )
        if rows or number == 1:
            return page(rows, number, rows[0][-1] if rows else 0)
    page = Paginator(for_cards(queryset), per_page).get_page(raw_number)
    page.object_list = in_active_language(page.object_list)
    return page


_memo: ContextVar[dict | None] = ContextVar("places_listing_memo", default=None)


def shared_fragment(template_name: str, key: tuple, render, request):
    """``render()``: markup of ``template_name`` that every page of a listing shows alike
    (the filter form), ``key`` naming everything it shows besides the data: read once per
    ``shared_listing_data()`` store in each language (its words); live, kept with the
    request's cards (``CardCache.fragment``) when kept parts are on."""
    if _memo.get() is not None:
        return shared_in_build(("fragment", languages.active(), template_name, *key), render)
    cards = CardCache.of(request) if request is not None else None
    return render() if cards is None else cards.fragment(template_name, key, render)


def shared_in_build(key, compute):
    """``compute()``, read once per ``shared_listing_data()`` store (every time outside one)."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


@contextmanager
def shared_listing_data(store: dict | None = None, cards: CardCache | None = None):
    """For rendering many listing pages from data that does not change meanwhile (the
    static build renders every page of every listing): inside the block, the filter
    choices of a scope and the ordered ids of a listing are read once and shared by all
    its pages, so a page costs the same however many places the listing holds. ``store``
    (a dict) keeps them across several blocks, e.g. one per rendered URL of a build.
    ``cards``: the build's card cache (``CardCache.for_build``) for the listings' cards.
    Live requests never use it: they must see every change at once."""
    token = _memo.set({} if store is None else store)
    try:
        with using(cards):
            yield
    finally:
        _memo.reset(token)


#: Stands for a listing page's own part in its rendered frame (no content can hold a NUL).
_PAGE_SLOT = "\x00listing-page\x00"
_frame_capture: ContextVar[dict | None] = ContextVar("places_listing_frame", default=None)


@dataclass
class _Frame:
    """A listing's page without its own part: the markup around the part, and what the part
    needs to be rendered for any page (its nodes, their template, the context they saw)."""

    before: str
    after: str
    nodelist: object
    template: object
    values: dict

    def part(self, listing, request) -> str:
        context = Context({**self.values, "listing": listing, "request": request})
        context.template = self.template
        with context.render_context.push_state(self.template):
            return self.nodelist.render(context)


def listing_page_part(nodelist, context) -> str:
    """``{% listing_page %}``: the block, or its slot while a frame is captured."""
    captured = _frame_capture.get()
    if captured is None:
        return nodelist.render(context)
    if captured:  # a second block: the frame would not hold all of a page's own parts
        captured["twice"] = True
        return nodelist.render(context)
    captured.update(nodelist=nodelist, template=context.template, values=context.flatten())
    return _PAGE_SLOT


class ListingResponse(TemplateResponse):
    """The ``TemplateResponse`` of a page that shows ``context["listing"]`` (a region, /orte/,
    the embedded map).

    Inside ``shared_listing_data()`` (the static build renders every page of every listing),
    the pages of one listing differ only in the block ``{% listing_page %}`` of
    ``includes/place_list.html`` (page number, cards, pagination). The rest, the frame, is
    rendered once per listing and path; every page renders just its block into it. Live
    requests always render the whole template.

    ``segments``: ``(frame before, the page's own part, frame after)`` once rendered from a
    frame (the static build rewrites the frame's URLs once per listing too)."""

    segments: tuple[str, str, str] | None = None

    def __init__(self, request, template, context=None, *args, **kwargs):
        super().__init__(request, template, context, *args, **kwargs)
        listing = (context or {}).get("listing")
        if isinstance(listing, Listing) and shows_another_page(
            listing.requested_page, listing.page_obj
        ):
            self["Cache-Control"] = "no-store"

    @property
    def rendered_content(self):
        listing = (self.context_data or {}).get("listing")
        memo = _memo.get()
        if memo is None or not isinstance(listing, Listing) or listing.memo_key is None:
            return super().rendered_content
        key = ("frame", str(self.template_name), self._request.path, listing.memo_key)
        frame = memo.get(key)
        if frame is None:
            captured = {}
            token = _frame_capture.set(captured)
            try:
                text = super().rendered_content
            finally:
                _frame_capture.reset(token)
            parts = text.split(_PAGE_SLOT)
            if "nodelist" not in captured or "twice" in captured or len(parts) != 2:
                memo[key] = False  # no frame to share: render these pages whole
                return text if len(parts) == 1 else super().rendered_content
            frame = memo[key] = _Frame(*parts, **captured)
        if frame is False:
            return super().rendered_content
        self.segments = (frame.before, frame.part(listing, self._request), frame.after)
        return "".join(self.segments)


def build_listing(request, scope, *, region=None, per_page: int = PER_PAGE) -> Listing:
    """Filter ``scope`` (a queryset of visible places) by the request's GET parameters.

    ``region``: the listing belongs to this region's page, so a ``region`` parameter is
    ignored and the region choice is not offered.
    """
    names = [name for name in FORM_PARAMETERS if region is None or name != "region"]
    params = read_parameters(request.GET, names)
    selected = {name: selected_values(params, name) for name in FORM_PARAMETERS}
    selected["q"] = [" ".join(params.getlist("q")).strip()] if params.get("q") else []
    # The scope is a function of the region (all visible places, or the region's).
    scope_key = region.pk if region is not None else None
    # The choices hold the fields' and offers' names in the active language.
    language = languages.active()
    choices_key = ("choices", scope_key, language)

    def choices():
        return shared_in_build(
            choices_key,
            lambda: _choices(scope, with_regions=region is None, language=language),
        )

    try:
        filters = parse_place_filters(params)
    except FilterError as exc:
        shown = kept({choices_key: choices})[choices_key]
        return Listing(None, exc.errors, None, selected, shown, "")

    filters.query = clean_search_text(filters.query)
    queryset = filters.apply(scope)
    if not filters.query:
        queryset = queryset.order_by("title", "pk")
    query_string = urlencode(filters.as_query_dict(), doseq=True)
    memo_key = (scope_key, query_string)
    # Live, what every page of a listing (the count) and of a scope (the filter choices)
    # shares is kept by data version; a search term's count comes with its page.
    shared = {choices_key: choices}
    counted = not filters.query and fragments_seconds() and _memo.get() is None
    if counted:
        shared[("count", *memo_key)] = lambda: queryset.order_by().count()
    values = kept(shared)
    count = values.get(("count", *memo_key))
    requested_page = request.GET.get("page")
    page_obj = paginate(queryset, requested_page, per_page, memo_key=memo_key, count=count)
    return Listing(
        filters,
        {},
        page_obj,
        selected,
        values[choices_key],
        query_string,
        memo_key=memo_key,
        requested_page=requested_page,
    )
