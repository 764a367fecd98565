"""Validation (the preview): the file's rows through the planner, into a plan and row errors.

Writes nothing to the accounts, nor to the job: progress and row errors go to ``on_batch``
batch by batch, the plan to ``plan_file``, and the counts come back as a ValidationResult.
"""

from collections.abc import Callable
from datetime import datetime
from typing import BinaryIO

from django.utils.translation import gettext as _

from accounts.amounts import NumberStyle
from accounts.changes import AccountChangePlanner, Action
from accounts.models import StoreSettings

from .. import reader
from .meaning import (
    RowMeaning,
    cell_errors,
    doubt_rounded_documents,
    refuse_documents_typed_as_numbers,
)
from .plan_file import plan_line, plan_writer
from .preview import ValidationResult
from .repeat import undone_changes
from .rows import ParsedRow, RowError, RowWarning, batched, parse_rows


def validate_file(
    open_binary: Callable[[], BinaryIO],
    file_format: reader.FileFormat,
    *,
    plan_file: BinaryIO,
    store_settings: StoreSettings,
    number_style: NumberStyle,
    batch_size: int,
    on_batch: Callable[[int, list[RowError], list[RowWarning]], None],
    identical_import: tuple[int, datetime] | None = None,
) -> ValidationResult:
    """Read and check the whole file, batch by batch; raises reader.FileRejected, and
    accounts.amounts.StyleUndecided when ``number_style`` is pending and an amount reads two
    ways (imports.number_style decides, then the file is read again).

    ``on_batch(rows_read, row_errors, row_warnings)`` runs after each batch. One planner reads
    the whole file, so a second row for the same account (or document, or e-mail) is found in
    any batch. For a file identical to an applied import, ``identical_import`` (its number and
    when it finished) makes every change that would undo a later one a warning.
    """
    meaning = RowMeaning(file_format, number_style)
    planner = AccountChangePlanner(store_settings)
    result = ValidationResult()
    plan_text, plan_lines = plan_writer(plan_file)
    try:
        with open_binary() as binary:
            records = reader.iter_records(
                binary, encoding=file_format.encoding, delimiter=file_format.delimiter
            )
            for batch in batched(parse_rows(records, file_format), batch_size):
                errors: list[RowError] = []
                planned: list[ParsedRow] = []
                for row in batch:
                    refused_cells = cell_errors(row, meaning)
                    errors.extend(refused_cells)
                    if not refused_cells:
                        planned.append(row)
                plan = planner.plan([meaning.proposal(row) for row in planned])
                row_by_number = {row.row_number: row for row in planned}
                for refusal in plan.refused:
                    errors.extend(
                        meaning.row_errors(
                            refusal.proposal,
                            refusal.problems,
                            row_by_number[refusal.proposal.reference],
                        )
                    )
                errors.extend(refuse_documents_typed_as_numbers(plan, planned, meaning))
                warnings = _warnings(plan.accepted, row_by_number, meaning)
                warnings.extend(doubt_rounded_documents(plan.accepted, row_by_number, meaning))
                undone = []
                if identical_import is not None:
                    number, finished_at = identical_import
                    undone = undone_changes(
                        plan.accepted, since=finished_at, earlier_import=number, meaning=meaning
                    )
                plan_lines.writerows(
                    plan_line(change)
                    for change in plan.accepted
                    if change.action != Action.UNCHANGED
                )
                result.count(plan, rows=len(batch), error_rows=len(batch) - len(plan.accepted))
                result.mark_undone(undone)
                warnings.extend(undone)
                result.warnings += len(warnings)
                on_batch(result.rows, errors, warnings)
    finally:
        planner.close()
        # Never let the wrapper close plan_file: a style decided late reads the file again.
        plan_text.flush()
        plan_text.detach()
    if result.rows == 0:
        raise reader.FileRejected(
            _(
                "The file has a header row but no accounts: add one row per account below the "
                "header."
            ),
            code="header_only",
        )
    return result


def _warnings(
    accepted, row_by_number: dict[int, ParsedRow], meaning: RowMeaning
) -> list[RowWarning]:
    with_warnings = [change for change in accepted if change.warnings]
    if not with_warnings:
        return []
    return [
        warning
        for change in with_warnings
        for warning in meaning.row_warnings(change, row_by_number[change.reference])
    ]
