from django.urls import path

from registry import api

app_name = "registry_api"
urlpatterns = [
    path("services/", api.NationalServiceList.as_view(), name="services"),
    path("services/<str:service_id>/", api.NationalServiceDetail.as_view(), name="service"),
]
