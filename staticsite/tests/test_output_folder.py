"""The build replaces only an output folder it made, removes only files inside it, and its
lock file cannot be turned against another file (issue 19, finding 2)."""

import json

from django.core.management import CommandError, call_command

import pytest

from staticsite.builder import BuildConfig, full_build
from staticsite.incremental import incremental_build
from staticsite.output import MANIFEST_DIR, MANIFEST_NAME, BuildError, build_lock, swap_in

pytestmark = pytest.mark.django_db

BASE_URL = "https://www.kreativorte.example/"


def _build(output, **options):
    call_command(
        "build_frontend",
        output=str(output),
        base_url=BASE_URL,
        app_url="https://cms.kreativorte.example",
        workers=1,
        verbosity=0,
        **options,
    )


def _manifest(folder):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MANIFEST_DIR).mkdir()
    (folder / MANIFEST_DIR / MANIFEST_NAME).write_text('{"version": 1, "pages": {}}')


def test_a_folder_the_build_did_not_make_is_refused(home_page, tmp_path):
    output = tmp_path / "documents"
    output.mkdir()
    (output / "thesis.odt").write_text("three years of work")
    with pytest.raises(CommandError, match=r"ist nicht leer und stammt nicht von diesem Bau"):
        _build(output)
    with pytest.raises(CommandError, match=r"--force"):
        _build(output)
    assert (output / "thesis.odt").read_text() == "three years of work"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".documents.lock", "documents"]


def test_force_keeps_the_previous_content_beside_the_output(home_page, tmp_path, capsys):
    output = tmp_path / "site"
    output.mkdir()
    (output / "notes.txt").write_text("keep me")
    call_command(
        "build_frontend",
        output=str(output),
        base_url=BASE_URL,
        app_url="https://cms.kreativorte.example",
        workers=1,
        force=True,
    )
    assert (output / "index.html").is_file()
    assert not (output / "notes.txt").exists()
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("site.vorher-")]
    assert len(kept) == 1
    assert (kept[0] / "notes.txt").read_text() == "keep me"
    assert str(kept[0]) in capsys.readouterr().err
    # From now on the folder is the build's own: no --force needed, nothing kept aside.
    _build(output)
    assert len([p for p in tmp_path.iterdir() if p.name.startswith("site.vorher-")]) == 1


def test_folders_of_the_application_are_refused_even_with_force(home_page, tmp_path, settings):
    project = tmp_path / "project"
    settings.MEDIA_ROOT = project / "media"
    (project / "media" / "images").mkdir(parents=True)
    (project / "media" / "images" / "a.jpg").write_bytes(b"photo")
    for output in (project, project / "media", project / "media" / "site"):
        with pytest.raises(CommandError, match=r"einen Ordner der Anwendung"):
            _build(output, force=True)
    assert (project / "media" / "images" / "a.jpg").read_bytes() == b"photo"
    assert sorted(p.name for p in (project / "media").iterdir()) == ["images"]


def test_a_crafted_manifest_removes_nothing_outside_the_output(home_page, tmp_path):
    output = tmp_path / "site"
    config = BuildConfig(
        output=output, base_url=BASE_URL, app_url="https://cms.kreativorte.example"
    )
    full_build(config)
    outside = tmp_path / "outside"
    outside.mkdir()
    victims = {name: outside / f"{name}.txt" for name in ("up", "absolute", "gone", "link")}
    for victim in victims.values():
        victim.write_text("precious")
    (output / "escape").symlink_to(outside)
    manifest_file = output / MANIFEST_DIR / MANIFEST_NAME
    data = json.loads(manifest_file.read_text())
    entry = {"links": [], "static": {}, "media": []}
    # Not reachable from any page: an incremental build removes their files …
    data["pages"]["/unreachable-1/"] = {**entry, "file": "../outside/up.txt"}
    data["pages"]["/unreachable-2/"] = {**entry, "file": str(victims["absolute"])}
    data["pages"]["/unreachable-3/"] = {**entry, "file": "escape/link.txt"}
    # … and so it does for a page that is gone (404) when it is rendered again.
    data["pages"]["/gone/"] = {**entry, "file": "../outside/gone.txt"}
    manifest_file.write_text(json.dumps(data))

    incremental_build(config, {"/gone/", "/"})

    for victim in victims.values():
        assert victim.read_text() == "precious", victim
    assert (output / "index.html").is_file()


def test_the_lock_file_follows_no_symbolic_link(home_page, tmp_path):
    precious = tmp_path / "db.sqlite3"
    precious.write_bytes(b"all the data")
    output = tmp_path / "site"
    (tmp_path / ".site.lock").symlink_to(precious)
    with pytest.raises(BuildError, match=r"Sperrdatei"), build_lock(output):
        pass
    with pytest.raises(CommandError, match=r"Sperrdatei"):
        _build(output)
    assert precious.read_bytes() == b"all the data"
    assert not output.exists()


def test_the_swap_removes_only_what_a_build_made(tmp_path):
    output = tmp_path / "site"
    # An earlier build's output goes.
    _manifest(output)
    new = tmp_path / ".site.new-1"
    _manifest(new)
    (new / "index.html").write_text("new")
    assert swap_in(new, output, "ours") is None
    assert (output / "index.html").read_text() == "new"
    assert not new.exists()
    # Content that no build made (it appeared after the check, or --force) is kept.
    (output / MANIFEST_DIR / MANIFEST_NAME).unlink()
    (output / "own.txt").write_text("mine")
    newer = tmp_path / ".site.new-2"
    _manifest(newer)
    kept = swap_in(newer, output, "ours")
    assert kept is not None and (kept / "own.txt").read_text() == "mine"
    assert (output / MANIFEST_DIR / MANIFEST_NAME).is_file()
