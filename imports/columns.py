"""The template's 13 columns, defined once, and the rule for every CSV cell the app writes.

``COLUMNS`` holds one record per column: its header, the other spellings the import accepts,
what kind of value it holds, whether it is read-only, and what the help page says about it.
Everything else is derived from it: django-import-export's ``AccountResource`` (the one
definition of how an account becomes a row), the template and its example, the export, the
help page, the header matching of the import and the spreadsheet template's formats. Adding
a column is one more record.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from accounts.documents import format_document
from accounts.models import Account, AccountStatus, DocumentType


class CellKind(StrEnum):
    """What a column's cells hold, which decides how they are written and formatted."""

    TEXT = "text"  # kept as typed (a spreadsheet must not turn it into a number)
    DOCUMENT = "document"  # text, written with the document's mask
    CHOICE = "choice"  # one of the column's choices
    MONEY = "money"
    FRACTION = "fraction"  # 0.05 = 5 %
    DATETIME = "datetime"


@dataclass(frozen=True)
class Column:
    """One column of the template: everything the app says or does about it."""

    name: str  # the Account attribute it holds
    header: str  # as printed in the template, in English in every language
    kind: CellKind
    format: Promise  # what the help page says the cell holds, in the user's language
    example: str
    help: Promise
    # Other spellings of the header the import accepts: the VTEX API names and the words
    # staff use in Spanish and Portuguese (matched ignoring case, spaces and accents).
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    read_only: bool = False  # filled by the export, ignored by the import
    required: bool = False
    # VTEX requires only the e-mail; creditadmin also needs the document to open an
    # account (as the New form does), while an update may leave it blank.
    required_to_create: bool = False

    def resource_field(self) -> fields.Field:
        """This column as a django-import-export field of ``AccountResource``."""
        return fields.Field(
            attribute=self.name,
            column_name=self.header,
            readonly=self.read_only,
            widget=_WIDGETS[self.kind](),
            dehydrate_method=_masked_document if self.kind == CellKind.DOCUMENT else None,
        )


_NUMBER_FORMAT = _("Number")
_DATE_TIME_FORMAT = _("Date and time, ISO 8601, UTC")

COLUMNS: tuple[Column, ...] = (
    Column(
        name="id",
        header="Id",
        kind=CellKind.TEXT,
        format=_("Text, up to 100 characters"),
        example="",
        help=_(
            "Blank: a new account is opened. Filled: the account with this id is updated "
            "(copy it from an export)."
        ),
        aliases=("accountId", "account id", "id da conta", "id de cuenta"),
    ),
    Column(
        name="email",
        header="Email",
        kind=CellKind.TEXT,
        format=_("E-mail address"),
        example="ana.silva@example.com",
        help=_(
            "The customer's e-mail: how checkout recognises them. One open account per "
            "e-mail. Never blank."
        ),
        aliases=("e-mail", "correo", "correo electronico", "e-mail do cliente"),
        required=True,
    ),
    Column(
        name="document",
        header="Document",
        kind=CellKind.DOCUMENT,
        format=_("CPF: 11 digits · CNPJ: 14 characters · Other: free text up to 50"),
        example="529.982.247-25",
        help=_(
            "With or without punctuation (529.982.247-25 or 52998224725). CPF and CNPJ check "
            "digits are verified; a CNPJ may have letters in its first 12 characters."
        ),
        aliases=("documento",),
        required_to_create=True,
    ),
    Column(
        name="document_type",
        header="Document Type",
        kind=CellKind.CHOICE,
        format=_("CPF, CNPJ or Other"),
        example="CPF",
        help=_("Upper or lower case. Blank on a new account: CPF."),
        aliases=("documentType", "tipo de documento", "tipo do documento"),
        choices=tuple(DocumentType.values),
    ),
    Column(
        name="credit_limit",
        header="Credit limit",
        kind=CellKind.MONEY,
        format=_("Number with a dot for decimals, no thousands separator"),
        example="1500.00",
        help=_(
            "Money, 0 or more, at most 2 decimal places, e.g. 1500.00. Blank on a new "
            "account: the store's default credit limit."
        ),
        aliases=("creditLimit", "limite de credito", "limite"),
    ),
    Column(
        name="tolerance",
        header="Tolerance rate",
        kind=CellKind.FRACTION,
        format=_("Fraction from 0 to 1, up to 4 decimal places"),
        example="0.05",
        help=_(
            "How far one order may go over the limit: 0.05 = 5%. Write 0.20, not 20. "
            "Blank on a new account: 0."
        ),
        aliases=("tolerance", "tolerancia", "taxa de tolerancia", "tasa de tolerancia"),
    ),
    Column(
        name="status",
        header="Status",
        kind=CellKind.CHOICE,
        format=_("Open or Closed"),
        example="Open",
        help=_(
            "New accounts are Open. Closed closes the account for good: it cannot be reopened."
        ),
        aliases=("estado", "situacao"),
        choices=tuple(AccountStatus.values),
    ),
    Column(
        name="balance",
        header="Balance",
        kind=CellKind.MONEY,
        format=_NUMBER_FORMAT,
        example="-120.50",
        help=_("Negative when the customer owes the store."),
        aliases=("saldo",),
        read_only=True,
    ),
    Column(
        name="available_credit",
        header="Available credit",
        kind=CellKind.MONEY,
        format=_NUMBER_FORMAT,
        example="1379.50",
        help=_("Credit limit + balance − pre-authorized credit."),
        aliases=("availableCredit", "credito disponivel", "credito disponible"),
        read_only=True,
    ),
    Column(
        name="available_balance",
        header="Available balance",
        kind=CellKind.MONEY,
        format=_NUMBER_FORMAT,
        example="1379.50",
        help=_("Same as available credit."),
        aliases=("availableBalance", "saldo disponivel", "saldo disponible"),
        read_only=True,
    ),
    Column(
        name="pre_authorized_credit",
        header="Pre-authorized credit",
        kind=CellKind.MONEY,
        format=_NUMBER_FORMAT,
        example="0.00",
        help=_("Credit held by orders not yet invoiced."),
        aliases=("preAuthorizedCredit", "credito pre-autorizado"),
        read_only=True,
    ),
    Column(
        name="created_at",
        header="Created at",
        kind=CellKind.DATETIME,
        format=_DATE_TIME_FORMAT,
        example="2026-07-01T13:45:00Z",
        help=_("When the account was opened."),
        aliases=("createdAt", "criado em", "creado", "data de criacao", "fecha de creacion"),
        read_only=True,
    ),
    Column(
        name="updated_at",
        header="Updated at",
        kind=CellKind.DATETIME,
        format=_DATE_TIME_FORMAT,
        example="2026-07-15T09:02:11Z",
        help=_("When the account last changed."),
        aliases=(
            "updatedAt",
            "atualizado em",
            "actualizado",
            "data de atualizacao",
            "fecha de actualizacion",
        ),
        read_only=True,
    ),
)


