"""Place cards: what a card needs of a place, and its HTML kept in a Django cache.

A listing reads only its places' card keys (``card_rows``: id, live revision, URL path) and
joins their cards (``{% place_card %}``, ``ListedPlace``); a place is loaded
(``card_places``) and its card rendered only when ``CardCache`` does not hold it. A card's
entry is named by everything it is made of (``CardCache``): publishing or moving a place,
any other change of public data (images, fields, sites, locales …, and every ``migrate``)
and a deploy with another card template all name new entries.

- Live requests keep cards in the configured cache when ``FRAGMENT_CACHE_SECONDS`` is set
  (Redis in production), shared by every listing, page and worker.
- The static build keeps them in a local-memory cache of its own (``CardCache.for_build``),
  filled ahead with every place's cards (``render_ahead``) before the render processes fork.

With neither, listings load their places with ``for_cards`` and render every card.
"""

import hashlib
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache as default_cache
from django.core.cache.backends.locmem import LocMemCache
from django.db.models import Prefetch
from django.template import Context, engines
from django.template.base import render_value_in_context

import wagtail
from wagtail.images import get_image_model
from wagtail.images.models import Filter

from core import languages
from places.models import PlacePage

# Must match the {% responsive_picture %} filters in includes/place_card.html.
CARD_IMAGE_FILTERS = ["format-{webp,jpeg}", "fill-{400x250,800x500}-c80"]
CARD_TEMPLATE = "includes/place_card.html"


def for_cards(queryset):
    """What a place card needs, in a fixed number of queries: the hero image with only the
    card's renditions, the fields (categories); no story, tags or offers."""
    specs = Filter.expand_spec(CARD_IMAGE_FILTERS)
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec__in=specs)
    return (
        queryset.select_related("hero_image")
        .prefetch_related("categories", Prefetch("hero_image__renditions", queryset=renditions))
        .defer_streamfields()
    )


# What includes/place_card.html reads of a place (``pageurl`` needs only ``url_path``), and
# the key of its translations (``in_active_language``).
CARD_FIELDS = (
    "title",
    "url_path",
    "teaser",
    "status",
    "municipality",
    "hero_image",
    "translation_key",
)
#: What a card shows of a place's texts: its live translation's, where it has one.
CARD_TEXTS = ("title", "teaser")


def in_active_language(pages, fields=CARD_TEXTS, model=None) -> list:
    """``pages`` (German pages, of ``model``: by default their own, which must be one)
    showing the ``fields`` of their live pages in the active language, in one query (none
    in German). A page without a live translation keeps its German texts and gets
    ``text_language`` (German): its card says so to screen readers (``lang``); every other
    page gets an empty one (a template asking a page for a missing attribute makes Django
    list all of the page's attributes, ``dir()``, every time). Changes the given page
    objects: only for pages loaded for this request."""
    pages = list(pages)
    for page in pages:
        page.text_language = ""
    language = languages.active()
    if language == languages.DEFAULT or not pages:
        return pages
    model = model or type(pages[0])
    rows = model.objects.filter(
        languages.in_language_q(language),
        translation_key__in={page.translation_key for page in pages},
        live=True,
        alias_of__isnull=True,
    ).values_list("translation_key", *fields)
    texts = {key: values for key, *values in rows}
    for page in pages:
        found = texts.get(page.translation_key)
        if found is None:
            page.text_language = languages.DEFAULT
            continue
        for name, value in zip(fields, found, strict=True):
            setattr(page, name, value)
    return pages


def card_places(model, ids: list[int]) -> list:
    """The places ``ids`` for cards, in that order, with only the fields a card shows, in
    the active language (``in_active_language``)."""
    if not ids:
        return []
    places = in_active_language(for_cards(model.objects.filter(pk__in=ids)).only(*CARD_FIELDS))
    cards = {place.pk: place for place in places}
    return [cards[pk] for pk in ids if pk in cards]


class _CardBatch:
    """The places of one listing page, loaded for cards at the first card not kept."""

    def __init__(self, model, ids: list[int], card_keys: list[str]):
        self.model = model
        self.ids = ids
        #: Every place's ``card_key``, in the listing's order.
        self.card_keys = card_keys
        self._places: dict | None = None
        #: Per variant, every place's key in a ``CardCache`` (``card_key`` → name).
        self.names: dict[str, dict[str, str]] = {}
        #: Cards fetched from a ``CardCache`` or rendered, by their key there.
        self.cards: dict[str, str] = {}

    def place(self, pk: int):
        if self._places is None:
            self._places = {place.pk: place for place in card_places(self.model, self.ids)}
        return self._places.get(pk)


@dataclass
class ListedPlace:
    """A place on a listing page whose card may be kept (``CardCache``): the place itself
    is loaded only when its card is not (``{% place_card %}``)."""

    pk: int
    card_key: str
    batch: _CardBatch = field(repr=False)
    #: On the place page, how far the place is from the page's place (a nearby card).
    distance_km: int | None = None

    @property
    def place(self):
        return self.batch.place(self.pk)


