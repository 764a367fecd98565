"""The wizard, the job page, the history and the error report, as staff see them."""

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.models import Account
from imports import services
from imports.models import ImportJob, ImportRowError, ImportRowWarning
from tests.factories import AccountFactory, valid_cpf
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db


def test_import_start_asks_create_or_update_and_continues_to_the_right_step(manager_client):
    response = manager_client.get(reverse("imports:start"))
    assertContains(response, "Do you want to create or update accounts?")
    assertContains(response, "Continue")
    response = manager_client.post(reverse("imports:start"), {"action": "create"})
    assertRedirects(response, reverse("imports:template-help"), fetch_redirect_response=False)
    response = manager_client.post(reverse("imports:start"), {"action": "update"})
    assertRedirects(response, reverse("imports:upload"))


def test_viewer_sees_history_and_jobs_but_cannot_upload_or_confirm(viewer_client, upload):
    job = upload(csv_bytes([["", "a@example.com", valid_cpf(1), "CPF", "", "", ""]]))
    assert viewer_client.get(reverse("imports:history")).status_code == 200
    response = viewer_client.get(job.get_absolute_url())
    assertContains(response, "will be created")
    assertNotContains(response, "Confirm import")
    assert viewer_client.get(reverse("imports:start")).status_code == 403
    assert viewer_client.get(reverse("imports:upload")).status_code == 403
    assert viewer_client.post(reverse("imports:confirm", args=[job.pk])).status_code == 403
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY_TO_CONFIRM


def test_upload_page_has_a_drop_zone_that_works_without_javascript(manager_client):
    response = manager_client.get(reverse("imports:upload"))
    assertContains(response, "Drop your spreadsheet (.xlsx, .ods) or CSV here, or choose a file")
    assertContains(response, 'type="file"')
    assertContains(response, 'enctype="multipart/form-data"')
    assertContains(response, "Import file")


def test_upload_preview_confirm_and_history(manager_client, django_capture_on_commit_callbacks):
    account = AccountFactory()
    content = csv_bytes(
        [
            ["", "new@example.com", valid_cpf(7), "CPF", "1500", "0.05", ""],
            [account.pk, "", "", "", "", "", "Closed"],
            ["", "bad-email", valid_cpf(8), "CPF", "", "", ""],
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            reverse("imports:upload"), {"file": SimpleUploadedFile("mine.csv", content)}
        )
    job = ImportJob.objects.get()
    assertRedirects(response, job.get_absolute_url())
    page = manager_client.get(job.get_absolute_url())
    assertContains(page, "Preview: nothing has been changed yet")
    assertContains(page, '<div class="fs-4 fw-semibold" data-count="create">1</div>', html=True)
    assertContains(page, "This file closes 1 account. Closing is irreversible")
    assertContains(page, "closes (irreversible)")
    assertContains(page, "“bad-email” is not a valid e-mail address.")
    assertContains(page, "Download error report")

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(reverse("imports:confirm", args=[job.pk]))
    assertRedirects(response, job.get_absolute_url(), fetch_redirect_response=False)
    page = manager_client.get(job.get_absolute_url())
    assertContains(page, "Import confirmed: applying the changes.")
    assertContains(page, "Completed with errors")
    assertContains(page, '<div class="fs-4 fw-semibold" data-count="closed">1</div>', html=True)
    # The file card still counts the file's 3 data rows, not the 2 rows applied.
    assertContains(page, '<dd class="col-sm-7" id="job-rows">3</dd>', html=True)
    assert Account.objects.filter(email="new@example.com").exists()

    history = manager_client.get(reverse("imports:history"))
    assertContains(history, "mine.csv")
    assertContains(history, "Completed with errors")
    filtered = manager_client.get(reverse("imports:history"), {"status": "failed"})
    assertNotContains(filtered, "mine.csv")


def test_progress_fragment_polls_while_the_job_runs(manager_client, manager):
    job = ImportJob.objects.create(
        created_by=manager,
        original_name="a.csv",
        fingerprint="x",
        status=ImportJob.Status.VALIDATING,
        rows_total=1000,
        rows_processed=250,
    )
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=job.created_at)
    page = manager_client.get(job.get_absolute_url())
    assertContains(page, 'http-equiv="refresh"')  # without JavaScript
    assertContains(page, "htmx.min.js")
    assertContains(page, "about 1,000 rows")
    fragment = manager_client.get(reverse("imports:job-progress", args=[job.pk]))
    assertContains(fragment, "250 of about 1,000 rows")
    assertContains(fragment, 'hx-trigger="every 1s"')
    # The header's badge and the file's row count follow the job too (htmx out of band).
    assertContains(fragment, 'id="job-status" hx-swap-oob="true">Validating</span>', html=False)
    assertContains(fragment, 'id="job-rows" hx-swap-oob="true">about 1,000 rows</dd>')
    assert "HX-Refresh" not in fragment
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.READY_TO_CONFIRM)
    fragment = manager_client.get(reverse("imports:job-progress", args=[job.pk]))
    assert fragment["HX-Refresh"] == "true"


