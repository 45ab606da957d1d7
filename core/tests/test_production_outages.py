"""Outages survived: Redis down degrades to no cache, PostgreSQL down shows the 503 page and
the site recovers by itself, and an editor's save that dies mid-request loses nothing.

The servers stopped here are private instances in /tmp (core/private_services.py), never the
machine's PostgreSQL or Redis.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.db import OperationalError, connection
from django.db.models.signals import post_save
from django.urls import reverse

from wagtail.models import Revision

import pytest

from applications.models import Application
from applications.tests.helpers import form_data
from core.private_services import PrivateRedis
from core.tests.databases import private_copy_of_test_database
from places.models import Category, PlacePage
from places.tests.test_place_page import place_form_data

PROJECT_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def private_redis(settings):
    with PrivateRedis() as redis:
        options = {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5}
        settings.CACHES = {
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": redis.url,
                "OPTIONS": options,
            },
            # As in production without SECURITY_CACHE_URL: the same Redis, another prefix.
            "security": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": redis.url,
                "KEY_PREFIX": "security",
                "OPTIONS": options,
            },
        }
        yield redis


@pytest.mark.django_db
def test_redis_outage_degrades_to_no_cache_and_recovers(
    client, place, private_redis, settings, caplog
):
    settings.MEDIA_ROOT = settings.BASE_DIR / "build" / "test-media"
    place.save_revision().publish()
    region = place.get_parent().specific
    assert client.get("/healthz").json()["cache"] == "ok"
    first = client.get("/api/orte.geojson")
    assert first.status_code == 200

    private_redis.stop()
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json() == {
        "status": "degraded",
        "database": "ok",
        "cache": "down",
        "storage": "ok",
    }
    for path in ["/", region.url, place.url, "/orte/", "/suche/?q=Gutshof", "/mitmachen/"]:
        assert client.get(path).status_code == 200, path
    geojson = client.get("/api/orte.geojson")
    assert geojson.status_code == 200 and place.title in geojson.content.decode()
    assert geojson["ETag"]
    # The application form uses the cache for its rate limit and replay check: it still works.
    categories = list(Category.objects.all())
    response = client.post(
        "/mitmachen/", form_data(region, categories), HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code == 200, response.content.decode()[:1000]
    assert "Vielen Dank" in response.content.decode()
    assert Application.objects.count() == 1

    # Logged as one warning line per failed cache call, without a traceback.
    cache_records = [r for r in caplog.records if r.name == "core.cache"]
    assert cache_records
    assert all(r.levelname == "WARNING" and not r.exc_info for r in cache_records)
    assert "cache unavailable" in cache_records[0].getMessage()

    private_redis.start()
    assert client.get("/healthz").json()["cache"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_unwritable_media_storage_as_degraded(client, settings):
    settings.MEDIA_ROOT = "/dev/null/media"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["storage"] == "down" and response.json()["status"] == "degraded"


OUTAGE_SCRIPT = r"""
import json, logging, os, django
django.setup()
from django.contrib.auth import get_user_model
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from core.private_services import PrivatePostgres

# Django's test client keeps connections across requests; a WSGI server (gunicorn) runs
# close_old_connections before and after each request. Do the same here.
def as_a_wsgi_server_does(**kwargs):
    close_old_connections()
request_started.connect(as_a_wsgi_server_does)
request_finished.connect(as_a_wsgi_server_does)

records = []
class Keep(logging.Handler):
    def emit(self, record):
        records.append({"level": record.levelname, "logger": record.name,
                        "message": record.getMessage(), "exc": bool(record.exc_info)})
logging.getLogger().addHandler(Keep(level=logging.WARNING))

pg = PrivatePostgres(int(os.environ["OUTAGE_PG_PORT"]), os.environ["OUTAGE_PG_TMP"])
visitor, editor = Client(), Client()
user = get_user_model().objects.create_superuser("outage", "o@example.org", "pw-outage-1")
editor.force_login(user)
out = {}
def take(name, client, path, method="get"):
    r = getattr(client, method)(path)
    out[name] = {"status": r.status_code, "html": r.content.decode(),
                 "retry_after": r.get("Retry-After"), "cache": r.get("Cache-Control"),
                 "csp": r.get("Content-Security-Policy"), "page_cache": r.get("X-Page-Cache")}
