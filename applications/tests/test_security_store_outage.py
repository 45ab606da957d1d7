"""While the security cache (rate limit, used form tokens) is unreachable, the form fails
closed: the submission is refused with a clear message and nothing entered is lost.

The outage is real: the cache points at a Redis port where nothing listens."""

from django.core.cache import caches

import pytest

from applications.models import Application

from .helpers import form_data

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def redis_security_cache(location):
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": "kig-test-security",
        # As production configures it (cms/settings/base.py).
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": False,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
    }


@pytest.fixture
def security_cache_at(settings):
    def use(location):
        settings.CACHES = {**settings.CACHES, "security": redis_security_cache(location)}

    return use


def test_an_unreachable_security_cache_refuses_and_keeps_the_entries(
    post, altmark, categories, security_cache_at
):
    security_cache_at(UNREACHABLE_REDIS)

    response = post(form_data(altmark, categories, place_name="Kulturscheune Wendemark"))

    assert response.status_code == 503
    html = response.content.decode()
    assert "konnte gerade nicht angenommen werden" in html
    assert 'value="Kulturscheune Wendemark"' in html
    assert "anna@example.org" in html
    assert Application.objects.count() == 0


def test_a_reachable_redis_security_cache_takes_the_submission(
    post, altmark, categories, security_cache_at, settings
):
    security_cache_at("redis://127.0.0.1:6379/0")
    caches["security"].delete_pattern("*")  # this test's prefix only
    settings.APPLICATIONS_RATE_LIMIT = 1

    assert post(form_data(altmark, categories)).status_code == 200
    # The counter lives in Redis: the next one from the same address is over the limit.
    assert post(form_data(altmark, categories)).status_code == 429
    assert Application.objects.count() == 1
    caches["security"].delete_pattern("*")
