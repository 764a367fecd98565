"""Django admin for the ledger: look only. Money moves through ledger.services, which lock
the account and record a movement; an editable admin would bypass both."""

from django.contrib import admin

from accounts.admin import ReadOnlyAdmin

from .models import Invoice, Movement, PreAuthorization


@admin.register(PreAuthorization)
class PreAuthorizationAdmin(ReadOnlyAdmin):
    list_display = ["id", "account", "status", "value", "settled_value", "refunded_value"]
    list_filter = ["status"]
    search_fields = ["=id", "=account__id", "=order_id"]
    show_full_result_count = False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["friendly_id", "account", "status", "value", "credit_value", "due_date"]
    list_filter = ["status"]
    search_fields = ["=id", "=friendly_id", "=account__id"]
    show_full_result_count = False


@admin.register(Movement)
class MovementAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "account", "kind", "amount", "before", "after", "channel"]
    list_filter = ["kind", "channel"]
    search_fields = ["=account__id"]
    show_full_result_count = False
