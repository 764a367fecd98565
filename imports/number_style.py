"""A file's number style, decided once from all its amount cells, its delimiter and encoding.

Whether 1.500 is fifteen hundred depends on how the rest of the file writes numbers: a file
that also holds 2.345,67 or 0,05 uses decimal commas, one with 1,234.56 or 12.5 decimal
points. Those cells decide; when none does, the program that wrote the file is a hint
(Excel writes `;` files in languages with decimal commas); when both styles appear, nothing
ambiguous can be read. The decision becomes the `NumberStyle` every amount of the file is
read in (accounts.amounts.read_amount), and a note that tells staff what was decided and why.

Only a file holding such an amount needs the decision, so the import reads its rows with a
pending style first and comes here (one more pass over the amount columns) only when it
meets one: most files never pay for it.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from accounts.amounts import (
    DecimalMark,
    Example,
    NumberStyle,
    StyleBasis,
    WrittenAmount,
    read_written_amount,
)

from . import columns, reader
from .messages import Note
from .spreadsheets.cells import NumberCell

# Every template column holding an amount, read-only ones included: an exported file's
# balances (0.00) show its style as well as the credit limits do.
AMOUNT_FIELDS = frozenset(
    column.name
    for column in columns.COLUMNS
    if column.kind in (columns.CellKind.MONEY, columns.CellKind.FRACTION)
)

# The shapes nearly every amount cell has (1500, 1500.00, 0,05): read without the full parser,
# so deciding a 100,000-row file's style costs little.
_COMMON_SHAPE = re.compile(r"-?[0-9]+(?:([.,])[0-9]{1,2})?", re.ASCII)


@dataclass
class NumberStyleEvidence:
    """What a file's amount cells say about its number style, gathered cell by cell."""

    point_cells: int = 0
    comma_cells: int = 0
    ambiguous_cells: int = 0
    point_example: Example | None = None
    comma_example: Example | None = None
    ambiguous_example: Example | None = None

    def add(self, row_number: int, column: str, text: str) -> None:
        """Count one amount cell as written in the file (blank cells say nothing)."""
        text = text.strip()
        if not text:
            return
        if match := _COMMON_SHAPE.fullmatch(text):
            mark = match[1]
            if mark == ".":
                self._add_point(row_number, column, text)
            elif mark == ",":
                self._add_comma(row_number, column, text)
            return
        self.add_written(row_number, column, read_written_amount(text))

    def add_written(self, row_number: int, column: str, written: WrittenAmount) -> None:
        """Count a cell already read by read_written_amount."""
        shown = written.shows_mark
        if shown is DecimalMark.POINT:
            self._add_point(row_number, column, written.text.strip())
        elif shown is DecimalMark.COMMA:
            self._add_comma(row_number, column, written.text.strip())
        elif written.ambiguous:
            self.ambiguous_cells += 1
            if self.ambiguous_example is None:
                self.ambiguous_example = Example(row_number, column, written.text.strip())

    def _add_point(self, row_number: int, column: str, text: str) -> None:
        self.point_cells += 1
        if self.point_example is None:
            self.point_example = Example(row_number, column, text)

    def _add_comma(self, row_number: int, column: str, text: str) -> None:
        self.comma_cells += 1
        if self.comma_example is None:
            self.comma_example = Example(row_number, column, text)


def amount_positions(header: Iterable[str]) -> dict[int, str]:
    """Position → header as written, for each amount column of a file's header."""
    return {
        position: name.strip()
        for position, name in enumerate(header)
        if columns.match_header(name) in AMOUNT_FIELDS
    }


def gather_evidence(
    records: Iterable[tuple[int, list[str]]], positions: dict[int, str]
) -> NumberStyleEvidence:
    """Read every amount cell of a file's records (row number, cells). A spreadsheet's number
    cells say nothing of how its people write numbers: they are left out."""
    evidence = NumberStyleEvidence()
    unquote = columns.strip_neutralizing_quote
    add = evidence.add
    for row_number, cells in records:
        count = len(cells)
        for position, column in positions.items():
            if position < count and (cell := cells[position]) and type(cell) is not NumberCell:
                add(row_number, column, unquote(cell))
    return evidence


