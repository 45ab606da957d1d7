"""The form's rate limit counts what the trusted proxy saw, and nothing can reset it.

Behind nginx (docs/deployment.md) REMOTE_ADDR is the proxy. ``X-Forwarded-For`` is built by
appending: whatever the client sent comes first, the proxy's entry last. Only the proxy's
entries (or a header it sets itself, ``X-Real-IP``) may decide the quota.
"""

from django.core.cache import caches

import pytest

from applications.models import Application

from .helpers import form_data

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"


@pytest.fixture
def behind_nginx(settings):
    settings.APPLICATIONS_RATE_LIMIT = 1
    settings.APPLICATIONS_TRUST_X_FORWARDED_FOR = True
    return settings


def send(post, altmark, categories, forwarded=None, **headers):
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return post(form_data(altmark, categories), REMOTE_ADDR=PROXY, **headers).status_code


def test_a_spoofed_first_forwarded_entry_gets_no_fresh_quota(
    post, altmark, categories, behind_nginx
):
    # nginx: X-Forwarded-For = <what the client sent>, <the client's real address>
    assert send(post, altmark, categories, "203.0.113.50") == 200
    for spoofed in ("198.51.100.1", "198.51.100.2, 10.0.0.9", "unknown", "::1"):
        assert send(post, altmark, categories, f"{spoofed}, 203.0.113.50") == 429
    assert Application.objects.count() == 1


def test_visitors_behind_the_proxy_do_not_share_one_quota(post, altmark, categories, behind_nginx):
    assert send(post, altmark, categories, "203.0.113.50") == 200
    assert send(post, altmark, categories, "203.0.113.51") == 200
    assert send(post, altmark, categories, "203.0.113.51") == 429


def test_two_trusted_proxies_take_the_second_entry_from_the_right(
    post, altmark, categories, behind_nginx
):
    behind_nginx.APPLICATIONS_TRUSTED_PROXY_COUNT = 2  # e.g. a load balancer, then nginx
    assert send(post, altmark, categories, "203.0.113.50, 10.0.0.2") == 200
    assert send(post, altmark, categories, "198.51.100.7, 203.0.113.50, 10.0.0.3") == 429
    assert send(post, altmark, categories, "203.0.113.60, 10.0.0.2") == 200


def test_x_real_ip_set_by_the_proxy_wins_over_forwarded_for(post, altmark, categories, settings):
    settings.APPLICATIONS_RATE_LIMIT = 1
    settings.APPLICATIONS_CLIENT_IP_HEADER = "X-Real-IP"
    assert send(post, altmark, categories, "198.51.100.1", HTTP_X_REAL_IP="203.0.113.50") == 200
    assert send(post, altmark, categories, "198.51.100.2", HTTP_X_REAL_IP="203.0.113.50") == 429
    assert send(post, altmark, categories, None, HTTP_X_REAL_IP="203.0.113.51") == 200


def test_one_ipv6_network_shares_one_quota(post, altmark, categories, settings):
    settings.APPLICATIONS_RATE_LIMIT = 1
    assert post(form_data(altmark, categories), REMOTE_ADDR="2001:db8:1:2::1").status_code == 200
    # A fresh address in the same /64 is the same connection.
    again = post(form_data(altmark, categories), REMOTE_ADDR="2001:db8:1:2:aaaa::7")
    assert again.status_code == 429
    other = post(form_data(altmark, categories), REMOTE_ADDR="2001:db8:1:3::1")
    assert other.status_code == 200


def test_junk_in_the_page_cache_cannot_reset_the_rate_limit(post, altmark, categories, settings):
    settings.APPLICATIONS_RATE_LIMIT = 1
    assert send(post, altmark, categories) == 200
    caches["default"].clear()  # what eviction by unlimited page/API cache entries amounts to
    assert send(post, altmark, categories) == 429


def test_junk_in_the_page_cache_cannot_make_a_used_token_usable_again(post, altmark, categories):
    data = form_data(altmark, categories)
    assert post(data).status_code == 200
    caches["default"].clear()
    assert post(data).status_code == 200  # the double submission is answered as usual …
    assert Application.objects.count() == 1  # … and stored once
