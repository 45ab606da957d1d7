"""Place cards: what a card needs of a place, and its HTML kept by the place's version.

A listing reads only its places' card keys (``card_rows``: id, live revision, URL path) and
joins their cards (``{% place_card %}``, ``ListedPlace``); a place is loaded
(``card_places``) and its card rendered only when the card is not kept:

- live requests keep cards in Django's cache (``LiveCardCache``, ``FRAGMENT_CACHE_SECONDS``;
  Redis in production), shared by every listing, page and worker;
- the static build renders every card ahead (``render_cards``) and keeps the HTML in a
  ``CardStore`` (``staticsite.builder``: within a build and, in ``.staticsite/cards.json``,
  between builds).

With neither (``FRAGMENT_CACHE_SECONDS = 0``), listings load their places with
``for_cards`` and render every card.
"""

import hashlib
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Prefetch

from core.models import restricted_collections

# Must match the {% fast_picture %} filters in includes/place_card.html.
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


# What includes/place_card.html reads of a place (``pageurl`` needs only ``url_path``).
CARD_FIELDS = ("title", "url_path", "teaser", "status", "municipality", "hero_image")


def card_places(model, ids: list[int]) -> list:
    """The places ``ids`` for cards, in that order, with only the fields a card shows."""
    if not ids:
        return []
    places = for_cards(model.objects.filter(pk__in=ids)).only(*CARD_FIELDS)
    cards = {place.pk: place for place in places}
    return [cards[pk] for pk in ids if pk in cards]


_card_store: ContextVar["CardStore | None"] = ContextVar("places_card_store", default=None)


