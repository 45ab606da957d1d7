"""Publishing, unpublishing and moving a place update exactly what shows it."""

import json
from decimal import Decimal

from django.core.management import call_command

import pytest

from places.factories import PlacePageFactory
from regions.factories import RegionPageFactory
from staticsite.builder import BuildConfig, full_build, load_manifest
from staticsite.models import PendingPath

pytestmark = pytest.mark.django_db

BASE_URL = "https://www.kreativorte.example/"


@pytest.fixture
def site(region, home_page, tmp_path, settings):
    """Two regions far apart, four places each, built once."""
    harz = RegionPageFactory(parent=home_page, title="Harz", slug="harz")
    for index in range(4):
        PlacePageFactory(
            parent=region,
            title=f"Altmarkhof {index}",
            slug=f"altmarkhof-{index}",
            latitude=Decimal("52.80") + Decimal(index) / 100,
            longitude=Decimal("11.10"),
        )
        PlacePageFactory(
            parent=harz,
            title=f"Harzhof {index}",
            slug=f"harzhof-{index}",
            latitude=Decimal("51.80") + Decimal(index) / 100,
            longitude=Decimal("10.60"),
            municipality="Wernigerode",
        )
    output = tmp_path / "site"
    settings.STATICSITE_OUTPUT = str(output)
    settings.STATICSITE_BASE_URL = BASE_URL
    settings.STATICSITE_APP_URL = "https://cms.kreativorte.example"
    config = BuildConfig.from_settings()
    full_build(config)
    return {"altmark": region, "harz": harz, "output": output, "config": config}


def _snapshot(output, prefix):
    return {
        str(path.relative_to(output)): (path.stat().st_mtime_ns, path.read_bytes())
        for path in sorted((output / prefix).rglob("*"))
        if path.is_file()
    }


def _texts(output):
    return {
        "region": (output / "altmark" / "index.html").read_text(),
        "orte": (output / "orte" / "index.html").read_text(),
        "geojson": (output / "api" / "orte.geojson").read_text(),
        "csv": (output / "api" / "orte.csv").read_text(),
        "feed": (output / "feeds" / "orte.atom").read_text(),
        "sitemap": (output / "sitemap.xml").read_text(),
        "home": (output / "index.html").read_text(),
        "search": (output / "suche" / "index.json").read_text(),
    }


def test_publish_and_unpublish_through_the_background_task(
    site, django_capture_on_commit_callbacks
):
    output = site["output"]
    harz_before = _snapshot(output, "harz")
    assert harz_before
    place = PlacePageFactory(
        parent=site["altmark"],
        title="Neuer Kulturbahnhof",
        slug="neuer-kulturbahnhof",
        latitude=Decimal("52.815"),
        longitude=Decimal("11.11"),
        live=False,
    )
    assert not (output / "altmark" / "neuer-kulturbahnhof").exists()

    with django_capture_on_commit_callbacks(execute=True):
        place.save_revision().publish()

    page_file = output / "altmark" / "neuer-kulturbahnhof" / "index.html"
    assert page_file.is_file()
    assert "Neuer Kulturbahnhof" in page_file.read_text()
    texts = _texts(output)
    for name, text in texts.items():
        if name not in ("sitemap", "home"):  # home: only new places with a photo
            assert "Neuer Kulturbahnhof" in text, name
    assert "Alle 9 Orte entdecken" in texts["home"]
    assert f"{BASE_URL}altmark/neuer-kulturbahnhof/" in texts["sitemap"]
    assert 'href="/altmark/neuer-kulturbahnhof/"' in texts["region"]
    # A nearby place now lists it under „Orte in der Nähe“.
    assert "Neuer Kulturbahnhof" in (output / "altmark" / "altmarkhof-1" / "index.html").read_text()
    # Pages of the other region were not touched at all.
    assert _snapshot(output, "harz") == harz_before
    assert not PendingPath.objects.exists()

    place.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        place.unpublish()

    assert not page_file.exists()
    assert not page_file.parent.exists()
    for name, text in _texts(output).items():
        assert "Neuer Kulturbahnhof" not in text, name
        assert "neuer-kulturbahnhof" not in text, name
    assert "Alle 8 Orte entdecken" in _texts(output)["home"]
    assert (
        "Neuer Kulturbahnhof"
        not in (output / "altmark" / "altmarkhof-1" / "index.html").read_text()
    )
    assert _snapshot(output, "harz") == harz_before
    manifest = load_manifest(output)["pages"]
    assert "/altmark/neuer-kulturbahnhof/" not in manifest


def test_changed_option_builds_what_is_pending(site):
    output = site["output"]
    place = PlacePageFactory(
        parent=site["harz"],
        title="Spätes Atelier",
        slug="spaetes-atelier",
        latitude=Decimal("51.815"),
        longitude=Decimal("10.61"),
        live=False,
    )
    # Without a commit the task never ran: the paths wait in the table.
    place.save_revision().publish()
    pending = set(PendingPath.objects.values_list("path", flat=True))
    assert {"/harz/spaetes-atelier/", "/harz/", "/orte/", "/api/orte.geojson"} <= pending
    assert "/altmark/" not in pending

    call_command("build_frontend", "--changed", verbosity=0)

    assert (output / "harz" / "spaetes-atelier" / "index.html").is_file()
    assert "Spätes Atelier" in (output / "harz" / "index.html").read_text()
    features = json.loads((output / "api" / "orte.geojson").read_text())["features"]
    assert "Spätes Atelier" in {f["properties"]["title"] for f in features}
    assert not PendingPath.objects.exists()


def test_move_to_another_region(site, django_capture_on_commit_callbacks):
    output = site["output"]
    place = site["altmark"].get_children().specific().get(slug="altmarkhof-3")
    with django_capture_on_commit_callbacks(execute=True):
        place.move(site["harz"], pos="last-child")
    assert not (output / "altmark" / "altmarkhof-3").exists()
    assert (output / "harz" / "altmarkhof-3" / "index.html").is_file()
    assert 'href="/harz/altmarkhof-3/"' in (output / "harz" / "index.html").read_text()
    assert "Altmarkhof 3" not in (output / "altmark" / "index.html").read_text()
