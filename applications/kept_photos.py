"""Photos survive a form that comes back with errors.

When the application form has errors, the photos that passed their checks are stored in the
private storage (``KeptPhoto``, random names, never in MEDIA_ROOT: they are personal data
like every applicant's photo) and the re-shown form refers to each by a signed token
(``django.core.signing``, own salt, ``max_age``): „Foto 1: scheune.jpg – bleibt erhalten“,
with a box to remove it. Sending the form again uses the kept photo unless a new file was
chosen for that slot or it was removed.

A token that is forged, damaged or older than ``KEPT_MAX_AGE`` (the form's own maximum age)
is ignored: the slot asks for the photo again. Kept photos are deleted when used, replaced or
removed, and any left behind (the applicant gave up) by :func:`purge_expired`, which the
daily ``purge_applications`` runs and every newly kept photo triggers.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from .models import KeptPhoto

SALT = "applications.kept-photo"
NAME_LENGTH = 80


def max_age_seconds() -> int:
    """How long a kept photo stays usable: as long as the form itself (a deployment or a
    test may set ``APPLICATIONS_KEPT_PHOTO_SECONDS``)."""
    return getattr(
        settings, "APPLICATIONS_KEPT_PHOTO_SECONDS", settings.APPLICATIONS_MAX_FORM_AGE_SECONDS
    )


@dataclass
class Kept:
    """A kept photo as the form shows and uses it."""

    token: str
    name: str
    photo: KeptPhoto

    @property
    def file(self) -> File:
        """The stored file, opened, named like the applicant's, for ``FieldFile.save``."""
        stored = self.photo.file
        return File(stored.storage.open(stored.name, "rb"), name=self.name)

    def refresh(self) -> Kept:
        """A fresh token and time: the applicant is still at it."""
        KeptPhoto.objects.filter(pk=self.photo.pk).update(created_at=timezone.now())
        return Kept(sign(self.photo), self.name, self.photo)


def display_name(filename: str) -> str:
    """The applicant's file name without folders, shortened."""
    name = PurePosixPath(str(filename).replace("\\", "/")).name or "Foto"
    if len(name) > NAME_LENGTH:
        suffix = PurePosixPath(name).suffix[:8]
        name = name[: NAME_LENGTH - len(suffix) - 1] + "…" + suffix
    return name


def sign(photo: KeptPhoto) -> str:
    return signing.dumps({"k": photo.key}, salt=SALT, compress=False)


def keep(upload) -> Kept:
    """Store a checked upload privately; returns it with its token."""
    purge_expired()
    photo = KeptPhoto(key=secrets.token_urlsafe(30), original_name=display_name(upload.name))
    upload.seek(0)
    photo.file.save(upload.name, upload)  # saves the row too
    return Kept(sign(photo), photo.original_name, photo)


def load(token: str) -> Kept | None:
    """The kept photo a token names, or None (forged, damaged, expired or already gone)."""
    if not token or len(token) > 300:
        return None
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age_seconds())
        key = str(payload["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    photo = KeptPhoto.objects.filter(key=key).first()
    return Kept(token, photo.original_name, photo) if photo is not None else None


def discard(kept_photos) -> None:
    """Delete kept photos (rows now, files once the deletion is committed)."""
    for photo in kept_photos:
        storage, name = photo.file.storage, photo.file.name
        photo.delete()
        if name:
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


def purge_expired() -> None:
    """Delete kept photos whose token can no longer be used (plus an hour's margin)."""
    cutoff = timezone.now() - timedelta(seconds=max_age_seconds()) - timedelta(hours=1)
    discard(list(KeptPhoto.objects.filter(created_at__lt=cutoff)))
