"""Template filters for money, tolerance and documents in the active locale."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

from ..models import AccountStatus, DocumentType
from ..rules import format_document

register = template.Library()

CURRENCY_SYMBOLS = {
    "BRL": "R$",
    "USD": "US$",
    "EUR": "€",
    "ARS": "AR$",
    "MXN": "MX$",
    "CLP": "CLP$",
    "COP": "COL$",
    "PEN": "S/",
    "UYU": "$U",
    "GBP": "£",
}
MONEY_FIELDS = {"credit_limit", "balance", "pre_authorized_credit", "default_credit_limit"}


@register.filter
def currency_symbol(currency_code) -> str:
    """`BRL` → `R$`; an unknown code is shown as the code itself."""
    code = str(currency_code or "").upper()
    return CURRENCY_SYMBOLS.get(code, code)


@register.filter
def money(value, currency_code: str = "BRL") -> str:
    """`1500` → `R$ 1.500,00` in pt-BR, `R$ 1,500.00` in English."""
    if value in (None, ""):
        return ""
    symbol = currency_symbol(currency_code)
    amount = number_format(Decimal(value), 2, use_l10n=True, force_grouping=True)
    if amount.startswith("-"):
        return f"-{symbol}\u00a0{amount[1:]}"
    return f"{symbol}\u00a0{amount}"


@register.filter
def percent(fraction) -> str:
    """`0.05` → `5%`, `0.125` → `12,5%` in pt-BR."""
    if fraction in (None, ""):
        return ""
    value = (Decimal(fraction) * 100).normalize()
    places = max(0, -value.as_tuple().exponent)
    return f"{number_format(value, places, use_l10n=True)}%"


@register.simple_tag(takes_context=True)
def account_value(context, field: str, value, document_type: str = "") -> str:
    """An account field's value as staff read it elsewhere on the page (history old → new).

    Money with the store currency, tolerance as %, status and document type by their
    labels, documents with their mask. Empty values render as "—".
    """
    if value in (None, ""):
        return "—"
    if field in MONEY_FIELDS or field == "tolerance":
        try:
            amount = Decimal(value)
        except (InvalidOperation, TypeError, ValueError):
            return str(value)
        if field == "tolerance":
            return percent(amount)
        store_settings = context.get("store_settings")
        return money(amount, getattr(store_settings, "currency_code", "BRL"))
    if field == "status":
        return str(AccountStatus(value).label) if value in AccountStatus.values else str(value)
    if field == "document_type":
        return str(DocumentType(value).label) if value in DocumentType.values else str(value)
    if field == "document":
        return format_document(document_type, str(value))
    return str(value)
