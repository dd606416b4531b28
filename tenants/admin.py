from django.contrib import admin
from django_tenants.admin import TenantAdminMixin

from tenants.models import Domain, Province, Tenant, TenantEvent


@admin.register(Tenant)
class TenantAdmin(TenantAdminMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "kind", "province", "status", "created_at")
    list_filter = ("kind", "status", "province")
    search_fields = ("name", "slug", "national_id")
    readonly_fields = ("schema_name", "status", "created_at", "updated_at")


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ("domain", "tenant", "is_primary", "is_custom", "is_verified")
    search_fields = ("domain",)


admin.site.register(Province)


@admin.register(TenantEvent)
class TenantEventAdmin(admin.ModelAdmin):
    list_display = ("tenant", "action", "from_status", "to_status", "actor", "created_at")
    list_filter = ("action",)
