"""URLs of the platform domain: the public site, the vendor console, Django admin."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from billing import api as billing_api
from insights.api import RollupView as InsightsRollupView
from mizban.favicon import favicon
from mizban.health import healthz
from mizban.readiness import readyz
from tenants import views as tenant_views

admin.site.site_header = "میزبان — پیشخوان فنی"
admin.site.site_title = "میزبان"

# A database that does not answer is a 503, not a 500 (mizban/errors.py).
handler500 = "mizban.errors.server_error"

urlpatterns = [
    path("", tenant_views.landing, name="landing"),
    path("track/", tenant_views.track_redirect, name="track_redirect"),
    path("console/billing/", include("billing.urls_console")),
    path("console/registry/", include("registry.urls_console")),
    path("console/", include("tenants.urls_console")),
    path("insights/", include("insights.urls_platform")),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("billing/stripe/webhook/", billing_api.stripe_webhook, name="stripe_webhook"),
    path("api/insights/rollup/", InsightsRollupView.as_view(), name="api-insights-rollup"),
    path("api/schema/", SpectacularAPIView.as_view(urlconf="mizban.urls_public"), name="api-schema"),
    path("", include("linked_data.urls_platform")),
    path("healthz", healthz, name="healthz"),
    # Readiness (the platform domain only: what Kubernetes probes; mizban/readiness.py).
    path("readyz", readyz, name="readyz"),
    path("favicon.ico", favicon, name="favicon"),
]
