"""Filtered, paginated place listings for the region page, /orte/ and the embed map.

The shared filters (``places.queries``) parse and apply; this module adds what a page
needs around them: the form's choices (built from the places in scope), the selected
values, pagination that keeps the filters in the URL and friendly German errors.
Every listing costs a fixed number of queries, however many places it holds.
"""

import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from taggit.models import Tag

from places.queries import FilterError, PlaceFilters, parse_place_filters

PER_PAGE = 24
FORM_PARAMETERS = ("region", "category", "tag", "offer", "status", "municipality", "q")


def clean_search_text(text: str) -> str:
    """Letters, digits, spaces and hyphens only: search syntax characters never reach the
    database, so no query can fail there."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s-]", " ", text or "")).strip(" -")[:200]


# Must match the {% picture %} filters in includes/place_card.html.
CARD_IMAGE_FILTERS = ["format-{webp,jpeg}", "fill-{400x250,800x500}-c80"]


def for_cards(queryset):
    """What a place card needs, in a fixed number of queries: the hero image with only the
    card's renditions, the fields (categories); no story, tags or offers."""
    from wagtail.images import get_image_model
    from wagtail.images.models import Filter

    specs = Filter.expand_spec(CARD_IMAGE_FILTERS)
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec__in=specs)
    return (
        queryset.select_related("hero_image")
        .prefetch_related("categories", Prefetch("hero_image__renditions", queryset=renditions))
        .defer_streamfields()
    )


def _selected(params, name) -> list[str]:
    values = []
    for raw in params.getlist(name):
        values.extend(part.strip() for part in raw.split(",") if part.strip())
    return values


@dataclass
class Listing:
    filters: PlaceFilters | None
    errors: dict[str, str]
    page_obj: PaginatorPage | None
    selected: dict[str, list[str]]
    choices: dict[str, list]
    query_string: str  # the filters as URL parameters, without the page number
    extra: dict = field(default_factory=dict)
    #: What all pages of this listing share, inside ``shared_listing_data()`` (None: errors).
    memo_key: tuple | None = None

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
        names = {
            key: {str(slug): str(label) for slug, label in options}
            for key, options in self.choices.items()
        }
        labels = []
        for key, attribute in (
            ("region", None),
            ("category", "categories"),
            ("tag", "tags"),
            ("offer", "offers"),
            ("status", "statuses"),
            ("municipality", "municipalities"),
        ):
            values = (
                [region.slug for region in self.filters.regions]
                if key == "region"
                else getattr(self.filters, attribute)
            )
            labels.extend(names.get(key, {}).get(value, value) for value in values)
        if self.filters.query:
            labels.append(f"„{self.filters.query}“")
        return labels


def _choices(scope, *, with_regions: bool) -> dict[str, list]:
    """The filter form's options in one query (UNION ALL): all fields, and the offers, tags
    and municipalities that occur among the places in ``scope``.

    Offers and tags: one ``EXISTS`` probe each, in the select list, so that the database
    runs it per offer or tag and stops at the first visible place (in ``WHERE`` it would
    become a semi-join, which may read every link). The municipalities are the distinct
    values of one narrow column of the places in scope."""
    from django.db.models import BooleanField, Exists, IntegerField, OuterRef, Value

    from places.models import Category, Offer, PlacePage, PlacePageTag, PlaceStatus

    place_ids = scope.order_by().values("pk")
    zero = Value(0, output_field=IntegerField())
    yes = Value(True, output_field=BooleanField())
    offer_links = PlacePage.offers.through.objects.filter(
        offer_id=OuterRef("pk"), placepage_id__in=place_ids
    )
    tag_links = PlacePageTag.objects.filter(tag_id=OuterRef("pk"), content_object_id__in=place_ids)
    parts = [
        Category.objects.order_by().values_list(
            Value("category"), "slug", "name", "sort_order", yes
        ),
        Offer.objects.order_by()
        .annotate(present=Exists(offer_links))
        .values_list(Value("offer"), "slug", "name", "sort_order", "present"),
        Tag.objects.order_by()
        .annotate(present=Exists(tag_links))
        .values_list(Value("tag"), "slug", "name", zero, "present"),
        scope.order_by()
        .exclude(municipality="")
        .values_list(Value("municipality"), "municipality", "municipality", zero, yes)
        .distinct(),
    ]
    rows = sorted(
        (row for row in parts[0].union(*parts[1:], all=True) if row[4]),
        key=lambda row: (row[0], row[3], row[2].lower()),
    )
    choices = {"category": [], "offer": [], "tag": [], "municipality": []}
    for kind, slug, name, _order, _present in rows:
        choices[kind].append((slug, name))
    choices["status"] = list(PlaceStatus.choices)
    if with_regions:
        from places.page_data import restricted_q
        from regions.models import RegionPage

        choices["region"] = [
            (slug, title)
            for slug, title in RegionPage.objects.live()
            .exclude(restricted_q())
            .order_by("title")
            .values_list("slug", "title")
        ]
    return choices


def _page_number(raw) -> int | None:
    """The requested page number as Django's ``Paginator.get_page`` reads it: 1 when
    missing or not a number, ``None`` when below 1 (it then shows the last page)."""
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return number if number >= 1 else None


