"""`make backup` / `make restore` round trip on the dev stack (cms.settings.dev).

Content, revisions (a published one and a newer draft), images with their files and a
rendition, applications with a private photo: after damaging all of it, `make restore` brings
back exactly what `make backup` saw (same rows, same files, byte for byte).

The database is a private PostgreSQL instance (core/private_services.py) so that restoring
never touches the test database or the machine's server.
"""

import hashlib
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

from django.core.management import CommandError, call_command

import pytest

from core.backup import _restore_folder, create_backup
from core.tests.databases import private_copy_of_test_database

PROJECT_DIR = Path(__file__).resolve().parents[2]
DUMP_MODELS = [
    "wagtailcore.page",
    "wagtailcore.revision",
    "home",
    "regions",
    "places",
    "core.customimage",
    "core.customrendition",
    "applications",
]

CREATE_CONTENT = r"""
import django
django.setup()
from wagtail.models import Page
from applications.factories import ApplicationFactory, ApplicationPhotoFactory
from core.factories import CustomImageFactory
from home.factories import HomePageFactory
from places.factories import PlacePageFactory
from regions.factories import RegionPageFactory

home = HomePageFactory(parent=Page.get_first_root_node(), slug="sicherung", title="Startseite")
region = RegionPageFactory(parent=home, title="Altmark", slug="altmark")
image = CustomImageFactory(title="Gutshof im Sommer")
image.get_rendition("fill-120x80")
place = PlacePageFactory(
    parent=region, title="Gutshof Wiesengrund", slug="gutshof", hero_image=image
)
place.save_revision().publish()
place.title = "Gutshof Wiesengrund (überarbeitet)"
place.save_revision()  # a newer draft on top of the published revision
application = ApplicationFactory(region=region, place_name="Alte Scheune")
ApplicationPhotoFactory(application=application)
import sys
from django.core.management import call_command
call_command("dumpdata", *sys.argv[1:], stdout=sys.stdout)
"""

DAMAGE = r"""
import django
django.setup()
from wagtail.models import Page
from applications.models import Application
from core.models import CustomImage
Application.objects.all().delete()
image = CustomImage.objects.get()
image.file.storage.delete(image.file.name)
page = Page.objects.get(slug="gutshof").specific
page.title = "Kaputt"
page.save_revision().publish()
Page.objects.get(slug="altmark").specific.unpublish()
print("damaged")
"""


def tree_digest(root: Path) -> dict:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.mark.django_db
def test_make_backup_and_make_restore_round_trip(tmp_path):
    pg, url = private_copy_of_test_database("dev")
    try:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
            "DATABASE_URL": url,
            "MEDIA_ROOT": str(tmp_path / "media"),
            "APPLICATIONS_PRIVATE_ROOT": str(tmp_path / "private"),
        }

        def python(*args):
            result = subprocess.run(
                [sys.executable, *args], cwd=PROJECT_DIR, env=env, capture_output=True,
                text=True, timeout=120,
            )  # fmt: skip
            assert result.returncode == 0, result.stderr[-3000:]
            return result.stdout

        def make(*args):
            # -o: the virtualenv is the one running the tests; make must not reinstall it.
            result = subprocess.run(
                ["make", "-s", "-o", ".venv/.installed", f"PY={sys.executable}", *args],
                cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=180,
            )  # fmt: skip
            assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
            return result.stdout

        def snapshot(dump=None):
            if dump is None:
                dump = json.loads(python("manage.py", "dumpdata", *DUMP_MODELS))
            return {
                "rows": sorted(dump, key=lambda row: (row["model"], str(row["pk"]))),
                "media": tree_digest(tmp_path / "media"),
                "private": tree_digest(tmp_path / "private"),
            }

        before = snapshot(json.loads(python("-c", CREATE_CONTENT, *DUMP_MODELS)))
        models = {row["model"] for row in before["rows"]}
        assert {"places.placepage", "core.customrendition", "applications.applicationphoto"} <= (
            models
        )
        assert sum(row["model"] == "wagtailcore.revision" for row in before["rows"]) >= 2
        assert any(name.startswith("original_images/") for name in before["media"])
        assert any(name.startswith("images/") for name in before["media"])
        assert any(name.startswith("applications/") for name in before["private"])

        output = make("backup", f"BACKUP_DIR={tmp_path / 'backups'}")
        folder = next((tmp_path / "backups").iterdir())
        assert str(folder) in output
        manifest = json.loads((folder / "manifest.json").read_text())
        assert manifest["database"] == "postgresql"
        assert manifest["counts"]["applications"] == 1
        assert set(manifest["files"]) == {"database.dump", "media.tar.gz", "private-media.tar.gz"}

        assert python("-c", DAMAGE).strip().endswith("damaged")
        assert tree_digest(tmp_path / "media") != before["media"]

        make("restore", f"BACKUP={folder}", "YES=1")
        after = snapshot()
        assert after["rows"] == before["rows"]
        assert after["media"] == before["media"]
        assert after["private"] == before["private"]
        # Nothing was thrown away: the damaged folders are kept beside the restored ones.
        assert list(tmp_path.glob("media.before-restore-*"))
    finally:
        pg.cleanup()


def test_restore_refuses_a_damaged_backup(tmp_path):
    folder = tmp_path / "kreativorte-x"
    folder.mkdir()
    (folder / "database.dump").write_bytes(b"changed")
    (folder / "manifest.json").write_text(
        json.dumps({"files": {"database.dump": "0" * 64}, "counts": {}, "database": "sqlite"})
    )
    with pytest.raises(CommandError, match="beschädigt"):
        call_command("restore", str(folder), "--yes")


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.mark.django_db
def test_backups_are_owner_only(tmp_path, settings):
    """A backup holds password hashes and applicants' data: no other account may read it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.APPLICATIONS_PRIVATE_ROOT = tmp_path / "private"
    (tmp_path / "private" / "applications").mkdir(parents=True)
    (tmp_path / "private" / "applications" / "foto.jpg").write_bytes(b"jpeg")
    old_umask = os.umask(0o022)
    try:
        folder = create_backup(tmp_path / "backups")
    finally:
        os.umask(old_umask)
    assert _mode(tmp_path / "backups") == 0o700
    assert _mode(folder) == 0o700
    names = {path.name for path in folder.iterdir()}
    assert {"manifest.json", "database.dump", "private-media.tar.gz"} <= names
    for path in folder.iterdir():
        assert _mode(path) == 0o600, path.name


def test_restored_private_media_is_owner_only(tmp_path):
    source = tmp_path / "source" / "applications"
    source.mkdir(parents=True)
    (source / "foto.jpg").write_bytes(b"jpeg")
    os.chmod(source / "foto.jpg", 0o644)  # as backups made before this rule hold them
    archive = tmp_path / "private-media.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(tmp_path / "source", arcname=".")
    target = tmp_path / "private"
    target.mkdir(mode=0o755)  # the folder before the restore is kept beside, owner-only too
    os.chmod(target, 0o755)
    _restore_folder(archive, target, "x", private=True)
    assert _mode(tmp_path / "private.before-restore-x") == 0o700
    assert _mode(target) == 0o700
    assert _mode(target / "applications") == 0o700
    assert _mode(target / "applications" / "foto.jpg") == 0o600
