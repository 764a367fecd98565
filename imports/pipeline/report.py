"""The error report: the rows with errors or warnings as uploaded, with an Errors column in
the reader's language."""

import heapq
from collections.abc import Iterator

from django.utils.translation import gettext as _

from .. import columns, reader
from ..messages import render_row_message
from ..models import ImportJob


def _row_problems(job: ImportJob) -> Iterator[tuple[int, str, str]]:
    """(row, column, message in the active language) of the job's errors and warnings, in row
    order; a warning's message says it is one."""
    errors = job.row_errors.order_by("row_number", "id").values_list(
        "row_number", "column", "code", "params", "fallback_message"
    )
    warnings = job.row_warnings.order_by("row_number", "id").values_list(
        "row_number", "column", "code", "params"
    )
    rendered_errors = (
        (row, column, render_row_message(code, params, fallback=fallback))
        for row, column, code, params, fallback in errors.iterator(chunk_size=2000)
    )
    rendered_warnings = (
        (row, column, _("Warning: %(message)s") % {"message": render_row_message(code, params)})
        for row, column, code, params in warnings.iterator(chunk_size=2000)
    )
    return heapq.merge(rendered_errors, rendered_warnings, key=lambda problem: problem[0])


def failing_rows(job: ImportJob) -> Iterator[tuple[list[str], list[tuple[str, str]]]]:
    """The file's header (with no problems), then each row with errors or warnings as uploaded,
    with them as (column, message in the active language); a previous report's Errors column
    left out.

    Streams the stored file and the job's problems (all in row order) side by side, so a
    report of a million rows costs no more memory than one of ten.
    """
    pending = _row_problems(job)
    next_problem = next(pending, None)
    with job.file.storage.open(job.file.name, "rb") as binary:
        records = reader.iter_records(
            binary, encoding=job.encoding, delimiter=job.delimiter, include_header=True
        )
        kept: list[int] | None = None
        for row_number, cells in records:
            if kept is None:
                # A previous report's Errors column is replaced, not repeated.
                kept = [
                    position
                    for position, cell in enumerate(cells)
                    if cell.strip().lower() != reader.ERRORS_COLUMN.lower()
                ]
                yield [cells[position] for position in kept], []
                continue
            problems = []
            while next_problem is not None and next_problem[0] <= row_number:
                if next_problem[0] == row_number:
                    problems.append(next_problem[1:])
                next_problem = next(pending, None)
            if problems:
                kept_cells = [cells[position] if position < len(cells) else "" for position in kept]
                yield kept_cells, problems
            if next_problem is None:
                break


def error_report_rows(job: ImportJob) -> Iterator[list[str]]:
    """The CSV error report's rows: the header and failing rows, plus an Errors column."""
    for number, (cells, errors) in enumerate(failing_rows(job)):
        last = reader.ERRORS_COLUMN if number == 0 else joined_messages(errors)
        yield [columns.neutralize_cell(cell) for cell in cells] + [columns.neutralize_cell(last)]


def joined_messages(errors: list[tuple[str, str]]) -> str:
    """A row's errors in one cell: "Column: message | …"."""
    return " | ".join(f"{column}: {message}" if column else message for column, message in errors)
