"""How account values read on screen, in the active language: money, tolerance, documents.

The one place that formats money and account values: forms (placeholders, help texts),
views (messages), the template filters and rendered problem messages all call it.
"""

from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format

from .documents import format_document
from .models import AccountStatus, DocumentType

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


def currency_symbol(currency_code: object) -> str:
    """`BRL` → `R$`; an unknown code is shown as the code itself."""
    code = str(currency_code or "").upper()
    return CURRENCY_SYMBOLS.get(code, code)


def amount(value: Decimal | int | str, *, places: int = 2) -> str:
    """`1500` → `1.500,00` in pt-BR, `1,500.00` in English: two decimals (or ``places``),
    grouped, and no symbol (for an input that already shows the currency beside it)."""
    return number_format(Decimal(value), places, use_l10n=True, force_grouping=True)


def money(
    value: Decimal | int | str | None, currency_code: str = "BRL", *, places: int = 2
) -> str:
    """`1500` → `R$ 1.500,00` in pt-BR, `R$ 1,500.00` in English; `places=0` gives whole
    amounts (`R$ 12.000`, a chart's axis)."""
    if value in (None, ""):
        return ""
    symbol = currency_symbol(currency_code)
    text = amount(value, places=places)
    if text.startswith("-"):
        return f"-{symbol}\u00a0{text[1:]}"
    return f"{symbol}\u00a0{text}"


def signed_money(value: Decimal | int | str, currency_code: str = "BRL") -> str:
    """A change of money: `+R$ 1.500,00`, `-R$ 200,00`, and `R$ 0,00` for no change."""
    number = Decimal(value)
    return f"+{money(number, currency_code)}" if number > 0 else money(number, currency_code)


def percent(fraction: Decimal | int | str | None) -> str:
    """`0.05` → `5%`, `0.125` → `12,5%` in pt-BR."""
    if fraction in (None, ""):
        return ""
    value = (Decimal(fraction) * 100).normalize()
    places = max(0, -value.as_tuple().exponent)
    return f"{number_format(value, places, use_l10n=True)}%"


def plain_number(value: Decimal | int | str) -> str:
    """A number with the active language's decimal separator and no grouping (`0.20` →
    `0,20` in pt-BR): for numbers inside messages, where grouping could be misread."""
    return number_format(Decimal(value), use_l10n=True)


def account_value_text(
    field: str, value: object, *, currency_code: str | None = None, document_type: str = ""
) -> str:
    """An account field's value as staff read it elsewhere: money (with the currency when
    given), tolerance as %, status and document type by their labels, documents masked.
    Empty values read "—"."""
    if value in (None, ""):
        return "—"
    if field in MONEY_FIELDS or field == "tolerance":
        try:
            number = Decimal(value)
        except (InvalidOperation, TypeError, ValueError):
            return str(value)
        if field == "tolerance":
            return percent(number)
        return money(number, currency_code) if currency_code else amount(number)
    if field == "status":
        return str(AccountStatus(value).label) if value in AccountStatus.values else str(value)
    if field == "document_type":
        return str(DocumentType(value).label) if value in DocumentType.values else str(value)
    if field == "document":
        return format_document(document_type, str(value))
    return str(value)
