"""Fail the import jobs no worker has touched for IMPORT_STALE_AFTER_MINUTES.

A worker does this whenever it starts a task; this command is for a cron job, so a job whose
worker died is marked failed (and can be retried) even when no other import comes along, and
its task row, left RUNNING, is closed as failed.
"""

from django.core.management.base import BaseCommand

from imports import services
from imports.worker import close_abandoned_task_rows


class Command(BaseCommand):
    help = "Mark failed the import jobs whose worker stopped answering (they can be retried)."

    def handle(self, *args, **options):
        count = services.fail_stale_jobs()
        close_abandoned_task_rows()
        self.stdout.write(f"{count} stale import job(s) failed.")
