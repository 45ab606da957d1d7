"""The public form: no cookies, German messages, bots dropped, abuse refused."""

import json

from django.core import mail

import pytest

from applications.models import Application, ApplicationStatus
from applications.security import check_form_token, make_form_token

from .helpers import form_data, old_token

pytestmark = pytest.mark.django_db


def test_get_shows_the_german_form_and_sets_no_cookie(client, altmark, categories):
    response = client.get("/mitmachen/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ort vorschlagen" in html
    assert 'name="token"' in html
    assert "Bitte leer lassen" in html
    assert 'tabindex="-1"' in html and 'aria-hidden="true"' in html
    assert "Altmark" in html
    assert 'autocomplete="email"' in html
    assert "<legend>Themenfelder" in html
    assert response.cookies == {}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_valid_application_is_stored_and_mails_go_out(post, altmark, categories):
    response = post(form_data(altmark, categories))
    assert response.status_code == 200, response.content.decode()[:2000]
    assert "Vielen Dank" in response.content.decode()
    assert "So geht es weiter" in response.content.decode()
    assert response.cookies == {}

    application = Application.objects.get()
    assert application.status == ApplicationStatus.NEW
    assert application.region_id == altmark.pk
    assert application.consent_version == "2026-11"
    assert application.consent_given_at is not None
    assert application.categories.count() == 2
    assert application.notification_sent_at and application.confirmation_sent_at

    notification, confirmation = mail.outbox
    assert notification.to == ["kreativorte@altmark.de"]
    assert notification.reply_to == ["anna@example.org"]
    assert "Alte Scheune Mösenthin" in notification.subject
    assert "Kurzvorstellung" in notification.body
    assert confirmation.to == ["anna@example.org"]
    assert "So geht es weiter" in confirmation.body
    assert "ist bei uns angekommen" in confirmation.body


def test_region_without_address_falls_back_to_the_setting(post, altmark, categories, settings):
    settings.APPLICATIONS_FALLBACK_EMAIL = "portal@example.org"
    altmark.contact_email = ""
    altmark.save_revision().publish()
    post(form_data(altmark, categories))
    assert mail.outbox[0].to == ["portal@example.org"]


def test_empty_form_is_refused_with_german_messages(post, altmark, categories):
    response = post({"token": old_token()})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bitte prüfen Sie Ihre Angaben" in html
    assert "Bitte füllen Sie dieses Feld aus." in html
    assert "Bitte wählen Sie mindestens ein Themenfeld." in html
    assert "Bitte stimmen Sie den Datenschutzhinweisen zu." in html
    assert 'href="#id_place_name"' in html
    assert 'aria-invalid="true"' in html
    assert Application.objects.count() == 0
    assert response.cookies == {}


@pytest.mark.parametrize(
    ("field", "length"),
    [("place_name", 121), ("introduction", 3001), ("contact_person", 121), ("phone", 41)],
)
def test_text_limits(post, altmark, categories, field, length):
    response = post(form_data(altmark, categories, **{field: "x" * length}))
    assert response.status_code == 400
    assert "Bitte höchstens" in response.content.decode()
    assert Application.objects.count() == 0


def test_too_fast_bot_is_silently_dropped(post, altmark, categories):
    data = form_data(altmark, categories, token=make_form_token())
    response = post(data)
    assert response.status_code == 200
    assert "Vielen Dank" in response.content.decode()
    assert Application.objects.count() == 0
    assert mail.outbox == []


def test_filled_honeypot_is_silently_dropped(post, altmark, categories):
    response = post(form_data(altmark, categories, fax="http://spam.example"))
    assert response.status_code == 200
    assert "Vielen Dank" in response.content.decode()
    assert Application.objects.count() == 0
    assert mail.outbox == []


def test_expired_form_keeps_the_entered_data(post, altmark, categories):
    data = form_data(altmark, categories, token=old_token(3 * 60 * 60))
    response = post(data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Das Formular ist abgelaufen" in html
    assert 'value="Alte Scheune Mösenthin"' in html
    assert Application.objects.count() == 0
    # The page carries a fresh token that works.
    fresh = response.context["form"]["token"].value()
    assert fresh != data["token"]
    assert check_form_token(fresh).reason in {"too-fast", ""}


def test_forged_token_is_not_accepted(post, altmark, categories):
    response = post(form_data(altmark, categories, token="abc:def"))
    assert response.status_code == 400
    assert Application.objects.count() == 0


def test_foreign_origin_is_refused(post, altmark, categories):
    response = post(form_data(altmark, categories), HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert "nicht von dieser Website" in response.content.decode()
    assert Application.objects.count() == 0


def test_foreign_referer_is_refused(client, altmark, categories):
    response = client.post(
        "/mitmachen/",
        form_data(altmark, categories),
        HTTP_REFERER="https://evil.example/form.html",
    )
    assert response.status_code == 403


def test_allowed_static_site_origin_is_accepted(post, altmark, categories, settings):
    settings.APPLICATIONS_ALLOWED_ORIGINS = ["https://kreativorte.example"]
    response = post(form_data(altmark, categories), HTTP_ORIGIN="https://kreativorte.example")
    assert response.status_code == 200
    assert Application.objects.count() == 1


def test_double_submission_stores_one_application(post, altmark, categories):
    data = form_data(altmark, categories)
    assert post(data).status_code == 200
    assert post(data).status_code == 200
    assert Application.objects.count() == 1


def test_fifty_submissions_a_minute_are_rate_limited(post, altmark, categories, settings):
    settings.APPLICATIONS_RATE_LIMIT = 5
    statuses = []
    for number in range(50):
        data = form_data(altmark, categories, place_name=f"Spamhof {number}")
        statuses.append(post(data, REMOTE_ADDR="203.0.113.7").status_code)
    assert statuses[:5] == [200] * 5
    assert set(statuses[5:]) == {429}
    response = post(form_data(altmark, categories), REMOTE_ADDR="203.0.113.7")
    assert "Zu viele Versuche" in response.content.decode()
    assert Application.objects.count() == 5  # nothing already stored is lost
    # Another address is not affected.
    other = post(form_data(altmark, categories), REMOTE_ADDR="198.51.100.1")
    assert other.status_code == 200


def test_forwarded_for_is_only_trusted_when_configured(post, altmark, categories, settings):
    settings.APPLICATIONS_RATE_LIMIT = 1
    post(form_data(altmark, categories), HTTP_X_FORWARDED_FOR="192.0.2.1")
    # Without the setting, a spoofed header does not give a fresh quota.
    spoofed = post(form_data(altmark, categories), HTTP_X_FORWARDED_FOR="192.0.2.2")
    assert spoofed.status_code == 429
    settings.APPLICATIONS_TRUST_X_FORWARDED_FOR = True
    # The proxy appended the visitor's address (right-most): a new visitor, a new quota.
    proxied = post(form_data(altmark, categories), HTTP_X_FORWARDED_FOR="192.0.2.3")
    assert proxied.status_code == 200


def test_header_injection_is_impossible(post, altmark, categories):
    data = form_data(
        altmark,
        categories,
        place_name="Hof\r\nBcc: victim@example.org",
        contact_person="Anna\nBcc: victim@example.org",
        email="anna@example.org\r\nBcc: victim@example.org",
    )
    response = post(data)
    assert response.status_code == 400  # the e-mail address is invalid
    data["email"] = "anna@example.org"
    response = post(data)
    assert response.status_code == 200
    application = Application.objects.get()
    assert "\n" not in application.place_name and "\r" not in application.place_name
    for message in mail.outbox:
        assert "\n" not in message.subject and "\r" not in message.subject
        raw = message.message().as_string()
        assert "Bcc: victim@example.org" not in raw.split("\n\n", 1)[0]
        assert "victim@example.org" not in message.recipients()


def test_token_endpoint_gives_json_and_cors_for_allowed_origins_only(client, settings):
    settings.APPLICATIONS_ALLOWED_ORIGINS = ["https://kreativorte.example"]
    response = client.get("/mitmachen/token", HTTP_ORIGIN="https://kreativorte.example")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "https://kreativorte.example"
    assert json.loads(response.content)["token"]
    assert response.cookies == {}
    other = client.get("/mitmachen/token", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other


def test_form_from_the_static_site_with_a_fetched_token(
    client, post, altmark, categories, settings
):
    settings.APPLICATIONS_ALLOWED_ORIGINS = ["https://kreativorte.example"]
    settings.APPLICATIONS_MIN_FILL_SECONDS = 0
    token = json.loads(client.get("/mitmachen/token").content)["token"]
    response = post(
        form_data(altmark, categories, token=token),
        HTTP_ORIGIN="https://kreativorte.example",
    )
    assert response.status_code == 200
    assert Application.objects.count() == 1


def test_unpublished_region_cannot_be_chosen(post, altmark, categories):
    altmark.unpublish()
    response = post(form_data(altmark, categories))
    assert response.status_code == 400
    assert "Bitte wählen Sie eine Region aus der Liste." in response.content.decode()


def test_control_characters_are_removed(post, altmark, categories):
    data = form_data(
        altmark, categories, introduction="Erste Zeile\x07\x1b[31m\nZweite Zeile mit Text hier."
    )
    assert post(data).status_code == 200
    assert Application.objects.get().introduction == "Erste Zeile[31m\nZweite Zeile mit Text hier."
