"""Full and incremental builds of the static site.

Every page is rendered by Django's own request handling (``django.test.Client`` through the
whole middleware stack and the real views), so the static twin has the same templates and
the same content as the live site. The crawl starts at every live, public page in the
database plus the fixed paths (listings, feeds, sitemap, exports, search, form) and follows
every internal link found in the output — that finds the filter combinations and page
numbers the templates link to. A manifest (``.staticsite/manifest.json`` in the output) keeps,
for each URL, its file and its links, so an incremental build re-renders only the URLs a change
touches (``core.affected``), renders newly linked ones and removes what is no longer reachable.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import shutil
import stat
import sys
import tempfile
import time
from collections import defaultdict, deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db import connection, connections
from django.http.request import validate_host

from wagtail.models import Page, Site

import orjson

from core.visibility import visible_q
from places.cards import (
    CARD_VARIANTS,
    CardStore,
    card_data_fingerprint,
    card_key,
    card_rows,
    render_cards,
)
from places.listing import shared_listing_data

from .output import (
    MANIFEST_DIR,
    MANIFEST_NAME,
    BuildError,
    build_lock,
    is_build_output,
    output_path,
    previous_output,
    remove_output_file,
    safe_relative,
    swap_in,
)
from .rewrite import (
    RENDITIONS_FOLDER,
    Refs,
    Rewriter,
    StaticNames,
    css_dependencies,
    find_static,
    rendition_name,
)
from .urlmap import canonical_query, output_file, url_key

logger = logging.getLogger(__name__)

CARDS_NAME = "cards.json"
MANIFEST_VERSION = 1
NOT_FOUND_FILE = "404.html"
SEARCH_INDEX_FILE = "suche/index.json"
NOT_FOUND_PROBE = "/__staticsite-404__/"
#: URLs that are always built, besides every live public page.
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
)
#: Data files whose variants may filter by region (``?region=…``) and show nothing else: a
#: variant only for other regions than the changed pages' cannot change.
REGION_FILTERED_FILES = ("/api/orte.geojson", "/api/orte.csv")
#: Places per task when the cards are rendered ahead (``Crawl.prerender_cards``).
CARD_CHUNK = 250
TEXT_TYPES = (
    "text/",
    "application/json",
    "application/geo+json",
    "application/xml",
    "application/atom+xml",
    "application/rss+xml",
    "application/javascript",
)


@dataclass
class BuildConfig:
    output: Path
    base_url: str
    app_url: str
    workers: int = 1
    progress: bool = False
    # Replace an output folder that no build made (its content is kept beside it).
    force: bool = False

    @classmethod
    def from_settings(
        cls, output=None, base_url=None, app_url=None, workers=None, progress=False, force=False
    ):
        output = output or getattr(settings, "STATICSITE_OUTPUT", "")
        if not output:
            raise BuildError("Kein Ausgabeordner: --output DIR oder STATICSITE_OUTPUT setzen.")
        base_url = base_url or getattr(settings, "STATICSITE_BASE_URL", "") or _site_root()
        if not base_url.endswith("/"):
            base_url += "/"
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise BuildError(f"Die Basis-URL muss absolut sein (https://…/): {base_url!r}")
        app_url = (app_url or getattr(settings, "STATICSITE_APP_URL", "") or "").rstrip("/")
        if not app_url:
            app_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        if workers is None:
            workers = getattr(settings, "STATICSITE_WORKERS", 0) or min(2, os.cpu_count() or 1)
        return cls(Path(output).resolve(), base_url, app_url, max(1, workers), progress, force)


def _site_root() -> str:
    site = Site.objects.filter(is_default_site=True).first()
    return (site.root_url if site else "http://localhost") + "/"


@dataclass
class Rendered:
    key: str
    file: str | None = None  # relative output path; None: gone (404)
    links: list[str] = field(default_factory=list)
    static: dict[str, str] = field(default_factory=dict)
    media: list[str] = field(default_factory=list)
    size: int = 0
    problem: str = ""  # why it is left out (a redirect, a client error)
    refused: list[str] = field(default_factory=list)  # URLs in it that were left out
    changed: bool = True
    cards: dict[str, str] = field(default_factory=dict)  # card HTML rendered for this URL


@dataclass
class Summary:
    pages: int = 0
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    removed: int = 0
    unchanged: int = 0  # rendered, but the file already had this content
    rendered: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)  # linked, but 404 on the live site
    # Left out with a warning: linked URLs that redirect or answer a client error, URLs of
    # files the static site must not hold (media beyond the renditions, paths with ``..``).
    skipped: list[str] = field(default_factory=list)
    removed_files: list[str] = field(default_factory=list)
    kept: str = ""  # where a replaced folder's other content was moved (``--force``)

    def line(self) -> str:
        return (
            f"{self.pages} Seiten, {self.files} Dateien, {self.bytes / 1e6:.1f} MB, "
            f"{self.seconds:.1f} s ({self.pages / max(self.seconds, 1e-6):.0f} Seiten/s)"
            + (f", {self.unchanged} davon unverändert" if self.unchanged else "")
            + (f", {self.removed} entfernt" if self.removed else "")
        )


# --- rendering (runs in the main process or in a forked worker) ------------------------------


def _site_once_handler():
    """Django's test client handler, but Wagtail's site lookup (one query per request) runs
    only for the first request: a build renders every URL for the same host."""
    from django.test.client import ClientHandler

    class SiteOnceHandler(ClientHandler):
        site = None

        def get_response(self, request):
            if self.site is not None:
                request._wagtail_site = self.site
            response = super().get_response(request)
            if self.site is None:
                self.site = getattr(request, "_wagtail_site", None)
            return response

    return SiteOnceHandler(enforce_csrf_checks=False)


class Renderer:
    def __init__(self, config: BuildConfig, root: Path, cards: dict[str, str] | None = None):
        from django.test import Client

        self.config = config
        self.root = root
        self.host = _render_host()
        # An Authorization header keeps core.page_cache out of the way: the build must see
        # the database's current state, never a cached response (whose invalidation may not
        # have run yet when the build task starts).
        self.client = Client(
            HTTP_HOST=self.host, HTTP_AUTHORIZATION="static-build", raise_request_exception=True
        )
        self.client.handler = _site_once_handler()
        origins = {f"https://{self.host}", f"http://{self.host}"}
        origins.update(site.root_url for site in Site.objects.all())
        self.origins = sorted(origins)
        self.rewriter = Rewriter(
            base_url=config.base_url, origins=self.origins, static_names=StaticNames()
        )
        self.scripts = ""
        # Every page of a listing shares its filter choices and ordered ids within a build.
        self.listing_store = {}
        # Place cards by version: from earlier builds (``load_cards``) and this one.
        self.card_store = CardStore(cards)

    def render_cards(self, rows) -> dict[str, str]:
        """Place cards for the store (``places.cards.render_cards``), for this host."""
        from django.test import RequestFactory

        request = RequestFactory().get("/orte/", secure=True, HTTP_HOST=self.host)
        return render_cards(rows, request)

    def _script_tags(self, refs: Refs, path: str) -> str:
        base = self.rewriter.base_path
        names = ["js/staticsite.js"] + (["js/search.js"] if path == "/suche/" else [])
        tags = []
        for name in names:
            hashed = self.rewriter.static_names.hashed(name)
            if hashed is None:
                raise BuildError(f"Statische Datei fehlt: {name}")
            refs.static[name] = hashed
            tags.append(f'<script src="{base}static/{hashed}" data-base="{base}" defer></script>')
        return "".join(tags)

    def render(self, key: str) -> Rendered:
        path, _, query = key.partition("?")
        if key == NOT_FOUND_PROBE:
            response = self._not_found_page()
        else:
            with shared_listing_data(self.listing_store, self.card_store):
                response = self.client.get(path, query_params=dict(_pairs(query)), secure=True)
        result = Rendered(key=key, cards=self.card_store.take_new())
        status = response.status_code
        if key != NOT_FOUND_PROBE and status != 200:
            # 404/410: gone (linked ones are reported). A redirect or another client error
            # comes from a link an editor wrote (``/altmark`` without its slash, a filter
            # that does not exist): left out with a warning, the build goes on. 5xx is a
            # fault of the site itself: the build fails, the previous output stays.
            if status >= 500:
                raise BuildError(f"{key} antwortet mit {status}")
            if status in (404, 410):
                return result
            if 300 <= status < 400:
                result.problem = f"Weiterleitung ({status}) → {response.get('Location', '')}"
            else:
                result.problem = f"antwortet mit {status}"
            return result
        relative = NOT_FOUND_FILE if key == NOT_FOUND_PROBE else output_file(path, query)
        target = output_path(self.root, relative)
        if target is None:
            result.problem = "Pfad außerhalb des Ausgabeordners"
            return result
        body = b"".join(response.streaming_content) if response.streaming else response.content
        # No response.close(): it would send request_finished outside the test client's
        # guard, and close_old_connections would close the database connection mid-build.
        content_type = response.get("Content-Type", "")
        refs = Refs()
        current = path
        if content_type.startswith("text/html"):
            segments = getattr(response, "segments", None)
            if segments is not None:
                # A listing page made from its listing's frame: the frame is rewritten once.
                before, part, after = segments
                text = (
                    self.rewriter.html_shared(before, current, refs)
                    + self.rewriter.html(part, current, refs)
                    + self.rewriter.html_shared(after, current, refs)
                )
            else:
                text = body.decode(response.charset or "utf-8")
                if path == "/mitmachen/":
                    text = self._static_form(text)
                text = self.rewriter.html(text, current, refs)
            text = text.replace("</body>", self._script_tags(refs, path) + "</body>", 1)
            body = text.encode("utf-8")
        elif content_type.startswith(TEXT_TYPES) or content_type.endswith("+xml"):
            text = body.decode(response.charset or "utf-8")
            mime = content_type.split(";", 1)[0].strip()
            if mime == "text/csv":
                text = self.rewriter.csv(text, current, refs)
            elif "json" in mime:
                text = self.rewriter.text(text, current, refs, mode="json")
                text = self.rewriter.json_urls(text, current, refs)
            elif "xml" in mime:
                text = self.rewriter.text(text, current, refs, mode="xml")
            else:
                text = self.rewriter.text(text, current, refs, mode="raw")
            body = text.encode("utf-8")
        if refs.missing_static:
            raise BuildError(f"{key}: statische Dateien fehlen: {sorted(refs.missing_static)}")
        result.refused = sorted(refs.refused)
        result.changed = write_if_changed(target, body)
        result.file = relative
        result.links = sorted(refs.links - {key})
        result.static = refs.static
        result.media = sorted(refs.media)
        result.size = len(body)
        return result

    def _not_found_page(self):
        """The site's own 404 page (the error handler, also when DEBUG is on)."""
        from django.http import Http404
        from django.test import RequestFactory
        from django.urls import get_resolver

        request = RequestFactory().get(NOT_FOUND_PROBE, secure=True, HTTP_HOST=self.host)
        handler = get_resolver().resolve_error_handler(404)
        response = handler(request, Http404())
        if hasattr(response, "render"):
            response.render()
        return response

    def _static_form(self, text: str) -> str:
        """The form posts to the application server and fetches a fresh token from it."""
        app = self.config.app_url
        marker = 'action="/mitmachen/"'
        if marker not in text:
            raise BuildError('/mitmachen/: Formular nicht gefunden (action="/mitmachen/").')
        text = text.replace(
            marker,
            f'action="{app}/mitmachen/" data-token-url="{app}/mitmachen/token"',
            1,
        )
        # The token rendered now would be stale (and single-use); the script fetches one.
        import re

        return re.sub(r'(<input type="hidden" name="token" value=")[^"]*(")', r"\1\2", text)


