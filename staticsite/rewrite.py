"""Rewrite one rendered response for the static site and collect what it refers to.

Every internal URL becomes a path under the configured base URL (``/sub/orte/…``), URLs with
filters get their own path (``staticsite.urlmap``), static files get content-hashed names,
absolute URLs of the application's own origins (canonical, Open Graph, JSON-LD, sitemap,
feed, GeoJSON) point to the base URL. What a page links to is collected for the crawl, the
static files and media (image renditions) it uses for copying.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import html
import io
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

import orjson

from core.languages import split_path

from .output import safe_relative
from .urlmap import static_url, url_key

# Attributes that hold one URL (or a srcset) in the templates' HTML.
_ATTRIBUTE = re.compile(
    r"""(?P<before>\s(?P<name>href|src|srcset|action|poster|data-[\w-]+)=")(?P<value>[^"]*)(")"""
)
_JSON_URL = re.compile(r'(?P<key>"url":\s*")(?P<url>/[^"\\]*)"')
#: Paths that are never part of the static site (the application server keeps them), in
#: every language (``/en/mitmachen/token``).
APP_ONLY_PREFIXES = ("/admin/", "/mitmachen/token", "/healthz", "/api/v2/", "/api/v3/")
#: The only folder below ``MEDIA_ROOT`` whose files the static site may hold: Wagtail's
#: renditions. Originals (``original_images/``), documents and everything else stay private.
RENDITIONS_FOLDER = "images"
#: What a URL the build refuses (a media file outside the renditions, a path with ``..``)
#: becomes in the output, per format: it is left out, never copied.
REFUSED = {"html": "#", "xml": "", "json": "", "csv": "", "raw": ""}


def rendition_name(encoded: str) -> str | None:
    """The path below ``MEDIA_ROOT`` of a media URL's rest (after ``MEDIA_URL``, still
    percent-encoded) if it names a file in the renditions folder; otherwise ``None``."""
    name = safe_relative(unquote(encoded.split("?", 1)[0].split("#", 1)[0]))
    if name is None or not name.startswith(RENDITIONS_FOLDER + "/"):
        return None
    return name


def find_static(name: str) -> Path | None:
    """The source file of a static URL path (without STATIC_URL)."""
    found = finders.find(name)
    if found:
        return Path(found)
    try:
        candidate = Path(staticfiles_storage.path(name))
    except NotImplementedError:
        return None
    return candidate if candidate.exists() else None


class StaticNames:
    """Content-hashed output names of static files, computed once per process."""

    def __init__(self):
        self._names: dict[str, str | None] = {}

    def hashed(self, name: str) -> str | None:
        if name not in self._names:
            source = find_static(name)
            if source is None:
                self._names[name] = None
            else:
                stem, ext = posixpath.splitext(name)
                digest = hashlib.sha256(source.read_bytes()).hexdigest()[:10]
                self._names[name] = f"{stem}.{digest}{ext}"
        return self._names[name]


@dataclass
class Refs:
    """What a document refers to. A reference is ``(kind, value)``, ``kind`` the name of the
    field that collects it."""

    links: set[str] = field(default_factory=set)  # url keys of pages/files to render
    static: dict[str, str] = field(default_factory=dict)  # source name → hashed name
    media: set[str] = field(default_factory=set)  # paths below MEDIA_ROOT
    missing_static: set[str] = field(default_factory=set)
    refused: set[str] = field(default_factory=set)  # URLs left out of the output

    def note(self, reference: tuple) -> None:
        kind, value = reference
        if kind == "static":
            self.static[value[0]] = value[1]
        else:
            getattr(self, kind).add(value)

    def update(self, other: Refs) -> None:
        for kind in ("links", "static", "media", "missing_static", "refused"):
            getattr(self, kind).update(getattr(other, kind))


