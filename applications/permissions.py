"""Who may see and handle which applications.

Model permissions (``applications.view_application`` etc.) say *whether* a user may use the
inbox; Wagtail's page permissions say *which* applications: those of regions whose page the
user may edit or add pages to, German regions only (a region's English twin is for its
translators). Superusers and the "Portalteam" group see all.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from wagtail import hooks
from wagtail.permission_policies.pages import PagePermissionPolicy

from core.languages import in_language_q
from regions.models import RegionPage

from .models import Application

EDITOR_PERMISSIONS = ("view_application", "change_application", "delete_application")


# regions.onboarding calls this for the portal team and each region's editors and moderators
# (registered when Wagtail imports applications/wagtail_hooks.py, which imports this module).
@hooks.register("grant_region_group_permissions")
def grant_application_permissions(group: Group) -> None:
    """Let a region's group use the inbox (idempotent); which applications it sees follows
    from its page permissions."""
    content_type = ContentType.objects.get_for_model(Application)
    permissions = Permission.objects.filter(
        content_type=content_type, codename__in=EDITOR_PERMISSIONS
    )
    group.permissions.add(*permissions)


def region_ids_for_user(user) -> set[int] | None:
    """Ids of the regions whose applications ``user`` may handle; None means all."""
    if not (user.is_active and user.is_authenticated):
        return set()
    if (
        user.is_superuser
        or user.groups.filter(name=settings.APPLICATIONS_PORTAL_TEAM_GROUP).exists()
    ):
        return None
    # German regions only: rights on a region's English twin (its translators', its
    # moderators') are rights to translate, not to handle the region's applications.
    pages = PagePermissionPolicy().instances_user_has_any_permission_for(user, {"add", "change"})
    regions = RegionPage.objects.filter(in_language_q(), pk__in=pages.values("pk"))
    return set(regions.values_list("pk", flat=True))


def regions_for_user(user):
    """The German regions whose applications ``user`` may handle (the inbox's region filter)."""
    regions = RegionPage.objects.filter(in_language_q()).order_by("title")
    region_ids = region_ids_for_user(user)
    return regions if region_ids is None else regions.filter(pk__in=region_ids)


def applications_for_user(user, queryset=None):
    queryset = Application.objects.all() if queryset is None else queryset
    if not user.has_perm("applications.view_application"):
        return queryset.none()
    region_ids = region_ids_for_user(user)
    if region_ids is None:
        return queryset
    return queryset.filter(region_id__in=region_ids)


def user_can_access(user, application: Application, action: str = "view") -> bool:
    if not user.has_perm(f"applications.{action}_application"):
        return False
    region_ids = region_ids_for_user(user)
    return region_ids is None or application.region_id in region_ids


def user_can_convert(user, application: Application) -> bool:
    if not user_can_access(user, application, "change") or application.region is None:
        return False
    return application.region.permissions_for_user(user).can_add_subpage()
