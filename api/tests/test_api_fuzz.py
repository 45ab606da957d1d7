"""Fuzzing: no input to the API is ever answered with a 5xx.

API v2, GeoJSON and CSV parameters are generated with hypothesis; API v3 is fuzzed from its
own OpenAPI schema with schemathesis. Both are bounded so the suite stays fast.
"""

import json
from urllib.parse import urlencode

from django.core.signals import request_finished, request_started
from django.db import close_old_connections

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.generation.hypothesis.reporting import UnsatisfiableSchema

from places.factories import PlacePageFactory
from places.models import PlacePage

FUZZ_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

PARAMETER_NAMES = st.sampled_from(
    [
        "region",
        "category",
        "tag",
        "offer",
        "status",
        "municipality",
        "q",
        "bbox",
        "limit",
        "offset",
        "fields",
        "order",
        "search",
        "type",
        "child_of",
        "descendant_of",
        "ancestor_of",
        "founded",
        "last_checked",
        "site",
        "locale",
        "rich_text_format",
        "title",
        "id",
    ]
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
BBOXES = st.lists(NUMBERS, min_size=0, max_size=6).map(",".join)
VALUES = st.one_of(
    st.text(max_size=40),
    NUMBERS,
    BBOXES,
    st.sampled_from(
        [
            "places.PlacePage",
            "regions.RegionPage",
            "wagtailcore.Page",
            "auth.User",
            "*",
            "-title",
            "random",
            "altmark",
            "wohnen-bauen",
            "aktiv",
            "root",
            "%00",
            "\x00",
        ]
    ),
)
QUERIES = st.lists(st.tuples(PARAMETER_NAMES | st.text(max_size=10), VALUES), max_size=5)


@pytest.fixture
def some_places(region):
    for index in range(3):
        place = PlacePageFactory(parent=region, title=f"Ort {index}")
        place.tags.add("Coworking")
        place.save()


def _check(response, url):
    assert response.status_code < 500, url
    if response.status_code == 400:
        body = json.loads(response.content)
        assert body["message"], url


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(query=QUERIES)
def test_v2_pages_parameters_never_500(client, some_places, query):
    url = "/api/v2/pages/?" + urlencode(query)
    _check(client.get(url), url)


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(query=QUERIES)
def test_v2_places_parameters_never_500(client, some_places, query):
    url = "/api/v2/pages/?" + urlencode([("type", "places.PlacePage"), *query])
    _check(client.get(url), url)


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(query=QUERIES, endpoint=st.sampled_from(["/api/orte.geojson", "/api/orte.csv"]))
def test_geojson_and_csv_parameters_never_500(client, some_places, query, endpoint):
    url = endpoint + "?" + urlencode(query)
    _check(client.get(url), url)


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(
    path=st.one_of(
        st.text(alphabet="0123456789abc-_%.", max_size=25),
        st.integers(min_value=-(10**25), max_value=10**25).map(str),
    ),
    endpoint=st.sampled_from(["pages", "images", "documents"]),
)
def test_v2_ids_never_500(client, some_places, path, endpoint):
    url = f"/api/v2/{endpoint}/{path}/"
    response = client.get(url)
    assert response.status_code < 500, url


@pytest.mark.django_db
def test_v3_openapi_fuzz_never_500(some_places):
    """Every v3 operation, fuzzed from the OpenAPI schema (anonymous, so writes get 401)."""
    from cms.wsgi import application

    # Like Django's test client: keep the test's transaction open across WSGI requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        _fuzz_v3(application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _fuzz_v3(application):
    v3 = schemathesis.openapi.from_wsgi("/api/v3/openapi.json", application)
    operations = [result.ok() for result in v3.get_all_operations()]
    assert len(operations) > 10
    failures = []
    for operation in operations:

        @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case):
            response = case.call()
            if response.status_code >= 500:
                failures.append((case.method, case.formatted_path, case.query, case.body))

        try:
            check()
        except UnsatisfiableSchema:
            # e.g. /snippets/{type}/ while no snippet type is registered: nothing to send.
            continue
    assert not failures, failures[:5]


@pytest.mark.django_db
def test_a_site_that_is_no_host_is_a_400_not_a_500(client, some_places):
    """Found by the fuzzer: Wagtail's ``find`` reads ``site`` as "host:port" and raised a
    ValueError (500) for any other port."""
    place = PlacePage.objects.live().first()
    for site in ("Disallow: /suche/", "localhost:abc", "a b"):
        response = client.get("/api/v3/pages/find/", {"id": place.pk, "site": site})
        assert response.status_code == 400, site
        assert json.loads(response.content)["message"]
    answer = client.get("/api/v3/pages/find/", {"id": place.pk, "site": "localhost:80"})
    assert answer.status_code < 500


@pytest.mark.django_db
def test_a_huge_offset_with_a_token_header_is_a_400_not_a_500(client, some_places):
    """Found by the fuzzer: with an ``Authorization`` header the size check was skipped and
    PostgreSQL refused the offset (bigint out of range)."""
    for url in ("/api/v3/documents/", "/api/v3/pages/", "/api/v2/pages/"):
        response = client.get(
            url, {"offset": "9223372036854775809"}, headers={"authorization": "Bearer x"}
        )
        assert response.status_code == 400, url
        assert json.loads(response.content)["message"] == "offset ist zu groß."
