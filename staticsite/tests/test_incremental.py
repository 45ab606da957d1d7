"""Publishing, unpublishing and moving a place update exactly what shows it."""

import json
from datetime import UTC, datetime
from decimal import Decimal

from django.core.management import call_command

import pytest

from places.factories import PlacePageFactory
from places.models import PlacePage
from regions.factories import RegionPageFactory
from staticsite.builder import BuildConfig, full_build
from staticsite.models import PendingPath
from staticsite.output import load_manifest

pytestmark = pytest.mark.django_db

BASE_URL = "https://www.kreativorte.example/"
PUBLISHED = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


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


def _tree(folder):
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and ".staticsite" not in path.parts
    }


def _differences(left: dict, right: dict) -> dict:
    """File → the text around the first difference (for a readable assertion)."""
    result = {}
    for name in sorted(set(left) | set(right)):
        a, b = left.get(name), right.get(name)
        if a == b:
            continue
        if a is None or b is None:
            result[name] = "only in one tree"
            continue
        at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
        result[name] = (a[max(0, at - 80) : at + 80], b[max(0, at - 80) : at + 80])
    return result


@pytest.fixture
def paged_site(home_page, tmp_path, settings):
    """A tag listing of two pages (25 places of the Altmark), and one place in the Harz."""
    from website.listing import PER_PAGE

    altmark = RegionPageFactory(parent=home_page, title="Altmark", slug="altmark")
    harz = RegionPageFactory(parent=home_page, title="Harz", slug="harz")
    # Publishing dates, so that the feed does not fall back to "now" (it must be the same
    # in both builds that are compared).
    dates = {"first_published_at": PUBLISHED, "last_published_at": PUBLISHED}
    for index in range(PER_PAGE + 1):
        place = PlacePageFactory(
            parent=altmark,
            title=f"Altmarkhof {index:02}",
            slug=f"altmarkhof-{index:02}",
            latitude=Decimal("52.80") + Decimal(index) / 1000,
            longitude=Decimal("11.10"),
            **dates,
        )
        place.tags.add("Werkstatt")
        place.save()
    harzhof = PlacePageFactory(
        parent=harz,
        title="Harzhof",
        slug="harzhof",
        latitude=Decimal("51.80"),
        longitude=Decimal("10.60"),
        **dates,
    )
    harzhof.tags.add("Garten")
    harzhof.save()
    output = tmp_path / "site"
    settings.STATICSITE_OUTPUT = str(output)
    settings.STATICSITE_BASE_URL = BASE_URL
    settings.STATICSITE_APP_URL = "https://cms.kreativorte.example"
    settings.STATICSITE_AUTO_BUILD = False
    config = BuildConfig.from_settings()
    full_build(config)
    return {"altmark": altmark, "harz": harz, "output": output, "config": config}


