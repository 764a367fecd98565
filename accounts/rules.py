"""The account rules, written once: how every value is read, normalized and checked.

The planner (accounts/changes) calls these for the New and Edit forms, the API and the CSV
import alike, so staff and integrations read the same message for the same mistake. Each
rule raises ``ValidationError`` with a stable ``code`` and JSON-safe ``params``; the
message comes from problems.MESSAGES when it is read. ``parse_amount`` is the only place
a number is read from text.
"""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, ProhibitNullCharactersValidator

from . import documents
from .amounts import NumberStyle, read_amount
from .models import MAX_MONEY, Account, AccountStatus, DocumentType
from .problems import DoubtfulValue, rule_error
from .text import check_visible_ascii_digits

MAX_CREDIT_LIMIT = MAX_MONEY
EMAIL_MAX_LENGTH = Account._meta.get_field("email").max_length
OTHER_DOCUMENT_MAX_LENGTH = Account._meta.get_field("document").max_length
# Ids chosen by API callers (and built from documents) must stay usable in a URL path.
ACCOUNT_ID_PATTERN = re.compile(r"[A-Za-z0-9._:@+-]{1,100}")

def _eager(pattern: re.Pattern) -> re.Pattern:
    return re.compile(pattern.pattern, pattern.flags)


# Django's own e-mail validator, with its regular expressions compiled up front instead of
# behind lazy objects: the same rule, three times faster on a 100,000-row import.
_email_validator = EmailValidator()
_email_validator.user_regex = _eager(EmailValidator.user_regex)
_email_validator.domain_regex = _eager(EmailValidator.domain_regex)
_email_validator.literal_regex = _eager(EmailValidator.literal_regex)



# --- Numbers -------------------------------------------------------------------------------


# What nearly every cell of an import holds, read the same in every style: no separator, or a
# point followed by one or two digits.
_common_number = re.compile(r"-?\d+(?:\.\d{1,2})?", re.ASCII)


def parse_amount(
    raw: object, *, style: NumberStyle = NumberStyle.UNKNOWN, decimal_places: int = 2
) -> Decimal:
    """Read a number given as Decimal, int, float or text, as ``style`` writes numbers.

    Text is read by accounts.amounts: `1.500,25`, `1,500.25`, `R$ 1.500,00`, `(1.500,00)`;
    a lone separator followed by exactly three digits (`1,500`) is never 1.50 — thousands
    where the style agrees, refused where it contradicts, problems.DoubtfulValue where
    nothing tells. Digits other than ASCII 0–9, NaN and infinity are refused; `1e400` is a
    (too large) number, not a crash.
    """
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int) and not isinstance(raw, bool):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(str(raw))
    else:
        text = str(raw)
        if _common_number.fullmatch(text):
            value = Decimal(text)
        else:
            value = read_amount(text, style, decimal_places=decimal_places)
    if not value.is_finite():
        raise rule_error("not_a_number", value=str(raw))
    return value


def clean_credit_limit(raw: object, *, style: NumberStyle = NumberStyle.UNKNOWN) -> Decimal:
    """A credit limit: money ≥ 0 with at most 2 decimal places. A doubtful reading is checked
    too, and stays a doubt if it passes."""
    try:
        value = parse_amount(raw, style=style)
    except DoubtfulValue as doubt:
        raise doubt.checked(_checked_credit_limit) from None
    return _checked_credit_limit(value)


def _checked_credit_limit(value: Decimal) -> Decimal:
    if value < 0:
        raise rule_error("credit_limit_negative")
    if value > MAX_CREDIT_LIMIT:
        raise rule_error("credit_limit_too_large", max=MAX_CREDIT_LIMIT)
    if _decimal_places(value) > 2:
        raise rule_error("credit_limit_too_precise")
    return value.quantize(Decimal("0.01"))


def _decimal_places(value: Decimal) -> int:
    """Decimal places as written: `1.500` has three, even if it equals 1.50, so an amount
    typed with a thousands separator in the wrong style is refused, never read as 1.50."""
    exponent = value.as_tuple().exponent
    return -exponent if exponent < 0 else 0


def clean_tolerance(raw: object, *, style: NumberStyle = NumberStyle.UNKNOWN) -> Decimal:
    """A tolerance: a fraction between 0 and 1 (0.05 = 5%), at most 4 decimal places.

    A percent (`20`, or `5%` in any channel) is refused with the fraction it probably meant.
    """
    text = raw.strip() if isinstance(raw, str) else raw
    is_percent = isinstance(text, str) and text.endswith("%")
    number = text.removesuffix("%") if is_percent else text
    try:
        value = parse_amount(number, style=style, decimal_places=4)
    except DoubtfulValue as doubt:
        raise doubt.checked(lambda read: _checked_tolerance(read, is_percent=is_percent)) from None
    return _checked_tolerance(value, is_percent=is_percent)


