"""The life of an import job: upload, validate (preview), confirm, apply, cancel, retry, and
the revert of an applied one (a job of its own, previewed from the history).

Every status change happens here, and only here is an ImportJob written: the pipeline returns
what it found. Web views, the background tasks and the ``import_accounts`` command all call
these functions, so they behave the same. Being the one writer of jobs keeps the module past
400 lines: splitting it would spread the state machine over files.
"""

import hashlib
import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.amounts import StyleUndecided
from accounts.changes import Action
from accounts.models import StoreSettings
from accounts.rules import storable

from . import number_style, pipeline, reader
from .approval import approval_reasons
from .messages import Note
from .models import ImportJob, ImportRowError, ImportRowWarning

logger = logging.getLogger(__name__)

Status = ImportJob.Status
# The database went away or refused the connection: the same step may well work later.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


def stale_after() -> timedelta:
    """How long a job may go without a sign of life before it is considered dead."""
    return timedelta(minutes=settings.IMPORT_STALE_AFTER_MINUTES)


def _enqueue_validation(job: ImportJob) -> None:
    from .tasks import validate_import_job_task

    # The worker stores row errors as text: it writes them in the uploader's language.
    job_id, language = job.pk, translation.get_language()
    transaction.on_commit(
        lambda: validate_import_job_task.enqueue(job_id=job_id, language=language)
    )


def _enqueue_apply(job: ImportJob) -> None:
    from .tasks import apply_import_job_task

    job_id, language = job.pk, translation.get_language()
    transaction.on_commit(lambda: apply_import_job_task.enqueue(job_id=job_id, language=language))


def _fingerprint(uploaded: File) -> str:
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def create_import_job(
    *, uploaded_file: UploadedFile | File, user, enqueue: bool = True
) -> ImportJob:
    """Store the upload (storage API), create its job and queue its validation.

    A file over the size limit is not stored: its job is failed at once with the reason.
    """
    # A name is text the browser sent: it may hold a NUL (refused by PostgreSQL and the disk).
    name = storable(Path(uploaded_file.name or "upload.csv").name[:255])
    job = ImportJob(created_by=user, original_name=name, size=uploaded_file.size or 0)
    try:
        reader.check_size(job.size)
    except reader.FileRejected as rejected:
        job.status = Status.FAILED
        job.file_error = rejected.message
        job.finished_at = timezone.now()
        job.save()
        return job
    job.fingerprint = _fingerprint(uploaded_file)
    # The identical file applied last, else the last identical upload.
    job.identical_to = (
        ImportJob.objects.filter(fingerprint=job.fingerprint)
        .order_by(F("confirmed_at").desc(nulls_last=True), "-created_at")
        .first()
    )
    with transaction.atomic():
        job.file.save(name, uploaded_file, save=False)
        job.save()
        if enqueue:
            _enqueue_validation(job)
    return job


def create_revert_job(*, job_id: int, user, enqueue: bool = True) -> ImportJob:
    """A job of its own that puts back what an applied import changed: previewed from the
    accounts' history (pipeline.revert), then confirmed and applied like a file.

    Raises ImportJob.RevertRefused for a revert (its changes are an import's, put back: to
    change them again, upload a file), an import not applied, or one reverted already.
    """
    with transaction.atomic():
        reverted = ImportJob.objects.select_for_update().get(pk=job_id)
        if reverted.is_revert:
            raise ImportJob.RevertRefused(
                _(
                    "Import #%(number)s is itself a revert (of import #%(reverted)s) and cannot "
                    "be reverted: the values it put back are the ones from before that import. "
                    "To change them again, upload a file."
                )
                % {"number": reverted.pk, "reverted": reverted.reverts_id}
            )
        if not reverted.is_applied:
            raise ImportJob.RevertRefused(
                _("Only an applied import can be reverted; import #%(number)s is %(status)s.")
                % {"number": reverted.pk, "status": reverted.get_status_display().lower()}
            )
        earlier = active_revert(reverted)
        if earlier is not None:
            raise ImportJob.RevertRefused(
                _("Import #%(number)s already has a revert: import #%(revert)s.")
                % {"number": reverted.pk, "revert": earlier.pk}
            )
        job = ImportJob.objects.create(
            created_by=user,
            reverts=reverted,
            original_name=_("Revert of import #%(number)s") % {"number": reverted.pk},
        )
        if enqueue:
            _enqueue_validation(job)
    return job


