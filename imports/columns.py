"""The CSV template's columns, defined once, and the rules for every CSV cell the app writes.

``AccountResource`` (django-import-export) is the one definition of the 13 columns: the
template, the example, the export, the help page and the import's header matching all read it.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from accounts.demo import with_cnpj_check_digits, with_cpf_check_digits
from accounts.models import Account
from accounts.rules import format_document


class PlainDecimalWidget(widgets.DecimalWidget):
    """Numbers with a dot decimal and no grouping in every language, so the file is portable.

    django-import-export's own widget renders with the active locale (1.500,00 in pt-BR),
    which another store or the API could not read back.
    """

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else format(value, "f")


class UtcDateTimeWidget(widgets.DateTimeWidget):
    """ISO-8601 in UTC with a Z, to the second, as the API writes dates."""

    def render(self, value, obj=None, **kwargs):
        if not isinstance(value, datetime):
            return ""
        return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _money_field(attribute: str, column_name: str, *, readonly: bool = False) -> fields.Field:
    return fields.Field(
        attribute=attribute,
        column_name=column_name,
        readonly=readonly,
        widget=PlainDecimalWidget(),
    )


def _date_field(attribute: str, column_name: str) -> fields.Field:
    return fields.Field(
        attribute=attribute, column_name=column_name, readonly=True, widget=UtcDateTimeWidget()
    )


class AccountResource(resources.ModelResource):
    """The 13 template columns, in order; the last 6 are read-only (export only)."""

    id = fields.Field(attribute="id", column_name="Id")
    email = fields.Field(attribute="email", column_name="Email")
    document = fields.Field(attribute="document", column_name="Document")
    document_type = fields.Field(attribute="document_type", column_name="Document Type")
    credit_limit = _money_field("credit_limit", "Credit limit")
    tolerance = _money_field("tolerance", "Tolerance rate")
    status = fields.Field(attribute="status", column_name="Status")
    balance = _money_field("balance", "Balance", readonly=True)
    available_credit = _money_field("available_credit", "Available credit", readonly=True)
    available_balance = _money_field("available_balance", "Available balance", readonly=True)
    pre_authorized_credit = _money_field(
        "pre_authorized_credit", "Pre-authorized credit", readonly=True
    )
    created_at = _date_field("created_at", "Created at")
    updated_at = _date_field("updated_at", "Updated at")

    # Other accepted spellings of each header, besides the column name itself: the VTEX API
    # names and the words staff use in Spanish and Portuguese.
    ALIASES = {
        "id": ["accountId", "account id", "id da conta", "id de cuenta"],
        "email": ["e-mail", "correo", "correo electronico", "e-mail do cliente"],
        "document": ["documento"],
        "document_type": ["documentType", "tipo de documento", "tipo do documento"],
        "credit_limit": ["creditLimit", "limite de credito", "limite"],
        "tolerance": ["tolerance", "tolerancia", "taxa de tolerancia", "tasa de tolerancia"],
        "status": ["estado", "situacao"],
        "balance": ["saldo"],
        "available_credit": ["availableCredit", "credito disponivel", "credito disponible"],
        "available_balance": ["availableBalance", "saldo disponivel", "saldo disponible"],
        "pre_authorized_credit": ["preAuthorizedCredit", "credito pre-autorizado"],
        "created_at": ["createdAt", "criado em", "creado", "data de criacao", "fecha de creacion"],
        "updated_at": [
            "updatedAt",
            "atualizado em",
            "actualizado",
            "data de atualizacao",
            "fecha de actualizacion",
        ],
    }

    # What the template help page says about each column: the format, a sample value, and
    # what the column does. Header names stay English; these are in the user's language.
    FORMATS = {
        "id": _("Text, up to 100 characters"),
        "email": _("E-mail address"),
        "document": _("CPF: 11 digits · CNPJ: 14 characters · Other: free text up to 50"),
        "document_type": _("CPF, CNPJ or Other"),
        "credit_limit": _("Number with a dot for decimals, no thousands separator"),
        "tolerance": _("Fraction from 0 to 1, up to 4 decimal places"),
        "status": _("Open or Closed"),
        "balance": _("Number"),
        "available_credit": _("Number"),
        "available_balance": _("Number"),
        "pre_authorized_credit": _("Number"),
        "created_at": _("Date and time, ISO 8601, UTC"),
        "updated_at": _("Date and time, ISO 8601, UTC"),
    }
    EXAMPLES = {
        "id": "",
        "email": "ana.silva@example.com",
        "document": "529.982.247-25",
        "document_type": "CPF",
        "credit_limit": "1500.00",
        "tolerance": "0.05",
        "status": "Open",
        "balance": "-120.50",
        "available_credit": "1379.50",
        "available_balance": "1379.50",
        "pre_authorized_credit": "0.00",
        "created_at": "2026-07-01T13:45:00Z",
        "updated_at": "2026-07-15T09:02:11Z",
    }
    HELP = {
        "id": _(
            "Blank: a new account is opened. Filled: the account with this id is updated "
            "(copy it from an export)."
        ),
        "email": _(
            "The customer's e-mail: how checkout recognises them. One open account per "
            "e-mail. Never blank."
        ),
        "document": _(
            "With or without punctuation (529.982.247-25 or 52998224725). CPF and CNPJ check "
            "digits are verified; a CNPJ may have letters in its first 12 characters."
        ),
        "document_type": _("Upper or lower case. Blank on a new account: CPF."),
        "credit_limit": _(
            "Money, 0 or more, at most 2 decimal places, e.g. 1500.00. Blank on a new "
            "account: the store's default credit limit."
        ),
        "tolerance": _(
            "How far one order may go over the limit: 0.05 = 5%. Write 0.20, not 20. "
            "Blank on a new account: 0."
        ),
        "status": _(
            "New accounts are Open. Closed closes the account for good: it cannot be reopened."
        ),
        "balance": _("Negative when the customer owes the store."),
        "available_credit": _("Credit limit + balance − pre-authorized credit."),
        "available_balance": _("Same as available credit."),
        "pre_authorized_credit": _("Credit held by orders not yet invoiced."),
        "created_at": _("When the account was opened."),
        "updated_at": _("When the account last changed."),
    }

    class Meta:
        model = Account
        fields = (
            "id",
            "email",
            "document",
            "document_type",
            "credit_limit",
            "tolerance",
            "status",
            "balance",
            "available_credit",
            "available_balance",
            "pre_authorized_credit",
            "created_at",
            "updated_at",
        )
        export_order = fields
        import_id_fields = ("id",)

    def dehydrate_document(self, account: Account) -> str:
        # With its mask: spreadsheet programs read a bare 01234567890 as a number and drop
        # the leading zero; 012.345.678-90 stays text. The import accepts both.
        return format_document(account.document_type, account.document)


def _header_key(text: str) -> str:
    """Case-, space-, punctuation- and accent-insensitive form of a header."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lstrip("\ufeff"))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return "".join(char for char in plain.lower() if char.isalnum())


