"""E-mails: sent after storing, German plain text, failures kept, shown and retried."""

from io import StringIO

from django.core import mail
from django.core.management import call_command

import pytest

from applications.emails import confirmation_message, mailbox_key, notification_message
from applications.factories import ApplicationFactory
from applications.models import Application

from .helpers import form_data

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script>'
DOWN = "applications.tests.failing_backend.DownEmailBackend"


@pytest.mark.parametrize(
    "backend", [DOWN, "django.core.mail.backends.smtp.EmailBackend"], ids=["down", "smtp-closed"]
)
def test_mail_failure_keeps_the_application_and_is_retried(
    post, client, altmark, categories, settings, altmark_editor, backend
):
    settings.EMAIL_BACKEND = backend
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    response = post(form_data(altmark, categories))
    assert response.status_code == 200
    assert "Vielen Dank" in response.content.decode()

    application = Application.objects.get()
    assert application.notification_sent_at is None
    assert application.confirmation_sent_at is None
    assert application.mail_attempts == 1
    assert "Connection refused" in application.last_mail_error or application.last_mail_error

    client.force_login(altmark_editor)
    index = client.get("/admin/applications/application/").content.decode()
    assert "Fehler (1 Versuche)" in index
    detail = client.get(
        f"/admin/applications/application/inspect/{application.pk}/"
    ).content.decode()
    assert "E-Mail-Versand fehlgeschlagen" in detail

    # Still down: the retry records another attempt.
    call_command("send_pending_application_mails", stdout=StringIO(), stderr=StringIO())
    application.refresh_from_db()
    assert application.mail_attempts == 2

    # The server is back: the retry sends both mails, once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = StringIO()
    call_command("send_pending_application_mails", stdout=out)
    assert "1 gesendet" in out.getvalue()
    assert len(mail.outbox) == 2
    application.refresh_from_db()
    assert application.notification_sent_at and application.confirmation_sent_at
    assert application.last_mail_error == ""
    call_command("send_pending_application_mails", stdout=StringIO())
    assert len(mail.outbox) == 2
    assert "Fehler" not in client.get("/admin/applications/application/").content.decode()


def test_mails_show_html_as_text(altmark):
    application = ApplicationFactory(
        region=altmark, place_name=XSS, introduction=XSS, contact_person=XSS
    )
    for message in (notification_message(application), confirmation_message(application)):
        assert message.content_subtype == "plain"
        assert not getattr(message, "alternatives", None)
        assert "&lt;" not in message.body
    # Shown literally as text, not escaped into entities (the confirmation carries none).
    assert XSS in notification_message(application).body


def test_subject_has_no_line_breaks_even_from_stored_data(altmark):
    application = ApplicationFactory(region=altmark, place_name="Hof\r\nBcc: victim@example.org")
    message = notification_message(application)
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.recipients() == ["kreativorte@altmark.de"]
    headers = message.message().as_string().split("\n\n", 1)[0]
    assert "\nBcc:" not in headers


def test_one_address_gets_only_a_few_confirmations_a_day(
    post, client, altmark, categories, settings, altmark_editor
):
    """Nobody can use the form to flood a stranger's mailbox; the editors still hear of all."""
    settings.APPLICATIONS_CONFIRMATIONS_PER_ADDRESS = 2
    for address in ("opfer@example.org", "Opfer@Example.org", "OPFER@example.org"):
        response = post(form_data(altmark, categories, email=address))
        assert response.status_code == 200
    to_victim = [m for m in mail.outbox if m.to[0].lower() == "opfer@example.org"]
    assert len(to_victim) == 2
    assert len(mail.outbox) == 3 + 2  # three notifications to the region, two confirmations

    withheld = Application.objects.get(email="OPFER@example.org")
    assert withheld.confirmation_withheld and withheld.confirmation_sent_at is None
    assert not withheld.mail_pending
    call_command("send_pending_application_mails", stdout=StringIO())
    assert len(mail.outbox) == 5

    client.force_login(altmark_editor)
    detail = client.get(f"/admin/applications/application/inspect/{withheld.pk}/")
    assert "Bestätigung: zurückgehalten" in detail.content.decode()

    # Another address is not affected.
    post(form_data(altmark, categories, email="jemand@example.org"))
    assert [m.to for m in mail.outbox].count(["jemand@example.org"]) == 1


@pytest.mark.parametrize(
    "spellings",
    [
        ("opfer@gmail.com", "O.pfer+1@gmail.com", "o.p.f.e.r+news@googlemail.com"),
        ("anna.b@example.org", "Anna.B+1@EXAMPLE.org", "anna.b+zwei@example.org"),
        ("opfer@bücher.example", "OPFER+x@xn--bcher-kva.example", "opfer+y@BÜCHER.example"),
    ],
    ids=["gmail-dots-and-googlemail", "plus-tags-and-case", "idn-domain"],
)
def test_plus_tags_dots_and_case_share_one_cap(post, altmark, categories, settings, spellings):
    """The cap counts mailboxes, not spellings: "opfer+1@", "opfer+2@" … reach one person."""
    settings.APPLICATIONS_CONFIRMATIONS_PER_ADDRESS = 2
    for address in spellings:
        assert post(form_data(altmark, categories, email=address)).status_code == 200
    confirmations = [m for m in mail.outbox if m.to != ["kreativorte@altmark.de"]]
    assert len(confirmations) == 2
    assert Application.objects.filter(confirmation_withheld=True).count() == 1


def test_mailbox_key():
    assert mailbox_key(" Anna.B+Tag@Example.ORG ") == "anna.b@example.org"
    assert mailbox_key("a.n.n.a+x@googlemail.com") == mailbox_key("anna@gmail.com")
    # Dots only count as nothing where the provider says so.
    assert mailbox_key("anna.b@example.org") != mailbox_key("annab@example.org")
    assert mailbox_key("anna@bücher.example") == "anna@xn--bcher-kva.example"


def test_the_confirmation_carries_no_text_from_the_form(altmark):
    """Anyone can type a stranger's address: the mail to it must not carry their message."""
    spam = "Gewinn abholen: https://spam.example/"
    application = ApplicationFactory(
        region=altmark,
        place_name=spam,
        contact_person=spam,
        introduction=spam,
        website="https://spam.example/",
        phone="0800 123",
    )
    message = confirmation_message(application)
    assert "spam.example" not in message.body and "0800" not in message.body
    assert "spam.example" not in message.subject
    assert "Region Altmark" in message.body
