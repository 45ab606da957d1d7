"""Abuse protection for the public form, without cookies and without third-party services.

Why this replaces Django's cookie-based CSRF protection here (visitors get no cookies, see
docs/mitmachen.md):

- CSRF attacks abuse *ambient credentials*: a cookie the victim's browser sends along. The
  form has none to abuse: submitting it needs no login and grants no rights; a forged
  submission can do nothing a visitor could not do directly.
- The signed, time-stamped token binds each submission to a form our server handed out
  (signed with SECRET_KEY, salted for this purpose) and carries the time it was issued: too
  fast means a bot, too old means an expired form. Each token is accepted only once.
- ``Origin``/``Referer`` must be this site or an explicitly allowed origin (the static site),
  which stops cross-site posts from other web pages, exactly what CSRF protection is for.
"""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.cache import caches

from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

TOKEN_SALT = "applications.form-token"
# Rate-limit counters and used tokens live in a cache alias that never evicts them (see
# CACHES["security"] in cms/settings/base.py): junk filling the page or API cache must not
# push them out and so reset the limit or make a form token usable again.
SECURITY_CACHE = "security"


class SecurityStoreUnavailable(Exception):
    """The security cache cannot be read or written: the checks fail closed."""


class _FailClosedCache:
    """The security cache, whose outage raises ``SecurityStoreUnavailable``: a rate limit or
    a used token that cannot be read must not read as "none" (the default cache's Redis
    ignores outages; this one's does not, cms/settings/base.py)."""

    def __init__(self, cache):
        self._cache = cache

    def __getattr__(self, name):
        method = getattr(self._cache, name)

        def call(*args, **kwargs):
            try:
                return method(*args, **kwargs)
            except (ConnectionInterrupted, RedisError, OSError) as error:
                raise SecurityStoreUnavailable from error

        return call


def _cache():
    return _FailClosedCache(caches[SECURITY_CACHE])


@dataclass(frozen=True)
class TokenCheck:
    ok: bool
    reason: str = ""  # "", "invalid", "too-fast", "expired"
    nonce: str = ""


def make_form_token(issued_at: float | None = None) -> str:
    issued = int(time.time() if issued_at is None else issued_at)
    return signing.Signer(salt=TOKEN_SALT).sign_object(
        {"t": issued, "n": secrets.token_urlsafe(12)}, compress=False
    )


def check_form_token(token: str, now: float | None = None) -> TokenCheck:
    if not token or len(token) > 300:
        return TokenCheck(False, "invalid")
    try:
        payload = signing.Signer(salt=TOKEN_SALT).unsign_object(token)
        issued, nonce = int(payload["t"]), str(payload["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return TokenCheck(False, "invalid")
    age = (time.time() if now is None else now) - issued
    if age < settings.APPLICATIONS_MIN_FILL_SECONDS:
        return TokenCheck(False, "too-fast", nonce)
    if age > settings.APPLICATIONS_MAX_FORM_AGE_SECONDS:
        return TokenCheck(False, "expired", nonce)
    return TokenCheck(True, "", nonce)


def _nonce_key(nonce: str) -> str:
    return "applications:nonce:" + hashlib.sha256(nonce.encode()).hexdigest()


def nonce_used(nonce: str) -> bool:
    return _cache().get(_nonce_key(nonce)) is not None


def use_nonce(nonce: str) -> None:
    _cache().set(_nonce_key(nonce), 1, timeout=settings.APPLICATIONS_MAX_FORM_AGE_SECONDS + 60)


def origin_allowed(request) -> bool:
    """The request comes from our own form (or the allowed static site)."""
    origin = request.headers.get("Origin")
    if origin is None or origin == "null":
        referer = request.headers.get("Referer")
        if not referer:
            # Browsers always send Origin with a cross-site POST; a missing header comes from
            # non-browser clients, which the token, honeypot and rate limit handle.
            return origin is None
        parts = urlsplit(referer)
        origin = f"{parts.scheme}://{parts.netloc}"
    own = f"{request.scheme}://{request.get_host()}"
    allowed = {own, *(entry.rstrip("/") for entry in settings.APPLICATIONS_ALLOWED_ORIGINS)}
    return origin.rstrip("/") in allowed


def cors_origin(request) -> str | None:
    """The Origin to echo in Access-Control-Allow-Origin, only for configured origins."""
    origin = request.headers.get("Origin", "").rstrip("/")
    allowed = {o.rstrip("/") for o in settings.APPLICATIONS_ALLOWED_ORIGINS}
    return origin if origin and origin in allowed else None


def _valid_ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_ip(request) -> str:
    """The visitor's address as the trusted reverse proxy saw it.

    Only what our own proxy wrote counts. ``X-Forwarded-For`` is a list the client may start
    itself (nginx's ``$proxy_add_x_forwarded_for`` *appends* the peer's address), so the
    left-most entry is whatever the client sent; the entry ``APPLICATIONS_TRUSTED_PROXY_COUNT``
    places from the right is the one our outermost trusted proxy added. A header the proxy
    sets itself (``X-Real-IP $remote_addr``, named in ``APPLICATIONS_CLIENT_IP_HEADER``) is
    taken as it is. Anything unparsable falls back to the TCP peer (``REMOTE_ADDR``).
    """
    header = settings.APPLICATIONS_CLIENT_IP_HEADER
    if header:
        address = _valid_ip(request.headers.get(header, ""))
        if address is not None:
            return str(address)
    elif settings.APPLICATIONS_TRUST_X_FORWARDED_FOR:
        forwarded = request.headers.get("X-Forwarded-For", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            trusted = max(1, settings.APPLICATIONS_TRUSTED_PROXY_COUNT)
            address = _valid_ip(hops[max(0, len(hops) - trusted)])
            if address is not None:
                return str(address)
    return request.META.get("REMOTE_ADDR", "")


def rate_limit_subject(ip: str) -> str:
    """What one quota belongs to: the IPv4 address, or the /64 network of an IPv6 address.

    One IPv6 connection usually gets a whole /64 and can pick a fresh address in it for every
    request; counting single IPv6 addresses would hand it unlimited quotas.
    """
    address = _valid_ip(ip)
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address) if address is not None else ip


def _rate_key(request) -> str:
    # The raw IP is never stored, not even in the cache: a keyed hash that changes with
    # SECRET_KEY is enough to count submissions.
    subject = rate_limit_subject(client_ip(request))
    digest = hashlib.blake2b(
        subject.encode(), key=settings.SECRET_KEY.encode()[:64], digest_size=16
    ).hexdigest()
    return f"applications:rate:{digest}"


def rate_limited(request) -> bool:
    """True if this client already sent the allowed number of submissions in the window."""
    return _cache().get(_rate_key(request), 0) >= settings.APPLICATIONS_RATE_LIMIT


def count_submission(request) -> None:
    key = _rate_key(request)
    window = settings.APPLICATIONS_RATE_LIMIT_WINDOW
    cache = _cache()
    if cache.add(key, 1, timeout=window):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window)
