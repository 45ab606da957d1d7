"""A NUL character anywhere a request carries text is a German 400, never a 500 or 503.

PostgreSQL refuses NUL in text (a filter with ``%00`` raised a 500), SQLite's refusal looked
like a database outage (a false 503). ``core.middleware.NulByteMiddleware`` refuses it for
every request before anything reads it; ``places.queries.parse_place_filters`` refuses it too
for callers outside a request (issue 19, finding 13).
"""

import json

from django.test import Client

import pytest

from applications.models import Application
from applications.tests.helpers import form_data, post_form
from places.factories import PlacePageFactory
from places.models import Category, PlacePage
from places.queries import FILTER_PARAMETERS, FilterError, parse_place_filters

pytestmark = pytest.mark.django_db

MESSAGE = "enthält ein Nullzeichen (%00); das ist nicht erlaubt."

PUBLIC = [
    "/orte/?region=%00",
    "/orte/?tag=%00",
    "/orte/?municipality=Salz%00wedel",
    "/orte/?q=%00",
    "/orte/?category=wohnen-bauen&offer=a%00",
    "/orte/?page=%00",
    "/orte/?utm_source%00=x",  # in a name, of a parameter nobody reads
    "/suche/?q=a%00b",
    "/einbetten/karte/?tag=%00",
    "/altmark/?tag=%00",
    "/altmark/?municipality=x%00",
    "/altmark/hof/?x=%00",
    "/altmark/%00/",
    "/feeds/orte.atom?tag=%00",
    "/sitemap.xml?p=%00",
    "/mitmachen/?region=%00",
]
API = [
    "/api/orte.geojson?tag=%00",
    "/api/orte.geojson?bbox=1,2,3,%00",
    "/api/orte.csv?municipality=%00",
    "/api/v2/pages/?search=%00",
    "/api/v2/pages/?type=places.PlacePage&tag=%00",
    "/api/v2/pages/?slug=%00",
    "/api/v2/images/?title=%00",
    "/api/v3/pages/?type=places.PlacePage&slug=%00",
    "/api/v3/pages/?search=%00",
]


@pytest.fixture
def hof(region):
    return PlacePageFactory(parent=region, title="Hof", slug="hof", municipality="Salzwedel")


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("url", PUBLIC)
def test_nul_in_a_public_address_is_a_german_400(client, hof, url):
    response = client.get(url)
    assert response.status_code == 400, url
    html = response.content.decode()
    assert "Bitte prüfen Sie die Filter:" in html and MESSAGE in html
    assert "\x00" not in html  # the name is shown, never the character
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("url", API)
def test_nul_in_an_api_parameter_is_a_json_400(client, hof, url):
    response = client.get(url)
    assert response.status_code == 400, url
    body = json.loads(response.content)
    assert body["message"] == "Ungültige Parameter."
    assert all(MESSAGE in message for message in body["errors"].values())


def test_nul_in_a_calendar_feed_parameter_is_a_plain_text_400(client, hof):
    response = client.get("/api/veranstaltungen.ics?region=%00")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "Ungültige Parameter." in text and "„region“ " + MESSAGE in text


def test_the_message_names_each_parameter(client, hof):
    response = client.get("/api/orte.geojson?tag=%00&municipality=ok&q=x%00")
    errors = json.loads(response.content)["errors"]
    assert set(errors) == {"tag", "q"}
    assert errors["tag"] == "„tag“ " + MESSAGE


def test_the_same_addresses_without_nul_still_answer(client, hof):
    for url in PUBLIC + API:
        clean = url.replace("%00", "")
        if clean.startswith("/altmark//"):
            continue
        assert client.get(clean).status_code < 500, clean


@pytest.mark.parametrize(
    "url",
    [
        "/admin/pages/search/?q=%00",
        "/admin/pages/?q=a%00",
        "/admin/images/?q=%00",
        "/admin/applications/application/?q=%00",
        "/admin/applications/application/?created_at__gte=%00",
        "/admin/users/?q=%00",
    ],
)
def test_nul_in_an_admin_search_is_a_german_400(client, admin_user, url):
    client.force_login(admin_user)
    response = client.get(url)
    assert response.status_code == 400, url
    assert MESSAGE in response.content.decode()


def test_nul_in_an_admin_form_field_is_refused_before_the_view(client, admin_user, hof):
    client.force_login(admin_user)
    url = f"/admin/pages/{hof.pk}/edit/"
    response = client.post(url, {"title": "Hof\x00", "slug": "hof"})
    assert response.status_code == 400
    assert "Bitte prüfen Sie Ihre Eingaben:" in response.content.decode()
    assert PlacePage.objects.get(pk=hof.pk).title == "Hof"
    # The admin's own search as a form (a chooser posts its query).
    response = client.post("/admin/pages/search/", {"q": "\x00"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "field", ["place_name", "municipality", "introduction", "email", "region", "token", "fax"]
)
def test_nul_in_the_application_form_never_reaches_the_database(client, region, field):
    """The form is csrf-exempt and reads its body only after its own checks, so the
    middleware leaves it alone: its text fields drop control characters, the others refuse
    the value with a German message."""
    categories = list(Category.objects.all())
    data = form_data(region, categories)
    data[field] = "Alte\x00Scheune"
    response = post_form(client, data)
    assert response.status_code in (200, 400), field
    if response.status_code == 400:
        assert "Bitte" in response.content.decode()  # the form with a message, no error page
    for values in Application.objects.values():
        assert not any("\x00" in str(value) for value in values.values())


def test_nul_in_an_application_category_is_a_german_message(client, region):
    categories = list(Category.objects.all())
    data = form_data(region, categories)
    data["categories"] = [f"{categories[0].pk}\x00"]
    response = post_form(client, data)
    assert response.status_code == 400
    assert "Themenfelder: Nullzeichen sind nicht erlaubt." in response.content.decode()
    assert not Application.objects.exists()


@pytest.mark.parametrize("name", [*FILTER_PARAMETERS, "bbox"])
def test_the_filter_parser_refuses_nul_outside_a_request(region, name):
    with pytest.raises(FilterError) as raised:
        parse_place_filters({name: "a\x00"}, allow_bbox=True)
    assert raised.value.errors == {name: f"„{name}“ {MESSAGE}"}


@pytest.mark.parametrize("url", ["/", "/admin/", "/mitmachen/", "/orte/"])
def test_a_cookie_with_nul_is_ignored_not_a_500(client, home_page, url):
    """Python's cookie parser turns ``\\000`` in a quoted value into NUL; the session lookup
    then failed. Such a cookie is treated as absent."""
    cookie = 'sessionid="abcdefghij\\000klmnop"; csrftoken="a\\000b"'
    response = client.get(url, HTTP_COOKIE=cookie)
    assert response.status_code in (200, 302), url
