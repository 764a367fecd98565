"""The .xlsx files staff download: the template, its example, the export and the error report.

The same columns and rows as the CSV files (``exports``, ``columns``), in a workbook that a
spreadsheet program cannot damage: Id, Email and Document are text cells (a CPF keeps its
leading zero), Credit limit and Tolerance rate are numbers in the store's currency and in
percent, Document Type and Status offer their choices, the read-only columns are greyed with
a note, and a second sheet explains every column in the reader's language. Written with
openpyxl's write-only mode, which streams rows to a temporary file, so a large export keeps
memory flat; the file is then streamed to the browser.
"""

import contextlib
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from accounts.models import Account

from . import exports, pipeline
from .columns import COLUMNS, CellKind, Column, match_header
from .models import ImportJob
from .reader import ERRORS_COLUMN
from .spreadsheets import ods_writer
from .spreadsheets.sheet import TEMPLATE_SHEET_NAME

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LAST_ROW = 1_048_576

TEXT_FORMAT = "@"
PERCENT_FORMAT = "0.00%"
CURRENCY_SYMBOLS = {"BRL": "R$", "USD": "US$", "EUR": "€", "ARS": "$", "MXN": "$"}
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
READ_ONLY_HEADER_FILL = PatternFill("solid", fgColor="808080")
READ_ONLY_FILL = PatternFill("solid", fgColor="EDEDED")
ERROR_FILL = PatternFill("solid", fgColor="F8CBAD")
WIDTHS = {CellKind.TEXT: 30, CellKind.DOCUMENT: 22, CellKind.DATETIME: 22}


def currency_format(currency_code: str) -> str:
    symbol = CURRENCY_SYMBOLS.get(currency_code, currency_code)
    return f'"{symbol}" #,##0.00'


class _AccountsSheet:
    """The template's sheet: the header, each column's format and choices, then the rows.

    ``columns`` are the template columns each position holds (None: a column that is not
    one of them, such as the error report's Errors).
    """

    def __init__(
        self,
        workbook: Workbook,
        *,
        currency_code: str,
        columns: list[Column | None],
        headers: list[str],
    ) -> None:
        self.sheet = workbook.create_sheet(TEMPLATE_SHEET_NAME)
        self.columns = columns
        self.formats = {
            CellKind.TEXT: TEXT_FORMAT,
            CellKind.DOCUMENT: TEXT_FORMAT,
            CellKind.MONEY: currency_format(currency_code),
            CellKind.FRACTION: PERCENT_FORMAT,
        }
        self.sheet.freeze_panes = "A2"
        for position, column in enumerate(columns, start=1):
            letter = get_column_letter(position)
            dimension = self.sheet.column_dimensions[letter]
            dimension.width = WIDTHS.get(column.kind, 16) if column else 80
            if column is None:
                continue
            # New cells typed in the column take its format: a CPF typed later stays text.
            if column.kind in self.formats:
                dimension.number_format = self.formats[column.kind]
            if column.read_only:
                dimension.fill = READ_ONLY_FILL
            if column.choices:
                choices = DataValidation(
                    type="list", formula1=f'"{",".join(column.choices)}"', allow_blank=True
                )
                choices.add(f"{letter}2:{letter}{LAST_ROW}")
                self.sheet.data_validations.append(choices)
        pairs = zip(columns, headers, strict=True)
        self.sheet.append([self._header_cell(column, header) for column, header in pairs])
        # One styled cell per column, refilled for every row (a row is written out as soon as
        # it is appended): styling every cell anew cost a fifth of the export's time.
        self._row_cells = [self._styled_cell(column) for column in columns]

    def _header_cell(self, column: Column | None, header: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value=header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        if column is not None and column.read_only:
            cell.fill = READ_ONLY_HEADER_FILL
            cell.comment = Comment(
                _("Read-only: filled by Export, ignored by the import."), "creditadmin"
            )
        return cell

    def _styled_cell(self, column: Column | None, *, faulty: bool = False) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet)
        if column is not None and column.kind in self.formats:
            cell.number_format = self.formats[column.kind]
        if column is not None and column.read_only:
            cell.fill = READ_ONLY_FILL
        if faulty:
            cell.fill = ERROR_FILL
        return cell

    @staticmethod
    def _fill(cell: WriteOnlyCell, column: Column | None, text: str) -> WriteOnlyCell:
        """Put ``text`` (as the CSV would hold it) in the cell, typed for a spreadsheet."""
        cell.value = None
        if column is not None and column.kind in (CellKind.MONEY, CellKind.FRACTION) and text:
            # A faulty cell of an error report may not be a number: it stays text.
            with contextlib.suppress(ArithmeticError):
                cell.value = Decimal(text)
        if cell.value is None:
            # Set as text even when it starts with "=": a workbook cell of type string is
            # never run as a formula, so it needs no quote (unlike a CSV cell).
            cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(text))
            cell.data_type = "s"
        return cell

    def append(self, texts: list[str], *, faulty: frozenset[int] = frozenset()) -> None:
        cells = [
            self._fill(
                self._styled_cell(column, faulty=True) if position in faulty else cell,
                column,
                text,
            )
            for position, (cell, column, text) in enumerate(
                zip(self._row_cells, self.columns, texts, strict=True)
            )
        ]
        self.sheet.append(cells)


