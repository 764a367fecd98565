"""The ledger's rules: how amounts, installments and days are read, how an order's value is
split into installments, and how much credit an account may use.

Each refusal is a ``ValidationError`` with a stable ``code``; the API answers 409 for the
codes in ``CONFLICT_CODES`` (the request is well formed, the account's state refuses it)
and 400 for the rest.
"""

import re
from datetime import timedelta
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, StoreSettings
from accounts.rules import MAX_CREDIT_LIMIT, parse_amount

CENT = Decimal("0.01")
# VTEX: a settled transaction's first invoice is due in 30 days, each next one 30 days later;
# a pre-authorization may be settled within 30 days.
INSTALLMENT_INTERVAL = timedelta(days=30)
HOLD_LIFETIME = timedelta(days=30)
# Invoice ids end in the installment number written with two digits (`…-01`).
MAX_INSTALLMENTS = 99
MAX_DUE_DAYS = 3650
# Ids callers choose (transactions, statements) end up in URLs and invoice ids.
CALLER_ID_PATTERN = re.compile(r"[A-Za-z0-9._:@+-]{1,64}")

CONFLICT_CODES = {
    "account_closed",
    "insufficient_credit",
    "growth_limit_exceeded",
    "transaction_not_held",
    "transaction_not_settled",
    "transaction_id_taken",
    "settlement_locked",
    "refund_exceeds_settled",
    "invoice_paid",
    "invoice_cancelled",
    "invoice_not_open",
    "postponement_disabled",
    "postponement_limit_reached",
    "statement_id_reused",
}

ACCOUNT_CLOSED = _("The account is closed: no new credit can be used on it.")


def clean_field(field: str, rule, raw: object):
    """Apply a rule to one input, its error keyed by the input's name (`value`, `due_days`)."""
    try:
        return rule(raw)
    except ValidationError as error:
        raise ValidationError({field: error}) from None


def clean_amount(raw: object) -> Decimal:
    """A money amount greater than zero with at most 2 decimal places."""
    value = parse_amount(raw)
    if value <= 0:
        raise ValidationError(_("The value must be greater than zero."), code="value_not_positive")
    if value > MAX_CREDIT_LIMIT:
        raise ValidationError(
            _("The value is too large: at most %(max)s."),
            code="value_too_large",
            params={"max": MAX_CREDIT_LIMIT},
        )
    if value != value.quantize(CENT):
        raise ValidationError(
            _("The value has at most 2 decimal places, e.g. 49.90."), code="value_too_precise"
        )
    return value.quantize(CENT)


def clean_debit(raw: object) -> Decimal:
    """A debit as VTEX writes it, negative ("-15"); returns the amount to take (15.00)."""
    value = parse_amount(raw)
    if value >= 0:
        raise ValidationError(
            _('A debit is written as a negative value, e.g. "-15".'), code="debit_not_negative"
        )
    return clean_amount(-value)


def clean_whole_number(raw: object, *, minimum: int, maximum: int, code: str) -> int:
    """A whole number given as 3, 3.0 or "3", between minimum and maximum."""
    try:
        value = parse_amount(raw)
    except ValidationError:
        value = None
    if value is None or value != value.to_integral_value() or not minimum <= value <= maximum:
        raise ValidationError(
            _("Expected a whole number from %(minimum)d to %(maximum)d."),
            code=code,
            params={"minimum": minimum, "maximum": maximum},
        )
    return int(value)


def clean_installments(raw: object) -> int:
    return clean_whole_number(raw, minimum=1, maximum=MAX_INSTALLMENTS, code="installments_invalid")


def clean_due_days(raw: object) -> int:
    return clean_whole_number(raw, minimum=1, maximum=MAX_DUE_DAYS, code="due_days_invalid")


def clean_caller_id(raw: str, *, code: str) -> str:
    if not CALLER_ID_PATTERN.fullmatch(raw):
        raise ValidationError(
            _("An id has 1 to 64 characters among letters, digits and . _ : @ + -"), code=code
        )
    return raw


def split_into_installments(total: Decimal, count: int) -> list[Decimal]:
    """Equal installments in cents; the cents that do not divide go on the first (VTEX)."""
    share = (total / count).quantize(CENT, rounding=ROUND_DOWN)
    return [total - share * (count - 1)] + [share] * (count - 1)


def usage_ceiling(account: Account, store_settings: StoreSettings) -> Decimal:
    """The most credit the account may have in use: its limit, plus the tolerance if enabled."""
    tolerance = account.tolerance if store_settings.tolerance_enabled else Decimal("0")
    return (account.credit_limit * (1 + tolerance)).quantize(CENT, rounding=ROUND_DOWN)


def credit_in_use(account: Account) -> Decimal:
    """Held by pre-authorizations plus owed (a positive balance is the customer's own money)."""
    return account.pre_authorized_credit - account.balance


def check_credit_for(account: Account, *, increase: Decimal, store_settings: StoreSettings) -> None:
    """Refuse using `increase` more credit when it would pass the account's ceiling.

    Decreases are always allowed: a smaller hold or a payment never makes things worse,
    even on an account whose limit was lowered below what it already uses.
    """
    if increase <= 0:
        return
    if not account.is_open:
        raise ValidationError(ACCOUNT_CLOSED, code="account_closed")
    ceiling = usage_ceiling(account, store_settings)
    available = ceiling - credit_in_use(account)
    if increase > available:
        raise ValidationError(
            _(
                "Not enough credit: %(requested)s requested, %(available)s available "
                "(credit limit %(limit)s, tolerance included when the store enables it)."
            ),
            code="insufficient_credit",
            params={
                "requested": increase,
                "available": max(available, Decimal("0.00")),
                "limit": account.credit_limit,
            },
        )


def growth_ceiling(original_value: Decimal, store_settings: StoreSettings) -> Decimal:
    """How far a pre-authorization may grow past its first value (VTEX's
    maxPreAuthorizationGrowthRate: 0.1 lets R$ 100 become R$ 110)."""
    rate = store_settings.max_pre_authorization_growth_rate
    return (original_value * (1 + rate)).quantize(CENT, rounding=ROUND_DOWN)


def check_growth(*, original_value: Decimal, new_value: Decimal, store_settings) -> None:
    ceiling = growth_ceiling(original_value, store_settings)
    if new_value > ceiling:
        raise ValidationError(
            _(
                "The value may grow to at most %(ceiling)s: the pre-authorization started at "
                "%(original)s and the store allows %(rate)s%% growth."
            ),
            code="growth_limit_exceeded",
            params={
                "ceiling": ceiling,
                "original": original_value,
                "rate": format(
                    (store_settings.max_pre_authorization_growth_rate * 100).normalize(), "f"
                ),
            },
        )
