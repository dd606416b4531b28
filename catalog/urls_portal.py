from django.urls import path

from catalog import views_portal as views

urlpatterns = [
    path("services/", views.service_list, name="service_list"),
    path("services/<str:national_id>/", views.service_page, name="service_page"),
    path("services/<str:national_id>/card/", views.service_card, name="service_card"),
    path("services/<str:national_id>/forms/<int:form_id>/", views.service_form_download, name="service_form"),
    path("services/<str:national_id>/package.pdf", views.service_package_pdf, name="service_package"),
    path("units/", views.units, name="units"),
    path("faq/", views.faq, name="faq"),
]
