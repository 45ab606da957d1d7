"""The site's real address (``SITE_URL``, docs/deployment.md "Adresse der Website") in every
channel that makes absolute URLs: the Wagtail Site, sitemap, canonical and ``og:url``, JSON-LD,
robots.txt, API v2 links, GeoJSON and CSV, e-mails and the static build's default base.

``make run`` serves on HOST:PORT and sets ``SITE_URL=http://HOST:PORT``; ``load_demo`` and
``set_site_address`` give the default site that address. Here the address is one no test
fixture uses (``http://127.0.0.1:8123``), and requests come to it as they would to
``runserver``; ``localhost`` (Wagtail's and the fixtures' default) must appear nowhere.
"""

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys

from django.conf import settings
from django.core.management import CommandError, call_command

from wagtail.models import Page, Site

import pytest

from applications.emails import notification_message, online_message
from applications.factories import ApplicationFactory
from demo.site import ensure_home_page, point_default_site_at, site_address
from places.factories import PlacePageFactory
from regions.factories import RegionPageFactory

pytestmark = pytest.mark.django_db

ADDRESS = "http://127.0.0.1:8123"
HOST = "127.0.0.1:8123"
#: ``PY`` for ``make run``: each step prints its ``SITE_URL`` and arguments instead of running.
ECHO_STEPS = "PY=sh -c 'echo \"$$SITE_URL $$*\"' x"


@pytest.fixture
def served(settings):
    """A database as ``make run`` leaves it: Wagtail's migrations (default site
    ``localhost:80``), the demo's home page, then ``set_site_address`` with ``SITE_URL``."""
    settings.SITE_URL = ADDRESS
    assert Site.objects.get(is_default_site=True).hostname == "localhost"
    home = ensure_home_page()
    call_command("set_site_address", verbosity=0)
    region = RegionPageFactory(parent=home, title="Altmark", slug="altmark")
    place = PlacePageFactory(
        parent=region,
        title="Gutshof",
        slug="gutshof",
        opening_hours="Mo-Fr 09:00-17:00",
        email="gut@example.org",
    )
    return place


def _get(client, path, host=HOST):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200, path
    return response.content.decode()


def test_site_address_parses_scheme_host_and_port():
    assert site_address("http://127.0.0.1:8000") == ("127.0.0.1", 8000)
    assert site_address("https://kreativorte.example") == ("kreativorte.example", 443)
    assert site_address("http://kreativorte.example/") == ("kreativorte.example", 80)
    with pytest.raises(Exception, match="SITE_URL"):
        site_address("kreativorte.example")


def test_the_default_site_gets_the_served_address_idempotently(served):
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == ("127.0.0.1", 8123, ADDRESS)
    assert served.full_url == f"{ADDRESS}/altmark/gutshof/"
    assert point_default_site_at(ADDRESS).pk == site.pk
    assert Site.objects.count() == 1
    call_command("set_site_address", "https://kreativorte.example", verbosity=0)
    assert Site.objects.get(pk=site.pk).root_url == "https://kreativorte.example"


def test_set_site_address_refuses_an_address_another_site_has(served):
    other_root = Page.get_first_root_node().add_child(title="Andere", slug="andere")
    Site.objects.create(hostname="andere.example", port=80, root_page=other_root)
    with pytest.raises(CommandError, match=r"andere\.example:80"):
        call_command("set_site_address", "http://andere.example", verbosity=0)
    assert Site.objects.get(is_default_site=True).root_url == ADDRESS


def test_a_new_default_site_is_created_at_site_url(settings):
    settings.SITE_URL = ADDRESS
    Site.objects.all().delete()
    ensure_home_page()
    assert Site.objects.get(is_default_site=True).root_url == ADDRESS


def test_canonical_og_url_and_json_ld_name_the_served_address(client, served):
    html = _get(client, served.url)
    assert f'<link rel="canonical" href="{ADDRESS}/altmark/gutshof/">' in html
    assert f'<meta property="og:url" content="{ADDRESS}/altmark/gutshof/">' in html
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["url"] == f"{ADDRESS}/altmark/gutshof/"
    assert "localhost" not in html


def test_pages_take_the_requests_host(client, served):
    """Requested under another allowed name (a second name, another machine in the LAN),
    the links name that one, as the visitor used it."""
    html = _get(client, served.url, host="192.168.1.20:8123")
    assert '<link rel="canonical" href="http://192.168.1.20:8123/altmark/gutshof/">' in html
    sitemap = _get(client, "/sitemap.xml", host="192.168.1.20:8123")
    assert "<loc>http://192.168.1.20:8123/altmark/gutshof/</loc>" in sitemap


