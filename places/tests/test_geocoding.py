"""„Punkt aus Adresse setzen“: the admin view, the optional geocoder (a real HTTP server on
localhost here, never the internet) and the shipped municipalities' table."""

import json
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from django.conf import settings as django_settings
from django.contrib.auth.models import Permission
from django.urls import reverse

import pytest

from places.geocoding import municipality_centre
from regions.onboarding import onboard_region

URL = "/admin/orte/punkt-aus-adresse/"


class Geocoder:
    """A Nominatim-compatible ``/search`` on 127.0.0.1 that records what it was asked."""

    def __init__(self, status=200, hits=None):
        self.requests = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append(
                    (
                        urlparse(self.path).path,
                        parse_qs(urlparse(self.path).query),
                        dict(self.headers),
                    )
                )
                body = json.dumps(hits if hits is not None else []).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/search"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def geocoder_factory():
    started = []

    def start(**kwargs):
        geocoder = Geocoder(**kwargs)
        started.append(geocoder)
        return geocoder

    yield start
    for geocoder in started:
        geocoder.close()


@pytest.fixture
def editor_client(client, home_page, django_user_model):
    result = onboard_region("Altmark", contact_email="altmark@example.org", publish=True)
    editor = django_user_model.objects.create_user("redakteurin", "r@example.org", "geheim-123")
    editor.groups.add(result.editors_group)
    client.force_login(editor)
    return client


ADDRESS = {"street": "Lange Straße 5", "postcode": "29410", "municipality": "Salzwedel"}


def test_the_geocoder_is_off_by_default():
    assert django_settings.GEOCODER_URL == ""


def test_without_a_geocoder_the_button_sets_the_municipality_centre_and_asks_no_one(
    editor_client, geocoder_factory, settings
):
    geocoder = geocoder_factory(hits=[{"lat": "1", "lon": "1"}])  # listening, not configured
    settings.GEOCODER_URL = ""
    answer = editor_client.get(URL, ADDRESS).json()
    assert answer["found"] is True
    assert answer["source"] == "gemeinde"
    assert (Decimal(answer["latitude"]), Decimal(answer["longitude"])) == (
        Decimal("52.854400"),
        Decimal("11.152500"),
    )
    assert "Mittelpunkt von Salzwedel (Altmarkkreis Salzwedel)" in answer["message"]
    assert geocoder.requests == []


def test_a_configured_geocoder_is_asked_over_http(editor_client, geocoder_factory, settings):
    geocoder = geocoder_factory(
        hits=[{"lat": "52.8499", "lon": "11.1567", "display_name": "Lange Straße 5, Salzwedel"}]
    )
    settings.GEOCODER_URL = geocoder.url
    settings.GEOCODER_USER_AGENT = "Kreativorte-Test"
    answer = editor_client.get(URL, ADDRESS).json()
    assert (answer["found"], answer["source"]) == (True, "geocoder")
    assert (answer["latitude"], answer["longitude"]) == ("52.849900", "11.156700")
    assert "Lange Straße 5, Salzwedel" in answer["message"]
    [(path, query, headers)] = geocoder.requests
    assert path == "/search"
    assert query["street"] == ["Lange Straße 5"]
    assert query["postalcode"] == ["29410"]
    assert query["city"] == ["Salzwedel"]
    assert query["countrycodes"] == ["de"]
    assert headers["User-Agent"] == "Kreativorte-Test"


def test_a_failing_or_empty_geocoder_falls_back_on_the_municipality(
    editor_client, geocoder_factory, settings
):
    settings.GEOCODER_URL = geocoder_factory(status=500).url
    answer = editor_client.get(URL, ADDRESS).json()
    assert (answer["found"], answer["source"]) == (True, "gemeinde")
    assert answer["message"].startswith("Der Adressdienst war nicht erreichbar.")

    settings.GEOCODER_URL = geocoder_factory(hits=[]).url
    answer = editor_client.get(URL, ADDRESS).json()
    assert (answer["found"], answer["source"]) == (True, "gemeinde")
    assert answer["message"].startswith("Die genaue Adresse wurde nicht gefunden.")

    # A hit outside Germany is not taken.
    settings.GEOCODER_URL = geocoder_factory(hits=[{"lat": "40.0", "lon": "-3.7"}]).url
    assert editor_client.get(URL, ADDRESS).json()["source"] == "gemeinde"