def test_listing_pages_are_rebuilt_only_where_the_change_shows(paged_site, tmp_path):
    """The later pages of a listing whose first page came out unchanged are left alone —
    unless one of their cards is the changed page. Either way the output equals a full
    build's."""
    from dataclasses import replace

    from staticsite.changes import build_changed

    output, config = paged_site["output"], paged_site["config"]
    tag_page_2 = "/orte/?tag=werkstatt&page=2"
    assert tag_page_2 in load_manifest(output)["pages"]

    def full_build_tree(name):
        other = replace(config, output=tmp_path / name)
        full_build(other)
        return _tree(other.output)

    # A new place next to the last Werkstatt place: all of /orte/ and of the region shift,
    # the Werkstatt listing does not change; its last place's „Orte in der Nähe“ does (so it
    # is rebuilt), but not its card on the listing's second page.
    place = PlacePageFactory(
        parent=paged_site["altmark"],
        title="Bahnhof Altmark",
        slug="bahnhof-altmark",
        latitude=Decimal("52.8245"),
        longitude=Decimal("11.10"),
        live=False,
    )
    place.tags.add("Garten")
    place.save_revision().publish()
    summary = build_changed(config)
    assert "/altmark/altmarkhof-24/" in summary.rendered
    assert "/orte/?page=2" in summary.rendered
    assert "/altmark/?page=2" in summary.rendered
    assert "/orte/?tag=werkstatt" in summary.rendered
    assert tag_page_2 not in summary.rendered
    # The region's data files follow; those filtered to the other region cannot change.
    assert "/api/orte.geojson?region=altmark" in summary.rendered
    assert "/api/orte.geojson?region=harz" in load_manifest(output)["pages"]
    assert "/api/orte.geojson?region=harz" not in summary.rendered
    # A filtered GeoJSON lists only the places that match it: the new place is in the
    # Garten file; the Werkstatt file neither held it nor holds it now.
    assert "/api/orte.geojson?tag=garten" in summary.rendered
    assert "/api/orte.geojson?tag=werkstatt" in load_manifest(output)["pages"]
    assert "/api/orte.geojson?tag=werkstatt" not in summary.rendered
    assert _differences(_tree(output), full_build_tree("full-1")) == {}

    # A place on the Werkstatt listing's second page changes: its first page stays the
    # same, the second page must follow.
    last = PlacePage.objects.get(slug="altmarkhof-24")
    last.title = "Altmarkhof 24 (neu)"
    last.save_revision().publish()
    summary = build_changed(config)
    assert tag_page_2 in summary.rendered
    assert "/api/orte.geojson?tag=werkstatt" in summary.rendered
    assert "/api/orte.geojson?tag=garten" not in summary.rendered
    assert (
        "Altmarkhof 24 (neu)"
        in (output / "orte/schlagwort=werkstatt/seite=2/index.html").read_text()
    )
    assert _differences(_tree(output), full_build_tree("full-2")) == {}


def test_every_places_cards_are_rendered_ahead(paged_site, tmp_path):
    """A full build renders every place's cards into its card cache before the pages: on
    the listings, (opening a new window) on the embeddable map and (with its distance)
    among a place page's nearby places; in German and in English (``/en/`` links)."""
    from django.utils import translation

    from staticsite.processes import render_cards_ahead
    from staticsite.render import build_card_cache, render_host
    from website.cards import CARD_VARIANTS, card_key, card_rows

    cards = build_card_cache(render_host())
    count = render_cards_ahead(paged_site["config"], tmp_path, cards)
    assert count == PlacePage.objects.live().count()
    assert len(cards.backend._cache) == len(CARD_VARIANTS) * count * 2
    (row,) = card_rows(PlacePage.objects.filter(slug="altmarkhof-03"))
    assert 'href="/altmark/altmarkhof-03/"' in cards.backend.get(cards.key("", card_key(row)))
    assert 'target="_blank"' in cards.backend.get(cards.key("_blank", card_key(row)))
    with translation.override("en"):
        english = cards.backend.get(cards.key("", card_key(row)))
    assert 'href="/en/altmark/altmarkhof-03/"' in english
    cards.backend.clear()


def test_listing_cards_follow_every_change(paged_site):
    """Each build keeps its cards in a cache of its own (``website.cards.CardCache``), made
    from the database as it is: an incremental build shows a renamed place's new card, and
    a field renamed without any signal (a queryset update) the field's new name."""
    from places.factories import CategoryFactory
    from places.models import Category
    from staticsite.changes import build_changed

    output, config = paged_site["output"], paged_site["config"]
    renamed = PlacePage.objects.get(slug="altmarkhof-05")
    renamed.title = "Altmarkhof 05 mit neuem Namen"
    renamed.save_revision().publish()
    summary = build_changed(config)
    assert "/orte/" in summary.rendered
    assert "Altmarkhof 05 mit neuem Namen" in (output / "orte" / "index.html").read_text()

    # Field names are on every card.
    category = CategoryFactory(name="Werkstatt", slug="werkstatt-feld")
    PlacePage.objects.get(slug="altmarkhof-03").categories.add(category)
    Category.objects.filter(pk=category.pk).update(name="Offene Werkstatt")
    call_command("build_frontend", "--path", "/orte/", verbosity=0)
    assert "Offene Werkstatt" in (output / "orte" / "index.html").read_text()
