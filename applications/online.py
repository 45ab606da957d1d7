"""„Ihr Ort ist online“: the applicant hears when the place made from their application is
published for the first time.

``publishing.changes`` calls :func:`note_published` for every published place, in the
publishing transaction (any path: the editor's „Veröffentlichen“, a moderator approving a
workflow task, scheduled publishing, code). Only a first publication counts (Wagtail sets
``first_published_at`` and ``last_published_at`` from the same moment then); the
application records it (``place_published_at``) with the publication, so the e-mail is due
even if the process stops right after the commit, and it is sent once
(``online_mail_sent_at``) after the commit; ``send_pending_application_mails`` retries a
failed one. Places without an application send nothing.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .emails import send_application_mails
from .models import Application


def note_published(page) -> None:
    """Mark the applications of the first-published ``page`` as due for their „online“
    e-mail and send it after the commit."""
    first, last = page.first_published_at, page.last_published_at
    if first is None or first != last:
        return
    due = Application.objects.filter(
        place_id=page.pk, place_published_at__isnull=True, anonymised_at__isnull=True
    )
    ids = list(due.values_list("pk", flat=True))
    if not ids:
        return
    Application.objects.filter(pk__in=ids).update(place_published_at=timezone.now())

    def send():
        for application in Application.objects.filter(pk__in=ids).select_related("place"):
            send_application_mails(application)

    transaction.on_commit(send)
