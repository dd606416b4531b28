"""The audit page, part of the staff area's `staff` namespace (assembled in mizban/urls_staff.py)."""

from django.urls import path

from insights import views_audit

urlpatterns = [
    path("audit/", views_audit.audit, name="audit"),
]
