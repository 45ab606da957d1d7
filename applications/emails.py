"""German plain-text e-mails about applications, sent only after the application is stored.

No header injection: applicant values only ever appear in message bodies, except the place
name in the subject, which is stripped of line breaks and shortened; ``reply_to`` is a
validated address and Django's EmailMessage refuses line breaks in headers anyway.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import Truncator

from .models import Application

logger = logging.getLogger(__name__)


def header_safe(value: str, length: int = 80) -> str:
    return Truncator(" ".join(str(value).split())).chars(length)  # one line, shortened


def _message(application: Application, name: str, subject: str, *, to_applicant: bool, **extra):
    """The e-mail ``applications/emails/<name>.txt``: to the applicant (replies reach the
    region) or to the region (replies reach the applicant)."""
    applicant, region = [application.email], [application.notification_recipient]
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    context = {
        "application": application,
        "categories": application.category_names,
        "photo_count": application.photos.count(),
        "inbox_url": f"{base}/admin/applications/application/inspect/{application.pk}/",
        "region_name": application.region.title if application.region else "unbekannt",
        "retention_days": settings.APPLICATIONS_RETENTION_DAYS,
        **extra,
    }
    return EmailMessage(
        subject=subject,
        body=render_to_string(f"applications/emails/{name}.txt", context),
        to=applicant if to_applicant else region,
        reply_to=region if to_applicant else applicant,
    )


def notification_message(application: Application) -> EmailMessage:
    subject = f"Neuer Vorschlag für das Portal: {header_safe(application.place_name)}"
    return _message(application, "notification", subject, to_applicant=False)


def confirmation_message(application: Application) -> EmailMessage:
    subject = "Ihr Vorschlag bei Kreativorte im Grünen ist angekommen"
    return _message(application, "confirmation", subject, to_applicant=True)


def online_message(application: Application) -> EmailMessage:
    """„Ihr Ort ist online“: only the page's title (which an editor published) and its
    address, nothing typed into the form."""
    place = application.place
    url = place.get_full_url()
    if not (url and url.startswith("http")):  # no site root: the admin's base address
        url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + (place.get_url() or "")
    return _message(
        application,
        "online",
        f"Ihr Ort ist online: {header_safe(place.title)}",
        to_applicant=True,
        place_title=place.title,
        place_url=url,
    )


GMAIL_DOMAINS = ("gmail.com", "googlemail.com")


def _ascii_domain(domain: str) -> str:
    domain = domain.strip().rstrip(".").lower()
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain


def mailbox_key(address: str) -> str:
    """One spelling for every way of writing the same mailbox, for the per-address cap.

    Case does not matter; a ``+tag`` after the local part is delivered to the same mailbox
    almost everywhere; Gmail ignores dots in the local part and treats googlemail.com as
    gmail.com. Otherwise "opfer+1@…", "opfer+2@…" … would each get their own share.
    """
    local, _, domain = address.strip().rpartition("@")
    local = local.lower().split("+", 1)[0]
    domain = _ascii_domain(domain)
    if domain in GMAIL_DOMAINS:
        local, domain = local.replace(".", ""), GMAIL_DOMAINS[0]
    return f"{local}@{domain}"


def _same_domain(address: str) -> Q:
    """Stored addresses that may be the same mailbox (narrowed in SQL, compared in Python)."""
    domain = _ascii_domain(address.rpartition("@")[2])
    domains = {domain, address.rpartition("@")[2].strip().rstrip(".").lower()}
    if domain in GMAIL_DOMAINS:
        domains.update(GMAIL_DOMAINS)
    query = Q()
    for name in domains:
        query |= Q(email__iendswith=f"@{name}") | Q(email__iendswith=f"@{name}.")
    return query


def confirmations_exhausted(application: Application) -> bool:
    """Has this mailbox had its share of confirmation mails in the last 24 hours?"""
    since = timezone.now() - timedelta(hours=24)
    key = mailbox_key(application.email)
    candidates = (
        Application.objects.filter(_same_domain(application.email), confirmation_sent_at__gte=since)
        .exclude(pk=application.pk)
        .values_list("email", flat=True)
    )
    sent = sum(1 for email in candidates.iterator() if mailbox_key(email) == key)
    return sent >= settings.APPLICATIONS_CONFIRMATIONS_PER_ADDRESS


def send_application_mails(application: Application) -> bool:
    """Send whatever is still unsent; record success or the error. True when all are out."""
    if application.anonymised_at is not None:
        return True
    errors = []
    for sent_field, build in (
        ("notification_sent_at", notification_message),
        ("confirmation_sent_at", confirmation_message),
        ("online_mail_sent_at", online_message),
    ):
        if getattr(application, sent_field) is not None:
            continue
        if sent_field == "online_mail_sent_at" and not (
            application.place_published_at and application.place and application.place.live
        ):
            continue
        if sent_field == "confirmation_sent_at" and (
            application.confirmation_withheld or confirmations_exhausted(application)
        ):
            application.confirmation_withheld = True
            continue
        try:
            build(application).send(fail_silently=False)
        except Exception as exc:  # any backend error: keep, log, retry later
            logger.exception("Sending %s for application %s failed.", sent_field, application.pk)
            errors.append(f"{type(exc).__name__}: {exc}")
        else:
            setattr(application, sent_field, timezone.now())
    application.mail_attempts += 1
    application.last_mail_error = "; ".join(errors)[:500]
    Application.objects.filter(pk=application.pk).update(
        notification_sent_at=application.notification_sent_at,
        confirmation_sent_at=application.confirmation_sent_at,
        confirmation_withheld=application.confirmation_withheld,
        online_mail_sent_at=application.online_mail_sent_at,
        mail_attempts=application.mail_attempts,
        last_mail_error=application.last_mail_error,
    )
    return not errors


def queue_application_mails(application: Application) -> None:
    """Send the e-mails once the surrounding transaction has committed."""
    pk = application.pk

    def send():
        fresh = Application.objects.filter(pk=pk).first()
        if fresh is not None:
            send_application_mails(fresh)

    transaction.on_commit(send)


def send_pending_mails(max_attempts: int | None = None) -> tuple[int, int]:
    """Retry every application whose e-mails are not all out. Returns (sent, failed)."""
    max_attempts = max_attempts or settings.APPLICATIONS_MAX_MAIL_ATTEMPTS
    sent = failed = 0
    for pk in (
        Application.objects.mail_pending()
        .filter(mail_attempts__lt=max_attempts)
        .values_list("pk", flat=True)
    ):
        with transaction.atomic():
            application = (
                Application.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            )
            if application is None or not application.mail_pending:
                continue
            if send_application_mails(application):
                sent += 1
            else:
                failed += 1
    return sent, failed
