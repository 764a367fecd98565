"""The files staff download, as CSV: the template, its example and the export of the accounts.

Every row is the template's 13 columns as ``columns.AccountResource`` renders them; every cell
is neutralized against CSV injection; UTF-8 with a byte order mark and CRLF line ends, so Excel
opens the file with its accents intact.
"""

import csv
import io
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from accounts.demo import with_cnpj_check_digits, with_cpf_check_digits
from accounts.documents import format_document
from accounts.models import Account

from .columns import FIELD_NAMES, AccountResource, neutralize_cell, template_header

BYTE_ORDER_MARK = "\ufeff"  # so Excel opens the UTF-8 file with its accents intact

EXPORT_CHUNK_SIZE = 2000  # accounts fetched per round trip, and rows per piece of response

# The example file: realistic new accounts (valid check digits; one CNPJ with letters, as
# issued since July 2026), blanks where a column is optional.
EXAMPLE_ACCOUNTS = [
    {
        "email": "ana.silva@example.com",
        "document": format_document("CPF", with_cpf_check_digits("529982247")),
        "document_type": "CPF",
        "credit_limit": "1500.00",
        "tolerance": "0.05",
        "status": "Open",
    },
    {
        "email": "compras@padaria-estrela.example.com.br",
        "document": format_document("CNPJ", with_cnpj_check_digits("112223330001")),
        "document_type": "CNPJ",
        "credit_limit": "25000.00",
        "tolerance": "0.10",
    },
    {
        "email": "financeiro@atacado-horizonte.example.com",
        "document": format_document("CNPJ", with_cnpj_check_digits("12ABC34501DE")),
        "document_type": "CNPJ",
        "credit_limit": "10000.00",
        "tolerance": "0",
        "status": "Open",
    },
    {
        # Digits only: the import accepts documents with or without punctuation.
        "email": "joao.pereira@example.org",
        "document": with_cpf_check_digits("390533447"),
        "document_type": "CPF",
    },
    {
        "email": "maria.gonzalez@example.com",
        "document": "AR-DNI 30.123.456",
        "document_type": "Other",
        "credit_limit": "800.00",
    },
]


def example_rows() -> list[list[str]]:
    """The example file's rows, below the header."""
    return [[example.get(name, "") for name in FIELD_NAMES] for example in EXAMPLE_ACCOUNTS]


def export_rows(accounts: QuerySet[Account]) -> Iterator[list[str]]:
    """Each account as the template's cells, rendered by AccountResource's fields."""
    resource = AccountResource()
    # What Resource.export_field() would pick per cell (the dehydrate method, else the
    # field's widget), looked up once instead of 13 times per row of a million.
    renderers = []
    for name in FIELD_NAMES:
        field = resource.fields[name]
        dehydrate = field.get_dehydrate_method(name)
        if not callable(dehydrate):
            dehydrate = getattr(resource, dehydrate, None)
        renderers.append(dehydrate or field.export)
    stored = {field.name for field in Account._meta.concrete_fields}
    # The computed columns (available credit) read stored ones, all of which are columns too.
    loaded = [name for name in FIELD_NAMES if name in stored]
    for account in accounts.only(*loaded).iterator(chunk_size=EXPORT_CHUNK_SIZE):
        yield [render(account) for render in renderers]


def _csv_text(rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO()
    # csv's default line terminator is CRLF, what RFC 4180 and Excel expect.
    csv.writer(buffer).writerows([[neutralize_cell(cell) for cell in row] for row in rows])
    return buffer.getvalue()


def template_csv() -> str:
    """The template: the header row only."""
    return BYTE_ORDER_MARK + _csv_text([template_header()])


def example_csv() -> str:
    """The template with a few filled rows."""
    return BYTE_ORDER_MARK + _csv_text([template_header(), *example_rows()])


def export_csv(accounts: QuerySet[Account]) -> Iterator[str]:
    """The export as pieces of CSV text, for a streaming response: memory stays flat.

    One query, read in chunks (a server-side cursor on PostgreSQL); rows are written in
    batches because a WSGI server handles a few thousand pieces far better than a million.
    """
    yield BYTE_ORDER_MARK + _csv_text([template_header()])
    batch: list[list[str]] = []
    for row in export_rows(accounts):
        batch.append(row)
        if len(batch) == EXPORT_CHUNK_SIZE:
            yield _csv_text(batch)
            batch = []
    if batch:
        yield _csv_text(batch)
