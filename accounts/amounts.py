"""How staff write an amount, and what it means: 1.500 is fifteen hundred, not one and a half.

Spreadsheets and people write the same amount as 1500, 1.500,00, 1,500.00, R$ 1.500,00 or
(1.500,00). Most spellings have one reading; a single separator followed by exactly three
digits (1.500, 1,500) has two, and only the context can choose: the language of the form,
the API's JSON, or the other amounts of the same file. A money amount never has three
decimals, so such a value is read as thousands; it is refused where the context says the
separator marks decimals, and shown as a doubt (a warning) where nothing says either way.

`read_written_amount` says what one text can mean; `read_amount` picks the meaning in a
context. Both are pure, so the form, the API and the import can share them.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _


class NumberStyle(StrEnum):
    """Which character marks the decimals: 1,500.25 (point) or 1.500,25 (comma)."""

    DECIMAL_POINT = "decimal_point"
    DECIMAL_COMMA = "decimal_comma"

    @property
    def decimal_mark(self) -> str:
        return "." if self is NumberStyle.DECIMAL_POINT else ","


class StyleBasis(StrEnum):
    """What the number style of a context rests on, strongest first."""

    # The channel states it: the form's language, the API's JSON.
    STATED = "stated"
    # A file whose own amounts can only be read one way (2.345,67 or 12.5).
    CELLS = "cells"
    # A file whose cells do not tell, written by a program that usually means one style
    # (Excel saves `;` files in languages with decimal commas).
    FILE_FORMAT = "file_format"
    # Nothing tells: a value such as 1.500 stays a doubt.
    NONE = "none"
    # The file's amounts are written both ways: a value such as 1.500 cannot be read.
    MIXED = "mixed"


@dataclass(frozen=True, slots=True)
class Example:
    """A cell that shows a file's number style, to name it in messages."""

    row_number: int
    column: str
    text: str


@dataclass(frozen=True, slots=True)
class NumberContext:
    """The number style around an amount, and what it rests on."""

    style: NumberStyle | None
    basis: StyleBasis
    # For files: a cell written in each style (the evidence named in messages).
    point_example: Example | None = None
    comma_example: Example | None = None

    @property
    def decided(self) -> bool:
        """The context settles 1.500 one way, so a contradiction is an error."""
        return self.basis in (StyleBasis.STATED, StyleBasis.CELLS)


API_CONTEXT = NumberContext(NumberStyle.DECIMAL_POINT, StyleBasis.STATED)


def stated_context(decimal_separator: str) -> NumberContext:
    """The context of a form in the active language (its DECIMAL_SEPARATOR format)."""
    style = NumberStyle.DECIMAL_COMMA if decimal_separator == "," else NumberStyle.DECIMAL_POINT
    return NumberContext(style, StyleBasis.STATED)


@dataclass(frozen=True, slots=True)
class WrittenAmount:
    """What one written amount can mean: its value read with each decimal mark."""

    text: str
    with_point: Decimal | None  # None: not a number when "." marks decimals
    with_comma: Decimal | None
    percent: bool = False

    @property
    def is_number(self) -> bool:
        return self.with_point is not None or self.with_comma is not None

    @property
    def ambiguous(self) -> bool:
        """1.500 or 1,500: fifteen hundred or one and a half, depending on the style."""
        return (
            self.with_point is not None
            and self.with_comma is not None
            and self.with_point != self.with_comma
        )

    @property
    def shows_style(self) -> NumberStyle | None:
        """The style this value proves by having one reading only (2.345,67; 12.5)."""
        if self.with_point is None and self.with_comma is not None:
            return NumberStyle.DECIMAL_COMMA
        if self.with_comma is None and self.with_point is not None:
            return NumberStyle.DECIMAL_POINT
        return None

    def read_with(self, style: NumberStyle) -> Decimal | None:
        return self.with_point if style is NumberStyle.DECIMAL_POINT else self.with_comma

    @property
    def thousands_style(self) -> NumberStyle:
        """For an ambiguous value: the style in which its separator groups thousands."""
        return (
            NumberStyle.DECIMAL_COMMA
            if "." in _separators(self.text)
            else NumberStyle.DECIMAL_POINT
        )


