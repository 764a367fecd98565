"""Applying a confirmed plan: batches in transactions, conflicts held back, history written."""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import DataError, IntegrityError, connection, transaction
from django.utils import timezone

from accounts import selectors
from accounts.changes import Action, PlannedChange, find_duplicates, find_stale
from accounts.history import REVERT_CHANNEL, Channel, coded
from accounts.problems import Problem
from accounts.services import write_planned_changes

from .meaning import template_column
from .rows import RowError, batched


@dataclass
class ApplyResult:
    """What applying did so far (a retry starts from the counts already committed)."""

    created: int = 0
    updated: int = 0
    closed: int = 0
    conflicts: int = 0


@dataclass(frozen=True)
class ImportSource:
    """Whose import this is: the job (for the history's "Import #12 row 57") and its user.

    A revert's changes are recorded under the import it reverts, with that import's rows
    ("Revert of import #12 row 57"), in the history's revert channel.
    """

    job_id: int
    user_id: int | None
    reverts: int | None = None


def apply_plan(
    plan: Iterable[PlannedChange],
    *,
    source: ImportSource,
    result: ApplyResult,
    rows_done: int,
    batch_size: int,
    on_batch: Callable[[int, list[RowError]], None],
) -> ApplyResult:
    """Write the plan, one transaction per batch, after the ``rows_done`` already applied.

    ``on_batch(rows_done, conflicts)`` runs inside each batch's transaction, so progress,
    conflicts and the written accounts commit together (a retry resumes after the last
    committed batch). One row the database refuses never sinks its batch.
    """
    done = 0
    with _checkpoint_once():
        for batch in batched(plan, batch_size):
            done += len(batch)
            if done <= rows_done:
                continue  # applied before the worker stopped: this is a retry
            with transaction.atomic():
                written, conflicts = _apply_batch(batch, source)
                _count(result, written, conflicts)
                on_batch(done, conflicts)
    return result


def _count(result: ApplyResult, written: list[PlannedChange], conflicts: list[RowError]) -> None:
    result.conflicts += len({error.row_number for error in conflicts})
    for change in written:
        if change.action == Action.CREATE:
            result.created += 1
        elif change.action == Action.CLOSE:
            result.closed += 1
        else:
            result.updated += 1


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


def _apply_batch(
    batch: list[PlannedChange], source: ImportSource
) -> tuple[list[PlannedChange], list[RowError]]:
    """Lock the accounts the batch updates, hold back those changed since the preview, write
    the rest; the changes written and the conflicts."""
    account_ids = {change.reference: change.account_id for change in batch}
    versions = selectors.locked_versions(
        [change.account_id for change in batch if change.action != Action.CREATE]
    )
    problems: dict[int, list[Problem]] = {
        reference: [problem] for reference, problem in find_stale(batch, versions).items()
    }
    batch = [change for change in batch if change.reference not in problems]
    try:
        # Optimistic: the unique indexes on open e-mails and documents refuse any account
        # opened since the preview, so the usual batch needs no look-up before its write.
        _write(batch, source)
    except IntegrityError:
        duplicates = find_duplicates(batch)
        problems.update(duplicates)
        batch = [change for change in batch if change.reference not in duplicates]
        batch = _write_one_by_one(batch, source, problems)
    except DataError:
        batch = _write_one_by_one(batch, source, problems)
    conflicts = [
        RowError(
            reference,
            template_column(problem.field),
            account_ids[reference],
            problem.code,
            dict(problem.params),
            account_ids[reference],
        )
        for reference in sorted(problems)
        for problem in problems[reference]
    ]
    return batch, conflicts


def _write(batch: list[PlannedChange], source: ImportSource) -> None:
    if source.reverts is None:
        job, channel, code = source.job_id, Channel.IMPORT, "import_row"
    else:
        job, channel, code = source.reverts, REVERT_CHANNEL, "revert_row"
    with transaction.atomic():
        write_planned_changes(
            batch,
            channel=channel,
            user_id=source.user_id,
            when=timezone.now(),
            history_source=lambda change: coded(code, job=job, row=change.reference),
            import_job=job,
        )


def _write_one_by_one(
    batch: list[PlannedChange], source: ImportSource, problems: dict[int, list[Problem]]
) -> list[PlannedChange]:
    """The batch row by row, after the database refused it whole: a row it still refuses
    (a change at the same moment, a value it cannot hold) becomes that row's error."""
    written = []
    for change in batch:
        try:
            _write([change], source)
        except (IntegrityError, DataError):
            problems[change.reference] = [Problem("row_not_applied")]
        else:
            written.append(change)
    return written
