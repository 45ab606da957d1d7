"""Which public paths show a page or a place: what to re-render, invalidate or purge.

``paths_showing(page, previous=page_state(page))`` answers, for a ``PlacePage``,
``EventPage``, ``RegionPage``, ``HomePage`` or ``ContentPage``, the set of site paths whose
content a publish, unpublish, move or delete of that page changes. It works in every state
of the page (before or after the change, live or not, even in ``pre_delete``), so the
receivers can call it at any point. ``paths_showing_places(places)`` answers the same for
data that many places show (a field, an offer, a tag, an image).

The receivers (``publishing.receivers``) put the result into the ``Change``
(``publishing.changes``) that the page cache, the static site and the CDN purge get.
Conventions of the result:

* Paths are site-relative, start and (for pages) end with ``/``: ``"/altmark/gutshof/"``.
* A path stands for **every query-string variant** of it: ``"/orte/"`` means the list of all
  places with all its filter combinations and page numbers, ``"/feeds/orte.atom"`` the feed with
  all its ``?region=``/``?category=`` variants, ``"/api/orte.geojson"`` every filtered GeoJSON.
* What the templates really show decides: place cards (title, teaser, hero image, municipality,
  fields, status) appear on the region page, ``/orte/``, the embeddable map, the home page (new
  places, counts per region) and on the place pages whose „Orte in der Nähe“ list (the three
  nearest places in any region) contains the place; place pages show their region's title and
  contact; search results show titles and teasers; pages whose rich text links to a page change
  when it moves or goes offline (Wagtail's reference index knows them).
* Events (``EventPage``, below a place) show on their own page, their place's page („Nächste
  Termine“), their region's page, ``/veranstaltungen/`` and the event feeds
  (``EVENT_LISTING_PATHS``). An event page shows its place (title, address) and region
  (breadcrumb), and the event listings and feeds show the place's title, municipality and
  fields: a place's or region's change reaches the events below it and those listings.
* Dates change without any change of the data: an occurrence that is over drops out at the
  next local midnight. ``paths_showing_dates()`` names the paths a nightly rebuild of the
  static site re-renders for that (the page cache lives ``PAGE_CACHE_SECONDS`` at most, and
  what the live site keeps by data version is keyed by the local date as well).
* The JSON API (``/api/v2/``, ``/api/v3/``) is not listed: it keys on the data version
  (``core.data_version``) that every change bumps.
* Languages (``core.languages``): the German tree is the site, every German path also has an
  English address (``/en`` + the path). These functions answer German paths of German
  pages; ``every_language()`` adds the other addresses (``publishing.changes.note`` does,
  for every change). A translation (a page in another locale) shows only in its German
  page's place: its change is one of its German page (``german_page()``), and
  ``paths_showing`` of a translation answers its German page's paths.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation

from wagtail.models import Page, ReferenceIndex, Site

from core.languages import DEFAULT, OTHERS, all_addresses, in_language_q, localize_path, split_path
from events.models import EventPage
from events.occurrences import local_today
from home.models import ContentPage, HomePage
from places import nearby
from places.models import PlacePage
from places.regions import visible_regions
from regions.models import RegionPage

#: Paths that list, count, search or export places: each covers all its query variants.
PLACE_LISTING_PATHS = frozenset(
    {
        "/",
        "/orte/",
        "/einbetten/karte/",
        "/suche/",
        "/feeds/orte.atom",
        "/sitemap.xml",
        "/api/orte.geojson",
        "/api/orte.csv",
    }
)
#: What any page (also a content page) changes besides itself: the sitemap and search.
SITE_INDEX_PATHS = frozenset({"/sitemap.xml", "/suche/"})
#: Paths that list or export upcoming events: each covers all its query variants.
EVENT_LISTING_PATHS = frozenset(
    {"/veranstaltungen/", "/api/veranstaltungen.ics", "/api/veranstaltungen.geojson"}
)
#: Paths with one address only, in no language's prefix: the data, the feed, the sitemap
#: (``cms/urls.py``, ``website.urls.single_address_urlpatterns``).
SINGLE_ADDRESS_PREFIXES = ("/api/", "/feeds/", "/sitemap.xml", "/robots.txt", "/dokumente/")
#: ``paths_showing_dates``: events whose last date lies this many days back still count.
DATES_CATCH_UP_DAYS = 7


def has_twins(path: str) -> bool:
    """Whether ``path`` (or a URL key with its query) is a German address that every other
    language has too (``/en`` + it): not a single-address path, not one with a prefix."""
    return split_path(path)[0] == DEFAULT and not path.startswith(SINGLE_ADDRESS_PREFIXES)


def every_language(paths) -> set[str]:
    """``paths`` and every other language's address of those that have one (``has_twins``):
    the German paths' ``/en`` twins (``core.languages.all_addresses``)."""
    paths = {path for path in paths if path}
    return paths | all_addresses({path for path in paths if has_twins(path)})


