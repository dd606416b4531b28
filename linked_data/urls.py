"""A tenant's catalogue as CPSV-AP linked data, on its own host."""

from django.urls import path

from linked_data.views import tenant_catalogue_view

urlpatterns = [
    path("catalogue.jsonld", tenant_catalogue_view, {"fmt": "jsonld"}, name="catalogue_jsonld"),
    path("catalogue.ttl", tenant_catalogue_view, {"fmt": "ttl"}, name="catalogue_ttl"),
]
