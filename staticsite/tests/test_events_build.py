"""Events on the static site: the full build holds the event pages, /veranstaltungen/ with
its region and field variants and the feeds; a publish or unpublish rebuilds exactly what
shows the event; the nightly ``--dates`` build lets past dates go."""

import datetime
import json
from decimal import Decimal

from django.core.cache import caches
from django.core.management import call_command
from django.test import override_settings

import icalendar
import pytest

from events.factories import EventPageFactory
from events.models import EventPage, Recurrence
from events.occurrences import local_today
from home.factories import ContentPageFactory
from places.factories import PlacePageFactory
from publishing.paths import every_language
from regions.factories import RegionPageFactory
from staticsite.builder import BuildConfig, full_build
from staticsite.changes import build_changed
from staticsite.models import PendingPath
from staticsite.output import load_manifest
from staticsite.tests.builds import for_one_test
from staticsite.tests.checker import check_tree, serve
from tests.fixtures import make_home_page, make_place, make_region

pytestmark = pytest.mark.django_db

BASE_URL = "https://www.kreativorte.example/"
HOFFEST = "altmark/gutshof-wiesengrund/hoffest"
FOOTER_PAGES = ("ueber-das-projekt", "so-gehts", "impressum", "datenschutz", "barrierefreiheit")
SETTINGS = {
    "STATICSITE_BASE_URL": BASE_URL,
    "STATICSITE_APP_URL": "https://cms.kreativorte.example",
}


@pytest.fixture(scope="module")
def built_site(module_db, tmp_path_factory):
    """The Gutshof (Altmark) with a festival in five days and one that is over; the Harzhof
    with a weekly workshop; the content pages the footer links. Built once for the module."""
    output = tmp_path_factory.mktemp("events-build") / "site"
    with module_db():
        home_page = make_home_page()
        place = make_place(make_region(home_page))
        for slug in FOOTER_PAGES:
            ContentPageFactory(parent=home_page, slug=slug)
        harz = RegionPageFactory(parent=home_page, title="Harz", slug="harz")
        harzhof = PlacePageFactory(
            parent=harz,
            title="Harzhof",
            slug="harzhof",
            latitude=Decimal("51.80"),
            longitude=Decimal("10.60"),
            municipality="Wernigerode",
        )
        today = local_today()
        EventPageFactory(
            parent=place,
            title="Hoffest im Gutshof",
            slug="hoffest",
            start_date=today + datetime.timedelta(days=5),
        )
        EventPageFactory(
            parent=place,
            title="Vergangenes Konzert",
            slug="konzert",
            start_date=today - datetime.timedelta(days=20),
        )
        EventPageFactory(
            parent=harzhof,
            title="Offene Holzwerkstatt",
            slug="holzwerkstatt",
            start_date=today + datetime.timedelta(days=2),
            start_time=datetime.time(10),
            end_time=datetime.time(16),
            recurrence=Recurrence.WEEKLY,
        )
        with override_settings(STATICSITE_OUTPUT=str(output), **SETTINGS):
            summary = full_build(BuildConfig.from_settings())
    return {"place": place, "harz": harz, "harzhof": harzhof, "output": output, "summary": summary}


@pytest.fixture
def site(built_site, db, tmp_path, settings):
    """``built_site`` for one test: its pages as stored, its own copy of the build."""
    return for_one_test(built_site, tmp_path, settings, **SETTINGS)


