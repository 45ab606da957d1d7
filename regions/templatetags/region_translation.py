"""``{% translation_moderation page %}``: „Zur Freigabe einreichen“ below wagtail-localize's
translation editor, for those who may edit the translation but not publish it
(``regions.translation_views.SubmitTranslationForModerationView``)."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from wagtail.models import WorkflowState

from regions.translation_views import moderation_unavailable_reason

register = template.Library()


@register.inclusion_tag("regions/admin/translation_moderation.html", takes_context=True)
def translation_moderation(context, page):
    request = context.get("request")
    if request is None:
        return {}
    permissions = page.permissions_for_user(request.user)
    if permissions.can_publish() or not permissions.can_edit():
        return {}
    state = page.current_workflow_state
    url = reverse("regions_submit_translation_for_moderation", args=[page.pk])
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        return {
            "status": _("Die Übersetzung wartet auf die Freigabe durch die Moderation."),
            "url": url,
            "label": _("Änderungen nachreichen"),
        }
    if state is not None:
        return {
            "status": _("Die Moderation hat um Änderungen gebeten."),
            "url": url,
            "label": _("Erneut zur Freigabe einreichen"),
        }
    if not permissions.can_submit_for_moderation():
        return {"status": moderation_unavailable_reason(page, request.user)}
    return {"url": url, "label": _("Zur Freigabe einreichen")}
