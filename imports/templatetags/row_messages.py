"""Row messages rendered in the reader's language from a code and its parameters, and the
values of the change sample as the account page shows them."""

from django import template

from accounts.display import account_value_text

from ..columns import match_header
from ..messages import render_row_message

register = template.Library()


@register.simple_tag
def row_message(code: str, params: dict) -> str:
    return render_row_message(code, params)


@register.simple_tag(takes_context=True)
def sample_value(context, entry: dict, column: str, value: str) -> str:
    """A value of the change sample (stored as the planner's text: 1500.50, 0.0500, a bare
    document) in the reader's locale: money in the store currency, tolerance as %, status and
    document type by their labels, the document masked by the row's document type."""
    document_type = next(
        (new for name, _old, new in entry["changes"] if match_header(name) == "document_type"),
        "",
    )
    store_settings = context.get("store_settings")
    return account_value_text(
        match_header(column) or "",
        value,
        currency_code=getattr(store_settings, "currency_code", "BRL"),
        document_type=document_type,
    )
