"""GeoReport v2 under /open311/v2/ on a tenant's host: each endpoint as .json and .xml."""

from django.urls import path

from open311 import views

app_name = "open311"

_ENDPOINTS = [
    ("discovery", views.DiscoveryView, "discovery"),
    ("services", views.ServiceListView, "services"),
    ("services/<str:service_code>", views.ServiceDefinitionView, "service"),
    ("requests", views.RequestsView, "requests"),
    ("requests/<str:request_id>", views.RequestView, "request"),
    ("tokens/<str:token>", views.TokenView, "token"),
]

urlpatterns = [
    path(f"{route}.{fmt}", view.as_view(), {"fmt": fmt}, name=f"{name}-{fmt}")
    for route, view, name in _ENDPOINTS
    for fmt in ("json", "xml")
]
