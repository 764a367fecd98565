"""The ledger's sections of the account page, one tag each, so the accounts template
includes them with one line and knows nothing of invoices or movements."""

from datetime import timedelta
from decimal import Decimal

from django import template
from django.utils import timezone

from accounts import display
from ledger import selectors

register = template.Library()

STATEMENT_DAYS = 90
MOVEMENTS_SHOWN = 50


@register.inclusion_tag("ledger/_account_invoices.html", takes_context=True)
def account_invoices(context, account) -> dict:
    store_settings = context["store_settings"]
    invoices = selectors.open_invoices(account=account)
    overdue = [invoice for invoice in invoices if invoice.is_overdue]
    return {
        "account": account,
        "invoices": invoices,
        "total_owed": sum((invoice.outstanding for invoice in invoices), selectors.ZERO),
        "overdue_count": len(overdue),
        "overdue_owed": sum((invoice.outstanding for invoice in overdue), selectors.ZERO),
        "currency_code": context["store_settings"].currency_code,
        # An inclusion tag sees only what it returns: the buttons need the manager's right.
        "can_change_invoices": context["request"].user.has_perm("ledger.change_invoice"),
        "can_postpone": store_settings.postponement_enabled
        and store_settings.invoice_postponement_limit > 0,
    }


@register.inclusion_tag("ledger/_account_statement.html", takes_context=True)
def account_statement(context, account) -> dict:
    since = timezone.now() - timedelta(days=STATEMENT_DAYS)
    return {
        "statement": selectors.account_statement(account=account, since=since),
        "since": since,
        "days": STATEMENT_DAYS,
        "currency_code": context["store_settings"].currency_code,
    }


@register.inclusion_tag("ledger/_account_movements.html", takes_context=True)
def account_movements(context, account) -> dict:
    movements = selectors.recent_movements(account=account, limit=MOVEMENTS_SHOWN)
    return {
        "movements": movements,
        "is_cut": len(movements) == MOVEMENTS_SHOWN,
        "currency_code": context["store_settings"].currency_code,
    }


@register.filter
def percent_number(share: float) -> str:
    """A share of the limit as a plain number from 0 to 100 (`95.5`), for a bar's width and
    aria-valuenow: never localized, never past the bar's end."""
    return f"{min(max(float(share) * 100, 0.0), 100.0):.1f}"


@register.filter
def percent_rounded(share: float) -> str:
    """A share of the limit as staff read it: `95,5%` in pt-BR, to a tenth of a percent."""
    return display.percent(Decimal(str(round(float(share), 3))))
