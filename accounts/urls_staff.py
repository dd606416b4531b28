from django.urls import path

from accounts import views
from notifications import views as notice_views

app_name = "staff"
urlpatterns = [
    path("", views.staff_home, name="home"),
    path("notices/<int:pk>/read/", notice_views.notice_read, name="notice_read"),
]
