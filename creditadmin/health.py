"""The health URL for load balancers and monitors: does the database answer, is the task
queue being worked? JSON, 200 when both hold and 503 when one does not; no login, no writes."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.models import Min
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return {"ok": False, "error": f"database unreachable ({type(error).__name__})"}
    return {"ok": True}


def check_task_queue() -> dict:
    """The queue lives in the database; a task left waiting too long means no worker runs."""
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if not isinstance(backend, DatabaseBackend):
        return {"ok": True, "backend": type(backend).__name__}
    try:
        waiting = DBTaskResult.objects.ready().filter(backend_name=backend.alias)
        # creditadmin never schedules a task for later, so enqueued_at is when it became due.
        oldest = waiting.aggregate(oldest=Min("enqueued_at"))["oldest"]
        ready = waiting.count()
    except DatabaseError as error:
        return {"ok": False, "error": f"task queue unreadable ({type(error).__name__})"}
    waited = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    report = {"ok": True, "ready_tasks": ready, "oldest_wait_seconds": round(waited, 1)}
    if waited > settings.TASK_QUEUE_MAX_WAIT_SECONDS:
        report.update(ok=False, error="tasks are waiting and no worker takes them")
    return report


@login_not_required
@never_cache
@require_GET
def health(request):
    checks = {"database": check_database(), "task_queue": check_task_queue()}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
