"""What the static build publishes from links editors wrote, and what it does with a link
that does not lead to a page (issue 19, findings 1 and 10)."""

import csv
import io
import os
from decimal import Decimal

from django.core.management import call_command
from django.test import Client

import pytest

from home.factories import ContentPageFactory
from places.factories import PlacePageFactory
from staticsite.builder import BuildConfig, full_build
from staticsite.incremental import incremental_build
from staticsite.output import BuildError, load_manifest
from staticsite.render import Renderer

pytestmark = pytest.mark.django_db

BASE_URL = "https://www.kreativorte.example/"
SECRET = b"SECRET_KEY=do-not-publish\n"

#: Links to files that the static site must never hold: refused by the URL rewriter …
REFUSED_LINKS = [
    "/media/../secret.env",
    "/media/%2e%2e/secret.env",
    "/media/images/../../secret.env",
    "/media/images/%2E%2E/original_images/photo.jpg",
    "/media/original_images/photo.jpg",
    "/media/documents/private.pdf",
    "/static/../../secret.env",
]
#: … and when the files are copied (the link stays, a dead one on the static host).
NOT_COPIED = [
    "/media/images/outside.jpg",  # a symbolic link out of the renditions folder
    "/media/images/missing.jpg",
]
#: Internal links that do not answer 200: a redirect (no slash) and a client error.
BAD_LINKS = ["/altmark", "/orte/?region=gibt-es-nicht"]


@pytest.fixture
def media(tmp_path, settings):
    """A MEDIA_ROOT with one rendition, an original, a private document, a symbolic link out
    of the renditions and, beside it, a file of secrets (as a .env or the SQLite database)."""
    root = tmp_path / "media"
    for folder in ("images", "original_images", "documents"):
        (root / folder).mkdir(parents=True)
    (tmp_path / "secret.env").write_bytes(SECRET)
    (root / "images" / "rendition.jpg").write_bytes(b"rendition")
    (root / "original_images" / "photo.jpg").write_bytes(SECRET)
    (root / "documents" / "private.pdf").write_bytes(SECRET)
    (root / "images" / "outside.jpg").symlink_to(tmp_path / "secret.env")
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def leaky_site(media, region, tmp_path, settings):
    """One region, two places whose websites point at our own host, one content page whose
    introduction links everything above, built once."""
    home = region.get_parent()
    PlacePageFactory(
        parent=region,
        title="Hof mit Geheimnis",
        slug="hof-mit-geheimnis",
        website="http://localhost/media/../secret.env",
    )
    PlacePageFactory(
        parent=region,
        title="Werkstatthof",
        slug="werkstatthof",
        latitude=Decimal("52.86"),
        website="https://localhost/orte/?tag=werkstatt",
        email="anna@example.org",
        phone="0391 123 45",
        contact_person="Anna Muster",
    )
    links = "".join(
        f'<p><a href="{url}">Link {index}</a></p>'
        for index, url in enumerate(
            [*REFUSED_LINKS, *NOT_COPIED, "/media/images/rendition.jpg", *BAD_LINKS]
        )
    )
    ContentPageFactory(parent=home, title="Links", slug="links", intro=links)
    output = tmp_path / "site"
    settings.STATICSITE_OUTPUT = str(output)
    settings.STATICSITE_BASE_URL = BASE_URL
    settings.STATICSITE_APP_URL = "https://cms.kreativorte.example"
    settings.STATICSITE_AUTO_BUILD = False
    config = BuildConfig.from_settings(workers=1)
    summary = full_build(config)
    return {"output": output, "config": config, "summary": summary, "region": region}


def _files(output):
    return [path for path in output.rglob("*") if not path.is_dir() or path.is_symlink()]


def test_only_renditions_are_published_and_as_copies(leaky_site, media, tmp_path):
    output, summary = leaky_site["output"], leaky_site["summary"]
    files = _files(output)
    assert not [path for path in files if path.is_symlink()]
    assert not [path for path in files if path.read_bytes() == SECRET]
    # Nothing was written beside the output either.
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "media",
        "secret.env",
        "site",
    ]
    copied = output / "media" / "images" / "rendition.jpg"
    assert copied.read_bytes() == b"rendition"
    # A copy, not a hard link to the file in MEDIA_ROOT.
    assert copied.stat().st_nlink == 1
    assert copied.stat().st_ino != (media / "images" / "rendition.jpg").stat().st_ino
    assert sorted(str(p.relative_to(output / "media")) for p in (output / "media").rglob("*")) == [
        "images",
        "images/rendition.jpg",
    ]
    # The links are left out of the pages, each with a warning; the build went on.
    page = (output / "links" / "index.html").read_text()
    assert "secret.env" not in page and "photo.jpg" not in page and "private.pdf" not in page
    assert "%2e%2e" not in page.lower()
    assert page.count('<a href="#">') == len(REFUSED_LINKS)
    assert 'href="/media/images/rendition.jpg"' in page
    place = (output / "altmark" / "hof-mit-geheimnis" / "index.html").read_text()
    assert "secret.env" not in place
    warnings = "\n".join(summary.skipped)
    for url in [*REFUSED_LINKS, *NOT_COPIED]:
        assert url in warnings, url
    manifest = load_manifest(output)["pages"]
    assert manifest["/links/"]["media"] == [
        "images/missing.jpg",
        "images/outside.jpg",
        "images/rendition.jpg",
    ]


