"""Background tasks (django-tasks, run by ``manage.py db_worker``): each only calls a service.

A task never raises (services.failure_recorded): a failure is the job's, and the worker
lives on to run the next import. A task runs in the language of the person who started the
job (the worker has none of its own), so the row errors and notes it stores read in that
person's language.
"""

from django.conf import settings
from django.utils import translation
from django_tasks import task

from . import services


@task()
def validate_import_job_task(job_id: int, language: str | None = settings.LANGUAGE_CODE) -> None:
    with translation.override(language), services.failure_recorded(job_id=job_id):
        services.run_validation(job_id=job_id)


@task()
def apply_import_job_task(job_id: int, language: str | None = settings.LANGUAGE_CODE) -> None:
    with translation.override(language), services.failure_recorded(job_id=job_id):
        services.run_apply(job_id=job_id)


@task()
def recover_abandoned_imports_task() -> None:
    """A second look, queued by a worker that started while an import still looked alive."""
    from .worker import recover_abandoned_imports  # the worker module names these tasks

    recover_abandoned_imports()
