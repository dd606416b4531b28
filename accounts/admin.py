from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "mobile", "full_name", "role", "is_active")
    list_filter = ("role", "is_active")
    filter_horizontal = ()  # no groups or permissions (accounts.models.User)
    search_fields = ("email", "mobile", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "mobile", "mobile_verified", "password", "full_name", "role")}),
        ("دسترسی", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "role", "password1", "password2")}),)

    def has_delete_permission(self, request, obj=None):
        """Django admin serves only the public schema, where the tables of a user's tenant-side
        relations (staff memberships) do not exist, so deleting collects from missing tables
        and fails: deactivate a platform user instead."""
        return False
