"""The store's settings: currency, default credit limit, tolerance on or off, VTEX's store
configuration (postponement, rates, reminders), and what an import warns about or holds for
a second manager's approval."""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts import rules, store_rules
from accounts.amounts import NumberStyle
from accounts.models import StoreSettings

# Each store setting and the rule that reads it; fields not given keep their value.
STORE_SETTING_RULES = {
    "currency_code": store_rules.clean_currency_code,
    "default_credit_limit": rules.clean_credit_limit,
    "tolerance_enabled": bool,
    "postponement_enabled": bool,
    "invoice_postponement_limit": store_rules.clean_day_count,
    "max_postponement_days": store_rules.clean_day_count,
    "daily_interest_rate": store_rules.clean_rate,
    "tax_rate": store_rules.clean_rate,
    "max_pre_authorization_growth_rate": store_rules.clean_rate,
    "automatic_account_creation_enabled": bool,
    "my_credits_enabled": bool,
    "reminders_before_due": store_rules.clean_reminders,
    "reminders_after_due": store_rules.clean_reminders,
    "large_increase_percent": store_rules.clean_large_increase_percent,
    "large_decrease_percent": store_rules.clean_large_decrease_percent,
    "approval_net_credit": store_rules.clean_approval_threshold,
    "approval_credit_limit": store_rules.clean_approval_threshold,
}
# The settings that are amounts, read in the number style of the channel that sends them.
AMOUNT_RULES = {
    rules.clean_credit_limit,
    store_rules.clean_rate,
    store_rules.clean_approval_threshold,
}


def update_store_settings(
    *, number_style: NumberStyle = NumberStyle.UNKNOWN, **values: object
) -> StoreSettings:
    """Change the given store settings (one row; see STORE_SETTING_RULES), each by its rule."""
    unknown = values.keys() - STORE_SETTING_RULES.keys()
    if unknown:
        raise TypeError(f"Unknown store settings: {', '.join(sorted(unknown))}")
    errors: dict[str, ValidationError] = {}
    cleaned: dict[str, object] = {}
    for field, raw in values.items():
        rule = STORE_SETTING_RULES[field]
        if rule in AMOUNT_RULES:
            rule = partial(rule, style=number_style)
        try:
            cleaned[field] = rule(raw)
        except ValidationError as error:
            errors[field] = error
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        store_settings = StoreSettings.load()
        for field, value in cleaned.items():
            setattr(store_settings, field, value)
        store_settings.save(update_fields=list(cleaned))
    return store_settings
