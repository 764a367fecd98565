"""The job's life: preview, confirm, conflicts, re-upload, cancel, worker failure and retry."""

import math
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from accounts import services as account_services
from accounts.history import ChangeSource, Channel, stored_text
from accounts.models import Account
from imports import pipeline, services
from imports.models import ImportJob
from imports.pipeline import apply as apply_stage
from tests.factories import AccountFactory, valid_cpf
from tests.imports.conftest import csv_bytes, row_errors

pytestmark = pytest.mark.django_db
Status = ImportJob.Status


def new_rows(count: int, start: int = 0) -> list[list[str]]:
    return [
        ["", f"new{n}@example.com", valid_cpf(200_000_000 + n), "CPF", "1000", "0.1", ""]
        for n in range(start, start + count)
    ]


def test_upload_validates_to_a_preview_and_confirm_applies_it(upload, confirm, manager):
    existing = AccountFactory(credit_limit=Decimal("100.00"))
    to_close = AccountFactory()
    rows = [
        *new_rows(3),
        [existing.pk, "", "", "", "2500.00", "", ""],
        [to_close.pk, "", "", "", "", "", "Closed"],
        ["", "bad", "", "", "", "", ""],
    ]
    job = upload(csv_bytes(rows))
    assert job.status == Status.READY_TO_CONFIRM
    assert (job.to_create, job.to_update, job.to_close, job.unchanged_count, job.error_count) == (
        3,
        1,
        1,
        0,
        1,
    )
    assert (job.rows_total, job.rows_processed) == (6, 6)
    assert Account.objects.count() == 2  # nothing applied by the preview

    job = confirm(job)
    assert job.status == Status.COMPLETED_WITH_ERRORS
    assert (job.created_count, job.updated_count, job.closed_count) == (3, 1, 1)
    assert job.confirmed_by == manager
    assert Account.objects.filter(email__startswith="new").count() == 3
    created = Account.objects.get(email="new0@example.com")
    assert stored_text(created.history.get().history_source) == f"Import #{job.pk} row 2"


def test_confirm_is_refused_twice(upload, confirm, manager):
    job = confirm(upload(csv_bytes(new_rows(1))))
    assert job.status == Status.COMPLETED
    with pytest.raises(ImportJob.WrongStatus):
        services.confirm_import_job(job_id=job.pk, user=manager)
    assert Account.objects.count() == 1


def test_change_after_preview_is_a_conflict_not_overwritten(upload, confirm, viewer):
    account = AccountFactory(credit_limit=Decimal("100.00"))
    other = AccountFactory(credit_limit=Decimal("100.00"))
    job = upload(
        csv_bytes([[account.pk, "", "", "", "300", "", ""], [other.pk, "", "", "", "400", "", ""]])
    )
    # Someone changes the first account in the form between preview and confirm.
    account_services.change_account(
        account_id=account.pk,
        source=ChangeSource(channel=Channel.FORM, label="viewer", user_id=viewer.pk),
        values={"credit_limit": "999"},
    )
    job = confirm(job)
    assert job.status == Status.COMPLETED_WITH_ERRORS
    assert (job.updated_count, job.conflict_count) == (1, 1)
    # The result's sample shows what was applied; the held-back row is listed with its reason.
    assert [entry["row"] for entry in job.change_sample] == [3]
    account.refresh_from_db()
    other.refresh_from_db()
    assert account.credit_limit == Decimal("999.00")  # not overwritten
    assert other.credit_limit == Decimal("400.00")
    [(row, column, message)] = row_errors(job)
    assert (row, column) == (2, "")
    assert message.startswith("Changed by viewer on ")
    assert "through Web form since you last saw it: nothing was saved" in message
    assert message.endswith("Credit limit is now 999.00 (yours: 300.00).")
    assert job.row_errors.get().value == account.pk


def test_account_opened_after_preview_with_the_same_email_is_a_conflict(upload, confirm):
    job = upload(csv_bytes(new_rows(2)))
    AccountFactory(email="new1@example.com")
    job = confirm(job)
    assert (job.created_count, job.conflict_count) == (1, 1)
    # Found at apply time, it reads as it would have in the preview.
    [(row, column, message)] = row_errors(job)
    opened = Account.objects.get(email="new1@example.com")
    assert (row, column) == (3, "Email")
    assert message == f"An open account with this e-mail already exists (account {opened.pk})."


