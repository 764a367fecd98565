"""How staff write an amount, and what it means: 1.500 is fifteen hundred, not one and a half.

Spreadsheets and people write the same amount as 1500, 1.500,00, 1,500.00, R$ 1.500,00 or
(1.500,00). Most spellings have one reading; a single separator followed by exactly three
digits (1.500, 1,500) has two, and only the context can choose: the other amounts of the
same file, or the convention where it was written (the form's language; Excel writes `;`
files in languages with decimal commas). A money amount never has three decimals, so such a
value is read as thousands where that agrees, and is a doubt otherwise — refused only where
the file's own cells say the separator marks decimals. The import shows a doubt as a warning
beside the value it stores; the form and the API refuse it (problems.DoubtfulValue), with the
same code and message.

`read_written_amount` says what one text can mean; `read_amount` picks the meaning in a
`NumberStyle`; rules.parse_amount, the one parser of amounts, calls it for every channel.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.formats import get_format

from .problems import DoubtfulValue, rule_error
from .text import invisible_character_error


class DecimalMark(StrEnum):
    """Which character marks the decimals: 1,500.25 (point) or 1.500,25 (comma)."""

    POINT = "point"
    COMMA = "comma"


class StyleBasis(StrEnum):
    """What a number style rests on, strongest first."""

    # A file whose own amounts can only be read one way (2.345,67 or 12.5): 1.500 read the
    # other way is refused.
    CELLS = "cells"
    # The convention where the amount was written: the form's language, or the program that
    # wrote a file whose cells do not tell (Excel writes `;` files in languages with decimal
    # commas). 1.500 read the convention's way is certain, the other way a doubt.
    CONVENTION = "convention"
    # Nothing tells (the API's text, a one-row file): 1.500 stays a doubt.
    NONE = "none"
    # The file's amounts are written both ways: 1.500 cannot be read.
    MIXED = "mixed"
    # A file whose amounts have not been read yet: meeting 1.500 raises StyleUndecided, and
    # the import decides from every cell before it reads the rows again.
    PENDING = "pending"


class StyleUndecided(Exception):
    """An amount that reads two ways was met before the file's number style was decided."""


@dataclass(frozen=True, slots=True)
class Example:
    """A cell that shows a file's number style, to name it in messages."""

    row_number: int
    column: str
    text: str


# Compared and hashed by identity (eq=False): the planner remembers rule outcomes per
# (rule, value, style) for every amount cell of a file, and one file has one style.
@dataclass(frozen=True, slots=True, eq=False)
class NumberStyle:
    """How numbers are written around an amount (its decimal mark, if known) and why.

    ``NumberStyle.UNKNOWN``, ``.DECIMAL_POINT``, ``.DECIMAL_COMMA`` and ``of_active_language()``
    are the channels' styles; an import's comes from its file (imports.number_style).
    """

    mark: DecimalMark | None
    basis: StyleBasis
    # For files: a cell written in each style (the evidence messages name).
    point_example: Example | None = None
    comma_example: Example | None = None

    @classmethod
    def of_active_language(cls) -> "NumberStyle":
        """A form's style: as the staff member's language writes numbers."""
        return cls.DECIMAL_COMMA if get_format("DECIMAL_SEPARATOR") == "," else cls.DECIMAL_POINT


NumberStyle.UNKNOWN = NumberStyle(None, StyleBasis.NONE)
NumberStyle.DECIMAL_POINT = NumberStyle(DecimalMark.POINT, StyleBasis.CONVENTION)
NumberStyle.DECIMAL_COMMA = NumberStyle(DecimalMark.COMMA, StyleBasis.CONVENTION)


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
    def shows_mark(self) -> DecimalMark | None:
        """The decimal mark this value proves by having one reading only (2.345,67; 12.5)."""
        if self.with_point is None and self.with_comma is not None:
            return DecimalMark.COMMA
        if self.with_comma is None and self.with_point is not None:
            return DecimalMark.POINT
        return None

    def read_with(self, mark: DecimalMark) -> Decimal | None:
        return self.with_point if mark is DecimalMark.POINT else self.with_comma

    @property
    def thousands_mark(self) -> DecimalMark:
        """For an ambiguous value: the decimal mark with which its separator groups thousands."""
        return DecimalMark.COMMA if "." in self.text else DecimalMark.POINT


