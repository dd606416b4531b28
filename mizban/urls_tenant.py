"""URLs of a tenant's host: the citizens' portal, staff sign-in and the staff area.

Django admin and the vendor console are not here: they exist only on the platform domain.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from catalog.api import PublicServiceViewSet
from insights.api import ReportView as InsightsReportView
from intake.citizen.api import RequestSubmitView, RequestTrackView
from mizban.favicon import favicon
from mizban.health import healthz
from portal_themes import views as portal_views

public_api = DefaultRouter()
public_api.register("services", PublicServiceViewSet, basename="public-service")

# A database that does not answer is a 503, not a 500 (mizban/errors.py).
handler500 = "mizban.errors.server_error"

urlpatterns = [
    path("", portal_views.home, name="portal_home"),
    path("accounts/", include("allauth.urls")),
    path("staff/catalog/", include("catalog.urls_staff")),
    path("staff/billing/", include("billing.urls_staff")),
    path("staff/requests/", include("intake.casework.urls")),
    path("staff/surveys/", include("intake.surveys.urls_staff")),
    path("staff/reports/", include("insights.urls_staff")),
    path("staff/payments/", include("payments.urls_staff")),
    path("staff/branding/", include("tenants.urls_branding")),
    path("branding/", include("portal_themes.urls_assets")),
    path("staff/", include("mizban.urls_staff")),
    path("", include("catalog.urls_portal")),
    path("", include("intake.citizen.urls")),
    path("", include("payments.urls")),
    path("api/catalog/", include(public_api.urls)),
    path("api/requests/", RequestSubmitView.as_view(), name="api-request-submit"),
    path("api/requests/track/", RequestTrackView.as_view(), name="api-request-track"),
    path("api/insights/report/", InsightsReportView.as_view(), name="api-insights-report"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/registry/", include("registry.urls_api")),
    path("open311/v2/", include("open311.urls")),
    path("", include("linked_data.urls")),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
]
