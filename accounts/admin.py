"""Django admin for accounts: look only.

Every write goes through accounts/services (the planner, duplicate checks, history with its
channel); an editable admin would be a way around all of it, so Account and the store
settings are read-only here and staff use the Accounts pages instead.
"""

from django.contrib import admin

from .models import Account, StoreSettings


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    # Plain ModelAdmin, not simple_history's: its history form view saves a POSTed old
    # version for anyone who may view, which would be a revert that skips the rules.
    list_display = ["email", "document_type", "document", "credit_limit", "tolerance", "status"]
    list_filter = ["status", "document_type"]
    search_fields = ["=id", "=email", "=document"]
    show_full_result_count = False  # no COUNT(*) over a million accounts per page


@admin.register(StoreSettings)
class StoreSettingsAdmin(ReadOnlyAdmin):
    list_display = ["currency_code", "default_credit_limit", "tolerance_enabled"]
