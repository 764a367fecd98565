from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Account, StoreSettings


@admin.register(Account)
class AccountAdmin(SimpleHistoryAdmin):
    list_display = ["email", "document_type", "document", "credit_limit", "tolerance", "status"]
    list_filter = ["status", "document_type"]
    search_fields = ["=id", "email", "=document"]
    readonly_fields = ["balance", "pre_authorized_credit", "created_at", "updated_at", "version"]


@admin.register(StoreSettings)
class StoreSettingsAdmin(admin.ModelAdmin):
    list_display = ["currency_code", "default_credit_limit", "tolerance_enabled"]