# Symbols and codes a spreadsheet's money format puts around an amount (R$ 1.500,00,
# $1,500.00, 1.500,00 €, BRL 1500): they are not part of the number.
_CURRENCY = r"(?:[A-Z]{0,2}\$|€|£|BRL|USD|EUR|ARS|MXN|CLP|COP|PEN|UYU|GBP)"
_MINUS = "\u2212-"  # the minus sign word processors write, and the hyphen
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


def _mark_pattern(decimal_mark: str, group_mark: str) -> re.Pattern:
    decimal, group = re.escape(decimal_mark), re.escape(group_mark)
    # Either plain digits, or digits grouped by three (a group never starts a number with 0),
    # then optional decimals; ".5" is a number, "." is not.
    return re.compile(
        rf"(?P<whole>[0-9]+|[1-9][0-9]{{0,2}}(?:{group}[0-9]{{3}})+)?"
        rf"(?:{decimal}(?P<decimals>[0-9]+))?",
        re.ASCII,
    )


_WITH_POINT = _mark_pattern(".", ",")
_WITH_COMMA = _mark_pattern(",", ".")


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
    match = _OUTER.fullmatch(text.strip())
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
        body = "".join(char for char in grouped.group() if char not in _SPACES) + body[
            grouped.end() :
        ]
        if any(space in body for space in _SPACES):
            return WrittenAmount(text, None, None)
    readings = [_read_body(body, _WITH_POINT, ","), _read_body(body, _WITH_COMMA, ".")]
    if negative:
        readings = [None if value is None else -value for value in readings]
    return WrittenAmount(text, readings[0], readings[1], percent=bool(match["percent"]))


def _ambiguity_params(written: WrittenAmount) -> dict:
    thousands_mark = written.thousands_mark
    thousands = written.read_with(thousands_mark)
    other = DecimalMark.POINT if thousands_mark is DecimalMark.COMMA else DecimalMark.COMMA
    return {
        "value": written.text.strip(),
        "thousands": f"{thousands:.2f}",
        "decimal": written.read_with(other).normalize(),
        "separator": "." if thousands_mark is DecimalMark.COMMA else ",",
        "plain": format(thousands, "f"),
    }


def read_amount(text: str, style: NumberStyle, *, decimal_places: int = 2) -> Decimal:
    """The value ``text`` means in ``style``.

    Raises ValidationError when it has none, problems.DoubtfulValue (holding the thousands
    reading) when nothing tells 1.500 = 1500.00 from 1.5, StyleUndecided when the style is
    still pending. ``decimal_places`` is the most the field stores (2 for money): a reading
    with more is no reading of 1.500. Range and precision are the field rule's job.
    """
    written = read_written_amount(text)
    if not written.is_number or written.percent:
        if any(char.isdigit() and not char.isascii() for char in text):
            raise rule_error("non_ascii_digits", value=text)
        # "12​3" looks like 123 to whoever reads "is not a number": name what is there.
        raise invisible_character_error(text) or rule_error("not_a_number", value=text)
    if not written.ambiguous:
        return written.with_point if written.with_point is not None else written.with_comma
    if style.basis is StyleBasis.PENDING:
        raise StyleUndecided
    params = _ambiguity_params(written)
    thousands = written.read_with(written.thousands_mark)
    if style.basis is StyleBasis.CELLS:
        value = written.read_with(style.mark)
        if value == thousands or decimal_places >= 3:
            return value
        example = style.point_example if style.mark is DecimalMark.POINT else style.comma_example
        raise rule_error(
            "amount_contradicts_file",
            **params,
            example=example.text,
            example_row=example.row_number,
        )
    if style.basis is StyleBasis.MIXED:
        point, comma = style.point_example, style.comma_example
        raise rule_error(
            "amount_mixed_styles",
            **params,
            point_row=point.row_number,
            point_example=point.text,
            comma_row=comma.row_number,
            comma_example=comma.text,
        )
    if style.basis is StyleBasis.CONVENTION and style.mark is written.thousands_mark:
        return thousands
    raise DoubtfulValue(thousands, "amount_ambiguous", params)