def test_redirects_and_client_errors_are_left_out(leaky_site):
    """Finding 10: a linked redirect or 400 is left out with a warning, and an unpublished
    place still leaves the static site with the next build."""
    output, summary, config = leaky_site["output"], leaky_site["summary"], leaky_site["config"]
    warnings = "\n".join(summary.skipped)
    assert "/altmark: Weiterleitung (301) → /altmark/" in warnings
    assert "/orte/?region=gibt-es-nicht: antwortet mit 400" in warnings
    manifest = load_manifest(output)["pages"]
    assert "/altmark" not in manifest
    assert not [key for key in manifest if "gibt-es-nicht" in key]
    assert not (output / "altmark.html").exists() and not (output / "altmark").is_file()

    place = leaky_site["region"].get_children().get(slug="werkstatthof").specific
    place.unpublish()
    page = output / "altmark" / "werkstatthof" / "index.html"
    assert page.is_file()
    again = incremental_build(config, {"/altmark/werkstatthof/", "/altmark/", "/links/"})
    assert not page.exists()
    assert "/altmark: Weiterleitung (301) → /altmark/" in "\n".join(again.skipped)


def test_csv_cells_are_rewritten_whole(leaky_site):
    """Finding 10: a URL of our own host in a cell is rewritten as the whole cell; the cells
    after it stay as the live export has them."""
    output = leaky_site["output"]
    live = Client().get("/api/orte.csv").content.decode("utf-8-sig")
    built = (output / "api" / "orte.csv").read_text("utf-8-sig")
    assert (output / "api" / "orte.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    live_rows = list(csv.DictReader(io.StringIO(live, newline="")))
    built_rows = list(csv.DictReader(io.StringIO(built, newline="")))
    assert len(built_rows) == len(live_rows) == 2
    for live_row, built_row in zip(live_rows, built_rows, strict=True):
        assert len(built_row) == len(live_row)
        for column in live_row:
            if column not in ("website", "url"):
                assert built_row[column] == live_row[column], column
    by_title = {row["title"]: row for row in built_rows}
    row = by_title["Werkstatthof"]
    assert row["website"] == f"{BASE_URL}orte/schlagwort=werkstatt/"
    assert row["email"] == "anna@example.org"
    assert row["phone"] == "0391 123 45"
    assert row["url"] == f"{BASE_URL}altmark/werkstatthof/"
    assert by_title["Hof mit Geheimnis"]["website"] == ""


def test_command_reports_what_it_left_out(leaky_site, capsys):
    call_command("build_frontend", verbosity=1, workers=1)
    err = capsys.readouterr().err
    assert "Warnung: /altmark: Weiterleitung (301)" in err
    assert "Warnung: /media/../secret.env" in err


def test_hard_links_of_an_earlier_build_become_copies(leaky_site, media):
    """An output of the build before this fix holds hard links into MEDIA_ROOT: the next
    build replaces them by copies."""
    output = leaky_site["output"]
    target = output / "media" / "images" / "rendition.jpg"
    target.unlink()
    os.link(media / "images" / "rendition.jpg", target)
    incremental_build(leaky_site["config"], {"/links/"})
    assert target.stat().st_nlink == 1
    assert target.read_bytes() == b"rendition"


def test_a_server_error_of_our_own_fails_the_build(region, tmp_path):
    """A 5xx is the site's own fault (here a real one: the database does not answer in time,
    and the site shows its 503 page): the build stops, unlike for a redirect or a 400."""
    from django.db import connection

    config = BuildConfig(output=tmp_path / "site", base_url=BASE_URL, app_url="https://cms.x")
    renderer = Renderer(config, tmp_path / "site")
    if connection.vendor != "postgresql":
        # SQLite: the table is gone within this test's transaction (rolled back after it);
        # reading it raises OperationalError, which the site answers with its 503 page.
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE places_category RENAME TO places_category_away")
        with pytest.raises(BuildError, match=r"^/orte/ antwortet mit 503$"):
            renderer.render("/orte/")
        return
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        with other.cursor() as cursor:
            # A table this test's transaction has not touched yet (else the lock would wait).
            cursor.execute("SET lock_timeout = '2s'")
            cursor.execute("LOCK TABLE places_category IN ACCESS EXCLUSIVE MODE")
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '200ms'")
        with pytest.raises(BuildError, match=r"^/orte/ antwortet mit 503$"):
            renderer.render("/orte/")
    finally:
        other.rollback()
        other.close()
    assert not (tmp_path / "site" / "orte").exists()


def test_a_redirect_or_client_error_is_a_problem_not_a_failure(region, tmp_path):
    config = BuildConfig(output=tmp_path / "site", base_url=BASE_URL, app_url="https://cms.x")
    renderer = Renderer(config, tmp_path / "site")
    assert renderer.render("/altmark").problem == "Weiterleitung (301) → /altmark/"
    assert renderer.render("/orte/?region=nope").problem == "antwortet mit 400"
    assert not (tmp_path / "site").exists()
