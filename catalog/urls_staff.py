from django.urls import path

from catalog import views_staff as views

app_name = "catalog_staff"
urlpatterns = [
    path("", views.service_list, name="list"),
    path("add/", views.service_pick, name="pick"),
    path("export.xlsx", views.catalog_export_view, name="export"),
    path("import/", views.catalog_import_view, name="import"),
    path("units/", views.unit_list, name="units"),
    path("units/<int:unit_id>/", views.unit_list, name="unit_edit"),
    path("<str:national_id>/", views.service_edit, name="edit"),
    path("<str:national_id>/preview/", views.service_preview, name="preview"),
    path("<str:national_id>/publish/", views.service_publish_view, name="publish"),
    path("<str:national_id>/unpublish/", views.service_unpublish_view, name="unpublish"),
    path("<str:national_id>/fees/<int:change_id>/<str:decision>/", views.fee_change_decide_view, name="fee_change_decide"),
    path("<str:national_id>/bpmn/generate/", views.service_bpmn_generate, name="bpmn_generate"),
]