def _pairs(query: str):
    from urllib.parse import parse_qsl

    return parse_qsl(query, keep_blank_values=True)


def _render_host() -> str:
    site = Site.objects.filter(is_default_site=True).first()
    candidates = [site.hostname] if site else []
    candidates += [
        h for h in settings.ALLOWED_HOSTS if h and "*" not in h and not h.startswith(".")
    ]
    candidates.append("localhost")
    for host in candidates:
        if validate_host(host, settings.ALLOWED_HOSTS):
            return host
    raise BuildError("Kein Hostname in ALLOWED_HOSTS, unter dem gerendert werden kann.")


def write_if_changed(target: Path, data: bytes) -> bool:
    """Write unless the file already holds exactly ``data`` (keeps its mtime, so syncing to a
    host or purging a CDN touches only what really changed)."""
    try:
        if target.stat().st_size == len(data) and target.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    write_atomic(target, data)
    return True


def write_atomic(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# Worker processes (fork): each has its own renderer and database connection.
_worker: Renderer | None = None


def _init_worker(config: BuildConfig, root: Path, cards: dict[str, str]) -> None:
    global _worker
    for conn in connections.all(initialized_only=True):
        conn.close()  # never use the parent's socket
    _worker = Renderer(config, root, cards)


_PROCESS_GONE = "Ein Renderprozess ist unerwartet beendet worden."


def _load_before_fork() -> None:
    """Load in the build process what each render process would otherwise load for itself
    on its first request (about 0.4 s of CPU each), so that the fork shares it:
    the URLconf with everything it imports, the URL resolver's reverse lookups and the
    compiled frontend templates."""
    from django.conf.urls.i18n import is_language_prefix_patterns_used
    from django.template import TemplateSyntaxError, engines
    from django.urls import reverse

    is_language_prefix_patterns_used(settings.ROOT_URLCONF)
    reverse("place_index")
    engine = engines["django"].engine
    for folder in engine.dirs:
        for source in sorted(Path(folder).rglob("*.html")):
            with contextlib.suppress(TemplateSyntaxError):  # raised where it is used
                engine.get_template(source.relative_to(folder).as_posix())


class _RenderProcesses:
    """Render processes forked from this one (``initializer(*initargs)``), each fed over a
    pipe of its own: ``submit`` hands a call to the least busy one, ``results`` yields what
    comes back in the order it arrives. (``multiprocessing.Pool`` woke three helper threads
    for every task: about 1 ms of this process's CPU per URL, taken from the render
    processes on a two-core machine.)

    A process that is sending its result does not read: whoever submits keeps no more in
    flight to a process than its pipe holds (64 KB on Linux), or both sides wait for each
    other. The crawl sends a few short keys; ``imap_unordered`` sends one call at a time.

    Everything this process holds (the manifest, stored cards …) is frozen for the cyclic
    garbage collector before the fork: a collection in a render process would otherwise
    write to every inherited object and so copy all of the memory the processes share."""

    def __init__(self, workers: int, initializer, initargs: tuple):
        import multiprocessing

        context = multiprocessing.get_context("fork")
        _load_before_fork()
        self.pipes = []
        self.processes = []
        self.busy: dict = {}
        connections.close_all()
        gc.freeze()
        try:
            for _ in range(workers):
                ours, theirs = context.Pipe()
                process = context.Process(
                    target=_serve, args=(theirs, initializer, initargs), daemon=True
                )
                process.start()
                theirs.close()
                self.pipes.append(ours)
                self.processes.append(process)
                self.busy[ours] = 0
        finally:
            gc.unfreeze()

    def __enter__(self):
        return self

    def __exit__(self, kind, error, trace):
        self.close(stop=error is not None)

    def submit(self, function, argument) -> None:
        pipe = min(self.pipes, key=self.busy.__getitem__)
        try:
            pipe.send((function, argument))
        except OSError:
            raise BuildError(_PROCESS_GONE) from None
        self.busy[pipe] += 1

    @property
    def pending(self) -> int:
        return sum(self.busy.values())

    def results(self):
        """What the submitted calls return, as each arrives, until none is pending."""
        from multiprocessing.connection import wait

        while self.pending:
            for pipe in wait([pipe for pipe in self.pipes if self.busy[pipe]]):
                try:
                    failed, result = pipe.recv()
                except (EOFError, OSError):
                    raise BuildError(_PROCESS_GONE) from None
                self.busy[pipe] -= 1
                if failed:
                    raise result
                yield result

    def imap_unordered(self, function, arguments):
        """``function(argument)`` for each of ``arguments`` (of any size), one call in
        flight per process; the results as they arrive."""
        waiting = deque(arguments)
        while waiting or self.pending:
            while waiting and self.pending < len(self.pipes):
                self.submit(function, waiting.popleft())
            yield next(self.results())

    def close(self, stop: bool = False) -> None:
        for pipe, process in zip(self.pipes, self.processes, strict=True):
            if stop:
                process.terminate()
            else:
                with contextlib.suppress(OSError):
                    pipe.send(None)
        for pipe, process in zip(self.pipes, self.processes, strict=True):
            process.join()
            pipe.close()


def _serve(pipe, initializer, initargs: tuple) -> None:
    """A render process: run each ``(function, argument)`` received, send back
    ``(failed, result or exception)``, stop at ``None``."""
    initializer(*initargs)
    while (task := pipe.recv()) is not None:
        function, argument = task
        try:
            reply = (False, function(argument))
        except BaseException as error:  # sent to the build process, which raises it
            reply = (True, _picklable(error))
        pipe.send(reply)
    connections.close_all()  # end the database session now, not when the server notices


def _picklable(error: BaseException) -> BaseException:
    import pickle
    import traceback

    try:
        pickle.loads(pickle.dumps(error))
    except Exception:  # it does not survive the pipe: send its text
        text = "".join(traceback.format_exception_only(type(error), error)).strip()
        return BuildError(text)
    return error


def _write_search_index(argument: tuple) -> int:
    root, base_path = argument
    return write_search_index(root, base_path)


def _render_in_worker(key: str) -> Rendered:
    assert _worker is not None
    return _worker.render(key)


def _cards_in_worker(rows) -> dict[str, str]:
    assert _worker is not None
    return _worker.render_cards(rows)


# --- the crawl ----------------------------------------------------------------------------


def _default_root_page() -> Page | None:
    """The root page of the default site (the pages the static site holds)."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return site.root_page if site else None


def page_urls() -> list[str]:
    """Every visible page (``core.visibility``) with a URL on the default site."""
    root = _default_root_page()
    if root is None:
        raise BuildError("Keine Standard-Site eingerichtet.")
    urls = []
    for url_path in (
        Page.objects.descendant_of(root, inclusive=True)
        .filter(visible_q())
        .order_by("path")
        .values_list("url_path", flat=True)
    ):
        urls.append("/" + url_path[len(root.url_path) :])
    return urls


def root_urls() -> list[str]:
    return list(dict.fromkeys([*FIXED_URLS, *page_urls()]))


def _can_fork() -> bool:
    """Worker processes see only committed data, and need a database they can reconnect to."""
    if connection.in_atomic_block:
        return False
    name = str(connection.settings_dict.get("NAME", ""))
    if connection.vendor == "sqlite" and (name == ":memory:" or "mode=memory" in name):
        return False
    return sys.platform.startswith("linux")


class _Queue:
    """URLs to render: listings and other URLs with a query, and the short paths (regions,
    fixed URLs), before the plain pages; first in, first out within each group."""

    def __init__(self):
        self._first: deque[str] = deque()
        self._rest: deque[str] = deque()

    def push(self, key: str) -> None:
        path = key.partition("?")[0]
        early = "?" in key or path.count("/") <= 2 or not path.endswith("/")
        (self._first if early else self._rest).append(key)

    def pop(self) -> str:
        return self._first.popleft() if self._first else self._rest.popleft()

    def __len__(self) -> int:
        return len(self._first) + len(self._rest)


class Crawl:
    """Render URLs until every internal link found in the output has its file."""

    def __init__(
        self,
        config: BuildConfig,
        root: Path,
        manifest: dict,
        summary: Summary,
        cards: dict[str, str] | None = None,
    ):
        self._total = 0
        # Place cards by version (``places.cards.CardStore``): handed to the render
        # processes, and what they render comes back with their results.
        self.cards: dict[str, str] = {} if cards is None else cards
        self._pages_seen: dict[str, int] = {}
        self.config = config
        self.root = root
        self.manifest = manifest
        self.summary = summary
        self.linked: set[str] = set()
        self.changed: set[str] = set()  # rendered keys whose file is new, different or gone

    def prerender_cards(self) -> int:
        """Render the cards the store lacks of every visible place, a few hundred places at
        a time, before the pages: the render processes then start with every card (instead
        of each one rendering a card again for each listing it first meets it on). Returns
        the number of places."""
        from places.views import visible_places

        rows = [
            row
            for row in card_rows(visible_places().order_by("pk"))
            if any(
                CardStore.key(target, card_key(row)) not in self.cards for target in CARD_VARIANTS
            )
        ]
        chunks = [rows[start : start + CARD_CHUNK] for start in range(0, len(rows), CARD_CHUNK)]
        if len(chunks) > 1 and _can_fork():
            workers = min(self.config.workers, len(chunks))
            initargs = (self.config, self.root, {})
            with _RenderProcesses(workers, _init_worker, initargs) as processes:
                for cards in processes.imap_unordered(_cards_in_worker, chunks):
                    self.cards.update(cards)
        elif chunks:
            renderer = Renderer(self.config, self.root, self.cards)
            for chunk in chunks:
                self.cards.update(renderer.render_cards(chunk))
        return len(rows)

    def run(
        self,
        keys: list[str],
        *,
        follow_known: bool,
        on_change: dict[str, list[str]] | None = None,
        side_tasks: tuple = (),
    ) -> list:
        """Render ``keys``, then every URL they link to that has no file yet (with
        ``follow_known`` also linked URLs that have one). ``on_change``: further keys to
        render as soon as the given key came out changed (a listing's later pages).
        ``side_tasks``: ``(function, argument)`` calls that need no rendered page (the
        search index), run by a render process beside the pages; returns their results.

        URLs are handed to the render processes one at a time as soon as they are known (no
        waves): listings, filter variants and their page numbers first, because they lead to
        more URLs, the many plain pages fill the gaps. A linked page number ``n`` of a listing
        also queues the numbers below it (the listing links each page from its neighbours, so
        they are part of the site anyway): a listing of 200 pages does not need 100 rounds of
        "render, find the next two numbers"."""
        queue = _Queue()
        seen: set[str] = set()
        self._pages_seen = {}
        self._total = 0

        def add(key: str) -> None:
            if key in seen:
                return
            seen.add(key)
            queue.push(key)
            self._total += 1

        for key in keys:
            add(key)
        on_change = dict(on_change or {})
        done = 0
        expected = len(queue) + sum(len(more) for more in on_change.values())
        workers = self.config.workers if (_can_fork() and expected > 50) else 1
        processes = None
        local = None
        if workers > 1:
            initargs = (self.config, self.root, self.cards)
            processes = _RenderProcesses(workers, _init_worker, initargs)
        else:
            local = Renderer(self.config, self.root, self.cards)
        # A few URLs per process in flight keeps both busy without giving away the order.
        limit = workers * 3
        side_results = []
        ok = False
        try:
            if processes is not None:
                for function, argument in side_tasks:
                    processes.submit(function, argument)
                limit += len(side_tasks)
            else:
                side_results = [function(argument) for function, argument in side_tasks]
            while queue or (processes is not None and processes.pending):
                if processes is not None:
                    while queue and processes.pending < limit:
                        processes.submit(_render_in_worker, queue.pop())
                    result = next(processes.results())
                    if not isinstance(result, Rendered):
                        side_results.append(result)
                        continue
                else:
                    result = local.render(queue.pop())
                done += 1
                self._record(result)
                if result.key in self.changed:
                    for key in on_change.pop(result.key, ()):
                        add(key)
                self.linked.update(result.links)
                for link in result.links:
                    if link in seen or not (follow_known or link not in self.manifest):
                        continue
                    add(link)
                    for lower in self._lower_pages(link):
                        if lower not in seen and (follow_known or lower not in self.manifest):
                            add(lower)
                if self.config.progress:
                    _progress(done, self._total)
            ok = True
        finally:
            if processes is not None:
                processes.close(stop=not ok)
        if self.config.progress:
            sys.stderr.write("\n")
        return side_results

    def _lower_pages(self, key: str) -> list[str]:
        """``/orte/?tag=x&page=7`` → the keys of pages 2…6 of the same listing (not yet
        queued by this rule)."""
        group, number = _listing_page(key)
        if number is None:
            return []
        known = self._pages_seen.get(group, 1)
        if number <= known:
            return []
        self._pages_seen[group] = number
        path, query = _split_key(group)
        return [
            url_key(path, urlencode([*canonical_query(query), ("page", str(n))]))
            for n in range(known + 1, number)
        ]

    def _record(self, result: Rendered) -> None:
        self.summary.rendered.append(result.key)
        self.cards.update(result.cards)
        for url in result.refused:
            _warn(self.summary, f"{url}: nicht übernommen (Datei, die nicht veröffentlicht wird)")
        if result.file is None:
            old = self.manifest.pop(result.key, None)
            if result.problem:
                _warn(self.summary, f"{result.key}: {result.problem}, ausgelassen")
            elif old is None and result.key in self.linked:
                self.summary.not_found.append(result.key)
            if old and remove_output_file(self.root, old.get("file")):
                self.summary.removed += 1
                self.summary.removed_files.append(old["file"])
            self.changed.add(result.key)
            return
        if result.changed:
            self.changed.add(result.key)
        self.summary.pages += 1
        self.summary.unchanged += not result.changed
        self.summary.bytes += result.size
        self.manifest[result.key] = {
            "file": result.file,
            "links": result.links,
            "static": result.static,
            "media": result.media,
        }


def _progress(done: int, total: int) -> None:
    width = 30
    filled = int(width * done / max(total, 1))
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} Seiten")
    sys.stderr.flush()


# --- files besides the pages --------------------------------------------------------------


def copy_assets(root: Path, entries, summary: Summary, reuse: Path | None = None) -> None:
    """Static files (hashed names, plus what CSS files refer to) and media (renditions) used
    by the manifest ``entries``. Every name is checked again here (the manifest is a file on
    disk): a static file must be a plain path the finders know, a media file a rendition
    whose real path (symbolic links followed) lies in ``MEDIA_ROOT/images/``; anything
    else is left out with a warning. Files are copied, never hard-linked to their source:
    the output is published, ``MEDIA_ROOT`` is not. ``reuse``: the previous output (a full
    build's), whose unchanged copies are linked instead of copied again."""
    static: dict[str, str] = {}
    media: set[str] = set()
    for entry in entries:
        static.update(entry.get("static", {}))
        media.update(entry.get("media", []))
    for name, hashed in sorted(static.items()):
        if safe_relative(name) is None or safe_relative(hashed) is None:
            _warn(summary, f"{name}: statische Datei mit unzulässigem Namen, ausgelassen")
            continue
        source = find_static(name)
        if source is None:
            raise BuildError(f"Statische Datei fehlt: {name}")
        _copy(source, root, f"static/{hashed}", summary, reuse)
        if name.endswith(".css"):
            for dependency in css_dependencies(name, source.read_text("utf-8", "replace")):
                if safe_relative(dependency) is None:
                    _warn(summary, f"{name}: Verweis auf {dependency} ausgelassen")
                    continue
                dep_source = find_static(dependency)
                if dep_source is None:
                    raise BuildError(f"{name} verweist auf eine fehlende Datei: {dependency}")
                # Next to the hashed CSS file, so its relative url() still resolves.
                _copy(dep_source, root, f"static/{dependency}", summary, reuse)
    media_root = Path(settings.MEDIA_ROOT)
    renditions = (media_root / RENDITIONS_FOLDER).resolve()
    for name in sorted(media):
        source = rendition_source(media_root, renditions, name)
        if source is None:
            _warn(summary, f"/media/{name}: keine Bildvariante im MEDIA_ROOT, ausgelassen")
            continue
        _copy(source, root, f"media/{name}", summary, reuse)


def rendition_source(media_root: Path, renditions: Path, name) -> Path | None:
    """The file of the rendition ``name`` (``images/…``), if it is a regular file whose
    resolved path lies in ``renditions`` (``MEDIA_ROOT/images``, resolved)."""
    if not isinstance(name, str) or rendition_name(name) != name:
        return None
    try:
        source = (media_root / name).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not source.is_relative_to(renditions) or not source.is_file():
        return None
    return source


def _copy(source: Path, root: Path, name: str, summary: Summary, reuse: Path | None) -> None:
    """Copy ``source`` to ``root / name`` (through a temporary file, readable for the web
    server), unless it already is a copy of the same size. A hard link to the source that
    an earlier version of the build made is replaced by a copy."""
    summary.files += 1
    target = output_path(root, name)
    if target is None:
        _warn(summary, f"{name}: Ziel außerhalb des Ausgabeordners, ausgelassen")
        return
    info = source.stat()
    if _own_copy(target, info, same_time=False):
        summary.bytes += info.st_size
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    os.close(fd)
    try:
        previous = output_path(reuse, name) if reuse is not None else None
        if previous is not None and _own_copy(previous, info, same_time=True):
            os.unlink(tmp)
            os.link(previous, tmp)  # a copy of the previous build, not the source
        else:
            shutil.copy2(source, tmp)
            os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    summary.bytes += info.st_size


def _own_copy(path: Path, source: os.stat_result, *, same_time: bool) -> bool:
    """Whether ``path`` is a regular file of its own (no other link to it) of the size of
    ``source`` (and, with ``same_time``, its modification time, which ``copy2`` keeps)."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return False
    return (
        stat.S_ISREG(info.st_mode)
        and info.st_nlink == 1
        and info.st_size == source.st_size
        and (not same_time or info.st_mtime_ns == source.st_mtime_ns)
    )


def _warn(summary: Summary, message: str) -> None:
    if message not in summary.skipped:
        summary.skipped.append(message)
        logger.warning("Statische Website: %s", message)


@contextmanager
def _without_cyclic_gc():
    """For building or reading many small objects at once, none of which can form a cycle:
    the cyclic garbage collector would scan them again and again meanwhile."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@_without_cyclic_gc()
def write_search_index(root: Path, rewriter_base: str) -> int:
    """``suche/index.json``: what the client-side search and filters need, per place."""
    from home.models import ContentPage
    from places.models import Category, Offer, PlacePage, PlacePageTag
    from regions.models import RegionPage

    regions = {
        region.path: (region.slug, region.title)
        for region in RegionPage.objects.filter(visible_q()).only("path", "slug", "title")
    }
    prefix = _default_root_page().url_path

    def url(url_path: str) -> str:
        return rewriter_base + url_path[len(prefix) :]

    # Plain rows instead of page objects with prefetches (0.03 s instead of 0.55 s at 1,000
    # places): an incremental build writes the index after every publish.
    categories: dict[int, list] = defaultdict(list)
    for pk, slug, name in Category.objects.filter(places__isnull=False).values_list(
        "places", "slug", "name"
    ):
        categories[pk].append([slug, name])
    offers: dict[int, list] = defaultdict(list)
    for pk, slug in Offer.objects.filter(places__isnull=False).values_list("places", "slug"):
        offers[pk].append(slug)
    tags: dict[int, list] = defaultdict(list)
    for pk, slug, name in PlacePageTag.objects.order_by("tag__name", "tag__slug").values_list(
        "content_object_id", "tag__slug", "tag__name"
    ):
        tags[pk].append([slug, name])
    places = []
    for pk, title, url_path, path, teaser, municipality, status, former_use in (
        PlacePage.objects.visible()
        .order_by("title", "pk")
        .values_list(
            "pk", "title", "url_path", "path", "teaser", "municipality", "status", "former_use"
        )
    ):
        region = regions.get(path[: -Page.steplen], ("", ""))
        places.append(
            {
                "t": title,
                "u": url(url_path),
                "x": teaser,
                "m": municipality,
                "r": region[0],
                "rn": region[1],
                "s": status,
                "c": categories.get(pk, []),
                "o": offers.get(pk, []),
                "g": tags.get(pk, []),
                "f": former_use,
            }
        )
    pages = [
        {"t": page.title, "u": url(page.url_path), "x": str(page.search_description or "")}
        for page in ContentPage.objects.filter(visible_q()).order_by("title")
    ]
    data = orjson.dumps({"places": places, "pages": pages})
    write_atomic(root / SEARCH_INDEX_FILE, data)
    return len(data)


# --- manifest, lock, swap ---------------------------------------------------------------


@_without_cyclic_gc()
def load_manifest(root: Path) -> dict | None:
    """The manifest of the build in ``root`` (``None``: none, another version or unreadable).
    Entries whose file is not a plain path inside the output are dropped: the build never
    writes or removes a file a manifest names outside it."""
    path = root / MANIFEST_DIR / MANIFEST_NAME
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return None
    pages = data.get("pages")
    if not isinstance(pages, dict):
        return None
    bad = [
        key
        for key, entry in pages.items()
        if not isinstance(entry, dict) or safe_relative(entry.get("file")) is None
    ]
    for key in bad:
        logger.warning("Statische Website: Manifest-Eintrag %r ungültig, ignoriert", key)
        del pages[key]
    return data


def save_manifest(root: Path, config: BuildConfig, pages: dict) -> None:
    data = {
        "version": MANIFEST_VERSION,
        "base_url": config.base_url,
        "app_url": config.app_url,
        "pages": pages,
    }
    write_atomic(
        root / MANIFEST_DIR / MANIFEST_NAME,
        orjson.dumps(data, option=orjson.OPT_SORT_KEYS),
    )


def load_cards(root: Path, fingerprint: str) -> dict[str, str]:
    """The place cards an earlier build kept (``places.cards.CardStore``), if they were
    made from the same fields, images and card template (``fingerprint``)."""
    try:
        data = orjson.loads((root / MANIFEST_DIR / CARDS_NAME).read_bytes())
    except (FileNotFoundError, orjson.JSONDecodeError):
        return {}
    if not isinstance(data, dict) or data.get("fingerprint") != fingerprint:
        return {}
    return data.get("cards") or {}


def save_cards(root: Path, fingerprint: str, cards: dict[str, str]) -> None:
    data = {"fingerprint": fingerprint, "cards": CardStore.newest_only(cards)}
    write_atomic(
        root / MANIFEST_DIR / CARDS_NAME,
        orjson.dumps(data),
    )


# --- the two builds -----------------------------------------------------------------------


def reachable(manifest: dict, roots: list[str]) -> set[str]:
    seen = set()
    stack = [url_key(*_split_key(r)) for r in roots]
    while stack:
        key = stack.pop()
        if key in seen or key not in manifest:
            continue
        seen.add(key)
        stack.extend(manifest[key].get("links", []))
    return seen


def _split_key(key: str) -> tuple[str, str]:
    path, _, query = key.partition("?")
    return path, query


def _listing_page(key: str) -> tuple[str, int | None]:
    """The listing a URL belongs to (its key without the page number) and the number."""
    path, query = _split_key(key)
    items = canonical_query(query)
    if items and items[-1][0] == "page":
        return url_key(path, urlencode(items[:-1])), int(items[-1][1])
    return key, None


def _split_listings(manifest: dict, paths: set[str]) -> tuple[list[str], dict[str, list[str]]]:
    """The built URLs below ``paths``: those to render in any case (the first page of each
    listing and every URL that is not part of one), and per listing its further pages."""
    groups: dict[str, list[str]] = {}
    for key in manifest:
        if _split_key(key)[0] in paths:
            groups.setdefault(_listing_page(key)[0], []).append(key)
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
    """The keys among ``keys`` of data files (``REGION_FILTERED_FILES``) filtered to regions
    none of the changed ``pages`` belongs to (a region's slug is its path's first part).
    ``None``: every page counts as changed."""
    if pages is None:
        return set()
    regions = {page.strip("/").split("/", 1)[0] for page in pages}
    unaffected = set()
    for key in keys:
        path, query = _split_key(key)
        if path not in REGION_FILTERED_FILES:
            continue
        wanted = {
            slug
            for name, value in canonical_query(query)
            if name == "region"
            for slug in value.split(",")
        }
        if wanted and not wanted & regions:
            unaffected.add(key)
    return unaffected


def _data_without_changed_places(keys, pages: set[str] | None, manifest: dict) -> set[str]:
    """The keys among ``keys`` of filtered data files (``REGION_FILTERED_FILES`` with
    parameters) that none of the changed ``pages`` was in (the built file links it) or is in
    now (a visible place matching the file's filters; one query per file): they would come
    out as before, since a file lists only the places that match it, ordered by their own
    titles. Only when every changed page is a place (``/<region>/<place>/``): a region's
    title, for one, is part of each of its places' entries. ``None``: every page counts as
    changed."""
    if not pages or any(page.strip("/").count("/") != 1 for page in pages):
        return set()
    from django.http import QueryDict

    from places.api import _visible_places
    from places.queries import FilterError, parse_place_filters

    root = _default_root_page()
    if root is None:
        return set()
    prefix = root.url_path.rstrip("/")
    url_paths = [prefix + page for page in pages]
    unaffected = set()
    for key in keys:
        path, query = _split_key(key)
        if path not in REGION_FILTERED_FILES or not query or key not in manifest:
            continue
        links = set(manifest[key].get("links", ()))
        if links & pages:
            continue
        try:
            filters = parse_place_filters(QueryDict(query), allow_bbox=True)
        except FilterError:
            continue
        if not _visible_places(filters).filter(url_path__in=url_paths).exists():
            unaffected.add(key)
    return unaffected


def _listings_to_render(rest, before, manifest, cards) -> tuple[list[str], dict[str, list]]:
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
    for group, keys in rest.items():
        if group not in manifest:
            again.extend(keys)
            continue
        on_first = set(before.get(group, ()))
        if any(
            "?" not in link and link in cards and link not in on_first
            for key in keys
            for link in before.get(key, ())
        ):
            again.extend(keys)
        else:
            if_changed[group] = keys
    return again, if_changed


def full_build(config: BuildConfig) -> Summary:
    """Render everything into a temporary folder beside the output and swap it in. On any
    error the previous output stays untouched and ``BuildError`` says why."""
    started = time.monotonic()
    summary = Summary()
    config.output.parent.mkdir(parents=True, exist_ok=True)
    with build_lock(config.output):
        # Refuses a folder that must not be replaced before any work is done.
        previous = previous_output(config.output, config.force)
        temp = Path(
            tempfile.mkdtemp(prefix=f".{config.output.name}.new-", dir=config.output.parent)
        )
        swapped = False
        try:
            manifest: dict = {}
            # A full build renders every card anew (and so repairs anything stale).
            fingerprint = card_data_fingerprint()
            crawl = Crawl(config, temp, manifest, summary, cards={})
            crawl.prerender_cards()
            base_path = urlsplit(config.base_url).path.rstrip("/")
            index_bytes = crawl.run(
                [*root_urls(), NOT_FOUND_PROBE],
                follow_known=False,
                side_tasks=[(_write_search_index, (temp, base_path))],
            )
            reuse = config.output if previous == "ours" else None
            copy_assets(temp, manifest.values(), summary, reuse=reuse)
            summary.bytes += sum(index_bytes)
            summary.files += summary.pages + 1
            save_manifest(temp, config, manifest)
            save_cards(temp, fingerprint, crawl.cards)
            os.chmod(temp, 0o755)
            kept = swap_in(temp, config.output, previous)
            swapped = True
            summary.kept = str(kept or "")
        except BaseException:
            if not swapped:  # after the swap, temp holds the previous output
                shutil.rmtree(temp, ignore_errors=True)
            raise
    summary.seconds = time.monotonic() - started
    return summary


def incremental_build(
    config: BuildConfig, paths: set[str], pages: set[str] | None = None
) -> Summary:
    """Re-render the URLs whose path is in ``paths`` (every query variant), render what they
    newly link to, drop what is gone or no longer linked. Falls back to a full build when
    there is no manifest for the same base URL.

    ``pages``: the paths among ``paths`` whose page changed itself (published, unpublished,
    moved, deleted), as opposed to pages that only show it (a neighbour's „Orte in der Nähe“,
    a region's breadcrumb); only those can change a card on a listing. ``None``: all."""
    started = time.monotonic()
    with build_lock(config.output):
        data = load_manifest(config.output) if is_build_output(config.output) else None
        if (
            data is None
            or data.get("base_url") != config.base_url
            or data.get("app_url") != config.app_url
        ):
            fallback = True
        else:
            fallback = False
            summary = Summary()
            manifest = data["pages"]
            fingerprint = card_data_fingerprint()
            crawl = Crawl(
                config,
                config.output,
                manifest,
                summary,
                cards=load_cards(config.output, fingerprint),
            )
            first, rest = _split_listings(manifest, paths)
            # Links of the pages before they are rendered again (see _listings_to_render).
            before = {
                key: manifest[key].get("links", ())
                for group, keys in rest.items()
                for key in (group, *keys)
            }
            new = [path for path in sorted(paths) if path not in manifest]
            other_regions = _other_regions_data(first, pages)
            first = [key for key in first if key not in other_regions]
            unchanged_data = _data_without_changed_places(first, pages, manifest)
            first = [key for key in first if key not in unchanged_data]
            cards = paths if pages is None else pages
            again, if_changed = _listings_to_render(rest, before, manifest, cards)
            roots = root_urls()
            # New pages in the database that nothing rendered yet (e.g. a new region).
            missing = [r for r in roots if url_key(*_split_key(r)) not in manifest]
            crawl.prerender_cards()
            base_path = urlsplit(config.base_url).path.rstrip("/")
            # The search index lists every place: rewritten beside the pages when one of
            # them changed (or a page is removed, below).
            index = [(_write_search_index, (config.output, base_path))]
            # One run, so that the render processes start once and never wait for each
            # other: a listing's later pages follow as soon as its first page came out
            # changed.
            index_bytes = crawl.run(
                [*first, *new, *again, *missing],
                follow_known=False,
                on_change=if_changed,
                side_tasks=index if paths & {"/suche/", "/orte/"} else (),
            )
            keep = reachable(manifest, [*roots, NOT_FOUND_PROBE])
            for key in [k for k in manifest if k not in keep]:
                entry = manifest.pop(key)
                if remove_output_file(config.output, entry["file"]):
                    summary.removed += 1
                    summary.removed_files.append(entry["file"])
            copy_assets(
                config.output,
                [manifest[k] for k in dict.fromkeys(summary.rendered) if k in manifest],
                summary,
            )
            if not index_bytes and summary.removed:
                index_bytes = [write_search_index(config.output, base_path)]
            summary.bytes += sum(index_bytes)
            save_manifest(config.output, config, manifest)
            save_cards(config.output, fingerprint, crawl.cards)
            _remove_empty_dirs(config.output, summary.removed_files)
    if fallback:
        return full_build(config)
    summary.seconds = time.monotonic() - started
    return summary


def _remove_empty_dirs(root: Path, removed_files) -> None:
    """The folders left empty by removed files go too, bottom-up (rmdir fails on others)."""
    folders = set()
    for name in removed_files:
        if output_path(root, name) is None:
            continue
        folder = (root / name).parent
        while folder != root and root in folder.parents:
            folders.add(folder)
            folder = folder.parent
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()
