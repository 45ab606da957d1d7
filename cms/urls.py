from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from core import views as core_views
from regions.isolation import RegionSiteHistoryView, RegionWorkflowView
from regions.views import SiteWidePageTypesUsageReportView
from website import urls as website_urls
from website.sitemap import sitemap

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    # Ahead of Wagtail's admin: the same addresses, for the portal team only (regions/views.py).
    path(
        "admin/reports/page-types-usage/",
        require_admin_access(SiteWidePageTypesUsageReportView.as_view()),
    ),
    path(
        "admin/reports/page-types-usage/results/",
        require_admin_access(SiteWidePageTypesUsageReportView.as_view(results_only=True)),
    ),
    # Their user filters list colleagues only (regions/isolation.py).
    path("admin/reports/workflow/", require_admin_access(RegionWorkflowView.as_view())),
    path(
        "admin/reports/workflow/results/",
        require_admin_access(RegionWorkflowView.as_view(results_only=True)),
    ),
    path("admin/reports/site-history/", require_admin_access(RegionSiteHistoryView.as_view())),
    path(
        "admin/reports/site-history/results/",
        require_admin_access(RegionSiteHistoryView.as_view(results_only=True)),
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("dokumente/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("api/", include("api.urls")),
    path("", include(website_urls.single_address_urlpatterns)),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The public site: German at /, English at /en/ (core.languages).
urlpatterns += i18n_patterns(
    path("", include("applications.urls")),
    path("", include(website_urls.urlpatterns)),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

# A database outage outside a view (a middleware's query) shows the 503 page, not a 500.
handler500 = "core.middleware.server_error"
