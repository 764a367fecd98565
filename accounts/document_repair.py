"""CPF and CNPJ cells a spreadsheet turned into numbers: read back only when it is certain.

A spreadsheet that takes a document for a number drops its leading zeros (08532061982 →
8532061982), may write it as a float (8532061982.0), with thousands separators
(8.532.061.982) or in scientific notation (5,29982E+10, which keeps only the first digits).
Reading such a cell as text is how 8532061982.0 became 853.206.198-20: another person's valid
CPF. So a cell of that shape is read as the number it is, its leading zeros restored, and
accepted only when that one reading is a valid document of the row's type; the repair is
shown as a warning. When digits were lost (scientific notation) or the reading is not valid,
the row is refused with the fix: format the column as text and type the document again.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import DocumentType

DOCUMENT_LENGTHS = {DocumentType.CPF: 11, DocumentType.CNPJ: 14}

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

    def warning_params(self, document_type: str) -> dict:
        return {
            "value": self.original,
            "document": rules.format_document(document_type, self.document),
            "document_type": document_type,
        }


MESSAGES = {
    "document_repaired": _(
        "“%(value)s” was read as the %(document_type)s %(document)s: a spreadsheet had "
        "turned it into a number (dropping leading zeros or adding .0). Check it is the "
        "customer's; format the Document column as Text to keep documents as typed."
    ),
    "document_scientific_notation": _(
        "“%(value)s” is a document a spreadsheet wrote in scientific notation, keeping only "
        "its first digits: it cannot be read back. Format the Document column as Text in the "
        "spreadsheet, type the document again and save the file."
    ),
    "document_number_ambiguous": _(
        "“%(value)s” is a document a spreadsheet turned into a number, and it can be read as "
        "two valid documents, %(first)s or %(second)s. Format the Document column as Text in "
        "the spreadsheet, type the document again and save the file."
    ),
    "document_number_unreadable": _(
        "“%(value)s” looks like a document a spreadsheet turned into a number, and restoring "
        "it does not give a valid %(document_type)s. Format the Document column as Text in "
        "the spreadsheet, type the document again with its leading zeros and save the file."
    ),
}


def _refuse(code: str, params: dict) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params)


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
                raise _refuse("document_scientific_notation", {"value": text})
            readings.append((digits, [Repair.SCIENTIFIC_NOTATION]))
    return readings


def repair_spreadsheet_document(document_type: str, raw: str) -> RepairedDocument | None:
    """Read a CPF/CNPJ cell that a spreadsheet wrote as a number.

    None: the cell is not written as a number (a mask, letters, a complete document), so
    rules.clean_document reads it as usual. Raises ValidationError when it is a number and no
    single valid document of ``document_type`` can be read from it.
    """
    length = DOCUMENT_LENGTHS.get(document_type)
    text = raw.strip()
    if length is None or not text:
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
        try:
            valid.setdefault(rules.clean_document(document_type, digits.zfill(length)), repairs)
        except ValidationError:
            continue
    if len(valid) == 1:
        ((document, repairs),) = valid.items()
        return RepairedDocument(text, document, tuple(repairs))
    if readings == [(text, [])] and not valid:
        return None  # just too few digits: the rule's "a CPF has 11 digits" fits best
    if valid:
        first, second, *_ = (rules.format_document(document_type, document) for document in valid)
        raise _refuse(
            "document_number_ambiguous",
            {"value": text, "document_type": document_type, "first": first, "second": second},
        )
    raise _refuse("document_number_unreadable", {"value": text, "document_type": document_type})
