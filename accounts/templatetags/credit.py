"""Template filters for money, tolerance and account values (formatted by accounts.display)."""

from django import template

from .. import display
from ..history import stored_text

register = template.Library()

currency_symbol = register.filter("currency_symbol", display.currency_symbol)
money = register.filter("money", display.money)
signed_money = register.filter("signed_money", display.signed_money)
percent = register.filter("percent", display.percent)
# A recorded source ("Import #12 row 5", "API key ERP") in the reader's language.
source_text = register.filter("source_text", stored_text)


@register.simple_tag(takes_context=True)
def account_value(context, field: str, value, document_type: str = "") -> str:
    """An account field's value as staff read it elsewhere on the page (history old → new),
    money in the store currency."""
    store_settings = context.get("store_settings")
    return display.account_value_text(
        field,
        value,
        currency_code=getattr(store_settings, "currency_code", "BRL"),
        document_type=document_type,
    )
