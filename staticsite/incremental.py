"""Rebuilding the paths a change touched (``staticsite.changes``, ``build_frontend --path``).

The URLs of the changed paths are rendered again (every query variant the manifest holds,
less those a change cannot reach), what they newly link to is rendered, and what is no
longer reachable from the site's pages is removed. A path counts in every language: a German
path's English twin (``/en`` + it) is rendered with it (``publishing.paths.every_language``;
the changes' paths hold both already, a ``--path`` or the nightly dates may not).
"""

from __future__ import annotations

import time

from django.http import QueryDict

from api.exports import exported_places
from core.languages import split_path
from places.models import PlacePage
from places.queries import FilterError, parse_place_filters
from publishing.paths import every_language

from .assets import copy_assets
from .builder import BuildConfig, Summary, full_build
from .crawl import Crawl, default_root_page, listing_page, root_urls
from .output import (
    build_lock,
    load_manifest,
    remove_empty_dirs,
    remove_output_file,
    save_manifest,
)
from .render import NOT_FOUND_PROBES, build_card_cache, render_host
from .urlmap import canonical_query

#: Data files whose variants may filter by region (``?region=…``) and show nothing else: a
#: variant only for other regions than the changed pages' cannot change.
REGION_FILTERED_FILES = ("/api/orte.geojson", "/api/orte.csv")
#: The event feeds: their variants filter by region or by place (``?place=<id or slug>``, the
#: place pages' „Termine als Kalender abonnieren“) and show nothing but those events.
EVENT_FILES = ("/api/veranstaltungen.ics", "/api/veranstaltungen.geojson")


def incremental_build(
    config: BuildConfig, paths: set[str], pages: set[str] | None = None
) -> Summary:
    """The build of ``paths`` (above); a full build when there is no manifest for the same
    base and application URL.

    ``pages``: the paths among ``paths`` whose page changed itself (published, unpublished,
    moved, deleted), as opposed to pages that only show it (a neighbour's „Orte in der Nähe“,
    a region's breadcrumb); only those can change a card on a listing. ``None``: all.
    Both count in every language (``publishing.paths.every_language``)."""
    started = time.monotonic()
    paths = every_language(paths)
    pages = None if pages is None else every_language(pages)
    with build_lock(config.output):
        data = load_manifest(config.output)
        fallback = (
            data is None
            or data.get("base_url") != config.base_url
            or data.get("app_url") != config.app_url
        )
        if not fallback:
            summary = _rebuild(config, data["pages"], paths, pages)
    if fallback:  # outside the lock, which the full build takes itself
        return full_build(config)
    summary.seconds = time.monotonic() - started
    return summary


def _rebuild(config: BuildConfig, manifest: dict, paths: set[str], pages) -> Summary:
    summary = Summary()
    cards = build_card_cache(render_host())
    try:
        roots = root_urls()  # refuses a build without a default site before anything else
        first, rest = _split_listings(manifest, paths)
        new = [path for path in sorted(paths) if path not in manifest]
        other_regions = _other_regions_data(first, pages)
        first = [key for key in first if key not in other_regions]
        unchanged_data = _data_without_changed_places(first, pages, manifest)
        first = [key for key in first if key not in unchanged_data]
        # From the links the pages had before they are rendered again.
        again, if_changed = _listings_to_render(rest, manifest, paths if pages is None else pages)
        # New pages in the database that nothing rendered yet (e.g. a new region).
        missing = [r for r in roots if r not in manifest]
        # The search index lists every place: rewritten (in every language) beside the pages
        # when one of them changed (or a page is removed, below).
        index = [config.search_index_task(config.output)] if paths & {"/suche/", "/orte/"} else []
        # One run, so that the render processes start once and never wait for each other:
        # a listing's later pages follow as soon as its first page came out changed.
        index_bytes = Crawl(config, config.output, manifest, summary, cards).run(
            [*first, *new, *again, *missing], on_change=if_changed, side_tasks=index
        )
        keep = reachable(manifest, [*roots, *NOT_FOUND_PROBES])
        for key in [k for k in manifest if k not in keep]:
            entry = manifest.pop(key)
            if remove_output_file(config.output, entry["file"]):
                summary.removed_files.append(entry["file"])
        rendered = [manifest[k] for k in dict.fromkeys(summary.rendered) if k in manifest]
        copy_assets(config.output, rendered, summary)
        if not index_bytes and summary.removed:
            index_bytes = [config.search_index_task(config.output)()]
        summary.bytes += sum(index_bytes)
        save_manifest(config.output, config.base_url, config.app_url, manifest)
        remove_empty_dirs(config.output, summary.removed_files)
    finally:
        cards.backend.clear()
    return summary


def reachable(manifest: dict, roots: list[str]) -> set[str]:
    """The keys of ``manifest`` that ``roots`` (URL keys) lead to by their links."""
    seen = set()
    stack = list(roots)
    while stack:
        key = stack.pop()
        if key in seen or key not in manifest:
            continue
        seen.add(key)
        stack.extend(manifest[key].get("links", []))
    return seen


