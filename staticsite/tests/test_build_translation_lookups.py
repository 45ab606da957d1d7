"""An English page of the static build asks for its live translation only when it has one:
which pages do is read once per render process (``website.wagtail_hooks``), not once per
English page (most pages of a site have none)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from places.factories import PlacePageFactory
from staticsite.builder import BuildConfig
from staticsite.render import Renderer
from tests.translations import translate

pytestmark = pytest.mark.django_db

BASE_URL = "https://www.kreativorte.example/"


def translation_lookups(renderer, key: str) -> tuple[int, str]:
    """How many queries rendering ``key`` read a translated page (``live_translation``),
    and the file written."""
    with CaptureQueriesContext(connection) as captured:
        rendered = renderer.render(key)
    lookups = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].startswith('SELECT "wagtailcore_page"."id"')
        and '"translation_key" IN' in query["sql"]
    ]
    return len(lookups), (renderer.root / rendered.file).read_text()


def test_english_pages_ask_for_a_translation_only_where_there_is_one(region, place, tmp_path):
    PlacePageFactory(parent=region, title="Zweiter Hof", slug="zweiter-hof")
    PlacePageFactory(parent=region, title="Dritter Hof", slug="dritter-hof")
    translate(place, title="Wiesengrund Manor")
    config = BuildConfig(output=tmp_path / "site", base_url=BASE_URL, app_url="https://cms.x")
    renderer = Renderer(config, tmp_path / "site")
    renderer.render("/en/altmark/zweiter-hof/")  # the first page reads what is translated

    lookups, text = translation_lookups(renderer, "/en/altmark/dritter-hof/")
    assert lookups == 0
    assert "This page has not been translated yet" in text

    lookups, text = translation_lookups(renderer, "/en/altmark/gutshof-wiesengrund/")
    assert lookups == 1
    assert "Wiesengrund Manor" in text
