"""The editors' inbox of applications (wagtail-modeladmin)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.admin import SimpleListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import quote
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html

from wagtail import hooks
from wagtail_modeladmin.helpers import AdminURLHelper, ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register
from wagtail_modeladmin.views import IndexView, InspectView

from . import admin_views
from .inbox_params import clean_params
from .models import Application, ApplicationStatus
from .permissions import applications_for_user, regions_for_user, user_can_access, user_can_convert

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# The export's columns in order, with their headings.
EXPORT_HEADINGS = {
    "created_at": "Eingegangen am",
    "status": "Status",
    "region": "Region",
    "place_name": "Name des Ortes oder Projekts",
    "municipality": "Ort / Gemeinde",
    "street": "Straße und Hausnummer",
    "postcode": "PLZ",
    "category_names": "Themenfelder",
    "introduction": "Kurzvorstellung",
    "website": "Website",
    "contact_person": "Ansprechperson",
    "email": "E-Mail",
    "phone": "Telefon",
    "photo_count": "Fotos",
    "consent_version": "Fassung der Datenschutzhinweise",
    "consent_given_at": "Einwilligung erteilt am",
    "place_url": "Ortsseite (Admin)",
}


class RegionFilter(SimpleListFilter):
    """Only the regions the user may see (Django's related filter needs django.contrib.admin)."""

    title = "Region"
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return [(str(region.pk), region.title) for region in regions_for_user(request.user)]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(region_id=int(value))
        return queryset


class ApplicationPermissionHelper(PermissionHelper):
    """Model permissions plus the region: editors only reach their own region's applications."""

    def user_can_list(self, user):
        return user.has_perm("applications.view_application")

    def user_can_create(self, user):
        return False  # applications only come in through the public form

    def user_can_inspect_obj(self, user, obj):
        return user_can_access(user, obj, "view")

    def user_can_edit_obj(self, user, obj):
        return False  # status buttons and the conversion replace a free edit form

    def user_can_delete_obj(self, user, obj):
        return user_can_access(user, obj, "delete")


class ApplicationButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, **kwargs):
        buttons = super().get_buttons_for_obj(obj, **kwargs)
        for button in buttons:
            if button["url"].endswith(f"/inspect/{quote(obj.pk)}/"):
                button["label"] = "Ansehen"
                button["title"] = f"Bewerbung „{obj.place_name}“ ansehen"
            elif "/delete/" in button["url"]:
                button["label"] = "Löschen"
                button["title"] = f"Bewerbung „{obj.place_name}“ löschen"
        return buttons


INVALID_FILTER = "Ein Filter in der Adresse war ungültig und wurde nicht angewendet."


class ApplicationIndexView(IndexView):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        # Only the list's own filters with values they can use (applications/inbox_params.py).
        offered = {str(pk) for pk in regions_for_user(request.user).values_list("pk", flat=True)}
        cleaned, dropped = clean_params(request.GET, offered)
        if not dropped:
            try:
                return super().dispatch(request, *args, **kwargs)
            except IncorrectLookupParameters:
                cleaned = None
        messages.warning(request, INVALID_FILTER)
        if cleaned is not None:
            cleaned.pop("export", None)  # show the list first: an export must not differ silently
        return redirect(f"{request.path}?{cleaned.urlencode()}" if cleaned else request.path)

    export_headings = EXPORT_HEADINGS

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        # No formula injection: spreadsheet programs must show applicants' text as text.
        if (
            export_format == self.FORMAT_CSV
            and isinstance(value, str)
            and value.startswith(FORMULA_PREFIXES)
        ):
            value = "'" + value
        return value


class ApplicationInspectView(InspectView):
    def get_page_title(self):
        return "Bewerbung"

    def get_meta_title(self):
        return f"Bewerbung: {self.instance.place_name}"

    def get_context_data(self, **kwargs):
        user, application = self.request.user, self.instance
        return {
            **super().get_context_data(**kwargs),
            "application": application,
            "photos": application.photos.all(),
            "categories": application.category_names,
            "can_change": user_can_access(user, application, "change"),
            "can_convert": user_can_convert(user, application)
            and application.place_id is None
            and application.anonymised_at is None,
            "statuses": ApplicationStatus,
            "confirmation_limit": settings.APPLICATIONS_CONFIRMATIONS_PER_ADDRESS,
            "place_edit_url": ApplicationAdmin.place_url(application),
        }


class NumericIdURLHelper(AdminURLHelper):
    """Addresses of one application take only an id PostgreSQL can look up: modeladmin
    looks it up unchecked, and "inspect/abc/" was a 500."""

    def _get_object_specific_action_url_pattern(self, action):
        return rf"^{self.base_url_path}/{action}/(?P<instance_pk>[0-9]{{1,18}})/$"


@modeladmin_register
class ApplicationAdmin(ModelAdmin):
    model = Application
    menu_label = "Bewerbungen"
    menu_icon = "mail"
    menu_order = 250
    add_to_settings_menu = False
    exclude_from_explorer = True
    url_helper_class = NumericIdURLHelper
    permission_helper_class = ApplicationPermissionHelper
    button_helper_class = ApplicationButtonHelper
    index_view_class = ApplicationIndexView
    inspect_view_enabled = True
    inspect_view_class = ApplicationInspectView
    inspect_template_name = "applications/admin/inspect.html"
    list_display = ("place_name", "region", "municipality", "status", "created_at", "mail_state")
    list_filter = (RegionFilter, "status", "created_at")
    search_fields = ("place_name", "municipality", "contact_person", "email", "introduction")
    ordering = ("-created_at",)
    list_per_page = 50
    list_export = tuple(EXPORT_HEADINGS)
    export_filename = "bewerbungen"

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("region")
        return applications_for_user(request.user, queryset).prefetch_related("categories")

    @staticmethod
    def mail_state(obj):
        if obj.last_mail_error and obj.mail_pending:
            return format_html('<span class="w-text-critical-200">{}</span>', obj.mail_status)
        return obj.mail_status

    mail_state.__func__.short_description = "E-Mails"  # the function modeladmin reads

    @staticmethod
    def photo_count(obj):
        return obj.photos.count()

    @staticmethod
    def place_url(obj):
        return reverse("wagtailadmin_pages:edit", args=[obj.place_id]) if obj.place_id else ""


@hooks.register("register_admin_urls")
def register_application_urls():
    return [
        path(
            "bewerbungen/<int:pk>/foto/<int:photo_pk>/",
            admin_views.photo,
            name="applications_photo",
        ),
        path("bewerbungen/<int:pk>/status/", admin_views.set_status, name="applications_status"),
        path("bewerbungen/<int:pk>/uebernehmen/", admin_views.convert, name="applications_convert"),
    ]
