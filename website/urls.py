"""Public URLs that are not pages: /orte/, /veranstaltungen/, /suche/, /einbetten/karte/ in
every language (``urlpatterns``, under ``i18n_patterns`` in cms/urls.py), the feed and
robots.txt at one address (``single_address_urlpatterns``)."""

from django.urls import path

from website import views
from website.event_index import event_index
from website.feeds import LatestPlacesFeed

urlpatterns = [
    path("orte/", views.place_index, name="place_index"),
    path("veranstaltungen/", event_index, name="event_index"),
    path("suche/", views.search, name="search"),
    path("einbetten/karte/", views.embed_map, name="embed_map"),
]

single_address_urlpatterns = [
    path("feeds/orte.atom", LatestPlacesFeed(), name="places_feed"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
