"""The form states its limits next to the fields, from the values that validate them."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from applications.forms import ApplicationForm
from applications.models import Application

from .helpers import form_data

pytestmark = pytest.mark.django_db


def hint(html, field):
    match = re.search(rf'<p class="app-hint" id="id_{field}-hinweis">([^<]*)</p>', html)
    return match.group(1) if match else ""


def test_every_text_field_states_its_length_from_its_validation(client, altmark):
    html = client.get("/mitmachen/").content.decode()
    form = ApplicationForm()
    for name in ("place_name", "municipality", "street", "contact_person", "phone", "website"):
        assert f"Höchstens {form.fields[name].max_length} Zeichen." in hint(html, name), name
    assert "Mindestens 30, höchstens 3000 Zeichen." in hint(html, "introduction")
    assert "Höchstens 255 Zeichen." in hint(html, "photo_1_description")
    assert "5 Ziffern" in hint(html, "postcode")
    # The hints are announced with their fields.
    assert 'aria-describedby="id_place_name-hinweis"' in html


def test_photo_limits_follow_the_settings_that_validate(
    client, post, altmark, categories, settings
):
    settings.APPLICATIONS_MAX_PHOTO_SIZE = 1024 * 1024
    settings.APPLICATIONS_MAX_PHOTOS = 2
    settings.APPLICATIONS_PHOTO_EXTENSIONS = ["jpg", "jpeg", "png"]
    html = client.get("/mitmachen/").content.decode()
    assert "Fotos (freiwillig, bis zu 2)" in html
    assert 'name="photo_2"' in html and 'name="photo_3"' not in html
    assert "JPG oder PNG, höchstens 1,0\xa0MB" in hint(html, "photo_1")

    big = SimpleUploadedFile("gross.jpg", b"\xff\xd8\xff" + b"0" * (1024 * 1024 + 10))
    response = post(
        form_data(
            altmark,
            categories,
            photo_1=big,
            photo_1_description="Scheune",
            photo_1_credit="Foto: A",
            photo_1_rights="on",
        )
    )
    assert "Das Foto ist zu groß (höchstens 1,0\xa0MB)" in response.content.decode()
    assert Application.objects.count() == 0


def test_street_autocomplete_is_a_valid_single_line_token(client, altmark):
    html = client.get("/mitmachen/").content.decode()
    assert 'autocomplete="address-line1"' in html
    assert "street-address" not in html