def is_translation(page: Page) -> bool:
    """Whether ``page`` is in another locale than German (a translation; at most one query,
    for the page's locale, which Wagtail keeps on the instance)."""
    return page.locale_id is not None and page.locale.language_code != DEFAULT


def german_page(page: Page) -> Page | None:
    """The German page that ``page`` is or translates (same ``translation_key``): ``page``
    itself for a German page, ``None`` for a translation whose German page is gone."""
    if not is_translation(page):
        return page
    return Page.objects.filter(in_language_q(), translation_key=page.translation_key).first()


@dataclass(frozen=True)
class PageState:
    """What other pages may show of a page at one moment: its path and its map position."""

    path: str | None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    live: bool | None = None


def site_path(page: Page) -> str | None:
    """The page's German path on its site (``/altmark/gutshof/``), whatever language is
    active (a page's address follows it: ``/en/…`` would leave the German path stale);
    ``None`` if it has no URL."""
    cached = "_wagtail_cached_site_root_paths" in page.__dict__
    with translation.override(DEFAULT):
        parts = page.get_url_parts()
    if not cached:
        # Wagtail keeps the site root paths on the page: a signal handler asking for the
        # path must not leave them there (the instance's URLs would not see a site change).
        page.__dict__.pop("_wagtail_cached_site_root_paths", None)
    return None if parts is None else parts[2]


def _path_from_url_path(url_path: str) -> str | None:
    """Site path for a Wagtail ``url_path`` (``/home/altmark/x/`` → ``/altmark/x/``; a
    translation's at its language's address: ``/home-en/altmark/x/`` → ``/en/altmark/x/``)."""
    for root_path in Site.get_site_root_paths():
        if url_path.startswith(root_path.root_path):
            path = "/" + url_path[len(root_path.root_path) :]
            language = root_path.language_code
            return localize_path(path, language) if language in OTHERS else path
    return None


def _site_paths(url_paths: Iterable[str]) -> set[str]:
    """Site paths of Wagtail ``url_path``s (those outside every site left out)."""
    return {path for path in map(_path_from_url_path, url_paths) if path}


def page_state(page: Page, *, url_path: str | None = None) -> PageState:
    """The page's state as stored in the database now (call it before a change).

    ``url_path``: the Wagtail ``url_path`` to use instead of the stored one (for
    ``pre_page_move``, whose ``url_path_before`` is the old one)."""
    stored = Page.objects.filter(pk=page.pk).values_list("url_path", "live").first()
    stored_url_path, live = stored or (None, None)
    url_path = url_path or stored_url_path
    path = _path_from_url_path(url_path) if url_path else None
    latitude = longitude = None
    if isinstance(page.specific_deferred, PlacePage) and page.pk:
        row = PlacePage.objects.filter(pk=page.pk).values_list("latitude", "longitude").first()
        latitude, longitude = row or (None, None)
    return PageState(path=path, latitude=latitude, longitude=longitude, live=live)


