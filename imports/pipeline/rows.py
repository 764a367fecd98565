"""The values the import's stages pass each other: a file's rows, their errors, batches."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.conf import settings

from accounts.rules import storable

from .. import columns, reader
from ..models import ImportRowError, ImportRowWarning


def configured_batch_size() -> int:
    """Rows per query round and per transaction (settings.IMPORT_BATCH_SIZE)."""
    return settings.IMPORT_BATCH_SIZE


@dataclass(slots=True)
class ParsedRow:
    """One data row of the file: its spreadsheet number and the text of each filled cell
    of a writable column, by template field (a blank cell means "leave it as it is")."""

    row_number: int
    values: dict[str, str]
    extra_cells: int = 0
    # Typed cells by field (reader.iter_records: NumberCell, UnreadableCell).
    typed_cells: dict[str, str] | None = None


@dataclass(slots=True)
class RowError:
    """What is wrong with one row, or one of its cells: a code and its parameters."""

    row_number: int
    column: str
    value: str
    code: str
    params: dict
    # The account a planned change was held back from (a conflict), "" for a refused row.
    account_id: str = ""

    def as_model(self, job_id: int) -> ImportRowError:
        return ImportRowError(
            job_id=job_id,
            row_number=self.row_number,
            account_id=self.account_id,
            column=storable(self.column[:100]),
            value=storable(self.value[:255]),
            code=self.code[:50],
            params=_storable(self.params),
        )


@dataclass(slots=True)
class RowWarning:
    """What to check about a row that will be applied: a code and its parameters, the cell,
    and what will be stored."""

    row_number: int
    column: str
    value: str
    field: str
    stored_value: str
    account_id: str
    code: str
    params: dict

    def as_model(self, job_id: int) -> ImportRowWarning:
        return ImportRowWarning(
            job_id=job_id,
            row_number=self.row_number,
            column=storable(self.column[:100]),
            value=storable(self.value[:255]),
            field=self.field,
            stored_value=storable(self.stored_value[:255]),
            account_id=self.account_id,
            code=self.code[:50],
            params=_storable(self.params),
        )


def _storable(value):
    """Parameters hold the typed value, which may carry a NUL PostgreSQL refuses to store."""
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, list):
        return [_storable(item) for item in value]
    if isinstance(value, dict):
        return {name: _storable(item) for name, item in value.items()}
    return value


def parse_rows(
    records: Iterable[tuple[int, list[str]]], file_format: reader.FileFormat
) -> Iterator[ParsedRow]:
    """Records → the text of each filled writable cell (read-only columns are dropped)."""
    positions = [
        (position, name)
        for position, name in enumerate(file_format.fields_by_position)
        if name is not None
    ]
    width = len(file_format.header)
    unquote = columns.strip_neutralizing_quote
    for row_number, cells in records:
        count = len(cells)
        values = {}
        for position, name in positions:
            if position < count and (value := cells[position].strip()):
                values[name] = unquote(value) if value[0] == "'" else value
        extra = sum(1 for cell in cells[width:] if cell.strip()) if count > width else 0
        # A spreadsheet's typed cells, and any cell of a CSV the door refused (imports.door).
        typed_cells = {
            name: cells[position]
            for position, name in positions
            if position < count and type(cells[position]) is not str
        }
        yield ParsedRow(row_number, values, extra, typed_cells or None)


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