def test_before_its_first_batch_a_job_says_it_is_counting_rows(manager_client, manager):
    job = ImportJob.objects.create(
        created_by=manager, original_name="a.csv", fingerprint="x", rows_total=0
    )
    for status in (ImportJob.Status.UPLOADED, ImportJob.Status.VALIDATING):
        ImportJob.objects.filter(pk=job.pk).update(status=status)
        for response in (
            manager_client.get(job.get_absolute_url()),
            manager_client.get(reverse("imports:job-progress", args=[job.pk])),
        ):
            assertContains(response, "Counting rows…")
            assertNotContains(response, "0 of about 0")
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.IMPORTING,
        confirmed_at=job.created_at,
        rows_total=3,
        rows_to_apply=1,
    )
    fragment = manager_client.get(reverse("imports:job-progress", args=[job.pk]))
    assertContains(fragment, "0 of 1 row")
    assertContains(fragment, 'id="job-status" hx-swap-oob="true">Importing</span>')


def test_file_error_is_shown_prominently(manager_client, upload):
    job = upload(b"\x89PNG\r\n\x1a\n\x00\x00", name="photo.csv")
    page = manager_client.get(job.get_absolute_url())
    assertContains(page, "This file was not imported")
    assertContains(page, "This file is neither a spreadsheet nor a CSV text file")
    assertNotContains(page, "Retry")


def test_too_large_upload_is_refused_by_the_form(manager_client, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 10
    response = manager_client.post(
        reverse("imports:upload"), {"file": SimpleUploadedFile("a.csv", b"Email\r\na@b.com\r\n")}
    )
    assertContains(response, "the limit is 10\xa0bytes")
    assert not ImportJob.objects.exists()


def test_failed_job_can_be_retried_from_its_page(manager_client, upload):
    job = upload(csv_bytes([["", "a@example.com", valid_cpf(1), "CPF", "", "", ""]]))
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.FAILED, failure_reason="The worker stopped."
    )
    page = manager_client.get(job.get_absolute_url())
    assertContains(page, "The worker stopped.")
    assertContains(page, "Retry")
    response = manager_client.post(reverse("imports:retry", args=[job.pk]), follow=True)
    assertContains(response, "Import restarted.")


def test_cancel_from_the_preview(manager_client, upload):
    job = upload(csv_bytes([["", "a@example.com", valid_cpf(1), "CPF", "", "", ""]]))
    response = manager_client.post(reverse("imports:cancel", args=[job.pk]), follow=True)
    assertContains(response, "Import cancelled: nothing was changed.")
    response = manager_client.post(reverse("imports:confirm", args=[job.pk]), follow=True)
    assertContains(response, f"Import #{job.pk} is cancelled; this step is not possible now.")
    assert not Account.objects.exists()


