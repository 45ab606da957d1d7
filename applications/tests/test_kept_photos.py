"""Photos survive a form that comes back with errors: kept privately, named by a signed
token, used by the next submission, removable, and gone when expired or forged."""

import re
import time
from datetime import timedelta
from io import StringIO

from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

import pytest

from applications import kept_photos
from applications.factories import png_bytes, png_upload
from applications.models import Application, ApplicationPhoto, KeptPhoto
from applications.privacy import purge

from .helpers import form_data

pytestmark = pytest.mark.django_db

PHOTO_TEXTS = {
    "photo_1_description": "Backsteinscheune mit offenem Tor",
    "photo_1_credit": "Foto: Anna Muster",
    "photo_1_rights": "on",
}


def kept_token(html, number=1):
    match = re.search(rf'name="photo_{number}_kept" value="([^"]+)"', html)
    return match.group(1) if match else None


def first_attempt(post, altmark, categories, **overrides):
    """A form with a good photo and an error elsewhere (no e-mail address)."""
    data = form_data(
        altmark, categories, email="", photo_1=png_upload("mein-hof.png"), **PHOTO_TEXTS
    )
    data.update(overrides)
    response = post(data)
    assert response.status_code == 400
    return data, response.content.decode()


def test_a_failed_submit_keeps_the_photo_and_the_next_one_uses_it(
    post, altmark, categories, private_media, settings
):
    data, html = first_attempt(post, altmark, categories)

    assert "Foto 1: mein-hof.png – bleibt erhalten" in html
    assert "Foto 1 (mein-hof.png) entfernen" in html
    token = kept_token(html)
    assert token
    kept = KeptPhoto.objects.get()
    # Private like every applicant's photo: outside MEDIA_ROOT, random name, owner-only.
    path = private_media / kept.file.name
    assert path.exists() and "mein-hof" not in kept.file.name
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert not str(path).startswith(str(settings.MEDIA_ROOT))
    assert kept.key not in html  # only the signed token is in the page

    data.pop("photo_1")
    response = post({**data, "email": "anna@example.org", "photo_1_kept": token})

    assert response.status_code == 200, response.content.decode()[:3000]
    photo = ApplicationPhoto.objects.get()
    assert photo.application == Application.objects.get()
    assert (photo.width, photo.height) == (64, 48)
    assert photo.description == "Backsteinscheune mit offenem Tor"
    assert (private_media / photo.file.name).read_bytes() == png_bytes()
    # The kept copy is gone once used.
    assert not KeptPhoto.objects.exists()
    assert not path.exists()


def test_a_kept_photo_can_be_removed(post, altmark, categories):
    data, html = first_attempt(post, altmark, categories)
    data.pop("photo_1")
    response = post(
        {
            **data,
            "email": "anna@example.org",
            "photo_1_kept": kept_token(html),
            "photo_1_remove": "1",
        }
    )
    assert response.status_code == 200
    assert Application.objects.count() == 1
    assert not ApplicationPhoto.objects.exists()
    assert not KeptPhoto.objects.exists()


def test_a_new_file_replaces_the_kept_one(post, altmark, categories):
    data, html = first_attempt(post, altmark, categories)
    response = post(
        {
            **data,
            "email": "anna@example.org",
            "photo_1": png_upload("anderes.png", width=30, height=20),
            "photo_1_kept": kept_token(html),
        }
    )
    assert response.status_code == 200
    photo = ApplicationPhoto.objects.get()
    assert (photo.width, photo.height) == (30, 20)
    assert not KeptPhoto.objects.exists()


def test_photo_stays_kept_through_a_second_failed_submit(post, altmark, categories):
    data, html = first_attempt(post, altmark, categories)
    data.pop("photo_1")
    html = post({**data, "photo_1_kept": kept_token(html)}).content.decode()
    assert "Foto 1: mein-hof.png – bleibt erhalten" in html
    assert KeptPhoto.objects.count() == 1
    response = post({**data, "email": "anna@example.org", "photo_1_kept": kept_token(html)})
    assert response.status_code == 200
    assert ApplicationPhoto.objects.count() == 1


@pytest.mark.parametrize("kind", ["forged", "expired"])
def test_forged_or_expired_tokens_are_ignored_with_a_message(
    post, altmark, categories, settings, kind
):
    data, html = first_attempt(post, altmark, categories)
    data.pop("photo_1")
    token = kept_token(html)
    if kind == "forged":
        key = KeptPhoto.objects.get().key
        token = signing.dumps({"k": key}, salt="anderer-zweck", compress=False)
    else:
        settings.APPLICATIONS_KEPT_PHOTO_SECONDS = 1
        time.sleep(2.1)
    response = post({**data, "email": "anna@example.org", "photo_1_kept": token})

    html = response.content.decode()
    assert Application.objects.count() == 0
    assert "Das vorhin hochgeladene Foto ist nicht mehr gespeichert" in html
    assert "bleibt erhalten" not in html


def test_a_photo_with_an_error_is_not_kept(post, altmark, categories):
    data = form_data(
        altmark,
        categories,
        photo_1=SimpleUploadedFile("kaputt.png", b"kein Bild", content_type="image/png"),
        **PHOTO_TEXTS,
    )
    html = post(data).content.decode()
    assert "bleibt erhalten" not in html
    assert not KeptPhoto.objects.exists()


def test_stale_kept_photos_are_purged_by_purge_applications(
    post, altmark, categories, private_media, django_capture_on_commit_callbacks
):
    first_attempt(post, altmark, categories)
    path = private_media / KeptPhoto.objects.get().file.name
    with django_capture_on_commit_callbacks(execute=True):
        purge()
    assert KeptPhoto.objects.exists() and path.exists(), "still usable: kept"

    # Older than the form may be (two hours) plus an hour's margin: nobody can use it.
    KeptPhoto.objects.update(created_at=timezone.now() - timedelta(hours=3, minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_applications", stdout=StringIO())
    assert not KeptPhoto.objects.exists()
    assert not path.exists()


def test_kept_token_max_age_is_the_forms(settings):
    settings.APPLICATIONS_MAX_FORM_AGE_SECONDS = 1234
    assert kept_photos.max_age_seconds() == 1234
