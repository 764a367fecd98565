"""CPF and CNPJ: check digits, masks, and reading back one a spreadsheet turned into a number.

A spreadsheet that takes a document for a number drops its leading zeros (08532061982 →
8532061982), may write it as a float (8532061982.0), with thousands separators
(8.532.061.982) or in scientific notation (5,29982E+10, which keeps only the first digits).
Reading such a cell as text is how 8532061982.0 became 853.206.198-20: another person's valid
CPF. So a cell of that shape is read as the number it is, its leading zeros restored, and
accepted only when exactly one reading is a valid document of the row's type (the repair is
a doubt: a warning in an import). When digits were lost (scientific notation), or no single
reading is valid, it is refused with the fix: format the column as text, type it again.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from operator import mul

from django.core.exceptions import ValidationError

from .models import DocumentType
from .problems import rule_error

DOCUMENT_LENGTHS = {DocumentType.CPF: 11, DocumentType.CNPJ: 14}
CPF_WEIGHTS = (tuple(range(10, 1, -1)), tuple(range(11, 1, -1)))
CNPJ_WEIGHTS = ((5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2), (6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2))
DOCUMENT_SEPARATORS = re.compile(r"[\s./\-]")


def _check_digit(base: str, weights: tuple[int, ...]) -> str:
    # Each character counts as its ASCII code − 48, so the 2026 alphanumeric CNPJ works too.
    # Summed by map() in C, the 48s taken off once: this runs twice per document of every
    # import row, and a generator here was a fifth of a 100,000-row create.
    if len(base) != len(weights):
        raise ValueError(f"a check digit needs {len(weights)} characters, not {len(base)}")
    remainder = (sum(map(mul, map(ord, base), weights)) - 48 * sum(weights)) % 11
    return "0" if remainder < 2 else str(11 - remainder)


def with_check_digits(base: str, weights: tuple[tuple[int, ...], tuple[int, ...]]) -> str:
    """Append the two check digits of a CPF (9 digits) or CNPJ (12 characters) base."""
    first = _check_digit(base, weights[0])
    return base + first + _check_digit(base + first, weights[1])


def has_valid_check_digits(document: str, weights) -> bool:
    """The Receita Federal check-digit rule (python-stdnum's br.cpf / br.cnpj agree: the tests
    compare them); computed here because it runs once per row of every import."""
    return with_check_digits(document[:-2], weights) == document


def checked_cpf(compact: str) -> str:
    if not (compact.isascii() and compact.isdigit()) or len(compact) != 11:
        raise rule_error("cpf_invalid_length")
    if len(set(compact)) == 1 or not has_valid_check_digits(compact, CPF_WEIGHTS):
        raise rule_error("cpf_invalid_check_digits")
    return compact


def checked_cnpj(compact: str) -> str:
    if (
        len(compact) != 14
        or not compact.isascii()
        or not compact.isalnum()
        or not compact[12:].isdigit()
    ):
        raise rule_error("cnpj_invalid_length")
    if len(set(compact)) == 1 or not has_valid_check_digits(compact, CNPJ_WEIGHTS):
        raise rule_error("cnpj_invalid_check_digits")
    return compact


def checked_document(document_type: str, text: str) -> str:
    """A CPF/CNPJ without its punctuation, its check digits verified; raises rule errors."""
    compact = DOCUMENT_SEPARATORS.sub("", text).upper()
    return checked_cpf(compact) if document_type == DocumentType.CPF else checked_cnpj(compact)


def is_valid_document(document_type: str, text: str) -> bool:
    try:
        checked_document(document_type, text)
    except ValidationError:
        return False
    return True


def format_document(document_type: str, document: str) -> str:
    """Show a stored document with its usual mask."""
    if document_type == DocumentType.CPF and len(document) == 11:
        return f"{document[:3]}.{document[3:6]}.{document[6:9]}-{document[9:]}"
    if document_type == DocumentType.CNPJ and len(document) == 14:
        return f"{document[:2]}.{document[2:5]}.{document[5:8]}/{document[8:12]}-{document[12:]}"
    return document


# --- A document a spreadsheet turned into a number --------------------------------------------

# 8532061982.0 · 8532061982,00 — and 434,000, which may also be 434000 with a separator
_DECIMAL_ZEROS = re.compile(r"(?P<whole>[0-9]+)[.,]0+", re.ASCII)
# 8.532.061.982 · 52,998,224,725.00 · 8 532 061 982
_GROUPED = re.compile(
    r"(?P<whole>[0-9]{1,3}(?P<group>[., \u00a0])[0-9]{3}(?:(?P=group)[0-9]{3})*)"
    r"(?:(?P<mark>[.,])0+)?",
    re.ASCII,
)
# 5,29982E+10 · 8.532061982E+09 · 5.2998224725e10
_SCIENTIFIC = re.compile(
    r"(?P<whole>[0-9]+)(?:[.,](?P<fraction>[0-9]+))?[eE]\+?(?P<exponent>[0-9]{1,2})", re.ASCII
)


# Excel's General format shows a long number with six significant digits (5.29982E+10).
SCIENTIFIC_DIGITS_KEPT = 6


def may_have_lost_digits(document: str) -> bool:
    """Whether a valid document could be a number a spreadsheet showed in scientific notation
    and then read back (52998224725 → 5.29982E+10 → 52998200000): all its digits after the
    first six significant ones (two or more) are zeros. A real CPF or CNPJ looks like that
    about once in 10,000, so it is a doubt to look at, never a refusal (and only asked of a
    spreadsheet's number cell: imports.pipeline.meaning)."""
    significant = document.lstrip("0")
    tail = significant[SCIENTIFIC_DIGITS_KEPT:]
    return len(tail) >= 2 and not tail.strip("0")


class Repair:
    """What a spreadsheet had done to a document, as undone."""

    DECIMAL_ZEROS = "decimal_zeros"  # .0 added
    LEADING_ZEROS = "leading_zeros"  # leading zeros dropped
    SCIENTIFIC_NOTATION = "scientific_notation"  # written as 8.532061982E+09, all digits kept
    THOUSANDS_SEPARATORS = "thousands_separators"  # 52.998.224.725: punctuation only


@dataclass(frozen=True, slots=True)
class RepairedDocument:
    """A document read back from a spreadsheet number, and what was undone to read it."""

    original: str
    document: str  # normalized, as stored
    repairs: tuple[str, ...]

    @property
    def needs_review(self) -> bool:
        """Digits were restored or removed (not just punctuation): staff should look."""
        return any(repair != Repair.THOUSANDS_SEPARATORS for repair in self.repairs)


def _readings(text: str) -> list[tuple[str, list[str]]]:
    """Every whole number a spreadsheet may have shown as ``text``, with what it did to it.

    Raises when the text is a number that lost digits (scientific notation).
    """
    readings = []
    if text.isascii() and text.isdigit():
        readings.append((text, []))
    if match := _DECIMAL_ZEROS.fullmatch(text):
        readings.append((match["whole"], [Repair.DECIMAL_ZEROS]))
    if (match := _GROUPED.fullmatch(text)) and match["mark"] != match["group"]:
        repairs = [Repair.THOUSANDS_SEPARATORS]
        if match["mark"]:
            repairs.append(Repair.DECIMAL_ZEROS)
        readings.append((match["whole"].replace(match["group"], ""), repairs))
    if match := _SCIENTIFIC.fullmatch(text):
        written = f"{match['whole']}{match['fraction'] or ''}".lstrip("0")
        value = Decimal(f"{match['whole']}.{match['fraction'] or '0'}E{match['exponent']}")
        if value == value.to_integral_value():
            digits = str(int(value))
            if len(digits) > len(written):
                # The exponent filled in digits the spreadsheet did not keep: never guess.
                raise rule_error("document_in_scientific_notation", value=text)
            readings.append((digits, [Repair.SCIENTIFIC_NOTATION]))
    return readings


def repair_spreadsheet_document(document_type: str, text: str) -> RepairedDocument | None:
    """Read a CPF/CNPJ cell that a spreadsheet wrote as a number.

    None: the cell is not written as a number (a mask, letters, a complete document), so it
    is read as usual. Raises ValidationError when it is a number and no single valid document
    of ``document_type`` can be read from it.
    """
    length = DOCUMENT_LENGTHS.get(document_type)
    text = text.strip()
    # The usual cells, decided without a regular expression: a mask (529.982.247-25) or
    # letters are no spreadsheet number, nor are plain digits of full length.
    if length is None or not text or not text[0].isdigit() or "-" in text or "/" in text:
        return None
    if text.isdigit() and len(text) >= length:
        return None
    readings = _readings(text)
    if not readings or (readings == [(text, [])] and len(text) >= length):
        # Not a number, or plain digits of full length or more (an ordinary document, or
        # another type's): the rule reads it and says what is wrong, if anything.
        return None
    valid = {}
    for digits, repairs in readings:
        if len(digits) > length:
            continue
        if len(digits) < length:
            repairs = [*repairs, Repair.LEADING_ZEROS]
        padded = digits.zfill(length)
        if is_valid_document(document_type, padded):
            valid.setdefault(padded, repairs)
    if len(valid) == 1:
        ((document, repairs),) = valid.items()
        return RepairedDocument(text, document, tuple(repairs))
    if readings == [(text, [])] and not valid:
        return None  # just too few digits: the rule's "a CPF has 11 digits" fits best
    if valid:
        first, second, *_ = (format_document(document_type, document) for document in valid)
        raise rule_error(
            "document_number_ambiguous",
            value=text,
            document_type=document_type,
            first=first,
            second=second,
        )
    raise rule_error("document_number_unreadable", value=text, document_type=document_type)
