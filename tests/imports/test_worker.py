"""The real django-tasks-db worker picks up an upload, validates it, and applies it."""

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings

from accounts.models import Account
from imports import services
from imports.models import ImportJob
from tests.factories import valid_cpf
from tests.imports.conftest import csv_bytes

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


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