# Symbols and codes a spreadsheet's money format puts around an amount (R$ 1.500,00,
# $1,500.00, 1.500,00 €, BRL 1500): they are not part of the number.
_CURRENCY = r"(?:[A-Z]{0,2}\$|€|£|BRL|USD|EUR|ARS|MXN|CLP|COP|PEN|UYU|GBP)"
_MINUS = "\u2212-"  # the minus sign, and the one word processors and some locales write
_SPACES = "\u00a0\u202f\u2009 "  # spaces that group thousands: 1 500,00
_GAP = rf"[\s{_SPACES}]*"
_OUTER = re.compile(
    rf"""
    (?P<open>\()?{_GAP}
    (?P<sign>[+{_MINUS}])?{_GAP}
    (?:{_CURRENCY}{_GAP})?
    (?P<inner_sign>[+{_MINUS}])?
    (?P<body>[0-9.,{_SPACES}]*[0-9][0-9.,{_SPACES}]*(?:[eE][+-]?[0-9]+)?)
    {_GAP}(?:{_CURRENCY})?{_GAP}
    (?P<trailing_sign>[{_MINUS}])?{_GAP}
    (?P<close>\))?{_GAP}
    (?P<percent>%)?
    """,
    re.VERBOSE | re.ASCII,
)
_EXPONENT = re.compile(r"[eE][+-]?[0-9]+$")
_SPACE_GROUPED = re.compile(rf"[0-9]{{1,3}}(?:[{_SPACES}][0-9]{{3}})+(?=[.,]|$)")


def _style_pattern(decimal_mark: str, group_mark: str) -> re.Pattern:
    decimal, group = re.escape(decimal_mark), re.escape(group_mark)
    # Either plain digits, or digits grouped by three (a group never starts a number with 0),
    # then optional decimals; ".5" is a number, "." is not.
    return re.compile(
        rf"(?P<whole>[0-9]+|[1-9][0-9]{{0,2}}(?:{group}[0-9]{{3}})+)?"
        rf"(?:{decimal}(?P<decimals>[0-9]+))?",
        re.ASCII,
    )


_WITH_POINT = _style_pattern(".", ",")
_WITH_COMMA = _style_pattern(",", ".")


def _separators(text: str) -> str:
    return "".join(char for char in text if char in ".,")


def _read_body(body: str, pattern: re.Pattern, group_mark: str) -> Decimal | None:
    exponent = ""
    if match := _EXPONENT.search(body):
        exponent, body = match.group(), body[: match.start()]
    match = pattern.fullmatch(body)
    if match is None or not (match["whole"] or match["decimals"]):
        return None
    whole = (match["whole"] or "0").replace(group_mark, "")
    decimals = f".{match['decimals']}" if match["decimals"] else ""
    # Built from text, never through float: the value is exactly what was written.
    return Decimal(f"{whole}{decimals}{exponent}")


def read_written_amount(text: str) -> WrittenAmount:
    """Every reading of a written amount: with a decimal point and with a decimal comma.

    Accepts an optional currency symbol or code, a sign (-, +, a trailing minus or the
    accounting parentheses of (1.500,00)), spaces grouping thousands and a trailing %.
    ASCII digits only: other scripts' digits are not read.
    """
    stripped = text.strip()
    match = _OUTER.fullmatch(stripped)
    if match is None or bool(match["open"]) != bool(match["close"]):
        return WrittenAmount(text, None, None)
    signs = [match[name] for name in ("sign", "inner_sign", "trailing_sign") if match[name]]
    if len(signs) > 1 or (match["open"] and signs):
        return WrittenAmount(text, None, None)
    negative = bool(match["open"]) or (bool(signs) and signs[0] != "+")
    body = match["body"].strip(_SPACES)
    if any(space in body for space in _SPACES):
        grouped = _SPACE_GROUPED.match(body)
        if grouped is None:
            return WrittenAmount(text, None, None)
        body = "".join(
            char for char in grouped.group() if char not in _SPACES
        ) + body[grouped.end() :]
        if any(space in body for space in _SPACES):
            return WrittenAmount(text, None, None)
    readings = [_read_body(body, _WITH_POINT, ","), _read_body(body, _WITH_COMMA, ".")]
    if negative:
        readings = [None if value is None else -value for value in readings]
    return WrittenAmount(text, readings[0], readings[1], percent=bool(match["percent"]))


@dataclass(frozen=True, slots=True)
class AmountDoubt:
    """A reading that will be used but deserves a look: a warning with a code and params."""

    code: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        return render_amount_message(self.code, self.params)


@dataclass(frozen=True, slots=True)
class AmountReading:
    """The value an amount is read as, and the doubt to show with it, if any."""

    value: Decimal
    percent: bool = False
    doubt: AmountDoubt | None = None


