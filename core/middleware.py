"""Security, outage and site middleware (order in ``MIDDLEWARE``: docs/deployment.md)."""

import logging
import sys
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.db.models import BooleanField, Case, ExpressionWrapper, IntegerField, Q, Value, When
from django.http import HttpResponse, JsonResponse
from django.http.request import split_domain_port
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults

from wagtail.models import Page, Site, get_page_models

from csp.middleware import CSPMiddleware

from core import languages
from core.compiled import CompiledQuery
from core.visibility import restricted_q

logger = logging.getLogger(__name__)

# What a database that is down, restarting or unreachable raises (psycopg and sqlite3 both map
# to these through Django's wrappers).
DATABASE_UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)


class LanguageMiddleware(LocaleMiddleware):
    """Django's ``LocaleMiddleware`` (the language from the address: ``/en/`` English, else
    German, ``core.languages``), and the language ends with the request: Django leaves it
    active in the thread, where code after an English request (the static build between its
    pages, a test) would otherwise make English addresses."""

    def __call__(self, request):
        try:
            return super().__call__(request)
        finally:
            translation.deactivate()


def address_language(request) -> str:
    """The language of the request's address (``/en/…`` English, else German), for pages
    rendered before ``LanguageMiddleware`` has activated it (the 400 and 503 pages)."""
    return languages.split_path(request.path_info)[0]


