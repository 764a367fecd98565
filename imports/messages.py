"""The messages of the import's own row problems, beside the planner's (accounts.problems),
and of a job's notes (how its file was read): stored as codes, worded when read."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from accounts.problems import (
    MESSAGES,
    CountedMessage,
    Message,
    StaleVersionMessage,
    render_message,
)
from accounts.rules import storable

IMPORT_MESSAGES: Mapping[str, Message] = {
    "too_many_cells": Message(
        _(
            "This row has more cells than the header has columns: a value probably contains "
            "the file's delimiter; put that value in double quotes."
        )
    ),
    # A spreadsheet's cells (imports.spreadsheets.cells).
    "formula_without_value": Message(
        _(
            "This cell holds a formula whose result was not saved with the file. Open the "
            "file in Excel or LibreOffice and save it again, or type the value itself."
        )
    ),
    "spreadsheet_error_value": Message(
        _("The cell shows the spreadsheet error %(error)s: fix the formula or type the value.")
    ),
    "document_typed_as_number": Message(
        _(
            "This document was typed as a number, so the spreadsheet may have changed it "
            "(dropped its leading zeros or rounded its digits). Format the Document column "
            "as text and type the document again."
        )
    ),
    # The door every cell passes (imports.door).
    "control_character": Message(
        _(
            "This cell holds an invisible control character (%(character)s, character "
            "%(position)s of the cell), which no account field can hold. Delete it (retype the "
            "value), or save the file again as “CSV UTF-8” or .xlsx if it came from another "
            "program."
        )
    ),
    "value_too_long": Message(
        _(
            "This cell holds %(length)s characters, more than the %(max)s a cell may hold: it "
            "is not a value of the template. Put the right value in it."
        ),
        numbers=("length", "max"),
    ),
    # A file uploaded again, on an account changed since the earlier import (pipeline.repeat).
    "undoes_change": StaleVersionMessage(
        _(
            "Changed by %(who)s on %(when)s through %(through)s since import #%(import)s: "
            "applying this row again puts the file's value back and undoes that change."
        )
    ),
    # A revert (pipeline.revert): the accounts it leaves alone, and why.
    "changed_since_import": StaleVersionMessage(
        _(
            "Changed by %(who)s on %(when)s through %(through)s since import #%(import)s: "
            "the revert leaves this account as it is."
        )
    ),
    "used_since_import": Message(
        _(
            "Opened by import #%(import)s and used since (credit moved or a holder was "
            "added): the revert leaves it open."
        )
    ),
    "closure_not_undone": Message(
        _(
            "Closed by import #%(import)s: closing is irreversible, so the revert cannot "
            "reopen it. It stays closed."
        )
    ),
    "no_history_before_import": Message(
        _(
            "The history before import #%(import)s is missing for this account: the revert "
            "cannot tell its earlier values and leaves it as it is."
        )
    ),
    "row_not_applied": Message(
        _(
            "The database refused this row when it was applied (another change at the same "
            "moment, or a value it cannot hold); the other rows were applied. Check the "
            "account, then upload the row again."
        )
    ),
}
ROW_MESSAGES: Mapping[str, Message] = {**MESSAGES, **IMPORT_MESSAGES}


def render_row_message(code: str, params: Mapping[str, object], *, fallback: str = "") -> str:
    """A row problem's message in the active language (the planner's codes included)."""
    return render_message(code, params, fallback=fallback, messages=ROW_MESSAGES)


NOTE_MESSAGES: Mapping[str, Message] = {
    # How the file was read (imports.reader).
    "semicolon_separated": Message(
        _(
            "Semicolon-separated file (as Excel saves it in Spanish or Portuguese): read "
            "with decimal commas, so 1.500,00 is 1500.00 and 0,05 is 0.05."
        )
    ),
    "tab_separated": Message(_("Tab-separated file: read with tabs between the columns.")),
    "read_as_cp1252": Message(
        _("The file is not UTF-8: it was read as Windows-1252 (Excel's ANSI).")
    ),
    "read_as_utf16": Message(_("The file is UTF-16 (Excel's Unicode text): read as such.")),
    "read_as_utf32": Message(_("The file is UTF-32: read as such.")),
    "sheet_read": Message(_("The sheet “%(sheet)s” was read.")),
    "errors_column_ignored": Message(_("The Errors column of an error report was ignored.")),
    # What the rows did (imports.services).
    "matched_by_document": CountedMessage(
        ngettext_lazy(
            "%(count)s row without an Id updates the open account that has the same document.",
            "%(count)s rows without an Id update the open account that has the same document.",
        )
    ),
    # How the amounts were read (imports.number_style).
    "amounts_mixed": Message(
        _(
            "Amounts: this file writes some with a decimal point (row %(point_row)s: "
            "“%(point)s”) and others with a decimal comma (row %(comma_row)s: "
            "“%(comma)s”). Each is read as written; one that reads differently each way, "
            "such as 1.500, is refused."
        )
    ),
    "amounts_point_cells": CountedMessage(
        ngettext_lazy(
            "Amounts: read with a decimal point (1,500.00 is fifteen hundred): "
            "%(count)s cell can only be read that way, “%(example)s” (row %(row)s, "
            "%(column)s).",
            "Amounts: read with a decimal point (1,500.00 is fifteen hundred): "
            "%(count)s cells can only be read that way, such as “%(example)s” "
            "(row %(row)s, %(column)s).",
        )
    ),
    "amounts_comma_cells": CountedMessage(
        ngettext_lazy(
            "Amounts: read with a decimal comma (1.500,00 is fifteen hundred): %(count)s "
            "cell can only be read that way, “%(example)s” (row %(row)s, %(column)s).",
            "Amounts: read with a decimal comma (1.500,00 is fifteen hundred): %(count)s "
            "cells can only be read that way, such as “%(example)s” (row %(row)s, "
            "%(column)s).",
        )
    ),
    "amounts_comma_convention": Message(
        _(
            "Amounts: read with a decimal comma (1.500 is fifteen hundred), as Excel "
            "writes semicolon-separated files in Spanish and Portuguese; no amount "
            "in the file shows it for certain."
        )
    ),
    "amounts_point_convention": Message(
        _(
            "Amounts: read with a decimal point (1,500 is fifteen hundred), as Excel "
            "writes comma-separated files in languages with decimal points; no "
            "amount in the file shows it for certain."
        )
    ),
    "amounts_style_unknown": Message(
        _(
            "Amounts: nothing in the file shows whether it uses decimal points or "
            "decimal commas."
        )
    ),
    "amounts_ambiguous_checked": CountedMessage(
        ngettext_lazy(
            "%(count)s amount, “%(example)s” (row %(row)s), can be read two ways: it "
            "is read as thousands, with a warning if that contradicts the file's format.",
            "%(count)s amounts, such as “%(example)s” (row %(row)s), can be read two "
            "ways: they are read as thousands, with a warning where that contradicts "
            "the file's format.",
        )
    ),
    "amounts_ambiguous_warned": CountedMessage(
        ngettext_lazy(
            "%(count)s amount, “%(example)s” (row %(row)s), can be read two ways: it "
            "is read as thousands and listed as a warning.",
            "%(count)s amounts, such as “%(example)s” (row %(row)s), can be read two "
            "ways: they are read as thousands and listed as warnings.",
        )
    ),
}


@dataclass(frozen=True)
class Note:
    """One line of a job's notes, as stored on ImportJob.notes: a code and its parameters."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    def as_stored(self) -> dict[str, object]:
        # A sheet name or a cell quoted as an example may hold what no database stores.
        params = {
            name: storable(value) if isinstance(value, str) else value
            for name, value in self.params.items()
        }
        return {"code": self.code, "params": params}

    @property
    def text(self) -> str:
        """The note in the active language."""
        return render_note(self.as_stored())


def render_note(stored: Mapping[str, object]) -> str:
    """A stored note in the active language (a note stored as text before codes: as it is)."""
    return render_message(
        str(stored.get("code", "")),
        stored.get("params") or {},  # type: ignore[arg-type]
        fallback=str(stored.get("text", "")),
        messages=NOTE_MESSAGES,
    )
