"""The rules of the store's settings (VTEX's store configuration): currency, rates, day counts
and invoice reminders. Amounts are read by accounts.rules.parse_amount, like every amount."""

import re
from decimal import Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .amounts import NumberStyle
from .rules import clean_credit_limit, parse_amount

MAX_DAY_COUNT = 365
MAX_REMINDERS = 10
_time_of_day = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?")


def clean_currency_code(raw: object) -> str:
    code = str(raw or "").strip().upper()
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise ValidationError(
            _("Enter the currency's 3-letter ISO 4217 code, e.g. BRL, USD or EUR."),
            code="currency_invalid",
        )
    return code


def clean_rate(raw: object, *, style: NumberStyle = NumberStyle.UNKNOWN) -> Decimal:
    """A rate as VTEX writes it, a fraction between 0 and 1 (0.1 = 10%), 4 decimal places."""
    value = parse_amount(0 if raw in (None, "") else raw, style=style)
    if value < 0 or value > 1:
        hint = ""
        if 1 < value <= 100:
            hint = _(" Did you mean %(fraction)s = %(percent)s%%?") % {
                "fraction": (value / 100).quantize(Decimal("0.0001")).normalize(),
                "percent": format(value.normalize(), "f"),
            }
        raise ValidationError(
            _("A rate is a fraction between 0 and 1 (0.1 = 10%%).%(hint)s"),
            code="rate_out_of_range",
            params={"hint": hint},
        )
    if value != value.quantize(Decimal("0.0001")):
        raise ValidationError(
            _("A rate has at most 4 decimal places, e.g. 0.0125."), code="rate_too_precise"
        )
    return value.quantize(Decimal("0.0001"))


def clean_approval_threshold(
    raw: object, *, style: NumberStyle = NumberStyle.UNKNOWN
) -> Decimal | None:
    """An approval threshold (imports.approval): blank for none, else an amount read like a
    credit limit."""
    if raw in (None, ""):
        return None
    return clean_credit_limit(raw, style=style)


def _whole_percent(raw: object, maximum: int, default: int) -> int:
    if raw in (None, ""):
        return default
    value = parse_amount(raw)
    if value != value.to_integral_value() or not 1 <= value <= maximum:
        raise ValidationError(
            _("Enter a whole percentage from 1 to %(max)d."),
            code="percent_invalid",
            params={"max": maximum},
        )
    return int(value)


# From how big a raise, and how big a cut, of a credit limit (in %) an import warns; blank
# for the usual 200 and 90.
clean_large_increase_percent = partial(_whole_percent, maximum=100_000, default=200)
clean_large_decrease_percent = partial(_whole_percent, maximum=100, default=90)


def clean_day_count(raw: object) -> int:
    """A number of days (or of postponements): a whole number from 0 to 365."""
    value = parse_amount(0 if raw in (None, "") else raw)
    if value != value.to_integral_value() or not 0 <= value <= MAX_DAY_COUNT:
        raise ValidationError(
            _("Enter a whole number from 0 to %(max)d."),
            code="day_count_invalid",
            params={"max": MAX_DAY_COUNT},
        )
    return int(value)


def clean_reminders(raw: object) -> list[dict]:
    """Invoice reminders as VTEX's notificationsSettings lists them:
    ``[{"days": 5, "timeOfDay": "12:00:00"}, …]``, days 0–365, sorted, no repeats."""
    reminders = {}
    for reminder in raw if isinstance(raw, list) else [raw] if raw else []:
        reminder = reminder if isinstance(reminder, dict) else {}
        days = reminder.get("days")
        time_of_day = _time_of_day.fullmatch(str(reminder.get("timeOfDay", "")))
        if days is None or isinstance(days, bool) or time_of_day is None:
            raise ValidationError(
                _(
                    "Each reminder has a number of days and a time of day (HH:MM), "
                    "e.g. 5 days at 12:00."
                ),
                code="reminder_invalid",
            )
        hours, minutes, seconds = time_of_day.groups()
        reminders[clean_day_count(days)] = f"{int(hours):02d}:{minutes}:{seconds or '00'}"
    if len(reminders) > MAX_REMINDERS:
        raise ValidationError(
            _("At most %(max)d reminders."),
            code="too_many_reminders",
            params={"max": MAX_REMINDERS},
        )
    return [
        {"days": days, "timeOfDay": time_of_day}
        for days, time_of_day in sorted(reminders.items(), reverse=True)
    ]
