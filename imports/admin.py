from django.contrib import admin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs change status through the import pages and services only."""

    list_display = ["id", "created_at", "created_by", "original_name", "status", "error_count"]
    list_filter = ["status"]
    list_select_related = ["created_by"]
    search_fields = ["=id", "original_name", "fingerprint"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
