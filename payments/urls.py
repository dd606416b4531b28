from django.urls import path

from payments import views

app_name = "payments"
urlpatterns = [
    path("payments/callback/<uuid:public_id>/", views.callback, name="callback"),
]
