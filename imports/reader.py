"""Bytes → rows: the header of an uploaded file and its rows, streamed, for a CSV file or a
spreadsheet (.xlsx, .ods) alike.

What the engine gets, whatever the file (the reader's interface):

- ``inspect_file`` → ``FileFormat``: how to read the file (``encoding`` is the text encoding
  of a CSV, or ``"xlsx"`` / ``"ods"`` for a spreadsheet), which template field each column
  holds, notes for staff. Raises ``FileRejected`` with the fix.
- ``iter_records`` → records ``(row_number, cells)``: the spreadsheet's row number and the
  row's cells as a list of ``str``, blank rows skipped. A spreadsheet's cells hold the text a
  CSV of it would (a date as an ISO date, a number as its digits), and some are typed:
  ``spreadsheets.cells.NumberCell`` (a number: a document typed as one has lost its leading
  zeros) and ``spreadsheets.cells.UnreadableCell`` (a formula without its result, an error
  value: a row error). Test the type before stripping a cell.

Nothing here loads the file whole. A CSV is read once in 1 MB chunks to find the encoding
(and whether it is text at all), then its rows with the csv module through a text wrapper of
the storage file; a spreadsheet's sheet is parsed as a stream of XML (``spreadsheets``).
"""

import codecs
import csv
import difflib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from . import columns, door, spreadsheets
from .messages import Note
from .rejections import FileRejected

CHUNK_SIZE = 1024 * 1024
DELIMITERS = (",", ";", "\t")
# The column an error report adds; uploading a fixed error report back must just work.
ERRORS_COLUMN = "Errors"

# Signatures of the files most often renamed to .csv by mistake (workbooks are read as such).
_BINARY_SIGNATURES = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")

csv.field_size_limit(door.MAX_CELL_CHARACTERS)
# UTF-16 and UTF-32 hold NUL bytes in every ASCII character: not a sign of a binary file.
_WIDE_ENCODINGS = ("utf-16", "utf-32")


@dataclass(frozen=True)
class FileFormat:
    """How to read a file's rows, found by `inspect_file`."""

    encoding: str
    delimiter: str
    # Template field read from each column position (None: a column the import ignores).
    fields_by_position: tuple[str | None, ...]
    # The header as written in the file, per field, to name columns in error messages.
    header_by_field: dict[str, str]
    header: tuple[str, ...]
    # Excel in es/pt locales writes `;` files with decimal commas: 1.500,00.
    decimal_comma: bool
    line_count: int
    notes: tuple[Note, ...] = field(default=())


@dataclass(frozen=True)
class _Encoding:
    name: str
    line_count: int


