"""Admin views of the place form (behind Wagtail's login, registered in wagtail_hooks)."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wagtail.permission_policies.pages import PagePermissionPolicy

from .geocoding import geocoder_configured, locate
from .validators import german_number


def _no_point(message: str, status: int = 200) -> JsonResponse:
    return JsonResponse({"found": False, "message": message}, status=status)


@require_GET
def locate_address(request):
    """„Punkt aus Adresse setzen“: ``?street=&postcode=&municipality=&district=`` → JSON
    ``{"found", "latitude", "longitude", "source", "message"}``. Only for people who may
    add or edit pages."""
    if not PagePermissionPolicy().user_has_any_permission(request.user, ["add", "change"]):
        return _no_point(_("Keine Berechtigung."), status=403)
    fields = {
        name: request.GET.get(name, "").strip()[:120]
        for name in ("street", "postcode", "municipality", "district")
    }
    if not (fields["municipality"] or fields["postcode"]):
        return _no_point(
            _("Bitte zuerst „Ort / Gemeinde“ oder die PLZ ausfüllen, z. B. „Salzwedel“.")
        )
    point, note = locate(**fields)
    failed = _("Der Adressdienst war nicht erreichbar. ") if note == "geocoder_failed" else ""
    if point is None:
        return _no_point(
            failed
            + _(
                "Zu „%(place)s“ kennen wir keinen Punkt. Bitte klicken Sie in die Karte "
                "oder tragen Sie Breite und Länge ein, z. B. 52,8547 und 11,1525."
            )
            % {"place": fields["municipality"] or fields["postcode"]}
        )
    if point.source == "geocoder":
        message = _("Punkt aus der Adresse gesetzt: %(label)s. Bitte auf der Karte prüfen.")
    else:
        if geocoder_configured() and not failed:
            failed = _("Die genaue Adresse wurde nicht gefunden. ")
        message = _(
            "Mittelpunkt von %(label)s gesetzt. Bitte ziehen Sie die Markierung auf das Gebäude."
        )
    return JsonResponse(
        {
            "found": True,
            "latitude": str(point.latitude),
            "longitude": str(point.longitude),
            "latitude_display": german_number(point.latitude),
            "longitude_display": german_number(point.longitude),
            "source": point.source,
            "message": failed + message % {"label": point.label},
        }
    )