class FrameAncestorsMiddleware(MiddlewareMixin):
    """Framing policy: CSP ``frame-ancestors`` alongside Django's X-Frame-Options.

    Every response refuses to be framed (``frame-ancestors 'none'``), matching
    ``X_FRAME_OPTIONS = "DENY"``. Two exceptions:

    - views marked with ``xframe_options_exempt`` (only the embeddable map) get
      ``frame-ancestors`` from ``settings.EMBED_FRAME_ANCESTORS`` (default ``*``);
    - responses that already say ``X-Frame-Options: SAMEORIGIN`` (Wagtail's admin preview)
      get ``frame-ancestors 'self'`` so editors' previews keep working.

    This sits before ``XFrameOptionsMiddleware`` in ``MIDDLEWARE`` and so sees its header.
    A CSP set by someone else (``ContentSecurityPolicyMiddleware``, which sits after it) is
    extended, never replaced. Wagtail's preview renders the page a second time through the
    middleware with a dummy request; that inner response gets no policy (the admin view's own
    response does).
    """

    def process_response(self, request, response):
        if getattr(request, "is_dummy", False):  # Wagtail's preview (above)
            return response
        if getattr(response, "xframe_options_exempt", False):
            sources = " ".join(getattr(settings, "EMBED_FRAME_ANCESTORS", ["*"])) or "'none'"
        elif response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            sources = "'self'"
        else:
            sources = "'none'"
        directive = f"frame-ancestors {sources}"
        existing = response.get("Content-Security-Policy")
        if not existing:
            response["Content-Security-Policy"] = directive
        elif "frame-ancestors" not in existing:
            response["Content-Security-Policy"] = f"{existing.rstrip('; ')}; {directive}"
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with two additions computed per request.

    - The map tile server from ``MAP_TILE_URL`` joins ``img-src`` (tiles load only after the
      visitor's consent, but the policy must allow them then).
    - Under ``/admin/`` the directives in ``CONTENT_SECURITY_POLICY_ADMIN`` replace the public
      ones (see docs/deployment.md for exactly what the Wagtail admin needs and why).
    """

    def process_response(self, request, response):
        if getattr(request, "is_dummy", False):
            # Wagtail's preview (see FrameAncestorsMiddleware): the admin view's own request
            # gets the policy, so the previewed page runs under the admin's.
            return response
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        update = dict(parts.update or {})
        tile_origin = _origin(getattr(settings, "MAP_TILE_URL", ""))
        if tile_origin:
            update["img-src"] = [*update.get("img-src", []), tile_origin]
        parts.update = update
        if request.path_info.startswith("/admin/"):
            admin = getattr(settings, "CONTENT_SECURITY_POLICY_ADMIN", {})
            if admin:
                parts.replace = {**admin, **(parts.replace or {})}
        return parts


def _origin(url: str) -> str:
    parts = urlsplit((url or "").replace("{s}", "a"))
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return ""
    netloc = parts.netloc
    if "{s}" in (url or ""):
        # Subdomain placeholders ("{s}.tile.example") need a wildcard source.
        netloc = "*." + netloc.split(".", 1)[1]
    return f"{parts.scheme}://{netloc}"


class DatabaseUnavailableMiddleware:
    """A database outage shows the static 503 page instead of an error page.

    Sits first in ``MIDDLEWARE``. Three ways an outage reaches the page:

    - a view raises ``OperationalError``/``InterfaceError`` (``process_exception``, the usual
      case: Wagtail's page serving, the admin, the API);
    - another middleware fails on the database (the redirects of a 404, sessions): Django
      answers with its 500 handler, ``server_error`` (``handler500`` in ``cms/urls.py``);
    - that handler fails too: the exception arrives in ``__call__``.

    The page (``frontend_templates/503.html``) is rendered without a request context, so it
    needs no database, in the language of the address, with ``Retry-After`` and
    ``Cache-Control: no-store``. Nothing else is needed for recovery: Django drops a broken
    connection at the end of the request (``conn_health_checks``), so the first request after
    the database is back succeeds.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except DATABASE_UNAVAILABLE_ERRORS as error:
            return unavailable_response(request, error)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_UNAVAILABLE_ERRORS):
            return unavailable_response(request, exception)
        return None


def server_error(request):
    """Django's 500 page, or the 503 page when the error is a database outage (Django calls
    its 500 handler while handling the exception)."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_UNAVAILABLE_ERRORS):
        return unavailable_response(request, error)
    with translation.override(address_language(request)):
        return defaults.server_error(request)


def unavailable_response(request, error) -> HttpResponse:
    is_admin = request.path_info.startswith("/admin/")
    logger.warning(
        "database unavailable: %s",
        str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__,
        extra={"status_code": 503, "path": request.path_info, "method": request.method},
    )
    with translation.override(address_language(request)):
        body = render_to_string("503.html", {"is_admin": is_admin, "method": request.method})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    # Logged above as one warning; keeps django.request from adding an ERROR line per request.
    response._has_been_logged = True
    return response


#: Parameter names are shown in the message up to this length.
_NAME_SHOWN = 40


def nul_message(name: str) -> str:
    """The message for a NUL character in the parameter or field ``name`` (in the active
    language)."""
    return _("„%(name)s“ enthält ein Nullzeichen (%%00); das ist nicht erlaubt.") % {
        "name": _shown(name)
    }


def _shown(name: str) -> str:
    return str(name).replace("\x00", "\N{REPLACEMENT CHARACTER}")[:_NAME_SHOWN]


def _nul_names(items) -> list[str]:
    """The names of ``(name, values)`` pairs whose name or one of whose values holds NUL."""
    return [name for name, values in items if "\x00" in name or any("\x00" in v for v in values)]


class NulByteMiddleware(MiddlewareMixin):
    """Answers 400 when the path, a query parameter or a form field holds a NUL character.

    PostgreSQL refuses NUL in text (a query with it raised a 500), SQLite's refusal looked like
    a database outage (a false 503), and no field of ours may hold it. Checked once for every
    request, before the page cache and any view, so no filter, search, admin search or form
    has to remember it. Sits after the security-header middleware (its 400 gets their
    headers) and before ``PageCacheMiddleware`` (nothing is cached or keyed on such a query).

    The query string and path are checked in ``process_request``, where a cookie holding NUL
    is dropped. Form fields (``POST``) are checked in ``process_view``, only for views under
    CSRF protection, which parses the body anyway: a ``csrf_exempt`` view (the application
    form) decides itself when to read its body (after its size, origin and rate-limit checks)
    and validates its fields with Django's forms, which refuse NUL in text fields.
    """

    def process_request(self, request):
        cookies = request.COOKIES
        if any("\x00" in name or "\x00" in value for name, value in cookies.items()):
            # A cookie with NUL (Python's cookie parser decodes "\000") would reach the session
            # table: it is treated as absent, so a browser holding one is not locked out.
            request.COOKIES = {
                name: value
                for name, value in cookies.items()
                if "\x00" not in name and "\x00" not in value
            }
        names = _nul_names(request.GET.lists())
        if "\x00" in request.path_info:
            names.insert(0, gettext_lazy("Adresse"))
        if names:
            return nul_response(request, names, gettext_lazy("Bitte prüfen Sie die Filter:"))
        return None

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or getattr(view_func, "csrf_exempt", False):
            return None
        try:
            names = _nul_names(request.POST.lists())
        except OSError:
            return None  # body unreadable (client gone): CsrfViewMiddleware and the view decide
        files = request.FILES.lists()
        names += _nul_names(
            (name, [upload.name or "" for upload in uploads]) for name, uploads in files
        )
        if names:
            return nul_response(request, names, gettext_lazy("Bitte prüfen Sie Ihre Eingaben:"))
        return None


def nul_response(request, names: list[str], lead: str) -> HttpResponse:
    """The 400 answer naming ``names`` under ``lead`` (lazy texts, worded here): a small page
    like the 503 page in the address's language; under ``/api/`` the API's own refusal, in
    German as the API's errors are (JSON ``message`` and ``errors`` per parameter, plain text
    for the calendar feeds)."""
    with translation.override(address_language(request)):  # German under /api/
        errors = {_shown(name): nul_message(name) for name in names}
        message = _("Ungültige Parameter.")
        if not request.path_info.startswith("/api/"):
            body = render_to_string("400.html", {"lead": str(lead), "errors": errors})
            response = HttpResponse(body, status=400)
            response["Cache-Control"] = "no-store"
            return response
    if request.path_info.endswith(".ics"):
        # Calendar feeds refuse bad input in plain text (their readers are calendar apps).
        lines = [message, *errors.values()]
        return HttpResponse("\n".join(lines), status=400, content_type="text/plain; charset=utf-8")
    return JsonResponse(
        {"message": message, "errors": errors},
        status=400,
        json_dumps_params={"ensure_ascii": False},
    )


def uses_wagtail_site(view):
    """Marks a public view that shows page links (``{% pageurl %}`` needs the site), so that
    ``WagtailSiteMiddleware`` finds its site in one query."""
    view.uses_wagtail_site = True
    return view


class WagtailSiteMiddleware(MiddlewareMixin):
    """Finds the Wagtail site of a request that Wagtail's page view serves, or a view marked
    with ``uses_wagtail_site``, in one query with its root page as its specific page
    (``find_site``); Wagtail's own lookup (``Site.find_for_request``) reads the root page's
    specific page in a second query. Wagtail keeps the site on the request
    (``request._wagtail_site``) and asks for it there. Other views still look it up only
    when they need it."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        from wagtail.views import serve  # needs the models, which import this module

        wanted = view_func is serve or getattr(view_func, "uses_wagtail_site", False)
        if wanted and not hasattr(request, "_wagtail_site"):
            try:
                request._wagtail_site = find_site(request)
            except DATABASE_UNAVAILABLE_ERRORS as error:
                # As if the view had raised it (DatabaseUnavailableMiddleware).
                return unavailable_response(request, error)
        return None


