"""Tenant admins' questionnaires under /staff/surveys/ (namespace `staff_surveys`)."""

from django.urls import path

from intake.surveys import views_questionnaires

app_name = "staff_surveys"
urlpatterns = [
    path("", views_questionnaires.questionnaires, name="list"),
    path("new/", views_questionnaires.questionnaire_new, name="new"),
    path("services/", views_questionnaires.services_choose, name="services"),
]