# What includes/place_card.html reads of a place (``pageurl`` needs only ``url_path``).
CARD_FIELDS = ("title", "url_path", "teaser", "status", "municipality", "hero_image")


def _cards(model, ids: list[int]) -> list:
    """The places ``ids`` for cards, in that order, with only the fields a card shows."""
    if not ids:
        return []
    places = for_cards(model.objects.filter(pk__in=ids)).only(*CARD_FIELDS)
    cards = {place.pk: place for place in places}
    return [cards[pk] for pk in ids if pk in cards]


def paginate(queryset, raw_number, per_page: int, *, memo_key=None) -> PaginatorPage:
    """``Paginator(for_cards(queryset), per_page).get_page(raw_number)`` without a COUNT
    and a page query that sorts every matching place with all its columns: first the
    page's ids with the total (``COUNT(*) OVER ()``, sorting narrow rows), then the cards
    of just those ids. A page past the end (no rows, so no total) falls back to Django's
    paginator, which shows the last page.

    Inside ``shared_listing_data()`` the ordered ids of the whole listing are read once per
    ``memo_key`` and every page of it only loads its cards."""
    from django.db.models import Count, Window

    if _memo.get() is not None and memo_key is not None:
        rows = _shared(("ids", memo_key), lambda: card_rows(queryset))
        page = Paginator(rows, per_page).get_page(raw_number)
        if _card_store.get() is not None:
            page.object_list = listed_places(queryset.model, list(page.object_list))
        else:
            page.object_list = _cards(queryset.model, [row[0] for row in page.object_list])
        return page

    number = _page_number(raw_number)
    if number is not None:
        offset = (number - 1) * per_page
        rows = list(
            queryset.annotate(_listing_total=Window(Count("pk"))).values_list(
                "pk", "_listing_total"
            )[offset : offset + per_page]
        )
        if rows or number == 1:
            paginator = Paginator([], per_page)
            paginator.count = rows[0][1] if rows else 0
            cards = _cards(queryset.model, [pk for pk, _total in rows])
            return PaginatorPage(cards, number, paginator)
    return Paginator(for_cards(queryset), per_page).get_page(raw_number)


_memo: ContextVar[dict | None] = ContextVar("places_listing_memo", default=None)
_card_store: ContextVar["CardStore | None"] = ContextVar("places_card_store", default=None)


class CardStore:
    """The HTML of place cards by the place's version, for the static build.

    A key is made of what a card can show that changes without a new live revision: the
    page's ``live_revision_id`` (title, teaser, status, municipality, fields and hero image
    are part of it) and ``url_path`` (a move), plus the card's variant (``link_target``).
    Names of fields and image files are not in it: a build that keeps cards across runs
    must drop them when those change (``staticsite.builder.CardFile``). ``known``: cards
    from earlier; ``new``: those rendered since the last ``take_new()``."""

    def __init__(self, known: dict[str, str] | None = None):
        self.known = known if known is not None else {}
        self.new: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        return self.known.get(key)

    def add(self, key: str, html: str) -> None:
        self.known[key] = html
        self.new[key] = html

    def take_new(self) -> dict[str, str]:
        new, self.new = self.new, {}
        return new

    @staticmethod
    def key(link_target: str, card_key: str) -> str:
        return f"{link_target}|{card_key}"

    @staticmethod
    def newest_only(cards: dict[str, str]) -> dict[str, str]:
        """Of several versions of a place's card (per variant), the one added last."""
        newest = {}
        for key in cards:
            newest[key.split(":", 1)[0]] = key  # "<link_target>|<pk>"
        return {key: cards[key] for key in newest.values()}


def card_data_fingerprint() -> str:
    """What a stored card shows besides its place's version: the card template, the names
    of the fields (categories) and the images with everything their renditions and credit
    line are made of. Stored cards are only valid for the same fingerprint."""
    import hashlib

    from django.conf import settings
    from django.template.loader import get_template

    import wagtail
    from wagtail.images import get_image_model

    from places.models import Category

    digest = hashlib.sha256()
    template = get_template("includes/place_card.html").template
    for part in (
        wagtail.__version__,
        settings.MEDIA_URL,
        template.source,
        list(Category.objects.order_by("pk").values_list("pk", "slug", "name", "sort_order")),
        list(
            get_image_model()
            .objects.order_by("pk")
            .values_list(
                "pk",
                "file",
                "file_hash",
                "width",
                "height",
                "description",
                "credit",
                "licence",
                "focal_point_x",
                "focal_point_y",
                "focal_point_width",
                "focal_point_height",
            )
        ),
    ):
        digest.update(repr(part).encode("utf-8"))
    return digest.hexdigest()


def current_card_store() -> CardStore | None:
    return _card_store.get()


class _CardBatch:
    """The places of one listing page, loaded for cards at the first card not stored."""

    def __init__(self, model, ids: list[int]):
        self.model = model
        self.ids = ids
        self._places: dict | None = None

    def place(self, pk: int):
        if self._places is None:
            self._places = {place.pk: place for place in _cards(self.model, self.ids)}
        return self._places.get(pk)


