"""Publishing, unpublishing and moving a place update exactly what shows it."""

import json
from decimal import Decimal

from django.core.management import call_command
from django.test import override_settings

import pytest

from places.factories import PlacePageFactory
from places.models import PlacePage
from regions.factories import RegionPageFactory
from staticsite.builder import BuildConfig, full_build
from staticsite.models import PendingPath
from staticsite.output import load_manifest
from staticsite.tests.builds import for_one_test
from tests.fixtures import make_home_page, make_region

pytestmark = pytest.mark.django_db

BASE_URL = "https://www.kreativorte.example/"
SETTINGS = {
    "STATICSITE_BASE_URL": BASE_URL,
    "STATICSITE_APP_URL": "https://cms.kreativorte.example",
}


@pytest.fixture(scope="module")
def built_site(module_db, tmp_path_factory):
    """Two regions far apart, four places each, built once for the module."""
    output = tmp_path_factory.mktemp("incremental") / "site"
    with module_db():
        home_page = make_home_page()
        region = make_region(home_page)
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
        with override_settings(STATICSITE_OUTPUT=str(output), **SETTINGS):
            full_build(BuildConfig.from_settings())
    return {"altmark": region, "harz": harz, "output": output}


@pytest.fixture
def site(built_site, db, tmp_path, settings):
    return for_one_test(built_site, tmp_path, settings, **SETTINGS)


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
    # Both regions' data files follow the move.
    harz = json.loads((output / "api" / "orte.region=harz.geojson").read_text())
    assert "Altmarkhof 3" in {f["properties"]["title"] for f in harz["features"]}
    altmark = json.loads((output / "api" / "orte.region=altmark.geojson").read_text())
    assert "Altmarkhof 3" not in {f["properties"]["title"] for f in altmark["features"]}


def test_a_renamed_field_reaches_the_static_site(site):
    """A field's name shows on its places' pages, on their cards (listings, other places'
    „Orte in der Nähe“) and in every listing's filter form: a rename records those paths
    with the change (it once reached only the page cache and the API)."""
    from places.factories import CategoryFactory
    from staticsite.changes import build_changed

    output, config = site["output"], site["config"]
    field = CategoryFactory(name="Werkstätten", slug="werkstaetten")
    place = PlacePage.objects.get(slug="harzhof-1")
    place.categories.add(field)
    place.save_revision().publish()
    build_changed(config)
    assert not PendingPath.objects.exists()

    field.name = "Offene Werkstätten"
    field.save()
    pending = dict(PendingPath.objects.values_list("path", "page_changed"))
    assert pending["/harz/harzhof-1/"] is True  # its page, and its card
    assert {"/orte/", "/altmark/", "/harz/", "/harz/harzhof-0/", "/api/orte.geojson"} <= set(
        pending
    )
    assert "/altmark/altmarkhof-0/" not in pending  # shows neither the place nor the field
    build_changed(config)
    assert "Offene Werkstätten" in (output / "harz" / "harzhof-1" / "index.html").read_text()
    assert "Offene Werkstätten" in (output / "orte" / "index.html").read_text()
    assert "Offene Werkstätten" in (output / "altmark" / "index.html").read_text()
