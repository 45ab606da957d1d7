"""The editors' dashboard panel: places of their regions that need attention, and a way to
the first place of a region that has none yet."""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.components import Component

from places.models import PlacePage

from .onboarding import regions_for_user

STALE_AFTER_DAYS = 365
MAX_ROWS = 50


def places_needing_attention(regions, *, today=None, limit=MAX_ROWS):
    """Places (drafts included) in ``regions`` that are stale or miss image, point or contact.

    Returns ``(rows, total)``; each row is ``(place, region, [problems])``. Two queries.
    """
    regions = list(regions)
    if not regions:
        return [], 0
    today = today or timezone.localdate()
    stale_before = today - timedelta(days=STALE_AFTER_DAYS)
    in_regions = Q()
    for region in regions:
        in_regions |= Q(path__startswith=region.path, depth=region.depth + 1)
    stale = Q(last_checked__isnull=True) | Q(last_checked__lt=stale_before)
    no_image = Q(hero_image__isnull=True)
    no_point = Q(latitude__isnull=True) | Q(longitude__isnull=True)
    no_contact = Q(email="", phone="", website="")
    queryset = (
        PlacePage.objects.filter(in_regions)
        .filter(stale | no_image | no_point | no_contact)
        .only(
            "id",
            "title",
            "path",
            "depth",
            "live",
            "last_checked",
            "hero_image_id",
            "latitude",
            "longitude",
            "email",
            "phone",
            "website",
        )
        .order_by("last_checked", "title")
    )
    total = queryset.count()
    by_path = {region.path: region for region in regions}
    rows = []
    for place in queryset[:limit]:
        problems = []
        if place.last_checked is None:
            problems.append(_("nie geprüft"))
        elif place.last_checked < stale_before:
            problems.append(
                _("zuletzt geprüft am %(date)s") % {"date": date_format(place.last_checked)}
            )
        if place.hero_image_id is None:
            problems.append(_("kein Titelbild"))
        if place.latitude is None or place.longitude is None:
            problems.append(_("keine Koordinaten"))
        if not (place.email or place.phone or place.website):
            problems.append(_("kein Kontakt"))
        region = by_path.get(place.path[: -place.steplen])
        rows.append((place, region, problems))
    return rows, total


class FreshnessPanel(Component):
    name = "freshness"
    template_name = "regions/admin/freshness_panel.html"
    order = 150

    def __init__(self, user):
        self.user = user

    def empty_regions(self, regions):
        """(region, add-place URL) of the regions without any place (drafts count) in which
        the user may add one. ``numchild``: no query (every child of a region is a place)."""
        add_url = "wagtailadmin_pages:add"
        model = (PlacePage._meta.app_label, PlacePage._meta.model_name)
        return [
            (region, reverse(add_url, args=[*model, region.pk]))
            for region in regions
            if region.numchild == 0 and region.permissions_for_user(self.user).can_add_subpage()
        ]

    def get_context_data(self, parent_context=None):
        regions = list(regions_for_user(self.user))
        rows, total = places_needing_attention(regions)
        return {
            "regions": regions,
            "empty_regions": self.empty_regions(regions),
            "any_places": any(region.numchild for region in regions),
            "rows": rows,
            "total": total,
            "limit": MAX_ROWS,
            "stale_days": STALE_AFTER_DAYS,
        }

    def render_html(self, parent_context=None):
        if not regions_for_user(self.user).exists():
            return ""
        return super().render_html(parent_context)
