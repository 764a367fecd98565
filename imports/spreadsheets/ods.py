"""Reading an OpenDocument spreadsheet (.ods, LibreOffice Calc), one sheet, streamed.

Everything is in content.xml: each cell carries its type and value (``office:value-type``,
``office:value``, ``office:date-value``) beside the text it shows. Runs of identical cells
or rows are written once with a repeat count, which is how LibreOffice fills a sheet to
its edge: blank runs are skipped, never expanded.
"""

import re
import zipfile
from collections.abc import Iterator
from decimal import InvalidOperation
from xml.etree.ElementTree import Element

from django.utils.translation import gettext as _

from ..rejections import FileRejected
from .cells import NumberCell, error_value, formula_without_result
from .sheet import MAX_COLUMNS, MAX_ROWS, Sheet, complete_rows, pick_sheet

KIND = "ods"
MIMETYPES = (
    b"application/vnd.oasis.opendocument.spreadsheet",
    b"application/vnd.oasis.opendocument.spreadsheet-template",
)
CONTENT = "content.xml"

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_CALC_EXTENSION = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
_ROW, _SHEET = _TABLE + "table-row", _TABLE + "table"
_ROW_CONTAINERS = tuple(
    _TABLE + name for name in ("table", "table-header-rows", "table-row-group", "table-rows")
)
_CELLS = (_TABLE + "table-cell", _TABLE + "covered-table-cell")
_NUMBER_TYPES = ("float", "percentage", "currency")
# Table names read from the raw XML before parsing, to pick the sheet in one parse.
_TABLE_NAME = re.compile(rb'<table:table [^>]*?table:name="([^"]*)"')


def is_ods(archive: zipfile.ZipFile, names: set[str]) -> bool:
    """Whether the archive is an OpenDocument spreadsheet; raises FileRejected for one
    that is encrypted or carries macros."""
    if "mimetype" not in names or CONTENT not in names:
        return False
    if archive.read("mimetype").strip() not in MIMETYPES:
        return False
    manifest = "META-INF/manifest.xml"
    if manifest in names and b"encryption-data" in archive.read(manifest):
        raise FileRejected(
            _(
                "This workbook is protected with a password, so it cannot be read. Save a "
                "copy without the password and upload that file."
            ),
            code="encrypted_workbook",
        )
    if any(name.startswith(("Basic/", "Scripts/")) for name in names):
        raise FileRejected(
            _(
                "This spreadsheet contains macros, which the import does not open. Save a "
                "copy without them (or as .xlsx) and upload that file."
            ),
            code="macro_workbook",
        )
    return True


def open_sheet(archive: zipfile.ZipFile) -> Sheet:
    names, row_count = _scan(archive)
    if not names:
        raise FileRejected(
            _("This workbook has no sheet with rows. Upload the filled template."),
            code="no_sheet",
        )
    position = pick_sheet(names)

    def read_rows() -> Iterator[tuple[int, list[str]]]:
        with archive.open(CONTENT) as source:
            yield from _rows(source, position)

    return Sheet(KIND, names[position], row_count, read_rows)


def _scan(archive: zipfile.ZipFile) -> tuple[list[str], int]:
    """The sheet names and (for progress) the number of row elements, from the raw bytes."""
    names: list[str] = []
    rows = 0
    tail = b""
    with archive.open(CONTENT) as source:
        for chunk in iter(lambda: source.read(1024 * 1024), b""):
            block = tail + chunk
            names.extend(match.decode() for match in _TABLE_NAME.findall(block))
            rows += block.count(b"<table:table-row")
            # Keep the end of a chunk: a tag may straddle two; drop what was counted.
            cut = max(block.rfind(b"<"), len(block) - 512)
            names_in_tail = _TABLE_NAME.findall(block[cut:])
            del names[len(names) - len(names_in_tail) :]
            rows -= block[cut:].count(b"<table:table-row")
            tail = block[cut:]
    names.extend(match.decode() for match in _TABLE_NAME.findall(tail))
    rows += tail.count(b"<table:table-row")
    return [_unescape_attribute(name) for name in names], rows


def _unescape_attribute(text: str) -> str:
    return (
        text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
        .replace("&apos;", "'").replace("&amp;", "&")
    )  # fmt: skip


def _rows(source, wanted_sheet: int) -> Iterator[tuple[int, list[str]]]:
    row_number = 0
    for row in complete_rows(
        source, _ROW, _ROW_CONTAINERS, section_tag=_SHEET, section=wanted_sheet
    ):
        cells = _row_cells(row)
        repeat = int(row.get(_TABLE + "number-rows-repeated", "1"))
        if not any(cells):
            row_number += repeat
            continue
        for _copy in range(min(repeat, MAX_ROWS - row_number)):
            row_number += 1
            yield row_number, cells


def _row_cells(row: Element) -> list[str]:
    cells: list[str] = []
    for cell in row:
        if cell.tag not in _CELLS:
            continue
        text = _cell_text(cell)
        repeat = int(cell.get(_TABLE + "number-columns-repeated", "1"))
        room = MAX_COLUMNS - len(cells)
        if room <= 0:
            break
        cells.extend([text] * min(repeat, room))
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _cell_text(cell: Element) -> str:
    value_type = cell.get(_OFFICE + "value-type")
    if cell.get(_CALC_EXTENSION + "value-type") == "error":
        return error_value(_shown_text(cell))
    if value_type is None:
        formula = cell.get(_TABLE + "formula")
        if formula:
            return formula_without_result(formula.removeprefix("of:"))
        return _shown_text(cell)
    if value_type in _NUMBER_TYPES:
        try:
            return NumberCell(cell.get(_OFFICE + "value", ""))
        except InvalidOperation:
            return _shown_text(cell)
    if value_type == "date":
        return cell.get(_OFFICE + "date-value", "").removesuffix("T00:00:00")
    if value_type == "boolean":
        return "TRUE" if cell.get(_OFFICE + "boolean-value") == "true" else "FALSE"
    return _shown_text(cell)


def _shown_text(cell: Element) -> str:
    """The cell's text: its paragraphs, with spaces (<text:s text:c="3"/>), tabs and line
    breaks written as elements given back as characters."""
    return "\n".join(_paragraph_text(paragraph) for paragraph in cell.iter(_TEXT + "p"))


def _paragraph_text(element: Element) -> str:
    parts = [element.text or ""]
    for child in element:
        if child.tag == _TEXT + "s":
            parts.append(" " * int(child.get(_TEXT + "c", "1")))
        elif child.tag == _TEXT + "tab":
            parts.append("\t")
        elif child.tag == _TEXT + "line-break":
            parts.append("\n")
        else:
            parts.append(_paragraph_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
