"""A Harz editor cannot touch the Altmark, through the admin's real HTTP views (GET and POST).

Every attempt must be refused (403, or Wagtail's redirect to the dashboard with a permission
message, or 404/405) and must change nothing: pages, revisions, images, documents, users,
groups and workflow states are compared before and after.
"""

import io

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Revision,
    TaskState,
    WorkflowState,
)
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

import pytest
from PIL import Image as PILImage

from regions.onboarding import ensure_portal_team

SECRET_DRAFT = "Geheimer Entwurfstitel"
SECRET_UNPUBLISHED = "Unveröffentlichter Altmark-Ort"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "red").save(buffer, "PNG")
    return buffer.getvalue()


def snapshot():
    pages = list(
        Page.objects.order_by("path").values_list(
            "pk",
            "path",
            "title",
            "draft_title",
            "slug",
            "live",
            "has_unpublished_changes",
            "latest_revision_id",
            "locked",
            "owner_id",
        )
    )
    revisions = list(Revision.objects.order_by("pk").values_list("pk", "object_id"))
    images = list(
        get_image_model()
        .objects.order_by("pk")
        .values_list("pk", "title", "description", "credit", "collection_id", "file")
    )
    documents = list(
        get_document_model()
        .objects.order_by("pk")
        .values_list("pk", "title", "collection_id", "file")
    )
    users = list(get_user_model().objects.order_by("pk").values_list("pk", "username"))
    groups = list(Group.objects.order_by("pk").values_list("pk", "name"))
    permissions = (
        set(GroupPagePermission.objects.values_list("group_id", "page_id", "permission_id")),
        set(
            GroupCollectionPermission.objects.values_list(
                "group_id", "collection_id", "permission_id"
            )
        ),
    )
    workflow = (
        list(WorkflowState.objects.order_by("pk").values_list("pk", "status")),
        list(TaskState.objects.order_by("pk").values_list("pk", "status")),
    )
    return pages, revisions, images, documents, users, groups, permissions, workflow


def assert_refused(response):
    assert response.status_code in (302, 403, 404, 405), response.status_code
    if response.status_code == 302:
        # Wagtail answers PermissionDenied with a redirect to the dashboard.
        assert response["Location"] == "/admin/", response["Location"]
    content = response.content.decode(errors="replace")
    assert SECRET_DRAFT not in content
    assert "Geheimer Entwurfstext" not in content


def _revision_ids(page):
    revisions = list(page.revisions.order_by("created_at", "pk").values_list("pk", flat=True))
    return revisions[0], revisions[-1]


def _edit_data(d, **extra):
    region = d["harz"].region
    return {
        "title": "Übernommen",
        "slug": "uebernommen",
        "teaser": "Übernommen",
        "municipality": "Wernigerode",
        "latitude": "51.8",
        "longitude": "10.8",
        "categories": "1",
        "new_parent_page": str(region.pk),
        "new_title": "Kopie",
        "new_slug": "kopie",
        "publish_copies": "on",
        **extra,
    }


