"""Fixtures for the import tests: write a CSV, upload it as staff would, confirm it."""

import csv
import importlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imports import services
from imports.models import ImportJob

HEADER = ["Id", "Email", "Document", "Document Type", "Credit limit", "Tolerance rate", "Status"]


def csv_bytes(
    rows: list[list[str]],
    *,
    header: list[str] | None = HEADER,
    delimiter: str = ",",
    encoding: str = "utf-8",
    line_end: str = "\r\n",
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end)
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.fixture
def upload(manager, django_capture_on_commit_callbacks):
    """Upload bytes as the manager; the validation task runs (Immediate backend)."""

    def upload_file(content: bytes, name: str = "accounts.csv", user=None) -> ImportJob:
        with django_capture_on_commit_callbacks(execute=True):
            job = services.create_import_job(
                uploaded_file=SimpleUploadedFile(name, content, content_type="text/csv"),
                user=user or manager,
            )
        job.refresh_from_db()
        return job

    return upload_file


@pytest.fixture
def confirm(manager, django_capture_on_commit_callbacks):
    def confirm_job(job: ImportJob) -> ImportJob:
        """Confirm as staff who checked the job's warnings (and ticked the box saying so)."""
        with django_capture_on_commit_callbacks(execute=True):
            services.confirm_import_job(
                job_id=job.pk, user=manager, acknowledged_warnings=job.warning_count
            )
        job.refresh_from_db()
        return job

    return confirm_job


def row_errors(job: ImportJob) -> list[tuple[int, str, str]]:
    """(row, column, message in the active language) of each row error, in row order."""
    return [
        (error.row_number, error.column, error.message)
        for error in job.row_errors.order_by("row_number", "id")
    ]


def recreate_staff_groups() -> None:
    """A browser test's flush (transactional_db) empties every table, the data migration's
    staff groups included: put them back before logging in."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    # The cache still holds the content types the flush deleted.
    ContentType.objects.clear_cache()
    staff_groups = importlib.import_module("accounts.migrations.0002_staff_groups")
    staff_groups.create_groups(apps, None)