def template_fields() -> list[fields.Field]:
    """The template's columns in order."""
    resource = AccountResource()
    return [resource.fields[name] for name in AccountResource.Meta.fields]


def template_header() -> list[str]:
    return [field.column_name for field in template_fields()]


def writable_field_names() -> list[str]:
    return [field.attribute for field in template_fields() if not field.readonly]


def read_only_field_names() -> list[str]:
    return [field.attribute for field in template_fields() if field.readonly]


def _build_header_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for field in template_fields():
        for spelling in [
            field.column_name,
            field.attribute,
            *AccountResource.ALIASES[field.attribute],
        ]:
            key = _header_key(spelling)
            if lookup.setdefault(key, field.attribute) != field.attribute:
                # Two columns answering to one header would make matching depend on order.
                raise ValueError(f"Header alias {spelling!r} names two columns.")
    return lookup


_HEADER_LOOKUP = _build_header_lookup()


def match_header(header: str) -> str | None:
    """The field a CSV header names (`"Crédito limit "`, `creditLimit` → `credit_limit`), if any."""
    return _HEADER_LOOKUP.get(_header_key(header))


@dataclass(frozen=True)
class ColumnGuide:
    """What the template help page says about one column."""

    number: int
    header: str
    required: bool
    required_to_create: bool
    read_only: bool
    format: str
    example: str
    help: str