def check_size(size: int) -> None:
    """Refuse a file over the configured limit (before reading it)."""
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if size > limit:
        raise FileRejected(
            _("The file is %(size)s; the limit is %(limit)s. Split it into smaller files.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )


def _detect_encoding(binary: BinaryIO) -> _Encoding:
    """Read the file once in chunks: refuse binary or empty files, find the text encoding."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    is_utf8 = True
    has_content = False
    line_count = 0
    first = True
    encoding = "utf-8"
    for chunk in iter(lambda: binary.read(CHUNK_SIZE), b""):
        if first:
            first = False
            if chunk.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
                # Before UTF-16: UTF-32's little-endian BOM starts with UTF-16's.
                encoding = "utf-32"
            elif chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                # Excel's "Unicode text": UTF-16, tab-separated.
                encoding = "utf-16"
            elif chunk.startswith(codecs.BOM_UTF8):
                encoding = "utf-8-sig"
            if chunk.startswith(_BINARY_SIGNATURES):
                raise FileRejected(_binary_message(), code="not_text")
        if encoding not in _WIDE_ENCODINGS and b"\x00" in chunk:
            raise FileRejected(_binary_message(), code="not_text")
        line_count += chunk.count(b"\n")
        if not has_content:
            has_content = bool(chunk.strip(b" \t\r\n\xef\xbb\xbf\xff\xfe\x00;,"))
        if is_utf8 and encoding not in _WIDE_ENCODINGS:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                is_utf8 = False
    if is_utf8 and encoding not in _WIDE_ENCODINGS:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            is_utf8 = False
    if not has_content:
        raise FileRejected(
            _("The file is empty. Fill in the template (header row, then one row per account)."),
            code="empty",
        )
    if encoding in _WIDE_ENCODINGS or is_utf8:
        return _Encoding(encoding, line_count)
    # Not UTF-8: Excel's "CSV" on Windows writes the ANSI code page, Windows-1252 for es/pt.
    return _Encoding("cp1252", line_count)


def _binary_message() -> str:
    return _(
        "This file is neither a spreadsheet nor a CSV text file (it looks like an image, a "
        "PDF or another binary file). Upload the template as .xlsx, .ods or CSV."
    )


def _text(binary: BinaryIO, encoding: str) -> io.TextIOWrapper:
    # newline="" lets the csv module see CRLF inside quoted fields as the csv spec wants.
    return io.TextIOWrapper(binary, encoding=encoding, errors="replace", newline="")


def _first_header_line(text: io.TextIOWrapper) -> str:
    for line in text:
        if line.strip(" \t\r\n;,"):
            return line.lstrip("\ufeff")
    return ""


def _header_cells(header_line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([header_line], delimiter=delimiter), [])
    except csv.Error:
        raise door.cell_too_long(1) from None


def _pick_delimiter(header_line: str) -> str:
    """The delimiter that splits the header into the most template columns (ties: comma)."""
    best, best_score = ",", -1
    for delimiter in DELIMITERS:
        cells = _header_cells(header_line, delimiter)
        score = sum(1 for cell in cells if columns.match_header(cell))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _column_letter(position: int) -> str:
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _suggestion(header: str) -> str:
    known = columns.template_header()
    close = difflib.get_close_matches(header.strip(), known, n=1, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(header.strip().lower(), [k.lower() for k in known], n=1)
        close = [known[[k.lower() for k in known].index(close[0])]] if close else []
    return close[0] if close else ""


def _map_header(header: list[str]) -> tuple[tuple[str | None, ...], dict[str, str], list[Note]]:
    fields_by_position: list[str | None] = []
    header_by_field: dict[str, str] = {}
    position_by_field: dict[str, int] = {}
    notes: list[Note] = []
    writable = set(columns.writable_field_names())
    door.check_header(header, _column_letter)
    for position, cell in enumerate(header):
        name = cell.strip()
        if not name:
            fields_by_position.append(None)
            continue
        if name.lower() == ERRORS_COLUMN.lower():
            fields_by_position.append(None)
            notes.append(Note("errors_column_ignored"))
            continue
        field_name = columns.match_header(name)
        if field_name is None and "@" in name:
            raise FileRejected(
                _(
                    "The first row looks like an account (“%(name)s”), not the header. Add the "
                    "template's header row above it: %(columns)s."
                )
                % {"name": name, "columns": ", ".join(columns.template_header())},
                code="missing_header",
            )
        if field_name is None:
            suggestion = _suggestion(name)
            message = _("Unknown column “%(name)s” (column %(letter)s).") % {
                "name": name,
                "letter": _column_letter(position),
            }
            if suggestion:
                message += " " + _("Did you mean “%(suggestion)s”?") % {"suggestion": suggestion}
            message += " " + _("The template's columns are: %(columns)s.") % {
                "columns": ", ".join(columns.template_header())
            }
            raise FileRejected(message, code="unknown_column")
        if field_name in position_by_field:
            raise FileRejected(
                _(
                    "The column “%(name)s” appears twice (columns %(first)s and %(second)s). "
                    "Keep only one of them."
                )
                % {
                    "name": name,
                    "first": _column_letter(position_by_field[field_name]),
                    "second": _column_letter(position),
                },
                code="duplicate_column",
            )
        position_by_field[field_name] = position
        header_by_field[field_name] = name
        fields_by_position.append(field_name if field_name in writable else None)
    if "email" not in header_by_field:
        raise FileRejected(
            _(
                "The file has no Email column. The first row must be the template's header: "
                "%(columns)s."
            )
            % {"columns": ", ".join(columns.template_header())},
            code="missing_email_column",
        )
    return tuple(fields_by_position), header_by_field, notes


def inspect_file(open_binary, *, size: int) -> FileFormat:
    """Check a stored file and find how to read it; raises FileRejected with the fix.

    ``open_binary`` opens the stored file for reading (called twice: the file is streamed).
    """
    check_size(size)
    with open_binary() as binary:
        if spreadsheets.is_workbook(binary.read(8)):
            binary.seek(0)
            return _inspect_workbook(binary)
        binary.seek(0)
        found = _detect_encoding(binary)
    with open_binary() as binary:
        text = _text(binary, found.name)
        header_line = _first_header_line(text)
        text.detach()
    delimiter = _pick_delimiter(header_line)
    header = _header_cells(header_line, delimiter)
    fields_by_position, header_by_field, notes = _map_header(header)
    if delimiter == ";":
        notes.insert(0, Note("semicolon_separated"))
    elif delimiter == "\t":
        notes.insert(0, Note("tab_separated"))
    if found.name == "cp1252":
        notes.append(Note("read_as_cp1252"))
    elif found.name == "utf-16":
        notes.append(Note("read_as_utf16"))
    elif found.name == "utf-32":
        notes.append(Note("read_as_utf32"))
    return FileFormat(
        encoding=found.name,
        delimiter=delimiter,
        fields_by_position=fields_by_position,
        header_by_field=header_by_field,
        header=tuple(header),
        decimal_comma=delimiter == ";",
        line_count=found.line_count,
        notes=tuple(notes),
    )


def _inspect_workbook(binary: BinaryIO) -> FileFormat:
    sheet = spreadsheets.open_workbook(binary)
    header = next((cells for _row_number, cells in sheet.rows()), None)
    if header is None:
        raise FileRejected(
            _(
                "The sheet “%(sheet)s” is empty. Fill in the template (header row, then one "
                "row per account)."
            )
            % {"sheet": sheet.name},
            code="empty",
        )
    header = [str(cell) for cell in header]
    fields_by_position, header_by_field, notes = _map_header(header)
    notes.insert(0, Note("sheet_read", {"sheet": sheet.name}))
    return FileFormat(
        encoding=sheet.kind,
        delimiter="",
        fields_by_position=fields_by_position,
        header_by_field=header_by_field,
        header=tuple(header),
        decimal_comma=False,
        line_count=sheet.row_count,
        notes=tuple(notes),
    )


def iter_records(
    binary: BinaryIO, *, encoding: str, delimiter: str, include_header: bool = False
) -> Iterator[tuple[int, list[str]]]:
    """Every record after the header as (spreadsheet row number, cells); blank rows skipped.

    Row numbers count records as a spreadsheet shows them: the header is row 1 (when it is
    the first line), a quoted cell spanning lines is still one row, blank rows count.
    ``encoding`` and ``delimiter`` are those of the file's ``FileFormat``. Every data row
    has passed the door (``door.checked_cells``); raises FileRejected at a CSV cell over the
    size limit.
    """
    if encoding in spreadsheets.SPREADSHEET_KINDS:
        rows = spreadsheets.open_workbook(binary).rows()
        header = next(rows, None)
        if include_header and header is not None:
            yield header
        for row_number, cells in rows:
            yield row_number, door.checked_cells(cells)
        return
    reader = csv.reader(_text(binary, encoding), delimiter=delimiter)
    header_seen = False
    row_number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            # The only error the csv module raises on text decoded with errors="replace".
            raise door.cell_too_long(row_number + 1) from None
        row_number += 1
        if not header_seen:
            if any(cell.strip() for cell in cells):
                header_seen = True
                if include_header:
                    yield row_number, cells
            continue
        if not "".join(cells).strip():
            continue
        yield row_number, door.checked_cells(cells)


_THOUSANDS_ONLY = re.compile(r"[+-]?\d{1,3}(\.\d{3})+")


def number_text(raw: str, *, decimal_comma: bool) -> str:
    """Undo a decimal-comma locale's thousands dots ("1.500" = 1500 in a `;` file)."""
    text = raw.strip()
    if decimal_comma and "," not in text and _THOUSANDS_ONLY.fullmatch(text):
        return text.replace(".", "")
    return text
