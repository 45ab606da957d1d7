"""Atom feed of the newest places, for the social media campaign and feed readers."""

from typing import NamedTuple
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.http import HttpResponseBadRequest
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from places.models import PlacePage
from places.queries import FilterError, PlaceFilters, parse_place_filters
from website.listing import read_parameters

FEED_SIZE = 20
FEED_PARAMETERS = ("region", "category")


class FeedRequest(NamedTuple):
    filters: PlaceFilters
    request: object
    #: ``?<filters>`` (or ""), from the parsed filters: nothing a client adds is echoed.
    query: str


class LatestPlacesFeed(Feed):
    feed_type = Atom1Feed
    subtitle = gettext_lazy("Die neuesten kreativen Orte auf dem Land in Sachsen-Anhalt.")
    language = "de"
    author_name = "Kreativorte im Grünen"

    # The Feed instance is shared between requests: per-request state travels in ``obj``.
    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except FilterError as exc:
            message = " ".join(exc.errors.values())
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")

    def get_object(self, request, *args, **kwargs):
        filters = parse_place_filters(read_parameters(request.GET, FEED_PARAMETERS))
        query = urlencode(filters.as_query_dict(), doseq=True)
        return FeedRequest(filters, request, f"?{query}" if query else "")

    def title(self, obj):
        parts = [region.title for region in obj.filters.regions]
        parts.extend(obj.filters.categories)
        base = _("Kreativorte im Grünen – neue Orte")
        return f"{base} ({', '.join(parts)})" if parts else base

    def link(self, obj):
        return "/orte/" + obj.query

    def feed_url(self, obj):
        return obj.request.path + obj.query

    def items(self, obj):
        queryset = obj.filters.apply(PlacePage.objects.visible()).prefetch_related("categories")
        newest_first = F("first_published_at").desc(nulls_last=True)
        return queryset.order_by(newest_first, "-pk")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        text = escape(item.teaser)
        if item.municipality:
            text += f" <em>({escape(item.municipality)})</em>"
        return text

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        return f"urn:kreativorte:place:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        # Pages created by imports or scripts may lack publishing dates.
        return item.first_published_at or item.last_published_at or timezone.now()

    def item_updateddate(self, item):
        return item.last_published_at or self.item_pubdate(item)

    def item_categories(self, item):
        return [category.label for category in item.categories.all()]
