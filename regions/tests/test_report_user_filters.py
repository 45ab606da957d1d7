"""The user filters of the workflow report („Angefordert von“), the site history („Benutzer“)
and the page explorer („Eigentümer“, „Bearbeitet von“) list a region's staff only to the
people who share their region: Wagtail lists everyone who ever requested a workflow, owned
or edited a page, site-wide. Superusers and the portal team see everyone. The events listing
and the page search have no user filters."""

import pytest

from places.factories import PlacePageFactory
from regions.onboarding import ensure_portal_team

REPORTS = ("/admin/reports/workflow/", "/admin/reports/site-history/")


def listing_urls(activity) -> tuple[str, ...]:
    """The reports and the explorer of the Harz region."""
    return (*REPORTS, f"/admin/pages/{activity['harz'].region.pk}/")


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
        other = PlacePageFactory(
            parent=d[key].region, title=f"{key} Zwei", slug="zwei", owner=d[f"{key}_moderator"]
        )
        other.save_revision(user=d[f"{key}_moderator"])
        d[key].workflow.start(other, d[f"{key}_moderator"])
    portal = django_user_model.objects.create_user("portal", "portal@example.org", "pw-123456")
    portal.groups.add(ensure_portal_team())
    d["portal"] = portal
    return d


def test_a_region_editor_sees_only_their_colleagues(client, activity):
    client.force_login(activity["harz_editor"])
    for url in listing_urls(activity):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "harz_moderator" in html, ("the filter lists the region's own staff", url)
        for name in ("altmark_editor", "altmark_moderator"):
            assert name not in html, (name, url)


@pytest.mark.parametrize("who", ["portal", "admin"])
def test_the_portal_team_and_superusers_see_everyone(client, activity, admin_user, who):
    client.force_login(admin_user if who == "admin" else activity["portal"])
    for url in listing_urls(activity):
        html = client.get(url).content.decode()
        for name in ("altmark_editor", "altmark_moderator", "harz_editor", "harz_moderator"):
            assert name in html, (name, url)


@pytest.mark.parametrize("url", ["/admin/veranstaltungen/", "/admin/pages/search/?q=Zwei"])
def test_the_events_listing_and_the_page_search_name_no_other_regions_staff(client, activity, url):
    client.force_login(activity["harz_editor"])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("altmark_editor", "altmark_moderator"):
        assert name not in html, name


def test_another_regions_person_is_no_valid_choice(client, activity):
    client.force_login(activity["harz_editor"])
    altmark_editor = activity["altmark_editor"]
    response = client.get(f"/admin/reports/workflow/?requested_by={altmark_editor.pk}")
    assert response.status_code == 200
    assert "altmark_editor" not in response.content.decode()
