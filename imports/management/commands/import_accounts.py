"""Import a CSV from the command line, for scheduled imports.

It runs the very same job as an upload in the browser (the job shows in the import
history), validating and, with --confirm, applying in this process rather than in the
worker. The last line printed is the job's summary as one JSON object.
"""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from imports import services


class Command(BaseCommand):
    help = "Import accounts from a CSV file in the template's format."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file.")
        parser.add_argument("--user", required=True, help="Username the import is made as.")
        parser.add_argument(
            "--confirm",
            action="store_true",
            help="Apply the valid rows after validation (without it: preview only).",
        )

    def handle(self, *args, file: Path, user: str, confirm: bool, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            staff = get_user_model().objects.get_by_natural_key(user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {user!r}.") from None
        if not staff.has_perm("accounts.import_accounts"):
            raise CommandError(f"User {user!r} lacks the permission accounts.import_accounts.")
        job = services.import_file(path=file, user=staff, confirm=confirm)
        summary = services.job_summary(job)
        if options["verbosity"] >= 1:
            style = self.style.ERROR if job.status == job.Status.FAILED else self.style.SUCCESS
            self.stderr.write(style(f"Import #{job.pk}: {job.get_status_display()}"))
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
