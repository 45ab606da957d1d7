"""The static site in both languages (``core.languages``): every German page, listing and form
also at ``/en/…`` (not the single-address feed, sitemap, robots.txt and data files), English
pages linking English files that exist, the English search index and 404 page, and the
incremental build reaching both languages."""

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.test import override_settings

import pytest

from home.factories import ContentPageFactory
from places.factories import PlacePageFactory
from places.models import Category, PlacePage
from staticsite.builder import BuildConfig, full_build
from staticsite.changes import build_dates
from staticsite.incremental import incremental_build
from staticsite.models import PendingPath
from staticsite.output import load_manifest
from staticsite.search_index import write_search_index
from staticsite.tests.builds import for_one_test
from staticsite.urlmap import output_file, url_key
from tests.fixtures import make_home_page, make_place, make_region
from tests.translations import translate

pytestmark = pytest.mark.django_db

BASE_URL = "https://www.kreativorte.example/"
APP_URL = "https://cms.kreativorte.example"
PLACE = "altmark/gutshof-wiesengrund/"
OTHER = "altmark/zweiter-hof/"
#: German paths (without the leading slash) that every language has.
BOTH = ["", "altmark/", PLACE, OTHER, "impressum/", "orte/", "suche/", "veranstaltungen/"]
BOTH += ["mitmachen/", "einbetten/karte/"]
#: URLs an English page may name outside /en/: one address for every language.
SINGLE = ("/api/", "/feeds/", "/sitemap.xml", "/static/", "/media/")
FOOTER_PAGES = ("impressum", "datenschutz", "barrierefreiheit", "ueber-das-projekt", "so-gehts")
_HREF = re.compile(r'\s(?:href|action|src)="(/[^"]*)"')
#: A link to the German page on purpose (the note on an untranslated page, the switcher).
_GERMAN_LINK = re.compile(r'<a href="[^"]*" hreflang="de"')


@pytest.fixture(scope="module")
def built_site(module_db, tmp_path_factory):
    """Two places of the Altmark, the first translated; built once for the module."""
    output = tmp_path_factory.mktemp("languages-build") / "site"
    with (
        module_db(),
        override_settings(
            STATICSITE_OUTPUT=str(output), STATICSITE_BASE_URL=BASE_URL, STATICSITE_APP_URL=APP_URL
        ),
    ):
        home_page = make_home_page()
        region = make_region(home_page)
        place = make_place(region)
        # The pages the header and footer link to.
        for slug in (
            "impressum",
            "datenschutz",
            "barrierefreiheit",
            "ueber-das-projekt",
            "so-gehts",
        ):
            ContentPageFactory(parent=home_page, title=slug.capitalize(), slug=slug)
        PlacePageFactory(parent=region, title="Zweiter Hof", slug="zweiter-hof")
        english = translate(
            place, title="Wiesengrund Manor", teaser="A manor in the Altmark.", run_on_commit=True
        )
        summary = full_build(BuildConfig.from_settings())
    return {"output": output, "summary": summary, "de": place, "en": english}


@pytest.fixture
def site(built_site, db, tmp_path, settings):
    """``built_site`` for one test: its pages as stored, its own copy of the build."""
    return for_one_test(
        built_site, tmp_path, settings, STATICSITE_BASE_URL=BASE_URL, STATICSITE_APP_URL=APP_URL
    )


def html(output: Path, path: str) -> str:
    return (output / path / "index.html").read_text()


def test_both_languages_are_written(site):
    output = site["output"]
    for path in BOTH:
        assert '<html lang="de"' in html(output, path), path
        assert '<html lang="en"' in html(output, f"en/{path}"), path
    assert "Wiesengrund Manor" in html(output, f"en/{PLACE}")
    assert "Wiesengrund Manor" not in html(output, PLACE)
    # The English listings show the translation's card, linking its English address.
    assert "Wiesengrund Manor" in html(output, "en/orte/")
    assert f'href="/en/{PLACE}"' in html(output, "en/altmark/")
    # Single addresses only once.
    for name in ("api", "feeds", "sitemap.xml", "robots.txt"):
        assert (output / name).exists() and not (output / "en" / name).exists(), name
    # The sitemap names both addresses.
    sitemap = (output / "sitemap.xml").read_text()
    assert f"<loc>{BASE_URL}en/{PLACE}</loc>" in sitemap
    # Each language's 404 page.
    assert '<html lang="en"' in (output / "en" / "404.html").read_text()
    assert '<html lang="de"' in (output / "404.html").read_text()
    assert "__staticsite-404__" not in (output / "en" / "404.html").read_text()
    assert not site["summary"].not_found and not site["summary"].skipped


def test_english_pages_link_english_files_that_exist(site):
    output = site["output"]
    files = list((output / "en").rglob("*.html"))
    assert len(files) >= len(BOTH)
    checked = 0
    for file in files:
        text = file.read_text()
        main = text[text.index('<main id="inhalt"') : text.index("</main>")]
        for url in _HREF.findall(text):
            path = unquote(urlsplit(url).path)
            target = output / path.lstrip("/")
            if path.endswith("/"):
                target = target / "index.html"
            assert target.is_file(), (file, url)
            checked += 1
        for url in _HREF.findall(_GERMAN_LINK.sub("", main)):
            assert url.startswith(("/en/", *SINGLE)), (file, url)
        # The static scripts' site root is the English one.
        assert 'data-base="/en/"' in text, file
    assert checked > 100


