"""Backup and restore of everything that cannot be rebuilt: the database and the uploaded files.

A backup is one folder (``backups/kreativorte-<UTC time>/``)::

    manifest.json          what is inside, counts, checksums, the database engine
    database.dump          PostgreSQL: pg_dump custom format (pg_restore reads it)
    database.sqlite3       SQLite: a consistent copy made with SQLite's online backup API
    media.tar.gz           MEDIA_ROOT: original images, renditions, documents (local disk only)
    private-media.tar.gz   APPLICATIONS_PRIVATE_ROOT: applicants' photos (never public)

With S3 media (``AWS_STORAGE_BUCKET_NAME``) the bucket is backed up by the object store
(versioning, or ``aws s3 sync``/``rclone``); see docs/deployment.md.

Restore replaces the database's content and the two folders; folders that exist are kept
beside the restored ones as ``<folder>.before-restore-<time>`` (nothing is deleted).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.db import connection, connections

from wagtail.images import get_image_model
from wagtail.models import Page, Revision

MANIFEST = "manifest.json"


class BackupError(RuntimeError):
    pass


def _postgres(program: str, *arguments: str) -> None:
    """Run the PostgreSQL client ``program`` (pg_dump, pg_restore) on the database."""
    params = connection.settings_dict
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    user = quote(str(params.get("USER") or "postgres"))
    url = f"postgresql://{user}@{host}:{port}/{quote(str(params['NAME']))}"
    subprocess.run([_tool(program), *arguments, f"--dbname={url}"], env=env, check=True)


def _tool(name: str) -> str:
    newest = max(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), default=None)
    found = shutil.which(name) or newest
    if not found:
        raise BackupError(f"{name} fehlt (Debian: apt-get install postgresql-client).")
    return str(found)


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _counts() -> dict:
    """What the manifest counts; a restore must give the same numbers."""
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        # The applications app sits above core: its model by name, not by import.
        "applications": apps.get_model("applications", "Application").objects.count(),
    }


def _local_media() -> bool:
    backend = settings.STORAGES["default"]["BACKEND"]
    return backend == "django.core.files.storage.FileSystemStorage"


# A backup holds the whole database (password hashes, applicants' data) and the private
# photos: only the account that runs it may read it, whatever the umask says.
FOLDER_MODE = 0o700
FILE_MODE = 0o600


def _copy_sqlite(source, target) -> None:
    """A consistent copy of an SQLite database (SQLite's online backup API)."""
    with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)


def _tar(source: Path, target: Path) -> None:
    with tarfile.open(target, "w:gz") as archive:
        if source.exists():
            archive.add(source, arcname=".")


def create_backup(output: Path) -> Path:
    """Writes a backup folder below ``output`` and returns its path (owner-only)."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    output = Path(output)
    if not output.exists():
        output.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        os.chmod(output, FOLDER_MODE)
    folder = output / f"kreativorte-{stamp}"
    folder.mkdir(mode=FOLDER_MODE, exist_ok=False)
    os.chmod(folder, FOLDER_MODE)  # before anything is written into it
    vendor = connection.vendor
    if vendor == "postgresql":
        database_file = "database.dump"
        _postgres("pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                  f"--file={folder / database_file}")  # fmt: skip
    elif vendor == "sqlite":
        database_file = "database.sqlite3"
        _copy_sqlite(connection.settings_dict["NAME"], folder / database_file)
    else:
        raise BackupError(f"Datenbank {vendor} wird nicht unterstützt.")

    files = {database_file: None}
    if _local_media():
        _tar(Path(settings.MEDIA_ROOT), folder / "media.tar.gz")
        files["media.tar.gz"] = None
    if "applications" not in settings.STORAGES:  # else a private bucket, backed up there
        _tar(Path(settings.APPLICATIONS_PRIVATE_ROOT), folder / "private-media.tar.gz")
        files["private-media.tar.gz"] = None
    manifest = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": vendor,
        "media": "local" if _local_media() else "object storage (not in this backup)",
        "counts": _counts(),
        "files": {name: _sha256(folder / name) for name in files},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    for name in (*files, MANIFEST):
        os.chmod(folder / name, FILE_MODE)
    return folder


def read_manifest(folder: Path) -> dict:
    path = Path(folder) / MANIFEST
    if not path.exists():
        raise BackupError(f"{folder} ist keine Sicherung (manifest.json fehlt).")
    manifest = json.loads(path.read_text())
    for name, digest in manifest["files"].items():
        if _sha256(Path(folder) / name) != digest:
            raise BackupError(f"{name} ist beschädigt (Prüfsumme stimmt nicht).")
    return manifest


def _restore_folder(archive: Path, target: Path, stamp: str, *, private: bool = False) -> None:
    if target.exists():
        kept = target.with_name(f"{target.name}.before-restore-{stamp}")
        target.rename(kept)
        if private:
            os.chmod(kept, FOLDER_MODE)
    target.mkdir(parents=True)
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(target, filter="data")
    if private:  # applicants' photos: owner-only, also from backups made before this rule
        for path in (target, *target.rglob("*")):
            if not path.is_symlink():
                os.chmod(path, FOLDER_MODE if path.is_dir() else FILE_MODE)


def restore_backup(folder: Path) -> dict:
    folder = Path(folder)
    manifest = read_manifest(folder)
    vendor = connection.vendor
    if manifest["database"] != vendor:
        raise BackupError(
            f"Die Sicherung ist aus {manifest['database']}, die Datenbank ist {vendor}."
        )
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    connections.close_all()
    if vendor == "postgresql":
        _postgres("pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                  "--single-transaction", "--exit-on-error",
                  str(folder / "database.dump"))  # fmt: skip
        # pg_restore leaves no planner statistics; until autovacuum gathers them, queries
        # with subqueries over the page tree can take seconds.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        _copy_sqlite(folder / "database.sqlite3", connection.settings_dict["NAME"])
    if "media.tar.gz" in manifest["files"]:
        _restore_folder(folder / "media.tar.gz", Path(settings.MEDIA_ROOT), stamp)
    if "private-media.tar.gz" in manifest["files"]:
        _restore_folder(
            folder / "private-media.tar.gz",
            Path(settings.APPLICATIONS_PRIVATE_ROOT),
            stamp,
            private=True,
        )
    counts = _counts()
    if counts != manifest["counts"]:
        raise BackupError(f"Nach dem Zurückspielen: {counts}, erwartet {manifest['counts']}.")
    return manifest
