"""What both workbook readers give the import: one sheet, as rows of typed cells."""

import contextlib
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError, XMLPullParser

from django.utils.translation import gettext as _

from ..rejections import FileRejected

# The sheet the template names; any other sheet name means "take the first sheet".
TEMPLATE_SHEET_NAME = "Accounts"
# Spreadsheet programs stop at 1,048,576 rows; a row repeated past it is not data.
MAX_ROWS = 1_048_576
# A trailing run of blank cells is often written as one cell repeated to the sheet's edge.
MAX_COLUMNS = 1024

_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
CHUNK_SIZE = 256 * 1024


@dataclass
class Sheet:
    """One sheet of an uploaded workbook; ``rows()`` streams it (the workbook stays open)."""

    kind: str  # "xlsx" or "ods"
    name: str
    row_count: int  # rows the sheet holds, header included (for progress)
    read_rows: Callable[[], Iterator[tuple[int, list[str]]]]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Every row that has a value, as (row number as the spreadsheet shows it, cells)."""
        try:
            yield from self.read_rows()
        except READ_ERRORS:
            raise damaged_file() from None


def pick_sheet(names: list[str]) -> int:
    """The position of the sheet named like the template, else of the first sheet."""
    wanted = _name_key(TEMPLATE_SHEET_NAME)
    for position, name in enumerate(names):
        if _name_key(name) == wanted:
            return position
    return 0


def _name_key(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name)
    return "".join(char for char in plain.lower() if char.isalnum())


def unescape_excel(text: str) -> str:
    """Excel writes control characters in strings as _x000D_; give them back."""
    if "_x" not in text:
        return text
    return _EXCEL_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), text)


def iso_date(moment: datetime) -> str:
    """A date cell as the CSV path would hold it: 2026-07-01, with the time only if it has one."""
    if moment.time() == datetime.min.time():
        return moment.date().isoformat()
    return moment.isoformat(timespec="seconds")


def excel_serial_date(serial: float, *, epoch_1904: bool) -> datetime:
    if epoch_1904:
        return datetime(1904, 1, 1) + timedelta(days=serial)
    # Excel counts 29 February 1900, which did not exist (Lotus 1-2-3's bug, kept on purpose).
    start = datetime(1899, 12, 30) if serial >= 61 else datetime(1899, 12, 31)
    return start + timedelta(days=serial)


def xml_events(source: BinaryIO, events: tuple[str, ...] = ("end",)) -> Iterator[tuple]:
    """Parse an uploaded part as a stream of (event, element), with the standard library's
    C parser (defusedxml's pure-Python one reads 5 times slower).

    A part with a DTD is refused: spreadsheets never carry one, and it is where the XML
    attacks live (expat also caps entity expansion, and ElementTree fetches nothing).
    """
    parser = XMLPullParser(events)
    prolog_checked = False
    for chunk in iter(lambda: source.read(CHUNK_SIZE), b""):
        if not prolog_checked:
            root = _FIRST_ELEMENT.search(chunk)
            if b"<!DOCTYPE" in chunk[: root.start() if root else len(chunk)]:
                raise damaged_file()
            prolog_checked = root is not None
        parser.feed(chunk)
        yield from parser.read_events()
    parser.close()
    yield from parser.read_events()


def complete_rows(
    source: BinaryIO,
    row_tag: str,
    container_tags: tuple[str, ...],
    *,
    section_tag: str = "",
    section: int = 0,
) -> Iterator[Element]:
    """Each ``row_tag`` element of a part, once parsed whole, then dropped from the tree;
    with ``section_tag``, only the rows inside the ``section``-th such element (0-based).

    Only start events are asked for: a row is complete when the next one (or the next
    section, or the end of the part) starts. That is half the events of start + end, and the
    parent (the last of ``container_tags`` started) is known, so read rows are removed and
    memory stays flat.
    """
    current = -1 if section_tag else section
    pending: Element | None = None
    parent: Element | None = None
    for _event, element in xml_events(source, ("start",)):
        tag = element.tag
        if tag in (row_tag, section_tag):
            if pending is not None:
                if current == section:
                    yield pending
                _drop(pending, parent)
                pending = None
            if tag == section_tag:
                current += 1
                if current > section:
                    return
            else:
                pending = element
        if tag in container_tags:
            parent = element
    if pending is not None and current == section:
        yield pending


def _drop(row: Element, parent: Element | None) -> None:
    row.clear()
    if parent is not None:
        # ValueError: a row outside the last container started (after a header group).
        with contextlib.suppress(ValueError):
            parent.remove(row)


def damaged_file() -> FileRejected:
    return FileRejected(
        _(
            "This spreadsheet is damaged and could not be read to the end. Open it in Excel or "
            "LibreOffice, save it again and upload it."
        ),
        code="damaged_spreadsheet",
    )


# What reading a damaged workbook raises: broken XML, a truncated or corrupted zip entry.
READ_ERRORS = (ParseError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError)
