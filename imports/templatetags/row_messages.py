"""Row messages rendered in the reader's language from a code and its parameters."""

from django import template

from ..messages import render_row_message

register = template.Library()


@register.simple_tag
def row_message(code: str, params: dict) -> str:
    return render_row_message(code, params)