ATTEMPTS = [
    # (id, method, url, extra POST data)
    ("edit", "get", lambda d: f"/admin/pages/{d['live_place'].pk}/edit/", {}),
    ("edit-save", "post", lambda d: f"/admin/pages/{d['live_place'].pk}/edit/", {}),
    (
        "publish",
        "post",
        lambda d: f"/admin/pages/{d['live_place'].pk}/edit/",
        {"action-publish": "action-publish"},
    ),
    (
        "submit",
        "post",
        lambda d: f"/admin/pages/{d['unpublished'].pk}/edit/",
        {"action-submit": "action-submit"},
    ),
    (
        "add",
        "get",
        lambda d: f"/admin/pages/add/places/placepage/{d['altmark'].region.pk}/",
        {},
    ),
    (
        "add-post",
        "post",
        lambda d: f"/admin/pages/add/places/placepage/{d['altmark'].region.pk}/",
        {"action-publish": "action-publish"},
    ),
    ("add-subpage", "get", lambda d: f"/admin/pages/{d['altmark'].region.pk}/add_subpage/", {}),
    ("unpublish", "get", lambda d: f"/admin/pages/{d['live_place'].pk}/unpublish/", {}),
    ("unpublish-post", "post", lambda d: f"/admin/pages/{d['live_place'].pk}/unpublish/", {}),
    ("move", "get", lambda d: f"/admin/pages/{d['live_place'].pk}/move/", {}),
    (
        "move-confirm",
        "get",
        lambda d: f"/admin/pages/{d['live_place'].pk}/move/{d['harz'].region.pk}/confirm/",
        {},
    ),
    (
        "move-post",
        "post",
        lambda d: f"/admin/pages/{d['live_place'].pk}/move/{d['harz'].region.pk}/confirm/",
        {},
    ),
    (
        "move-own-page-into-altmark",
        "post",
        lambda d: f"/admin/pages/{d['harz_place'].pk}/move/{d['altmark'].region.pk}/confirm/",
        {},
    ),
    ("copy", "get", lambda d: f"/admin/pages/{d['live_place'].pk}/copy/", {}),
    ("copy-post", "post", lambda d: f"/admin/pages/{d['live_place'].pk}/copy/", {}),
    ("delete", "get", lambda d: f"/admin/pages/{d['live_place'].pk}/delete/", {}),
    ("delete-post", "post", lambda d: f"/admin/pages/{d['live_place'].pk}/delete/", {}),
    (
        "delete-region",
        "post",
        lambda d: f"/admin/pages/{d['altmark'].region.pk}/delete/",
        {},
    ),
    ("lock", "post", lambda d: f"/admin/pages/{d['live_place'].pk}/lock/", {}),
    (
        "revert",
        "get",
        lambda d: (
            f"/admin/pages/{d['live_place'].pk}/revisions/"
            f"{_revision_ids(d['live_place'])[0]}/revert/"
        ),
        {},
    ),
    (
        "revert-post",
        "post",
        lambda d: f"/admin/pages/{d['live_place'].pk}/edit/",
        {"revision": "1", "action-publish": "action-publish"},
    ),
    ("history", "get", lambda d: f"/admin/pages/{d['live_place'].pk}/history/", {}),
    (
        "revision-view",
        "get",
        lambda d: (
            f"/admin/pages/{d['live_place'].pk}/revisions/{_revision_ids(d['live_place'])[1]}/view/"
        ),
        {},
    ),
    (
        "revision-compare",
        "get",
        lambda d: "/admin/pages/{}/revisions/compare/{}...{}/".format(
            d["live_place"].pk, *_revision_ids(d["live_place"])
        ),
        {},
    ),
    ("view-draft", "get", lambda d: f"/admin/pages/{d['live_place'].pk}/view_draft/", {}),
    ("preview", "get", lambda d: f"/admin/pages/{d['live_place'].pk}/edit/preview/", {}),
    ("preview-post", "post", lambda d: f"/admin/pages/{d['live_place'].pk}/edit/preview/", {}),
    (
        "workflow-history",
        "get",
        lambda d: f"/admin/pages/{d['live_place'].pk}/workflow_history/",
        {},
    ),
    ("usage", "get", lambda d: f"/admin/pages/{d['live_place'].pk}/usage/", {}),
    ("image-edit", "get", lambda d: f"/admin/images/{d['image'].pk}/", {}),
    (
        "image-edit-post",
        "post",
        lambda d: f"/admin/images/{d['image'].pk}/",
        {"title": "Übernommen", "description": "x", "credit": "x", "collection": "1"},
    ),
    ("image-delete", "post", lambda d: f"/admin/images/{d['image'].pk}/delete/", {}),
    ("image-chosen", "get", lambda d: f"/admin/images/chooser/{d['image'].pk}/", {}),
    ("document-edit", "get", lambda d: f"/admin/documents/edit/{d['document'].pk}/", {}),
    (
        "document-edit-post",
        "post",
        lambda d: f"/admin/documents/edit/{d['document'].pk}/",
        {"title": "Übernommen", "collection": "1"},
    ),
    ("document-delete", "post", lambda d: f"/admin/documents/delete/{d['document'].pk}/", {}),
    ("document-chosen", "get", lambda d: f"/admin/documents/chooser/{d['document'].pk}/", {}),
    ("user-add", "get", lambda d: "/admin/users/new/", {}),
    (
        "user-add-post",
        "post",
        lambda d: "/admin/users/new/",
        {
            "username": "eindringling",
            "email": "e@example.org",
            "first_name": "E",
            "last_name": "E",
            "password1": "ein-langes-Passwort-42",
            "password2": "ein-langes-Passwort-42",
            "groups": "1",
            "is_active": "on",
        },
    ),
    ("users", "get", lambda d: "/admin/users/", {}),
    (
        "group-edit-post",
        "post",
        lambda d: f"/admin/groups/edit/{d['harz'].editors_group.pk}/",
        {"name": "Redaktion Harz"},
    ),
    ("group-add", "get", lambda d: "/admin/groups/new/", {}),
    # Bulk actions with another region's ids: as if they did not exist (no titles listed).
    *[
        (f"bulk-page-{action}{'-post' if method == 'post' else ''}", method, url, {})
        for action in ("publish", "unpublish", "delete", "move")
        for method in ("get", "post")
        for url in [
            lambda d, action=action: (
                f"/admin/bulk/wagtailcore/page/{action}/"
                f"?id={d['live_place'].pk}&id={d['unpublished'].pk}"
            )
        ]
    ],
    *[
        (f"bulk-{model}-{action}{'-post' if method == 'post' else ''}", method, url, {})
        for model, key in (("core/customimage", "image"), ("wagtaildocs/document", "document"))
        for action in ("delete", "add_tags", "add_to_collection")
        for method in ("get", "post")
        for url in [
            lambda d, model=model, key=key, action=action: (
                f"/admin/bulk/{model}/{action}/?id={d[key].pk}"
            )
        ]
    ],
    (
        "bulk-page-publish-all-in-altmark",
        "get",
        lambda d: f"/admin/bulk/wagtailcore/page/publish/?id=all&childOf={d['altmark'].region.pk}",
        {},
    ),
    (
        "bulk-page-publish-all-searched",
        "get",
        lambda d: (
            f"/admin/bulk/wagtailcore/page/publish/?id=all&childOf={d['altmark'].region.pk}"
            "&q=Geheimer"
        ),
        {},
    ),
    ("page-types-usage", "get", lambda d: "/admin/reports/page-types-usage/", {}),
    ("page-types-usage-results", "get", lambda d: "/admin/reports/page-types-usage/results/", {}),
]


