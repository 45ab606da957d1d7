"""DSGVO: retention by anonymisation, and an export of one applicant's data."""

import json
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

import pytest

from applications.factories import ApplicationFactory, ApplicationPhotoFactory
from applications.models import Application

pytestmark = pytest.mark.django_db


def age(application, days):
    Application.objects.filter(pk=application.pk).update(
        updated_at=timezone.now() - timedelta(days=days)
    )


def test_purge_anonymises_closed_applications_after_the_retention(
    altmark, private_media, django_capture_on_commit_callbacks
):
    rejected = ApplicationFactory(region=altmark, status="abgelehnt", email="r@example.org")
    photo = ApplicationPhotoFactory(application=rejected)
    photo_path = private_media / photo.file.name
    assert photo_path.exists()
    converted = ApplicationFactory(
        region=altmark,
        status="uebernommen",
        converted_at=timezone.now() - timedelta(days=200),
    )
    fresh_rejected = ApplicationFactory(region=altmark, status="abgelehnt")
    open_application = ApplicationFactory(region=altmark, status="neu")
    for application in (rejected, fresh_rejected, open_application):
        age(application, 200 if application is not fresh_rejected else 10)

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # files go after the commit
        call_command("purge_applications", stdout=out)
    assert "2 Bewerbungen anonymisiert" in out.getvalue()

    rejected.refresh_from_db()
    assert rejected.anonymised_at is not None
    assert rejected.email == "" and rejected.phone == "" and rejected.contact_person == "[gelöscht]"
    assert rejected.introduction == "[gelöscht]"
    assert "anonymisiert" in rejected.place_name
    assert rejected.photos.count() == 0
    assert not photo_path.exists()
    converted.refresh_from_db()
    assert converted.email == "" and converted.anonymised_at is not None
    for untouched in (fresh_rejected, open_application):
        untouched.refresh_from_db()
        assert untouched.anonymised_at is None and untouched.email

    # Idempotent.
    out = StringIO()
    call_command("purge_applications", stdout=out)
    assert "0 Bewerbungen anonymisiert" in out.getvalue()

    call_command("purge_applications", "--days", "5", stdout=StringIO())
    fresh_rejected.refresh_from_db()
    assert fresh_rejected.anonymised_at is not None


def test_purge_anonymises_open_applications_nobody_touched_for_a_year(
    altmark, private_media, django_capture_on_commit_callbacks
):
    abandoned = ApplicationFactory(region=altmark, status="in-pruefung", email="a@example.org")
    photo = ApplicationPhotoFactory(application=abandoned)
    photo_path = private_media / photo.file.name
    waiting = ApplicationFactory(region=altmark, status="neu", email="w@example.org")
    age(abandoned, 400)
    age(waiting, 300)

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_applications", stdout=out)
    assert "1 Bewerbungen anonymisiert" in out.getvalue()
    abandoned.refresh_from_db()
    assert abandoned.anonymised_at is not None and abandoned.email == ""
    assert "anonymisiert" in abandoned.place_name
    assert abandoned.status == "in-pruefung"
    assert not photo_path.exists()
    waiting.refresh_from_db()
    assert waiting.anonymised_at is None and waiting.email == "w@example.org"

    call_command("purge_applications", "--stale-days", "200", stdout=StringIO())
    waiting.refresh_from_db()
    assert waiting.anonymised_at is not None


def test_export_applicant_data(altmark, categories):
    application = ApplicationFactory(region=altmark, email="Anna@Example.org")
    application.categories.set(categories[:1])
    ApplicationPhotoFactory(application=application)
    ApplicationFactory(region=altmark, email="someone-else@example.org")
    out = StringIO()
    call_command("export_applicant_data", "anna@example.org", stdout=out)
    data = json.loads(out.getvalue())
    assert len(data["bewerbungen"]) == 1
    entry = data["bewerbungen"][0]
    assert entry["email"] == "Anna@Example.org"
    assert entry["ansprechperson"] == application.contact_person
    assert entry["einwilligung"]["fassung_datenschutzhinweise"] == "2026-11"
    assert entry["themenfelder"] == [categories[0].name]
    assert entry["fotos"][0]["bildnachweis"] == "Foto: Anna Muster"
    assert "someone-else" not in out.getvalue()
