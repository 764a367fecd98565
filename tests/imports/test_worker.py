"""The real django-tasks-db worker picks up an upload, validates it, and applies it."""

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import Account
from imports import services, tasks
from imports.models import ImportJob
from tests.factories import valid_cpf
from tests.imports.conftest import csv_bytes

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# The worker's connection check would close the connection holding the test's transaction.
WORKER_CONNECTION_CHECK = "django_tasks_db.management.commands.db_worker.close_old_connections"


@pytest.mark.django_db
def test_db_worker_validates_and_applies_an_upload(manager, django_capture_on_commit_callbacks):
    # The worker runs in this thread, on this test's connection: it sees the queued task
    # that the on_commit callback (fired by the capture below) wrote to the task table.
    # Its connection check would close that connection (it is inside the test's
    # transaction), so it is switched off.
    with (
        override_settings(TASKS=DATABASE_TASKS),
        mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"),
    ):
        content = csv_bytes([["", "worker@example.com", valid_cpf(42), "CPF", "300", "", ""]])
        with django_capture_on_commit_callbacks(execute=True):
            job = services.create_import_job(
                uploaded_file=SimpleUploadedFile("w.csv", content), user=manager
            )
        job.refresh_from_db()
        assert job.status == ImportJob.Status.UPLOADED  # queued, not run in the request

        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        job.refresh_from_db()
        assert job.status == ImportJob.Status.READY_TO_CONFIRM
        assert job.to_create == 1

        with django_capture_on_commit_callbacks(execute=True):
            services.confirm_import_job(job_id=job.pk, user=manager)
        assert not Account.objects.exists()
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        job.refresh_from_db()
        assert job.status == ImportJob.Status.COMPLETED
        assert Account.objects.get().email == "worker@example.com"


def queued_task_row(task, job: ImportJob, *, started: timedelta) -> DBTaskResult:
    """The task row of ``job`` as a worker leaves it when it is killed: RUNNING."""
    with override_settings(TASKS=DATABASE_TASKS):
        result = task.enqueue(job_id=job.pk, language="en")
    row = DBTaskResult.objects.get(pk=result.id)
    row.status, row.started_at, row.worker_ids = "RUNNING", timezone.now() - started, ["killed"]
    row.save()
    return row


def test_a_worker_that_starts_fails_the_import_a_killed_worker_left_and_closes_its_task(
    upload, confirm, manager
):
    """Issue 10, finding 5: the job stayed "Importing" for 10 minutes, its task row RUNNING
    forever, and a restarted worker did not pick it up."""
    rows = [["", f"k{n}@example.com", valid_cpf(60 + n), "CPF", "100", "", ""] for n in range(2)]
    abandoned = upload(csv_bytes(rows))
    with mock.patch.object(services, "_enqueue_apply"):
        services.confirm_import_job(job_id=abandoned.pk, user=manager)
    busy = upload(csv_bytes([["", "busy@example.com", valid_cpf(70), "CPF", "1", "", ""]]))
    with mock.patch.object(services, "_enqueue_apply"):
        services.confirm_import_job(job_id=busy.pk, user=manager)
    # The killed worker's last sign of life was two minutes ago; the other worker's is fresh.
    ImportJob.objects.filter(pk=abandoned.pk).update(
        heartbeat_at=timezone.now() - timedelta(minutes=2)
    )
    ImportJob.objects.filter(pk=busy.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=5))
    killed_task = queued_task_row(
        tasks.apply_import_job_task, abandoned, started=timedelta(minutes=3)
    )
    busy_task = queued_task_row(tasks.apply_import_job_task, busy, started=timedelta(seconds=30))

    with override_settings(TASKS=DATABASE_TASKS), mock.patch(WORKER_CONNECTION_CHECK):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    abandoned.refresh_from_db()
    assert abandoned.status == ImportJob.Status.FAILED
    assert abandoned.failure_reason.startswith("The background worker running this import stopped")
    assert abandoned.can_retry
    killed_task.refresh_from_db()
    assert killed_task.status == "FAILED" and killed_task.finished_at is not None
    busy.refresh_from_db()
    busy_task.refresh_from_db()
    assert (busy.status, busy_task.status) == (ImportJob.Status.IMPORTING, "RUNNING")

    # The busy job's worker was killed too, just before this worker started: the worker
    # queued itself a second look, a minute on, when the job's silence tells.
    second_look = DBTaskResult.objects.get(
        status="READY", task_path=tasks.recover_abandoned_imports_task.module_path
    )
    assert second_look.run_after > timezone.now() + timedelta(seconds=55)
    ImportJob.objects.filter(pk=busy.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=1))
    DBTaskResult.objects.filter(pk=second_look.pk).update(run_after=timezone.now())
    with override_settings(TASKS=DATABASE_TASKS), mock.patch(WORKER_CONNECTION_CHECK):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    busy.refresh_from_db()
    busy_task.refresh_from_db()
    assert (busy.status, busy_task.status) == (ImportJob.Status.FAILED, "FAILED")

    # Retry resumes it.
    retried = services.retry_import_job(job_id=abandoned.pk, user=manager, enqueue=False)
    assert retried.status == ImportJob.Status.IMPORTING
    assert services.run_apply(job_id=abandoned.pk).status == ImportJob.Status.COMPLETED
    assert Account.objects.filter(email__startswith="k").count() == 2


def test_the_cron_sweep_closes_the_task_row_of_an_import_it_failed(upload, manager, settings):
    job = upload(csv_bytes([["", "c@example.com", valid_cpf(80), "CPF", "1", "", ""]]))
    with mock.patch.object(services, "_enqueue_apply"):
        services.confirm_import_job(job_id=job.pk, user=manager)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    row = queued_task_row(tasks.apply_import_job_task, job, started=timedelta(hours=1))

    call_command("fail_stale_imports", stdout=StringIO())

    job.refresh_from_db()
    row.refresh_from_db()
    assert (job.status, row.status) == (ImportJob.Status.FAILED, "FAILED")