def _checked_tolerance(value: Decimal, *, is_percent: bool) -> Decimal:
    if value < 0:
        raise rule_error("tolerance_negative")
    if value > 100:
        raise rule_error("tolerance_out_of_range")
    if is_percent or value > 1:
        fraction = value / 100
        shown = fraction.quantize(Decimal("0.01"))
        raise rule_error(
            "tolerance_percent",
            fraction=shown if shown == fraction else fraction.normalize(),
            percent=value.normalize(),
        )
    if _decimal_places(value) > 4:
        raise rule_error("tolerance_too_precise")
    return value.quantize(Decimal("0.0001"))


# --- Documents -----------------------------------------------------------------------------


def _choice(raw: object, choices: list[str], code: str) -> str:
    """One of ``choices``, given in any case."""
    value = str(raw or "").strip()
    for choice in choices:
        if value.lower() == choice.lower():
            return choice
    raise rule_error(code, value=value)


def clean_document_type(raw: object) -> str:
    """Accept CPF / CNPJ / Other in any case."""
    return _choice(raw, DocumentType.values, "invalid_document_type")


def clean_document(document_type: str, raw: object, *, required: bool = True) -> str:
    """Normalize a document (digits/letters only) and check its check digits.

    A CPF/CNPJ a spreadsheet wrote as a number is read back only when exactly one reading is
    valid, as a problems.DoubtfulValue when digits were restored (accounts.documents). A
    valid document of the other type gets that hint instead of a bare refusal.
    """
    text = str(raw or "").strip()
    if not text:
        if required:
            raise rule_error("document_required")
        return ""
    text = check_visible_ascii_digits(text)
    if document_type == DocumentType.OTHER:
        if len(text) > OTHER_DOCUMENT_MAX_LENGTH:
            raise rule_error("document_too_long", max=OTHER_DOCUMENT_MAX_LENGTH)
        return text
    repaired = documents.repair_spreadsheet_document(document_type, text)
    if repaired is not None:
        if repaired.needs_review:
            raise DoubtfulValue(
                repaired.document,
                "document_changed_by_spreadsheet",
                {
                    "value": text,
                    "document_type": document_type,
                    "document": documents.format_document(document_type, repaired.document),
                },
            )
        return repaired.document
    try:
        return documents.checked_document(document_type, text)
    except ValidationError:
        for other_type in documents.DOCUMENT_LENGTHS:
            if other_type != document_type and documents.is_valid_document(other_type, text):
                raise rule_error("other_document_type", type=other_type) from None
        raise


# --- E-mail, status, id --------------------------------------------------------------------


def clean_email(raw: object) -> str:
    """Trim and lower-case; the e-mail is required on every channel and must fit its column.
    An invisible character or another script's digit is refused (accounts.text)."""
    value = str(raw or "").strip()
    if not value:
        raise rule_error("email_required")
    value = check_visible_ascii_digits(value).lower()
    if len(value) > EMAIL_MAX_LENGTH:
        raise rule_error("email_too_long", length=len(value), max=EMAIL_MAX_LENGTH)
    try:
        _email_validator(value)
    except ValidationError:
        raise rule_error("email_invalid", value=value) from None
    return value


def clean_status(raw: object) -> str:
    """Accept Open / Closed in any case."""
    return _choice(raw, AccountStatus.values, "invalid_status")


def check_status_change(old: str, new: str) -> None:
    """Closing is irreversible."""
    if old == AccountStatus.CLOSED and new == AccountStatus.OPEN:
        raise rule_error("reopen_refused")


def can_be_stored(text: str) -> bool:
    """PostgreSQL can neither store nor compare text holding NUL, so such a value (a mangled
    paste, a UTF-16 file or a workbook cell holding U+0000) never reaches a query."""
    return "\x00" not in text


def check_storable(value: object) -> None:
    """The one NUL guard of account values. The planner runs every value of every channel
    through it before any other rule (the form and the API leave NUL to it), so staff read
    one message for it everywhere and PostgreSQL never sees one."""
    if isinstance(value, str) and not can_be_stored(value):
        raise rule_error("null_character", value=storable(value))


def leave_nul_to_the_planner(field) -> None:
    """Drop the NUL validator Django's and DRF's CharField add, from a field whose value
    the planner judges: its message would differ from the one the import shows."""
    field.validators = [
        validator
        for validator in field.validators
        if not isinstance(validator, ProhibitNullCharactersValidator)
    ]


# What PostgreSQL cannot store in text: NUL, and a lone surrogate (no UTF-8 encoding exists;
# only a spreadsheet's _xD800_ escape makes one, and the import's door refuses it).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(text: str) -> str:
    """``text`` with any NUL or lone surrogate shown as �, for what is stored about a bad
    value (row errors, a job's messages)."""
    return _UNSTORABLE.sub("\ufffd", text)