# --- django-import-export: the Resource, derived from the records ----------------------------


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


_WIDGETS: dict[CellKind, type[widgets.Widget]] = {
    CellKind.TEXT: widgets.CharWidget,
    CellKind.DOCUMENT: widgets.CharWidget,
    CellKind.CHOICE: widgets.CharWidget,
    CellKind.MONEY: PlainDecimalWidget,
    CellKind.FRACTION: PlainDecimalWidget,
    CellKind.DATETIME: UtcDateTimeWidget,
}


def _masked_document(account: Account) -> str:
    # With its mask: spreadsheet programs read a bare 01234567890 as a number and drop
    # the leading zero; 012.345.678-90 stays text. The import accepts both.
    return format_document(account.document_type, account.document)


FIELD_NAMES = tuple(column.name for column in COLUMNS)

# The 13 template columns, in order; the read-only ones are exported only.
AccountResource = resources.modelresource_factory(
    Account,
    meta_options={"fields": FIELD_NAMES, "export_order": FIELD_NAMES, "import_id_fields": ("id",)},
    custom_fields={column.name: column.resource_field() for column in COLUMNS},
)


def template_fields() -> list[fields.Field]:
    """AccountResource's fields in the template's order."""
    resource = AccountResource()
    return [resource.fields[name] for name in FIELD_NAMES]


def template_header() -> list[str]:
    return [column.header for column in COLUMNS]


def writable_field_names() -> list[str]:
    return [column.name for column in COLUMNS if not column.read_only]


def read_only_field_names() -> list[str]:
    return [column.name for column in COLUMNS if column.read_only]


# --- Reading headers ----------------------------------------------------------------------


def _header_key(text: str) -> str:
    """Case-, space-, punctuation- and accent-insensitive form of a header."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lstrip("\ufeff"))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return "".join(char for char in plain.lower() if char.isalnum())


def _build_header_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for column in COLUMNS:
        for spelling in [column.header, column.name, *column.aliases]:
            key = _header_key(spelling)
            if lookup.setdefault(key, column.name) != column.name:
                # Two columns answering to one header would make matching depend on order.
                raise ValueError(f"Header alias {spelling!r} names two columns.")
    return lookup


_HEADER_LOOKUP = _build_header_lookup()


def match_header(header: str) -> str | None:
    """The field a CSV header names (`"Crédito limit "`, `creditLimit` → `credit_limit`), if any."""
    return _HEADER_LOOKUP.get(_header_key(header))


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