@pytest.mark.parametrize(
    ("method", "make_url", "extra"),
    [pytest.param(method, url, extra, id=name) for name, method, url, extra in ATTEMPTS],
)
def test_harz_editor_is_refused_and_nothing_changes(client, two_regions, method, make_url, extra):
    d = two_regions
    url = make_url(d)
    client.force_login(d["harz_editor"])
    before = snapshot()
    response = client.get(url) if method == "get" else client.post(url, _edit_data(d, **extra))
    assert_refused(response)
    assert snapshot() == before


def test_harz_moderator_cannot_publish_or_approve_altmark_pages(client, two_regions):
    d = two_regions
    place = d["unpublished"]
    workflow = place.get_workflow()
    assert workflow.name == "Freigabe Altmark"
    workflow_state = workflow.start(place, d["altmark_editor"])
    task_state = workflow_state.current_task_state
    client.force_login(d["harz_moderator"])
    before = snapshot()

    for action in ("approve", "reject"):
        url = f"/admin/pages/workflow/action/{place.pk}/{action}/{task_state.pk}/"
        assert_refused(client.post(url, {"comment": ""}))
    assert_refused(
        client.post(
            f"/admin/pages/{d['live_place'].pk}/edit/",
            _edit_data(d, **{"action-publish": "action-publish"}),
        )
    )
    assert snapshot() == before
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    # The Altmark's moderator sees the task; the Harz moderator's dashboard does not.
    content = client.get("/admin/").content.decode()
    assert SECRET_UNPUBLISHED not in content


def test_altmark_drafts_stay_out_of_explorer_search_and_choosers(client, two_regions):
    d = two_regions
    client.force_login(d["harz_editor"])
    for url in [
        f"/admin/pages/{d['altmark'].region.pk}/",
        "/admin/pages/search/?q=Geheimer",
        "/admin/pages/search/?q=Unveröff",
        "/admin/choose-page/",
        f"/admin/choose-page/{d['altmark'].region.pk}/",
        "/admin/choose-page/search/?q=Geheim",
        "/admin/choose-page/search/?q=Unver",
        "/admin/images/",
        "/admin/images/chooser/",
        "/admin/images/chooser/results/?q=Altmark",
        "/admin/documents/",
        "/admin/documents/chooser/",
        "/admin/reports/site-history/",
        "/admin/",
    ]:
        response = client.get(url, follow=True)
        content = response.content.decode()
        assert response.status_code == 200, url
        assert SECRET_DRAFT not in content, url
        assert SECRET_UNPUBLISHED not in content, url
        assert "Altmark-Foto" not in content, url
        assert "Altmark-Dokument" not in content, url

    # The Harz editor's own work is there (the checks above are not vacuous).
    assert "Harz-Foto" in client.get("/admin/images/chooser/").content.decode()
    assert "Harzer Hof" in client.get(f"/admin/pages/{d['harz'].region.pk}/").content.decode()
    assert client.get(f"/admin/pages/{d['harz_place'].pk}/edit/").status_code == 200


def test_harz_editor_cannot_upload_into_the_altmark_collection(client, two_regions):
    d = two_regions
    client.force_login(d["harz_editor"])
    image_model = get_image_model()
    before = image_model.objects.filter(collection=d["altmark"].collection).count()
    for url in ("/admin/images/add/", "/admin/images/chooser/create/"):
        client.post(
            url,
            {
                "image-chooser-upload-title": "Eingeschmuggelt",
                "image-chooser-upload-file": SimpleUploadedFile("x.png", png_bytes()),
                "image-chooser-upload-collection": str(d["altmark"].collection.pk),
                "image-chooser-upload-description": "x",
                "image-chooser-upload-credit": "x",
                "title": "Eingeschmuggelt",
                "file": SimpleUploadedFile("y.png", png_bytes()),
                "collection": str(d["altmark"].collection.pk),
                "description": "x",
                "credit": "x",
            },
        )
    assert image_model.objects.filter(collection=d["altmark"].collection).count() == before
    assert not image_model.objects.filter(
        title="Eingeschmuggelt", collection=d["altmark"].collection
    ).exists()


