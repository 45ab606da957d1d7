"""A small link checker for the generated site, served over HTTP like a static host.

LinkChecker (PyPI) was tried: it runs offline, but it ignores ``<source srcset>`` (every
WebP/AVIF rendition) and the ``data-*`` URLs of the maps, and it needed ~90 s for the demo
(it paces its requests). This checker follows every internal URL in ``href``, ``src``,
``srcset``, ``action`` (GET forms), ``data-*`` URLs, ``url()`` in CSS and ``"url"`` in GeoJSON,
and reports each one that does not answer 200.
"""

from __future__ import annotations

import functools
import json
import re
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


class _QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".geojson": "application/geo+json",
        ".atom": "application/atom+xml",
        ".webp": "image/webp",
        ".avif": "image/avif",
    }

    def log_message(self, format, *args):
        pass


@contextmanager
def serve(directory: Path):
    """``python -m http.server`` for ``directory`` on 127.0.0.1 (a free port), in a thread."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if value is None:
                continue
            if name in ("href", "src", "poster") or (
                name.startswith("data-") and value.startswith(("/", "http"))
            ):
                self.urls.append(value)
            elif name == "srcset":
                self.urls.extend(part.strip().split()[0] for part in value.split(",") if part)
            elif name == "action" and tag == "form" and attrs.get("method", "get") == "get":
                self.urls.append(value)


def check_site(start: str, *, prefix: str | None = None) -> tuple[list[tuple], set[str]]:
    """Crawl from ``start``; internal URLs are those below ``prefix`` (default: ``start``).
    Returns ``(broken, checked)``: ``broken`` holds ``(page, url, status)``."""
    prefix = prefix or start
    queue = [start]
    status: dict[str, int] = {}
    broken = []
    sources: dict[str, str] = {start: "(start)"}
    while queue:
        url = queue.pop()
        if url in status:
            continue
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                code = response.status
                body = response.read()
                content_type = response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            code, body, content_type = exc.code, b"", ""
        status[url] = code
        if code != 200:
            broken.append((sources.get(url), url, code))
            continue
        found: list[str] = []
        if content_type.startswith("text/html"):
            parser = _Links()
            parser.feed(body.decode("utf-8"))
            found = parser.urls
        elif content_type.startswith("text/css"):
            found = [m.group(2) for m in _CSS_URL.finditer(body.decode("utf-8", "replace"))]
        elif "geo+json" in content_type:
            data = json.loads(body)
            found = [f["properties"]["url"] for f in data.get("features", [])]
        for link in found:
            if link.startswith(("data:", "mailto:", "tel:", "#")):
                continue
            absolute = urldefrag(urljoin(url, link)).url
            if not absolute.startswith(prefix):
                if urlsplit(absolute).netloc == urlsplit(prefix).netloc:
                    # Same server, outside the site (a root-relative link under a sub-path).
                    broken.append((url, absolute, "outside the base URL"))
                continue
            if absolute not in status:
                sources.setdefault(absolute, url)
                queue.append(absolute)
    return broken, set(status)


def check_tree(output: Path, base_url: str) -> tuple[list[tuple], int]:
    """Every file of the built tree ``output`` (published at ``base_url``), read from disk:
    each URL on our base in its HTML (as ``check_site`` follows them, and ``<link>`` icons and
    manifests, also on pages no link reaches, such as ``404.html``) and in ``url()`` of its
    CSS files names a file of the tree. Returns ``(missing, checked)``: ``missing`` holds
    ``(file, url)``."""
    base = urlsplit(base_url)
    missing, checked = [], 0
    for path in sorted(output.rglob("*")):
        if path.suffix not in (".html", ".css") or not path.is_file():
            continue
        relative = path.relative_to(output).as_posix()
        page_url = urljoin(base_url, relative)
        text = path.read_text("utf-8")
        if path.suffix == ".html":
            parser = _Links()
            parser.feed(text)
            found = parser.urls
        else:
            found = [m.group(2) for m in _CSS_URL.finditer(text)]
        for link in found:
            if link.startswith(("data:", "mailto:", "tel:", "#")):
                continue
            target = urlsplit(urldefrag(urljoin(page_url, link)).url)
            if (target.scheme, target.netloc) != (base.scheme, base.netloc):
                continue  # another host (the application server, OpenStreetMap)
            checked += 1
            if not target.path.startswith(base.path):
                missing.append((relative, link))
                continue
            name = unquote(target.path[len(base.path) :])
            if name == "" or name.endswith("/"):
                name += "index.html"
            if not (output / name).is_file():
                missing.append((relative, link))
    return missing, checked
