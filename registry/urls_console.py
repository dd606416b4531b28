from django.urls import path

from registry import console_views

app_name = "registry_console"
urlpatterns = [
    path("", console_views.home, name="home"),
    path("sync/", console_views.sync_start, name="sync"),
    path("runs/<int:pk>/", console_views.run_detail, name="run"),
]
