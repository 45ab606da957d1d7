from django.core.exceptions import PermissionDenied
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView

from .forms import OnboardRegionForm
from .isolation import sees_whole_tree
from .onboarding import OnboardingError, onboard_region, password_reset_link


class OnboardRegionView(WagtailAdminTemplateMixin, FormView):
    """„Region aufnehmen“: the admin flow of ``onboard_region`` for superusers."""

    form_class = OnboardRegionForm
    template_name = "regions/admin/onboard.html"
    page_title = _("Region aufnehmen")
    header_icon = "site"
    success_url = reverse_lazy("regions_onboard")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=reverse("regions_onboard"),
            submit_button_label=_("Region aufnehmen"),
            submit_button_active_label=_("Wird angelegt …"),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            result = onboard_region(
                data["name"],
                slug=data["slug"] or None,
                contact_email=data["contact_email"] or None,
                editors=data["editors"],
                moderators=data["moderators"],
                translators=data["translators"],
                publish=data["publish"],
                user=self.request.user,
            )
        except OnboardingError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        base_url = self.request.build_absolute_uri("/")
        # Rendered once, never stored: the links are only shown to the superuser now.
        reset_links = [(user, password_reset_link(user, base_url)) for user in result.users_created]
        return self.render_to_response(
            self.get_context_data(form=self.form_class(), result=result, reset_links=reset_links)
        )


class SiteWidePageTypesUsageReportView(PageTypesUsageReportView):
    """Wagtail's page-types usage report counts every page and names the last edited one of
    each type (its draft title), site-wide: only for those who see the whole tree
    (``regions.isolation.sees_whole_tree``). Served at Wagtail's own addresses
    (``cms/urls.py``)."""

    def dispatch(self, request, *args, **kwargs):
        if not sees_whole_tree(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
