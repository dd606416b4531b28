from django.urls import path

from tenants import console_views

app_name = "console"
urlpatterns = [
    path("", console_views.home, name="home"),
    path("tenants/new/", console_views.onboard, name="onboard"),
    path("migrations/", console_views.migrations, name="migrations"),
    path("rebalance/", console_views.tenants_rebalance, name="rebalance"),
    path("tenants/<slug:slug>/", console_views.tenant_detail, name="tenant"),
    path("tenants/<slug:slug>/status/<str:action>/", console_views.tenant_status, name="tenant_status"),
    path("tenants/<slug:slug>/move/", console_views.tenant_move, name="tenant_move"),
    path("tenants/<slug:slug>/domains/add", console_views.tenant_domain_add, name="domain_add"),
    path("tenants/<slug:slug>/domains/<int:domain_id>/verify", console_views.tenant_domain_verify, name="domain_verify"),
]
