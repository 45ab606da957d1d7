"""Every report, listing and chooser of the admin, walked as a regional editor and moderator:
no title of another region's draft or unpublished page, no other region's images or documents.

The Altmark (the neighbour) has a live place with a newer draft title, an unpublished place,
a place locked by its moderator, a place in its workflow, an image and a document
(``two_regions`` and ``neighbour_activity``). Each URL is first checked to show the Harz's own
matching item, so that an empty answer does not pass for a safe one.
"""

from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page

import pytest

from core.models import CustomImage
from regions.onboarding import ensure_portal_team

from .test_isolation import SECRET_DRAFT, SECRET_UNPUBLISHED

SECRET_LOCKED = "Gesperrter Altmark-Entwurf"
SECRET_IN_WORKFLOW = "Eingereichter Altmark-Entwurf"
SECRETS = (
    SECRET_DRAFT,
    SECRET_UNPUBLISHED,
    SECRET_LOCKED,
    SECRET_IN_WORKFLOW,
    "Altmark-Foto",
    "Altmark-Dokument",
)


def _draft(page, title, user):
    draft = page.get_latest_revision_as_object()
    draft.title = title
    return draft.save_revision(user=user)


@pytest.fixture
def neighbour_activity(two_regions):
    """Locks, workflows and publications in both regions (Harz: the same, with its names)."""
    from places.factories import PlacePageFactory

    d = two_regions
    # The Altmark last: its pages are the most recently edited ones (page-types usage).
    for key, prefix in (("harz", "Harz"), ("altmark", "Altmark")):
        region = d[key].region
        editor, moderator = d[f"{key}_editor"], d[f"{key}_moderator"]
        locked = PlacePageFactory(parent=region, title=f"{prefix} gesperrt", slug="gesperrt")
        _draft(locked, SECRET_LOCKED if key == "altmark" else "Harz-Sperre", editor)
        Page.objects.filter(pk=locked.pk).update(
            locked=True, locked_by=moderator, locked_at=timezone.now()
        )
        submitted = PlacePageFactory(parent=region, title=f"{prefix} eingereicht", slug="ein")
        _draft(submitted, SECRET_IN_WORKFLOW if key == "altmark" else "Harz-Einreichung", editor)
        submitted.refresh_from_db()
        d[key].workflow.start(submitted, editor)
    return d


REPORTS = {
    # url: text that shows the Harz's own item (None: the report is refused for this person)
    "/admin/reports/locked/": "Harz-Sperre",
    "/admin/reports/locked/results/": "Harz-Sperre",
    "/admin/reports/locked/?export=csv": None,
    "/admin/reports/workflow/": "Harz-Einreichung",
    "/admin/reports/workflow/results/": "Harz-Einreichung",
    "/admin/reports/workflow/?export=csv": "Harz-Einreichung",
    "/admin/reports/workflow_tasks/": "Harz-Einreichung",
    "/admin/reports/workflow_tasks/?export=csv": "Harz eingereicht",  # exports: live titles
    "/admin/reports/site-history/": "Harz",
    "/admin/reports/site-history/?export=csv": "Harz",
    "/admin/reports/aging-pages/": "Harz",
    "/admin/reports/aging-pages/?export=csv": "Harz",
    "/admin/reports/page-types-usage/": None,
    "/admin/reports/page-types-usage/results/": None,
    "/admin/pages/usage/places/placepage/": "Harzer Hof",
    "/admin/pages/search/?q=eingereicht": "Harz-Einreichung",
    "/admin/pages/search/?q=gesperrt": "Harz-Sperre",
    "/admin/api/main/pages/?search=Entwurf": None,
    "/admin/api/main/pages/?type=places.PlacePage&limit=100": "Harzer Hof",
    "/admin/choose-page/search/?q=Entwurf": None,
    "/admin/choose-page/search/?q=eingereicht": "Harz",
    "/admin/images/chooser/results/?q=Foto": "Harz-Foto",
    "/admin/documents/chooser/results/?q=Dokument": None,
    "/admin/": "Harz-Einreichung",
}


def _walk(client, user, reports, allowed_missing=()):
    client.force_login(user)
    leaks, vacuous = [], []
    for url, own in reports.items():
        response = client.get(url, follow=True)
        content = b"".join(response) if response.streaming else response.content
        content = content.decode(errors="replace")
        for secret in SECRETS:
            if secret in content:
                leaks.append((url, secret))
        if own and own not in content and url not in allowed_missing:
            vacuous.append((url, own, response.status_code))
    return leaks, vacuous


def test_a_region_moderator_sees_no_other_regions_titles_in_any_report(client, neighbour_activity):
    d = neighbour_activity
    leaks, vacuous = _walk(client, d["harz_moderator"], REPORTS)
    assert leaks == []
    assert vacuous == []


def test_a_region_editor_sees_no_other_regions_titles_in_any_report(client, neighbour_activity):
    d = neighbour_activity
    # An editor may not unlock or publish: the locked-pages and aging-pages reports are not
    # theirs (Wagtail refuses them), so they cannot show the Harz's own items either.
    refused = {
        "/admin/reports/locked/",
        "/admin/reports/locked/results/",
        "/admin/reports/aging-pages/",
        "/admin/reports/aging-pages/?export=csv",
    }
    leaks, vacuous = _walk(client, d["harz_editor"], REPORTS, allowed_missing=refused)
    assert leaks == []
    assert vacuous == []


def test_the_portal_team_still_sees_every_region(client, neighbour_activity):
    portal = get_user_model().objects.create_user("portal", "portal@example.org", "pw-123456")
    portal.groups.add(ensure_portal_team())
    client.force_login(portal)
    for url, secret in {
        "/admin/reports/locked/": SECRET_LOCKED,
        "/admin/reports/workflow/": SECRET_IN_WORKFLOW,
        "/admin/reports/page-types-usage/": SECRET_IN_WORKFLOW,
        "/admin/pages/usage/places/placepage/": SECRET_DRAFT,
    }.items():
        content = client.get(url).content.decode()
        assert secret in content, url


def test_discarding_a_duplicate_upload_keeps_wagtails_permission_checks(client, two_regions):
    """core_discard_duplicate_image (the chooser's "use existing and delete new") acts only
    through Wagtail's image delete view: another region's image stays."""
    d = two_regions
    client.force_login(d["harz_editor"])
    action = reverse("wagtailimages:delete", args=(d["image"].pk,))  # the Altmark's image
    url = f"{reverse('core_discard_duplicate_image')}?{urlencode({'action': action})}"
    response = client.post(url)
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or response["Location"] == "/admin/"
    assert CustomImage.objects.filter(pk=d["image"].pk).exists()
    other = f"{reverse('core_discard_duplicate_image')}?action=/admin/pages/1/delete/"
    assert client.post(other).status_code == 404
    assert client.post(reverse("core_discard_duplicate_image")).status_code == 404
