"""Admin views of the inbox beyond modeladmin: photos, status changes, conversion."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from wagtail.log_actions import log

from .conversion import ConversionError, convert_to_draft
from .models import Application, ApplicationPhoto, ApplicationStatus
from .permissions import user_can_access

INSPECT_URL = "applications_application_modeladmin_inspect"

STATUS_ACTIONS = {
    # new status: (allowed from, message)
    ApplicationStatus.IN_REVIEW: (
        {ApplicationStatus.NEW, ApplicationStatus.REJECTED},
        "„{name}“ ist jetzt in Prüfung.",
    ),
    ApplicationStatus.REJECTED: (
        {ApplicationStatus.NEW, ApplicationStatus.IN_REVIEW},
        "„{name}“ wurde abgelehnt.",
    ),
}


def _application_for(request, pk, action="view") -> Application:
    application = get_object_or_404(Application.objects.select_related("region"), pk=pk)
    if not user_can_access(request.user, application, action):
        raise PermissionDenied
    return application


def photo(request, pk, photo_pk):
    """Serve an application's photo to editors who may see the application, nobody else."""
    application = _application_for(request, pk)
    photo = get_object_or_404(ApplicationPhoto, pk=photo_pk, application=application)
    if not photo.file:
        raise Http404
    try:
        handle = photo.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(photo.file.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
def set_status(request, pk):
    application = _application_for(request, pk, "change")
    try:
        new_status = ApplicationStatus(request.POST.get("status", ""))
        allowed_from, message = STATUS_ACTIONS[new_status]
    except (ValueError, KeyError) as exc:
        raise PermissionDenied from exc
    if application.status not in allowed_from:
        messages.error(request, "Dieser Statuswechsel ist nicht möglich.")
    else:
        application.status = new_status
        application.save(update_fields=["status", "updated_at"])
        log(application, "wagtail.edit", user=request.user)
        messages.success(request, message.format(name=application.place_name))
    return redirect(INSPECT_URL, application.pk)


@require_POST
def convert(request, pk):
    application = _application_for(request, pk, "change")
    try:
        page = convert_to_draft(application, request.user)
    except ConversionError as exc:
        messages.error(request, str(exc))
        return redirect(INSPECT_URL, application.pk)
    messages.success(
        request,
        f"„{page.title}“ ist jetzt ein Entwurf in der Region. Bitte setzen Sie den Punkt auf "
        "der Karte und prüfen Sie die Angaben vor dem Veröffentlichen.",
    )
    return redirect("wagtailadmin_pages:edit", page.pk)
