"""Nothing unpublished, private or personal leaves through any API endpoint."""

import contextlib
import json

from django.apps import apps
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

import pytest

from core.factories import CustomImageFactory
from places.factories import PlacePageFactory
from regions.factories import RegionPageFactory

pytestmark = pytest.mark.django_db

SECRETS = [
    "GEHEIMER-ENTWURF",
    "ENTWURFSTEXT",
    "UNVEROEFFENTLICHT",
    "PASSWORT-ORT",
    "LOGIN-ORT",
    "GRUPPEN-ORT",
    "GESCHUETZTE-REGION",
    "BEWERBUNGSORT",
    "BEWERBUNGSTEXT",
    "Bertha Bewerberin",
    "bertha.bewerberin@example.org",
    "UNTER-GESCHUETZT",
    "PRIVATBILD",
    "PRIVATDOKUMENT",
    "ENTWURFSREGION",
    "UNTER-ENTWURF",
    # the editor who owns and uploaded things
    "Hildegard",
    "Editorin",
    "hildegard.editorin@example.org",
    "hildegard-editorin",
    "/admin/",
]


@pytest.fixture
def world(region, home_page, django_user_model):
    editor = django_user_model.objects.create_user(
        username="hildegard-editorin",
        email="hildegard.editorin@example.org",
        first_name="Hildegard",
        last_name="Editorin",
        password="x",
    )
    public = PlacePageFactory(parent=region, title="Offener Hof", slug="offener-hof", owner=editor)
    public.save_revision(user=editor).publish()
    # A newer draft of a published page.
    public.title = "GEHEIMER-ENTWURF"
    public.teaser = "ENTWURFSTEXT"
    public.save_revision(user=editor)

    unpublished = PlacePageFactory(parent=region, title="UNVEROEFFENTLICHT", slug="unv")
    unpublished.unpublish()

    password = PlacePageFactory(parent=region, title="PASSWORT-ORT", slug="passwort-ort")
    PageViewRestriction.objects.create(
        page=password, restriction_type=PageViewRestriction.PASSWORD, password="sesam"
    )
    login = PlacePageFactory(parent=region, title="LOGIN-ORT", slug="login-ort")
    PageViewRestriction.objects.create(page=login, restriction_type=PageViewRestriction.LOGIN)
    group_page = PlacePageFactory(parent=region, title="GRUPPEN-ORT", slug="gruppen-ort")
    restriction = PageViewRestriction.objects.create(
        page=group_page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get_or_create(name="Redaktion")[0])

    protected_region = RegionPageFactory(
        parent=home_page, title="GESCHUETZTE-REGION", slug="geschuetzt"
    )
    PageViewRestriction.objects.create(
        page=protected_region, restriction_type=PageViewRestriction.LOGIN
    )
    PlacePageFactory(parent=protected_region, title="UNTER-GESCHUETZT", slug="unter")

    draft_region = RegionPageFactory(parent=home_page, title="ENTWURFSREGION", slug="entwurf")
    PlacePageFactory(parent=draft_region, title="UNTER-ENTWURF", slug="unter-entwurf")
    draft_region.live = False
    draft_region.save()

    root = Collection.get_first_root_node()
    private = root.add_child(name="Intern")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    CustomImageFactory(title="PRIVATBILD", collection=private, uploaded_by_user=editor)
    CustomImageFactory(title="Öffentliches Bild", uploaded_by_user=editor)
    Document = get_document_model()
    for title, collection in (("PRIVATDOKUMENT", private), ("Satzung", root)):
        document = Document(title=title, collection=collection, uploaded_by_user=editor)
        document.file.save(f"{title}.txt", ContentFile(b"x"), save=False)
        document.save()

    if apps.is_installed("applications"):
        # An applicant's data: never part of any API response.
        apps.get_model("applications", "Application").objects.create(
            place_name="BEWERBUNGSORT",
            municipality="Salzwedel",
            introduction="BEWERBUNGSTEXT",
            contact_person="Bertha Bewerberin",
            email="bertha.bewerberin@example.org",
            consent_version="1",
            consent_given_at=timezone.now(),
        )

    secret_ids = [unpublished.pk, password.pk, login.pk, group_page.pk, protected_region.pk]
    return {"public": public, "secret_ids": secret_ids, "editor": editor}


