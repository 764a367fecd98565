"""Template filters for money, tolerance and documents in the active locale."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()

CURRENCY_SYMBOLS = {
    "BRL": "R$",
    "USD": "US$",
    "EUR": "€",
    "ARS": "AR$",
    "MXN": "MX$",
    "CLP": "CLP$",
}


@register.filter
def money(value, currency_code: str = "BRL") -> str:
    """`1500` → `R$ 1.500,00` in pt-BR, `R$ 1,500.00` in English."""
    if value in (None, ""):
        return ""
    symbol = CURRENCY_SYMBOLS.get(str(currency_code).upper(), str(currency_code))
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
