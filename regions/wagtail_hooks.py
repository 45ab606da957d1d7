from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.pages import bulk_actions as page_actions
from wagtail.documents.views import bulk_actions as document_actions
from wagtail.images.views import bulk_actions as image_actions
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from .components import FreshnessPanel
from .isolation import IsolatedPageViewSet, sees_whole_tree, visible_only
from .translation import deletes_only_through_browsing_grant
from .translation_views import (
    RegionDeleteBulkAction,
    RegionSubmitPageTranslationView,
    RegionTranslationsReportView,
    RegionUpdateTranslationsView,
    SubmitTranslationForModerationView,
)
from .views import OnboardRegionView


@hooks.register("register_admin_urls")
def register_onboarding_url():
    return [
        path("regionen/aufnehmen/", OnboardRegionView.as_view(), name="regions_onboard"),
        path(
            "regionen/uebersetzung/<int:page_id>/einreichen/",
            SubmitTranslationForModerationView.as_view(),
            name="regions_submit_translation_for_moderation",
        ),
    ]


@hooks.register("register_admin_urls", order=-100)
def register_translation_urls():
    """wagtail-localize's views that need the regions' rules (``regions.translation_views``),
    at its own addresses: registered before its URLs, these answer them, and its URL names
    (``wagtail_localize:submit_page_translation`` …) still lead here."""
    return [
        path("localize/submit/page/<int:page_id>/", RegionSubmitPageTranslationView.as_view()),
        path(
            "localize/update/<int:translation_source_id>/", RegionUpdateTranslationsView.as_view()
        ),
        path("localize/reports/translations/", RegionTranslationsReportView.as_view()),
        path(
            "localize/reports/translations/results/",
            RegionTranslationsReportView.as_view(results_only=True),
        ),
    ]


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_onboarding_menu_item():
    return SuperuserMenuItem(
        _("Region aufnehmen"), reverse("regions_onboard"), icon_name="site", order=150
    )


@hooks.register("construct_homepage_panels")
def add_freshness_panel(request, panels):
    panels.append(FreshnessPanel(request.user))


# --- Isolation between regions (regions.isolation) ----------------------------------------
# Wagtail's page permissions keep one region's editors out of another region's pages, but some
# admin views show titles (drafts' too) without checking them: these hooks close those gaps.


@hooks.register("before_move_page")
def refuse_moves_without_permission(request, page_to_move, destination):
    """The move confirmation (GET) shows the page's draft title before any permission check."""
    if not page_to_move.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied


@hooks.register("before_delete_page")
def refuse_deletes_through_browsing_grants(request, page):
    """A translators' group's ``bulk_delete`` is for browsing (``regions.translation``): it
    never lets a person who is also an editor delete a page with its children."""
    if deletes_only_through_browsing_grant(request.user, page):
        raise PermissionDenied


@hooks.register("register_admin_viewset")
def register_isolated_page_viewset():
    """After Wagtail's base page viewset (order -1): the explorer of any page type."""
    return IsolatedPageViewSet()


@hooks.register("construct_page_chooser_queryset")
def hide_other_regions_drafts_in_the_chooser(pages, request):
    """Choosers list live, unchanged pages everywhere, drafts only where the user may edit."""
    user = request.user
    if user.is_superuser:
        return pages
    explorable = PagePermissionPolicy().explorable_instances(user).values("pk")
    # A list of ids (drafts elsewhere are few): the chooser's search backend filters on "id".
    hidden = list(
        Page.objects.filter(Q(live=False) | Q(has_unpublished_changes=True))
        .exclude(pk__in=explorable)
        .values_list("pk", flat=True)
    )
    return pages.exclude(id__in=hidden) if hidden else pages


# Bulk actions list the titles of every object whose id is in the address, also of objects
# the user may not act on ("you don't have permission to …"): only what the user may see.
for _action_class in [
    RegionDeleteBulkAction,  # Wagtail's, without deletes through a browsing grant
    page_actions.MoveBulkAction,
    page_actions.PublishBulkAction,
    page_actions.UnpublishBulkAction,
    image_actions.AddTagsBulkAction,
    image_actions.AddToCollectionBulkAction,
    image_actions.DeleteBulkAction,
    document_actions.AddTagsBulkAction,
    document_actions.AddToCollectionBulkAction,
    document_actions.DeleteBulkAction,
]:
    # Registered after Wagtail's own (order): the registry keeps the last one per action.
    hooks.register("register_bulk_action", visible_only(_action_class), order=100)


@hooks.register("construct_reports_menu")
def hide_site_wide_reports(request, menu_items):
    """The page-types usage report names the last edited page of each type, site-wide."""
    if not sees_whole_tree(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]
