"""The incremental build of a listing of two pages: later pages rebuilt only where the change
shows, the output always equal to a full build's; the cards rendered ahead and following
every change."""

from datetime import UTC, datetime
from decimal import Decimal

from django.core.management import call_command
from django.test import override_settings

import pytest

from places.factories import PlacePageFactory
from places.models import PlacePage
from regions.factories import RegionPageFactory
from staticsite.builder import BuildConfig, full_build
from staticsite.output import load_manifest
from staticsite.tests.builds import for_one_test
from tests.fixtures import make_home_page

pytestmark = pytest.mark.django_db

BASE_URL = "https://www.kreativorte.example/"
PUBLISHED = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
SETTINGS = {
    "STATICSITE_BASE_URL": BASE_URL,
    "STATICSITE_APP_URL": "https://cms.kreativorte.example",
}


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


@pytest.fixture(scope="module")
def built_paged_site(module_db, tmp_path_factory):
    """A tag listing of two pages (25 places of the Altmark), and one place in the Harz;
    built once for the module."""
    from website.listing import PER_PAGE

    output = tmp_path_factory.mktemp("paged") / "site"
    with module_db():
        home_page = make_home_page()
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
        static_settings = {"STATICSITE_OUTPUT": str(output), "STATICSITE_AUTO_BUILD": False}
        with override_settings(**static_settings, **SETTINGS):
            full_build(BuildConfig.from_settings())
    return {"altmark": altmark, "harz": harz, "output": output}


@pytest.fixture
def paged_site(built_paged_site, db, tmp_path, settings):
    return for_one_test(
        built_paged_site, tmp_path, settings, STATICSITE_AUTO_BUILD=False, **SETTINGS
    )


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