def test_reuploading_the_same_file_is_harmless(upload, confirm):
    content = csv_bytes(new_rows(4))
    first = confirm(upload(content))
    second = upload(content)
    assert second.identical_to == first
    assert (second.to_create, second.to_update, second.unchanged_count) == (0, 0, 4)
    second = confirm(second)
    assert second.status == Status.COMPLETED
    assert Account.objects.count() == 4
    assert Account.history.count() == 4


def test_cancel_before_confirm_changes_nothing(upload, manager):
    job = upload(csv_bytes(new_rows(2)))
    job = services.cancel_import_job(job_id=job.pk, user=manager)
    assert job.status == Status.CANCELLED
    with pytest.raises(ImportJob.WrongStatus):
        services.confirm_import_job(job_id=job.pk, user=manager)
    assert Account.objects.count() == 0


def test_worker_that_dies_while_applying_leaves_a_failed_job_that_retry_finishes(
    upload, confirm, manager, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_BATCH_SIZE = 2
    job = upload(csv_bytes(new_rows(5)))
    real_write = apply_stage._write
    calls = []

    def dying_write(batch, source):
        calls.append(len(batch))
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        real_write(batch, source)

    with mock.patch.object(apply_stage, "_write", dying_write):
        job = confirm(job)
    assert job.status == Status.FAILED
    assert "Applying stopped on an unexpected error (RuntimeError)" in job.failure_reason
    assert job.can_retry
    assert Account.objects.count() == 2  # the first batch committed
    assert job.created_count == 2

    with django_capture_on_commit_callbacks(execute=True):
        services.retry_import_job(job_id=job.pk, user=manager)
    job.refresh_from_db()
    assert job.status == Status.COMPLETED
    assert job.created_count == 5
    assert Account.objects.count() == 5
    assert Account.history.count() == 5  # nothing applied twice


def test_stale_job_is_failed_with_a_reason_and_can_be_retried(upload, manager, settings):
    job = upload(csv_bytes(new_rows(1)))
    ImportJob.objects.filter(pk=job.pk).update(
        status=Status.VALIDATING, heartbeat_at=timezone.now() - timedelta(minutes=30)
    )
    assert services.fail_stale_jobs() == 1
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert "The background worker stopped answering (no progress for 10 minutes)" in (
        job.failure_reason
    )
    job = services.retry_import_job(job_id=job.pk, user=manager, enqueue=False)
    assert job.status == Status.UPLOADED
    job = services.run_validation(job_id=job.pk)
    assert job.status == Status.READY_TO_CONFIRM
    assert job.to_create == 1


def test_upload_that_no_worker_picks_up_fails_after_a_while(manager):
    job = ImportJob.objects.create(
        created_by=manager,
        original_name="a.csv",
        fingerprint="x",
        created_at=timezone.now() - timedelta(hours=1),
    )
    services.fail_stale_jobs()
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert "No background worker started this import within 10 minutes" in job.failure_reason


def test_rejected_file_cannot_be_retried(upload, manager):
    job = upload(b"")
    with pytest.raises(ImportJob.WrongStatus):
        services.retry_import_job(job_id=job.pk, user=manager)


def test_queries_grow_with_batches_not_rows(
    upload, confirm, django_assert_max_num_queries, settings
):
    settings.IMPORT_BATCH_SIZE = 1000
    rows = 5000
    batches = math.ceil(rows / pipeline.configured_batch_size())
    content = csv_bytes(new_rows(rows))
    # Per batch: validation looks up accounts by id, document and e-mail and records its
    # progress; applying locks the updated accounts, writes accounts and history, records
    # progress (plus savepoints; PostgreSQL also fills a scratch table by COPY). The rest is
    # the job's own bookkeeping.
    with django_assert_max_num_queries(20 + 4 * batches):
        job = upload(content)
    assert job.to_create == rows
    with django_assert_max_num_queries(10 + 10 * batches):
        job = confirm(job)
    assert job.created_count == rows
    assert Account.history.count() == rows
