"""Row errors are stored as a code and its parameters, and rendered when read: each person
reads them in their own language, whoever uploaded the file and whatever the worker spoke."""

import codecs

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django_tasks import default_task_backend
from pytest_django.asserts import assertContains

from imports import services
from imports.management.commands.import_accounts import job_summary
from imports.models import ImportJob
from imports.tasks import validate_import_job_task

CSV_WITH_BAD_VALUES = (
    b"Id,Email,Document,Document Type,Credit limit,Tolerance rate\n"
    b",loja@example.com,529.982.247-25,CPF,abc,\n"
    b",casa@example.com,11.222.333/0001-81,CNPJ,,20\n"
)


def test_a_job_uploaded_in_portuguese_reads_in_spanish_to_a_spanish_speaking_manager(
    manager, client, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    upload = SimpleUploadedFile("contas.csv", CSV_WITH_BAD_VALUES, content_type="text/csv")
    with translation.override("pt-br"), django_capture_on_commit_callbacks(execute=True):
        job = services.create_import_job(uploaded_file=upload, user=manager)
    (queued,) = default_task_backend.results
    validate_import_job_task.call(**queued.kwargs)  # the worker, in the uploader's language

    job = ImportJob.objects.get(pk=job.pk)
    assert [(error.code, error.params) for error in job.row_errors.all()] == [
        ("not_a_number", {"value": "abc"}),
        ("tolerance_percent", {"fraction": "0.20", "percent": "20"}),
    ]
    client.force_login(manager)
    client.cookies["django_language"] = "es"
    page = client.get(job.get_absolute_url())
    assertContains(page, "“abc” no es un número.")
    assertContains(page, "¿Quiso decir 0,20 = 20 %?")  # Spanish words, Spanish decimal comma
    report = client.get(reverse("imports:error-report", args=[job.pk]))
    text = b"".join(report.streaming_content).decode()
    assert text.startswith(codecs.BOM_UTF8.decode())
    assert "Credit limit: “abc” no es un número." in text
    with translation.override("pt-br"):
        assert job_summary(job)["row_errors"][0]["message"] == "“abc” não é um número."
