"""Wagtail API v3 at /api/v3/: schema, docs, anonymous reads, token-gated writes."""

from django.core.management import call_command

from wagtail.models import APIToken

import pytest

from api.tests.api_fixtures import full_place, image  # noqa: F401
from places.factories import PlacePageFactory

pytestmark = pytest.mark.django_db


def test_openapi_schema_has_the_project_fields(client):
    response = client.get("/api/v3/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["license"]["name"] == "CC BY 4.0"
    assert "/api/v3/pages/" in schema["paths"]
    place = schema["components"]["schemas"]["PlacePageSchema"]["properties"]
    for name in ("teaser", "region", "categories", "coordinates", "hero_image", "story"):
        assert name in place, name
    for name in ("owner", "locked_by", "latest_revision"):
        assert name not in place


def test_docs_page_uses_no_cdn(client):
    response = client.get("/api/v3/docs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "cdn." not in body
    assert "/static/" in body


def test_anonymous_reads_place_with_project_fields(client, full_place):  # noqa: F811
    listing = client.get("/api/v3/pages/?type=places.PlacePage")
    assert listing.status_code == 200
    assert listing.json()["count"] == 1
    detail = client.get(f"/api/v3/pages/{full_place.pk}/").json()
    assert detail["meta"]["type"] == "places.PlacePage"
    assert detail["region"]["slug"] == "altmark"
    assert detail["categories"][0]["slug"] == "wohnen-bauen"
    assert detail["hero_image"]["credit"] == "Foto: Anna Muster"
    assert detail["coordinates"] == {"latitude": 52.85, "longitude": 11.15}
    assert listing["Cache-Control"].startswith("public") or "public" in listing["Cache-Control"]


def test_anonymous_cannot_write(client, region):
    body = {"meta": {"type": "places.PlacePage", "parent_id": region.pk}, "title": "X"}
    response = client.post("/api/v3/pages/", body, content_type="application/json")
    assert response.status_code == 401
    place = PlacePageFactory(parent=region)
    response = client.delete(f"/api/v3/pages/{place.pk}/")
    assert response.status_code == 401
    response = client.post(f"/api/v3/pages/{place.pk}/actions/unpublish/")
    assert response.status_code == 401
    assert client.get("/api/v3/whoami/").status_code == 401
    assert client.get("/api/v3/sites/").status_code == 401


def test_session_login_is_not_a_token(client, region, admin_user):
    client.force_login(admin_user)
    place = PlacePageFactory(parent=region)
    response = client.delete(f"/api/v3/pages/{place.pk}/")
    assert response.status_code == 401


def test_token_issued_by_administrator_allows_writes(client, region, admin_user, capsys):
    call_command("api_tokens", "create", "--user", admin_user.username, "--name", "Import")
    token = capsys.readouterr().out.strip()
    headers = {"authorization": f"Bearer {token}"}
    whoami = client.get("/api/v3/whoami/", headers=headers)
    assert whoami.status_code == 200
    assert whoami["Cache-Control"] == "private, no-store"
    place = PlacePageFactory(parent=region, title="Alt")
    response = client.patch(
        f"/api/v3/pages/{place.pk}/",
        {"title": "Neu"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200, response.content
    # A revoked token no longer works.
    APIToken.objects.update(revoked_at="2020-01-01T00:00:00Z")
    assert client.get("/api/v3/whoami/", headers=headers).status_code == 401


def test_administrators_issue_tokens_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/api-tokens/").status_code == 200


def test_token_without_permissions_cannot_write(client, region, django_user_model):
    user = django_user_model.objects.create_user(username="partner", password="x")
    _, token = APIToken.create_token(user=user, name="Partner")
    place = PlacePageFactory(parent=region)
    response = client.delete(
        f"/api/v3/pages/{place.pk}/", headers={"authorization": f"Bearer {token}"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v3/pages/?limit=100000", 400),
        ("/api/v3/pages/?type=gibts.Nicht", 422),
        ("/api/v3/pages/abc/", 422),
        ("/api/v3/pages/999999/", 404),
        ("/api/v3/pages/?child_of=abc", 422),
    ],
)
def test_bad_input_is_a_4xx_json(client, home_page, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response.json()