#: Stands for the distance in the kept card of a nearby place. A NUL cannot come from
#: content: PostgreSQL cannot store it in text and Django's form fields refuse it.
DISTANCE_SLOT = "\x00distance\x00"

#: The card variants the templates show, by name, with what ``card_html`` renders them
#: with: the listings', the embeddable map's whose links open a new window, and the place
#: page's nearby places' (their distance filled in when joined). ``render_ahead`` renders
#: these; any other one when a page first shows it.
CARD_VARIANTS = {
    "": {"link_target": ""},
    "_blank": {"link_target": "_blank"},
    "+km": {"link_target": "", "distance_km": DISTANCE_SLOT},
}


def card_html(place, request, link_target: str = "", distance_km=None) -> str:
    """``includes/place_card.html`` for ``place`` (``{% place_card %}``: the card reads only
    ``place``, ``link_target``, ``distance_km``, ``text_language`` and, for its link,
    ``request``). ``text_language`` comes in the context, not as ``place.text_language``:
    a template lookup of an attribute a page lacks costs a ``dir()`` of the page (a fifth
    of a card's time)."""
    template = engines["django"].engine.get_template(CARD_TEMPLATE)
    return template.render(
        Context(
            {
                "place": place,
                "link_target": link_target,
                "distance_km": distance_km,
                "text_language": getattr(place, "text_language", ""),
                "request": request,
            }
        )
    )


def card_rows(queryset) -> list[tuple]:
    """``(pk, live_revision_id, url_path)`` of the places in ``queryset``: what a card's
    key is made of."""
    return list(queryset.values_list("pk", "live_revision_id", "url_path"))


def card_key(row: tuple) -> str:
    """The place's part of a card's key, from a ``card_rows`` row."""
    pk, revision, url_path = row
    return f"{pk}:{revision}:{url_path}"


def listed_places(model, rows) -> list[ListedPlace]:
    """``rows`` of ``(pk, live_revision_id, url_path)`` as ``ListedPlace`` objects."""
    keys = [card_key(row) for row in rows]
    batch = _CardBatch(model, [row[0] for row in rows], keys)
    return [ListedPlace(row[0], key, batch) for row, key in zip(rows, keys, strict=True)]


@lru_cache(maxsize=8)
def card_code_key(template_name: str = CARD_TEMPLATE) -> str:
    """What a card (or another kept fragment, ``CardCache.fragment``) is rendered with
    besides its data, once per process: Wagtail's version, the media URL and the
    template's source."""
    template = engines["django"].engine.get_template(template_name)
    code = "|".join([wagtail.__version__, settings.MEDIA_URL, template.source])
    return hashlib.md5(code.encode()).hexdigest()[:12]


def fragments_seconds() -> int:
    """``FRAGMENT_CACHE_SECONDS``: how long kept parts of live pages last (0: not kept)."""
    return int(getattr(settings, "FRAGMENT_CACHE_SECONDS", 0) or 0)


_build_cards: ContextVar["CardCache | None"] = ContextVar("places_build_cards", default=None)
#: The data version the kept parts of this request were read under (``remember_version``).
_version_read: ContextVar[str | None] = ContextVar("places_version_read", default=None)


def remember_version(token: str) -> None:
    """Called by ``website.listing.kept`` with the data version it read: the cards of the
    same request take it (``CardCache.of``) instead of reading it again. Every page that
    shows kept cards reads its kept parts first."""
    _version_read.set(token)