def _parent_path(path: str) -> str:
    """``/altmark/gutshof/`` → ``/altmark/``."""
    stripped = path.rstrip("/")
    return stripped[: stripped.rfind("/") + 1] or "/"


def _paths_of(pages: Iterable[Page]) -> set[str]:
    return {path for path in (site_path(page) for page in pages) if path}


def _referencing_paths(page: Page) -> set[str]:
    """Pages whose content (rich text, page choosers) links to ``page``."""
    references = ReferenceIndex.get_references_to(page).group_by_source_object()
    return _paths_of(
        source for source, _refs in references if isinstance(source, Page) and source.live
    )


def own_paths(page: Page, previous: PageState | None = None) -> set[str]:
    """The page's own path, and its old one (``previous``, a move)."""
    paths = {site_path(page) if page.pk else None, previous.path if previous else None}
    return {path for path in paths if path}


def nearby_showing(places) -> set[str]:
    """Site paths of the visible places whose „Orte in der Nähe“ list holds one of ``places``
    (``(pk, latitude, longitude)`` each; one without a point is left out) at that point,
    whether it is visible now or not (``places.nearby.showing``, the points read once)."""
    paths, points = set(), None
    for pk, latitude, longitude in places:
        if latitude is not None and longitude is not None:
            if points is None:
                points = nearby.visible_points()
            paths |= _site_paths(nearby.showing(pk, float(latitude), float(longitude), points))
    return paths


def _moved(paths: set[str], current: str | None, previous: PageState | None) -> set[str]:
    """``paths`` below a page that moved from ``previous.path`` to ``current``, at their old
    addresses (gone now); nothing if it did not move."""
    if not (previous and previous.path and current and previous.path != current):
        return set()
    return {previous.path + path[len(current) :] for path in paths if path.startswith(current)}


def _events_below(page: Page, current: str | None, previous: PageState | None) -> set[str]:
    """What a place or region shows on, or shows and hides, through the live events below it:
    their pages (and old pages, on a move) and the event listings; nothing without events."""
    if not page.pk:
        return set()
    events = _site_paths(
        EventPage.objects.descendant_of(page).live().values_list("url_path", flat=True)
    )
    if not events:
        return set()
    return events | _moved(events, current, previous) | EVENT_LISTING_PATHS


def paths_showing(page: Page, *, previous: PageState | None = None) -> set[str]:
    """Site paths whose content changes when ``page`` is published, unpublished, moved or
    deleted (see the module docstring for the conventions).

    ``previous``: ``page_state(page)`` taken before the change; adds the old path (move) and
    the places near the old position (a re-published place's "nearby" lists change on both
    spots). Without it only the current state is used.

    A translation answers its German page's paths (nothing if that is gone): it is shown
    only at the German page's English address, whatever it is itself.
    """
    if page.pk and is_translation(page):
        source = german_page(page)
        return set() if source is None else paths_showing(source)
    specific = page.specific_deferred
    current = site_path(page) if page.pk else None
    own = own_paths(page, previous)
    paths = set(own)
    if page.pk:
        paths |= _referencing_paths(page)

    if isinstance(specific, PlacePage):
        paths |= PLACE_LISTING_PATHS
        paths |= {_parent_path(path) for path in own}  # the region(s)
        points = {(page.pk, specific.latitude, specific.longitude)}
        if previous:
            points.add((page.pk, previous.latitude, previous.longitude))
        paths |= nearby_showing(points)
        paths |= _events_below(page, current, previous)
    elif isinstance(specific, EventPage):
        # Its place („Nächste Termine“) and region, before and after a move.
        paths |= EVENT_LISTING_PATHS | SITE_INDEX_PATHS
        for path in own:
            place_path = _parent_path(path)
            paths |= {place_path, _parent_path(place_path)}
    elif isinstance(specific, RegionPage):
        # Region title and contact appear on each of its place pages (breadcrumb, facts box),
        # in the region filter of /orte/, the feed titles and the exports.
        paths |= PLACE_LISTING_PATHS
        places = PlacePage.objects.child_of(page).live().public()
        paths |= _paths_of(places.only("url_path"))
        # Publishing or unpublishing a region shows or hides its places (core.visibility),
        # also in the nearby lists of places in other regions.
        paths |= nearby_showing(places.values_list("pk", "latitude", "longitude"))
        paths |= _events_below(page, current, previous)
        # Moved: its places moved with it; their old paths are gone.
        paths |= _moved(paths, current, previous)
    elif isinstance(specific, HomePage):
        # The home page's own fields are shown only there.
        paths |= SITE_INDEX_PATHS
        if previous is not None and previous.live is not None and previous.live != page.live:
            # Unpublished or published again: every page below is hidden or shown with it
            # (core.visibility), the lists and exports with them.
            paths |= PLACE_LISTING_PATHS | EVENT_LISTING_PATHS
            paths |= _paths_of(page.get_descendants().live().only("url_path"))
    elif isinstance(specific, ContentPage):
        paths |= SITE_INDEX_PATHS
        # Pages below it are shown or hidden with it (core.visibility).
        paths |= _paths_of(page.get_descendants().live().only("url_path"))
        # Content pages below it move along with it.
        if previous and previous.path and current and previous.path != current:
            public = _paths_of(page.get_descendants().live().public().only("url_path"))
            paths |= _moved(public, current, previous)
    else:
        paths |= SITE_INDEX_PATHS
    return paths


