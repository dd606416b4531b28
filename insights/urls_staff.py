from django.urls import path, re_path

from insights import views_staff

app_name = "insights_staff"
urlpatterns = [
    path("", views_staff.report, name="report"),
    re_path(r"^export\.(?P<fmt>xlsx|csv|pdf)$", views_staff.report_export, name="export"),
]