class CardCache:
    """Place cards in a Django cache ``backend``, by the place's version (``card_key``), the
    card's variant, the host (a link may be absolute on another site), the data ``version``,
    the card's code (``card_code_key``) and the active language (the card's address, words
    and texts: ``/en/…``, „im Aufbau“, its translation's title and teaser).

    A listing page's cards are fetched with one ``get_many``; the missing ones are rendered
    together (their places loaded in one batch) and written with one ``set_many``. A card
    rendered from a place that moved after the listing read its key is not kept."""

    PREFIX = "place-card"

    def __init__(self, backend, host: str, version: str, timeout: int | None = None):
        self.backend = backend
        self.host = host
        self.version = version
        self.timeout = timeout

    @classmethod
    def for_build(cls, host: str, version: str) -> "CardCache":
        """An empty cache of the static build's own (``using``) for the data ``version``, in
        this process's memory: the render processes forked from it share what it holds.
        ``clear()`` its backend when the build is done."""
        name = f"{cls.PREFIX}-{uuid.uuid4().hex}"
        backend = LocMemCache(name, {"TIMEOUT": None, "OPTIONS": {"MAX_ENTRIES": 10**9}})
        return cls(backend, host, version)

    @classmethod
    def of(cls, request) -> "CardCache | None":
        """The build's cache inside ``using``; live, the configured cache's view for
        ``request`` (one per request) when cards are kept (``FRAGMENT_CACHE_SECONDS``) under
        the data version the request's kept parts were read under (``remember_version``;
        without one, cards are rendered and not kept)."""
        build = _build_cards.get()
        if build is not None:
            return build
        seconds = fragments_seconds()
        live = getattr(request, "_place_cards", None)
        if live is None and seconds and _version_read.get():
            version = _version_read.get()
            _version_read.set(None)
            host = request.get_host() if request is not None else ""
            live = cls(default_cache, host, version, seconds)
            if request is not None:
                request._place_cards = live
        return live

    def key(self, variant: str, card_key: str) -> str:
        language = languages.active()
        raw = f"{self.host}|{card_code_key()}|{self.version}|{language}|{variant}|{card_key}"
        return f"{self.PREFIX}:{hashlib.md5(raw.encode()).hexdigest()}"

    def card(self, listed: ListedPlace, variant: str, render) -> str | None:
        """The card of ``listed`` in ``variant``, kept or ``render(place)``; None when the
        place is gone. All cards of ``listed``'s batch in this variant are fetched (and,
        when some are missing, rendered) together."""
        batch = listed.batch
        names = batch.names.get(variant)
        if names is None:
            names = batch.names[variant] = {key: self.key(variant, key) for key in batch.card_keys}
        name = names[listed.card_key]
        if name in batch.cards:
            return batch.cards[name]
        batch.cards.update(self.backend.get_many(list(names.values())))
        storable = {}
        for pk, card_key in zip(batch.ids, batch.card_keys, strict=True):
            if names[card_key] in batch.cards:
                continue
            place = batch.place(pk)
            if place is not None:
                html = batch.cards[names[card_key]] = render(place)
                # Moved since the listing read its key: the card links to the new address
                # and must not be kept under the old one (it could become current again).
                if card_key.endswith(f":{place.url_path}"):
                    storable[names[card_key]] = html
        if storable:
            self.backend.set_many(storable, timeout=self.timeout)
        return batch.cards.get(name)

    def fragment(self, template_name: str, parts: tuple, render) -> str:
        """Markup that many pages show alike (a listing's filter form from ``template_name``:
        ``website.listing.shared_fragment``), kept like a card by the host, the data
        version, the language and the template's source; ``parts`` name everything else it
        shows."""
        name = self.key(f"fragment:{card_code_key(template_name)}", repr(parts))
        html = self.backend.get(name)
        if html is None:
            html = render()
            self.backend.set(name, html, timeout=self.timeout)
        return html

    def render_ahead(self, rows, request) -> dict[str, str]:
        """The cards of the places ``rows`` (``card_rows``) in every ``CARD_VARIANTS``, by
        their key here (for ``backend.set_many``); the places are loaded together."""
        cards = {}
        for listed in listed_places(PlacePage, rows):
            place = listed.place
            if place is None:
                continue
            for variant, options in CARD_VARIANTS.items():
                cards[self.key(variant, listed.card_key)] = card_html(place, request, **options)
        return cards


def listed_card_html(listed: ListedPlace, request, link_target: str = "", distance_km=None):
    """The card of a ``ListedPlace``: kept (``CardCache``) or rendered (and kept). ``""``
    when the place is gone."""
    slot = None if distance_km is None else DISTANCE_SLOT
    variant = link_target if slot is None else f"{link_target}+km"  # ``CARD_VARIANTS``
    cards = CardCache.of(request)
    if cards is None:
        place = listed.place
        html = card_html(place, request, link_target, slot) if place is not None else None
    else:
        html = cards.card(
            listed, variant, lambda place: card_html(place, request, link_target, slot)
        )
    if html is None:  # gone since the listing's ids were read
        return ""
    if distance_km is not None:
        # What ``{{ distance_km }}`` renders in the card.
        html = html.replace(DISTANCE_SLOT, render_value_in_context(distance_km, Context()), 1)
    return html


def build_card_cache() -> "CardCache | None":
    """The static build's card cache, inside ``using``."""
    return _build_cards.get()


def cards_kept() -> bool:
    """Whether listings join kept cards (``ListedPlace``) rather than render every card:
    inside a static build, or live with ``FRAGMENT_CACHE_SECONDS``."""
    return _build_cards.get() is not None or fragments_seconds() > 0


def listed_cards(queryset) -> list:
    """The places of ``queryset`` for ``{% place_card %}``: as ``ListedPlace`` objects where
    cards are kept (``cards_kept``), else loaded for their cards (in the active language)."""
    if cards_kept():
        return listed_places(queryset.model, card_rows(queryset))
    return in_active_language(for_cards(queryset))


@contextmanager
def using(cards: CardCache | None):
    """Inside the block, ``{% place_card %}`` takes listed cards from the build's ``cards``."""
    token = _build_cards.set(cards)
    try:
        yield
    finally:
        _build_cards.reset(token)
