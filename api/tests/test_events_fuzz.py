"""Fuzzing the event channels: no input is ever answered with a 5xx, and every refusal
says in German what is wrong."""

import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.tests.event_fixtures import gutshof, publish_event  # noqa: F401
from events.models import Recurrence

FUZZ_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NAMES = st.sampled_from(
    ["region", "place", "_", "type", "fields", "cancelled", "start_date", "next_dates", "rrule"]
)
VALUES = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.sampled_from(
        [
            "altmark",
            "gutshof-wiesengrund",
            "events.EventPage",
            "*",
            "true",
            "false",
            "2026-13-45",
            "%00",
            "ä-ö",
            "..",
        ]
    ),
)
QUERIES = st.lists(st.tuples(NAMES | st.text(max_size=10), VALUES), max_size=4)


@pytest.fixture
def some_events(gutshof):  # noqa: F811
    publish_event(gutshof, title="Hoffest")
    publish_event(gutshof, title="Markt", start_time=None, recurrence=Recurrence.MONTHLY_WEEKDAY)


def _message(response) -> str:
    if response["Content-Type"].startswith("text/plain"):
        return response.content.decode()
    return json.loads(response.content)["message"]


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(
    query=QUERIES,
    endpoint=st.sampled_from(
        ["/api/veranstaltungen.ics", "/api/veranstaltungen.geojson", "/api/v2/pages/"]
    ),
)
def test_event_channels_never_500(client, some_events, query, endpoint):
    if endpoint == "/api/v2/pages/":
        query = [("type", "events.EventPage"), *query]
    url = endpoint + "?" + urlencode(query)
    response = client.get(url)
    assert response.status_code < 500, url
    if response.status_code in (400, 404):
        assert _message(response).strip(), url
    if endpoint.endswith(".ics") and response.status_code >= 400:
        assert response["Content-Type"] == "text/plain; charset=utf-8", url
