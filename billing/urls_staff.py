from django.urls import path

from billing import views

app_name = "billing"
urlpatterns = [
    path("", views.billing_home, name="home"),
    path("checkout/", views.billing_checkout, name="checkout"),
    path("portal/", views.billing_portal, name="portal"),
]