def test_harz_editor_cannot_publish_even_own_pages_only_submit(client, two_regions):
    d = two_regions
    place = d["harz_place"]
    client.force_login(d["harz_editor"])
    data = nested_form_data(
        {
            "title": "Harzer Hof neu",
            "slug": place.slug,
            "teaser": place.teaser,
            "municipality": "Wernigerode",
            "latitude": "51.830000",
            "longitude": "10.780000",
            "status": "aktiv",
            "story": streamfield([]),
            "links": inline_formset([]),
            "gallery_images": inline_formset([]),
            "comments": inline_formset([]),
            "action-publish": "action-publish",
        }
    )
    data["categories"] = [str(c.pk) for c in place.categories.all()]
    response = client.post(f"/admin/pages/{place.pk}/edit/", data)
    assert response.status_code in (200, 302, 403)
    place.refresh_from_db()
    assert place.title == "Harzer Hof", "an editor cannot publish"

    # Saving a draft works: the edit form itself is valid for the editor.
    del data["action-publish"]
    response = client.post(f"/admin/pages/{place.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    place.refresh_from_db()
    assert place.title == "Harzer Hof"
    assert place.get_latest_revision_as_object().title == "Harzer Hof neu"


SECRET_REGION_DRAFT = "Geheimer Regionsentwurf"


def test_bulk_actions_reports_and_chooser_show_no_other_regions_titles(client, two_regions):
    """Mixed ids in a bulk action list only the editor's own objects; the page-types usage
    report is the portal team's; the page chooser names other regions' pages by their
    published title (parent column, parent row), never by a draft title."""
    from places.factories import PlacePageFactory

    d = two_regions
    region = d["altmark"].region
    PlacePageFactory(parent=region, title="Altmark-Muehle", slug="muehle")  # live, unchanged
    draft = region.get_latest_revision_as_object()
    draft.title = SECRET_REGION_DRAFT
    draft.save_revision(user=d["altmark_editor"])
    client.force_login(d["harz_editor"])
    before = snapshot()
    page_ids = f"id={d['live_place'].pk}&id={d['unpublished'].pk}&id={d['harz_place'].pk}"
    image_ids = f"id={d['image'].pk}&id={d['harz_image'].pk}"
    own = {
        **{
            f"/admin/bulk/wagtailcore/page/{action}/?{page_ids}": "Harzer Hof"
            for action in ("publish", "unpublish", "delete", "move")
        },
        **{
            f"/admin/bulk/core/customimage/{action}/?{image_ids}": "Harz-Foto"
            for action in ("delete", "add_tags", "add_to_collection")
        },
        f"/admin/bulk/wagtailcore/page/publish/?id=all&childOf={d['harz'].region.pk}": "Harzer",
        f"/admin/bulk/wagtailcore/page/publish/?id=all&childOf={d['harz'].region.pk}&q=Harzer": (
            "Harzer Hof"
        ),
        "/admin/choose-page/search/?q=Muehle": "Altmark-Muehle",
        f"/admin/choose-page/{region.pk}/": "Altmark-Muehle",
        f"/admin/choose-page/{region.get_parent().pk}/": "Harz",
    }
    for url, expected in own.items():
        response = client.get(url)
        content = response.content.decode()
        assert response.status_code == 200, url
        assert expected in content, url  # not vacuous
        for secret in (
            SECRET_DRAFT,
            SECRET_UNPUBLISHED,
            SECRET_REGION_DRAFT,
            "Altmark-Foto",
            "Altmark-Dokument",
        ):
            assert secret not in content, (url, secret)
    # The chooser still names the Altmark region (published title) as the parent.
    assert ">Altmark</a>" in client.get("/admin/choose-page/search/?q=Muehle").content.decode()
    # The report is not offered to a region's editor.
    assert "page-types-usage" not in client.get("/admin/").content.decode()
    assert snapshot() == before

    # The portal team (permissions on the root page) and superusers keep the report.
    portal = get_user_model().objects.create_user("portal", "portal@example.org", "pw-123456")
    portal.groups.add(ensure_portal_team())
    client.force_login(portal)
    response = client.get("/admin/reports/page-types-usage/")
    assert response.status_code == 200
    assert "Region" in response.content.decode()
    assert "page-types-usage" in client.get("/admin/").content.decode()
    # Its chooser shows the draft title (the portal team may edit the region).
    assert SECRET_REGION_DRAFT in client.get(f"/admin/choose-page/{region.pk}/").content.decode()
