"""Reading an Office Open XML workbook (.xlsx), one sheet, streamed.

The parts read: the content types (to refuse macro-enabled and binary workbooks), the
workbook (sheet names, 1900 or 1904 dates), its relationships (where each part is), the
shared strings (every text cell points into them), the styles (which number formats are
dates) and the chosen sheet, parsed row by row.
"""

import functools
import posixpath
import zipfile
from collections.abc import Iterator
from decimal import InvalidOperation
from xml.etree.ElementTree import Element

from django.utils.translation import gettext as _
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

from ..rejections import FileRejected
from .cells import NumberCell, error_value, formula_without_result
from .sheet import (
    MAX_COLUMNS,
    Sheet,
    complete_rows,
    excel_serial_date,
    iso_date,
    pick_sheet,
    unescape_excel,
    xml_events,
)

KIND = "xlsx"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DIGITS = "0123456789"
CONTENT_TYPES = "[Content_Types].xml"

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_PACKAGE_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_RELATIONSHIP_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

_WORKBOOK = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_WORKBOOK_TEMPLATE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml"
)
_MACRO_WORKBOOKS = (
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.ms-excel.addin.macroEnabled.main+xml",
    "application/vnd.ms-excel.sheet.binary.macroEnabled.main",
)

_ROW, _CELL = _MAIN + "row", _MAIN + "c"
_VALUE, _FORMULA, _INLINE, _TEXT, _RUN = (
    _MAIN + "v", _MAIN + "f", _MAIN + "is", _MAIN + "t", _MAIN + "r",
)  # fmt: skip


def is_xlsx(archive: zipfile.ZipFile, names: set[str]) -> bool:
    """Whether the archive is an Excel workbook; raises FileRejected for one with macros."""
    if CONTENT_TYPES not in names:
        return False
    content_types = {
        override.get("ContentType", "")
        for override in _parse(archive, CONTENT_TYPES).iter(_CONTENT_TYPES + "Override")
    }
    if content_types & set(_MACRO_WORKBOOKS) or any(
        name.lower().endswith("vbaproject.bin") for name in names
    ):
        raise FileRejected(
            _(
                "This workbook contains macros (.xlsm or .xlsb), which the import does not "
                "open. In Excel choose File › Save As › “Excel Workbook (.xlsx)” and upload "
                "that file."
            ),
            code="macro_workbook",
        )
    return bool(content_types & {_WORKBOOK, _WORKBOOK_TEMPLATE})


def open_sheet(archive: zipfile.ZipFile) -> Sheet:
    workbook_path = _targets(archive, "")["officeDocument"][0]
    workbook = _parse(archive, workbook_path)
    parts = _targets(archive, workbook_path)
    sheets = [
        (sheet.get("name", ""), sheet.get(_RELATIONSHIP_ID, ""))
        for sheet in workbook.iter(_MAIN + "sheet")
    ]
    worksheet_paths = parts.get("worksheet", [])
    by_id = _relationship_paths(archive, workbook_path)
    # Only worksheets count: a chart sheet holds no rows.
    sheets = [(name, by_id[key]) for name, key in sheets if by_id.get(key) in worksheet_paths]
    if not sheets:
        raise FileRejected(
            _("This workbook has no sheet with rows. Upload the filled template."),
            code="no_sheet",
        )
    name, sheet_path = sheets[pick_sheet([name for name, _path in sheets])]
    properties = workbook.find(_MAIN + "workbookPr")
    epoch_1904 = properties is not None and properties.get("date1904") in ("1", "true")
    shared = _shared_strings(archive, parts.get("sharedStrings", [None])[0])
    date_styles = _date_styles(archive, parts.get("styles", [None])[0])

    def read_rows() -> Iterator[tuple[int, list[str]]]:
        with archive.open(sheet_path) as source:
            yield from _rows(source, shared, date_styles, epoch_1904)

    return Sheet(KIND, name, _row_count(archive, sheet_path), read_rows)


def _parse(archive: zipfile.ZipFile, path: str) -> Element:
    with archive.open(path) as source:
        return _whole(source)


def _whole(source) -> Element:
    root = None
    for _event, element in xml_events(source):
        root = element
    return root