def _calendar(path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def _summaries(path) -> set[str]:
    return {str(event["SUMMARY"]) for event in _calendar(path).walk("VEVENT")}


def _feature_titles(path) -> set[str]:
    return {f["properties"]["title"] for f in json.loads(path.read_text())["features"]}


def test_the_build_holds_event_pages_the_listing_and_the_feeds(site):
    output = site["output"]
    page = (output / HOFFEST / "index.html").read_text()
    assert "Hoffest im Gutshof" in page
    assert 'href="/altmark/gutshof-wiesengrund/"' in page  # its place
    place_page = (output / "altmark" / "gutshof-wiesengrund" / "index.html").read_text()
    assert "Nächste Termine" in place_page and f'href="/{HOFFEST}/"' in place_page
    assert "Offene Holzwerkstatt" in (output / "harz" / "index.html").read_text()

    listing = (output / "veranstaltungen" / "index.html").read_text()
    assert "Hoffest im Gutshof" in listing and "Offene Holzwerkstatt" in listing
    assert "Vergangenes Konzert" not in listing
    # The days need the application server: the static form has none (docs/static-site.md).
    assert 'name="von"' not in listing and 'name="bis"' not in listing
    assert 'name="region"' in listing and 'name="category"' in listing

    # Every region and field combination of the form is prebuilt.
    harz = (output / "veranstaltungen" / "region=harz" / "index.html").read_text()
    assert "Offene Holzwerkstatt" in harz and "Hoffest im Gutshof" not in harz
    both = (
        output
        / "veranstaltungen"
        / "region=altmark"
        / "themenfeld=arbeiten-wirtschaft,leben-tourismus"
    )
    assert "Hoffest im Gutshof" in (both / "index.html").read_text()
    assert (
        "Hoffest im Gutshof"
        not in (output / "veranstaltungen" / "themenfeld=wohnen-bauen" / "index.html").read_text()
    )

    calendar = _calendar(output / "api" / "veranstaltungen.ics")
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {"Hoffest im Gutshof", "Offene Holzwerkstatt"}
    assert str(events["Hoffest im Gutshof"]["URL"]) == f"{BASE_URL}{HOFFEST}/"
    assert "FREQ=WEEKLY" in events["Offene Holzwerkstatt"]["RRULE"].to_ical().decode()
    raw = (output / "api" / "veranstaltungen.ics").read_bytes()
    assert b"testserver" not in raw and b"localhost" not in raw.replace(b"@localhost", b"")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 75
    # The place page's „Termine als Kalender abonnieren“: the place's own calendar.
    own = output / "api" / f"veranstaltungen.ort={site['place'].pk}.ics"
    assert _summaries(own) == {"Hoffest im Gutshof"}
    assert _summaries(output / "api" / "veranstaltungen.region=harz.ics") == {
        "Offene Holzwerkstatt"
    }
    assert _feature_titles(output / "api" / "veranstaltungen.geojson") == {
        "Hoffest im Gutshof",
        "Offene Holzwerkstatt",
    }
    # Every URL in the built HTML and CSS names a file of the output.
    missing, checked = check_tree(output, BASE_URL)
    assert missing == [] and checked > 100


def test_publish_and_unpublish_rebuild_exactly_what_shows_the_event(
    site, settings, django_capture_on_commit_callbacks
):
    output, config = site["output"], site["config"]
    settings.STATICSITE_AUTO_BUILD = False
    altmark_before = {
        str(path): (path.stat().st_mtime_ns, path.read_bytes())
        for path in sorted((output / "altmark").rglob("*"))
        if path.is_file()
    }
    event = EventPageFactory(
        parent=site["harzhof"],
        title="Lesung in der Scheune",
        slug="lesung",
        start_date=local_today() + datetime.timedelta(days=3),
        live=False,
    )
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()
    pending = set(PendingPath.objects.values_list("path", flat=True))
    expected = every_language(
        {
            "/harz/harzhof/lesung/",
            "/harz/harzhof/",
            "/harz/",
            "/veranstaltungen/",
            "/api/veranstaltungen.ics",
            "/api/veranstaltungen.geojson",
            "/sitemap.xml",
            "/suche/",
        }
    )
    assert "/en/harz/harzhof/lesung/" in expected
    assert pending == expected
    summary = build_changed(config)
    assert {key.partition("?")[0] for key in summary.rendered} == expected
    # The Altmark's files, its place's calendar among them, were not touched.
    assert altmark_before == {
        str(path): (path.stat().st_mtime_ns, path.read_bytes())
        for path in sorted((output / "altmark").rglob("*"))
        if path.is_file()
    }
    place_ics = output / "api" / f"veranstaltungen.ort={site['place'].pk}.ics"
    assert _summaries(place_ics) == {"Hoffest im Gutshof"}
    assert not {f"/api/veranstaltungen.ics?place={site['place'].pk}"} & set(summary.rendered)

    page = output / "harz" / "harzhof" / "lesung" / "index.html"
    assert "Lesung in der Scheune" in page.read_text()
    shown_on = [
        output / "harz" / "harzhof" / "index.html",
        output / "harz" / "index.html",
        output / "veranstaltungen" / "index.html",
        output / "veranstaltungen" / "region=harz" / "index.html",
        # The English addresses (``/en/…``) as well.
        output / "en" / "harz" / "harzhof" / "lesung" / "index.html",
        output / "en" / "harz" / "index.html",
        output / "en" / "veranstaltungen" / "region=harz" / "index.html",
    ]
    for path in shown_on:
        assert "Lesung in der Scheune" in path.read_text(), path
    feeds = [
        output / "api" / "veranstaltungen.ics",
        output / "api" / "veranstaltungen.region=harz.ics",
        output / "api" / f"veranstaltungen.ort={site['harzhof'].pk}.ics",
    ]
    for path in feeds:
        assert "Lesung in der Scheune" in _summaries(path), path
    assert "Lesung in der Scheune" in _feature_titles(output / "api" / "veranstaltungen.geojson")
    assert f"{BASE_URL}harz/harzhof/lesung/" in (output / "sitemap.xml").read_text()
    assert check_tree(output, BASE_URL)[0] == []

    event.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        event.unpublish()
    build_changed(config)
    assert not page.exists() and not page.parent.exists()
    assert not (output / "en" / "harz" / "harzhof" / "lesung").exists()
    for path in shown_on[:4] + shown_on[5:]:
        assert "Lesung in der Scheune" not in path.read_text(), path
        assert "/harz/harzhof/lesung/" not in path.read_text(), path
    for path in feeds:
        assert "Lesung in der Scheune" not in _summaries(path), path
    assert "Lesung in der Scheune" not in _feature_titles(
        output / "api" / "veranstaltungen.geojson"
    )
    assert "harz/harzhof/lesung" not in (output / "sitemap.xml").read_text()
    assert "/harz/harzhof/lesung/" not in load_manifest(output)["pages"]
    assert check_tree(output, BASE_URL)[0] == []


def test_unpublishing_the_place_takes_its_events_off_the_static_site(
    site, django_capture_on_commit_callbacks
):
    """Through the background task, as after an editor's unpublish."""
    output = site["output"]
    harzhof = site["harzhof"]
    harzhof.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        harzhof.unpublish()
    assert not (output / "harz" / "harzhof").exists()
    assert "Offene Holzwerkstatt" not in (output / "veranstaltungen" / "index.html").read_text()
    assert _summaries(output / "api" / "veranstaltungen.ics") == {"Hoffest im Gutshof"}
    assert not (output / "api" / f"veranstaltungen.ort={harzhof.pk}.ics").exists()
    assert not PendingPath.objects.exists()


def test_the_nightly_dates_build_lets_past_dates_go(site):
    """A day passes: the festival's date is over. Moved into the past in the database without
    a signal (nothing is published), and with the caches emptied as the new local date does
    to every key of kept dates; only ``build_frontend --dates`` runs."""
    output = site["output"]
    EventPage.objects.filter(slug="hoffest").update(
        start_date=local_today() - datetime.timedelta(days=1)
    )
    for cache in caches.all():
        cache.clear()
    assert not PendingPath.objects.exists()

    call_command("build_frontend", "--dates", verbosity=0)

    for path in (
        output / "veranstaltungen" / "index.html",
        output / "veranstaltungen" / "region=altmark" / "index.html",
        output / "altmark" / "gutshof-wiesengrund" / "index.html",
        output / "altmark" / "index.html",
    ):
        assert "Hoffest im Gutshof" not in path.read_text(), path
    assert _summaries(output / "api" / "veranstaltungen.ics") == {"Offene Holzwerkstatt"}
    # The event's own page stays (its address is still valid), without an upcoming date.
    assert (output / HOFFEST / "index.html").is_file()
    assert check_tree(output, BASE_URL)[0] == []


@pytest.mark.browser
def test_the_static_event_filter_goes_to_its_prebuilt_page(site, chromium, tmp_path):
    """Served like a static host: the form's region and field lead to their prebuilt page
    (``staticsite.js``), which lists only what matches."""
    output = tmp_path / "served"
    with serve(output) as url:
        config = BuildConfig(output=output, base_url=f"{url}/", app_url=url, workers=1)
        full_build(config)
        context = chromium.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{url}/veranstaltungen/")
        assert page.locator("input[type=date]").count() == 0
        if not page.locator("details.filter-panel").evaluate("element => element.open"):
            page.locator("details.filter-panel > summary").click()
        page.locator("[name=region]").select_option(label="Harz")
        page.get_by_label("Arbeiten/Wirtschaft").check()
        page.get_by_role("button", name="Filter anwenden").click()
        page.wait_for_url(f"{url}/veranstaltungen/region=harz/themenfeld=arbeiten-wirtschaft/*")
        results = page.locator("#ergebnisse").inner_text()
        assert "Offene Holzwerkstatt" in results
        assert "Hoffest im Gutshof" not in results
        context.close()