@dataclass
class ListedPlace:
    """A place on a listing page whose card may come from the ``CardStore``: the place
    itself is loaded only when its card is not stored (``{% place_card %}``)."""

    pk: int
    card_key: str
    batch: _CardBatch = field(repr=False)

    @property
    def place(self):
        return self.batch.place(self.pk)


#: The card variants (``link_target``) the templates show: the listings', and the embeddable
#: map's whose links open a new window. ``render_cards`` renders these ahead; any other one
#: is rendered when a page first shows it.
CARD_VARIANTS = ("", "_blank")


def card_html(place, request, link_target: str = "") -> str:
    """``includes/place_card.html`` for ``place`` as a listing shows it (``{% place_card %}``:
    the card reads only ``place``, ``link_target`` and, for its link, ``request``)."""
    from django.template import Context, engines

    template = engines["django"].engine.get_template("includes/place_card.html")
    return template.render(
        Context({"place": place, "link_target": link_target, "request": request})
    )


def render_cards(rows, request) -> dict[str, str]:
    """The cards of the places ``rows`` (``(pk, live_revision_id, url_path)``) in every
    ``CARD_VARIANTS``, by ``CardStore`` key; the places are loaded together."""
    from places.models import PlacePage

    cards = {}
    for listed in listed_places(PlacePage, rows):
        place = listed.place
        if place is None:
            continue
        for link_target in CARD_VARIANTS:
            cards[CardStore.key(link_target, listed.card_key)] = card_html(
                place, request, link_target
            )
    return cards


def card_rows(queryset) -> list[tuple]:
    """``(pk, live_revision_id, url_path)`` of the places in ``queryset``: what a card's
    ``CardStore`` key is made of."""
    return list(queryset.values_list("pk", "live_revision_id", "url_path"))


def card_key(row: tuple) -> str:
    """The version part of a ``CardStore`` key, from a ``card_rows`` row."""
    pk, revision, url_path = row
    return f"{pk}:{revision}:{url_path}"


def listed_places(model, rows) -> list[ListedPlace]:
    """``rows`` of ``(pk, live_revision_id, url_path)`` as ``ListedPlace`` objects."""
    batch = _CardBatch(model, [row[0] for row in rows])
    return [ListedPlace(row[0], card_key(row), batch) for row in rows]


def shared_fragment(key: tuple, render):
    """``render()``: markup that every page of a listing shows alike (the filter form), read
    once per ``shared_listing_data()`` store under ``key``."""
    return _shared(("fragment", *key), render)


def _shared(key, compute):
    """``compute()``, read once per ``shared_listing_data()`` store (every time outside one)."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


@contextmanager
def shared_listing_data(store: dict | None = None, cards: CardStore | None = None):
    """For rendering many listing pages from data that does not change meanwhile (the
    static build renders every page of every listing): inside the block, the filter
    choices of a scope and the ordered ids of a listing are read once and shared by all
    its pages, so a page costs the same however many places the listing holds. ``store``
    (a dict) keeps them across several blocks, e.g. one per rendered URL of a build.
    ``cards``: the listings' place cards come from this ``CardStore`` where it has them.
    Live requests never use it: they must see every change at once."""
    token = _memo.set({} if store is None else store)
    cards_token = _card_store.set(cards)
    try:
        yield
    finally:
        _card_store.reset(cards_token)
        _memo.reset(token)


def build_listing(request, scope, *, region=None, per_page: int = PER_PAGE) -> Listing:
    """Filter ``scope`` (a queryset of visible places) by the request's GET parameters.

    ``region``: the listing belongs to this region's page, so a ``region`` parameter is
    ignored and the region choice is not offered.
    """
    params = request.GET.copy()
    params.pop("page", None)
    if region is not None:
        params.pop("region", None)
    # Only the public filter parameters count; anything else (utm_source …) is ignored.
    for key in list(params.keys()):
        if key not in FORM_PARAMETERS:
            params.pop(key)

    selected = {name: _selected(params, name) for name in FORM_PARAMETERS}
    selected["q"] = [" ".join(params.getlist("q")).strip()] if params.get("q") else []
    # The scope is a function of the region (all visible places, or the region's).
    scope_key = region.pk if region is not None else None
    choices = _shared(("choices", scope_key), lambda: _choices(scope, with_regions=region is None))

    try:
        filters = parse_place_filters(params)
    except FilterError as exc:
        return Listing(None, exc.errors, None, selected, choices, "")

    filters.query = clean_search_text(filters.query)
    queryset = filters.apply(scope)
    if not filters.query:
        queryset = queryset.order_by("title", "pk")
    query_string = urlencode(filters.as_query_dict(), doseq=True)
    memo_key = (scope_key, query_string)
    page_obj = paginate(queryset, request.GET.get("page"), per_page, memo_key=memo_key)
    return Listing(filters, {}, page_obj, selected, choices, query_string, memo_key=memo_key)


def error_summary(errors: dict[str, str]) -> str:
    return _("Bitte prüfen Sie die Filter: ") + " ".join(errors.values())