take("up_home", visitor, "/")
take("up_list", visitor, "/orte/")
take("up_admin", editor, "/admin/")
pg.stop()
# A page in the page cache is still served whole; everything else needs the database.
take("down_cached_home", visitor, "/?utm_source=outage")
take("down_home", visitor, "/suche/?q=Hof")
take("down_list", visitor, "/orte/?category=arbeiten-wirtschaft")
take("down_list_again", visitor, "/orte/?category=arbeiten-wirtschaft")
take("down_health", visitor, "/healthz")
take("down_admin", editor, "/admin/")
take("down_admin_post", editor, "/admin/pages/2/edit/", method="post")
take("down_form_post", visitor, "/mitmachen/", method="post")
pg.start()
take("back_home", visitor, "/")
take("back_list", visitor, "/orte/")
take("back_health", visitor, "/healthz")
take("back_admin", editor, "/admin/")
out["records"] = records
print(json.dumps(out))
"""


@pytest.mark.django_db
def test_database_outage_shows_503_page_and_the_site_recovers_without_restart(tmp_path):
    pg, url = private_copy_of_test_database()
    try:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "DATABASE_URL": url,
            # Persistent connections as in production: the broken one must be replaced.
            "DATABASE_CONN_MAX_AGE": "60",
            "OUTAGE_PG_TMP": str(pg.tmp),
            "OUTAGE_PG_PORT": str(pg.port),
        }
        result = subprocess.run(
            [sys.executable, "-c", OUTAGE_SCRIPT],
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        out = json.loads(result.stdout.strip().splitlines()[-1])
    finally:
        pg.cleanup()

    for name in ("up_home", "up_list", "up_admin", "back_home", "back_list", "back_admin"):
        assert out[name]["status"] == 200, name
    assert out["back_health"]["status"] == 200

    assert out["down_cached_home"]["status"] == 200
    assert out["down_cached_home"]["page_cache"] == "hit"
    assert out["down_cached_home"]["html"] == out["up_home"]["html"]
    for name in ("down_home", "down_list", "down_list_again", "down_form_post"):
        page = out[name]
        assert page["status"] == 503, name
        assert page["retry_after"] == "30" and "no-store" in page["cache"], name
        assert "Vorübergehend nicht erreichbar" in page["html"], name
        assert 'href="/static/css/site.css"' in page["html"], "in the site's design"
        assert "frame-ancestors 'none'" in page["csp"], name
    assert "nicht angekommen" in out["down_form_post"]["html"]
    assert out["down_health"]["status"] == 503
    for name in ("down_admin", "down_admin_post"):
        assert out[name]["status"] == 503, name
        assert "Die Datenbank ist gerade nicht erreichbar" in out[name]["html"], name
    assert "nicht gespeichert" in out["down_admin_post"]["html"]
    assert "zuletzt gespeicherte Version ist unverändert" in out["down_admin_post"]["html"]

    # One warning per failed request, no tracebacks, no errors.
    assert not [r for r in out["records"] if r["exc"] or r["level"] in ("ERROR", "CRITICAL")]
    warnings = [r for r in out["records"] if r["logger"] == "core.middleware"]
    assert len(warnings) == 6 and all("database unavailable" in r["message"] for r in warnings)


@pytest.mark.django_db(transaction=True)
def test_a_save_that_loses_the_database_mid_request_keeps_the_previous_revision(
    client, place, admin_user
):
    place.save_revision().publish()
    place.refresh_from_db()
    previous = place.latest_revision
    previous_content = dict(previous.content)
    revisions_before = Revision.objects.count()
    client.force_login(admin_user)

    def database_goes_away(sender, instance, created, **kwargs):
        if not created:
            return
        if connection.vendor == "postgresql":
            # Kill this very connection from outside, as a crashed server would.
            pid = connection.connection.info.backend_pid
            import psycopg

            params = connection.get_connection_params()
            with psycopg.connect(**{**params, "dbname": params.get("dbname")}) as killer:
                killer.execute("SELECT pg_terminate_backend(%s)", [pid])
        else:
            raise OperationalError("database is unavailable")

    post_save.connect(database_goes_away, sender=Revision, dispatch_uid="outage-test")
    try:
        data = place_form_data(title="Geänderter Titel", slug=place.slug)
        response = client.post(reverse("wagtailadmin_pages:edit", args=[place.pk]), data)
    finally:
        post_save.disconnect(sender=Revision, dispatch_uid="outage-test")

    assert response.status_code == 503
    html = response.content.decode()
    assert "Die Datenbank ist gerade nicht erreichbar" in html and "nicht gespeichert" in html

    # The database is back (a new connection): nothing half-saved, the old revision intact.
    connection.close()
    place = PlacePage.objects.get(pk=place.pk)
    assert Revision.objects.count() == revisions_before
    assert place.latest_revision_id == previous.pk
    assert place.draft_title == "Gutshof Wiesengrund" and place.title == "Gutshof Wiesengrund"
    assert not place.has_unpublished_changes
    assert Revision.objects.get(pk=previous.pk).content == previous_content
    assert client.get(place.url).status_code == 200

    # And the next save works again without any restart.
    response = client.post(reverse("wagtailadmin_pages:edit", args=[place.pk]), data)
    assert response.status_code == 302
    assert PlacePage.objects.get(pk=place.pk).draft_title == "Geänderter Titel"
    assert Revision.objects.count() == revisions_before + 1
