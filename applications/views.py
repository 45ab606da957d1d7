"""Public views of the application form: no cookies, no sessions, no third parties."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import kept_photos, security
from .emails import queue_application_mails
from .forms import HONEYPOT_FIELD, ApplicationForm
from .models import Application, ApplicationPhoto

logger = logging.getLogger(__name__)

FORM_TEMPLATE = "applications/form.html"


def _form_context(form, **extra):
    return {
        "form": form.set_aria(),
        "page_title": _("Ort vorschlagen"),
        "meta_description": _(
            "Ihr Ort im Portal Kreativorte im Grünen: Schlagen Sie ihn mit "
            "einer kurzen Vorstellung vor."
        ),
        "privacy_version": settings.PRIVACY_NOTICE_VERSION,
        "max_photos": settings.APPLICATIONS_MAX_PHOTOS,
        **extra,
    }


def _refused(request, status: int, heading: str, message: str):
    return render(
        request,
        "applications/refused.html",
        {"page_title": heading, "heading": heading, "message": message},
        status=status,
    )


def _form_again(request, files, status: int, **extra):
    """The form as sent, with a fresh token and its photos kept (``files``: uploads now)."""
    data = request.POST.copy()
    data["token"] = security.make_form_token()
    form = ApplicationForm(data, files)
    form.keep_photos()
    return render(request, FORM_TEMPLATE, _form_context(form, **extra), status=status)


def _thanks(request, application=None):
    return render(
        request,
        "applications/thanks.html",
        {"page_title": _("Vielen Dank für Ihren Vorschlag"), "application": application},
    )


@csrf_exempt  # see applications/security.py: signed token + Origin check, no cookie
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def application_form(request):
    if request.method != "POST":
        form = ApplicationForm(initial={"token": security.make_form_token()})
        return render(request, FORM_TEMPLATE, _form_context(form))

    try:
        content_length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        content_length = 0
    if content_length > settings.APPLICATIONS_MAX_REQUEST_SIZE:
        return _refused(
            request,
            413,
            _("Die Fotos sind zu groß"),
            _(
                "Ihre Fotos sind zusammen zu groß. Bitte verkleinern Sie sie (höchstens "
                "%(size)s je Foto) und senden Sie das Formular erneut."
            )
            % {"size": filesizeformat(settings.APPLICATIONS_MAX_PHOTO_SIZE)},
        )
    if not security.origin_allowed(request):
        return _refused(
            request,
            403,
            _("Formular nicht angenommen"),
            _(
                "Das Formular wurde nicht von dieser Website abgeschickt. Bitte öffnen Sie "
                "/mitmachen/ direkt und senden Sie es dort ab."
            ),
        )
    try:
        return _checked_submission(request)
    except security.SecurityStoreUnavailable:
        # The abuse checks cannot run: refuse, keep what was entered (photos included).
        logger.exception("Application refused: the security cache is unreachable.")
        return _form_again(request, request.FILES, 503, form_unavailable=True)


def _checked_submission(request):
    """Rate limit, token, bots, validation, saving (``SecurityStoreUnavailable`` when the
    rate limit or the used tokens cannot be read)."""
    if security.rate_limited(request):
        return _refused(
            request,
            429,
            _("Zu viele Versuche"),
            _(
                "Von Ihrem Anschluss kamen in kurzer Zeit sehr viele Vorschläge. Bitte warten Sie "
                "einige Minuten und versuchen Sie es dann erneut."
            ),
        )
    security.count_submission(request)

    form = ApplicationForm(request.POST, request.FILES)
    token = security.check_form_token(request.POST.get("token", ""))

    # Bots: a filled honeypot or a form sent faster than a person can type. They see the
    # normal confirmation, and nothing is stored.
    if request.POST.get(HONEYPOT_FIELD) or token.reason == "too-fast":
        logger.info("Application dropped as bot (%s).", token.reason or "honeypot")
        return _thanks(request)
    if token.ok and security.nonce_used(token.nonce):
        # The same form sent twice (double click, reload): one application is enough.
        return _thanks(request)

    if not token.ok:
        # Expired or damaged token: keep what was entered (photos kept from an earlier
        # attempt stay kept), hand out a fresh token.
        return _form_again(request, None, 400, form_expired=True, photos_lost=bool(request.FILES))

    if not form.is_valid():
        # Photos that passed their checks are kept (private storage, signed tokens): the
        # applicant does not have to choose them again.
        form.keep_photos()
        return render(request, FORM_TEMPLATE, _form_context(form), status=400)

    application = save_application(form)
    try:
        security.use_nonce(token.nonce)
    except security.SecurityStoreUnavailable:
        # Saved already: the applicant is thanked; a resend could only add a duplicate.
        logger.exception("Used form token not recorded: the security cache is unreachable.")
    return _thanks(request, application)


def save_application(form) -> Application:
    data = form.cleaned_data
    with transaction.atomic():
        application = Application.objects.create(
            region=data["region"],
            place_name=data["place_name"],
            municipality=data["municipality"],
            street=data["street"],
            postcode=data["postcode"],
            introduction=data["introduction"],
            website=data["website"],
            contact_person=data["contact_person"],
            email=data["email"],
            phone=data["phone"],
            consent_version=settings.PRIVACY_NOTICE_VERSION,
            consent_given_at=timezone.now(),
        )
        application.categories.set(data["categories"])
        for order, (upload, description, credit) in enumerate(form.photos()):
            photo = ApplicationPhoto(
                application=application,
                sort_order=order,
                description=description,
                credit=credit,
                rights_confirmed=True,
            )
            photo.file.save(upload.name, upload)  # saves the row too
        # Kept from an earlier attempt: copied above (or replaced, or removed), not needed now.
        kept_photos.discard([kept.photo for kept in form.kept.values()])
        # E-mails go out only once the application is safely stored.
        queue_application_mails(application)
    return application


@never_cache
@require_http_methods(["GET", "OPTIONS"])
def form_token(request):
    """A fresh form token as JSON, for the static site's copy of the form."""
    origin = security.cors_origin(request)
    if request.method == "OPTIONS":
        response = HttpResponse(status=204)
    else:
        response = JsonResponse(
            {
                "token": security.make_form_token(),
                "min_fill_seconds": settings.APPLICATIONS_MIN_FILL_SECONDS,
                "max_age_seconds": settings.APPLICATIONS_MAX_FORM_AGE_SECONDS,
            }
        )
    if origin:
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Methods"] = "GET"
        response["Vary"] = "Origin"
    return response
