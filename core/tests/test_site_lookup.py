"""``WagtailSiteMiddleware`` and ``core.middleware.find_site``: the same site as Wagtail's
``get_site_for_hostname`` for every kind of match, in one query, with the home page as its
specific type."""

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page, Site
from wagtail.models.sites import get_site_for_hostname

import pytest

from core.middleware import find_site
from home.models import ContentPage, HomePage

pytestmark = pytest.mark.django_db


def _request(host: str, port: int):
    return RequestFactory().get("/", HTTP_HOST=f"{host}:{port}", SERVER_PORT=str(port))


def _wagtail(host: str, port: int):
    try:
        return get_site_for_hostname(host, port)
    except Site.DoesNotExist:
        return None


SITES = {
    "default only": [("localhost", 80, True)],
    "hostname and port": [("localhost", 80, True), ("kreativorte.example", 443, False)],
    "one hostname, two ports": [
        ("kreativorte.example", 80, True),
        ("kreativorte.example", 8080, False),
    ],
    "default and one other site of the hostname": [
        ("localhost", 80, True),
        ("b.example", 8443, False),
    ],
    "no default": [("a.example", 80, False), ("b.example", 80, False)],
    "no default, one hostname on two ports": [("a.example", 80, False), ("a.example", 81, False)],
}
HOSTS = [
    ("localhost", 80),
    ("kreativorte.example", 443),
    ("kreativorte.example", 8080),
    ("kreativorte.example", 9999),
    ("b.example", 443),
    ("a.example", 82),
    ("other.example", 80),
]


@pytest.mark.parametrize("sites", SITES.values(), ids=SITES.keys())
def test_the_same_site_as_wagtail_finds(sites):
    root = Page.get_first_root_node()
    Site.objects.all().delete()
    for index, (hostname, port, default) in enumerate(sites):
        if index == 0:
            page = root.add_child(instance=HomePage(title=f"Start {index}", slug=f"start-{index}"))
        else:
            page = root.add_child(
                instance=ContentPage(title=f"Seite {index}", slug=f"seite-{index}")
            )
        Site.objects.create(hostname=hostname, port=port, is_default_site=default, root_page=page)
    for host, port in HOSTS:
        expected = _wagtail(host, port)
        with CaptureQueriesContext(connection) as queries:
            found = find_site(_request(host, port))
        assert (found and found.pk) == (expected and expected.pk), (host, port)
        assert len(queries) == 1
        if found is None:
            continue
        assert found.hostname == expected.hostname and found.port == expected.port
        assert found.is_default_site == expected.is_default_site
        with CaptureQueriesContext(connection) as queries:
            root_page = found.root_page.specific
        assert root_page.pk == expected.root_page.pk
        assert type(root_page) is type(expected.root_page.specific)
        if isinstance(root_page, HomePage):
            assert root_page.title == expected.root_page.title
            assert len(queries) == 0  # loaded with the site


@pytest.mark.parametrize(
    "url", ["/", "/altmark/", "/orte/", "/suche/?q=Gutshof", "/einbetten/karte/"]
)
def test_a_page_request_looks_the_site_up_once(place, client, url):
    """Wagtail's pages and the public views marked ``uses_wagtail_site``; the query budgets
    count this one query (tests/test_query_counts.py)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    if url.startswith(("/altmark/", "/orte/", "/einbetten/")):
        assert place.title in response.content.decode()  # a card with its page link
    lookups = [q["sql"] for q in queries if 'FROM "wagtailcore_site"' in q["sql"]]
    assert len(lookups) == 1
    # The home page comes with the site, not in a query of its own (Wagtail's ``.specific``).
    assert len([q for q in queries if '"home_homepage"' in q["sql"]]) == 1
    assert '"home_homepage"' in lookups[0]
