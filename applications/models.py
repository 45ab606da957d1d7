"""Applications of places and projects that want to be listed ("Mitmachen")."""

import os
import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.admin import display
from django.core.files.storage import FileSystemStorage, storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from places.validators import validate_postcode

ANONYMISED = "[gelöscht]"


PRIVATE_FILE_MODE = 0o600
PRIVATE_DIRECTORY_MODE = 0o700


class PrivateFileSystemStorage(FileSystemStorage):
    """Files under APPLICATIONS_PRIVATE_ROOT (read on every use, so tests can override it).

    Owner-only: files 0600, folders 0700, whatever the process's umask or FILE_UPLOAD_*
    settings say, so that other accounts on the machine cannot read applicants' photos.
    """

    @property
    def base_location(self):
        return str(settings.APPLICATIONS_PRIVATE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    base_url = None
    file_permissions_mode = PRIVATE_FILE_MODE
    directory_permissions_mode = PRIVATE_DIRECTORY_MODE

    def _save(self, name, content):
        saved = super()._save(name, content)
        # Folders that existed before (an older installation, a restored backup) are
        # tightened too: the root and every folder down to the file.
        folder = os.path.dirname(self.path(saved))
        while True:
            if os.stat(folder).st_mode & 0o077:
                os.chmod(folder, PRIVATE_DIRECTORY_MODE)
            if os.path.samefile(folder, self.location) or folder == os.path.dirname(folder):
                break
            folder = os.path.dirname(folder)
        return saved


def private_storage():
    """Photos of applications never live in MEDIA_ROOT: nothing serves this directory.

    A deployment may configure ``STORAGES["applications"]`` (e.g. a private S3 bucket).
    """
    if "applications" in settings.STORAGES:
        return storages["applications"]
    return PrivateFileSystemStorage()


def _random_name(folder: str, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:6]
    return f"{folder}{secrets.token_urlsafe(24)}{suffix}"


def photo_upload_to(instance, filename):
    """A random name: neither the applicant's file name nor a guessable path is kept."""
    return _random_name("applications/", filename)


class ApplicationStatus(models.TextChoices):
    NEW = "neu", _("neu")
    IN_REVIEW = "in-pruefung", _("in Prüfung")
    CONVERTED = "uebernommen", _("übernommen")
    REJECTED = "abgelehnt", _("abgelehnt")


class ApplicationQuerySet(models.QuerySet):
    def mail_pending(self):
        return self.filter(anonymised_at__isnull=True).filter(
            models.Q(notification_sent_at__isnull=True)
            | models.Q(confirmation_sent_at__isnull=True, confirmation_withheld=False)
            | models.Q(
                place_published_at__isnull=False,
                online_mail_sent_at__isnull=True,
                place__live=True,
            )
        )


class Application(models.Model):
    created_at = models.DateTimeField(_("Eingegangen am"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("Geändert am"), auto_now=True)
    status = models.CharField(
        _("Status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.NEW,
        db_index=True,
    )
    region = models.ForeignKey(
        "regions.RegionPage",
        verbose_name=_("Region"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )

    # About the place
    place_name = models.CharField(_("Name des Ortes oder Projekts"), max_length=120)
    municipality = models.CharField(_("Ort / Gemeinde"), max_length=100)
    street = models.CharField(_("Straße und Hausnummer"), max_length=120, blank=True)
    postcode = models.CharField(_("PLZ"), max_length=5, blank=True, validators=[validate_postcode])
    categories = models.ManyToManyField(
        "places.Category", verbose_name=_("Themenfelder"), related_name="+", blank=True
    )
    introduction = models.TextField(_("Kurzvorstellung"), max_length=3000)
    website = models.URLField(_("Website"), max_length=200, blank=True)

    # About the applicant (personal data, anonymised after the retention period)
    contact_person = models.CharField(_("Ansprechperson"), max_length=120)
    email = models.EmailField(_("E-Mail"), max_length=254)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)

    # DSGVO: which privacy notice the applicant agreed to, and when
    consent_version = models.CharField(_("Fassung der Datenschutzhinweise"), max_length=40)
    consent_given_at = models.DateTimeField(_("Einwilligung erteilt am"))

    # Conversion into a draft place
    place = models.ForeignKey(
        "places.PlacePage",
        verbose_name=_("Ortsseite"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    converted_at = models.DateTimeField(_("Übernommen am"), null=True, blank=True)
    converted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Übernommen von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # E-mails are sent after the application is stored; failures are retried.
    notification_sent_at = models.DateTimeField(
        _("Benachrichtigung gesendet am"), null=True, blank=True
    )
    confirmation_sent_at = models.DateTimeField(_("Bestätigung gesendet am"), null=True, blank=True)
    # Set instead of sending when the address already got too many confirmations in a day:
    # the form must not become a way to flood someone else's mailbox.
    confirmation_withheld = models.BooleanField(_("Bestätigung zurückgehalten"), default=False)
    # „Ihr Ort ist online“: due once the place made from the application is first published
    # (applications.online), sent once.
    place_published_at = models.DateTimeField(_("Ort veröffentlicht am"), null=True, blank=True)
    online_mail_sent_at = models.DateTimeField(
        _("„Ihr Ort ist online“ gesendet am"), null=True, blank=True
    )
    mail_attempts = models.PositiveSmallIntegerField(_("Versandversuche"), default=0)
    last_mail_error = models.CharField(_("Letzter Versandfehler"), max_length=500, blank=True)

    anonymised_at = models.DateTimeField(_("Anonymisiert am"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Bewerbung")
        verbose_name_plural = _("Bewerbungen")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return self.place_name

    @property
    def mail_pending(self) -> bool:
        return self.anonymised_at is None and (
            self.notification_sent_at is None
            or (self.confirmation_sent_at is None and not self.confirmation_withheld)
            or (self.place_published_at is not None and self.online_mail_sent_at is None)
        )

    @property
    def mail_status(self) -> str:
        if self.anonymised_at is not None:
            return "–"
        if not self.mail_pending:
            return "gesendet"
        if self.last_mail_error:
            return f"Fehler ({self.mail_attempts} Versuche): {self.last_mail_error}"
        return "ausstehend"

    @property
    @display(description="Themenfelder")  # the inbox column's heading
    def category_names(self) -> str:
        return ", ".join(category.name for category in self.categories.all())

    @property
    def notification_recipient(self) -> str:
        region = self.region
        if region is not None and region.contact_email:
            return region.contact_email
        return settings.APPLICATIONS_FALLBACK_EMAIL


class ApplicationPhoto(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="photos")
    sort_order = models.PositiveSmallIntegerField(default=0)
    file = models.ImageField(
        _("Datei"),
        storage=private_storage,
        upload_to=photo_upload_to,
        width_field="width",
        height_field="height",
        max_length=200,
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    description = models.CharField(_("Was ist auf dem Foto zu sehen?"), max_length=255)
    credit = models.CharField(_("Bildnachweis"), max_length=255)
    rights_confirmed = models.BooleanField(_("Rechte bestätigt"), default=False)
    image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name=_("Bild in der Mediathek"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Foto")
        verbose_name_plural = _("Fotos")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.description


def kept_upload_to(instance, filename):
    """Kept uploads get a random name too, in a folder of their own (purged after hours)."""
    return _random_name("applications/kept/", filename)


class KeptPhoto(models.Model):
    """A photo from a form that came back with errors, kept until the applicant sends the form
    again (applications/kept_photos.py). Referenced from the form only by a signed token;
    deleted when used, removed or expired."""

    key = models.CharField(max_length=64, unique=True)
    file = models.FileField(storage=private_storage, upload_to=kept_upload_to, max_length=200)
    original_name = models.CharField(max_length=255)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("zwischengespeichertes Foto")
        verbose_name_plural = _("zwischengespeicherte Fotos")

    def __str__(self):
        return self.original_name
