"""The imports' section of the account page: the imports that touched the account, one tag,
so the accounts template includes it with one line and knows nothing of import jobs."""

from django import template

from imports import selectors

register = template.Library()


@register.inclusion_tag("imports/_account_imports.html")
def account_imports(account) -> dict:
    return {"account_imports": selectors.imports_touching(account_id=account.pk)}
