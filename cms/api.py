"""URLs under /api/: Wagtail API v2 and v3, GeoJSON and CSV of the places."""

urlpatterns = []
