"""The API keys page, part of the staff area's `staff` namespace (assembled in mizban/urls_staff.py)."""

from django.urls import path

from open311 import views_keys

urlpatterns = [
    path("api-keys/", views_keys.api_keys, name="api_keys"),
    path("api-keys/<int:key_id>/revoke/", views_keys.api_key_revoke_view, name="api_key_revoke"),
]