def urls_to_check(world):
    public = world["public"].pk
    urls = [
        "/api/v2/pages/",
        "/api/v2/pages/?fields=*",
        "/api/v2/pages/?type=places.PlacePage&fields=*",
        "/api/v2/pages/?type=regions.RegionPage&fields=*",
        "/api/v2/pages/?search=GEHEIMER",
        "/api/v2/pages/?search=PASSWORT",
        "/api/v2/pages/?type=places.PlacePage&q=GEHEIMER",
        f"/api/v2/pages/{public}/",
        f"/api/v2/pages/{public}/?fields=*",
        "/api/v2/pages/find/?html_path=/altmark/passwort-ort/",
        "/api/v2/images/",
        "/api/v2/images/?fields=*",
        "/api/v2/images/?search=PRIVATBILD",
        "/api/v2/documents/",
        "/api/v2/documents/?fields=*",
        "/api/v3/pages/",
        "/api/v3/pages/?limit=100",
        "/api/v3/pages/?type=places.PlacePage",
        "/api/v3/pages/?search=GEHEIMER",
        f"/api/v3/pages/{public}/",
        f"/api/v3/pages/{public}/?version=draft",
        "/api/v3/pages/find/?html_path=/altmark/passwort-ort/",
        "/api/v3/pages/find/?html_path=/altmark/offener-hof/",
        "/api/v3/schema/",
        "/api/v3/images/",
        "/api/v3/images/?limit=100",
        "/api/v3/documents/",
        "/api/v3/redirects/",
        "/api/orte.geojson",
        "/api/orte.csv",
    ]
    for page_id in world["secret_ids"]:
        urls += [
            f"/api/v2/pages/{page_id}/",
            f"/api/v2/pages/find/?id={page_id}",
            f"/api/v3/pages/{page_id}/",
            f"/api/v3/pages/{page_id}/?version=draft",
            f"/api/v3/pages/find/?id={page_id}",
        ]
    return urls


def assert_no_secrets(response, url):
    assert response.status_code < 500, url
    body = response.content.decode("utf-8")
    # JSON may escape non-ASCII characters; compare the decoded text too.
    with contextlib.suppress(ValueError):
        body += json.dumps(json.loads(body), ensure_ascii=False)
    for secret in SECRETS:
        assert secret not in body, f"{secret!r} leaked at {url}"
    location = response.headers.get("Location", "")
    assert "/admin/" not in location


def test_anonymous_sees_nothing_secret(client, world):
    for url in urls_to_check(world):
        response = client.get(url, follow=True)
        assert_no_secrets(response, url)


def test_public_data_is_there(client, world):
    """The leak test is only meaningful if the public place does show up."""
    assert "Offener Hof" in client.get("/api/orte.geojson").content.decode()
    assert "Offener Hof" in client.get("/api/v2/pages/?type=places.PlacePage").content.decode()
    assert "Offener Hof" in client.get("/api/v3/pages/?limit=100").content.decode()
    assert "Satzung" in client.get("/api/v2/documents/").content.decode()
    assert "Öffentliches Bild" in client.get("/api/v2/images/").json()["items"][0]["title"]


def test_sessions_do_not_widen_the_public_api(client, world, admin_user):
    """A logged-in editor (or a visitor who knows the password) gets the same public data."""
    client.force_login(admin_user)
    session = client.session
    session["wagtail-page-view-restrictions"] = list(
        PageViewRestriction.objects.values_list("pk", flat=True)
    )
    session.save()
    for url in urls_to_check(world):
        if url.startswith("/api/v3/") and "version=draft" not in url:
            continue  # v3 is checked separately below
        response = client.get(url, follow=True)
        assert_no_secrets(response, url)
    # API v3 ignores the session cookie: the request is anonymous.
    for page_id in world["secret_ids"][:1]:
        assert client.get(f"/api/v3/pages/{page_id}/").status_code == 404


def test_private_images_and_documents_are_hidden(client, world):
    titles = [item["title"] for item in client.get("/api/v2/images/?limit=100").json()["items"]]
    assert "PRIVATBILD" not in titles
    titles = [item["title"] for item in client.get("/api/v2/documents/").json()["items"]]
    assert titles == ["Satzung"]
    titles = [item["title"] for item in client.get("/api/v3/documents/").json()["items"]]
    assert titles == ["Satzung"]
    titles = [item["title"] for item in client.get("/api/v3/images/").json()["items"]]
    assert "PRIVATBILD" not in titles and titles


def test_prerendered_exports_do_not_leak(client, world):
    """Snapshots exist for every place, secret ones too: only visible ones are served."""
    from api.exports import refresh_snapshots
    from places.models import PlaceApiSnapshot

    refresh_snapshots()
    assert PlaceApiSnapshot.objects.exclude(exports_built="").count() > 1
    for url in ("/api/orte.geojson", "/api/orte.csv", "/api/orte.geojson?status=aktiv"):
        assert_no_secrets(client.get(url), url)
    assert "Offener Hof" in client.get("/api/orte.csv").content.decode("utf-8")
