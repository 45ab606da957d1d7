"""Onboarding's translators: the group ``Übersetzung <Region>`` with exactly its rights, the
region page's English twin, ``--translators`` and the admin form's field."""

import re
from io import StringIO

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from wagtail.models import (
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    WorkflowPage,
)
from wagtail_localize.models import Translation

from regions.models import RegionPage
from regions.onboarding import onboard_region, regions_for_user


def page_permissions(group):
    return set(
        GroupPagePermission.objects.filter(group=group).values_list(
            "page_id", "permission__codename"
        )
    )


def test_translators_group_has_exactly_its_rights_on_the_english_twin(
    region, django_capture_on_commit_callbacks
):
    english = Locale.objects.get(language_code="en")
    with django_capture_on_commit_callbacks(execute=True):  # as in production
        result = onboard_region("Altmark", slug="altmark")

    twin = RegionPage.objects.get(locale=english, translation_key=region.translation_key)
    assert result.translated_regions == [twin]
    assert not twin.live, "the twin is a draft until translated and approved"
    assert twin.alias_of_id is None
    assert Translation.objects.filter(
        source__object_id=region.translation_key, target_locale=english, enabled=True
    ).exists(), "a translation wagtail-localize keeps in sync (its translation editor)"
    # Its parent is the home page's copy, as wagtail-localize makes it (an alias).
    home = region.get_parent()
    assert twin.get_parent().specific.alias_of_id == home.pk
    assert twin.get_parent().locale_id == english.pk

    group = Group.objects.get(name="Übersetzung Altmark")
    assert result.translators_group == group
    assert set(group.permissions.values_list("content_type__app_label", "codename")) == {
        ("wagtailadmin", "access_admin"),
        ("wagtail_localize", "submit_translation"),
    }
    assert page_permissions(group) == {
        (twin.pk, "add_page"),
        (twin.pk, "change_page"),
        (region.pk, "bulk_delete_page"),  # browsing the German pages, nothing more
    }
    assert not GroupCollectionPermission.objects.filter(group=group).exists()
    # Moderators review and publish the English pages too; editors stay German.
    assert page_permissions(result.moderators_group) == {
        (page.pk, codename)
        for page in (region, twin)
        for codename in ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
    }
    assert page_permissions(result.editors_group) == {
        (region.pk, "add_page"),
        (region.pk, "change_page"),
    }
    # The region's approval covers its English pages.
    assert WorkflowPage.objects.get(page=twin).workflow == result.workflow
    assert result.portal_team_group.permissions.filter(codename="submit_translation").exists()

    # A translator can do nothing on the German pages, and the twin is no region of its own.
    german = Page.objects.get(pk=region.pk)
    translator = result.translators_group.user_set.model.objects.create_user("t", "t@x.org", "x")
    translator.groups.add(group)
    permissions = german.permissions_for_user(translator)
    assert not any(
        (
            permissions.can_edit(),
            permissions.can_add_subpage(),
            permissions.can_delete(),
            permissions.can_publish(),
            permissions.can_lock(),
            permissions.can_move(),
            permissions.can_copy(),
        )
    )
    assert twin.permissions_for_user(translator).can_edit()
    assert not twin.permissions_for_user(translator).can_publish()
    assert list(regions_for_user(translator)) == []
    moderator = translator.__class__.objects.create_user("m", "m@x.org", "x")
    moderator.groups.add(result.moderators_group)
    assert list(regions_for_user(moderator)) == [region]


def test_an_existing_region_gets_its_translators_on_a_rerun_and_nothing_twice(region):
    """Regions onboarded before translators existed: running onboarding again adds the
    group and the twin; a third run changes nothing; another region stays apart."""
    onboard_region("Altmark", slug="altmark")
    Group.objects.filter(name="Übersetzung Altmark").delete()

    again = onboard_region("Altmark", slug="altmark")
    assert "Gruppe „Übersetzung Altmark“" in again.created
    assert not any("Seitenbaum" in line for line in again.created), "the twin is reused"
    pages, groups = Page.objects.count(), Group.objects.count()
    permissions = set(GroupPagePermission.objects.values_list("group_id", "page_id"))

    assert not onboard_region("Altmark", slug="altmark").changed
    assert (Page.objects.count(), Group.objects.count()) == (pages, groups)
    assert set(GroupPagePermission.objects.values_list("group_id", "page_id")) == permissions

    harz = onboard_region("Harz")
    harz_twin = harz.translated_regions[0]
    assert harz_twin.get_parent().pk == again.translated_regions[0].get_parent().pk
    altmark_paths = (region.path, again.translated_regions[0].path)
    assert not GroupPagePermission.objects.filter(
        group=harz.translators_group, page__path__startswith=altmark_paths[0]
    ).exists()
    assert not GroupPagePermission.objects.filter(
        group=harz.translators_group, page__path__startswith=altmark_paths[1]
    ).exists()
    assert not GroupPagePermission.objects.filter(
        group=again.translators_group, page__path__startswith=harz_twin.path
    ).exists()


def test_translators_option_creates_accounts_like_editors(home_page, django_user_model, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://portal.example"
    known = django_user_model.objects.create_user("bernd", "bernd@example.org", "pw-123456")
    out = StringIO()
    call_command("onboard_region", "Harz", "--translators", "neu@example.org, bernd", stdout=out)
    text = out.getvalue()

    new = django_user_model.objects.get(email="neu@example.org")
    assert not new.has_usable_password()
    assert set(new.groups.values_list("name", flat=True)) == {"Übersetzung Harz"}
    assert set(known.groups.values_list("name", flat=True)) == {"Übersetzung Harz"}
    assert "„neu@example.org“: neues Konto ohne Passwort angelegt, in „Übersetzung Harz“." in text
    assert "„bernd“: vorhandenes Konto, jetzt in „Übersetzung Harz“." in text
    assert len(re.findall(r"https://portal\.example/admin/password_reset/confirm/\S+", text)) == 1
    assert "„Übersetzung Harz“" in text.split("Gruppen:")[1].splitlines()[0]


def test_admin_form_takes_translators(client, home_page, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "x")
    client.force_login(admin)
    url = reverse("regions_onboard")
    assert "E-Mail-Adressen der Übersetzung" in client.get(url).content.decode()
    response = client.post(url, {"name": "Harz", "translators": "t@example.org, kaputt"})
    assert "„kaputt“ ist keine gültige E-Mail-Adresse." in response.content.decode()

    response = client.post(url, {"name": "Harz", "translators": "t@example.org"})
    assert "ist aufgenommen" in response.content.decode()
    translator = django_user_model.objects.get(email="t@example.org")
    assert [g.name for g in translator.groups.all()] == ["Übersetzung Harz"]
