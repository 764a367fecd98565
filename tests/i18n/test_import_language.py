"""Import errors are stored as text by the background worker, which has no language of its
own: the job carries the uploader's language to the worker."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django_tasks import default_task_backend

from imports import services
from imports.models import ImportJob
from imports.tasks import validate_import_job_task

CSV_WITH_A_BAD_LIMIT = (
    b"Id,Email,Document,Document Type,Credit limit\n,loja@example.com,529.982.247-25,CPF,abc\n"
)


def test_worker_writes_row_errors_in_the_language_of_the_uploader(
    manager, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    upload = SimpleUploadedFile("contas.csv", CSV_WITH_A_BAD_LIMIT, content_type="text/csv")
    with translation.override("pt-br"), django_capture_on_commit_callbacks(execute=True):
        job = services.create_import_job(uploaded_file=upload, user=manager)

    (queued,) = default_task_backend.results
    assert queued.kwargs == {"job_id": job.pk, "language": "pt-br"}
    # The worker: a fresh thread with Django's default language.
    with translation.override(None):
        validate_import_job_task.call(**queued.kwargs)

    job = ImportJob.objects.get(pk=job.pk)
    assert [error.message for error in job.row_errors.all()] == ["“abc” não é um número."]
