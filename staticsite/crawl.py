"""Which URLs the static site holds, and rendering them until every internal link has its file.

The crawl starts at every visible page of the default site plus the fixed paths (listings,
feeds, sitemap, exports, search, form), each at its German address and its English one
(``/en`` + the path, ``core.languages``; not the single-address feed, sitemap, robots.txt
and data files), and follows every internal link found in the output: that finds the filter
combinations and page numbers the templates link to.
"""

from __future__ import annotations

import contextlib
import itertools
import sys
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from wagtail.models import Page

from core.languages import OTHERS, localize_path, split_path
from core.visibility import visible_q
from places.models import Category
from publishing.paths import has_twins
from regions.models import RegionPage
from website.cards import CardCache

from .output import BuildError, remove_output_file
from .processes import RenderProcesses, can_fork, init_worker, render_in_worker
from .render import EVENT_LISTING, Rendered, Renderer, default_site
from .urlmap import canonical_query, url_key

if TYPE_CHECKING:
    from .builder import BuildConfig, Summary

#: URLs that are always built, besides every visible page.
FIXED_URLS = (
    "/",
    "/orte/",
    "/suche/",
    "/mitmachen/",
    "/feeds/orte.atom",
    "/sitemap.xml",
    "/robots.txt",
    "/api/orte.geojson",
    "/api/orte.csv",
    "/veranstaltungen/",
    "/api/veranstaltungen.ics",
    "/api/veranstaltungen.geojson",
)


def default_root_page() -> Page | None:
    """The root page of the default site (the pages the static site holds)."""
    site = default_site()
    return site.root_page if site else None


def page_urls() -> list[str]:
    """Every visible page (``core.visibility``) with a URL on the default site."""
    root = default_root_page()
    if root is None:
        raise BuildError("Keine Standard-Site eingerichtet.")
    pages = Page.objects.descendant_of(root, inclusive=True).filter(visible_q())
    return [
        "/" + url_path[len(root.url_path) :]
        for url_path in pages.order_by("path").values_list("url_path", flat=True)
    ]


def event_filter_urls() -> list[str]:
    """/veranstaltungen/ for every visible region (or none) and every set of fields (three
    by the contract: eight sets), as the filter form can combine them: no page links them
    all, and a static host cannot filter."""
    visible = RegionPage.objects.filter(visible_q())
    regions = ["", *sorted(visible.values_list("slug", flat=True))]
    categories = sorted(Category.objects.values_list("slug", flat=True))
    fields = [
        chosen
        for size in range(len(categories) + 1)
        for chosen in itertools.combinations(categories, size)
    ]
    urls = []
    for region in regions:
        for chosen in fields:
            pairs = [("region", region)] if region else []
            pairs += [("category", slug) for slug in chosen]
            urls.append(url_key(EVENT_LISTING, urlencode(pairs)))
    return urls


def in_every_language(keys) -> list[str]:
    """``keys`` (German URL keys), then every other language's address of those that have
    one (``publishing.paths.has_twins``)."""
    keys = list(keys)
    twins = [localize_path(key, code) for code in OTHERS for key in keys if has_twins(key)]
    return list(dict.fromkeys([*keys, *twins]))


def root_urls() -> list[str]:
    return in_every_language([*FIXED_URLS, *event_filter_urls(), *page_urls()])


def listing_page(key: str) -> tuple[str, int | None]:
    """The listing a URL belongs to (its key without the page number) and the number."""
    path, _, query = key.partition("?")
    items = canonical_query(query)
    if items and items[-1][0] == "page":
        return url_key(path, urlencode(items[:-1])), int(items[-1][1])
    return key, None


class _Queue:
    """URLs to render: listings and other URLs with a query, and the short paths (regions,
    fixed URLs), before the plain pages; first in, first out within each group."""

    def __init__(self):
        self._first: deque[str] = deque()
        self._rest: deque[str] = deque()

    def push(self, key: str) -> None:
        path = split_path(key.partition("?")[0])[1]  # /en/orte/ is as short as /orte/
        early = "?" in key or path.count("/") <= 2 or not path.endswith("/")
        (self._first if early else self._rest).append(key)

    def pop(self) -> str:
        return self._first.popleft() if self._first else self._rest.popleft()

    def __len__(self) -> int:
        return len(self._first) + len(self._rest)


