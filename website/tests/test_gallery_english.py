"""Gallery captions in English: wagtail-localize offers them to translators (the gallery rows
are translatable, ``PlaceGalleryImage``), and the English place page shows the German page's
gallery with its translation's captions; the German page keeps its own, in the same number
of queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail_localize.fields import TranslatableField, get_translatable_fields
from wagtail_localize.models import StringSegment

import pytest

from core.factories import CustomImageFactory
from demo.translations import english_draft
from places.models import PlaceGalleryImage, PlacePage
from tests.test_query_counts import PAST_THE_PAGE_CACHE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def gallery_place(place):
    for order, caption in enumerate(["Die Scheune im Winter", "Der Hof von oben"]):
        place.gallery_images.add(
            PlaceGalleryImage(image=CustomImageFactory(), caption=caption, sort_order=order)
        )
    place.save_revision().publish()
    return PlacePage.objects.get(pk=place.pk)


def translation_of(page):
    """``page``'s source and English translation, as a translator starts it (a draft)."""
    source, translation = english_draft(page)
    return source, type(translation).objects.get(pk=translation.pk)


def get(client, url) -> str:
    response = client.get(url, **PAST_THE_PAGE_CACHE)
    assert response.status_code == 200, (url, response.content[:300])
    return response.content.decode()


def test_captions_are_offered_to_translators(gallery_place):
    assert any(
        isinstance(field, TranslatableField) and field.field_name == "gallery_images"
        for field in get_translatable_fields(PlacePage)
    )
    source, translation = translation_of(gallery_place)
    strings = set(
        StringSegment.objects.filter(source=source).values_list("string__data", flat=True)
    )
    assert {"Die Scheune im Winter", "Der Hof von oben"} <= strings
    # The translation's rows are the German rows' translations (same keys, English locale).
    german_keys = [row.translation_key for row in gallery_place.gallery_images.all()]
    assert [row.translation_key for row in translation.gallery_images.all()] == german_keys
    assert {row.locale.language_code for row in translation.gallery_images.all()} == {"en"}


def test_the_english_page_shows_the_translated_captions(client, gallery_place):
    german_queries = queries(client, gallery_place.url)
    _source, translation = translation_of(gallery_place)
    rows = list(translation.gallery_images.all())
    rows[0].caption = "The barn in winter"  # the second left as the German one
    translation.gallery_images = rows
    translation.title = "Wiesengrund Manor"
    translation.save_revision().publish()

    english = get(client, f"/en{gallery_place.url}")
    assert "The barn in winter" in english and "Die Scheune im Winter" not in english
    assert "Der Hof von oben" in english
    german = get(client, gallery_place.url)
    assert "Die Scheune im Winter" in german and "The barn in winter" not in german
    # The German page asks what it asked before; the English one gets its captions with the
    # gallery (its budget: test_languages.py).
    assert queries(client, gallery_place.url) == german_queries
    with_captions = queries(client, f"/en{gallery_place.url}")
    rows[0].caption = ""
    translation.gallery_images = rows
    translation.save_revision().publish()
    assert "Die Scheune im Winter" in get(client, f"/en{gallery_place.url}")
    assert queries(client, f"/en{gallery_place.url}") == with_captions


def test_a_row_added_since_the_translation_keeps_its_german_caption(client, gallery_place):
    _source, translation = translation_of(gallery_place)
    rows = list(translation.gallery_images.all())
    rows[1].caption = "The farm from above"
    translation.gallery_images = rows
    translation.save_revision().publish()
    gallery_place.gallery_images.add(
        PlaceGalleryImage(image=CustomImageFactory(), caption="Neu im Sommer", sort_order=5)
    )
    gallery_place.save_revision().publish()
    english = get(client, f"/en{gallery_place.url}")
    assert "The farm from above" in english and "Neu im Sommer" in english
    assert "Der Hof von oben" not in english


def queries(client, url) -> int:
    get(client, url)  # warm-up
    with CaptureQueriesContext(connection) as captured:
        get(client, url)
    return len(captured)
