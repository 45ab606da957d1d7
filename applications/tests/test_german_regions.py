"""Applications belong to German regions: a region's live English twin (the English tree that
wagtail-localize keeps) is neither a choice in the form nor a region whose applications
anyone handles through their rights on it."""

from django.contrib.auth.models import Permission

import pytest

from applications.factories import ApplicationFactory
from applications.forms import ApplicationForm
from applications.permissions import (
    applications_for_user,
    region_ids_for_user,
    user_can_access,
)
from regions.onboarding import onboard_region


@pytest.fixture
def onboarded(region, django_user_model):
    """The Altmark onboarded, its English twin translated and live, one person per group."""
    result = onboard_region("Altmark", slug="altmark")
    (twin,) = result.translated_regions
    twin.title = "Altmark (English)"
    twin.save_revision().publish()
    twin.refresh_from_db()
    assert twin.live
    people = {}
    for role, group in [
        ("editor", result.editors_group),
        ("moderator", result.moderators_group),
        ("translator", result.translators_group),
    ]:
        user = django_user_model.objects.create_user(role, f"{role}@example.org", "pw-123456")
        user.groups.add(group)
        people[role] = user
    return {"region": result.region, "twin": twin, **people}


def test_the_form_offers_each_region_once_and_refuses_the_twin(onboarded):
    region, twin = onboarded["region"], onboarded["twin"]
    field = ApplicationForm().fields["region"]
    assert list(field.queryset) == [region]
    assert twin.pk not in {choice[0].value for choice in field.choices if choice[0]}
    form = ApplicationForm(data={"region": str(twin.pk)})
    form.is_valid()
    assert "region" in form.errors


def test_rights_on_the_twin_reach_no_applications(onboarded):
    region, twin = onboarded["region"], onboarded["twin"]
    assert region_ids_for_user(onboarded["editor"]) == {region.pk}
    assert region_ids_for_user(onboarded["moderator"]) == {region.pk}
    translator = onboarded["translator"]
    assert region_ids_for_user(translator) == set()

    # Even given the inbox's model permission, a translator sees no application: not the
    # region's, and not one that an older form filed under the twin.
    translator.user_permissions.add(
        Permission.objects.get(content_type__app_label="applications", codename="view_application")
    )
    translator = type(translator).objects.get(pk=translator.pk)  # no cached permissions
    german = ApplicationFactory(region=region)
    filed_under_twin = ApplicationFactory(region=twin)
    assert not applications_for_user(translator).exists()
    assert not user_can_access(translator, german)
    assert not user_can_access(translator, filed_under_twin)
    assert list(applications_for_user(onboarded["moderator"])) == [german]


def test_the_inbox_region_filter_lists_each_region_once(onboarded, client, admin_user):
    region, twin = onboarded["region"], onboarded["twin"]
    ApplicationFactory(region=region)
    client.force_login(admin_user)
    page = client.get("/admin/applications/application/").content.decode()
    assert f"?region={region.pk}" in page
    assert f"region={twin.pk}" not in page
    assert "Altmark (English)" not in page
    # A hand-made address with the twin is dropped like any region the user can't filter by.
    response = client.get(f"/admin/applications/application/?region={twin.pk}")
    assert response.status_code == 302
    assert f"region={twin.pk}" not in response["Location"]