@dataclass
class Crawl:
    """Render URLs into ``root`` until every internal link found in the output has its
    file, recording each in ``manifest`` and ``summary``. ``cards``: the build's card cache."""

    config: BuildConfig
    root: Path
    manifest: dict
    summary: Summary
    cards: CardCache
    linked: set[str] = field(default_factory=set, init=False)
    _pages_seen: dict[str, int] = field(default_factory=dict, init=False)

    def run(
        self,
        keys: list[str],
        *,
        on_change: dict[str, list[str]] | None = None,
        side_tasks: tuple = (),
    ) -> list:
        """Render ``keys``, then every URL they link to that has no file yet.
        ``on_change``: further keys to render as soon as the given key came out changed (a
        listing's later pages). ``side_tasks``: calls (without arguments) that need no
        rendered page (the search index), run by a render process beside the pages;
        returns their results.

        URLs are handed to the render processes one at a time as soon as they are known (no
        waves): listings, filter variants and their page numbers first, because they lead to
        more URLs, the many plain pages fill the gaps. A linked page number ``n`` of a listing
        also queues the numbers below it (the listing links each page from its neighbours, so
        they are part of the site anyway): a listing of 200 pages does not need 100 rounds of
        "render, find the next two numbers"."""
        queue = _Queue()
        seen: set[str] = set()

        def add(key: str) -> None:
            if key not in seen:
                seen.add(key)
                queue.push(key)

        for key in keys:
            add(key)
        on_change = dict(on_change or {})
        done = 0
        expected = len(queue) + sum(len(more) for more in on_change.values())
        workers = self.config.workers if (can_fork() and expected > 50) else 1
        processes = local = None
        if workers > 1:
            processes = RenderProcesses(workers, init_worker, (self.config, self.root, self.cards))
        else:
            local = Renderer(self.config, self.root, self.cards)
        # A few URLs per process in flight keeps both busy without giving away the order.
        limit = workers * 3 + len(side_tasks)
        with processes or contextlib.nullcontext():  # stops the processes on an error
            if processes is not None:
                side_results = []
                for task in side_tasks:
                    processes.submit(task)
            else:
                side_results = [task() for task in side_tasks]
            while queue or (processes is not None and processes.pending):
                if processes is not None:
                    while queue and processes.pending < limit:
                        processes.submit(render_in_worker, queue.pop())
                    result = next(processes.results())
                    if not isinstance(result, Rendered):
                        side_results.append(result)
                        continue
                else:
                    result = local.render(queue.pop())
                done += 1
                if self._record(result):
                    for key in on_change.pop(result.key, ()):
                        add(key)
                self.linked.update(result.links)
                for link in result.links:
                    if link in seen or link in self.manifest:
                        continue
                    add(link)
                    for lower in self._lower_pages(link):
                        if lower not in self.manifest:
                            add(lower)
                if self.config.progress:
                    _progress(done, len(seen))
        if self.config.progress:
            sys.stderr.write("\n")
        return side_results

    def _lower_pages(self, key: str) -> list[str]:
        """``/orte/?tag=x&page=7`` → the keys of pages 2…6 of the same listing (not yet
        queued by this rule)."""
        group, number = listing_page(key)
        if number is None:
            return []
        known = self._pages_seen.get(group, 1)
        if number <= known:
            return []
        self._pages_seen[group] = number
        path, _, query = group.partition("?")
        return [
            url_key(path, urlencode([*canonical_query(query), ("page", str(n))]))
            for n in range(known + 1, number)
        ]

    def _record(self, result: Rendered) -> bool:
        """Note ``result`` in the manifest and the summary; whether its file is new, different
        or gone."""
        summary = self.summary
        summary.rendered.append(result.key)
        for url in result.refused:
            summary.warn(f"{url}: nicht übernommen (Datei, die nicht veröffentlicht wird)")
        if result.file is None:
            old = self.manifest.pop(result.key, None)
            if result.problem:
                summary.warn(f"{result.key}: {result.problem}, ausgelassen")
            elif old is None and result.key in self.linked:
                summary.not_found.append(result.key)
            if old and remove_output_file(self.root, old["file"]):
                summary.removed_files.append(old["file"])
            return True
        summary.pages += 1
        summary.unchanged += not result.changed
        summary.bytes += result.size
        self.manifest[result.key] = {
            "file": result.file,
            "links": result.links,
            "static": result.static,
            "media": result.media,
        }
        return result.changed


def _progress(done: int, total: int) -> None:
    width = 30
    filled = int(width * done / max(total, 1))
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} Seiten")
    sys.stderr.flush()
