"""One click turns an application into a draft place page in the right region."""

import io
from decimal import Decimal

from django.utils import timezone

from wagtail.models import Collection

import pytest
from PIL import Image as PILImage

from applications.conversion import convert_to_draft, story_from, teaser_from
from applications.factories import ApplicationFactory, ApplicationPhotoFactory
from applications.models import ApplicationStatus
from places.models import PlacePage

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><b onmouseover=alert(1)>fett</b>'


def exif_jpeg() -> bytes:
    image = PILImage.new("RGB", (80, 60), (90, 120, 200))
    exif = PILImage.Exif()
    exif[0x010F] = "Kamera GmbH"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 51.0, 0.0)}  # GPSInfo
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_teaser_is_cut_at_a_word_boundary():
    text = "Wort " * 100
    teaser = teaser_from(text)
    assert len(teaser) <= 200
    assert teaser.endswith("Wort…")
    assert teaser_from("Kurz und gut.") == "Kurz und gut."


def test_story_escapes_html():
    blocks = story_from(XSS + "\n\nZweiter Absatz")
    assert blocks[0]["value"].startswith("<p>&lt;script&gt;")
    assert "<script>" not in blocks[0]["value"]
    assert blocks[1]["value"] == "<p>Zweiter Absatz</p>"


def test_convert_creates_a_draft_with_everything(client, altmark, altmark_editor, application):
    from django.core.files.uploadedfile import SimpleUploadedFile

    ApplicationPhotoFactory(application=application, description="Scheune", credit="Foto: A")
    ApplicationPhotoFactory(
        application=application,
        file=SimpleUploadedFile("gps.jpg", exif_jpeg()),
        description="Hof von oben",
        credit="Foto: B",
        sort_order=1,
    )
    client.force_login(altmark_editor)
    response = client.post(f"/admin/bewerbungen/{application.pk}/uebernehmen/")
    page = PlacePage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{page.pk}/edit/"
    assert not page.live
    assert page.has_unpublished_changes
    assert page.get_parent().pk == altmark.pk
    assert page.owner == altmark_editor
    assert page.title == application.place_name
    assert page.teaser == application.introduction
    assert page.municipality == application.municipality
    assert page.street == application.street and page.postcode == application.postcode
    assert page.website == application.website and page.email == application.email
    assert page.contact_person == application.contact_person and page.phone == application.phone
    assert page.last_checked == timezone.localdate()
    assert page.latitude is None and page.longitude is None
    assert list(page.categories.all()) == list(application.categories.all())
    assert page.latest_revision is not None

    # Not public before the page is published (applications/photos.py).
    collection = Collection.objects.get(name="Bewerbungsfotos (nicht öffentlich)")
    assert collection.get_parent().name == "Altmark"
    hero = page.hero_image
    assert (hero.description, hero.credit, hero.collection) == ("Scheune", "Foto: A", collection)
    gallery = [item.image for item in page.gallery_images.all()]
    assert [(i.description, i.credit) for i in gallery] == [("Hof von oben", "Foto: B")]
    with gallery[0].file.open("rb") as handle, PILImage.open(handle) as image:
        assert not image.getexif()  # no GPS or camera data reaches the public

    application.refresh_from_db()
    assert application.status == ApplicationStatus.CONVERTED
    assert application.place_id == page.pk
    assert application.converted_by == altmark_editor

    # A second click does not create a second page.
    client.post(f"/admin/bewerbungen/{application.pk}/uebernehmen/")
    assert PlacePage.objects.count() == 1
    assert convert_to_draft(application, altmark_editor).pk == page.pk


def test_html_stays_text_in_the_draft(client, altmark, altmark_editor, categories):
    application = ApplicationFactory(
        region=altmark,
        place_name="Hof " + XSS,
        introduction=XSS + " " + "lang " * 60,
        contact_person=XSS,
        municipality="Kalbe " + XSS[:40],
    )
    application.categories.set(categories[:1])
    page = convert_to_draft(application, altmark_editor)
    client.force_login(altmark_editor)
    edit = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "<script>alert" not in edit
    assert "<b onmouseover" not in edit
    preview = client.get(f"/admin/pages/{page.pk}/view_draft/").content.decode()
    assert "<script>alert" not in preview, preview[:3000]
    assert "<b onmouseover" not in preview
    assert "&lt;script&gt;" in preview


def test_slugs_are_unique_and_ascii(altmark, altmark_editor, categories):
    first = ApplicationFactory(region=altmark, place_name="Mühle Größ")
    second = ApplicationFactory(region=altmark, place_name="Mühle Größ")
    for app in (first, second):
        app.categories.set(categories[:1])
    assert convert_to_draft(first, altmark_editor).slug == "muehle-groess"
    assert convert_to_draft(second, altmark_editor).slug == "muehle-groess-2"


def test_editor_of_another_region_cannot_convert(harz_editor, application):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        convert_to_draft(application, harz_editor)
    assert PlacePage.objects.count() == 0


def test_draft_can_be_published_once_coordinates_are_set(
    client, altmark, altmark_editor, application
):
    page = convert_to_draft(application, altmark_editor)
    draft = page.get_latest_revision_as_object()
    draft.latitude, draft.longitude = Decimal("52.850000"), Decimal("11.150000")
    draft.save_revision(user=altmark_editor).publish()
    page.refresh_from_db()
    assert page.live
    assert application.place_name in client.get("/altmark/").content.decode()
