"""Background tasks (django-tasks, run by ``manage.py db_worker``): each only calls a service."""

from django_tasks import task

from . import services


@task()
def validate_import_job_task(job_id: int) -> None:
    services.run_validation(job_id=job_id)


@task()
def apply_import_job_task(job_id: int) -> None:
    services.run_apply(job_id=job_id)
