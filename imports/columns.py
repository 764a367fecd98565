"""The CSV template's columns, defined once.

``AccountResource`` (django-import-export) is the one definition of the 13 columns: the
template, the example, the export and the import's header matching all read it.
"""

import unicodedata

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from accounts.models import Account


class AccountResource(resources.ModelResource):
    """The 13 template columns, in order; the last 6 are read-only (export only)."""

    id = fields.Field(attribute="id", column_name="Id")
    email = fields.Field(attribute="email", column_name="Email")
    document = fields.Field(attribute="document", column_name="Document")
    document_type = fields.Field(attribute="document_type", column_name="Document Type")
    credit_limit = fields.Field(
        attribute="credit_limit", column_name="Credit limit", widget=widgets.DecimalWidget()
    )
    tolerance = fields.Field(
        attribute="tolerance", column_name="Tolerance rate", widget=widgets.DecimalWidget()
    )
    status = fields.Field(attribute="status", column_name="Status")
    balance = fields.Field(
        attribute="balance", column_name="Balance", readonly=True, widget=widgets.DecimalWidget()
    )
    available_credit = fields.Field(
        attribute="available_credit",
        column_name="Available credit",
        readonly=True,
        widget=widgets.DecimalWidget(),
    )
    available_balance = fields.Field(
        attribute="available_balance",
        column_name="Available balance",
        readonly=True,
        widget=widgets.DecimalWidget(),
    )
    pre_authorized_credit = fields.Field(
        attribute="pre_authorized_credit",
        column_name="Pre-authorized credit",
        readonly=True,
        widget=widgets.DecimalWidget(),
    )
    created_at = fields.Field(attribute="created_at", column_name="Created at", readonly=True)
    updated_at = fields.Field(attribute="updated_at", column_name="Updated at", readonly=True)

    # Other accepted spellings of each header, besides the column name itself: the VTEX API
    # names and the words staff use in Spanish and Portuguese.
    ALIASES = {
        "id": ["accountId", "account id"],
        "email": ["e-mail", "correo", "correo electronico", "e-mail do cliente"],
        "document": ["documento"],
        "document_type": ["documentType", "tipo de documento", "tipo documento"],
        "credit_limit": ["creditLimit", "limite de credito", "limite"],
        "tolerance": ["tolerance", "tolerancia", "tolerance rate"],
        "status": ["estado", "situacao"],
        "balance": ["saldo"],
        "available_credit": ["availableCredit", "credito disponivel", "credito disponible"],
        "available_balance": ["availableBalance", "saldo disponivel", "saldo disponible"],
        "pre_authorized_credit": ["preAuthorizedCredit", "credito pre-autorizado"],
        "created_at": ["createdAt", "criado em", "creado"],
        "updated_at": ["updatedAt", "atualizado em", "actualizado"],
    }

    HELP = {
        "id": _("Leave blank to create an account; fill with an existing id to update it."),
        "email": _("Required. The customer's e-mail, used to recognise them at checkout."),
        "document": _("CPF (11 digits) or CNPJ (14 characters), with or without punctuation."),
        "document_type": _("CPF, CNPJ or Other. Blank means CPF for new accounts."),
        "credit_limit": _("Money with a dot for decimals, e.g. 1500.00. Blank: the default."),
        "tolerance": _("A fraction between 0 and 1: 0.05 = 5%. Blank: 0."),
        "status": _("Open or Closed. Closing is irreversible. Blank: unchanged / Open."),
        "balance": _("Read-only: filled by the export, ignored on import."),
        "available_credit": _("Read-only: filled by the export, ignored on import."),
        "available_balance": _("Read-only: filled by the export, ignored on import."),
        "pre_authorized_credit": _("Read-only: filled by the export, ignored on import."),
        "created_at": _("Read-only: filled by the export, ignored on import."),
        "updated_at": _("Read-only: filled by the export, ignored on import."),
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
            lookup[_header_key(spelling)] = field.attribute
    return lookup


_HEADER_LOOKUP = _build_header_lookup()


def match_header(header: str) -> str | None:
    """The field a CSV header names (`"Crédito limit "`, `creditLimit` → `credit_limit`), if any."""
    return _HEADER_LOOKUP.get(_header_key(header))


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize_cell(value: object) -> str:
    """Make a cell safe for spreadsheets (OWASP CSV injection): prefix formulas with a quote."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text