def test_error_report_round_trips_in_the_uploaded_dialect(manager_client, upload, confirm):
    rows = [
        ["", "ok@example.com", valid_cpf(1), "CPF", "1.500,00", "", ""],
        ["", "bad-email", "=cmd|' /C calc'!A0", "CPF", "", "", ""],
        ["", "fine@example.com", valid_cpf(2), "CPF", "", "20", ""],
    ]
    job = upload(csv_bytes(rows, delimiter=";"))
    response = manager_client.get(reverse("imports:error-report", args=[job.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = body.splitlines()
    assert lines[0] == "Id;Email;Document;Document Type;Credit limit;Tolerance rate;Status;Errors"
    assert lines[1].startswith(";bad-email;'=cmd|' /C calc'!A0;CPF;;;;")
    assert "Email: “bad-email” is not a valid e-mail address. | Document: A CPF has 11" in lines[1]
    assert lines[2].startswith(";fine@example.com;")
    assert "Did you mean 0.20 = 20%?" in lines[2]
    assert len(lines) == 3

    # Fixed and uploaded again: the Errors column is ignored and the rows go through.
    fixed = body.replace("bad-email", "good@example.com").replace(
        "'=cmd|' /C calc'!A0", valid_cpf(3)
    )
    fixed = fixed.replace(";20;", ";0.2;")
    again = confirm(upload(fixed.encode("utf-8-sig"), name="fixed.csv"))
    assert again.status == ImportJob.Status.COMPLETED, list(again.row_errors.values_list("code"))
    assert "The Errors column of an error report was ignored." in "\n".join(again.note_texts)
    assert Account.objects.filter(email__in=["good@example.com", "fine@example.com"]).count() == 2


def test_history_page_queries_are_bounded(manager_client, manager, django_assert_max_num_queries):
    for number in range(30):
        ImportJob.objects.create(created_by=manager, original_name=f"{number}.csv", fingerprint="x")
    services.fail_stale_jobs()
    with django_assert_max_num_queries(10):
        response = manager_client.get(reverse("imports:history"))
    assertContains(response, "29.csv")
    assertNotContains(response, ">4.csv<")  # on page 2


def test_history_queries_use_their_indexes(manager):
    """With 1,000 jobs the history must not sort the whole table on every page."""
    for number in range(20):
        ImportJob.objects.create(created_by=manager, original_name=f"{number}.csv", fingerprint="x")
    newest = ImportJob.objects.order_by("-created_at", "-id")[:25]
    failed = ImportJob.objects.filter(status="failed").order_by("-created_at", "-id")[:25]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # A 20-row table is read whole by the planner unless told not to.
            cursor.execute("SET LOCAL enable_seqscan = off")
    assert "importjob_newest_idx" in newest.explain()
    assert "importjob_status_newest_idx" in failed.explain()


def test_upload_far_over_the_limit_is_refused_before_its_body_is_read(manager_client, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    content = b"Email\r\n" + b"a@example.com\r\n" * 5000
    request_body = {"file": SimpleUploadedFile("big.csv", content)}
    with mock.patch("imports.views._upload") as handle_body:
        response = manager_client.post(reverse("imports:upload"), request_body)
    assert response.status_code == 413
    assertContains(response, "KB; the limit is 100\xa0bytes. Split it", status_code=413)
    handle_body.assert_not_called()
    assert not ImportJob.objects.exists()


def test_upload_still_requires_the_csrf_token(client, manager):
    csrf_client = client.__class__(enforce_csrf_checks=True)
    csrf_client.force_login(manager)
    content = csv_bytes([["", "a@example.com", valid_cpf(1), "CPF", "", "", ""]])
    response = csrf_client.post(
        reverse("imports:upload"), {"file": SimpleUploadedFile("a.csv", content)}
    )
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def job_with_problems(user, count: int) -> ImportJob:
    job = ImportJob.objects.create(
        created_by=user, original_name="big.csv", fingerprint="x", status="failed"
    )
    ImportRowError.objects.bulk_create(
        ImportRowError(
            job=job, row_number=number + 2, column="Document", value=str(number),
            code="cpf_invalid_check_digits",
        )  # fmt: skip
        for number in range(count)
    )
    ImportRowWarning.objects.bulk_create(
        ImportRowWarning(job=job, row_number=number + 2, code="identity_changed")
        for number in range(count)
    )
    return job


def test_job_page_queries_do_not_grow_with_its_row_errors(manager_client, manager):
    small, big = job_with_problems(manager, 3), job_with_problems(manager, 240)
    manager_client.get(small.get_absolute_url())
    queries = {}
    for job in (small, big):
        with CaptureQueriesContext(connection) as captured:
            response = manager_client.get(job.get_absolute_url(), {"page": "2"})
        queries[job.row_errors.count()] = len(captured)
    # session, user, job, then a count and a page each for the errors and the warnings
    assert queries[3] == queries[240] <= 10, queries
    assertContains(response, "This CPF is not valid")
    assertContains(response, "240 rows to fix")
    listed = [error.row_number for error in response.context["errors_page"]]
    assert listed == list(range(52, 102))