def _relationship_paths(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship id → path of the target part, for the part at ``part`` ("" = package)."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if rels not in archive.namelist():
        return {}
    paths = {}
    for relation in _parse(archive, rels).iter(_PACKAGE_RELATIONSHIPS + "Relationship"):
        target = relation.get("Target", "")
        if relation.get("TargetMode") == "External":
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        paths[relation.get("Id", "")] = posixpath.normpath(path)
    return paths


def _targets(archive: zipfile.ZipFile, part: str) -> dict[str, list[str]]:
    """Relationship type (the last word: worksheet, styles, …) → paths of its targets."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if rels not in archive.namelist():
        return {"officeDocument": ["xl/workbook.xml"]} if not part else {}
    by_type: dict[str, list[str]] = {}
    ids = _relationship_paths(archive, part)
    for relation in _parse(archive, rels).iter(_PACKAGE_RELATIONSHIPS + "Relationship"):
        kind = relation.get("Type", "").rsplit("/", 1)[-1]
        if relation.get("Id", "") in ids:
            by_type.setdefault(kind, []).append(ids[relation.get("Id", "")])
    return by_type


def _text_of(item: Element) -> str:
    """A string item's text: plain (<t>) or rich (runs of <r><t>), without phonetic hints."""
    direct = item.find(_TEXT)
    if direct is not None:
        return unescape_excel(direct.text or "")
    return unescape_excel("".join(run.findtext(_TEXT, "") for run in item.iter(_RUN)))


def _shared_strings(archive: zipfile.ZipFile, path: str | None) -> list[str]:
    if path is None or path not in archive.namelist():
        return []
    strings = []
    with archive.open(path) as source:
        for _event, element in xml_events(source):
            if element.tag == _MAIN + "si":
                strings.append(_text_of(element))
                element.clear()
    return strings


def _date_styles(archive: zipfile.ZipFile, path: str | None) -> frozenset[int]:
    """The cell styles whose number format shows a date (so the number is a date)."""
    if path is None or path not in archive.namelist():
        return frozenset()
    styles = _parse(archive, path)
    formats = dict(BUILTIN_FORMATS)
    for number_format in styles.iter(_MAIN + "numFmt"):
        formats[int(number_format.get("numFmtId", "0"))] = number_format.get("formatCode", "")
    cell_formats = styles.find(_MAIN + "cellXfs")
    if cell_formats is None:
        return frozenset()
    return frozenset(
        position
        for position, style in enumerate(cell_formats.iter(_MAIN + "xf"))
        if is_date_format(formats.get(int(style.get("numFmtId", "0")), ""))
    )


def _row_count(archive: zipfile.ZipFile, path: str) -> int:
    """The sheet's last row, from its <dimension ref="A1:M100001"> (0 when absent)."""
    with archive.open(path) as source:
        for _event, element in xml_events(source, ("start",)):
            if element.tag == _MAIN + "dimension":
                last = element.get("ref", "").rpartition(":")[2].lstrip(_LETTERS)
                return int(last) if last.isdigit() else 0
            if element.tag == _MAIN + "sheetData":
                return 0
    return 0


@functools.cache
def _column_index(letters: str) -> int:
    """A → 0, Z → 25, AA → 26."""
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


def _rows(source, shared: list[str], date_styles: frozenset[int], epoch_1904: bool):
    row_number = 0
    for row in complete_rows(source, _ROW, (_MAIN + "sheetData",)):
        row_number = int(row.get("r") or row_number + 1)
        cells: list[str] = []
        for cell in row:
            reference = cell.get("r")
            position = _column_index(reference.rstrip(_DIGITS)) if reference else len(cells)
            if position >= MAX_COLUMNS:
                break
            if position > len(cells):
                cells.extend([""] * (position - len(cells)))
            cells.append(_cell_text(cell, shared, date_styles, epoch_1904))
        if any(cells):
            yield row_number, cells


def _cell_text(cell: Element, shared: list[str], date_styles, epoch_1904: bool) -> str:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        inline = cell.find(_INLINE)
        return _text_of(inline) if inline is not None else ""
    value = cell.findtext(_VALUE)
    if not value:
        formula = cell.find(_FORMULA)
        if formula is not None:
            return formula_without_result("=" + (formula.text or ""))
        return ""
    if kind == "s":
        return shared[int(value)]
    if kind == "str":  # the text result of a formula
        return unescape_excel(value)
    if kind == "b":
        return "TRUE" if value == "1" else "FALSE"
    if kind == "e":
        return error_value(value)
    if kind == "d":
        return value.removesuffix("T00:00:00")
    try:
        if int(cell.get("s", "0")) in date_styles:
            return iso_date(excel_serial_date(float(value), epoch_1904=epoch_1904))
        return NumberCell(value)
    except (InvalidOperation, ValueError, OverflowError):
        return value