def _split_listings(manifest: dict, paths: set[str]) -> tuple[list[str], dict[str, list[str]]]:
    """The built URLs below ``paths``: those to render in any case (the first page of each
    listing and every URL that is not part of one), and per listing its further pages."""
    groups: dict[str, list[str]] = {}
    for key in manifest:
        if key.partition("?")[0] in paths:
            groups.setdefault(listing_page(key)[0], []).append(key)
    first: list[str] = []
    rest: dict[str, list[str]] = {}
    for group, keys in groups.items():
        if group in manifest and len(keys) > 1:
            first.append(group)
            rest[group] = [key for key in keys if key != group]
        else:
            first.extend(keys)
    return first, rest


def _other_regions_data(keys, pages: set[str] | None) -> set[str]:
    """The keys among ``keys`` of data files (``REGION_FILTERED_FILES``, ``EVENT_FILES``)
    filtered to regions none of the changed ``pages`` belongs to (a region's slug is its
    path's first part), and of event feeds filtered to places none of them is or lies below.
    ``None``: every page counts as changed."""
    if pages is None:
        return set()
    pages = {split_path(page)[1] for page in pages}  # German: /en/altmark/ → /altmark/
    regions = {page.strip("/").split("/", 1)[0] for page in pages}
    places = None
    unaffected = set()
    for key in keys:
        path, _, query = key.partition("?")
        if path not in REGION_FILTERED_FILES and path not in EVENT_FILES:
            continue
        wanted: dict[str, set[str]] = {"region": set(), "place": set()}
        for name, value in canonical_query(query):
            if name in wanted:
                wanted[name].update(value.split(","))
        if wanted["region"] and not wanted["region"] & regions:
            unaffected.add(key)
        elif path in EVENT_FILES and wanted["place"]:
            places = _changed_places(pages) if places is None else places
            if places is not False and not wanted["place"] & places:
                unaffected.add(key)
    return unaffected


def _changed_places(pages: set[str]) -> set[str] | bool:
    """The ids and slugs of the places that the changed ``pages`` are or lie below (one
    query); ``False`` when one of them is no place or event (a region: its places' events
    carry its slug)."""
    if any(page.strip("/").count("/") not in (1, 2) for page in pages):
        return False
    rows = PlacePage.objects.filter(url_path__in=_place_url_paths(pages)).values_list("pk", "slug")
    return {value for pk, slug in rows for value in (str(pk), slug)}


def _place_url_paths(pages: set[str]) -> set[str]:
    """The Wagtail ``url_path``s of the places that ``pages`` (``/<region>/<place>/…``) are
    or lie below."""
    prefix = default_root_page().url_path.rstrip("/")
    return {prefix + "/" + "/".join(page.strip("/").split("/")[:2]) + "/" for page in pages}


def _data_without_changed_places(keys, pages: set[str] | None, manifest: dict) -> set[str]:
    """The keys among ``keys`` of filtered data files (``REGION_FILTERED_FILES`` with
    parameters) that none of the changed ``pages`` was in (the built file links it) or is in
    now (a visible place matching the file's filters; one query per file): they would come
    out as before, since a file lists only the places that match it, ordered by their own
    titles. Only when every changed page is a place (``/<region>/<place>/``): a region's
    title, for one, is part of each of its places' entries. ``None``: every page counts as
    changed."""
    if not pages:
        return set()
    links = set(pages)  # the built files link the addresses of their own language
    pages = {split_path(page)[1] for page in pages}  # German: /en/altmark/ → /altmark/
    if any(page.strip("/").count("/") != 1 for page in pages):
        return set()
    url_paths = _place_url_paths(pages)
    unaffected = set()
    for key in keys:
        path, _, query = key.partition("?")
        if path not in REGION_FILTERED_FILES or not query or key not in manifest:
            continue
        if set(manifest[key].get("links", ())) & links:
            continue
        try:
            filters = parse_place_filters(QueryDict(query), allow_bbox=True)
        except FilterError:
            continue
        if not exported_places(filters).filter(url_path__in=url_paths).exists():
            unaffected.add(key)
    return unaffected


def _listings_to_render(rest, manifest, cards) -> tuple[list[str], dict[str, list]]:
    """The further pages of the listings that a change reaches: those to render in any case,
    and per listing those to render if its first page comes out changed.

    A listing's first page shows what all its pages share (the total, the number of pages,
    the filter form with its choices) and the first cards. If it came out byte for byte as
    before, the listing still holds the same number of places, and its later pages change
    only if a changed page was one of their cards: a place that left the listing (then
    another one entered it, or the total would differ), or that changed or moved within it.
    A card links its page, which is in ``cards`` (the pages that changed themselves); links
    every page has (navigation) are on the first page as well. Otherwise the later pages are
    exactly as before."""
    again: list[str] = []
    if_changed: dict[str, list[str]] = {}
    for group, keys in rest.items():  # every group and key is in the manifest
        on_first = set(manifest[group].get("links", ()))
        if any(
            "?" not in link and link in cards and link not in on_first
            for key in keys
            for link in manifest[key].get("links", ())
        ):
            again.extend(keys)
        else:
            if_changed[group] = keys
    return again, if_changed
