"""The messages of the import's own row problems, beside the planner's (accounts.problems)."""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

from accounts.problems import MESSAGES, Message, StaleVersionMessage, render_message

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
