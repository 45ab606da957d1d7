"""Public URLs that are not pages: /orte/, /suche/, /einbetten/karte/, feeds, robots.txt."""

urlpatterns = []
