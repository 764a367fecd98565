"""The error report: the failing rows as uploaded, with an Errors column."""

from collections.abc import Iterator

from .. import columns, reader
from ..models import ImportJob


def error_report_rows(job: ImportJob) -> Iterator[list[str]]:
    """The file's header and its failing rows as uploaded, each with an Errors column.

    Streams the stored file and the job's errors (both in row order) side by side, so a
    report of a million rows costs no more memory than one of ten.
    """
    errors = job.row_errors.order_by("row_number", "id").values_list(
        "row_number", "column", "message"
    )
    pending = iter(errors.iterator(chunk_size=2000))
    next_error = next(pending, None)
    with job.file.storage.open(job.file.name, "rb") as binary:
        records = reader.iter_records(
            binary, encoding=job.encoding, delimiter=job.delimiter, include_header=True
        )
        header: list[str] | None = None
        kept: list[int] = []
        for row_number, cells in records:
            if header is None:
                header = cells
                # A previous report's Errors column is replaced, not repeated.
                kept = [
                    position
                    for position, cell in enumerate(header)
                    if cell.strip().lower() != reader.ERRORS_COLUMN.lower()
                ]
                yield [columns.neutralize_cell(header[position]) for position in kept] + [
                    reader.ERRORS_COLUMN
                ]
                continue
            messages = []
            while next_error is not None and next_error[0] <= row_number:
                if next_error[0] == row_number:
                    column, message = next_error[1], next_error[2]
                    messages.append(f"{column}: {message}" if column else message)
                next_error = next(pending, None)
            if messages:
                yield [
                    columns.neutralize_cell(cells[position] if position < len(cells) else "")
                    for position in kept
                ] + [columns.neutralize_cell(" | ".join(messages))]
            if next_error is None:
                break
