from django.contrib import admin

from registry.models import InvalidRow, NationalService, SyncRun


@admin.register(NationalService)
class NationalServiceAdmin(admin.ModelAdmin):
    """Read-only: the mirror changes only through a sync."""

    list_display = ("service_id", "title", "agency_name", "status", "has_short_id", "missing_since")
    list_filter = ("status", "has_short_id")
    search_fields = ("service_id", "title")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class InvalidRowInline(admin.TabularInline):
    model = InvalidRow
    extra = 0
    can_delete = False
    readonly_fields = ("line", "service_id", "reason", "detail")


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    list_display = ("pk", "source", "outcome", "created_at", "added", "changed", "retired", "missing", "unchanged", "invalid")
    list_filter = ("outcome",)
    inlines = [InvalidRowInline]

    def has_change_permission(self, request, obj=None):
        return False
