"""„Ihr Ort ist online“: sent once, when the place made from an application is first
published - by a moderator approving the workflow as well as by a direct publish."""

from decimal import Decimal

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wagtail.models import TaskState

import pytest

from applications.conversion import convert_to_draft
from applications.models import Application
from places.factories import PlacePageFactory
from regions.onboarding import onboard_region

pytestmark = pytest.mark.django_db

SUBJECT = "Ihr Ort ist online"


def online_mails():
    return [message for message in mail.outbox if message.subject.startswith(SUBJECT)]


def with_point(page, user):
    draft = page.get_latest_revision_as_object()
    draft.latitude, draft.longitude = Decimal("52.665"), Decimal("11.555")
    return draft.save_revision(user=user)


def test_direct_publish_sends_it_once(
    client, altmark, altmark_editor, application, django_capture_on_commit_callbacks
):
    page = convert_to_draft(application, altmark_editor)
    revision = with_point(page, altmark_editor)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        revision.publish(user=altmark_editor)

    [message] = online_mails()
    assert message.to == [application.email]
    assert message.reply_to == ["kreativorte@altmark.de"]
    assert page.title in message.subject
    page.refresh_from_db()
    assert page.url in message.body
    application.refresh_from_db()
    assert application.online_mail_sent_at is not None
    client.force_login(altmark_editor)
    inspect = client.get(f"/admin/applications/application/inspect/{application.pk}/")
    sent = timezone.localtime(application.online_mail_sent_at).strftime("%d.%m.%Y %H:%M")
    assert f"„Ihr Ort ist online“: {sent}" in inspect.content.decode()

    # Published again (an edit, unpublish and publish): no second e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        with_point(page, altmark_editor).publish(user=altmark_editor)
        page.refresh_from_db()
        page.unpublish()
        page.get_latest_revision().publish()
    assert len(online_mails()) == 1


def test_moderator_approving_the_workflow_sends_it(
    client, altmark, categories, django_user_model, django_capture_on_commit_callbacks
):
    result = onboard_region("Altmark", slug="altmark")
    editor = django_user_model.objects.create_user("ed", "ed@example.org", "pw-123456")
    editor.groups.add(result.editors_group)
    moderator = django_user_model.objects.create_user("mod", "mod@example.org", "pw-123456")
    moderator.groups.add(result.moderators_group)
    application = Application.objects.create(
        region=altmark,
        place_name="Kulturscheune Kläden",
        municipality="Bismark (Altmark)",
        introduction="Eine Scheune von 1890, die wir zu einem Kulturort umbauen.",
        contact_person="Anna Muster",
        email="anna@example.org",
        consent_version="1",
        consent_given_at=timezone.now(),
    )
    page = convert_to_draft(application, editor)
    with_point(page, editor)
    # Submitting to moderation is what the editor's „Zur Freigabe einreichen“ runs.
    workflow_state = page.get_workflow().start(page, editor)
    task_state = TaskState.objects.get(workflow_state=workflow_state, status="in_progress")
    mail.outbox.clear()
    assert online_mails() == []

    client.force_login(moderator)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"comment": ""})
    assert response.status_code in (200, 302)

    page.refresh_from_db()
    assert page.live
    [message] = online_mails()
    assert message.to == ["anna@example.org"]
    assert "Kulturscheune Kläden" in message.body
    assert page.url in message.body


def test_places_without_an_application_send_nothing(altmark, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        PlacePageFactory(parent=altmark, title="Ohne Bewerbung").save_revision().publish()
    assert online_mails() == []


def test_a_failed_online_mail_is_retried_by_the_command(
    altmark, altmark_editor, application, settings, django_capture_on_commit_callbacks
):
    page = convert_to_draft(application, altmark_editor)
    revision = with_point(page, altmark_editor)
    Application.objects.filter(pk=application.pk).update(
        notification_sent_at=timezone.now(), confirmation_sent_at=timezone.now()
    )
    settings.EMAIL_BACKEND = "applications.tests.failing_backend.DownEmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        revision.publish(user=altmark_editor)
    application.refresh_from_db()
    assert application.place_published_at and application.online_mail_sent_at is None
    assert application.last_mail_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    call_command("send_pending_application_mails")
    assert [m.to for m in online_mails()] == [[application.email]]
    application.refresh_from_db()
    assert application.online_mail_sent_at is not None