class CardStore:
    """The HTML of place cards by the place's version, for the static build.

    A key is the place's version and the card's variant (``link_target``): the page's
    ``live_revision_id`` (title, teaser, status, municipality, fields and hero image are
    part of the revision) and its ``url_path`` (a move makes no new revision). The names of
    the fields and the image files are not in it: a build that keeps cards across runs must
    drop them when those change (``card_data_fingerprint``). ``known``: cards from earlier;
    ``new``: those rendered since the last ``take_new()``."""

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
    from wagtail.images import get_image_model

    from places.models import Category

    digest = hashlib.sha256()
    for part in (
        *_card_code(),
        list(Category.objects.order_by("pk").values_list("pk", "slug", "name", "sort_order")),
        sorted(restricted_collections().values_list("pk", flat=True)),
        list(
            get_image_model()
            .objects.order_by("pk")
            .values_list(
                "pk",
                "collection_id",
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

    def __init__(self, model, ids: list[int], card_keys: list[str]):
        self.model = model
        self.ids = ids
        #: Every place's ``card_key``, in the listing's order.
        self.card_keys = card_keys
        self._places: dict | None = None

    def place(self, pk: int):
        if self._places is None:
            self._places = {place.pk: place for place in card_places(self.model, self.ids)}
        return self._places.get(pk)


@dataclass
class ListedPlace:
    """A place on a listing page whose card may come from the ``CardStore``: the place
    itself is loaded only when its card is not stored (``{% place_card %}``)."""

    pk: int
    card_key: str
    batch: _CardBatch = field(repr=False)
    #: On the place page, how far the place is from the page's place (a nearby card).
    distance_km: int | None = None

    @property
    def place(self):
        return self.batch.place(self.pk)


#: Stands for the distance in the stored card of a nearby place. A NUL cannot come from
#: content: PostgreSQL cannot store it in text and Django's form fields refuse it.
DISTANCE_SLOT = "\x00distance\x00"

#: The card variants the templates show, by their name in a ``CardStore`` key, with what
#: ``card_html`` renders them with: the listings', the embeddable map's whose links open a
#: new window, and the place page's nearby places' (their distance filled in when joined).
#: ``render_cards`` renders these ahead; any other one when a page first shows it.
CARD_VARIANTS = {
    "": {"link_target": ""},
    "_blank": {"link_target": "_blank"},
    "+km": {"link_target": "", "distance_km": DISTANCE_SLOT},
}


def card_variant(link_target: str, distance_km) -> str:
    """The name of a card variant (``CARD_VARIANTS``)."""
    return f"{link_target}+km" if distance_km is not None else link_target


def card_html(place, request, link_target: str = "", distance_km=None) -> str:
    """``includes/place_card.html`` for ``place`` (``{% place_card %}``: the card reads only
    ``place``, ``link_target``, ``distance_km`` and, for its link, ``request``)."""
    from django.template import Context, engines

    template = engines["django"].engine.get_template("includes/place_card.html")
    return template.render(
        Context(
            {
                "place": place,
                "link_target": link_target,
                "distance_km": distance_km,
                "request": request,
            }
        )
    )


def listed_card_html(listed: "ListedPlace", request, link_target: str = "", distance_km=None):
    """The card of a ``ListedPlace``: from the build's ``CardStore`` or, live, from the
    ``LiveCardCache`` when it holds this version, else rendered (and kept). ``""`` when the
    place is gone."""
    from django.template import Context
    from django.template.base import render_value_in_context

    store = current_card_store()
    variant = card_variant(link_target, distance_km)
    key = CardStore.key(variant, listed.card_key)
    slot = None if distance_km is None else DISTANCE_SLOT
    if store is not None:
        html = store.get(key)
        if html is None:
            place = listed.place
            if place is None:  # gone since the listing's ids were read
                return ""
            html = card_html(place, request, link_target, slot)
            store.add(key, html)
    else:
        html = LiveCardCache.of(request).card(
            listed, variant, lambda place: card_html(place, request, link_target, slot)
        )
        if html is None:  # gone since the listing's ids were read
            return ""
    if distance_km is not None:
        # What ``{{ distance_km }}`` renders in the card.
        html = html.replace(DISTANCE_SLOT, render_value_in_context(distance_km, Context()), 1)
    return html


def render_cards(rows, request) -> dict[str, str]:
    """The cards of the places ``rows`` (``(pk, live_revision_id, url_path)``) in every
    ``CARD_VARIANTS``, by ``CardStore`` key; the places are loaded together."""
    from places.models import PlacePage

    cards = {}
    for listed in listed_places(PlacePage, rows):
        place = listed.place
        if place is None:
            continue
        for variant, options in CARD_VARIANTS.items():
            cards[CardStore.key(variant, listed.card_key)] = card_html(place, request, **options)
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
    keys = [card_key(row) for row in rows]
    batch = _CardBatch(model, [row[0] for row in rows], keys)
    return [ListedPlace(row[0], key, batch) for row, key in zip(rows, keys, strict=True)]


def fragments_seconds() -> int:
    """``FRAGMENT_CACHE_SECONDS``: how long kept parts of live pages last (0: not kept)."""
    return int(getattr(settings, "FRAGMENT_CACHE_SECONDS", 0) or 0)


def cards_kept() -> bool:
    """Whether listings join kept cards (``ListedPlace``) rather than render every card:
    inside a static build, or live with ``FRAGMENT_CACHE_SECONDS``."""
    return current_card_store() is not None or LiveCardCache.seconds() > 0


def listed_cards(queryset) -> list:
    """The places of ``queryset`` for ``{% place_card %}``: as ``ListedPlace`` objects where
    cards are kept (``cards_kept``), else loaded for their cards."""
    if cards_kept():
        return listed_places(queryset.model, card_rows(queryset))
    return list(for_cards(queryset))


class LiveCardCache:
    """Place cards of live requests in Django's cache (Redis in production): rendered once,
    then joined by every listing, place page and worker until the card changes.

    A card's entry is named by its ``CardStore`` key (variant and ``card_key``: the place's
    live revision and URL path, so publishing or moving a place names a new entry), the
    request's host (the link may be absolute on another site) and the card template
    (``_template_fingerprint``: a deploy with a changed template names new entries). What a
    card shows besides the revision (images and their renditions, the fields' names,
    sites, locales) is covered by the *generation*: a token in the cache that
    ``new_generation`` replaces after such a change commits. An entry holds the generation
    it was rendered under and counts only while that is current.

    One cache round trip per listing (``get_many`` of its cards and the generation); the
    cards not found are rendered together (their places loaded in one batch) and written
    with one ``set_many``. ``FRAGMENT_CACHE_SECONDS = 0`` turns it off."""

    GENERATION_KEY = "place-cards:generation"
    PREFIX = "place-card"

    def __init__(self, host: str):
        self.host = host
        self.generation: str | None = None
        self.found: dict[str, str] = {}
        self.asked: set[str] = set()

    @staticmethod
    def seconds() -> int:
        return fragments_seconds()

    @classmethod
    def of(cls, request) -> "LiveCardCache":
        """The cache view of ``request`` (one per request: a listing's cards are fetched once)."""
        live = getattr(request, "_place_card_cache", None)
        if live is None:
            live = cls(request.get_host() if request is not None else "")
            if request is not None:
                request._place_card_cache = live
        return live

    def _name(self, key: str) -> str:
        raw = f"{self.host}|{_template_fingerprint()}|{key}"
        return f"{self.PREFIX}:{hashlib.md5(raw.encode()).hexdigest()}"

    def _fetch(self, keys: list[str]) -> None:
        names = {self._name(key): key for key in keys if key not in self.asked}
        if not names:
            return
        wanted = list(names) if self.generation else [*names, self.GENERATION_KEY]
        values = cache.get_many(wanted)
        if not self.generation:
            self.generation = values.get(self.GENERATION_KEY) or _current_generation()
        for name, key in names.items():
            entry = values.get(name)
            if entry and entry[0] == self.generation:
                self.found[key] = entry[1]
        self.asked.update(names.values())

    def card(self, listed: ListedPlace, variant: str, render) -> str | None:
        """The card of ``listed`` in ``variant``, from the cache or ``render(place)``; None
        when the place is gone. All cards of ``listed``'s batch in this variant are fetched
        (and, when some are missing, rendered) together."""
        seconds = self.seconds()
        key = CardStore.key(variant, listed.card_key)
        batch = listed.batch
        if seconds:
            self._fetch([CardStore.key(variant, card_key) for card_key in batch.card_keys])
        html = self.found.get(key)
        if html is not None:
            return html
        storable = {}
        for pk, card_key in zip(batch.ids, batch.card_keys, strict=True):
            missing = CardStore.key(variant, card_key)
            if missing in self.found:
                continue
            place = batch.place(pk)
            if place is not None:
                html = self.found[missing] = render(place)
                # Moved since the listing read its key: the card links to the new address
                # and must not be kept under the old one (it could become current again).
                if card_key.endswith(f":{place.url_path}"):
                    storable[missing] = html
        if seconds and storable and self.generation:
            entries = {self._name(k): (self.generation, html) for k, html in storable.items()}
            cache.set_many(entries, timeout=seconds)
        return self.found.get(key)


def _current_generation() -> str:
    """The card generation, created when missing (``add`` keeps one another process set)."""
    token = uuid.uuid4().hex[:12]
    if not cache.add(LiveCardCache.GENERATION_KEY, token, timeout=None):
        token = cache.get(LiveCardCache.GENERATION_KEY) or token
    return token


def new_generation(**kwargs) -> None:
    """Signal receiver: something every card may show changed (an image, a rendition, a
    field's name, a site, a locale). Once the change commits, no kept card counts any more.
    Also after every ``migrate`` (once per release): a card is made of more code than its
    template (``{% fast_picture %}``, the image's credit line, translations)."""
    transaction.on_commit(
        lambda: cache.set(LiveCardCache.GENERATION_KEY, uuid.uuid4().hex[:12], timeout=None)
    )


def _card_code() -> list[str]:
    """What a card is rendered with besides its data: Wagtail's version, the media URL and
    the card template's source."""
    from django.template.loader import get_template

    import wagtail

    template = get_template("includes/place_card.html").template
    return [wagtail.__version__, settings.MEDIA_URL, template.source]


@lru_cache(maxsize=1)
def _template_fingerprint() -> str:
    """``_card_code`` as a short hash, once per process."""
    return hashlib.md5("|".join(_card_code()).encode()).hexdigest()[:12]


def register_signal_handlers() -> None:
    from django.db.models.signals import post_delete, post_migrate, post_save

    from wagtail.images import get_image_model
    from wagtail.models import Collection, CollectionViewRestriction, Locale, Site

    from places.models import Category

    image = get_image_model()
    # Collections and their restrictions decide whether a card shows its image.
    for model in (image, Category, Site, Locale, Collection, CollectionViewRestriction):
        label = model._meta.label_lower
        post_save.connect(new_generation, sender=model, dispatch_uid=f"place-cards-s-{label}")
        post_delete.connect(new_generation, sender=model, dispatch_uid=f"place-cards-d-{label}")
    # A new rendition changes no card that is kept (it was rendered with the rendition);
    # a deleted one leaves kept cards pointing at a missing file.
    renditions = image.get_rendition_model()
    post_delete.connect(new_generation, sender=renditions, dispatch_uid="place-cards-d-rendition")
    post_migrate.connect(new_generation, dispatch_uid="place-cards-migrate")


@contextmanager
def using_card_store(store: CardStore | None):
    """Inside the block, ``{% place_card %}`` takes listed cards from ``store``."""
    token = _card_store.set(store)
    try:
        yield
    finally:
        _card_store.reset(token)