class Rewriter:
    def __init__(self, *, base_url: str, origins: list[str], static_names: StaticNames):
        parts = urlsplit(base_url)
        self.base_origin = f"{parts.scheme}://{parts.netloc}"
        self.base_path = parts.path if parts.path.endswith("/") else parts.path + "/"
        self.static_names = static_names
        # Most URLs repeat on every page (navigation, assets, cards): map each once.
        self._map_once = functools.lru_cache(maxsize=50_000)(self._map)
        self._absolute_memo: dict[tuple[str, str], tuple[str, tuple | None]] = {}
        self._attribute_memo: dict[tuple[str, str], tuple[str | None, tuple]] = {}
        self._shared_memo: dict[tuple[str, str], tuple[str, Refs]] = {}
        self.static_prefix = settings.STATIC_URL
        self.media_prefix = settings.MEDIA_URL
        escaped = sorted({re.escape(o.rstrip("/")) for o in origins if o}, key=len, reverse=True)
        origin = r"(?:" + "|".join(escaped) + r")"
        # In raw text (JSON, CSV, plain text) a URL ends at white space, a quote, a
        # backslash (a JSON escape) or an angle bracket; in HTML and XML also at every
        # entity but ``&amp;`` (``&quot;`` ends an attribute's URL inside escaped markup).
        self._origin_re = {
            False: re.compile(origin + r"(?P<rest>/[^\s\"'<>\\]*)?(?![\w.:-])"),
            True: re.compile(origin + r"(?P<rest>/(?:[^\s\"'<>\\&]|&amp;)*)?(?![\w.:-])"),
        }

    # -- single URLs ------------------------------------------------------------------------
    # A URL maps to its output URL and at most one reference: ("links", key), ("static",
    # (name, hashed)), ("media", path), ("missing_static", name) or ("refused", url).
    # Tuples, not a ``Refs`` per URL: an export holds tens of thousands of URLs.
    def _resolve(self, url: str, current: str) -> tuple[str | None, tuple | None]:
        """The root-relative static-site URL (with base path) of a root- or query-relative
        URL of the live site (``None`` to keep it unchanged), and its reference."""
        if url.startswith("?"):
            url = urljoin(current, url)
        if not url.startswith("/") or url.startswith("//"):
            return None, None
        return self._map_once(url)

    def _output(self, url: str, current: str, note, mode: str) -> str | None:
        """``_resolve``'s URL, ``REFUSED[mode]`` if the URL is left out; its reference goes
        to ``note``."""
        mapped, reference = self._resolve(url, current)
        if reference is not None:
            note(reference)
            if reference[0] == "refused":
                return REFUSED[mode]
        return mapped

    def _map(self, url: str) -> tuple[str | None, tuple | None]:
        if "?" in url or "#" in url:
            parts = urlsplit(url)
            path, query, fragment = parts.path, parts.query, parts.fragment
        else:  # most URLs (pages, images), and urlsplit is the dearest part
            path, query, fragment = url, "", ""
        suffix = f"#{fragment}" if fragment else ""
        if path.startswith(self.static_prefix):
            name = safe_relative(unquote(path[len(self.static_prefix) :]))
            if name is None:
                return None, ("refused", url)
            hashed = self.static_names.hashed(name)
            if hashed is None:
                return None, ("missing_static", name)
            return f"{self.base_path}static/{hashed}{suffix}", ("static", (name, hashed))
        if path.startswith(self.media_prefix):
            # Only renditions, by a plain path: never originals, documents, private media
            # or anything a ``..`` (also percent-encoded) would reach.
            name = rendition_name(path[len(self.media_prefix) :])
            if name is None:
                return None, ("refused", url)
            media = path[len(self.media_prefix) :]
            return f"{self.base_path}media/{media}{suffix}", ("media", name)
        if split_path(path)[1].startswith(APP_ONLY_PREFIXES):
            return None, None
        path = unquote(path)
        if "\x00" in path or "\\" in path or {".", ".."} & set(path.split("/")):
            return None, ("refused", url)
        if not query and path.endswith("/"):  # a page: same path on the static site
            return self.base_path + path.lstrip("/") + suffix, ("links", path)
        mapped = self.base_path + static_url(path, query).lstrip("/") + suffix
        return mapped, ("links", url_key(path, query))

    def _absolute(self, rest: str, current: str, mode: str) -> tuple[str, tuple | None]:
        """The output value of an absolute URL of our origins whose path and query are
        ``rest`` (as it stands in a document of ``mode``), and its reference."""
        plain = html.unescape(rest) if mode in ("html", "xml") else rest
        mapped, reference = self._resolve(plain, current)
        if reference is not None and reference[0] == "refused":
            return REFUSED[mode], reference
        if mapped is None:
            value = self.base_origin + self.base_path.rstrip("/") + plain
        else:
            value = self.base_origin + mapped
        return _encode(value, mode), reference

    def text(self, text: str, current: str, refs: Refs, *, mode: str = "raw") -> str:
        """Absolute URLs of the application's origins in ``text`` (a document of ``mode``:
        ``html``, ``xml``, ``json`` or ``raw``), each written back escaped for its format.
        All there is to rewrite in XML, JSON and plain text (they hold no relative links)."""
        memo = self._absolute_memo

        def replace(match):
            whole = match.group(0)
            # The exports list thousands of absolute URLs, the same ones in every variant.
            cached = memo.get((whole, mode))
            if cached is None:
                rest = match.group("rest") or "/"
                cached = self._absolute(rest, current, mode)
                # Only URLs whose mapping cannot depend on the current page.
                if not rest.startswith("?"):
                    _remember(memo, (whole, mode), cached)
            value, reference = cached
            if reference is not None:
                refs.note(reference)
            return value

        return self._origin_re[mode in ("html", "xml")].sub(replace, text)

    # -- documents --------------------------------------------------------------------------
    def html(self, text: str, current: str, refs: Refs) -> str:
        text = self.text(text, current, refs, mode="html")
        memo = self._attribute_memo

        def attribute(match):
            name, raw = match.group("name"), match.group("value")
            # Navigation, cards and images repeat on many pages: each attribute once.
            cached = memo.get((name, raw))
            if cached is None:
                cached, relative = self._attribute(name, html.unescape(raw), current)
                if not relative:  # the mapping of "?…" depends on the current page
                    _remember(memo, (name, raw), cached)
            new, references = cached
            for reference in references:
                refs.note(reference)
            if new is None:
                return match.group(0)
            return match.group("before") + new + '"'

        return _ATTRIBUTE.sub(attribute, text)

    def html_shared(self, text: str, current: str, refs: Refs) -> str:
        """``html()`` of markup that many pages show alike (the frame of a listing's pages,
        ``website.listing.ListingResponse``), rewritten once per current path."""
        key = (text, current)
        cached = self._shared_memo.get(key)
        if cached is None:
            own = Refs()
            cached = _remember(self._shared_memo, key, (self.html(text, current, own), own), 256)
        rewritten, own = cached
        refs.update(own)
        return rewritten

    def _attribute(self, name: str, value: str, current: str):
        """``((escaped new value or None to keep it, references), relative)``."""
        references = []
        relative = False

        def resolve(url: str) -> str | None:
            nonlocal relative
            relative = relative or url.startswith("?")
            return self._output(url, current, references.append, "html")

        if name == "srcset":
            items = []
            for item in value.split(","):
                bits = item.strip().split(None, 1)
                if not bits:
                    continue
                new = resolve(bits[0])
                if new == REFUSED["html"]:
                    continue  # a refused candidate is left out of the set
                items.append(" ".join([new or bits[0], *bits[1:]]))
            new = ", ".join(items)
        else:
            new = resolve(value)
            if new is None:
                return (None, tuple(references)), relative
        return (html.escape(new, quote=True), tuple(references)), relative

    def json_urls(self, text: str, current: str, refs: Refs) -> str:
        """Root-relative ``"url"`` values in JSON (the GeoJSON's links to place pages)."""

        def replace(match):
            mapped = self._output(match.group("url"), current, refs.note, "json")
            value = match.group("url") if mapped is None else _encode(mapped, "json")
            return match.group("key") + value + '"'

        return _JSON_URL.sub(replace, text)

    def ics(self, text: str, current: str, refs: Refs) -> str:
        """An iCalendar feed (RFC 5545): its lines unfolded (a URL may be folded across
        two), absolute URLs of our origins rewritten, and each line folded again at 75
        octets, never inside a UTF-8 character."""
        lines = re.split(r"\r?\n", re.sub(r"\r?\n[ \t]", "", text))
        return "\r\n".join(_fold(self.text(line, current, refs)) for line in lines)

    def csv(self, text: str, current: str, refs: Refs) -> str:
        """A CSV export: a cell that is one absolute URL of our origins is rewritten as a
        whole; no other cell is touched, and the rows are written back by the csv module as
        the export wrote them (``csv.writer``, ``\\r\\n``), so a URL can never swallow the
        cells after it."""
        bom = "\ufeff" if text.startswith("\ufeff") else ""
        pattern = self._origin_re[False]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        for row in csv.reader(io.StringIO(text[len(bom) :], newline="")):
            cells = []
            for cell in row:
                match = pattern.fullmatch(cell)
                if match is not None:
                    cell, reference = self._absolute(match.group("rest") or "/", current, "csv")
                    if reference is not None:
                        refs.note(reference)
                cells.append(cell)
            writer.writerow(cells)
        return bom + out.getvalue()


def _remember(memo: dict, key, value, limit: int = 50_000):
    """``value``, kept in ``memo`` under ``key``; a full memo is emptied first."""
    if len(memo) > limit:
        memo.clear()
    memo[key] = value
    return value


def _fold(line: str, limit: int = 75) -> str:
    """An iCalendar content line folded into lines of at most ``limit`` octets (RFC 5545
    3.1: a continuation line starts with one space, which counts)."""
    data = line.encode("utf-8")
    if len(data) <= limit:
        return line
    parts = []
    start, width = 0, limit
    while len(data) - start > width:
        end = start + width
        while data[end] & 0xC0 == 0x80:  # inside a UTF-8 character
            end -= 1
        parts.append(data[start:end])
        start, width = end, limit - 1
    parts.append(data[start:])
    return "\r\n ".join(part.decode("utf-8") for part in parts)


def _encode(value: str, mode: str) -> str:
    """``value`` escaped for a document of ``mode``."""
    if mode in ("html", "xml"):
        return html.escape(value, quote=True)
    if mode == "json":
        return orjson.dumps(value).decode()[1:-1]
    return value
