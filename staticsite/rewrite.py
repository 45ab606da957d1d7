"""Rewrite one rendered response for the static site and collect what it refers to.

Every internal URL becomes a path under the configured base URL (``/sub/orte/…``), URLs with
filters get their own path (``staticsite.urlmap``), static files get content-hashed names,
absolute URLs of the application's own origins (canonical, Open Graph, JSON-LD, sitemap,
feed, GeoJSON) point to the base URL. What a page links to is collected for the crawl, the
static files and media (image renditions) it uses for copying.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

from .urlmap import static_url, url_key

# Attributes that hold one URL (or a srcset) in the templates' HTML.
_ATTRIBUTE = re.compile(
    r"""(?P<before>\s(?P<name>href|src|srcset|action|poster|data-[\w-]+)=")(?P<value>[^"]*)(")"""
)
_JSON_URL = re.compile(r'(?P<key>"url":\s*")(?P<url>/[^"\\]*)"')
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(?P<url>[^'")]+)\1\s*\)""")
#: Paths that are never part of the static site (the application server keeps them).
APP_ONLY_PREFIXES = ("/admin/", "/mitmachen/token", "/healthz", "/api/v2/", "/api/v3/")


def _hash_name(relative: str, content: bytes) -> str:
    stem, ext = posixpath.splitext(relative)
    return f"{stem}.{hashlib.sha256(content).hexdigest()[:10]}{ext}"


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
            self._names[name] = _hash_name(name, source.read_bytes()) if source else None
        return self._names[name]


@dataclass
class Refs:
    links: set[str] = field(default_factory=set)  # url keys of pages/files to render
    static: dict[str, str] = field(default_factory=dict)  # source name → hashed name
    media: set[str] = field(default_factory=set)  # paths below MEDIA_ROOT
    missing_static: set[str] = field(default_factory=set)


def _note(refs: Refs, reference: tuple) -> None:
    kind, value = reference
    if kind == "link":
        refs.links.add(value)
    elif kind == "media":
        refs.media.add(value)
    elif kind == "static":
        refs.static[value[0]] = value[1]
    else:
        refs.missing_static.add(value)


class Rewriter:
    def __init__(self, *, base_url: str, origins: list[str], static_names: StaticNames):
        parts = urlsplit(base_url)
        self.base_origin = f"{parts.scheme}://{parts.netloc}"
        self.base_path = parts.path if parts.path.endswith("/") else parts.path + "/"
        self.base_url = self.base_origin + self.base_path
        self.static_names = static_names
        self._memo: dict[str, tuple[str | None, tuple | None]] = {}
        self._absolute_memo: dict[tuple[str, bool], tuple[str, tuple | None]] = {}
        self._attribute_memo: dict[tuple[str, str], tuple[str | None, tuple]] = {}
        self._shared_memo: dict[tuple[str, str], tuple[str, Refs]] = {}
        self.static_prefix = settings.STATIC_URL
        self.media_prefix = settings.MEDIA_URL
        escaped = sorted({re.escape(o.rstrip("/")) for o in origins if o}, key=len, reverse=True)
        self._origin_re = re.compile(
            r"(?:" + "|".join(escaped) + r")(?P<rest>/[^\s\"'<>\\]*)?(?![\w.:-])"
        )

    # -- single URLs ------------------------------------------------------------------------
    # A URL maps to its output URL and at most one reference: ("link", key), ("static",
    # (name, hashed)), ("media", path) or ("missing", name). Tuples, not a ``Refs`` per URL:
    # an export holds tens of thousands of URLs.
    def map_path(self, url: str, current: str, refs: Refs) -> str | None:
        """Root-relative static-site URL (with base path) for a root- or query-relative URL of
        the live site; ``None`` to keep it unchanged."""
        mapped, reference = self._resolve(url, current)
        if reference is not None:
            _note(refs, reference)
        return mapped

    def _resolve(self, url: str, current: str) -> tuple[str | None, tuple | None]:
        if url.startswith("?"):
            url = urljoin(current, url)
        if not url.startswith("/") or url.startswith("//"):
            return None, None
        return self._mapped(url)

    def _mapped(self, url: str) -> tuple[str | None, tuple | None]:
        # Most URLs repeat on every page (navigation, assets, cards): map each once.
        cached = self._memo.get(url)
        if cached is None:
            if len(self._memo) > 50_000:
                self._memo.clear()
            cached = self._memo[url] = self._map(url)
        return cached

    def _map(self, url: str) -> tuple[str | None, tuple | None]:
        if "?" in url or "#" in url:
            parts = urlsplit(url)
            path, query, fragment = parts.path, parts.query, parts.fragment
        else:  # most URLs (pages, images), and urlsplit is the dearest part
            path, query, fragment = url, "", ""
        suffix = f"#{fragment}" if fragment else ""
        if path.startswith(self.static_prefix):
            name = unquote(path[len(self.static_prefix) :])
            hashed = self.static_names.hashed(name)
            if hashed is None:
                return None, ("missing", name)
            return f"{self.base_path}static/{hashed}{suffix}", ("static", (name, hashed))
        if path.startswith(self.media_prefix):
            media = path[len(self.media_prefix) :]
            return f"{self.base_path}media/{media}{suffix}", ("media", unquote(media))
        if path.startswith(APP_ONLY_PREFIXES):
            return None, None
        path = unquote(path)
        if not query and path.endswith("/"):  # a page: same path on the static site
            return self.base_path + path.lstrip("/") + suffix, ("link", path)
        mapped = self.base_path + static_url(path, query).lstrip("/") + suffix
        return mapped, ("link", url_key(path, query))

    def absolute_urls(self, text: str, current: str, refs: Refs, *, escape: bool) -> str:
        memo = self._absolute_memo

        def replace(match):
            whole = match.group(0)
            # The exports list thousands of absolute URLs, the same ones in every variant.
            cached = memo.get((whole, escape))
            if cached is None:
                rest = match.group("rest") or "/"
                mapped, reference = self._resolve(html.unescape(rest), current)
                if mapped is None:
                    value = self.base_origin + self.base_path.rstrip("/") + rest
                else:
                    value = self.base_origin + mapped
                cached = (html.escape(value, quote=True) if escape else value, reference)
                # Only URLs whose mapping cannot depend on the current page.
                if not rest.startswith("?"):
                    if len(memo) > 50_000:
                        memo.clear()
                    memo[(whole, escape)] = cached
            value, reference = cached
            if reference is not None:
                _note(refs, reference)
            return value

        return self._origin_re.sub(replace, text)

    # -- documents --------------------------------------------------------------------------
    def html(self, text: str, current: str, refs: Refs) -> str:
        text = self.absolute_urls(text, current, refs, escape=True)
        memo = self._attribute_memo

        def attribute(match):
            name, raw = match.group("name"), match.group("value")
            # Navigation, cards and images repeat on many pages: each attribute once.
            cached = memo.get((name, raw))
            if cached is None:
                cached, relative = self._attribute(name, html.unescape(raw), current)
                if not relative:  # the mapping of "?…" depends on the current page
                    if len(memo) > 50_000:
                        memo.clear()
                    memo[(name, raw)] = cached
            new, references = cached
            for reference in references:
                _note(refs, reference)
            if new is None:
                return match.group(0)
            return match.group("before") + new + '"'

        return _ATTRIBUTE.sub(attribute, text)

    def html_shared(self, text: str, current: str, refs: Refs) -> str:
        """``html()`` of markup that many pages show alike (the frame of a listing's pages,
        ``places.listing.ListingResponse``), rewritten once per current path."""
        key = (text, current)
        cached = self._shared_memo.get(key)
        if cached is None:
            own = Refs()
            cached = (self.html(text, current, own), own)
            if len(self._shared_memo) > 256:
                self._shared_memo.clear()
            self._shared_memo[key] = cached
        rewritten, own = cached
        refs.links |= own.links
        refs.static.update(own.static)
        refs.media |= own.media
        refs.missing_static |= own.missing_static
        return rewritten

    def _attribute(self, name: str, value: str, current: str):
        """``((escaped new value or None to keep it, references), relative)``."""
        references = []
        relative = False

        def resolve(url: str) -> str | None:
            nonlocal relative
            relative = relative or url.startswith("?")
            mapped, reference = self._resolve(url, current)
            if reference is not None:
                references.append(reference)
            return mapped

        if name == "srcset":
            items = []
            for item in value.split(","):
                bits = item.strip().split(None, 1)
                if not bits:
                    continue
                items.append(" ".join([resolve(bits[0]) or bits[0], *bits[1:]]))
            new = ", ".join(items)
        else:
            new = resolve(value)
            if new is None:
                return (None, tuple(references)), relative
        return (html.escape(new, quote=True), tuple(references)), relative

    def json_urls(self, text: str, current: str, refs: Refs) -> str:
        """Root-relative ``"url"`` values in JSON (the GeoJSON's links to place pages)."""

        def replace(match):
            mapped = self.map_path(match.group("url"), current, refs)
            return match.group("key") + (mapped or match.group("url")) + '"'

        return _JSON_URL.sub(replace, text)

    def text(self, text: str, current: str, refs: Refs) -> str:
        """XML, JSON, CSV, plain text: absolute URLs only (they hold no relative links)."""
        return self.absolute_urls(text, current, refs, escape=False)


def css_dependencies(name: str, content: str) -> list[str]:
    """Static names a CSS file refers to relatively (Leaflet's images)."""
    result = []
    for match in _CSS_URL.finditer(content):
        url = match.group("url").strip()
        if url.startswith(("data:", "http:", "https:", "/", "#")):
            continue
        result.append(posixpath.normpath(posixpath.join(posixpath.dirname(name), url)))
    return result
