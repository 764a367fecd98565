"""The error report: the failing rows as uploaded, with an Errors column in the reader's
language."""

from collections.abc import Iterator

from .. import columns, reader
from ..messages import render_row_message
from ..models import ImportJob


def failing_rows(job: ImportJob) -> Iterator[tuple[list[str], list[tuple[str, str]]]]:
    """The file's header (with no errors), then each failing row as uploaded with its errors
    as (column, message in the active language); a previous report's Errors column left out.

    Streams the stored file and the job's errors (both in row order) side by side, so a
    report of a million rows costs no more memory than one of ten.
    """
    errors = job.row_errors.order_by("row_number", "id").values_list(
        "row_number", "column", "code", "params", "fallback_message"
    )
    pending = iter(errors.iterator(chunk_size=2000))
    next_error = next(pending, None)
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
            row_errors = []
            while next_error is not None and next_error[0] <= row_number:
                if next_error[0] == row_number:
                    _row, column, code, params, fallback = next_error
                    message = render_row_message(code, params, fallback=fallback)
                    row_errors.append((column, message))
                next_error = next(pending, None)
            if row_errors:
                kept_cells = [cells[position] if position < len(cells) else "" for position in kept]
                yield kept_cells, row_errors
            if next_error is None:
                break


def error_report_rows(job: ImportJob) -> Iterator[list[str]]:
    """The CSV error report's rows: the header and failing rows, plus an Errors column."""
    for number, (cells, errors) in enumerate(failing_rows(job)):
        last = reader.ERRORS_COLUMN if number == 0 else joined_messages(errors)
        yield [columns.neutralize_cell(cell) for cell in cells] + [columns.neutralize_cell(last)]


def joined_messages(errors: list[tuple[str, str]]) -> str:
    """A row's errors in one cell: "Column: message | …"."""
    return " | ".join(f"{column}: {message}" if column else message for column, message in errors)
