"""Import and export name German regions only: a region's English twin (same slug, in the
English tree that wagtail-localize keeps) is never the region of an import or export, and an
English translation is no place for "same name nearby"."""

from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError

from wagtail.models import Locale

import pytest

from places.factories import PlacePageFactory
from places.imports import run_import
from places.models import PlacePage
from regions.translation import translate_as_draft, translated_regions

from .test_import import row, write_csv


@pytest.fixture
def renamed(region):
    """The Altmark renamed to „altmark-nord“; its English twin still has the old slug (as
    until the translation's next sync)."""
    (twin,) = translated_regions(region)
    region.slug = "altmark-nord"
    region.save()
    twin.refresh_from_db()
    assert twin.slug == "altmark"
    return region, twin


def test_the_commands_never_take_the_english_twin(renamed, tmp_path):
    region, twin = renamed
    path = write_csv(tmp_path, row(external_id="m1"))
    out = StringIO()
    with pytest.raises(CommandError, match=r"gibt es nicht\. Vorhanden: altmark-nord\."):
        call_command("import_places", str(path), "--region", "altmark", stdout=out)
    with pytest.raises(CommandError, match="gibt es nicht"):
        call_command("export_places", "--region", "altmark", stdout=out, stderr=out)
    assert not PlacePage.objects.child_of(twin).exists()

    call_command("import_places", str(path), "--region", "altmark-nord", stdout=out)
    assert list(PlacePage.objects.child_of(region).values_list("external_id", flat=True)) == ["m1"]
    assert not PlacePage.objects.child_of(twin).exists()


def test_an_english_translation_is_no_duplicate_nearby(region, tmp_path):
    place = PlacePageFactory(
        parent=region, title="Kulturgut Ziethen", latitude="52.850000", longitude="11.150000"
    )
    translate_as_draft(place, [Locale.objects.get(language_code="en")])
    english = place.get_translation(Locale.objects.get(language_code="en"))
    english.title = "Ziethen Cultural Estate"
    english.save_revision().publish()

    path = write_csv(
        tmp_path,
        row(
            external_id="z1",
            title="Ziethen Cultural Estate",
            municipality="Salzwedel-Ziethen",
            latitude="52.851",
            longitude="11.151",
        ),
    )
    report = run_import(path, region)
    assert report.count("create") == 1
    assert not report.flagged, [row.warnings for row in report.flagged]
