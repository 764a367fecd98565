from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.utils import translation

from accounts.models import Account, DocumentType
from imports import columns, exports
from tests.factories import AccountFactory

TEMPLATE_HEADER = [
    "Id",
    "Email",
    "Document",
    "Document Type",
    "Credit limit",
    "Tolerance rate",
    "Status",
    "Balance",
    "Available credit",
    "Available balance",
    "Pre-authorized credit",
    "Created at",
    "Updated at",
]


def test_template_has_the_13_columns_in_order_and_the_last_6_are_read_only():
    assert columns.template_header() == TEMPLATE_HEADER
    assert columns.writable_field_names() == [
        "id",
        "email",
        "document",
        "document_type",
        "credit_limit",
        "tolerance",
        "status",
    ]
    assert columns.read_only_field_names() == [
        "balance",
        "available_credit",
        "available_balance",
        "pre_authorized_credit",
        "created_at",
        "updated_at",
    ]


def test_every_template_header_matches_its_own_column():
    for field in columns.template_fields():
        assert columns.match_header(field.column_name) == field.attribute


@pytest.mark.parametrize(
    ("header", "field"),
    [
        # case, spaces, punctuation, accents and a byte order mark do not matter
        ("  EMAIL ", "email"),
        ("\ufeffId", "id"),
        ("document type", "document_type"),
        ("DocumentType", "document_type"),
        ("Crédit Límit", "credit_limit"),
        ("pre authorized credit", "pre_authorized_credit"),
        ("Tolerance_rate", "tolerance"),
        # the VTEX API names
        ("creditLimit", "credit_limit"),
        ("documentType", "document_type"),
        ("availableCredit", "available_credit"),
        ("preAuthorizedCredit", "pre_authorized_credit"),
        ("createdAt", "created_at"),
        ("updatedAt", "updated_at"),
        # Spanish and Portuguese
        ("Correo electrónico", "email"),
        ("Límite de crédito", "credit_limit"),
        ("Tipo de documento", "document_type"),
        ("Tolerancia", "tolerance"),
        ("Situação", "status"),
        ("Saldo disponível", "available_balance"),
        ("Crédito disponible", "available_credit"),
        ("Tipo do documento", "document_type"),
        ("Taxa de tolerância", "tolerance"),
        ("Fecha de creación", "created_at"),
        ("Data de atualização", "updated_at"),
    ],
)
def test_header_matching_ignores_case_spaces_and_accents_and_knows_aliases(header, field):
    assert columns.match_header(header) == field


@pytest.mark.parametrize("header", ["Telefone", "Phone", "", "   ", "Errors", "Email 2"])
def test_unknown_header_matches_nothing(header):
    assert columns.match_header(header) is None


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (
            '=HYPERLINK("http://evil.example","Click")',
            '\'=HYPERLINK("http://evil.example","Click")',
        ),
        ("+55 11 99999-0000", "'+55 11 99999-0000"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("=1+2@example.com", "'=1+2@example.com"),  # a valid e-mail address, and a formula
        # Plain numbers cannot run anything and must stay numbers (a negative balance sums).
        ("-120.50", "-120.50"),
        ("+5", "+5"),
        ("0.05", "0.05"),
        ("-1e5", "'-1e5"),
        # Text that already starts with a quote before a formula keeps its own quote.
        ("'=x", "''=x"),
        ("'-5", "'-5"),
        ("it's fine", "it's fine"),
        ("ana@example.com", "ana@example.com"),
        ("", ""),
        (None, ""),
        (Decimal("-3.10"), "-3.10"),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_quoted(value, written):
    assert columns.neutralize_cell(value) == written


@pytest.mark.parametrize(
    "text",
    [
        "=HYPERLINK(1)",
        "-2+3",
        "@x",
        "\t=1",
        "'=x",
        "''=x",
        "'",
        "''",
        "'-5",
        "-5",
        "'hello",
        "'0123",
        "plain",
        "",
    ],
)
def test_the_import_side_undoes_exactly_what_the_export_did(text):
    assert columns.strip_neutralizing_quote(columns.neutralize_cell(text)) == text


def test_a_quote_typed_by_a_person_is_kept_by_the_import():
    assert columns.strip_neutralizing_quote("'0123") == "'0123"
    assert columns.strip_neutralizing_quote("'-5") == "'-5"
    assert columns.strip_neutralizing_quote("it's") == "it's"


def test_column_records_mark_email_required_and_the_last_six_read_only():
    assert [column.header for column in columns.COLUMNS] == TEMPLATE_HEADER
    assert [column.header for column in columns.COLUMNS if column.required] == ["Email"]
    assert [c.header for c in columns.COLUMNS if c.required_to_create] == ["Document"]
    assert [c.header for c in columns.COLUMNS if c.read_only] == TEMPLATE_HEADER[7:]
    assert all(column.format and column.help for column in columns.COLUMNS)
    assert {c.header: c.choices for c in columns.COLUMNS if c.choices} == {
        "Document Type": ("CPF", "CNPJ", "Other"),
        "Status": ("Open", "Closed"),
    }


def test_the_import_export_resource_is_derived_from_the_column_records():
    """Adding a column is one record: the Resource's fields follow the records."""
    resource = columns.AccountResource()
    exported = resource.get_export_fields()
    assert [field.column_name for field in exported] == TEMPLATE_HEADER
    assert [field.attribute for field in exported] == [c.name for c in columns.COLUMNS]
    assert [field.readonly for field in exported] == [c.read_only for c in columns.COLUMNS]
    assert resource._meta.import_id_fields == ("id",)


@pytest.mark.django_db
def test_the_resource_renders_an_account_as_the_export_does():
    account = AccountFactory(document="01234567890", tolerance=Decimal("0.05"))
    dataset = columns.AccountResource().export(Account.objects.all())
    assert dataset.headers == TEMPLATE_HEADER
    assert list(dataset[0]) == next(exports.export_rows(Account.objects.all()))
    assert dataset[0][2] == "012.345.678-90"
    assert account.pk == dataset[0][0]


@pytest.mark.django_db
def test_export_rows_are_portable_whatever_the_language():
    account = AccountFactory(
        document_type=DocumentType.CPF,
        document="01234567890",
        email="ana@example.com",
        credit_limit=Decimal("1500"),
        tolerance=Decimal("0.05"),
        balance=Decimal("-120.50"),
        pre_authorized_credit=Decimal("30"),
    )
    Account.objects.filter(pk=account.pk).update(
        created_at=datetime(2026, 7, 1, 13, 45, 0, 123456, tzinfo=UTC),
        updated_at=datetime(2026, 7, 15, 9, 2, 11, tzinfo=UTC),
    )
    with translation.override("pt-br"):
        [row] = list(exports.export_rows(Account.objects.all()))
    assert row == [
        account.pk,
        "ana@example.com",
        # with its mask, so a spreadsheet keeps the leading zero
        "012.345.678-90",
        "CPF",
        "1500.00",
        "0.0500",
        "Open",
        "-120.50",
        "1349.50",
        "1349.50",
        "30.00",
        "2026-07-01T13:45:00Z",
        "2026-07-15T09:02:11Z",
    ]
