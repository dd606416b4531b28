"""URLs of a tenant's host: the citizens' portal, staff sign-in and the staff area.

Django admin and the vendor console are not here: they exist only on the platform domain.
"""

from django.urls import include, path

from mizban.health import healthz
from portal_themes import views as portal_views

urlpatterns = [
    path("", portal_views.home, name="portal_home"),
    path("accounts/", include("allauth.urls")),
    path("staff/billing/", include("billing.urls_staff")),
    path("staff/", include("accounts.urls_staff")),
    path("api/registry/", include("registry.urls_api")),
    path("healthz", healthz, name="healthz"),
]
