"""The staff area's home and notices, and the message templates: accounts' part of the `staff`
namespace (assembled with the team and audit pages in mizban/urls_staff.py)."""

from django.urls import path

from accounts import views, views_notices

urlpatterns = [
    path("", views.staff_home, name="home"),
    path("notices/<int:pk>/read/", views_notices.notice_read, name="notice_read"),
    path("messages/", views_notices.message_templates, name="messages"),
]