MESSAGES = {
    "not_a_number": _("“%(value)s” is not a number."),
    "amount_read_as_thousands": _(
        "“%(value)s” was read as %(read_as)s, with “%(separator)s” separating thousands, "
        "not as %(other)s: an amount has at most two decimals. If you meant %(other)s, "
        "write it with two decimals; if %(read_as)s is right, write %(plain)s."
    ),
    "amount_three_decimals": _(
        "“%(value)s” would be %(other)s here, where “%(separator)s” marks the decimals, and "
        "an amount has at most two decimals. For %(read_as)s write %(plain)s; otherwise "
        "write the amount with two decimals."
    ),
    "amount_contradicts_file": _(
        "In this file “%(separator)s” marks the decimals (row %(example_row)s: "
        "“%(example)s”), so “%(value)s” would be %(other)s, with three decimals. For "
        "%(read_as)s write %(plain)s; otherwise write the amount with two decimals."
    ),
    "amount_mixed_styles": _(
        "“%(value)s” can be %(read_as)s or %(other)s, and this file writes amounts both ways "
        "(row %(point_row)s: “%(point_example)s”; row %(comma_row)s: “%(comma_example)s”). "
        "Write %(plain)s for %(read_as)s, or the amount with two decimals."
    ),
}
# Params holding amounts, shown in the reader's own notation when a message is rendered.
_AMOUNT_PARAMS = {"read_as": 2, "other": None}


def render_amount_message(code: str, params: dict) -> str:
    """The message of an amount problem in the active language, its amounts localized."""
    shown = dict(params)
    for name, places in _AMOUNT_PARAMS.items():
        if name in shown:
            shown[name] = number_format(
                Decimal(shown[name]), decimal_pos=places, use_l10n=True, force_grouping=True
            )
    return MESSAGES[code] % shown


def _ambiguity_params(written: WrittenAmount) -> dict:
    thousands_style = written.thousands_style
    thousands = written.read_with(thousands_style)
    other_style = (
        NumberStyle.DECIMAL_POINT
        if thousands_style is NumberStyle.DECIMAL_COMMA
        else NumberStyle.DECIMAL_COMMA
    )
    other = written.read_with(other_style)
    return {
        "value": written.text.strip(),
        "read_as": str(thousands),
        "other": str(other.normalize()),
        "separator": _separators(written.text),
        "plain": format(thousands, "f"),
    }


def _problem(code: str, params: dict) -> ValidationError:
    # The message is rendered now (amounts in the reader's notation) and the params kept raw
    # for storage; Django formats a message with its params again, hence the doubled %.
    message = render_amount_message(code, params).replace("%", "%%")
    return ValidationError(message, code=code, params=params)


def read_amount(text: str, context: NumberContext, *, decimal_places: int = 2) -> AmountReading:
    """The value ``text`` means in ``context``; raises ValidationError when it has none.

    ``decimal_places`` is the most the field stores (2 for money): a reading with more
    decimals than that is no reading of 1.500. Range and precision are the field rule's job.
    """
    written = read_written_amount(text)
    if not written.is_number:
        raise _problem("not_a_number", {"value": text})
    percent = written.percent
    if not written.ambiguous:
        value = written.with_point if written.with_point is not None else written.with_comma
        return AmountReading(value, percent)
    params = _ambiguity_params(written)
    thousands = Decimal(params["read_as"])
    if context.decided:
        value = written.read_with(context.style)
        if value != thousands and decimal_places < 3:
            example = (
                context.point_example
                if context.style is NumberStyle.DECIMAL_POINT
                else context.comma_example
            )
            if example is None:
                raise _problem("amount_three_decimals", params)
            raise _problem(
                "amount_contradicts_file",
                {**params, "example": example.text, "example_row": example.row_number},
            )
        return AmountReading(value, percent)
    if context.basis is StyleBasis.MIXED:
        point, comma = context.point_example, context.comma_example
        raise _problem(
            "amount_mixed_styles",
            {
                **params,
                "point_row": point.row_number,
                "point_example": point.text,
                "comma_row": comma.row_number,
                "comma_example": comma.text,
            },
        )
    if context.basis is StyleBasis.FILE_FORMAT and context.style is written.thousands_style:
        return AmountReading(thousands, percent)
    return AmountReading(thousands, percent, AmountDoubt("amount_read_as_thousands", params))