def paths_showing_places(places, *, every_region: bool = False) -> tuple[set[str], set[str]]:
    """``(paths, own)``: the paths that show any of the visible places among ``places`` (a
    ``PlacePage`` queryset) as they are now, for data that many places show (a field, an
    offer, a tag, an image): the lists, the places' own pages (``own``: their cards change
    too), their regions and the place pages whose „Orte in der Nähe“ list shows one.
    ``every_region``: every visible region's page as well (the fields are in the filter form
    of every listing, with places or without)."""
    paths = set(PLACE_LISTING_PATHS)
    if every_region:
        paths |= _paths_of(visible_regions().only("url_path"))
        # The fields are also /veranstaltungen/'s filter and in the event feeds.
        paths |= EVENT_LISTING_PATHS
    # A translation among ``places`` counts as its German place (same translation key).
    rows = list(
        PlacePage.objects.visible()
        .filter(translation_key__in=places.values("translation_key"))
        .values_list("pk", "latitude", "longitude", "url_path")
    )
    own = _site_paths(url_path for *_point, url_path in rows)
    paths |= {_parent_path(path) for path in own}
    paths |= nearby_showing(row[:3] for row in rows)
    return paths | own, own


def paths_showing_event_images(image_ids) -> set[str]:
    """Site paths of the visible events whose own image is one of ``image_ids`` (``None``:
    any image)."""
    showing = EventPage.objects.filter(image__isnull=False)
    if image_ids is not None:
        showing = showing.filter(image_id__in=list(image_ids))
    # A translation with the image counts as its German event.
    events = EventPage.objects.visible().filter(
        translation_key__in=showing.values("translation_key")
    )
    return _site_paths(events.values_list("url_path", flat=True))


def paths_showing_dates(today=None) -> tuple[set[str], set[str]]:
    """``(paths, events)``: the paths whose content changes as days pass, without any change
    of the data: the event listings and feeds, and for every visible event that had a date
    in the last ``DATES_CATCH_UP_DAYS`` (Europe/Berlin) or has one later, its own page
    (``events``: a series shows its next dates), its place's and its region's. What the
    nightly ``build_frontend --dates`` re-renders (a missed night is caught up)."""
    today = today or local_today()
    events = _site_paths(
        EventPage.objects.visible()
        .not_over(today - datetime.timedelta(days=DATES_CATCH_UP_DAYS))
        .values_list("url_path", flat=True)
    )
    paths = set(EVENT_LISTING_PATHS)
    for path in events:
        place_path = _parent_path(path)
        paths |= {path, place_path, _parent_path(place_path)}
    return paths, events
