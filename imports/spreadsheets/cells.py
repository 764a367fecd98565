"""Typed cells: what a spreadsheet said about a cell beyond its text.

The reader gives the engine records ``(row_number, cells)``, ``cells`` a list of ``str``,
whatever the file. A CSV gives plain strings. A spreadsheet gives, for each cell, the text a
CSV of it would hold (a date as an ISO date, a number as its digits), and marks two kinds of
cells with a subclass of ``str`` so that the engine can tell them apart:

- ``NumberCell``: the spreadsheet stored a number. Its text is the number's digits without
  ".0" (``52998224725``) or its exact decimal with a dot (``1500.5``), never an exponent;
  ``number`` is the same value as a Decimal. A document typed as a number has lost its
  leading zeros (CPF 012.345.678-90 typed as 01234567890 is stored as 1234567890).
- ``UnreadableCell``: a cell whose value the import must not use — a formula the file holds
  without its result (saved by a program that does not calculate), or an error value such
  as #N/A — and any cell that fails the import's door (``imports.door``: a control
  character, a value past the size limit). Its text is what the cell shows (the formula, the
  error, the text with � for what cannot be shown); ``code`` and ``params`` say what is
  wrong, for a row error.

Check the type before stripping or slicing: every ``str`` operation returns a plain ``str``.
"""

import re
from decimal import Decimal

# Excel keeps 15 significant digits: 0.1 + 0.2 is stored as 0.30000000000000004 and shown
# (and meant) as 0.3.
SIGNIFICANT_DIGITS = 15


class NumberCell(str):
    """A cell the spreadsheet stored as a number (see the module's docstring)."""

    __slots__ = ()

    def __new__(cls, stored: str) -> "NumberCell":
        """``stored`` is the number as the file writes it: 1500.5, 5.2998224725E10, 1E-3.

        Raises decimal.InvalidOperation when it is not a number.
        """
        match = _PLAIN_NUMBER.fullmatch(stored)
        digits = len(stored) - ("." in stored) - (stored[:1] == "-")
        if match is None or digits > SIGNIFICANT_DIGITS:
            return super().__new__(cls, _canonical(Decimal(stored)))
        # The common case, short and without exponent: only trailing zeros are dropped.
        whole, fraction = match.groups()
        fraction = (fraction or "").rstrip("0")
        if fraction:
            return super().__new__(cls, f"{whole}.{fraction}")
        return super().__new__(cls, "0" if whole == "-0" else whole)

    @property
    def number(self) -> Decimal:
        return Decimal(self)


# A number without exponent or leading zeros.
_PLAIN_NUMBER = re.compile(r"(-?(?:0|[1-9]\d*))(?:\.(\d+))?")


def _canonical(number: Decimal) -> str:
    if number and number.is_finite():
        last_digit = number.adjusted() - (SIGNIFICANT_DIGITS - 1)
        if number.as_tuple().exponent < last_digit:
            number = number.quantize(Decimal(1).scaleb(last_digit))
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


class UnreadableCell(str):
    """A cell whose value must not be imported (see the module's docstring)."""

    __slots__ = ("code", "params")
    code: str
    params: dict

    def __new__(cls, shown: str, *, code: str, params: dict | None = None) -> "UnreadableCell":
        cell = super().__new__(cls, shown)
        cell.code = code
        # The row error's parameters (imports.messages renders the message from the code).
        cell.params = {"error": shown} if params is None else params
        return cell


def formula_without_result(formula: str) -> UnreadableCell:
    return UnreadableCell(formula, code="formula_without_value")


def error_value(shown: str) -> UnreadableCell:
    return UnreadableCell(shown, code="spreadsheet_error_value")
