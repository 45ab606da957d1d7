"""The v3 OpenAPI schema says what ``locale`` means in this API (``api/v3.py``), on both page
reads, and the detail read honours what it documents."""

import pytest

from api.tests.api_fixtures import full_place, image  # noqa: F401

pytestmark = pytest.mark.django_db

PAGE_READS = ("/api/v3/pages/", "/api/v3/pages/{page_id}/")


def locale_parameters(schema, path):
    parameters = schema["paths"][path]["get"]["parameters"]
    return [parameter for parameter in parameters if parameter["name"] == "locale"]


@pytest.mark.parametrize("path", PAGE_READS)
def test_both_page_reads_document_locale_as_this_api_reads_it(client, path):
    schema = client.get("/api/v3/openapi.json").json()
    (locale,) = locale_parameters(schema, path)
    assert locale["in"] == "query"
    assert locale["required"] is False
    assert locale["schema"]["enum"] == ["de", "en"]
    for words in ("Standard: de", "/en/", "meta.locale", "400", "API-Token"):
        assert words in locale["description"], words


def test_the_detail_read_takes_the_documented_values(client, full_place):  # noqa: F811
    url = f"/api/v3/pages/{full_place.pk}/"
    english = client.get(url, {"locale": "en"})
    assert english.status_code == 200
    assert "/en/" in english.json()["meta"]["html_url"]
    assert client.get(url, {"locale": "fr"}).status_code == 400
