"""Tenant admins' gateways and payments under /staff/payments/ (namespace `payments_staff`)."""

from django.urls import path

from payments import views_staff

app_name = "payments_staff"
urlpatterns = [
    path("", views_staff.home, name="home"),
    path("daily.xlsx", views_staff.daily_report, name="daily"),
    path("p/<uuid:public_id>/", views_staff.payment_detail, name="payment"),
    path("p/<uuid:public_id>/refund/", views_staff.payment_refund, name="refund"),
    path("gateways/new/", views_staff.gateway_edit, name="gateway_new"),
    path("gateways/<int:gateway_id>/", views_staff.gateway_edit, name="gateway_edit"),
]
