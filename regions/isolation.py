"""What one region's editors may see of another region in the admin (``wagtail_hooks``).

Wagtail shows a page's *draft* title (``get_admin_display_title``) and the titles of images
and documents in places that do not check the user's permissions: the bulk-action
confirmation pages (``/admin/bulk/…?id=…``, also for objects the user may not act on), the
page-types usage report (the last edited page of each type, site-wide), the page chooser
(the parent column of search results, the parent row while browsing) and the explorer's
header. The user filters of the workflow report, the site history and the page explorer list
everyone who ever requested a workflow, owned or edited a page, site-wide. Each is narrowed
here to the user's own part of the tree; superusers and the portal team (a permission on the
root page) see everything.
"""

from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_list_or_404, redirect
from django.utils.translation import gettext_lazy as _

from wagtail.admin.views.pages.listing import ExplorableIndexView, GenericPageFilterSet
from wagtail.admin.views.reports.audit_logging import LogEntriesView, SiteHistoryReportFilterSet
from wagtail.admin.views.reports.workflows import (
    WorkflowReportFilterSet,
    WorkflowView,
    get_requested_by_queryset,
)
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import GroupPagePermission, Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry

import django_filters

#: The page paths the user has a permission on, kept on the request.
_PATHS_ATTRIBUTE = "_regions_permitted_page_paths"
NOT_PUBLIC = _("(nicht öffentliche Seite)")


def sees_whole_tree(user) -> bool:
    """Superusers and groups with a permission on the root page (the portal team); the
    page-types usage report is theirs only."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    return GroupPagePermission.objects.filter(group__user=user, page__depth=1).exists()


def permitted_paths(user) -> list[str]:
    """The tree paths of the pages where the user's groups hold a permission."""
    return list(
        GroupPagePermission.objects.filter(group__user=user)
        .values_list("page__path", flat=True)
        .distinct()
    )


def _permitted_paths(request) -> tuple[str, ...]:
    paths = getattr(request, _PATHS_ATTRIBUTE, None)
    if paths is None:
        paths = tuple(permitted_paths(request.user))
        setattr(request, _PATHS_ATTRIBUTE, paths)
    return paths


def title_for_user(page, request) -> str:
    """What the admin may call ``page`` for this user: its draft title with a permission on
    it (or an ancestor), else its published title, else a neutral label."""
    user = request.user
    if user.is_superuser or any(page.path.startswith(path) for path in _permitted_paths(request)):
        return page.get_admin_display_title()
    if page.live:
        return page.title  # the published title; the draft's is ``draft_title``
    return str(NOT_PUBLIC)


def visible_objects(user, model):
    """What a bulk action may list of ``model`` for the user: pages with any of the user's
    permissions on them or an ancestor, and their ancestors; images and documents in the
    collections where the user has any permission."""
    if issubclass(model, Page):
        if user.is_superuser:
            return model.objects.all()
        return model.objects.filter(
            pk__in=PagePermissionPolicy().explorable_instances(user).values("pk")
        )
    policy = policy_registry.get_by_type(model)
    if policy is None or user.is_superuser:
        return model._default_manager.all()
    return policy.instances_user_has_any_permission_for(user, ["add", "change", "delete", "choose"])


class VisibleObjectsOnlyMixin:
    """A bulk action that lists (and acts on) only what the user may see: other objects
    are treated as missing, so their titles never appear on the confirmation page."""

    def get_queryset(self, model, object_ids):
        # ``?id=…`` values, or what "select all" found (ids or objects, by search backend).
        ids = [getattr(pk, "pk", pk) for pk in object_ids]
        ids = [pk for pk in ids if str(pk).isdigit()]
        return get_list_or_404(visible_objects(self.request.user, model), pk__in=ids)


def visible_only(action_class):
    """``action_class`` with ``VisibleObjectsOnlyMixin`` (registered in its place)."""
    return type(
        action_class.__name__,
        (VisibleObjectsOnlyMixin, action_class),
        {"__module__": __name__, "__qualname__": f"Visible{action_class.__qualname__}"},
    )


class RegionPageFilterSet(GenericPageFilterSet):
    """Wagtail's filters of the page explorer; „Eigentümer“ and „Bearbeitet von“ list
    colleagues only (``colleagues_only``; Wagtail lists every page owner and editor
    site-wide)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("owner", "edited_by"):
            wagtails = self.filters[name].queryset
            self.filters[name].queryset = lambda request, wagtails=wagtails: colleagues_only(
                wagtails(request), request.user
            )


class ExplorableOnlyIndexView(ExplorableIndexView):
    """The page explorer (and its results) for pages the user may explore; any other page
    sends them to their own part of the tree, as Wagtail does for pages outside it. (Wagtail
    lets anyone browse below the common ancestor of their pages: the root page for a
    region's moderators and translators, who have pages in both trees.)"""

    def get(self, request, parent_page_id=None):
        user = request.user
        if parent_page_id is not None and not user.is_superuser:
            policy = PagePermissionPolicy()
            if not policy.explorable_instances(user).filter(pk=parent_page_id).exists():
                return redirect(self.index_url_name, policy.explorable_root_instance(user).pk)
        return super().get(request, parent_page_id)


class IsolatedPageViewSet(PageViewSet):
    """Wagtail's default page views with ``ExplorableOnlyIndexView``: registered for
    ``Page`` after Wagtail's own (``wagtail_hooks``), it serves every page type. Its user
    filters list colleagues only (``RegionPageFilterSet``)."""

    name = "isolated_pages"
    index_view_class = ExplorableOnlyIndexView
    filterset_class = RegionPageFilterSet


def colleagues_only(users, user):
    """``users`` narrowed to ``user`` and the people who share one of their regions: in a
    group with a page permission at or below a page where ``user`` has one (the region's
    editors, moderators and translators; not the portal team above every region). Those
    who see the whole tree get ``users`` as they are."""
    if sees_whole_tree(user):
        return users
    where = Q()
    for path in permitted_paths(user):
        where |= Q(page__path__startswith=path)
    if not where:
        return users.filter(pk=user.pk)
    shared = GroupPagePermission.objects.filter(where, group__user=OuterRef("pk"))
    return users.filter(Q(pk=user.pk) | Exists(shared))


def _requested_by_colleagues(request):
    return colleagues_only(get_requested_by_queryset(request), request.user)


class RegionWorkflowReportFilterSet(WorkflowReportFilterSet):
    requested_by = django_filters.ModelChoiceFilter(
        field_name="requested_by", queryset=_requested_by_colleagues
    )


class RegionWorkflowView(WorkflowView):
    """Wagtail's workflow report; its „Angefordert von“ filter lists colleagues only."""

    filterset_class = RegionWorkflowReportFilterSet


class RegionSiteHistoryReportFilterSet(SiteHistoryReportFilterSet):
    def get_users_queryset(self):
        return colleagues_only(super().get_users_queryset(), self.request.user)


class RegionSiteHistoryView(LogEntriesView):
    """Wagtail's site history; its user filter lists colleagues only."""

    filterset_class = RegionSiteHistoryReportFilterSet