def test_sitemap_and_robots_name_the_served_address(client, served):
    sitemap = _get(client, "/sitemap.xml")
    assert f"<loc>{ADDRESS}/</loc>" in sitemap
    assert f"<loc>{ADDRESS}/altmark/gutshof/</loc>" in sitemap
    assert "localhost" not in sitemap
    assert f"Sitemap: {ADDRESS}/sitemap.xml" in _get(client, "/robots.txt")


def test_api_links_geojson_and_csv_name_the_served_address(client, served):
    listing = json.loads(_get(client, "/api/v2/pages/?type=places.PlacePage&fields=*"))
    item = listing["items"][0]
    assert item["meta"]["detail_url"] == f"{ADDRESS}/api/v2/pages/{served.pk}/"
    assert item["meta"]["html_url"] == f"{ADDRESS}/altmark/gutshof/"
    detail = json.loads(_get(client, f"/api/v2/pages/{served.pk}/"))
    assert detail["meta"]["html_url"] == f"{ADDRESS}/altmark/gutshof/"
    geojson = json.loads(_get(client, "/api/orte.geojson"))
    assert geojson["features"][0]["properties"]["full_url"] == f"{ADDRESS}/altmark/gutshof/"
    rows = list(csv.DictReader(io.StringIO(_get(client, "/api/orte.csv").lstrip("\ufeff"))))
    assert rows[0]["url"] == f"{ADDRESS}/altmark/gutshof/"
    for body in (json.dumps(listing), json.dumps(detail), json.dumps(geojson)):
        assert "localhost" not in body


def test_mails_name_the_served_address(served, settings):
    """„Ihr Ort ist online“ links the place on the site's address; the team's notification
    links the inbox on ``WAGTAILADMIN_BASE_URL`` (``SITE_URL`` unless set on its own, below)."""
    settings.WAGTAILADMIN_BASE_URL = ADDRESS
    application = ApplicationFactory(region=served.get_parent().specific, place=served)
    online = online_message(application).body
    assert f"{ADDRESS}/altmark/gutshof/" in online
    notification = notification_message(application).body
    assert f"{ADDRESS}/admin/applications/" in notification
    assert "localhost" not in online + notification


def test_make_run_serves_and_names_the_same_address():
    """``make run PORT=8123`` hands ``SITE_URL=http://127.0.0.1:8123`` to every step (load,
    ``set_site_address``, runserver on that port); a ``SITE_URL`` from the environment wins.
    ``PY`` only echoes here: nothing is installed or started."""
    make = shutil.which("make")
    assert make, "make fehlt"
    clean = {name: value for name, value in os.environ.items() if name != "SITE_URL"}

    def steps(env):
        result = subprocess.run(
            [make, "-s", "-o", ".venv/.installed", "run", "PORT=8123", ECHO_STEPS],
            env={**clean, **env},
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        )
        return [line for line in result.stdout.splitlines() if "manage.py" in line]

    assert steps({}) == [
        f"{ADDRESS} manage.py migrate --noinput",
        f"{ADDRESS} manage.py load_demo --if-empty",
        f"{ADDRESS} manage.py set_site_address",
        f"{ADDRESS} manage.py create_demo_admin",
        f"{ADDRESS} manage.py runserver {HOST}",
    ]
    given = steps({"SITE_URL": "https://kreativorte.example"})
    assert {line.split()[0] for line in given} == {"https://kreativorte.example"}


def test_admin_links_in_mails_default_to_site_url():
    """``WAGTAILADMIN_BASE_URL`` (the e-mails' links, ``create_demo_admin``) follows
    ``SITE_URL`` unless set on its own: settings read in a fresh process."""
    code = "import django; django.setup(); from django.conf import settings as s; "
    code += "print(s.SITE_URL, s.WAGTAILADMIN_BASE_URL)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test", "SITE_URL": ADDRESS}
    env.pop("WAGTAILADMIN_BASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == [ADDRESS, ADDRESS]


def test_the_static_builds_default_base_url_is_the_served_address(served, tmp_path):
    from staticsite.builder import BuildConfig

    config = BuildConfig.from_settings(output=str(tmp_path / "site"))
    assert config.base_url == f"{ADDRESS}/"
    assert config.app_url == settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def test_the_404_page_claims_no_address(client, served):
    """The "not found" page is no page of the site: no canonical URL or ``og:url`` (which
    named the missing URL, or in the static build its probe), and not indexed."""
    response = client.get("/gibt-es-nicht/", HTTP_HOST=HOST)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Seite nicht gefunden" in html
    assert 'rel="canonical"' not in html and 'property="og:url"' not in html
    assert '<meta name="robots" content="noindex">' in html
    assert '<meta property="og:title" content="Seite nicht gefunden">' in html
    # Every other page still names itself.
    assert 'rel="canonical"' in _get(client, "/altmark/")
