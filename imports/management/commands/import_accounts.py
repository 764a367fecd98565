"""Import a CSV or spreadsheet (.xlsx, .ods) from the command line, for scheduled imports.

It runs the very same job as an upload in the browser (the job shows in the import
history), validating and, with --confirm, applying in this process rather than in the
worker. The last line printed is the job's summary as one JSON object.

The exit status tells a script what happened (README, "Importing from the command line"):
0 the job completed (or, without --confirm, is ready to apply) with no row errors;
1 the command could not start (no such file or user, no permission); 2 bad arguments;
3 some rows have errors (with --confirm the others were applied); 4 the file was rejected
(nothing read); 5 the job has warnings and --accept-warnings was not given, so nothing was
applied; 6 the job failed; 7 the job goes over the store's approval thresholds and awaits
a second manager's approval in the browser, so nothing was applied.
"""

import json
from enum import IntEnum
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from imports import services
from imports.models import ImportJob


class ExitStatus(IntEnum):
    """The command's exit statuses besides 0 (done), 1 (could not start), 2 (bad arguments)."""

    ROW_ERRORS = 3
    FILE_REJECTED = 4
    WARNINGS_NOT_ACCEPTED = 5
    FAILED = 6
    AWAITING_APPROVAL = 7


def job_summary(job: ImportJob, *, max_rows: int = 1000) -> dict:
    """The job as the command prints it (one JSON object)."""
    errors = job.row_errors.order_by("row_number", "id")[:max_rows]
    warnings = job.row_warnings.order_by("row_number", "id")[:max_rows]
    counts = job.counts
    return {
        "job": job.pk,
        "status": job.status,
        "counts": counts.stage,
        "created": counts.created,
        "updated": counts.updated,
        "closed": counts.closed,
        "unchanged": counts.unchanged,
        "errors": counts.error_rows,
        "warnings": counts.warnings,
        "file_error": job.file_error or None,
        # Amounts as text (exact decimals), as imports.pipeline.money stores them.
        "money": job.money_summary or None,
        "approval": {
            "reasons": job.approval_reasons,
            "decision": job.review_decision or None,
            "by": job.reviewed_by.get_username() if job.reviewed_by_id else None,
            "at": job.reviewed_at.isoformat() if job.reviewed_at else None,
            "reason": job.review_reason or None,
        },
        "row_errors": [
            {
                "row": error.row_number,
                "column": error.column,
                "code": error.code,
                "message": error.message,
            }
            for error in errors
        ],
        "row_warnings": [
            {
                "row": warning.row_number,
                "column": warning.column,
                "value": warning.value,
                "stored": warning.stored_value,
                "code": warning.code,
                "message": warning.message,
            }
            for warning in warnings
        ],
    }


def _outcome(job: ImportJob, *, confirm: bool) -> tuple[int, str]:
    """The exit status and, when it is not 0, what a person reading the log should know."""
    if job.status == ImportJob.Status.FAILED and job.file_error:
        rejected = f"Import #{job.pk}: the file was rejected. {job.file_error}"
        return ExitStatus.FILE_REJECTED, rejected
    if job.status == ImportJob.Status.FAILED:
        return ExitStatus.FAILED, f"Import #{job.pk} failed: {job.failure_reason}"
    if job.status == ImportJob.Status.AWAITING_APPROVAL:
        return (
            ExitStatus.AWAITING_APPROVAL,
            f"Import #{job.pk} was not applied: it goes over the store's approval thresholds "
            "(approval.reasons in the JSON summary). Another manager must approve it in the "
            "browser; it is applied then.",
        )
    if confirm and job.status == ImportJob.Status.READY_TO_CONFIRM and job.warning_count:
        count = job.warning_count
        return (
            ExitStatus.WARNINGS_NOT_ACCEPTED,
            ngettext(
                "Import #%(job)s was not applied: it has %(count)s warning, listed in the JSON "
                "summary (row_warnings). Check it, then run again with --accept-warnings, or "
                "confirm the import in the browser.",
                "Import #%(job)s was not applied: it has %(count)s warnings, listed in the JSON "
                "summary (row_warnings). Check them, then run again with --accept-warnings, or "
                "confirm the import in the browser.",
                count,
            )
            % {"job": job.pk, "count": count},
        )
    if error_rows := job.counts.error_rows:
        if job.is_applied:
            explanation = ngettext(
                "Import #%(job)s: %(count)s row has errors, listed in the JSON summary; the "
                "other rows were applied.",
                "Import #%(job)s: %(count)s rows have errors, listed in the JSON summary; the "
                "other rows were applied.",
                error_rows,
            )
        else:
            explanation = ngettext(
                "Import #%(job)s: %(count)s row has errors, listed in the JSON summary; nothing "
                "was applied.",
                "Import #%(job)s: %(count)s rows have errors, listed in the JSON summary; "
                "nothing was applied.",
                error_rows,
            )
        return ExitStatus.ROW_ERRORS, explanation % {"job": job.pk, "count": error_rows}
    return 0, ""


class Command(BaseCommand):
    help = "Import accounts from a CSV, .xlsx or .ods file in the template's format."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV, .xlsx or .ods file.")
        parser.add_argument("--user", required=True, help="Username the import is made as.")
        parser.add_argument(
            "--confirm",
            action="store_true",
            help="Apply the valid rows after validation (without it: preview only).",
        )
        parser.add_argument(
            "--accept-warnings",
            action="store_true",
            help="With --confirm, apply even if some rows have warnings (listed in the JSON).",
        )

    def handle(
        self, *args, file: Path, user: str, confirm: bool, accept_warnings: bool, **options
    ):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            staff = get_user_model().objects.get_by_natural_key(user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {user!r}.") from None
        if not staff.has_perm("accounts.import_accounts"):
            raise CommandError(f"User {user!r} lacks the permission accounts.import_accounts.")
        job = services.import_file(
            path=file, user=staff, confirm=confirm, accept_warnings=accept_warnings
        )
        summary = job_summary(job)
        if options["verbosity"] >= 1:
            style = self.style.ERROR if job.status == job.Status.FAILED else self.style.SUCCESS
            self.stderr.write(style(f"Import #{job.pk}: {job.get_status_display()}"))
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
        status, explanation = _outcome(job, confirm=confirm)
        if status:
            raise CommandError(explanation, returncode=status)