def test_unknown_places_and_missing_input_are_explained(editor_client, settings):
    settings.GEOCODER_URL = ""
    answer = editor_client.get(URL, {"municipality": "Atlantis"}).json()
    assert answer["found"] is False
    assert "Zu „Atlantis“ kennen wir keinen Punkt" in answer["message"]
    answer = editor_client.get(URL, {"street": "Hauptstraße 1"}).json()
    assert answer["found"] is False
    assert "„Ort / Gemeinde“ oder die PLZ" in answer["message"]


def test_the_view_needs_login_and_page_permissions(client, home_page, django_user_model):
    assert reverse("places_locate_address") == URL
    response = client.get(URL, ADDRESS)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    # Admin access alone (e.g. someone who only answers applications) is not enough.
    clerk = django_user_model.objects.create_user("clerk", "c@example.org", "geheim-789")
    clerk.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(clerk)
    assert client.get(URL, ADDRESS).status_code == 403


@pytest.mark.parametrize(
    ("municipality", "postcode", "district", "expected"),
    [
        ("Stendal", "", "", "Stendal (Landkreis Stendal)"),
        ("Hansestadt Stendal", "", "", "Stendal (Landkreis Stendal)"),
        ("Kalbe (Milde)", "", "", "Kalbe (Milde) (Altmarkkreis Salzwedel)"),
        ("Arendsee (Altmark)", "", "", "Arendsee (Altmarkkreis Salzwedel)"),
        ("Salzwedel OT Chüden", "29410", "", "Salzwedel (Altmarkkreis Salzwedel)"),
        # Two places called Seehausen: the postcode decides, then the district.
        ("Seehausen", "39615", "", "Seehausen (Landkreis Stendal)"),
        ("Seehausen", "", "Börde", "Seehausen (Börde)"),
        ("Lutherstadt Wittenberg", "", "", "Lutherstadt Wittenberg (Landkreis Wittenberg)"),
        ("Halle (Saale)", "", "", "Halle (Kreisfreie Stadt Halle)"),
        ("", "39576", "", "PLZ 39576 (Stendal)"),
    ],
)
def test_the_municipalities_table(municipality, postcode, district, expected):
    point = municipality_centre(municipality, postcode, district)
    assert point is not None and point.label == expected
    assert Decimal("50.9") < point.latitude < Decimal("53.1")
    assert Decimal("10.5") < point.longitude < Decimal("13.2")


def test_every_district_town_and_altmark_municipality_is_in_the_table():
    names = [
        # District towns (Kreisstädte) and the independent cities.
        "Salzwedel", "Stendal", "Haldensleben", "Burg", "Halberstadt", "Köthen", "Bernburg",
        "Merseburg", "Naumburg", "Sangerhausen", "Wittenberg", "Magdeburg", "Halle", "Dessau",
        # Altmarkkreis Salzwedel and Landkreis Stendal: the Einheitsgemeinden and the members
        # of the Verbandsgemeinden.
        "Arendsee (Altmark)", "Gardelegen", "Kalbe (Milde)", "Klötze", "Apenburg-Winterfeld",
        "Beetzendorf", "Diesdorf", "Jübar", "Kuhfelde", "Rohrberg", "Wallstawe", "Dähre",
        "Tangerhütte", "Tangermünde", "Havelberg", "Osterburg", "Bismark (Altmark)",
        "Seehausen (Altmark)", "Arneburg", "Eichstedt", "Hohenberg-Krusemark", "Iden",
        "Rochau", "Werben (Elbe)", "Goldbeck", "Aland", "Altmärkische Höhe",
        "Altmärkische Wische", "Zehrental", "Kamern", "Klietz", "Sandau (Elbe)", "Schollene",
        "Schönhausen (Elbe)", "Wust-Fischbeck",
    ]  # fmt: skip
    missing = [name for name in names if municipality_centre(name) is None]
    assert missing == []
