"""The .xlsx template, export and error report, and their round trips through the import."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Account, DocumentType
from imports.models import ImportJob
from tests.factories import AccountFactory, valid_cnpj

pytestmark = pytest.mark.django_db

CPF_WITH_LEADING_ZERO = "01234567890"
CPF_AS_FLOAT = "08532061982"


def downloaded(client, url_name: str, *args, language: str = "en"):
    response = client.get(reverse(url_name, args=args), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return b"".join(response.streaming_content), response


def test_template_xlsx_is_a_workbook_excel_cannot_damage(viewer_client):
    content, response = downloaded(viewer_client, "imports:template-xlsx", language="pt-br")
    assert response["Content-Disposition"] == 'attachment; filename="accounts-template.xlsx"'
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Accounts", "Ajuda"]
    sheet = workbook["Accounts"]
    header = [cell.value for cell in sheet[1]]
    assert header[:7] == ["Id", "Email", "Document", "Document Type", "Credit limit",
                          "Tolerance rate", "Status"]  # fmt: skip
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    formats = {letter: sheet.column_dimensions[letter].number_format for letter in "ABCEF"}
    assert formats == {"A": "@", "B": "@", "C": "@", "E": '"R$" #,##0.00', "F": "0.00%"}
    lists = {
        str(dv.sqref).split(":")[0]: dv.formula1 for dv in sheet.data_validations.dataValidation
    }
    assert lists == {"D2": '"CPF,CNPJ,Other"', "G2": '"Open,Closed"'}
    assert sheet["H1"].comment.text.startswith("Somente leitura")
    assert sheet["H1"].fill.fgColor.rgb.endswith("808080")
    help_rows = list(workbook["Ajuda"].values)
    assert help_rows[0][0] == "Coluna"
    assert [row[0] for row in help_rows[1:]] == header
    assert help_rows[2][1] == "Obrigatório"


def fill_like_a_person(content: bytes, rows: list[list]) -> bytes:
    """Type rows into the template's sheet with openpyxl, as someone in Excel would."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Accounts"]
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_template_filled_by_a_person_imports_what_was_typed(viewer_client, upload, confirm):
    template, _response = downloaded(viewer_client, "imports:template-xlsx")
    cnpj = valid_cnpj(11222333)
    filled = fill_like_a_person(
        template,
        [
            [None, "Ana@Example.com", "529.982.247-25", "CPF", 1500, 0.05, "Open"],
            [None, "loja@example.com", cnpj, "CNPJ", 25000.5, 0.1],
            [None, "maria@example.com", "AR-DNI 30.123.456", "Other", 800, None, None],
            # A CPF typed as a number: its leading zero is gone.
            [None, "joao@example.com", int(CPF_WITH_LEADING_ZERO), "CPF", 300, 0, None],
            # The same, pasted from a tool that writes floats (8532061982.0).
            [None, "lia@example.com", float(CPF_AS_FLOAT), "CPF", 10, None, None],
        ],
    )
    job = upload(filled, name="accounts-template.xlsx")
    warnings = [
        (warning.row_number, warning.column, warning.value, warning.stored_value)
        for warning in job.row_warnings.order_by("row_number")
    ]
    # Original → repaired, shown before anything is stored.
    assert warnings == [
        (5, "Document", "1234567890", CPF_WITH_LEADING_ZERO),
        (6, "Document", "8532061982", CPF_AS_FLOAT),
    ]
    assert not Account.objects.exists()
    job = confirm(job)

    assert job.status == ImportJob.Status.COMPLETED
    stored = {
        account.email: (account.document_type, account.document, account.credit_limit,
                        account.tolerance)
        for account in Account.objects.all()
    }  # fmt: skip
    assert stored == {
        "ana@example.com": ("CPF", "52998224725", Decimal("1500.00"), Decimal("0.0500")),
        "loja@example.com": ("CNPJ", cnpj, Decimal("25000.50"), Decimal("0.1000")),
        "maria@example.com": ("Other", "AR-DNI 30.123.456", Decimal("800.00"), Decimal("0")),
        # Its leading zero restored (the one valid reading), after its warning was checked.
        "joao@example.com": ("CPF", CPF_WITH_LEADING_ZERO, Decimal("300.00"), Decimal("0")),
        "lia@example.com": ("CPF", CPF_AS_FLOAT, Decimal("10.00"), Decimal("0")),
    }
    warning = job.row_warnings.order_by("row_number").first()
    assert "looks like the CPF 012.345.678-90" in warning.message


def test_export_xlsx_edited_and_uploaded_changes_only_the_edited_accounts(
    viewer_client, upload, confirm
):
    ana = AccountFactory(document=CPF_WITH_LEADING_ZERO, email="ana@example.com")
    bia = AccountFactory(cnpj=True, document="12ABC34501DE35", tolerance=Decimal("0.0525"))
    caio = AccountFactory(
        document_type=DocumentType.OTHER, document="=HYPERLINK(1)", credit_limit=Decimal("7.10")
    )
    versions = {account.pk: account.version for account in (ana, bia, caio)}
    content, response = downloaded(viewer_client, "imports:export-xlsx")
    assert response["Content-Disposition"].endswith('.xlsx"')

    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Accounts"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert rows[ana.pk][2].value == "012.345.678-90"
    assert rows[ana.pk][2].number_format == "@"
    assert rows[caio.pk][2].value == "=HYPERLINK(1)" and rows[caio.pk][2].data_type == "s"
    assert rows[bia.pk][5].value == 0.0525 and rows[bia.pk][5].number_format == "0.00%"
    rows[bia.pk][4].value = 9999.99
    buffer = io.BytesIO()
    workbook.save(buffer)

    job = confirm(upload(buffer.getvalue(), name="edited.xlsx"))
    assert (job.status, job.updated_count, job.unchanged_count) == (
        ImportJob.Status.COMPLETED, 1, 2,
    )  # fmt: skip
    for account in (ana, bia, caio):
        account.refresh_from_db()
    assert bia.credit_limit == Decimal("9999.99")
    assert ana.version == versions[ana.pk] and caio.version == versions[caio.pk]
    assert caio.document == "=HYPERLINK(1)"


def test_xlsx_upload_gets_an_xlsx_error_report_with_the_faulty_cells_highlighted(
    manager_client, upload
):
    template, _response = downloaded(manager_client, "imports:template-xlsx")
    filled = fill_like_a_person(
        template,
        [
            [None, "ana@example.com", "529.982.247-25", "CPF", 1500, 0.05, "Open"],
            [None, "not-an-email", "529.982.247-25", "CPF", -5, 0.05, "Open"],
        ],
    )
    job = upload(filled, name="accounts.xlsx")
    content, response = downloaded(manager_client, "imports:error-report", job.pk)
    assert response["Content-Disposition"] == f'attachment; filename="import-{job.pk}-errors.xlsx"'
    sheet = load_workbook(io.BytesIO(content))["Accounts"]
    rows = list(sheet.iter_rows())
    assert [cell.value for cell in rows[0]][-1] == "Errors"
    assert len(rows) == 2
    failing = rows[1]
    assert failing[1].value == "not-an-email"
    assert failing[4].value == -5
    assert "E-mail" in failing[-1].value or "e-mail" in failing[-1].value
    highlighted = [
        cell.column_letter for cell in failing if cell.fill.fgColor.rgb.endswith("F8CBAD")
    ]
    assert highlighted == ["B", "E"]
