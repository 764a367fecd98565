"""What a worker that starts does first: recover what a killed worker left behind.

A worker killed mid-task (SIGKILL, out of memory, a machine restart) leaves its import
validating or importing, and its task row RUNNING, forever: nothing else touches them.
``imports``' own ``db_worker`` command calls ``recover_after_killed_worker`` before it works
as django-tasks-db's (and it queues itself a second look a minute later);
``fail_stale_imports`` (cron) closes the task rows too.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from . import services, tasks
from .models import ImportJob

IMPORT_TASKS = (tasks.validate_import_job_task, tasks.apply_import_job_task)


def close_abandoned_task_rows() -> int:
    """Mark failed the RUNNING task rows of imports that are no longer running."""
    paths = [task.module_path for task in IMPORT_TASKS]
    running = DBTaskResult.objects.running().filter(task_path__in=paths).only("args_kwargs")
    alive = set(
        ImportJob.objects.filter(status__in=ImportJob.IN_PROGRESS).values_list("pk", flat=True)
    )
    abandoned = [
        row.pk for row in running if row.args_kwargs.get("kwargs", {}).get("job_id") not in alive
    ]
    if not abandoned:
        return 0
    return DBTaskResult.objects.running().filter(pk__in=abandoned).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path="imports.worker.WorkerLost",
        traceback="The worker running this task stopped before it finished; a worker that "
        "started later closed it. The import's own page says what to do.",
    )


def recover_abandoned_imports() -> None:
    """Fail the imports a dead worker left running (Retry offered), close their task rows."""
    services.fail_abandoned_jobs()
    close_abandoned_task_rows()


def recover_after_killed_worker() -> None:
    """What a worker does when it starts: recover, and look again in a minute at any import
    still running. A worker restarted at once after being killed (a supervisor's restart)
    finds its import with a sign of life seconds old, like one another worker is running;
    only a minute later can the two be told apart."""
    recover_abandoned_imports()
    second_look = tasks.recover_abandoned_imports_task
    still_running = ImportJob.objects.filter(
        status__in=(ImportJob.Status.VALIDATING, ImportJob.Status.IMPORTING)
    )
    if second_look.get_backend().supports_defer and still_running.exists():
        wait = timedelta(seconds=settings.IMPORT_WORKER_LOST_AFTER_SECONDS + 1)
        second_look.using(run_after=timezone.now() + wait).enqueue()
