"""What a worker that starts does first: recover what a killed worker left behind.

A worker killed mid-task (SIGKILL, out of memory, a machine restart) leaves its import
validating or importing, and its task row RUNNING, forever: nothing else touches them.
``imports``' own ``db_worker`` command calls ``recover_after_killed_worker`` before it works
as django-tasks-db's; ``fail_stale_imports`` (cron) closes the task rows too.
"""

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


def recover_after_killed_worker() -> None:
    """Fail the imports a dead worker left running (Retry offered), close their task rows."""
    services.fail_abandoned_jobs()
    close_abandoned_task_rows()
