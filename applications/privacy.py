"""DSGVO: anonymise old applications, export what is stored about one applicant."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .kept_photos import purge_expired as purge_kept_photos
from .models import ANONYMISED, Application, ApplicationStatus
from .photos import delete_private_images, purge_unpublished_images

CLOSED = (ApplicationStatus.CONVERTED, ApplicationStatus.REJECTED)
OPEN = (ApplicationStatus.NEW, ApplicationStatus.IN_REVIEW)


def due_for_anonymisation(days: int | None = None, stale_days: int | None = None):
    days = settings.APPLICATIONS_RETENTION_DAYS if days is None else days
    stale_days = settings.APPLICATIONS_STALE_DAYS if stale_days is None else stale_days
    now = timezone.now()
    cutoff = now - timedelta(days=days)
    stale_cutoff = now - timedelta(days=stale_days)
    closed_long_enough = Q(status__in=CLOSED) & (
        # Converted (converted_at) or rejected (last change) before the cutoff.
        Q(converted_at__lt=cutoff) | Q(converted_at__isnull=True, updated_at__lt=cutoff)
    )
    # Storage limitation (Art. 5 DSGVO): an application nobody touched for so long is
    # treated as abandoned rather than kept forever.
    abandoned = Q(status__in=OPEN, updated_at__lt=stale_cutoff)
    return Application.objects.filter(anonymised_at__isnull=True).filter(
        closed_long_enough | abandoned
    )


def anonymise(application: Application) -> None:
    """Remove personal data and free text; keep region, status, dates and the place link."""
    with transaction.atomic():
        photos = list(application.photos.all())
        # Images made from the photos that were never published go too, unless a page
        # still uses them - the draft, another page (photos.images_in_use).
        delete_private_images([photo.image_id for photo in photos if photo.image_id])
        for photo in photos:
            photo.delete()  # the file follows once this is committed (signals.py)
        fields = {
            "contact_person": ANONYMISED,
            "email": "",
            "phone": "",
            "street": "",
            "introduction": ANONYMISED,
            "website": "",
            "last_mail_error": "",
            "anonymised_at": timezone.now(),
        }
        if application.status != ApplicationStatus.CONVERTED:
            # A name that was never published may name a person.
            fields["place_name"] = f"Bewerbung {application.pk} (anonymisiert)"
        # .update(): the anonymisation must not count as a change that resets retention.
        Application.objects.filter(pk=application.pk).update(**fields)


def purge(days: int | None = None, stale_days: int | None = None) -> int:
    due = list(due_for_anonymisation(days, stale_days))
    for application in due:
        anonymise(application)
    # Applicants' photos whose place was not published within the retention period, also
    # those whose application was deleted while a draft still showed them.
    purge_unpublished_images(settings.APPLICATIONS_RETENTION_DAYS if days is None else days)
    # Photos kept from forms with errors that were never sent again (hours, not days).
    purge_kept_photos()
    return len(due)


def applicant_data(email: str) -> list[dict]:
    """Everything stored about the applicant with this e-mail address (Art. 15 DSGVO)."""
    applications = Application.objects.filter(email__iexact=email.strip()).select_related(
        "region", "place"
    )
    return [
        {
            "id": application.pk,
            "eingegangen_am": application.created_at.isoformat(),
            "status": application.get_status_display(),
            "region": application.region.title if application.region else None,
            "name_des_ortes": application.place_name,
            "ort_gemeinde": application.municipality,
            "strasse": application.street,
            "plz": application.postcode,
            "themenfelder": [c.name for c in application.categories.all()],
            "kurzvorstellung": application.introduction,
            "website": application.website,
            "ansprechperson": application.contact_person,
            "email": application.email,
            "telefon": application.phone,
            "einwilligung": {
                "fassung_datenschutzhinweise": application.consent_version,
                "erteilt_am": application.consent_given_at.isoformat(),
            },
            "fotos": [
                {
                    "beschreibung": photo.description,
                    "bildnachweis": photo.credit,
                    "rechte_bestaetigt": photo.rights_confirmed,
                    "breite": photo.width,
                    "hoehe": photo.height,
                }
                for photo in application.photos.all()
            ],
            "ortsseite": application.place.title if application.place else None,
            "benachrichtigung_gesendet_am": _iso(application.notification_sent_at),
            "bestaetigung_gesendet_am": _iso(application.confirmation_sent_at),
        }
        for application in applications.order_by("created_at")
    ]


def _iso(value):
    return value.isoformat() if value else None
