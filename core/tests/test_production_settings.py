"""Production settings: `check --deploy` clean, security headers, static and media files, logs.

The production settings module is imported in subprocesses (it reads the environment once at
import time); the headers that every environment shares are asserted in-process.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I)


def production_env(tmp_path, **extra):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "kreativorte.example,testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "REDIS_URL": "",
        "AWS_STORAGE_BUCKET_NAME": "",
        "LOG_FORMAT": "",
        "SECURE_SSL_REDIRECT": "",
        "SECURE_HSTS_SECONDS": "",
        "SECURE_HSTS_PRELOAD": "",
    }
    # Set by the browser tests' fixtures for Playwright; never in a deployment.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(extra)
    return env


def run(args, env, check=True):
    return subprocess.run(
        args, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120, check=check
    )


def test_check_deploy_is_clean(tmp_path):
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(tmp_path),
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


@pytest.mark.parametrize(
    ("redis_url", "expected"), [("", "0"), ("redis://127.0.0.1:6379/0", "3600")]
)
def test_kept_parts_of_pages_are_on_only_with_a_shared_cache(tmp_path, redis_url, expected):
    """With a cache per process, one process would not see another invalidate a card."""
    env = production_env(tmp_path, REDIS_URL=redis_url)
    env.pop("FRAGMENT_CACHE_SECONDS", None)
    result = run(
        [
            *(sys.executable, "manage.py", "shell", "-c"),
            "from django.conf import settings; print(settings.FRAGMENT_CACHE_SECONDS)",
        ],
        env,
    )
    assert result.stdout.strip().splitlines()[-1] == expected


def test_the_security_cache_fails_closed_while_the_page_caches_ignore_outages(tmp_path):
    """Rate limits and used form tokens must not read as "none" while Redis is down
    (applications/tests/test_security_store_outage.py shows the form's answer)."""
    env = production_env(tmp_path, REDIS_URL="redis://127.0.0.1:6379/0")
    result = run(
        [
            *(sys.executable, "manage.py", "shell", "-c"),
            "from django.conf import settings; c = settings.CACHES; "
            "print(c['default']['OPTIONS']['IGNORE_EXCEPTIONS'], "
            "c['security']['OPTIONS']['IGNORE_EXCEPTIONS'])",
        ],
        env,
    )
    assert result.stdout.strip().splitlines()[-1] == "True False"


@pytest.mark.parametrize(
    "secret", ["", "short", "insecure-development-key-do-not-use-in-production"]
)
def test_production_refuses_to_start_without_a_real_secret_key(tmp_path, secret):
    env = production_env(tmp_path, SECRET_KEY=secret)
    result = run([sys.executable, "manage.py", "check"], env, check=False)
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


PRODUCTION_PROBE = r"""
import json, logging, django
django.setup()
from django.conf import settings
from django.test import Client
from pathlib import Path

secret = Path(settings.MEDIA_ROOT) / "original_images" / "geheim.jpg"
secret.parent.mkdir(parents=True, exist_ok=True)
secret.write_bytes(b"\xff\xd8\xff original")
manifest = json.loads((Path(settings.STATIC_ROOT) / "staticfiles.json").read_text())
hashed_css = manifest["paths"]["css/site.css"]
out = {"hashed_css": hashed_css}
# This database has no tables: anything that reaches Wagtail's page serving answers 503.
plain = Client(raise_request_exception=False)
secure = Client(HTTP_X_FORWARDED_PROTO="https", raise_request_exception=False)
r = plain.get("/orte/")
out["http_redirect"] = [r.status_code, r.get("Location")]
r = plain.get("/healthz")
out["healthz_over_http"] = r.status_code
r = secure.get("/healthz")
out["secure_headers"] = {k: r.get(k) for k in (
    "Strict-Transport-Security", "Content-Security-Policy", "X-Content-Type-Options",
    "Referrer-Policy", "Permissions-Policy", "X-Frame-Options", "Cross-Origin-Opener-Policy")}
r = secure.get("/static/" + hashed_css, HTTP_ACCEPT_ENCODING="gzip")
out["static"] = [r.status_code, r.get("Content-Encoding"), r.get("Cache-Control")]
r = secure.get("/static/css/site.css")
out["static_unhashed_cache"] = r.get("Cache-Control")
for path in ("/media/original_images/geheim.jpg", "/static/original_images/geheim.jpg",
             "/original_images/geheim.jpg"):
    r = secure.get(path)
    out[path] = [r.status_code, b"original" in r.content]
out["csrf_trusted"] = settings.CSRF_TRUSTED_ORIGINS
out["static_storage"] = settings.STORAGES["staticfiles"]["BACKEND"]
logging.getLogger("kreativorte.test").warning("probe %s", "json", extra={"path": "/x"})
print(json.dumps(out))
"""


def test_production_headers_static_files_and_private_originals(tmp_path):
    env = production_env(tmp_path)
    run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], env)
    result = run([sys.executable, "-c", PRODUCTION_PROBE], env, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])

    # HTTPS only, except the load balancer's health check.
    assert out["http_redirect"] == [301, "https://testserver/orte/"]
    assert out["healthz_over_http"] in (200, 503)
    headers = out["secure_headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "geolocation=()" in headers["Permissions-Policy"]
    csp = parse_csp(headers["Content-Security-Policy"])
    assert csp["upgrade-insecure-requests"] == []
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert out["csrf_trusted"] == ["https://kreativorte.example", "https://testserver"]

    # whitenoise: hashed names, compressed, cached for a year.
    assert out["static_storage"] == "core.storage.StaticFilesStorage"
    assert re.fullmatch(r"css/site\.[0-9a-f]{12}\.css", out["hashed_css"])
    status, encoding, cache_control = out["static"]
    assert (status, encoding) == (200, "gzip")
    assert "immutable" in cache_control and "max-age=315360000" in cache_control
    assert "immutable" not in out["static_unhashed_cache"]

    # Original images are never served by the application (renditions only, via the proxy).
    for path in (
        "/media/original_images/geheim.jpg",
        "/static/original_images/geheim.jpg",
        "/original_images/geheim.jpg",
    ):
        status, leaked = out[path]
        assert status in (404, 503) and not leaked, path

    # Structured logs: one JSON object per line.
    records = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    probe = [r for r in records if r.get("logger") == "kreativorte.test"]
    assert probe and probe[0]["message"] == "probe json" and probe[0]["level"] == "WARNING"
    assert probe[0]["path"] == "/x" and "time" in probe[0]


def parse_csp(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


PUBLIC_PATHS = ["/", "/altmark/", "/altmark/gutshof-wiesengrund/", "/orte/", "/suche/?q=Hof",
                "/mitmachen/", "/nix/"]  # fmt: skip


@pytest.mark.django_db
def test_public_pages_send_a_strict_policy_and_have_no_inline_code(client, place):
    place.save_revision().publish()
    for path in PUBLIC_PATHS:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        csp = parse_csp(response["Content-Security-Policy"])
        assert csp["default-src"] == ["'self'"], path
        assert csp["script-src"][0] == "'self'" and all(
            value == "'self'" or value.startswith("'nonce-") for value in csp["script-src"]
        ), path
        assert csp["style-src"] == ["'self'"], path
        assert csp["object-src"] == ["'none'"], path
        assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"], path
        assert csp["frame-ancestors"] == ["'none'"], path
        assert "unsafe" not in response["Content-Security-Policy"], path
        assert response["X-Frame-Options"] == "DENY", path
        assert response["X-Content-Type-Options"] == "nosniff", path
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", path
        assert "microphone=()" in response["Permissions-Policy"], path
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), f"inline script on {path}"
        assert "<style" not in html and " style=" not in html.replace('style="border:0"', ""), (
            f"inline style on {path}"
        )


@pytest.mark.django_db
def test_embed_map_keeps_partner_framing_under_the_policy(client, place, settings):
    settings.EMBED_FRAME_ANCESTORS = ["https://www.altmark.de"]
    response = client.get("/einbetten/karte/")
    csp = parse_csp(response["Content-Security-Policy"])
    assert csp["frame-ancestors"] == ["https://www.altmark.de"]
    assert csp["script-src"] == ["'self'"] and csp["default-src"] == ["'self'"]
    assert "X-Frame-Options" not in response


@pytest.mark.django_db
def test_map_tile_server_is_allowed_as_image_source_only(client, place, settings):
    settings.MAP_TILE_URL = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    csp = parse_csp(client.get("/orte/")["Content-Security-Policy"])
    assert "https://*.tiles.example.org" in csp["img-src"]
    assert "https://*.tiles.example.org" not in csp["script-src"] + csp["connect-src"]


@pytest.mark.django_db
def test_admin_policy_allows_inline_code_but_nothing_from_elsewhere(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    csp = parse_csp(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
