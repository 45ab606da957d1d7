"""The user filters of the workflow report („Angefordert von“) and the site history
(„Benutzer“) list a region's staff only to the people who share their region: Wagtail lists
everyone who ever requested a workflow or edited a page, site-wide. Superusers and the portal
team see everyone."""

import pytest

from places.factories import PlacePageFactory
from regions.onboarding import ensure_portal_team

REPORTS = ("/admin/reports/workflow/", "/admin/reports/site-history/")


@pytest.fixture
def activity(two_regions, django_user_model):
    """In each region, its editor and its moderator edit and submit places."""
    d = two_regions
    for key, place in (("altmark", d["live_place"]), ("harz", d["harz_place"])):
        for role in ("editor", "moderator"):
            user = d[f"{key}_{role}"]
            place.get_latest_revision_as_object().save_revision(user=user, log_action=True)
        place.refresh_from_db()
        d[key].workflow.start(place, d[f"{key}_editor"])
        other = PlacePageFactory(parent=d[key].region, title=f"{key} Zwei", slug="zwei")
        other.save_revision(user=d[f"{key}_moderator"])
        d[key].workflow.start(other, d[f"{key}_moderator"])
    portal = django_user_model.objects.create_user("portal", "portal@example.org", "pw-123456")
    portal.groups.add(ensure_portal_team())
    d["portal"] = portal
    return d


@pytest.mark.parametrize("url", REPORTS)
def test_a_region_editor_sees_only_their_colleagues(client, activity, url):
    client.force_login(activity["harz_editor"])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "harz_moderator" in html, "the filter lists the region's own staff"
    for name in ("altmark_editor", "altmark_moderator"):
        assert name not in html, name


@pytest.mark.parametrize("url", REPORTS)
@pytest.mark.parametrize("who", ["portal", "admin"])
def test_the_portal_team_and_superusers_see_everyone(client, activity, admin_user, url, who):
    client.force_login(admin_user if who == "admin" else activity["portal"])
    html = client.get(url).content.decode()
    for name in ("altmark_editor", "harz_editor", "harz_moderator"):
        assert name in html, name


def test_another_regions_person_is_no_valid_choice(client, activity):
    client.force_login(activity["harz_editor"])
    altmark_editor = activity["altmark_editor"]
    response = client.get(f"/admin/reports/workflow/?requested_by={altmark_editor.pk}")
    assert response.status_code == 200
    assert "altmark_editor" not in response.content.decode()
