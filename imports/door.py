"""The door every uploaded cell passes before the engine reads it: no control character, no
lone surrogate, no cell past the size limit goes further.

A CSV decoded as the wrong width (UTF-32 read as UTF-16 holds a NUL after every letter), a
paste from a terminal, or a spreadsheet's escaped _x0000_ puts characters in a cell that no
account field may hold and PostgreSQL cannot even store (NUL). Such a cell becomes a
``spreadsheets.cells.UnreadableCell`` that names the character (a NUL with the planner's own
message, as the form and the API give it), so its row is refused with a row error and its
text (shown in row errors and the error report) holds � in their place. A header cell
holding one refuses the whole file, naming the column.
"""

import re

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .rejections import FileRejected
from .spreadsheets.cells import UnreadableCell

# One cell, as Python's csv module is told to read at most (reader.py).
MAX_CELL_CHARACTERS = 1024 * 1024
# C0 controls except tab, line feed and carriage return (a cell may hold a line break),
# C1 controls, and lone surrogates (which only a spreadsheet's _xD800_ escape can produce).
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x80-\x9f\ud800-\udfff]")
# How much of an over-long cell the row error and the error report keep.
_SHOWN_OF_LONG_CELL = 200


def character_name(character: str) -> str:
    """A character as staff can look it up: U+0000."""
    return f"U+{ord(character):04X}"


def checked_cells(cells: list[str]) -> list[str]:
    """The row's cells, each unsafe one replaced by an UnreadableCell saying why."""
    # Nearly every row: one scan of the row's text, no copy (a cell-by-cell scan cost 14 %
    # of a 100,000-row update import, more than all its SQL).
    if max(map(len, cells), default=0) <= MAX_CELL_CHARACTERS and not _UNSAFE.search(
        "".join(cells)
    ):
        return cells
    return [_checked(cell) for cell in cells]


def _checked(cell: str) -> str:
    if len(cell) > MAX_CELL_CHARACTERS:
        return UnreadableCell(
            _UNSAFE.sub("\ufffd", cell[:_SHOWN_OF_LONG_CELL]) + "…",
            code="value_too_long",
            params={"length": len(cell), "max": MAX_CELL_CHARACTERS},
        )
    found = _UNSAFE.search(cell)
    if found is None:
        return cell
    shown = _UNSAFE.sub("\ufffd", cell)
    if "\x00" in cell:
        # The planner's own message for NUL (accounts.rules.check_storable): the form and
        # the API say the same for the same value.
        return UnreadableCell(shown, code="null_character", params={"value": shown})
    return UnreadableCell(
        shown,
        code="control_character",
        params={"character": character_name(found.group()), "position": found.start() + 1},
    )


def check_header(header: list[str], column_letter) -> None:
    """Refuse a file whose header row holds an unsafe character, naming the column."""
    for position, cell in enumerate(header):
        found = _UNSAFE.search(cell)
        if found is not None:
            raise FileRejected(
                _(
                    "The header row holds an invisible control character (%(character)s) in "
                    "column %(letter)s, so the file cannot be read as the template. It is "
                    "often a file saved in another encoding: save it again as “CSV UTF-8” or "
                    "as .xlsx and upload that file."
                )
                % {"character": character_name(found.group()), "letter": column_letter(position)},
                code="control_character_in_header",
            )


def cell_too_long(row_number: int) -> FileRejected:
    """The csv module stops at a cell over the limit: the file is refused at that row."""
    return FileRejected(
        _(
            "Row %(row)s holds a value longer than %(limit)s, more than any cell of the "
            "template can hold. Usually a quote (\") opens a value and is never closed, so the "
            "rest of the file reads as one cell: fix that row and upload the file again."
        )
        % {"row": row_number, "limit": filesizeformat(MAX_CELL_CHARACTERS)},
        code="cell_too_long",
    )
