"""Applying a confirmed plan: batches in transactions, conflicts held back, history written."""

import csv
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.changes import AccountValues, PlannedChange
from accounts.changes import Action as PlannedAction
from accounts.history import Channel
from accounts.models import Account, AccountStatus
from accounts.problems import rule_error
from accounts.services import write_planned_changes

from ..models import ImportJob, ImportRowError
from .rows import (
    Action,
    Change,
    RowError,
    batched,
    configured_batch_size,
    open_accounts_with,
)


@dataclass
class ApplyResult:
    created: int = 0
    updated: int = 0
    closed: int = 0
    conflicts: int = 0


def read_plan(job: ImportJob) -> Iterator[Change]:
    with job.plan.storage.open(job.plan.name, "rb") as binary:
        text = io.TextIOWrapper(binary, encoding="utf-8", newline="")
        for line in csv.reader(text):
            yield Change.from_plan_line(line)


def apply_plan(
    job: ImportJob,
    *,
    batch_size: int | None = None,
    on_batch: Callable[[int, ApplyResult], None] | None = None,
) -> ApplyResult:
    """Write the job's plan, one transaction per batch; conflicting rows become row errors.

    ``on_batch(rows_done, result)`` runs inside each batch's transaction, so progress and
    the written accounts commit together (a retry resumes after the last committed batch).
    """
    # Counts of batches a stopped worker already committed carry over to a retry.
    result = ApplyResult(
        created=job.created_count,
        updated=job.updated_count,
        closed=job.closed_count,
        conflicts=job.conflict_count,
    )
    done = 0
    user_id = job.confirmed_by_id or job.created_by_id
    with _checkpoint_once():
        for batch in batched(read_plan(job), batch_size or configured_batch_size()):
            done += len(batch)
            if done <= job.rows_processed:
                continue  # applied before the worker stopped: this is a retry
            with transaction.atomic():
                _apply_batch(job, batch, result, user_id)
                if on_batch:
                    on_batch(done, result)
    return result


@contextmanager
def _checkpoint_once() -> Iterator[None]:
    """On SQLite, copy the write-ahead log into the database once, after the last batch.

    Each batch writes more than SQLite's automatic checkpoint threshold, so by default
    every batch's commit would also rewrite (and sync) the same index pages; with the
    threshold lifted for this connection, they are written once at the end.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        # Not SQLite, or inside a caller's transaction (where SQLite refuses to checkpoint).
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        (default,) = cursor.fetchone()
        cursor.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint = {int(default)}")
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")


def _apply_batch(job: ImportJob, batch: list[Change], result: ApplyResult, user_id) -> None:
    update_ids = [change.account_id for change in batch if change.action != Action.CREATE]
    # Locked until the batch commits: nobody changes them between this check and the write.
    versions = dict(
        Account.objects.select_for_update()
        .filter(pk__in=update_ids)
        .order_by()
        .values_list("id", "version")
    )
    conflicts: list[RowError] = []
    changed_since = [
        change
        for change in batch
        if change.action != Action.CREATE and versions.get(change.account_id) != change.version
    ]
    if changed_since:
        conflicts.extend(_changed_since_preview(changed_since))
        skipped = {change.row_number for change in changed_since}
        batch = [change for change in batch if change.row_number not in skipped]
    try:
        # Optimistic: the unique indexes on open e-mails and documents refuse any account
        # opened since the preview, so the usual batch needs no look-up before its write.
        with transaction.atomic():
            _write(job, batch, user_id)
    except IntegrityError:
        clashing = _clashing_with_new_accounts(batch)
        conflicts.extend(clashing)
        skipped = {error.row_number for error in clashing}
        batch = [change for change in batch if change.row_number not in skipped]
        try:
            with transaction.atomic():
                _write(job, batch, user_id)
        except IntegrityError:
            # Another writer raced this very batch: hold it back rather than guess.
            message = _(
                "An account was opened or changed by someone else while this row was being "
                "imported; it was not applied. Upload the file again to apply it."
            )
            conflicts.extend(
                RowError(change.row_number, "", change.account_id, message, "conflict")
                for change in batch
            )
            batch = []
    ImportRowError.objects.bulk_create([error.as_model(job) for error in conflicts])
    result.conflicts += len(conflicts)
    for change in batch:
        if change.action == Action.CREATE:
            result.created += 1
        elif change.action == Action.CLOSE:
            result.closed += 1
        else:
            result.updated += 1


def _write(job: ImportJob, batch: list[Change], user_id) -> None:
    label = _("Import #%(job)s row %(row)s")
    write_planned_changes(
        [
            PlannedChange(
                change.row_number,
                PlannedAction(change.action),
                change.account_id,
                AccountValues(
                    change.email,
                    change.document_type,
                    change.document,
                    change.credit_limit,
                    change.tolerance,
                    change.status,
                ),
                changed_fields=change.changed,
            )
            for change in batch
        ],
        channel=Channel.IMPORT,
        user_id=user_id,
        when=timezone.now(),
        history_source=lambda change: label % {"job": job.pk, "row": change.reference},
    )


def _changed_since_preview(changes: list[Change]) -> list[RowError]:
    """Conflicts for rows whose account changed after the preview, saying who changed it."""
    last_change: dict[str, dict] = {}
    for record in (
        Account.history.filter(id__in=[change.account_id for change in changes])
        .order_by("id", "-history_date", "-history_id")
        .values("id", "history_date", "history_user__username", "history_channel")
    ):
        last_change.setdefault(record["id"], record)
    errors = []
    for change in changes:
        record = last_change.get(change.account_id)
        who = ""
        if record:
            who = " " + _("(last change %(when)s by %(user)s, %(channel)s)") % {
                "when": timezone.localtime(record["history_date"]).strftime("%Y-%m-%d %H:%M"),
                "user": record["history_user__username"] or _("the system"),
                "channel": Channel(record["history_channel"]).label,
            }
        message = _(
            "Account %(id)s was changed after the preview%(who)s; this row was not applied so "
            "that change is not overwritten. Check the account, then upload the row again if "
            "it is still right."
        ) % {"id": change.account_id, "who": who}
        errors.append(RowError(change.row_number, "", change.account_id, message, "conflict"))
    return errors


def _clashing_with_new_accounts(batch: list[Change]) -> list[RowError]:
    """Rows whose e-mail or document an account opened since the preview now holds."""
    opening = [change for change in batch if change.status == AccountStatus.OPEN]
    email_holders = {
        account["email"]: account["id"]
        for account in open_accounts_with(
            email__in={change.email for change in opening}, values=["id", "email"]
        )
    }
    document_holders = {
        (account["document_type"], account["document"]): account["id"]
        for account in open_accounts_with(
            document__in={change.document for change in opening if change.document},
            values=["id", "document_type", "document"],
        )
    }
    errors = []
    for change in opening:
        for name, holder in (
            ("email", email_holders.get(change.email)),
            ("document", document_holders.get((change.document_type, change.document))),
        ):
            if holder is not None and holder != change.account_id:
                message = rule_error(f"duplicate_open_{name}", id=holder)
                errors.append(
                    RowError(
                        change.row_number,
                        "",
                        change.account_id,
                        " ".join(message.messages)
                        + " "
                        + _("It was opened after the preview; this row was not applied."),
                        "conflict",
                    )
                )
                break
    return errors
