"""Onboarding a region: one function, one command, one admin form; idempotent and isolated."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    WorkflowPage,
)

import pytest

from regions.models import RegionPage
from regions.onboarding import (
    PORTAL_TEAM_GROUP,
    OnboardingError,
    onboard_region,
    regions_for_user,
)


def permission_snapshot(*groups):
    pages = set(
        GroupPagePermission.objects.filter(group__in=groups).values_list(
            "group__name", "page_id", "permission__codename"
        )
    )
    collections = set(
        GroupCollectionPermission.objects.filter(group__in=groups).values_list(
            "group__name", "collection_id", "permission__codename"
        )
    )
    return pages, collections


def test_onboarding_creates_page_groups_collection_and_workflow(home_page):
    result = onboard_region("Harz", contact_email="harz@example.org", editors=["A@Example.org"])

    region = RegionPage.objects.get(locale__language_code="de", slug="harz")
    assert result.region.pk == region.pk and result.region_created
    assert region.get_parent().pk == home_page.pk
    assert region.live, "a new region is published (reachable with its empty state)"
    assert region.contact_email == "harz@example.org"

    editors = Group.objects.get(name="Redaktion Harz")
    moderators = Group.objects.get(name="Moderation Harz")
    assert set(
        GroupPagePermission.objects.filter(group=editors).values_list(
            "page_id", "permission__codename"
        )
    ) == {(region.pk, "add_page"), (region.pk, "change_page")}
    assert set(
        GroupPagePermission.objects.filter(group=moderators).values_list(
            "permission__codename", flat=True
        )
    ) == {"add_page", "change_page", "publish_page", "lock_page", "unlock_page"}
    assert editors.permissions.filter(codename="access_admin").exists()

    collection = Collection.objects.get(name="Harz")
    editor_collection_perms = set(
        GroupCollectionPermission.objects.filter(group=editors).values_list(
            "collection_id", "permission__codename"
        )
    )
    assert {codename for _, codename in editor_collection_perms} == {
        "add_image",
        "change_image",
        "choose_image",
        "add_document",
        "change_document",
        "choose_document",
    }
    assert {collection_id for collection_id, _ in editor_collection_perms} == {collection.pk}

    workflow_page = WorkflowPage.objects.get(page=region)
    assert workflow_page.workflow.name == "Freigabe Harz"
    task = GroupApprovalTask.objects.get(workflow_tasks__workflow=workflow_page.workflow)
    assert set(task.groups.values_list("name", flat=True)) == {"Moderation Harz", PORTAL_TEAM_GROUP}

    user = get_user_model().objects.get(email="a@example.org")
    assert not user.has_usable_password()
    assert user.groups.filter(pk=editors.pk).exists()
    assert [r.title for r in regions_for_user(user)] == ["Harz"]


def test_onboarding_is_idempotent_and_adopts_the_existing_region_page(region):
    first = onboard_region("Altmark", slug="altmark", editors=["r@example.org"])
    assert not first.region_created and first.region.pk == region.pk
    before = permission_snapshot(*Group.objects.all())
    counts = (
        RegionPage.objects.count(),
        Group.objects.count(),
        Collection.objects.count(),
        WorkflowPage.objects.count(),
        get_user_model().objects.count(),
    )

    second = onboard_region("Altmark", slug="altmark", editors=["r@example.org"])

    assert not second.changed
    assert permission_snapshot(*Group.objects.all()) == before
    assert counts == (
        RegionPage.objects.count(),
        Group.objects.count(),
        Collection.objects.count(),
        WorkflowPage.objects.count(),
        get_user_model().objects.count(),
    )
    assert region.live, "an adopted live region stays live"


def test_onboarding_another_region_leaves_the_altmark_permissions_unchanged(region):
    onboard_region("Altmark", slug="altmark")
    altmark_groups = Group.objects.filter(name__in=["Redaktion Altmark", "Moderation Altmark"])
    before = permission_snapshot(*altmark_groups)
    altmark_workflow = WorkflowPage.objects.get(page=region).workflow_id

    onboard_region("Harz", editors=["h@example.org"])

    assert permission_snapshot(*altmark_groups) == before
    assert WorkflowPage.objects.get(page=region).workflow_id == altmark_workflow
    harz = RegionPage.objects.get(locale__language_code="de", slug="harz")
    assert not GroupPagePermission.objects.filter(
        group__name__endswith="Harz", page__path__startswith=region.path
    ).exists()
    assert not GroupPagePermission.objects.filter(
        group__name__endswith="Altmark", page__path__startswith=harz.path
    ).exists()


def test_portal_team_has_rights_on_the_whole_tree_and_approves_everywhere(region):
    onboard_region("Altmark", slug="altmark")
    portal = Group.objects.get(name=PORTAL_TEAM_GROUP)
    root_codenames = set(
        GroupPagePermission.objects.filter(group=portal, page__depth=1).values_list(
            "permission__codename", flat=True
        )
    )
    assert {"add_page", "change_page", "publish_page", "bulk_delete_page"} <= root_codenames
    assert GroupCollectionPermission.objects.filter(
        group=portal, collection__depth=1, permission__codename="choose_image"
    ).exists()
    # Wagtail's default workflow on the root (content pages) lists the portal team too.
    root_workflow = WorkflowPage.objects.get(page__depth=1).workflow
    assert GroupApprovalTask.objects.filter(
        workflow_tasks__workflow=root_workflow, groups=portal
    ).exists()
    user = get_user_model().objects.create_user("team", "team@example.org", "x")
    user.groups.add(portal)
    assert list(regions_for_user(user)) == [region]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": ""}, "Namen"),
        ({"name": "Harz", "slug": "Harz Süd!"}, "Adresse"),
        ({"name": "Harz", "editors": ["kein-at"]}, "E-Mail"),
        ({"name": "Harz", "contact_email": "x@"}, "E-Mail"),
    ],
)
def test_bad_input_is_refused_in_german_and_changes_nothing(home_page, kwargs, message):
    groups = Group.objects.count()
    with pytest.raises(OnboardingError, match=message):
        onboard_region(**kwargs)
    assert Group.objects.count() == groups
    assert not RegionPage.objects.exists()


def test_command_prints_a_reset_link_never_a_password(home_page):
    out = StringIO()
    call_command(
        "onboard_region",
        "Harz",
        "--editors",
        "a@example.org,b@example.org",
        "--publish",
        stdout=out,
    )
    text = out.getvalue()
    assert "Redaktion Harz" in text
    assert text.count("/admin/password_reset/confirm/") == 2
    assert RegionPage.objects.get(locale__language_code="de", slug="harz").live

    out = StringIO()
    call_command("onboard_region", "Harz", stdout=out)
    assert "nichts geändert" in out.getvalue()

    with pytest.raises(CommandError):
        call_command("onboard_region", "Harz", "--editors", "kaputt", stdout=StringIO())


def test_reset_link_lets_the_new_editor_set_a_password(client, home_page):
    out = StringIO()
    call_command("onboard_region", "Harz", "--editors", "neu@example.org", stdout=out)
    link = next(word for word in out.getvalue().split() if "/password_reset/confirm/" in word)
    path = link[link.index("/admin/") :]
    response = client.get(path, follow=True)
    assert response.status_code == 200
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "ein-langes-Passwort-42", "new_password2": "ein-langes-Passwort-42"},
    )
    assert response.status_code == 302
    assert get_user_model().objects.get(email="neu@example.org").has_usable_password()


def test_admin_form_is_for_superusers_only(client, home_page, django_user_model):
    url = reverse("regions_onboard")
    editor = django_user_model.objects.create_user("ed", "ed@example.org", "x")
    onboard_region("Altmark", editors=["ed@example.org"])
    client.force_login(editor)
    for response in (client.get(url), client.post(url, {"name": "Harz"})):
        # Wagtail turns PermissionDenied into a redirect to the dashboard with a message.
        assert (response.status_code, response.get("Location")) in ((403, None), (302, "/admin/"))
    assert not RegionPage.objects.filter(slug="harz").exists()
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Region aufnehmen" not in menu

    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "x")
    client.force_login(admin)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"name": "Harz", "slug": "", "contact_email": "", "editors": "h@example.org"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "ist aufgenommen" in content
    assert "/admin/password_reset/confirm/" in content
    assert RegionPage.objects.filter(slug="harz").exists()
    assert "Region aufnehmen" in client.get(reverse("wagtailadmin_home")).content.decode()


def test_admin_form_names_the_moderators_too(client, home_page, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "x")
    client.force_login(admin)
    url = reverse("regions_onboard")
    response = client.post(url, {"name": "Harz", "moderators": "m@example.org, kaputt"})
    assert "„kaputt“ ist keine gültige E-Mail-Adresse." in response.content.decode()
    assert not RegionPage.objects.filter(slug="harz").exists()

    response = client.post(
        url, {"name": "Harz", "editors": "r@example.org", "moderators": "m@example.org"}
    )
    assert "ist aufgenommen" in response.content.decode()
    moderator = django_user_model.objects.get(email="m@example.org")
    editor = django_user_model.objects.get(email="r@example.org")
    assert [g.name for g in moderator.groups.all()] == ["Moderation Harz"]
    assert [g.name for g in editor.groups.all()] == ["Redaktion Harz"]


def test_region_staff_and_portal_team_may_use_the_applications_inbox(home_page):
    result = onboard_region("Harz", slug="harz")
    for group in (result.editors_group, result.moderators_group, result.portal_team_group):
        codenames = set(
            group.permissions.filter(content_type__app_label="applications").values_list(
                "codename", flat=True
            )
        )
        assert {"view_application", "change_application"} <= codenames


@pytest.mark.django_db
def test_wagtails_default_groups_have_no_rights_on_the_tree(home_page, client):
    """A regional editor put into Wagtail's "Editors" (German name since regions 0003) by
    mistake must not see every region's drafts."""
    editors = Group.objects.get(name="Redaktion (ohne Seitenrechte)")
    assert Group.objects.filter(name="Moderation (ohne Seitenrechte)").exists()
    default_groups = ["Redaktion (ohne Seitenrechte)", "Moderation (ohne Seitenrechte)"]
    assert not GroupPagePermission.objects.filter(group__name__in=default_groups).exists()
    assert not GroupCollectionPermission.objects.filter(group__name__in=default_groups).exists()

    onboard_region(name="Altmark", slug="altmark")
    user = get_user_model().objects.create_user("irrtum", "irrtum@example.org", "pw")
    user.groups.add(editors)
    client.force_login(user)
    region = RegionPage.objects.get(locale__language_code="de", slug="altmark")
    response = client.get(reverse("wagtailadmin_pages:edit", args=[region.pk]))
    assert response.status_code in (302, 403)