def active_revert(job: ImportJob) -> ImportJob | None:
    """The revert of ``job`` that may still change accounts or did, if any (one query): a
    cancelled or rejected one changed nothing."""
    reverts = job.reverted_by.exclude(status__in=(Status.CANCELLED, Status.REJECTED))
    return reverts.order_by("-pk").first()


def _touch(job_id: int, status: str, **fields) -> bool:
    """Record progress of a running job; False if the job left ``status`` (e.g. cancelled)."""
    updated = ImportJob.objects.filter(pk=job_id, status=status).update(
        heartbeat_at=timezone.now(), **fields
    )
    return bool(updated)


class _Stopped(Exception):
    """The job was cancelled or failed by someone else while the worker was on it."""


def run_validation(*, job_id: int) -> ImportJob:
    """Check every row of an uploaded file and store the preview (the background step)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.status != Status.UPLOADED:
            return job  # cancelled, or another worker already took it
        job.status = Status.VALIDATING
        job.heartbeat_at = timezone.now()
        job.rows_processed = 0
        job.save(update_fields=["status", "heartbeat_at", "rows_processed"])
        _forget_row_problems(job)
    fail_stale_jobs()  # a worker starting a task is the moment to notice one that died

    def on_batch(
        rows_read: int, errors: list[pipeline.RowError], warnings: list[pipeline.RowWarning]
    ) -> None:
        ImportRowError.objects.bulk_create(
            [error.as_model(job_id) for error in errors], batch_size=1000
        )
        ImportRowWarning.objects.bulk_create(
            [warning.as_model(job_id) for warning in warnings], batch_size=1000
        )
        if not _touch(job_id, Status.VALIDATING, rows_processed=rows_read):
            raise _Stopped

    try:
        result = _validate(job, on_batch)
    except _Stopped:
        job.refresh_from_db()
        return job
    except reader.FileRejected as rejected:
        _forget_row_problems(job)
        return _finish(job, Status.FAILED, file_error=rejected.message)
    except TRANSIENT_ERRORS as error:
        logger.exception("Validation of import #%s lost its database", job_id)
        return _finish(job, Status.FAILED, failure_reason=_database_lost(error))
    except Exception as error:
        # Not the file's known fault (the door turns those into row and file errors), nor
        # the database's: a retry is offered, and can do no harm.
        logger.exception("Validation of import #%s failed", job_id)
        return _finish(
            job,
            Status.FAILED,
            failure_reason=_("Validation stopped on an unexpected error (%(error)s).")
            % {"error": type(error).__name__},
        )
    notes = list(job.notes)
    if result.matched_by_document:
        matched = Note("matched_by_document", {"count": result.matched_by_document})
        notes.append(matched.as_stored())
    reasons = approval_reasons(result.money, StoreSettings.load())
    updated = ImportJob.objects.filter(pk=job.pk, status=Status.VALIDATING).update(
        status=Status.AWAITING_APPROVAL if reasons else Status.READY_TO_CONFIRM,
        money_summary=result.money.as_json(),
        approval_reasons=reasons,
        to_create=result.actions[Action.CREATE],
        to_update=result.actions[Action.UPDATE],
        to_close=result.actions[Action.CLOSE],
        unchanged_count=result.actions[Action.UNCHANGED],
        error_count=result.error_rows,
        warning_count=result.warnings,
        undo_count=result.undo_rows,
        change_sample=result.sample,
        rows_processed=result.rows,
        rows_total=result.rows,
        notes=notes,
        plan=job.plan.name,
        heartbeat_at=timezone.now(),
    )
    job.refresh_from_db()
    if not updated:
        logger.info("Import #%s left validation while it ran (%s)", job_id, job.status)
    return job


def _forget_row_problems(job: ImportJob) -> None:
    job.row_errors.all().delete()
    job.row_warnings.all().delete()


def _validate(job: ImportJob, on_batch) -> pipeline.ValidationResult:
    """Read the stored file's format, record it on the job, run the pipeline over the file
    and store the plan it writes beside the upload.

    The rows are read with the file's number style pending: only when an amount such as
    1.500 reads two ways is the style decided from all the file's amounts (one more pass over
    the file), noted on the job, and the rows read again.
    """
    if job.is_revert:
        return _plan_revert(job, on_batch)
    storage, name = job.file.storage, job.file.name

    def open_binary():
        return storage.open(name, "rb")

    file_format = reader.inspect_file(open_binary, size=job.file.size)
    job.encoding = file_format.encoding
    job.delimiter = file_format.delimiter
    job.notes = [note.as_stored() for note in file_format.notes]
    job.rows_total = max(file_format.line_count - 1, 1)  # until the rows are counted
    job.save(update_fields=["encoding", "delimiter", "notes", "rows_total"])
    store_settings = StoreSettings.load()
    previous = job.identical_to
    identical_import = (
        (previous.pk, previous.finished_at)
        if previous is not None and previous.confirmed_at and previous.finished_at
        else None
    )
    with tempfile.TemporaryFile("w+b") as plan_file:

        def validate(style) -> pipeline.ValidationResult:
            return pipeline.validate_file(
                open_binary,
                file_format,
                plan_file=plan_file,
                store_settings=store_settings,
                number_style=style,
                batch_size=pipeline.configured_batch_size(),
                on_batch=on_batch,
                identical_import=identical_import,
            )

        try:
            result = validate(number_style.PENDING)
        except StyleUndecided:
            decision = number_style.decide_file_number_style(open_binary, file_format)
            _forget_row_problems(job)
            plan_file.seek(0)
            plan_file.truncate()
            job.notes = [*job.notes, *(note.as_stored() for note in decision.notes())]
            job.save(update_fields=["notes"])
            result = validate(decision.style)
        plan_file.seek(0)
        job.plan.save(f"job-{job.pk}-plan.csv", File(plan_file), save=False)
    return result


def _plan_revert(job: ImportJob, on_batch) -> pipeline.ValidationResult:
    with tempfile.TemporaryFile("w+b") as plan_file:
        result = pipeline.plan_revert(
            reverted_job=job.reverts_id,
            plan_file=plan_file,
            store_settings=StoreSettings.load(),
            batch_size=pipeline.configured_batch_size(),
            on_batch=on_batch,
        )
        plan_file.seek(0)
        job.plan.save(f"job-{job.pk}-plan.csv", File(plan_file), save=False)
    return result


def _finish(job: ImportJob, status: str, **fields) -> ImportJob:
    now = timezone.now()
    # A message may quote the file (a column's name): whatever it holds, it can be stored.
    texts = {name: storable(value) for name, value in fields.items() if isinstance(value, str)}
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, finished_at=now, heartbeat_at=now, **{**fields, **texts}
    )
    job.refresh_from_db()
    return job


def _database_lost(error: Exception) -> str:
    return _(
        "The import stopped because the database could not be reached (%(error)s). Retry it "
        "once the service is back; batches already applied are kept and not repeated."
    ) % {"error": type(error).__name__}


@contextmanager
def failure_recorded(*, job_id: int) -> Iterator[None]:
    """Around a task: whatever escapes the step, record a minimal failure of the job and
    let the worker live.

    The worker records an escaping exception in its task table; when that write fails too
    (a NUL in the message, the database gone), the worker process dies and every later
    import waits. So nothing escapes: the job says it failed (Retry offered: what went wrong
    is not known to be the file's fault), and if even that cannot be written, the log says
    so and the sweep of stale jobs fails the job later.
    """
    try:
        yield
    except Exception as error:
        logger.exception("Import #%s stopped on an error", job_id)
        reason = _(
            "The import stopped on an unexpected error (%(error)s). Retry it; batches already "
            "applied are kept and not repeated."
        ) % {"error": type(error).__name__}
        try:
            with transaction.atomic():
                ImportJob.objects.filter(pk=job_id, status__in=ImportJob.IN_PROGRESS).update(
                    status=Status.FAILED,
                    finished_at=timezone.now(),
                    failure_reason=storable(reason),
                )
        except Exception:
            logger.exception("The failure of import #%s could not be recorded", job_id)


def confirm_import_job(
    *, job_id: int, user, acknowledged_warnings: int = 0, enqueue: bool = True
) -> ImportJob:
    """Staff confirmed the preview: queue the apply step.

    A job with warnings is confirmed only with ``acknowledged_warnings`` equal to their
    number (the "I checked the 4 warnings" box): raises ImportJob.WarningsNotAcknowledged,
    and ImportJob.WrongStatus when the job cannot be confirmed now.
    """
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        # Two tabs, or a double click, cannot apply the same file twice: the second one
        # finds the job already importing.
        job.ensure_status(Status.READY_TO_CONFIRM)
        _start_applying(job, user, acknowledged_warnings, enqueue=enqueue)
    return job


def _start_applying(job: ImportJob, user, acknowledged_warnings: int, *, enqueue: bool) -> None:
    """Confirmed (or approved) by ``user``: the job goes on to apply, once its warnings are
    acknowledged. Called inside the transaction that locked the job."""
    if job.warning_count and acknowledged_warnings != job.warning_count:
        raise ImportJob.WarningsNotAcknowledged(
            ngettext(
                "This import has %(count)s warning: check it, then tick the box that says "
                "you did, and confirm again.",
                "This import has %(count)s warnings: check them, then tick the box that "
                "says you did, and confirm again.",
                job.warning_count,
            )
            % {"count": job.warning_count}
        )
    job.status = Status.IMPORTING
    job.confirmed_by = user
    job.confirmed_at = timezone.now()
    job.heartbeat_at = job.confirmed_at
    job.rows_processed = 0
    job.rows_to_apply = job.to_create + job.to_update + job.to_close
    fields = ["status", "confirmed_by", "confirmed_at", "heartbeat_at", "rows_processed"]
    job.save(update_fields=[*fields, "rows_to_apply", "reviewed_by", "reviewed_at"])
    if enqueue:
        _enqueue_apply(job)


def _review(job_id: int, user) -> ImportJob:
    """Lock a job awaiting approval for ``user``'s decision; its uploader may not decide."""
    job = ImportJob.objects.select_for_update().get(pk=job_id)
    job.ensure_status(Status.AWAITING_APPROVAL)
    if user.pk == job.created_by_id:
        raise ImportJob.NotYourDecision(
            _(
                "You uploaded this import: another manager must approve or reject it. You "
                "can cancel it."
            )
        )
    job.reviewed_by = user
    job.reviewed_at = timezone.now()
    return job


def approve_import_job(
    *, job_id: int, user, acknowledged_warnings: int = 0, enqueue: bool = True
) -> ImportJob:
    """A second manager approves a job over the store's thresholds: it applies, as if they
    had confirmed it (their acknowledgement of its warnings included). Raises
    ImportJob.NotYourDecision for its uploader, and ImportJob.WrongStatus,
    ImportJob.WarningsNotAcknowledged as confirm_import_job does."""
    with transaction.atomic():
        job = _review(job_id, user)
        _start_applying(job, user, acknowledged_warnings, enqueue=enqueue)
    return job


def reject_import_job(*, job_id: int, user, reason: str) -> ImportJob:
    """A second manager refuses a job over the store's thresholds, saying why (the uploader
    reads it on the job page). Nothing is applied. Raises ImportJob.ReasonRequired without a
    reason, and ImportJob.NotYourDecision, ImportJob.WrongStatus as approving does."""
    reason = reason.strip()
    if not reason:
        raise ImportJob.ReasonRequired(
            _("Say why you reject this import: the person who uploaded it reads the reason.")
        )
    with transaction.atomic():
        job = _review(job_id, user)
        job.status = Status.REJECTED
        job.review_reason = reason
        job.finished_at = job.reviewed_at
        job.save(
            update_fields=["status", "reviewed_by", "reviewed_at", "review_reason", "finished_at"]
        )
    return job


def run_apply(*, job_id: int) -> ImportJob:
    """Apply a confirmed job's plan in batches (the background step)."""
    if not _touch(job_id, Status.IMPORTING):
        return ImportJob.objects.get(pk=job_id)
    fail_stale_jobs()  # a worker starting a task is the moment to notice one that died
    job = ImportJob.objects.get(pk=job_id)
    # Counts of batches a stopped worker already committed carry over to a retry.
    result = pipeline.ApplyResult(
        created=job.created_count,
        updated=job.updated_count,
        closed=job.closed_count,
        conflicts=job.conflict_count,
    )

    def on_batch(rows_done: int, conflicts: list[pipeline.RowError]) -> None:
        ImportRowError.objects.bulk_create([error.as_model(job_id) for error in conflicts])
        if not _touch(
            job_id,
            Status.IMPORTING,
            rows_processed=rows_done,
            created_count=result.created,
            updated_count=result.updated,
            closed_count=result.closed,
            conflict_count=result.conflicts,
        ):
            raise _Stopped

    try:
        with job.plan.storage.open(job.plan.name, "rb") as plan_file:
            pipeline.apply_plan(
                pipeline.read_plan(plan_file),
                source=pipeline.ImportSource(
                    job_id=job.pk,
                    user_id=job.confirmed_by_id or job.created_by_id,
                    reverts=job.reverts_id,
                ),
                result=result,
                rows_done=job.rows_processed,
                batch_size=pipeline.configured_batch_size(),
                on_batch=on_batch,
            )
    except _Stopped:
        job.refresh_from_db()
        return job
    except TRANSIENT_ERRORS as error:
        logger.exception("Applying import #%s lost its database", job_id)
        return _finish(job, Status.FAILED, failure_reason=_database_lost(error))
    except Exception as error:
        logger.exception("Applying import #%s failed", job_id)
        return _finish(
            job,
            Status.FAILED,
            failure_reason=_(
                "Applying stopped on an unexpected error (%(error)s). The batches already "
                "applied are kept; retry to apply the rest."
            )
            % {"error": type(error).__name__},
        )
    with_errors = job.error_count or result.conflicts
    return _finish(
        job,
        Status.COMPLETED_WITH_ERRORS if with_errors else Status.COMPLETED,
        rows_processed=job.rows_to_apply,
        created_count=result.created,
        updated_count=result.updated,
        closed_count=result.closed,
        conflict_count=result.conflicts,
        change_sample=_applied_sample(job) if result.conflicts else job.change_sample,
    )


def _applied_sample(job: ImportJob) -> list[dict]:
    """The preview's sample without the rows that were not applied: a planned row with a
    row error got it when applying (its account changed since the preview)."""
    rows = [entry["row"] for entry in job.change_sample]
    held_back = set(job.row_errors.filter(row_number__in=rows).values_list("row_number", flat=True))
    return [entry for entry in job.change_sample if entry["row"] not in held_back]


def cancel_import_job(*, job_id: int, user) -> ImportJob:
    """Drop a job before it is applied. Raises ImportJob.WrongStatus once importing."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        job.ensure_status(Status.UPLOADED, Status.VALIDATING, *ImportJob.PREVIEWED)
        job.status = Status.CANCELLED
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "finished_at"])
    return job


def retry_import_job(*, job_id: int, user, enqueue: bool = True) -> ImportJob:
    """Run a job whose worker died again: validation from the start, or apply from the
    last committed batch. Raises ImportJob.WrongStatus for any other job."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        job.ensure_status(Status.FAILED)
        if not job.can_retry:
            raise ImportJob.WrongStatus(
                _("This file was rejected: fix it and upload it again; a retry would fail too.")
            )
        job.failure_reason = ""
        job.finished_at = None
        job.heartbeat_at = timezone.now()
        if job.confirmed_at:
            job.status = Status.IMPORTING
            if enqueue:
                _enqueue_apply(job)
        else:
            job.status = Status.UPLOADED
            if enqueue:
                _enqueue_validation(job)
        job.save(update_fields=["status", "failure_reason", "finished_at", "heartbeat_at"])
    return job


def fail_stale_jobs() -> int:
    """Mark failed the jobs no worker has touched for a while, so none stays "running".

    Run by a worker when it starts a task, and by ``manage.py fail_stale_imports`` (cron),
    never by a page: a page view only reads."""
    limit = stale_after()
    cutoff = timezone.now() - limit
    minutes = int(limit.total_seconds() // 60)
    never_started = Q(status=Status.UPLOADED, created_at__lt=cutoff, heartbeat_at__isnull=True)
    silent = Q(status__in=ImportJob.IN_PROGRESS, heartbeat_at__lt=cutoff)
    # A read first: as nearly always nothing is stale, and a write would queue for SQLite's
    # write lock behind another worker's batch.
    if not ImportJob.objects.filter(never_started | silent).exists():
        return 0
    reasons = {
        never_started: _(
            "No background worker started this import within %(minutes)s minutes. Check that "
            "the worker (manage.py db_worker) is running, then retry."
        ),
        silent: _(
            "The background worker stopped answering (no progress for %(minutes)s minutes). "
            "Retry the import; batches already applied are kept and not repeated."
        ),
    }
    return sum(
        ImportJob.objects.filter(condition).update(
            status=Status.FAILED,
            finished_at=timezone.now(),
            failure_reason=reason % {"minutes": minutes},
        )
        for condition, reason in reasons.items()
    )


def fail_abandoned_jobs() -> list[int]:
    """Fail the jobs left validating or importing by a worker that died; their ids.

    Run by a worker when it starts (imports' ``db_worker``): a job no worker has touched
    for IMPORT_WORKER_LOST_AFTER_SECONDS lost its worker, since a live one writes a sign of
    life every batch. It is failed with Retry offered, rather than resumed at once: a file
    that kills the worker would otherwise kill every worker that starts."""
    cutoff = timezone.now() - timedelta(seconds=settings.IMPORT_WORKER_LOST_AFTER_SECONDS)
    abandoned = ImportJob.objects.filter(
        status__in=(Status.VALIDATING, Status.IMPORTING), heartbeat_at__lt=cutoff
    )
    job_ids = list(abandoned.values_list("pk", flat=True))
    if job_ids:
        ImportJob.objects.filter(pk__in=job_ids, heartbeat_at__lt=cutoff).update(
            status=Status.FAILED,
            finished_at=timezone.now(),
            failure_reason=_(
                "The background worker running this import stopped before it finished (it "
                "was restarted or killed). Retry the import; batches already applied are "
                "kept and not repeated."
            ),
        )
        logger.warning("Failed imports abandoned by a stopped worker: %s", job_ids)
    return job_ids


def import_file(*, path: Path, user, confirm: bool, accept_warnings: bool = False) -> ImportJob:
    """The command line's import: the same job, validated and (with ``confirm``) applied
    in this process instead of by the worker. A job with warnings is applied only with
    ``accept_warnings``; otherwise it stays ready to confirm. A job over the store's approval
    thresholds stays awaiting approval, as an upload does: a second manager decides."""
    with path.open("rb") as handle:
        job = create_import_job(
            uploaded_file=File(handle, name=path.name), user=user, enqueue=False
        )
    if job.status == Status.UPLOADED:
        job = run_validation(job_id=job.pk)
    if confirm and job.status == Status.READY_TO_CONFIRM:
        if job.warning_count and not accept_warnings:
            return job
        confirm_import_job(
            job_id=job.pk, user=user, acknowledged_warnings=job.warning_count, enqueue=False
        )
        job = run_apply(job_id=job.pk)
    return job
