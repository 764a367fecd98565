"""Uploading the spreadsheet itself: .xlsx and .ods read as their CSV twins would be."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest

from accounts.models import Account
from imports.models import ImportJob
from imports.reader import iter_records
from imports.spreadsheets.cells import NumberCell, UnreadableCell
from tests.factories import valid_cnpj, valid_cpf
from tests.imports.conftest import HEADER, csv_bytes, row_errors
from tests.imports.spreadsheet_files import ods_bytes, with_cached_results, xlsx_bytes

pytestmark = pytest.mark.django_db

CPF_WITH_LEADING_ZERO = "01234567890"  # valid check digits


def stored(email: str) -> tuple:
    account = Account.objects.get(email=email)
    return (
        account.document_type,
        account.document,
        account.credit_limit,
        account.tolerance,
        account.status,
    )


def emails() -> list[str]:
    return list(Account.objects.values_list("email", flat=True))


def test_typed_cells_are_read_as_the_csv_path_would_see_them():
    content = xlsx_bytes(
        [
            HEADER,
            ["", "ana@example.com", 52998224725, "CPF", 1500, 0.05, "Open"],
            ["", "bia@example.com", "12.ABC.345/01DE-35", "CNPJ", 1500.5, 0.125, None],
            [None] * 7,
            ["", "caio@example.com", "x", "Other", 0.1 + 0.2, date(2026, 7, 1), True],
        ]
    )
    records = list(iter_records(io.BytesIO(content), encoding="xlsx", delimiter=""))
    assert records == [
        (2, ["", "ana@example.com", "52998224725", "CPF", "1500", "0.05", "Open"]),
        (3, ["", "bia@example.com", "12.ABC.345/01DE-35", "CNPJ", "1500.5", "0.125"]),
        (5, ["", "caio@example.com", "x", "Other", "0.3", "2026-07-01", "TRUE"]),
    ]
    ana = records[0][1]
    assert isinstance(ana[2], NumberCell) and ana[2].number == Decimal("52998224725")
    assert isinstance(ana[4], NumberCell) and not isinstance(ana[1], NumberCell)
    assert type(records[2][1][5]) is str  # a date is a date, not a number


def test_xlsx_upload_creates_the_accounts_typed_in_it(upload, confirm):
    cnpj = valid_cnpj(11222333)
    job = upload(
        xlsx_bytes(
            [
                HEADER,
                ["", "ana@example.com", "529.982.247-25", "CPF", 1500, 0.05, "Open"],
                ["", "loja@example.com", cnpj, "cnpj", 25000.5, 0.1, None],
            ]
        ),
        name="accounts.xlsx",
    )
    assert job.status == ImportJob.Status.READY_TO_CONFIRM, job.file_error
    assert (job.encoding, job.to_create, job.error_count) == ("xlsx", 2, 0)
    assert "The sheet “Accounts” was read." in "\n".join(job.note_texts)
    job = confirm(job)
    assert job.status == ImportJob.Status.COMPLETED
    assert stored("ana@example.com") == (
        "CPF", "52998224725", Decimal("1500.00"), Decimal("0.0500"), "Open",
    )  # fmt: skip
    assert stored("loja@example.com") == (
        "CNPJ", cnpj, Decimal("25000.50"), Decimal("0.1000"), "Open",
    )  # fmt: skip


def test_ods_saved_by_odfpy_imports_the_same_as_its_csv_twin(upload, confirm):
    rows = [
        ["", "ana@example.com", "529.982.247-25", "CPF", 1500, 0.05, "Open"],
        ["", "loja@example.com", valid_cnpj(11222333), "CNPJ", 25000.5, 0.1, ""],
        ["", "maria@example.com", "AR-DNI  30.123.456", "Other", 800, 0, "Open"],
        ["", "bad-email", "529.982.247-25", "CPF", 10, 0, ""],
    ]
    ods_job = confirm(upload(ods_bytes([HEADER, *rows]), name="accounts.ods"))
    ods_accounts = {email: stored(email) for email in emails()}
    ods_errors = row_errors(ods_job)
    Account.objects.all().delete()

    csv_rows = [[str(cell) for cell in row] for row in rows]
    csv_job = confirm(upload(csv_bytes(csv_rows), name="accounts.csv"))
    csv_accounts = {email: stored(email) for email in emails()}

    assert ods_job.encoding == "ods"
    assert (ods_job.created_count, ods_job.error_count) == (3, 1)
    assert ods_accounts == csv_accounts
    assert ods_errors == row_errors(csv_job)
    assert ods_accounts["maria@example.com"][1] == "AR-DNI  30.123.456"  # spaces kept


def test_the_sheet_named_like_the_template_is_read_else_the_first(upload):
    notes = [["Read me first"]]
    job = upload(
        xlsx_bytes(
            [HEADER, ["", "ana@example.com", "529.982.247-25", "CPF", 10, 0, ""]],
            sheet="accounts",
            other_sheets=(("Notes", notes),),
        ),
        name="a.xlsx",
    )
    assert (job.status, job.to_create) == (ImportJob.Status.READY_TO_CONFIRM, 1)
    assert "The sheet “accounts” was read." in "\n".join(job.note_texts)

    job = upload(xlsx_bytes([["Read me first"]], sheet="Hoja1"), name="b.xlsx")
    assert job.status == ImportJob.Status.FAILED
    assert "Unknown column “Read me first”" in job.file_error


def test_formulas_are_read_as_their_saved_result_and_one_without_is_a_row_error(upload):
    content = xlsx_bytes(
        [
            HEADER,
            ["", "ana@example.com", "529.982.247-25", "CPF", "=1000+500", 0, ""],
            ["", "bia@example.com", "390.533.447-05", "CPF", "=2000*2", 0, ""],
            ["", "caio@example.com", valid_cpf(123), "CPF", "=1/0", 0, ""],
        ]
    )
    content = with_cached_results(content, {"E2": "1500"})
    content = content.replace(b'<c r="E4"', b'<c r="E4" t="e"')
    content = with_cached_results(content, {"E4": "#DIV/0!"})
    job = upload(content, name="formulas.xlsx")
    assert (job.to_create, job.error_count) == (1, 2)
    errors = row_errors(job)
    assert errors[0][:2] == (3, "Credit limit")
    assert "formula whose result was not saved" in errors[0][2]
    assert errors[1][:2] == (4, "Credit limit")
    assert "#DIV/0!" in errors[1][2]
    assert ["Credit limit", "", "1500.00"] in job.change_sample[0]["changes"]


@pytest.mark.parametrize(
    ("workbook", "name"), [(xlsx_bytes, "numbers.xlsx"), (ods_bytes, "numbers.ods")]
)
def test_cpf_typed_as_a_number_that_lost_its_leading_zero_is_read_back_as_a_warning(
    upload, workbook, name
):
    job = upload(
        workbook(
            [
                HEADER,
                ["", "ana@example.com", int(CPF_WITH_LEADING_ZERO), "CPF", 100, 0, ""],
                ["", "bia@example.com", 7, "Other", 100, 0, ""],
                ["", "caio@example.com", 52998224725, "CPF", 100, 0, ""],
                # No reading of these is a valid CPF: the fix is in the file.
                ["", "davi@example.com", 1234567891, "CPF", 100, 0, ""],
                ["", "edu@example.com", 853206198.25, "CPF", 100, 0, ""],
            ]
        ),
        name=name,
    )
    errors = row_errors(job)
    assert [error[:2] for error in errors] == [(3, "Document"), (5, "Document"), (6, "Document")]
    assert "typed as a number" in errors[0][2]
    assert errors[1][2] == (
        "“1234567891” looks like a document a spreadsheet turned into a number, and restoring "
        "it does not give a valid CPF. Format the Document column as Text in the spreadsheet, "
        "type the document again with its leading zeros and save the file."
    )
    assert errors[2][2].startswith("“853206198.25” looks like a document a spreadsheet")
    # One reading only restores a valid CPF: it is stored once staff have checked the warning.
    [warning] = job.row_warnings.all()
    assert (warning.row_number, warning.value, warning.stored_value) == (
        2,
        CPF_WITH_LEADING_ZERO.lstrip("0"),
        CPF_WITH_LEADING_ZERO,
    )
    assert "looks like the CPF 012.345.678-90" in warning.message
    # An 11-digit number is the CPF as typed: nothing was lost.
    assert (job.to_create, job.error_count, job.warning_count) == (2, 3, 1)


def test_a_document_number_that_may_have_lost_digits_to_scientific_notation_is_a_warning(upload):
    """10001800000 is a valid CPF, and also what 1.00018E+10 becomes when a spreadsheet reads
    it back: whoever confirms a number cell holding it must compare it with the customer's
    document. Typed with its mask, or as text, every digit was written by someone."""
    job = upload(
        xlsx_bytes(
            [
                HEADER,
                ["", "ana@example.com", 10001800000, "CPF", 100, 0, ""],
                ["", "bia@example.com", "100.064.000-00", "CPF", 100, 0, ""],
            ]
        ),
        name="rounded.xlsx",
    )
    [warning] = job.row_warnings.all()
    assert (warning.row_number, warning.column, warning.value, warning.stored_value) == (
        2, "Document", "10001800000", "10001800000"
    )  # fmt: skip
    assert "ends in zeros the way a document does after a spreadsheet" in warning.message
    assert (job.to_create, job.error_count) == (2, 0)
    # Written as text, as CSV exports write documents, it is a document like any other.
    csv_job = upload(
        csv_bytes([HEADER, ["", "caio@example.com", "10001800000", "CPF", "", "", ""]], header=None)
    )
    assert (csv_job.to_create, csv_job.warning_count) == (1, 0)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Excel 97-2003 workbook (.xls)"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"),
            "protected with a password",
        ),
    ],
)
def test_old_and_password_protected_excel_files_are_refused_with_the_fix(upload, content, message):
    job = upload(content, name="accounts.xlsx")
    assert job.status == ImportJob.Status.FAILED
    assert message in job.file_error
    assert Account.objects.count() == 0


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_macro_enabled_workbook_is_refused(upload):
    content = xlsx_bytes([HEADER])
    source = zipfile.ZipFile(io.BytesIO(content))
    entries = {name: source.read(name) for name in source.namelist()}
    entries["[Content_Types].xml"] = entries["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    entries["xl/vbaProject.bin"] = b"\x00" * 10
    job = upload(zip_of(entries), name="accounts.xlsx")
    assert "contains macros" in job.file_error
    assert ".xlsx" in job.file_error


def test_a_word_document_renamed_to_xlsx_is_refused(upload):
    content = zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    job = upload(content, name="accounts.xlsx")
    assert "not a spreadsheet the import can read" in job.file_error


def test_zip_bomb_is_refused_before_it_is_unpacked(upload):
    content = zip_of(
        {"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b"\x00" * 50_000_000}
    )
    assert len(content) < 100_000
    job = upload(content, name="accounts.xlsx")
    assert "unpacks to far more data" in job.file_error
    assert Account.objects.count() == 0


def test_xml_with_a_doctype_is_refused(upload):
    content = xlsx_bytes([HEADER, ["", "ana@example.com", "529.982.247-25", "CPF", 1, 0, ""]])
    source = zipfile.ZipFile(io.BytesIO(content))
    entries = {name: source.read(name) for name in source.namelist()}
    sheet = entries["xl/worksheets/sheet1.xml"]
    entries["xl/worksheets/sheet1.xml"] = sheet.replace(
        b"<worksheet", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet', 1
    )
    job = upload(zip_of(entries), name="accounts.xlsx")
    assert job.status == ImportJob.Status.FAILED
    assert "damaged" in job.file_error


def test_unreadable_cell_is_a_row_error_and_not_a_blank():
    cell = UnreadableCell("=A1", code="formula_without_value")
    assert cell == "=A1" and cell.code == "formula_without_value"
    assert cell.params == {"error": "=A1"}


def test_the_upload_form_refuses_an_unreadable_workbook_without_storing_it(manager_client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse
    from pytest_django.asserts import assertContains

    bomb = zip_of(
        {"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b"\x00" * 50_000_000}
    )
    response = manager_client.post(
        reverse("imports:upload"),
        {"file": SimpleUploadedFile("accounts.xlsx", bomb)},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assertContains(response, "Este archivo se descomprime en muchos más datos")
    assert not ImportJob.objects.exists()


def test_ods_upload_gets_an_ods_error_report_with_the_faulty_cells_highlighted(
    manager_client, upload
):
    from django.urls import reverse

    job = upload(
        ods_bytes(
            [
                HEADER,
                ["", "ana@example.com", "529.982.247-25", "CPF", 1500, 0.05, "Open"],
                ["", "not-an-email", "390.533.447-05", "CPF", -5, 0, ""],
            ]
        ),
        name="contas.ods",
    )
    response = manager_client.get(reverse("imports:error-report", args=[job.pk]))
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    assert response["Content-Disposition"] == f'attachment; filename="import-{job.pk}-errors.ods"'
    content = b"".join(response.streaming_content)

    records = list(
        iter_records(io.BytesIO(content), encoding="ods", delimiter="", include_header=True)
    )
    assert records[0][1] == [*HEADER, "Errors"]
    [(row_number, cells)] = records[1:]
    assert cells[:5] == ["", "not-an-email", "390.533.447-05", "CPF", "-5"]
    assert isinstance(cells[4], NumberCell)
    assert "e-mail" in cells[-1]
    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("content.xml").decode()
    assert sheet_xml.count('table:style-name="faulty"') == 2