def find_site(request):
    """``Site.find_for_request(request)`` in one query: Wagtail's choice
    (``wagtail.models.sites.get_site_for_hostname``: the hostname and port, else the
    hostname of the default site, else the default site unless exactly one other site has
    the hostname; ``None`` when nothing matches), with the root page joined as its specific
    page when that is a type made for the tree's top (the home page) and, for its view
    restrictions (``core.routing``), whether one lies on it."""
    hostname = split_domain_port(request._get_raw_host())[0]
    sites = _SITES(hostname=hostname, port=request.get_port())
    if not sites:
        return None
    if len(sites) == 1 or sites[0].match in (0, 1):
        site = sites[0]
    elif sites[0].match == 2:
        site = sites[len(sites) == 2]  # the default, unless one other site has the hostname
    else:
        return None
    root = site.root_page
    for name in _root_page_types():
        specific = getattr(root, name, None)  # joined: no query
        if specific is not None:
            Site.root_page.field.set_cached_value(site, specific)
            root = specific
            break
    root.known_unrestricted = not site.root_restricted and root.alias_of_id is None
    return site


@cache
def _root_page_types() -> tuple[str, ...]:
    """How a page reaches its specific page, for every page type that may sit right below
    the tree's root (``parent_page_types``)."""
    return tuple(
        model._meta.parents[Page].remote_field.get_accessor_name()
        for model in get_page_models()
        if Page in model._meta.parents and Page in model.allowed_parent_page_models()
    )


_SITES = CompiledQuery(
    lambda hostname, port: (
        Site.objects.annotate(
            match=Case(
                When(hostname=hostname, port=port, then=Value(0)),
                When(hostname=hostname, is_default_site=True, then=Value(1)),
                When(is_default_site=True, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            ),
            root_restricted=ExpressionWrapper(
                restricted_q("root_page__path"), output_field=BooleanField()
            ),
        )
        .filter(Q(hostname=hostname) | Q(is_default_site=True))
        .order_by("match")
        .select_related("root_page", *(f"root_page__{name}" for name in _root_page_types()))
    ),
    hostname=str,
    port=int,
)
