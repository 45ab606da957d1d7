"""The output folder of the static build: which paths may be written or removed in it, which
folder may be replaced by a build, the lock, and the atomic swap.

The build replaces the output folder as a whole. It does so only for a folder that an
earlier build made (it holds the build's manifest), an empty one, or — with ``--force`` — a
folder with other content, which is then kept beside the output instead of being deleted.
It never touches the project's own folders (code, media, private media, static files, the
SQLite database). Every path inside the output that comes from a URL or from the manifest
(a file on disk that anyone with access to the folder can edit) is checked to stay inside
the output before anything is written or removed.

The manifest (``.staticsite/manifest.json``) keeps, for each URL, its file and its links, so
that an incremental build re-renders only what a change touches.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import gc
import logging
import os
import shutil
import stat
import sys
import tempfile
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from django.conf import settings

import orjson

logger = logging.getLogger(__name__)

MANIFEST_DIR = ".staticsite"
MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1


class BuildError(Exception):
    """The build cannot finish; the message says why."""


def safe_relative(name) -> str | None:
    """``name`` if it is a plain relative path (``a/b.jpg``): no ``..``, ``.`` or empty
    segments, no leading slash, backslash, NUL or percent sign (a static host decodes
    percent signs once more); otherwise ``None``. Every path below the output folder,
    ``MEDIA_ROOT`` or the static files that comes from a URL or the manifest passes here."""
    if not isinstance(name, str) or not name or any(c in name for c in "\\\x00%"):
        return None
    if any(segment in ("", ".", "..") for segment in name.split("/")):
        return None
    return name


def output_path(root: Path, name) -> Path | None:
    """``root / name`` if ``name`` is a plain relative path whose folder stays inside
    ``root`` also after following symbolic links; otherwise ``None``."""
    if safe_relative(name) is None:
        return None
    target = root / name
    try:
        inside = target.parent.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return None
    return target if inside else None


def remove_output_file(root: Path, name) -> bool:
    """Remove the output file ``name`` if it lies inside ``root``; a name that does not
    (a manifest can name any path) is left alone. Whether the name was one of the output."""
    target = output_path(root, name)
    if target is None:
        return False
    with contextlib.suppress(FileNotFoundError, IsADirectoryError, PermissionError):
        if not target.is_dir() or target.is_symlink():
            target.unlink()
    return True


@contextmanager
def without_cyclic_gc():
    """For building or reading many small objects at once, none of which can form a cycle:
    the cyclic garbage collector would scan them again and again meanwhile."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@without_cyclic_gc()
