"""Every uploaded cell is checked at the door: wide encodings, control characters, lone
surrogates and over-long cells end as a file or row error that names them, never as an
"unexpected error", and whatever is stored about them can be stored (PostgreSQL refuses NUL).

Issue 10, findings 1 and 4; run these on PostgreSQL too (DATABASE_URL)."""

import codecs
import json
from io import StringIO
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import DataError, OperationalError
from django.test import override_settings
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import Account
from imports import services
from imports.models import ImportJob
from tests.factories import valid_cpf
from tests.imports.conftest import HEADER, csv_bytes, row_errors
from tests.imports.spreadsheet_files import xlsx_bytes

pytestmark = pytest.mark.django_db

# The issue's file: 100 bytes of UTF-32 whose header has an unknown column "x".
UTF32_UNKNOWN_COLUMN = "\ufeffx,Email\r\n,a@example.com\r\n".encode("utf-32-le")


def stored_text(job: ImportJob) -> str:
    """Everything stored about a job and its rows, as one string."""
    job.refresh_from_db()
    rows = [
        f"{error.column}{error.value}{json.dumps(error.params)}"
        for error in job.row_errors.all()
    ]
    return "".join([job.file_error, job.failure_reason, json.dumps(job.notes), *rows])


def test_utf32_file_with_an_unknown_column_is_rejected_naming_the_column(upload):
    job = upload(UTF32_UNKNOWN_COLUMN, name="p.csv")

    assert job.status == ImportJob.Status.FAILED
    assert job.file_error.startswith("Unknown column “x” (column A).")
    assert not job.can_retry
    assert "\x00" not in stored_text(job)


def test_utf32_upload_of_the_issue_through_the_command_exits_4_with_its_json(tmp_path, manager):
    path = tmp_path / "p.csv"
    path.write_bytes(UTF32_UNKNOWN_COLUMN)
    out = StringIO()

    with pytest.raises(CommandError) as refusal:
        call_command("import_accounts", str(path), "--user", "manager", stdout=out, stderr=out)

    assert refusal.value.returncode == 4
    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    assert summary["status"] == "failed"
    assert summary["file_error"].startswith("Unknown column “x” (column A).")


@pytest.mark.parametrize("encoding", ["utf-32-le", "utf-32-be"])
def test_utf32_file_in_either_byte_order_is_imported(upload, confirm, encoding):
    rows = [["", "wide@example.com", valid_cpf(7), "CPF", "250", "", ""]]
    content = codecs.BOM_UTF32_LE if encoding.endswith("le") else codecs.BOM_UTF32_BE
    content += csv_bytes(rows, encoding=encoding)

    job = confirm(upload(content))

    assert job.status == ImportJob.Status.COMPLETED
    assert "The file is UTF-32: read as such." in job.note_texts
    assert Account.objects.get().email == "wide@example.com"


def test_nul_in_a_utf16_cell_is_a_row_error_naming_the_character_and_the_others_apply(
    upload, confirm
):
    rows = [
        ["", "n\x00ul@example.com", valid_cpf(1), "CPF", "100", "", ""],
        ["", "fine@example.com", valid_cpf(2), "CPF", "100", "", ""],
    ]
    content = codecs.BOM_UTF16_LE + csv_bytes(rows, delimiter="\t", encoding="utf-16-le")

    job = upload(content)

    assert job.status == ImportJob.Status.READY_TO_CONFIRM
    [(row, column, message)] = row_errors(job)
    assert (row, column) == (2, "Email")
    assert message.startswith("“n\ufffdul@example.com” holds an invisible NUL character")
    assert "\x00" not in stored_text(job)
    assert job.row_errors.get().value == "n\ufffdul@example.com"
    job = confirm(job)
    assert list(Account.objects.values_list("email", flat=True)) == ["fine@example.com"]


@pytest.mark.parametrize("character", ["\x01", "\x1b", "\x0c", "\x85", "\x9f"])
def test_other_control_characters_are_row_errors_but_tabs_and_line_breaks_are_not(
    upload, character
):
    rows = [
        ["", f"a{character}b@example.com", valid_cpf(1), "CPF", "100", "", ""],
        ["", "c@example.com", valid_cpf(2), "Other\t", "100", "", ""],
    ]
    job = upload(csv_bytes(rows))

    [(row, column, message)] = row_errors(job)
    assert (row, column) == (2, "Email")
    assert f"U+{ord(character):04X}" in message
    assert job.to_create == 1  # "Other\t": a tab is blank space, trimmed like any other


def test_a_cell_over_one_mebibyte_rejects_the_file_naming_its_row_without_retry(
    upload, manager_client
):
    rows = [
        ["", "a@example.com", valid_cpf(1), "CPF", "100", "", ""],
        ["", "x" * (1024 * 1024 + 1), valid_cpf(2), "CPF", "100", "", ""],
    ]
    job = upload(csv_bytes(rows))

    assert job.status == ImportJob.Status.FAILED
    assert job.file_error.startswith("Row 3 holds a value longer than 1.0")
    assert not job.can_retry
    assert not job.row_errors.exists()
    page = manager_client.get(reverse("imports:job-detail", args=[job.pk]))
    assertContains(page, "Row 3 holds a value longer than")
    assertNotContains(page, "Retry")


def test_an_unclosed_quote_that_swallows_the_file_is_named_as_the_likely_cause(upload):
    content = csv_bytes([["", "a@example.com", valid_cpf(1), "CPF", "100", "", ""]])
    content += b',"b@example.com,' + b"x" * (1024 * 1024) + b"\r\n"

    job = upload(content)

    assert "a quote (\") opens a value and is never closed" in job.file_error