def _help_sheet(workbook: Workbook) -> None:
    sheet = workbook.create_sheet(_("Help"))
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 26
    sheet.column_dimensions["C"].width = 40
    sheet.column_dimensions["D"].width = 24
    sheet.column_dimensions["E"].width = 80
    header = [_("Column"), _("Required"), _("Format"), _("Example"), _("What it does")]
    bold = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        bold.append(cell)
    sheet.append(bold)
    for column in COLUMNS:
        if column.required:
            needed = _("Required")
        elif column.required_to_create:
            needed = _("Required for new accounts")
        elif column.read_only:
            needed = _("Read-only")
        else:
            needed = _("Optional")
        example = WriteOnlyCell(sheet, value=column.example)
        example.data_type = "s"
        sheet.append([column.header, needed, str(column.format), example, str(column.help)])


def _template_sheet(workbook: Workbook, currency_code: str) -> _AccountsSheet:
    return _AccountsSheet(
        workbook,
        currency_code=currency_code,
        columns=list(COLUMNS),
        headers=[column.header for column in COLUMNS],
    )


def template_xlsx(*, currency_code: str, example: bool = False):
    """The template (with ``example``, plus the example rows), as an open temporary file."""
    workbook = Workbook(write_only=True)
    accounts = _template_sheet(workbook, currency_code)
    if example:
        for row in exports.example_rows():
            accounts.append(row)
    _help_sheet(workbook)
    return _saved(workbook)


def export_xlsx(accounts: QuerySet[Account], *, currency_code: str):
    """The export in the template's layout, as an open temporary file."""
    workbook = Workbook(write_only=True)
    sheet = _template_sheet(workbook, currency_code)
    for row in exports.export_rows(accounts):
        sheet.append(row)
    _help_sheet(workbook)
    return _saved(workbook)


def error_report_xlsx(
    header: list[str],
    rows: Iterable[tuple[list[str], frozenset[int], str]],
    *,
    currency_code: str,
):
    """The failing rows as uploaded with an Errors column, their faulty cells highlighted.

    ``rows`` gives each failing row's cells, the positions of its faulty cells and its
    messages; ``header`` is the file's header row.
    """
    by_name = {column.name: column for column in COLUMNS}
    workbook = Workbook(write_only=True)
    sheet = _AccountsSheet(
        workbook,
        currency_code=currency_code,
        columns=[by_name.get(match_header(name) or "") for name in header] + [None],
        headers=[*header, ERRORS_COLUMN],
    )
    for cells, faulty, messages in rows:
        padded = [*cells, *[""] * (len(header) - len(cells))][: len(header)]
        sheet.append([*padded, messages], faulty=faulty)
    return _saved(workbook)


def error_report(job: ImportJob, *, currency_code: str) -> tuple[object, str, str]:
    """The error report of a spreadsheet upload, in the uploaded format: (open temporary
    file, file name, content type)."""
    rows = pipeline.failing_rows(job)
    header, _no_errors = next(rows)
    positions = {name.strip(): position for position, name in enumerate(header)}
    failing = (
        (
            cells,
            frozenset(positions[name] for name, _message in errors if name in positions),
            pipeline.joined_messages(errors),
        )
        for cells, errors in rows
    )
    if job.encoding == ods_writer.KIND:
        by_name = {column.name: column for column in COLUMNS}
        amounts = frozenset(
            position
            for position, name in enumerate(header)
            if (column := by_name.get(match_header(name) or ""))
            and column.kind in (CellKind.MONEY, CellKind.FRACTION)
        )
        report = ods_writer.error_report_ods(
            [*header, ERRORS_COLUMN],
            failing,
            sheet_name=TEMPLATE_SHEET_NAME,
            number_positions=amounts,
        )
        return report, f"import-{job.pk}-errors.ods", ods_writer.CONTENT_TYPE
    report = error_report_xlsx(header, failing, currency_code=currency_code)
    return report, f"import-{job.pk}-errors.xlsx", CONTENT_TYPE


def _saved(workbook: Workbook):
    target = tempfile.TemporaryFile()  # noqa: SIM115 (closed by chunks(), after streaming)
    workbook.save(target)
    target.seek(0)
    return target


def chunks(file) -> Iterator[bytes]:
    """A temporary file's bytes in pieces for a streaming response; closes it at the end."""
    with file:
        yield from iter(lambda: file.read(64 * 1024), b"")
