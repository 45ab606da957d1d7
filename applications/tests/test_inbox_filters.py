"""The inbox's list takes its own filters only: a bad value is a German message, never a 500.

wagtail-modeladmin applies every query parameter as a lookup; unchecked, a bad date crashed
the list and a lookup across relations made it an oracle for other users' password hashes.
"""

from datetime import timedelta
from urllib.parse import urlencode

from django.test import Client
from django.utils import timezone

import pytest

from applications.factories import ApplicationFactory

from .test_inbox import INDEX

pytestmark = pytest.mark.django_db

MESSAGE = "Ein Filter in der Adresse war ungültig und wurde nicht angewendet."


@pytest.fixture
def editor_client(altmark_editor):
    client = Client(raise_request_exception=False)
    client.force_login(altmark_editor)
    return client


@pytest.mark.parametrize(
    "query",
    [
        "created_at__gte=garbage",
        "created_at__lt=2026-13-45",
        "created_at__gte=2026-12-01&created_at__lt=x",
        "created_at__gte=0001-01-01+00:00:00%2B14:00",
        "created_at__lt=9999-12-31+23:59:59-14:00",
        "created_at__year=abc",
        "created_at__date=x",
        "id__gt=x",
        "status__exact=bogus",
        "region=99999999999999999999999",
        "export=csv&created_at__gte=garbage",
        # NUL (%00) never reaches the inbox: core.middleware.NulByteMiddleware answers a
        # German 400 first (tests/test_nul_bytes.py).
    ],
)
def test_a_bad_filter_is_a_german_message_not_a_500(editor_client, application, query):
    response = editor_client.get(f"{INDEX}?{query}")
    assert response.status_code == 302
    assert response["Location"].startswith(INDEX)
    page = editor_client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert MESSAGE in html
    assert application.place_name in html


def test_the_offered_filters_still_work(editor_client, altmark):
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    recent = ApplicationFactory(region=altmark, place_name="Neuer Hof", status="neu")
    ApplicationFactory(
        region=altmark, place_name="Alter Hof", created_at=today - timedelta(days=40)
    )
    # As the date filter's own links ("Heute") spell it.
    query = urlencode(
        {
            "created_at__gte": str(today),
            "created_at__lt": str(today + timedelta(days=1)),
            "status__exact": "neu",
            "region": altmark.pk,
        }
    )
    response = editor_client.get(f"{INDEX}?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert recent.place_name in html and "Alter Hof" not in html
    assert MESSAGE not in html


def test_another_regions_id_is_no_filter(editor_client, application, harz):
    response = editor_client.get(f"{INDEX}?region={harz.pk}")
    assert response.status_code == 302


def test_lookups_across_relations_are_no_oracle(editor_client, altmark, admin_user):
    # The superuser converted an application; its password hash must not be guessable
    # from whether the row is listed.
    ApplicationFactory(region=altmark, place_name="Übernommen", converted_by=admin_user)
    prefix = admin_user.password[:3]
    pages = []
    for guess in (prefix, "zzz"):
        response = editor_client.get(f"{INDEX}?converted_by__password__startswith={guess}")
        assert response.status_code == 302
        pages.append(editor_client.get(response["Location"]).content.decode())
    assert all("Übernommen" in html for html in pages)


@pytest.mark.parametrize("action", ["inspect", "delete", "edit", "history"])
@pytest.mark.parametrize("pk", ["abc", "1x", "99999999999999999999"])
def test_a_malformed_id_is_a_404_not_a_500(editor_client, application, action, pk):
    assert editor_client.get(f"{INDEX}{action}/{pk}/").status_code == 404