def test_a_control_character_in_the_header_rejects_the_file_naming_the_column(upload):
    header = [*HEADER[:2], "Docu\x00ment", *HEADER[3:]]
    rows = [["", "a@example.com", "", "", "", "", ""]]
    job = upload(codecs.BOM_UTF16_LE + csv_bytes(rows, header=header, encoding="utf-16-le"))

    assert job.status == ImportJob.Status.FAILED
    assert "control character (U+0000) in column C" in job.file_error
    assert "\x00" not in stored_text(job)


def test_a_spreadsheets_escaped_nul_and_lone_surrogate_are_row_errors(upload):
    # Excel writes a control character in a string as _x0000_; the reader gives it back.
    rows = [
        HEADER,
        ["", "a_x0000_@example.com", valid_cpf(1), "CPF", 100, 0, ""],
        ["", "b@example.com", "_xD800_", "Other", 100, 0, ""],
        ["", "c@example.com", valid_cpf(3), "CPF", 100, 0, ""],
    ]
    job = upload(xlsx_bytes(rows), name="accounts.xlsx")

    assert job.status == ImportJob.Status.READY_TO_CONFIRM
    assert [(row, column) for row, column, _ in row_errors(job)] == [
        (2, "Email"),
        (3, "Document"),
    ]
    assert "U+D800" in row_errors(job)[1][2]
    assert job.to_create == 1
    stored = stored_text(job)
    assert "\x00" not in stored and "\ud800" not in stored


def test_error_report_of_a_row_with_a_nul_shows_the_replacement_character(
    upload, manager_client
):
    rows = [["", "n\x00ul@example.com", valid_cpf(1), "CPF", "100", "", ""]]
    job = upload(codecs.BOM_UTF16_LE + csv_bytes(rows, encoding="utf-16-le"))

    response = manager_client.get(reverse("imports:error-report", args=[job.pk]))

    report = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "n\ufffdul@example.com" in report
    assert "\x00" not in report


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_a_failure_while_recording_a_failure_leaves_a_failed_job_and_a_living_worker(
    manager, django_capture_on_commit_callbacks
):
    """Finding 1: recording the rejection raised DataError, the task backend's own record of
    it raised again, and the worker process died with every later import waiting."""
    content = csv_bytes([["", "a@example.com", valid_cpf(1), "CPF", "100", "", ""]])
    with (
        override_settings(TASKS=DATABASE_TASKS),
        # The worker's connection check would close the test transaction's connection.
        mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            first = services.create_import_job(
                uploaded_file=SimpleUploadedFile("first.csv", content), user=manager
            )
            second = services.create_import_job(
                uploaded_file=SimpleUploadedFile("second.csv", content), user=manager
            )
        finish, validate = services._finish, services._validate

        def finish_refused(job, status, **fields):
            if job.pk == first.pk:
                raise DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
            return finish(job, status, **fields)

        def validate_fails_first(job, on_batch):
            if job.pk == first.pk:
                raise RuntimeError("boom")
            return validate(job, on_batch)

        # The first job's validation fails and so does recording why; the worker goes on.
        with (
            mock.patch.object(services, "_finish", finish_refused),
            mock.patch.object(services, "_validate", validate_fails_first),
        ):
            run_worker()

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ImportJob.Status.FAILED
    assert first.failure_reason.startswith("The import stopped on an unexpected error")
    assert first.can_retry
    assert second.status == ImportJob.Status.READY_TO_CONFIRM


def test_a_lost_database_is_a_transient_failure_with_retry_and_a_bad_file_a_permanent_one(
    upload, manager_client
):
    """Issue 10, "failures say what they are": the page offers Retry only when retrying can
    help."""
    content = csv_bytes([["", "a@example.com", valid_cpf(1), "CPF", "100", "", ""]])
    with mock.patch.object(
        services.pipeline, "validate_file", side_effect=OperationalError("server closed")
    ):
        lost = upload(content)
    rejected = upload(UTF32_UNKNOWN_COLUMN)

    assert lost.failure_reason.startswith(
        "The import stopped because the database could not be reached (OperationalError)."
    )
    assert (lost.can_retry, rejected.can_retry) == (True, False)
    page = manager_client.get(reverse("imports:job-detail", args=[lost.pk]))
    assertContains(page, "Retry")
    page = manager_client.get(reverse("imports:job-detail", args=[rejected.pk]))
    assertContains(page, "This file was not imported")
    assertNotContains(page, "Retry")


def test_a_file_name_holding_a_nul_is_stored_with_the_replacement_character(upload):
    content = csv_bytes([["", "a@example.com", valid_cpf(1), "CPF", "100", "", ""]])
    job = upload(content, name="a\x00b.csv")

    assert job.original_name == "a\ufffdb.csv"
    assert job.status == ImportJob.Status.READY_TO_CONFIRM



def test_a_cell_over_one_mebibyte_from_a_spreadsheet_becomes_a_short_unreadable_cell():
    # .xlsx cells stop at Excel's 32,767 characters; an .ods cell has no such limit.
    from imports.door import MAX_CELL_CHARACTERS, checked_cells

    fine, long_cell = checked_cells(["fine", "b" * (MAX_CELL_CHARACTERS + 5)])

    assert fine == "fine" and type(fine) is str
    assert (long_cell.code, long_cell.params) == (
        "value_too_long",
        {"length": MAX_CELL_CHARACTERS + 5, "max": MAX_CELL_CHARACTERS},
    )
    assert len(long_cell) == 201