def _read_manifest(folder: Path) -> dict | None:
    """The manifest of this build (any version) in ``folder``: a regular file (no symbolic
    link) with a JSON object of a version number and the pages; ``None`` if there is none."""
    manifest = folder / MANIFEST_DIR / MANIFEST_NAME
    try:
        if not stat.S_ISDIR((folder / MANIFEST_DIR).lstat().st_mode):
            return None
        if not stat.S_ISREG(manifest.lstat().st_mode):
            return None
        data = orjson.loads(manifest.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    if (
        isinstance(data, dict)
        and isinstance(data.get("version"), int)
        and isinstance(data.get("pages"), dict)
    ):
        return data
    return None


def check_location(output: Path) -> None:
    """Raise ``BuildError`` if ``output`` is the file system's root, a folder of the
    application (code, media, private media, static files, the SQLite database) or holds one,
    or lies inside media, private media or static files."""
    if output.parent == output:
        raise BuildError(f"Das Wurzelverzeichnis {output} kann kein Ausgabeordner sein.")
    # (folder, whether the output may not lie inside it either)
    folders = [(Path(settings.BASE_DIR), False)]
    with contextlib.suppress(RuntimeError, KeyError):
        folders.append((Path.home(), False))
    folders += [
        (Path(settings.MEDIA_ROOT), True),
        (Path(settings.STATIC_ROOT), True),
        (Path(settings.APPLICATIONS_PRIVATE_ROOT), True),
    ]
    for database in settings.DATABASES.values():
        name = str(database.get("NAME") or "")
        if database.get("ENGINE", "").endswith("sqlite3") and name.startswith("/"):
            folders.append((Path(name), False))
    for folder, inside in folders:
        folder = folder.resolve()
        if (
            output == folder
            or folder.is_relative_to(output)
            or (inside and output.is_relative_to(folder))
        ):
            raise BuildError(
                f"Der Ausgabeordner {output} ist oder enthält {folder}, einen Ordner der "
                "Anwendung; bitte einen eigenen Ordner für die statische Website wählen."
            )


def previous_output(output: Path, force: bool) -> str:
    """What ``output`` holds before a full build replaces it: ``"none"``, ``"empty"``,
    ``"ours"`` (an earlier build's) or, only with ``force``, ``"foreign"``. Raises
    ``BuildError`` for a folder that must not be replaced."""
    check_location(output)
    try:
        info = output.lstat()
    except FileNotFoundError:
        return "none"
    if not stat.S_ISDIR(info.st_mode):
        raise BuildError(f"{output} ist kein Ordner (Datei oder symbolischer Link).")
    if not any(output.iterdir()):
        return "empty"
    if _read_manifest(output) is not None:
        return "ours"
    if force:
        return "foreign"
    raise BuildError(
        f"Der Ausgabeordner {output} ist nicht leer und stammt nicht von diesem Bau "
        f"({MANIFEST_DIR}/{MANIFEST_NAME} fehlt). Ein Bau ersetzt den ganzen Ordner: bitte "
        "einen leeren oder neuen Ordner angeben, oder mit --force bauen (der bisherige "
        "Inhalt wird dann neben den Ausgabeordner verschoben, nicht gelöscht)."
    )


@contextmanager
def build_lock(output: Path):
    """One build at a time per output folder (full or incremental, any process). The lock
    file beside the output is opened without following a symbolic link and never
    truncated: a link planted there cannot make the build write to another file."""
    check_location(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    lock_path = output.parent / f".{output.name}.lock"
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(lock_path, flags, 0o600)
    except OSError as exc:
        raise BuildError(
            f"Die Sperrdatei {lock_path} lässt sich nicht sicher öffnen "
            f"(symbolischer Link?): {exc.strerror}"
        ) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise BuildError(f"Die Sperrdatei {lock_path} ist keine gewöhnliche Datei.")
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


_RENAME_EXCHANGE = 2


def _exchange(new: Path, output: Path) -> bool:
    """Swap the two folders atomically (Linux ``renameat2(RENAME_EXCHANGE)``, from the C
    library the process already holds)."""
    renameat2 = getattr(ctypes.CDLL(None), "renameat2", None) if sys.platform == "linux" else None
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(new), at_fdcwd, os.fsencode(output), _RENAME_EXCHANGE)
    return result == 0


def swap_in(new: Path, output: Path, previous: str) -> Path | None:
    """Put the build folder ``new`` in place of ``output`` (which holds ``previous``, see
    ``previous_output``): atomically where the system can, else by two renames that are
    undone if the second fails. The previous content is removed only if an earlier build
    made it (checked again now) or it is an empty folder; other content is moved beside the
    output, and its new place is returned."""
    if previous == "none" and not os.path.lexists(output):
        os.rename(new, output)
        return None
    if _exchange(new, output):
        old = new  # now holds the previous output
    else:
        old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
        os.rename(output, old)  # onto the empty folder just made
        try:
            os.rename(new, output)
        except BaseException:
            os.rename(old, output)
            raise
    return _dispose(old, output)


def _dispose(old: Path, output: Path) -> Path | None:
    """Remove the previous output ``old`` if it is a build's or empty; else keep it."""
    if _read_manifest(old) is not None:
        shutil.rmtree(old)
        return None
    with contextlib.suppress(OSError):
        old.rmdir()  # only if empty
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = output.with_name(f"{output.name}.vorher-{stamp}")
    counter = 1
    while os.path.lexists(kept):
        counter += 1
        kept = output.with_name(f"{output.name}.vorher-{stamp}-{counter}")
    os.rename(old, kept)
    return kept


def write_if_changed(target: Path, data: bytes) -> bool:
    """Write unless the file already holds exactly ``data`` (keeps its mtime, so syncing to a
    host or purging a CDN touches only what really changed)."""
    with contextlib.suppress(FileNotFoundError):
        if target.stat().st_size == len(data) and target.read_bytes() == data:
            return False
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


def remove_empty_dirs(root: Path, removed_files) -> None:
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


def load_manifest(root: Path) -> dict | None:
    """The manifest of the build in ``root`` (``None``: none, another version or unreadable).
    Entries whose file is not a plain path inside the output are dropped: the build never
    writes or removes a file a manifest names outside it."""
    data = _read_manifest(root)
    if data is None or data["version"] != MANIFEST_VERSION:
        return None
    pages = data["pages"]
    for key, entry in list(pages.items()):
        if not isinstance(entry, dict) or safe_relative(entry.get("file")) is None:
            logger.warning("Statische Website: Manifest-Eintrag %r ungültig, ignoriert", key)
            del pages[key]
    return data


def save_manifest(root: Path, base_url: str, app_url: str, pages: dict) -> None:
    data = {"version": MANIFEST_VERSION, "base_url": base_url, "app_url": app_url, "pages": pages}
    write_atomic(
        root / MANIFEST_DIR / MANIFEST_NAME, orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
    )
