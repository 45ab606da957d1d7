"""The admin for German editors: branding, page addresses with umlauts spelled out, autosave
notices and the duplicate-image dialog without a misleading "gelöscht" banner.

Branding lives in templates (``core/templates/wagtailadmin/``: logo, favicon, login, title)
and in ``core/static/core/admin/admin.css`` (Wagtail's colour custom properties). Wagtail's
German wording is corrected in the project catalogue ``locale/de/LC_MESSAGES/django.po``.
"""

from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.templatetags.static import static
from django.urls import Resolver404, path, resolve
from django.utils.html import format_html

from wagtail import hooks
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets import SlugInput
from wagtail.images.views.images import DeleteView as ImageDeleteView

from .slugs import SLUG_FORMATTERS, GermanSlugField


class GermanSlugInput(SlugInput):
    """Wagtail's slug input, spelling out umlauts as the title is typed (ü → ue)."""

    def __init__(self, attrs=None, formatters=None, locale=None):
        super().__init__(attrs=attrs, formatters=formatters or SLUG_FORMATTERS, locale=locale)


# Every slug in an admin form (all page types, the copy form's own field aside): the widget
# spells umlauts out while typing, the form field again on the server (typed „grün“).
register_form_field_override(
    models.SlugField, override={"widget": GermanSlugInput, "form_class": GermanSlugField}
)


@hooks.register("insert_global_admin_css")
def admin_colours():
    return format_html('<link rel="stylesheet" href="{}">', static("core/admin/admin.css"))


@hooks.register("insert_editor_js")
def autosave_notices():
    return format_html('<script src="{}" defer></script>', static("core/admin/editor.js"))


# --- The duplicate-image dialog ------------------------------------------------------------
# "Use existing and delete new" in the image chooser posts to Wagtail's delete view, which
# leaves the message "Bild ‚Titel‘ gelöscht." for the next page: a new upload has the title of
# the existing image it duplicates, so the editor reads that the image they chose is gone.


class DiscardDuplicateImageView(ImageDeleteView):
    """Wagtail's image delete view (same permission checks) without the success message."""

    def form_valid(self, form):
        # Wagtail's form_valid without its ``messages.success`` (an empty message would still
        # be shown: Wagtail renders it through a template).
        if self.usage and self.usage.is_protected:
            raise PermissionDenied
        success_url = self.get_success_url()
        self.delete_action()
        return self.run_after_hook() or HttpResponseRedirect(success_url)


def discard_duplicate_image(request):
    """``?action=`` is the chooser's own delete address (image and ``next``)."""
    action = urlsplit(request.GET.get("action", ""))
    try:
        match = resolve(action.path)
    except Resolver404:
        raise Http404 from None
    if match.view_name != "wagtailimages:delete":
        raise Http404
    request.GET = QueryDict(action.query)
    return DiscardDuplicateImageView.as_view()(request, image_id=match.kwargs["image_id"])


@hooks.register("register_admin_urls")
def register_discard_duplicate_image_url():
    return [
        path(
            "bilder/doppeltes-verwerfen/",
            discard_duplicate_image,
            name="core_discard_duplicate_image",
        )
    ]
