"""``onboard_region``: a published region with an empty state, editors and moderators by
e-mail address or username, and German next steps with the right login address."""

import re
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

import pytest

from regions.models import RegionPage
from regions.onboarding import onboard_region


def run(*args):
    out = StringIO()
    call_command("onboard_region", *args, stdout=out)
    return out.getvalue()


def test_new_region_is_published_and_shows_its_empty_state(client, home_page, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://portal.example"
    text = run("Harz")

    region = RegionPage.objects.get(locale__language_code="de", slug="harz")
    assert region.live and not region.has_unpublished_changes
    assert "Die Regionsseite ist veröffentlicht: https://portal.example/harz/" in text
    response = client.get("/harz/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hier entstehen gerade die ersten Porträts" in html
    assert 'href="/mitmachen/"' in html


def test_draft_says_so_clearly(home_page):
    text = run("Harz", "--draft")
    assert not RegionPage.objects.get(locale__language_code="de", slug="harz").live
    assert "ENTWURF" in text and "öffentlich noch nicht zu sehen" in text
    with pytest.raises(CommandError):
        run("Harz", "--draft", "--publish")


def test_editors_and_moderators_by_address_or_username_with_a_line_per_person(
    home_page, django_user_model, settings
):
    settings.WAGTAILADMIN_BASE_URL = "https://portal.example/"
    known = django_user_model.objects.create_user("bernd", "bernd@example.org", "pw-123456")
    django_user_model.objects.create_user("carla", "carla@example.org", "pw-123456")

    text = run(
        "Harz",
        "--editors",
        "neu@example.org, bernd",
        "--moderators",
        "CARLA@example.org",
    )

    users = get_user_model().objects
    new = users.get(email="neu@example.org")
    assert not new.has_usable_password()
    assert set(new.groups.values_list("name", flat=True)) == {"Redaktion Harz"}
    assert set(known.groups.values_list("name", flat=True)) == {"Redaktion Harz"}
    carla = users.get(username="carla")
    assert set(carla.groups.values_list("name", flat=True)) == {"Moderation Harz"}

    assert "„neu@example.org“: neues Konto ohne Passwort angelegt, in „Redaktion Harz“." in text
    assert "„bernd“ (Konto" not in text
    assert "„bernd“: vorhandenes Konto, jetzt in „Redaktion Harz“." in text
    carla_line = (
        "„carla@example.org“ (Konto „carla“): vorhandenes Konto, jetzt in „Moderation Harz“."
    )
    assert carla_line in text
    # One reset link, for the account without a password, on the configured address.
    links = re.findall(r"https://portal\.example/admin/password_reset/confirm/\S+", text)
    assert len(links) == 1
    assert "Nächste Schritte:" in text
    assert "Anmelden unter https://portal.example/admin/login/" in text
    assert "gültig bis" in text

    again = run("Harz", "--editors", "bernd", "--moderators", "carla")
    assert "„bernd“: war schon in „Redaktion Harz“, nichts geändert." in again
    assert "password_reset" not in again


def test_a_rerun_gives_a_person_without_password_a_fresh_link(home_page):
    run("Harz", "--editors", "neu@example.org")
    text = run("Harz", "--editors", "neu@example.org")
    assert "war schon in „Redaktion Harz“" in text
    assert "/admin/password_reset/confirm/" in text


def test_unknown_username_is_refused_before_anything_changes(home_page):
    with pytest.raises(CommandError, match="Kein Konto mit dem Benutzernamen „niemand“"):
        run("Harz", "--moderators", "niemand")
    assert not RegionPage.objects.filter(slug="harz").exists()


def test_function_accepts_moderators(home_page, django_user_model):
    result = onboard_region("Harz", moderators=["mod@example.org"])
    user = django_user_model.objects.get(email="mod@example.org")
    assert user.groups.filter(pk=result.moderators_group.pk).exists()
    assert not user.groups.filter(pk=result.editors_group.pk).exists()
    assert [(p.entry, p.role, p.created) for p in result.people] == [
        ("mod@example.org", "moderator", True)
    ]