def file_format_mark(*, delimiter: str, encoding: str) -> DecimalMark | None:
    """The style the program that wrote the file usually means, or None if it tells nothing.

    Excel separates columns with the list separator of the user's language: `;` where the
    decimal mark is a comma (es, pt-BR), `,` where it is a point — and its comma-separated
    files are Windows-1252 ("CSV") or UTF-8 with a BOM ("CSV UTF-8"). Google Sheets and
    LibreOffice write `,` and UTF-8 without a BOM in every language, and tab-separated text
    comes from any of them: those say nothing.
    """
    if delimiter == ";":
        return DecimalMark.COMMA
    if delimiter == "," and encoding in ("utf-8-sig", "cp1252"):
        return DecimalMark.POINT
    return None


@dataclass(frozen=True)
class NumberStyleDecision:
    """How a file's amounts are read, what that rests on, and the evidence for the note."""

    style: NumberStyle
    evidence: NumberStyleEvidence

    @property
    def mark(self) -> DecimalMark | None:
        return self.style.mark

    @property
    def basis(self) -> StyleBasis:
        return self.style.basis

    def notes(self) -> tuple[Note, ...]:
        """What was decided and why, for the job's notes (none for a file without amounts)."""
        evidence = self.evidence
        if not (evidence.point_cells or evidence.comma_cells or evidence.ambiguous_cells):
            return ()
        basis = self.basis
        if basis is StyleBasis.MIXED:
            point, comma = evidence.point_example, evidence.comma_example
            return (
                Note(
                    "amounts_mixed",
                    {
                        "point_row": point.row_number,
                        "point": point.text,
                        "comma_row": comma.row_number,
                        "comma": comma.text,
                    },
                ),
            )
        if basis is StyleBasis.CELLS:
            point = self.mark is DecimalMark.POINT
            example = evidence.point_example if point else evidence.comma_example
            params = {
                "count": evidence.point_cells if point else evidence.comma_cells,
                "row": example.row_number,
                "column": example.column,
                "example": example.text,
            }
            return (Note("amounts_point_cells" if point else "amounts_comma_cells", params),)
        if basis is StyleBasis.CONVENTION:
            comma = self.mark is DecimalMark.COMMA
            notes = [Note("amounts_comma_convention" if comma else "amounts_point_convention")]
        else:
            notes = [Note("amounts_style_unknown")]
        if evidence.ambiguous_cells:
            params = {
                "count": evidence.ambiguous_cells,
                "example": evidence.ambiguous_example.text,
                "row": evidence.ambiguous_example.row_number,
            }
            checked = basis is StyleBasis.CONVENTION
            code = "amounts_ambiguous_checked" if checked else "amounts_ambiguous_warned"
            notes.append(Note(code, params))
        return tuple(notes)


def decide_number_style(
    evidence: NumberStyleEvidence, *, delimiter: str, encoding: str
) -> NumberStyleDecision:
    """Decide how a file's amounts are read: its cells first, then its format."""
    point, comma = evidence.point_example, evidence.comma_example
    if point and comma:
        style = NumberStyle(None, StyleBasis.MIXED, point, comma)
    elif point or comma:
        mark = DecimalMark.POINT if point else DecimalMark.COMMA
        style = NumberStyle(mark, StyleBasis.CELLS, point, comma)
    elif mark := file_format_mark(delimiter=delimiter, encoding=encoding):
        style = NumberStyle(mark, StyleBasis.CONVENTION)
    else:
        style = NumberStyle.UNKNOWN
    return NumberStyleDecision(style, evidence)


PENDING = NumberStyle(None, StyleBasis.PENDING)


def decide_file_number_style(open_binary, file_format: reader.FileFormat) -> NumberStyleDecision:
    """Read every amount cell of a stored file (one pass, amount columns only) and decide."""
    with open_binary() as binary:
        records = reader.iter_records(
            binary, encoding=file_format.encoding, delimiter=file_format.delimiter
        )
        evidence = gather_evidence(records, amount_positions(file_format.header))
    return decide_number_style(
        evidence, delimiter=file_format.delimiter, encoding=file_format.encoding
    )
