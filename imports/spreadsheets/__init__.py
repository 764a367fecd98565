"""Uploaded spreadsheets (.xlsx, .ods): which kind a file is, whether it is safe to read, and
its rows as the CSV reader gives them (``reader`` calls ``open_workbook``).

A workbook is a zip archive of XML files. Before anything is parsed, the archive's directory
is checked: the kind (by its contents, never its name: a renamed file is still refused), no
macros, no encryption, and the declared sizes and number of entries, which bound what
reading can inflate (Python's zipfile stops at the declared size), so a zip bomb is refused
without decompressing it. The sheet itself is then parsed as a stream of XML events
(``xlsx``, ``ods``): memory stays flat whatever the number of rows.

Chosen by measurement on a 100,000-row template (2 cores): python-calamine reads 220,000
rows/s but holds the whole sheet (93 MB for .xlsx, 149 MB for .ods, growing with the rows) and
cannot tell a formula without a saved result from a blank cell; openpyxl's read-only mode
streams at 10,000 rows/s (39 MB), and its values lose the same distinction; pyexcel-ods3 and
odfpy load the whole document (647 MB and 2 GB). Streaming the sheet's XML with the standard
library's expat parser reads 50,000 rows/s (.xlsx) and 33,000 rows/s (.ods) in 22 MB.
"""

import zipfile
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

from ..rejections import FileRejected
from . import ods, xlsx
from .sheet import Sheet

ZIP_SIGNATURE = b"PK\x03\x04"
# The Compound File container of Excel 97-2003 workbooks, and of password-protected
# .xlsx files (which Excel encrypts into an "EncryptedPackage" stream inside one).
COMPOUND_FILE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")

# A workbook saved by Excel or LibreOffice has a few dozen entries and its XML compresses
# 10 to 60 times; a zip bomb has thousands of entries or compresses a thousand times.
MAX_ENTRIES = 1000
MAX_COMPRESSION_RATIO = 200
# What the sheet's XML may inflate to, as a multiple of the upload limit.
MAX_INFLATION = 100

SPREADSHEET_KINDS = (xlsx.KIND, ods.KIND)


def is_workbook(head: bytes) -> bool:
    """Whether a file starting with these bytes is a zip or Compound File (Excel) container."""
    return head.startswith((ZIP_SIGNATURE, COMPOUND_FILE_SIGNATURE))


def open_workbook(binary: BinaryIO) -> Sheet:
    """The sheet to import of an uploaded workbook; raises FileRejected with the fix.

    ``binary`` must stay open while the sheet is read.
    """
    archive, kind = _checked_archive(binary)
    return (xlsx if kind == xlsx.KIND else ods).open_sheet(archive)


def check_workbook(binary: BinaryIO) -> None:
    """Refuse a workbook the import cannot read, from its zip directory and small parts only
    (the upload form calls it: a refused file is never stored). Raises FileRejected."""
    _checked_archive(binary)
    binary.seek(0)


def _checked_archive(binary: BinaryIO) -> tuple[zipfile.ZipFile, str]:
    head = binary.read(64 * 1024)
    binary.seek(0)
    if head.startswith(COMPOUND_FILE_SIGNATURE):
        if ENCRYPTED_PACKAGE in head:
            raise _encrypted()
        raise FileRejected(
            _(
                "This is an Excel 97-2003 workbook (.xls). In Excel choose File › Save As › "
                "“Excel Workbook (.xlsx)” and upload that file."
            ),
            code="old_excel_format",
        )
    try:
        archive = zipfile.ZipFile(binary)
    except (zipfile.BadZipFile, OSError):
        raise _not_a_spreadsheet() from None
    _check_archive(archive)
    names = set(archive.namelist())
    if xlsx.is_xlsx(archive, names):
        return archive, xlsx.KIND
    if ods.is_ods(archive, names):
        return archive, ods.KIND
    raise _not_a_spreadsheet()


def _check_archive(archive: zipfile.ZipFile) -> None:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise _not_a_spreadsheet()
    total = 0
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise _encrypted()
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO:
            raise _inflates_too_much()
        total += entry.file_size
    if total > MAX_INFLATION * settings.IMPORT_MAX_UPLOAD_BYTES:
        raise _inflates_too_much()


def _not_a_spreadsheet() -> FileRejected:
    return FileRejected(
        _(
            "This file is not a spreadsheet the import can read (it may be another kind of "
            "file renamed). Upload the template as .xlsx, .ods or CSV."
        ),
        code="not_a_spreadsheet",
    )


def _encrypted() -> FileRejected:
    return FileRejected(
        _(
            "This workbook is protected with a password, so it cannot be read. Save a copy "
            "without the password and upload that file."
        ),
        code="encrypted_workbook",
    )


def _inflates_too_much() -> FileRejected:
    return FileRejected(
        _(
            "This file unpacks to far more data than a spreadsheet of its size holds, so it "
            "was not opened. Save the template again from Excel or LibreOffice and upload it."
        ),
        code="zip_bomb",
    )
