"""The branding editor (/staff/branding/…), namespace `branding`."""

from django.urls import path

from tenants import views_branding as views

app_name = "branding"
urlpatterns = [
    path("", views.edit, name="edit"),
    path("preset/", views.preset, name="preset"),
    path("preview/", views.preview, name="preview"),
    path("publish/", views.publish, name="publish"),
    path("rollback/", views.rollback, name="rollback"),
    path("discard/", views.discard, name="discard"),
]
