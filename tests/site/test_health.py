from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@task()
def waiting_task() -> None:
    """Never run here: it only has to wait in the queue."""


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE


def test_health_is_open_to_monitors_and_reports_both_checks(client, db, database_queue):
    response = client.get(reverse("health"))

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": {"ok": True},
            "task_queue": {"ok": True, "ready_tasks": 0, "oldest_wait_seconds": 0.0},
        },
    }


def test_a_task_nobody_takes_for_five_minutes_makes_the_health_url_answer_503(
    client, db, database_queue
):
    waiting_task.enqueue()
    fresh = client.get(reverse("health"))
    assert fresh.status_code == 200
    assert fresh.json()["checks"]["task_queue"]["ready_tasks"] == 1

    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=6))
    stale = client.get(reverse("health"))

    assert stale.status_code == 503
    assert stale.json()["status"] == "unavailable"
    queue = stale.json()["checks"]["task_queue"]
    assert queue["ok"] is False
    assert queue["error"] == "tasks are waiting and no worker takes them"
    assert queue["oldest_wait_seconds"] >= 360


def test_an_unreachable_database_makes_the_health_url_answer_503(client, db, database_queue):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")
    ):
        response = client.get(reverse("health"))

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {
        "ok": False,
        "error": "database unreachable (OperationalError)",
    }
    assert response.json()["checks"]["task_queue"]["ok"] is False


def test_health_accepts_only_reads(client, db):
    assert client.post(reverse("health")).status_code == 405
