"""Rendering one URL of the live site for the static site, in this process.

Every page is rendered by Django's own request handling (the test client through the whole
middleware stack and the real views), past the page cache (``website.page_cache.BYPASS_ENVIRON``:
the build must see the database's current state, never a cached response whose
invalidation may not have run yet). The response is rewritten for the static site
(``staticsite.rewrite``) and written into the output folder if it changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from django.conf import settings
from django.http import Http404
from django.http.request import validate_host
from django.urls import get_resolver
from django.utils import translation

from wagtail.models import Site

from core import languages
from core.data_version import DataVersion
from website.cards import CardCache
from website.listing import shared_listing_data
from website.page_cache import BYPASS_ENVIRON

from .output import BuildError, output_path, write_if_changed
from .rewrite import Refs, Rewriter, StaticNames
from .urlmap import output_file

if TYPE_CHECKING:
    from .builder import BuildConfig

#: What stands for the site's own 404 page among the URLs to render, in every language:
#: ``{probe: language}``, written to ``404.html``, ``en/404.html`` (a host that looks for the
#: nearest one up the folders shows the English one below ``/en/``).
NOT_FOUND_PROBES = {
    languages.localize_path("/__staticsite-404__/", code): code
    for code in (languages.DEFAULT, *languages.OTHERS)
}
#: The types whose URLs are rewritten, besides every ``…+xml``.
TEXT_TYPES = (
    "text/",
    "application/json",
    "application/geo+json",
    "application/xml",
    "application/javascript",
)
#: Its day fields leave the static site (``without_day_fields``).
EVENT_LISTING = "/veranstaltungen/"
_DIV = re.compile(r"<(/?)div\b[^>]*>")


def without_day_fields(text: str) -> str:
    """/veranstaltungen/ without the smallest ``<div>`` holding its ``von`` and ``bis``
    fields: which days are upcoming changes every night, and a static host cannot filter by
    them (every region and field combination is prebuilt, ``staticsite.crawl``)."""
    start, end = text.find('name="von"'), text.find('name="bis"')
    if start < 0 or end < 0:
        return text
    start, end = min(start, end), max(start, end)
    opened: list[int] = []
    for match in _DIV.finditer(text):
        if not match.group(1):
            opened.append(match.start())
        elif opened:
            first = opened.pop()
            # Elements close innermost first: the first to enclose both is the smallest.
            if first <= start and match.end() >= end:
                return text[:first] + text[match.end() :]
    return text


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


def default_site() -> Site | None:
    """The default site (the pages the static site holds), with its root page."""
    return Site.objects.filter(is_default_site=True).select_related("root_page").first()


def render_host() -> str:
    """The host name the build renders under: the default site's, else an allowed one."""
    site = default_site()
    candidates = [site.hostname] if site else []
    candidates += [
        h for h in settings.ALLOWED_HOSTS if h and "*" not in h and not h.startswith(".")
    ]
    candidates.append("localhost")
    for host in candidates:
        if validate_host(host, settings.ALLOWED_HOSTS):
            return host
    raise BuildError("Kein Hostname in ALLOWED_HOSTS, unter dem gerendert werden kann.")


