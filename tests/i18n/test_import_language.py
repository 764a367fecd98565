"""Row errors, warnings and a job's notes are stored as a code and its parameters, and
rendered when read: each person reads them in their own language, whoever uploaded the file
and whatever the worker spoke. The error report is written in the downloader's language."""

import codecs
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django_tasks import default_task_backend
from openpyxl import load_workbook
from pytest_django.asserts import assertContains, assertNotContains

from imports import services
from imports.management.commands.import_accounts import job_summary
from imports.models import ImportJob
from imports.tasks import apply_import_job_task, validate_import_job_task
from tests.factories import AccountFactory, valid_cpf
from tests.imports.spreadsheet_files import xlsx_bytes

# Excel in Portuguese writes semicolons and decimal commas.
CSV_WITH_BAD_VALUES = (
    b"Id;Email;Document;Document Type;Credit limit;Tolerance rate\n"
    b";loja@example.com;529.982.247-25;CPF;abc;\n"
    b";casa@example.com;11.222.333/0001-81;CNPJ;;20\n"
    b"ana-1;ana.silva@example.com;;;1.500,50;\n"
)


def uploaded_in_portuguese(manager, name: str, content: bytes, capture) -> ImportJob:
    """Upload and validate as the worker does: in the uploader's language, Portuguese."""
    default_task_backend.clear()
    upload = SimpleUploadedFile(name, content)
    with translation.override("pt-br"), capture(execute=True):
        job = services.create_import_job(uploaded_file=upload, user=manager)
    (queued,) = default_task_backend.results
    validate_import_job_task.call(**queued.kwargs)
    return ImportJob.objects.get(pk=job.pk)


@pytest.fixture
def ana(db, settings):
    """The account the file's last row changes; the worker's tasks are held, not run."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return AccountFactory(
        pk="ana-1",
        email="ana@example.com",
        document=valid_cpf(10),
        credit_limit=Decimal("1000.00"),  # to 1.500,50: +50%, not a large raise's warning
    )


def test_a_job_uploaded_in_portuguese_reads_in_spanish_to_a_spanish_speaking_manager(
    ana, manager, client, django_capture_on_commit_callbacks
):
    job = uploaded_in_portuguese(
        manager, "contas.csv", CSV_WITH_BAD_VALUES, django_capture_on_commit_callbacks
    )
    assert [(error.code, error.params) for error in job.row_errors.all()] == [
        ("not_a_number", {"value": "abc"}),
        ("tolerance_percent", {"fraction": "0.20", "percent": "20"}),
    ]
    assert [warning.code for warning in job.row_warnings.all()] == ["identity_changed"]
    assert [note["code"] for note in job.notes] == ["semicolon_separated"]

    client.force_login(manager)
    client.cookies["django_language"] = "es"
    page = client.get(job.get_absolute_url())
    assertContains(page, "“abc” no es un número.")
    assertContains(page, "¿Quiso decir 0,20 = 20 %?")  # Spanish words, Spanish decimal comma
    assertContains(page, "Esta fila cambia el correo electrónico de la cuenta ana-1")
    assertContains(page, "Archivo separado por punto y coma")
    # The sample of changes: amounts in the store currency with Spanish separators.
    assertContains(page, "<strong>Credit limit</strong>: R$\u00a01.000,00 → R$\u00a01.500,50")
    for portuguese in ("não é um número", "Esta linha altera", "Arquivo separado"):
        assertNotContains(page, portuguese)

    report = client.get(reverse("imports:error-report", args=[job.pk]))
    text = b"".join(report.streaming_content).decode()
    assert text.startswith(codecs.BOM_UTF8.decode())
    assert "Credit limit: “abc” no es un número." in text
    assert "Esta fila cambia el correo electrónico" in text
    with translation.override("pt-br"):
        assert job_summary(job)["row_errors"][0]["message"] == "“abc” não é um número."


def test_a_workbooks_error_report_is_written_in_the_downloaders_language(
    manager, client, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    workbook = xlsx_bytes(
        [
            ["Id", "Email", "Document", "Document Type", "Credit limit"],
            ["", "loja@example.com", "529.982.247-25", "CPF", "abc"],
        ]
    )
    job = uploaded_in_portuguese(
        manager, "contas.xlsx", workbook, django_capture_on_commit_callbacks
    )
    client.force_login(manager)
    for language, note, message in [
        ("es", "Se leyó la hoja “Accounts”.", "“abc” no es un número."),
        ("en", "The sheet “Accounts” was read.", "“abc” is not a number."),
    ]:
        client.cookies["django_language"] = language
        assertContains(client.get(job.get_absolute_url()), note)
        report = client.get(reverse("imports:error-report", args=[job.pk]))
        sheet = load_workbook(io.BytesIO(b"".join(report.streaming_content))).active
        cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value]
        assert any(message in cell for cell in cells), cells


def test_an_accounts_history_reads_in_the_readers_language_whoever_wrote_it(
    ana, manager, client, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    client.cookies["django_language"] = "en"
    client.post("/accounts/ana-1/holders/add/", {"email": "dep@example.com"})
    job = uploaded_in_portuguese(
        manager, "contas.csv", CSV_WITH_BAD_VALUES, django_capture_on_commit_callbacks
    )
    assert job.status == ImportJob.Status.READY_TO_CONFIRM, job.approval_reasons
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(
            reverse("imports:confirm", args=[job.pk]),
            {"acknowledged_warnings": str(job.warning_count)},
        )
    assert confirmed.status_code == 302
    (queued,) = default_task_backend.results
    apply_import_job_task.call(**queued.kwargs)

    client.cookies["django_language"] = "pt-br"
    page = client.get("/accounts/ana-1/")
    assertContains(page, "Titular dep@example.com adicionado.")
    assertContains(page, f"Importação nº {job.pk} · linha 4")
    assertNotContains(page, "Holder dep@example.com added.")
