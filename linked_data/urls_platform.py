"""The national registry's mirror as CPSV-AP linked data, on the platform domain."""

from django.urls import path

from linked_data.views import registry_catalogue_view

urlpatterns = [
    path("catalogue.jsonld", registry_catalogue_view, {"fmt": "jsonld"}, name="catalogue_jsonld"),
    path("catalogue.ttl", registry_catalogue_view, {"fmt": "ttl"}, name="catalogue_ttl"),
]
