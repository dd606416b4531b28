from django.urls import path

from insights import views_platform

app_name = "insights"
urlpatterns = [
    path("", views_platform.overview, name="overview"),
    path("rollup/", views_platform.rollup, name="rollup"),
]
