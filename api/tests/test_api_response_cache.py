"""The API's response cache as production runs it (``PLACES_API_RESPONSE_CACHE_SECONDS`` on,
see cms/settings/test.py): every read answers 200, the cached answer is the same bytes, and
junk in the query string makes no new entries (``api.http.api_view``)."""

import re
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.models import Collection

import pytest

from api.tests.api_fixtures import full_place, image  # noqa: F401

pytestmark = pytest.mark.django_db

#: v3 reads that need an API token (anonymous: 401).
TOKEN_ONLY = {
    "/api/v3/whoami/",
    "/api/v3/schema/",
    "/api/v3/schema/{type_name}/",
    "/api/v3/sites/",
    "/api/v3/sites/{site_id}/",
    "/api/v3/pages/{page_id}/revisions/",
    "/api/v3/pages/{page_id}/revisions/{revision_id}/",
    "/api/v3/snippets/{type}/",
    "/api/v3/snippets/{type}/{pk}/",
    "/api/v3/snippets/{type}/{pk}/revisions/",
    "/api/v3/snippets/{type}/{pk}/revisions/{revision_id}/",
}


def body_entries() -> set[str]:
    return {key for key in cache._cache if ":api:body:" in key}


@pytest.fixture
def document(db):
    from django.core.files.base import ContentFile

    return get_document_model().objects.create(
        title="Satzung",
        file=ContentFile(b"%PDF-1.4 test", name="satzung.pdf"),
        collection=Collection.get_first_root_node(),
    )


def twice(client, url):
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    return first, second, len(queries)


def test_the_tests_run_the_api_with_the_response_cache_on():
    assert settings.PLACES_API_RESPONSE_CACHE_SECONDS > 0
    assert settings.PAGE_CACHE_SECONDS > 0


def test_every_v3_read_answers_200_and_the_cached_answer_is_the_same(
    client,
    full_place,  # noqa: F811
    image,  # noqa: F811
    document,
):
    schema, again, _ = twice(client, "/api/v3/openapi.json")
    assert schema.status_code == 200, schema.content[:300]
    assert again.content == schema.content
    docs, again, _ = twice(client, "/api/v3/docs/")
    assert docs.status_code == 200 and again.content == docs.content
    redirect = Redirect.objects.create(old_path="/alt", redirect_page=full_place)
    values = {
        "page_id": full_place.pk,
        "image_id": image.pk,
        "document_id": document.pk,
        "redirect_id": redirect.pk,
    }
    reads = [path for path, operations in schema.json()["paths"].items() if "get" in operations]
    assert "/api/v3/pages/{page_id}/" in reads and "/api/v3/images/" in reads
    seen = []
    for path in reads:
        if path in TOKEN_ONLY:
            assert client.get(re.sub(r"\{\w+\}", "1", path)).status_code == 401, path
            continue
        url = re.sub(r"\{(\w+)\}", lambda match: str(values[match.group(1)]), path)
        if path.endswith("/find/"):  # answers with a redirect to the detail
            url += f"?id={values['redirect_id' if 'redirects' in path else 'page_id']}"
            assert client.get(url).status_code == 302, url
            continue
        first, second, queries = twice(client, url)
        assert first.status_code == 200, (url, first.content[:300])
        assert second.status_code == 200, url
        assert second.content == first.content, url
        assert second["ETag"] == first["ETag"], url
        assert queries <= 1, url  # the data version's fingerprint; the body from the cache
        seen.append(path)
    assert len(seen) == 8, seen


def test_every_v2_read_answers_200_and_the_cached_answer_is_the_same(
    client,
    full_place,  # noqa: F811
    image,  # noqa: F811
    document,
):
    for url in (
        "/api/v2/pages/",
        "/api/v2/pages/?type=places.PlacePage&fields=*",
        f"/api/v2/pages/{full_place.pk}/",
        "/api/v2/images/",
        f"/api/v2/images/{image.pk}/",
        "/api/v2/documents/",
        f"/api/v2/documents/{document.pk}/",
    ):
        first, second, queries = twice(client, url)
        assert first.status_code == 200, (url, first.content[:300])
        assert second.content == first.content, url
        assert second["Content-Type"] == first["Content-Type"], url
        assert queries <= 1, url


def test_junk_in_the_query_makes_no_new_api_entries(client, full_place):  # noqa: F811
    url = "/api/v2/pages/?type=places.PlacePage&fields=title"
    first = client.get(url)
    assert len(body_entries()) == 1
    # Cache busters, repeated and empty values, another order: the canonical form's entry.
    for n in range(1000):
        variants = (
            f"{url}&_={n}",
            f"/api/v2/pages/?fields=title&type=places.PlacePage&type=places.PlacePage&_={n}",
            f"{url}&category=&search=&limit=",
        )
        response = client.get(variants[n % len(variants)])
        assert response.status_code == 200
        assert response.content == first.content
    assert len(body_entries()) == 1
    # v2 still says which parameter it does not know (uncached).
    unknown = client.get(f"{url}&utm_source=mail")
    assert unknown.status_code == 400
    # v3 ignores unknown parameters: such a request is answered, never kept.
    listing = client.get("/api/v3/pages/?type=places.PlacePage")
    assert listing.status_code == 200
    assert len(body_entries()) == 2
    for n in range(300):
        response = client.get(f"/api/v3/pages/?type=places.PlacePage&utm_source=x{n}")
        assert response.status_code == 200
        assert response.json() == listing.json()
    reordered = client.get("/api/v3/pages/?limit=20&type=places.PlacePage&limit=20&offset=")
    assert reordered.status_code == 200
    assert len(body_entries()) == 3


def test_export_bodies_for_free_text_are_kept_once_per_place_set_and_briefly(
    client,
    full_place,  # noqa: F811
):
    """A municipality matches case-insensitively: every spelling is one body. Free text
    can take any value, so such bodies live no longer than an API answer."""
    for spelling in ("Salzwedel", "SALZWEDEL", "salzwedel,Salzwedel"):
        response = client.get(f"/api/orte.geojson?municipality={spelling}")
        assert response.status_code == 200
        assert full_place.title in response.content.decode()
    (key,) = body_entries()
    assert cache._expire_info[key] - time.time() <= settings.PLACES_API_RESPONSE_CACHE_SECONDS
    client.get("/api/orte.geojson")
    (plain,) = body_entries() - {key}
    assert cache._expire_info[plain] - time.time() > 60 * 60