def build_card_cache(host: str) -> CardCache:
    """An empty card cache for a build of the current data (``website.cards.CardCache``)."""
    return CardCache.for_build(host, DataVersion().token)


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
    """Renders URLs into ``root``. ``cards``: the build's card cache (a new one if None)."""

    def __init__(self, config: BuildConfig, root: Path, cards: CardCache | None = None):
        from django.test import Client, RequestFactory

        self.config = config
        self.root = root
        self.host = render_host()
        self.client = Client(
            HTTP_HOST=self.host, raise_request_exception=True, **{BYPASS_ENVIRON: "1"}
        )
        self.client.handler = _site_once_handler()
        self.requests = RequestFactory(HTTP_HOST=self.host)
        origins = {f"https://{self.host}", f"http://{self.host}"}
        origins.update(site.root_url for site in Site.objects.all())
        self.origins = sorted(origins)
        self.rewriter = Rewriter(
            base_url=config.base_url, origins=self.origins, static_names=StaticNames()
        )
        # Every page of a listing shares its filter choices and ordered ids within a build.
        self.listing_store = {}
        self.cards = cards if cards is not None else build_card_cache(self.host)

    def render_cards(self, rows, language: str = languages.DEFAULT) -> dict[str, str]:
        """The cards of the places ``rows`` in ``language`` (``CardCache.render_ahead``),
        for this host."""
        with translation.override(language):
            request = self.requests.get(languages.localize_path("/orte/", language), secure=True)
            return self.cards.render_ahead(rows, request)

    def _script_tags(self, refs: Refs, path: str) -> str:
        base = self.rewriter.base_path
        language, german = languages.split_path(path)
        # The scripts' site root is the language's (``/en/``): their links, the search
        # index (``suche/index.json`` there, ``staticsite.search_index``), the filter pages.
        site = base + languages.localize_path("/", language).lstrip("/")
        names = ["js/staticsite.js"] + (["js/search.js"] if german == "/suche/" else [])
        tags = []
        for name in names:
            hashed = self.rewriter.static_names.hashed(name)
            if hashed is None:
                raise BuildError(f"Statische Datei fehlt: {name}")
            refs.static[name] = hashed
            tags.append(f'<script src="{base}static/{hashed}" data-base="{site}" defer></script>')
        return "".join(tags)

    def render(self, key: str) -> Rendered:
        path, _, query = key.partition("?")
        result = Rendered(key=key)
        if key in NOT_FOUND_PROBES:
            response = self._not_found_page(path)
            relative = languages.localize_path("/404.html", NOT_FOUND_PROBES[key]).lstrip("/")
        else:
            with shared_listing_data(self.listing_store, self.cards):
                query_params = dict(parse_qsl(query, keep_blank_values=True))
                response = self.client.get(path, query_params=query_params, secure=True)
            relative = output_file(path, query)
            status = response.status_code
            # 404/410: gone (linked ones are reported). A redirect or another client error
            # comes from a link an editor wrote (``/altmark`` without its slash, a filter
            # that does not exist): left out with a warning, the build goes on. 5xx is a
            # fault of the site itself: the build fails, the previous output stays.
            if status >= 500:
                raise BuildError(f"{key} antwortet mit {status}")
            if 300 <= status < 400:
                result.problem = f"Weiterleitung ({status}) → {response.get('Location', '')}"
            elif status not in (200, 404, 410):
                result.problem = f"antwortet mit {status}"
            if status != 200:
                return result
        target = output_path(self.root, relative)
        if target is None:
            result.problem = "Pfad außerhalb des Ausgabeordners"
            return result
        # No response.close(): it would send request_finished outside the test client's
        # guard, and close_old_connections would close the database connection mid-build.
        body = b"".join(response.streaming_content) if response.streaming else response.content
        refs = Refs()
        body = self._rewrite(response, body, path, refs)
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

    def _rewrite(self, response, body: bytes, path: str, refs: Refs) -> bytes:
        """``body`` with its URLs rewritten for the static site; what it refers to in ``refs``."""
        content_type = response.get("Content-Type", "")
        if content_type.startswith("text/html"):
            segments = getattr(response, "segments", None)
            if segments is not None:
                # A listing page made from its listing's frame: the frame is rewritten once.
                before, part, after = segments
                text = (
                    self.rewriter.html_shared(before, path, refs)
                    + self.rewriter.html(part, path, refs)
                    + self.rewriter.html_shared(after, path, refs)
                )
            else:
                text = body.decode(response.charset or "utf-8")
                language, german = languages.split_path(path)
                if german == "/mitmachen/":
                    text = self._static_form(text, language)
                elif german == EVENT_LISTING:
                    text = without_day_fields(text)
                text = self.rewriter.html(text, path, refs)
            text = text.replace("</body>", self._script_tags(refs, path) + "</body>", 1)
            return text.encode("utf-8")
        if not (content_type.startswith(TEXT_TYPES) or content_type.endswith("+xml")):
            return body
        text = body.decode(response.charset or "utf-8")
        mime = content_type.split(";", 1)[0].strip()
        if mime == "text/csv":
            text = self.rewriter.csv(text, path, refs)
        elif mime == "text/calendar":
            text = self.rewriter.ics(text, path, refs)
        elif "json" in mime:
            text = self.rewriter.text(text, path, refs, mode="json")
            text = self.rewriter.json_urls(text, path, refs)
        else:
            text = self.rewriter.text(text, path, refs, mode="xml" if "xml" in mime else "raw")
        return text.encode("utf-8")

    def _not_found_page(self, probe: str):
        """The site's own 404 page (the error handler, also when DEBUG is on) in the probe's
        language; its language switcher leads to the other languages' home pages (there is
        no address to switch to)."""
        language = NOT_FOUND_PROBES[probe]
        request = self.requests.get(probe, secure=True)
        with translation.override(language):
            response = get_resolver().resolve_error_handler(404)(request, Http404())
            if hasattr(response, "render"):
                response.render()
        for other, other_language in NOT_FOUND_PROBES.items():
            if other != probe:
                home = languages.localize_path("/", other_language)
                response.content = response.content.replace(
                    f'href="{other}"'.encode(), f'href="{home}"'.encode()
                )
        return response

    def _static_form(self, text: str, language: str = languages.DEFAULT) -> str:
        """The form posts to the application server (at the form's address in ``language``)
        and fetches a fresh token from it."""
        app = self.config.app_url
        form = languages.localize_path("/mitmachen/", language)
        marker = f'action="{form}"'
        if marker not in text:
            raise BuildError(f"{form}: Formular nicht gefunden ({marker}).")
        text = text.replace(marker, f'action="{app}{form}" data-token-url="{app}{form}token"', 1)
        # The token rendered now would be stale (and single-use); the script fetches one.
        return re.sub(r'(<input type="hidden" name="token" value=")[^"]*(")', r"\1\2", text)
