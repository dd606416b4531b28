"""The theme's files on a tenant's host (/branding/…)."""

from django.urls import path

from portal_themes import views

urlpatterns = [
    path("theme.css", views.theme_css, name="theme_css"),
    path("logo.png", views.logo, name="theme_logo"),
    path("favicon.png", views.favicon_png, name="theme_favicon"),
]
