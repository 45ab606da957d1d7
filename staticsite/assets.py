"""The files beside the pages: the static files and media (image renditions) they use."""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import stat
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings

import orjson

from .output import BuildError, output_path, safe_relative
from .rewrite import RENDITIONS_FOLDER, find_static, rendition_name

if TYPE_CHECKING:
    from .builder import Summary

_CSS_URL = re.compile(r"""url\(\s*(['"]?)(?P<url>[^'")]+)\1\s*\)""")


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
            summary.warn(f"{name}: statische Datei mit unzulässigem Namen, ausgelassen")
            continue
        source = find_static(name)
        if source is None:
            raise BuildError(f"Statische Datei fehlt: {name}")
        _copy(source, root, f"static/{hashed}", summary, reuse)
        _copy_dependencies(name, source, root, summary, reuse, seen=set())
    media_root = Path(settings.MEDIA_ROOT)
    renditions = (media_root / RENDITIONS_FOLDER).resolve()
    for name in sorted(media):
        source = rendition_source(media_root, renditions, name)
        if source is None:
            summary.warn(f"/media/{name}: keine Bildvariante im MEDIA_ROOT, ausgelassen")
            continue
        _copy(source, root, f"media/{name}", summary, reuse)


#: Files a static file's code loads at run time without naming them in CSS: Leaflet's
#: default marker finds its folder through ``leaflet.css`` (``marker-icon.png``) and then loads
#: the retina icon and the shadow from there.
RUNTIME_FILES = {
    "vendor/leaflet/leaflet.css": (
        "vendor/leaflet/images/marker-icon-2x.png",
        "vendor/leaflet/images/marker-shadow.png",
    ),
}


def _copy_dependencies(name, source, root, summary, reuse, seen: set) -> None:
    """What the static file ``name`` refers to relatively (``url()`` in CSS, also of an
    imported CSS file; the icons of a web app manifest) and ``RUNTIME_FILES``, each next to
    the hashed file (``static/<name>``), where its relative reference resolves."""
    if name.endswith(".css"):
        dependencies = css_dependencies(name, source.read_text("utf-8", "replace"))
    elif name.endswith((".webmanifest", "manifest.json")):
        dependencies = manifest_dependencies(name, source.read_text("utf-8", "replace"))
    else:
        dependencies = []
    for dependency in [*dependencies, *RUNTIME_FILES.get(name, ())]:
        if dependency in seen:
            continue
        seen.add(dependency)
        if safe_relative(dependency) is None:
            summary.warn(f"{name}: Verweis auf {dependency} ausgelassen")
            continue
        dep_source = find_static(dependency)
        if dep_source is None:
            raise BuildError(f"{name} verweist auf eine fehlende Datei: {dependency}")
        _copy(dep_source, root, f"static/{dependency}", summary, reuse)
        _copy_dependencies(dependency, dep_source, root, summary, reuse, seen)


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
        summary.warn(f"{name}: Ziel außerhalb des Ausgabeordners, ausgelassen")
        return
    info = source.stat()
    summary.bytes += info.st_size
    if _own_copy(target, info, same_time=False):
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


def css_dependencies(name: str, content: str) -> list[str]:
    """Static names a CSS file refers to relatively (Leaflet's images, fonts), without the
    query or fragment of the reference (``font.woff2?v=2``, ``icons.svg#pin``). A
    root-relative ``url(/…)`` comes back as it is (``safe_relative`` refuses it: it would
    miss the files under a sub-path)."""
    urls = (match.group("url").strip() for match in _CSS_URL.finditer(content))
    names = (_relative_name(name, url) for url in urls)
    return [found for found in names if found]


def manifest_dependencies(name: str, content: str) -> list[str]:
    """Static names a web app manifest's icons refer to relatively."""
    try:
        icons = orjson.loads(content).get("icons", [])
    except (ValueError, AttributeError):
        return []
    sources = [icon.get("src") for icon in icons if isinstance(icon, dict)]
    names = (_relative_name(name, src) for src in sources if isinstance(src, str))
    return [found for found in names if found]


def _relative_name(name: str, url: str) -> str | None:
    """The static name of ``url`` relative to the static file ``name``; ``None`` for what is
    no file of ours (``data:``, another host, a fragment only)."""
    if not url or url.startswith(("data:", "http:", "https:", "//", "#")):
        return None
    if url.startswith("/"):
        return url
    path = urlsplit(url).path
    return posixpath.normpath(posixpath.join(posixpath.dirname(name), path)) if path else None
