from django.urls import path

from billing import console_views

app_name = "billing_console"
urlpatterns = [
    path("", console_views.overview, name="overview"),
    path("steps/<int:step_id>/retry", console_views.step_retry, name="step_retry"),
    path("plans/", console_views.plan_list, name="plans"),
    path("plans/new/", console_views.plan_edit, name="plan_new"),
    path("plans/<int:plan_id>/", console_views.plan_edit, name="plan_edit"),
]