def test_the_english_form_and_search(site):
    output = site["output"]
    form = html(output, "en/mitmachen/")
    assert f'action="{APP_URL}/en/mitmachen/"' in form
    assert f'data-token-url="{APP_URL}/en/mitmachen/token"' in form
    assert 'action="/en/mitmachen/"' not in form
    german = json.loads((output / "suche" / "index.json").read_text())
    english = json.loads((output / "en" / "suche" / "index.json").read_text())
    assert {place["u"] for place in german["places"]} == {f"/{PLACE}", f"/{OTHER}"}
    assert {place["u"] for place in english["places"]} == {f"/en/{PLACE}", f"/en/{OTHER}"}
    titles = {place["u"]: (place["t"], place["x"]) for place in english["places"]}
    assert titles[f"/en/{PLACE}"] == ("Wiesengrund Manor", "A manor in the Altmark.")
    assert titles[f"/en/{OTHER}"][0] == "Zweiter Hof"
    assert "/en/impressum/" in {page["u"] for page in english["pages"]}
    assert "/static/js/search." in html(output, "en/suche/")


def test_the_english_search_index_names_the_fields_in_english(site, tmp_path):
    Category.objects.filter(slug="arbeiten-wirtschaft").update(name_en="Work/Business")
    place = site["de"]
    place.categories.set(Category.objects.filter(slug__in=["arbeiten-wirtschaft", "wohnen-bauen"]))
    place.save()  # a ParentalManyToManyField is written with its page
    write_search_index(tmp_path, "")

    def fields(language_folder: str) -> list:
        index = json.loads((tmp_path / language_folder / "suche" / "index.json").read_text())
        (place,) = [place for place in index["places"] if place["u"].endswith(PLACE)]
        return sorted(place["c"])

    assert fields("") == [
        ["arbeiten-wirtschaft", "Arbeiten/Wirtschaft"],
        ["wohnen-bauen", "Wohnen/Bauen"],
    ]
    # Without an English name the German one.
    assert fields("en") == [
        ["arbeiten-wirtschaft", "Work/Business"],
        ["wohnen-bauen", "Wohnen/Bauen"],
    ]


def test_changes_rebuild_both_languages(site, django_capture_on_commit_callbacks):
    output = site["output"]
    # A German change: its English twin (untranslated: the German text) follows.
    other = PlacePage.objects.get(slug="zweiter-hof")
    other.title = "Zweiter Hof am See"
    with django_capture_on_commit_callbacks(execute=True):
        other.save_revision().publish()
    assert "Zweiter Hof am See" in html(output, OTHER)
    assert "Zweiter Hof am See" in html(output, f"en/{OTHER}")
    assert "Zweiter Hof am See" in html(output, "en/orte/")
    assert not PendingPath.objects.exists()

    # A translation's publish (its commit callbacks run in ``translate``): the English page
    # and the English listings.
    before = html(output, PLACE)
    translate(site["de"], title="Manor House", run_on_commit=True)
    assert "Manor House" in html(output, f"en/{PLACE}")
    assert "Manor House" in html(output, "en/altmark/")
    assert html(output, PLACE) == before
    assert not PendingPath.objects.exists()

    # Unpublishing the translation: the English address shows the German page again.
    english = PlacePage.objects.get(pk=site["en"].pk)
    with django_capture_on_commit_callbacks(execute=True):
        english.unpublish()
    assert "Manor House" not in html(output, f"en/{PLACE}")
    assert "Gutshof Wiesengrund" in html(output, f"en/{PLACE}")

    # Unpublishing the German page: both addresses go.
    with django_capture_on_commit_callbacks(execute=True):
        PlacePage.objects.get(pk=site["de"].pk).unpublish()
    assert not (output / PLACE).exists() and not (output / "en" / PLACE).exists()
    manifest = load_manifest(output)["pages"]
    assert f"/{PLACE}" not in manifest and f"/en/{PLACE}" not in manifest
    assert "gutshof-wiesengrund" not in html(output, "en/orte/")


def test_a_path_and_the_dates_are_rebuilt_in_both_languages(site):
    summary = incremental_build(site["config"], {"/impressum/"})
    assert {"/impressum/", "/en/impressum/"} <= set(summary.rendered)
    summary = build_dates(site["config"])
    assert {"/veranstaltungen/", "/en/veranstaltungen/"} <= set(summary.rendered)


def test_the_apis_language_gets_a_file_of_its_own():
    assert output_file("/api/orte.geojson", "locale=en&region=altmark") == (
        "api/orte.region=altmark.sprache=en.geojson"
    )
    assert output_file("/api/orte.csv", "locale=de") == "api/orte.csv"
    assert url_key("/api/veranstaltungen.ics", "locale=de&locale=en&locale=") == (
        "/api/veranstaltungen.ics?locale=en"
    )