def column_guide() -> list[ColumnGuide]:
    return [
        ColumnGuide(
            number=number,
            header=field.column_name,
            # VTEX requires only the e-mail; creditadmin also needs the document to open an
            # account (as the New form does), while an update may leave it blank.
            required=field.attribute == "email",
            required_to_create=field.attribute == "document",
            read_only=field.readonly,
            format=AccountResource.FORMATS[field.attribute],
            example=AccountResource.EXAMPLES[field.attribute],
            help=AccountResource.HELP[field.attribute],
        )
        for number, field in enumerate(template_fields(), start=1)
    ]


# --- CSV injection (OWASP) -------------------------------------------------------------------
#
# neutralize_cell() and strip_neutralizing_quote() are exact inverses: every CSV the app
# writes passes each cell through the first, and the import passes each cell it reads
# through the second, so an exported file imports back unchanged.
#
# 1. A cell starting with = + - @ tab or CR gets a leading ' (OWASP's advice), so a
#    spreadsheet shows it as text instead of evaluating it: `=HYPERLINK(…)` → `'=HYPERLINK(…)`.
# 2. Except a plain number such as -120.50 (optional sign, digits, optional decimals). A
#    spreadsheet reads it as a number, which cannot run anything, and a quote would turn a
#    negative Balance into text that no longer sums. -1+1 or -2+3+cmd|… are not plain numbers
#    and are quoted.
# 3. A cell whose text already starts with quotes followed by one of those characters gets
#    one more quote, so the text `'=x` itself survives the round trip (`''=x` → `'=x`).

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
NEUTRALIZING_QUOTE = "'"
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
_FIRST_CHARACTERS_TO_CHECK = frozenset(FORMULA_PREFIXES + (NEUTRALIZING_QUOTE,))


def _is_formula_like(text: str) -> bool:
    if text[:1] not in _FIRST_CHARACTERS_TO_CHECK:
        return False  # most cells: decided by their first character, for a fast export
    body = text.lstrip(NEUTRALIZING_QUOTE)
    return body.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(body)


def neutralize_cell(value: object) -> str:
    """Make a cell safe for spreadsheets (OWASP CSV injection): prefix formulas with a quote."""
    text = "" if value is None else str(value)
    if _is_formula_like(text):
        return NEUTRALIZING_QUOTE + text
    return text


def strip_neutralizing_quote(value: str) -> str:
    """Undo neutralize_cell() on a cell read from a CSV (the import calls it on every cell).

    Call it on the cell as read, before trimming spaces: `'\t=x` must lose its quote first.
    A quote a person typed before other text (`'0123`) is kept.
    """
    if value.startswith(NEUTRALIZING_QUOTE) and _is_formula_like(value[1:]):
        return value[1:]
    return value


# --- Writing the template, the example and the export ---------------------------------------

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
    names = AccountResource.Meta.fields
    rows = [[example.get(name, "") for name in names] for example in EXAMPLE_ACCOUNTS]
    return BYTE_ORDER_MARK + _csv_text([template_header(), *rows])


def export_rows(accounts: QuerySet[Account]) -> Iterator[list[str]]:
    """Each account as the template's cells, rendered by AccountResource's fields."""
    resource = AccountResource()
    # What Resource.export_field() would pick per cell (the dehydrate_ method, else the
    # field's widget), looked up once instead of 13 times per row of a million.
    renderers = []
    for name in AccountResource.Meta.fields:
        field = resource.fields[name]
        dehydrate = getattr(resource, field.get_dehydrate_method(name), None)
        renderers.append(dehydrate or field.export)
    stored = {field.name for field in Account._meta.concrete_fields}
    # The computed columns (available credit) read stored ones, all of which are columns too.
    loaded = [name for name in AccountResource.Meta.fields if name in stored]
    for account in accounts.only(*loaded).iterator(chunk_size=EXPORT_CHUNK_SIZE):
        yield [render(account) for render in renderers]


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
