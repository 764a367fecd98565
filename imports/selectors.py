"""Lineage reads: the accounts an import touched, and the imports that touched an account.

Both come from the accounts' history, where every change an import (or its revert) wrote
carries the job's number and the file's row (accounts.history), and from the conflicts, the
row errors that name the account a planned change was held back from.
"""

from dataclasses import dataclass

from django.db.models import Case, CharField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.history import REVERT_CHANNEL
from accounts.models import Account, AccountStatus

from .models import ImportJob, ImportRowError


class Outcome:
    """What an import (or its revert) did to an account, as the job page filters by."""

    CREATED = "created"
    UPDATED = "updated"
    CLOSED = "closed"
    CONFLICT = "conflict"
    REVERTED = "reverted"

    CHOICES = (
        (CREATED, _("Created")),
        (UPDATED, _("Updated")),
        (CLOSED, _("Closed")),
        (CONFLICT, _("Conflict (left alone)")),
        (REVERTED, _("Reverted")),
    )
    LABELS = dict(CHOICES)


class _LabelledOutcome:
    """An outcome code worded for the reader (created, updated, closed, …)."""

    outcome: str

    @property
    def outcome_label(self) -> str:
        return str(Outcome.LABELS[self.outcome])


@dataclass(frozen=True)
class TouchedAccount(_LabelledOutcome):
    """One account an import touched: the file's row, the account and what happened to it."""

    row_number: int
    account_id: str
    email: str
    outcome: str


def _history_outcome(*, of_revert: bool) -> Case:
    """An import's history row by what it did; a revert's rows are "reverted" on the import's
    page and "reverted" or "closed" (an account the import had opened) on the revert's."""
    if of_revert:
        return Case(
            When(status=AccountStatus.CLOSED, then=Value(Outcome.CLOSED)),
            default=Value(Outcome.REVERTED),
            output_field=CharField(),
        )
    return Case(
        When(history_channel=REVERT_CHANNEL, then=Value(Outcome.REVERTED)),
        When(history_type="+", then=Value(Outcome.CREATED)),
        When(status=AccountStatus.CLOSED, then=Value(Outcome.CLOSED)),
        default=Value(Outcome.UPDATED),
        output_field=CharField(),
    )


def touched_accounts(*, job: ImportJob, outcome: str = "") -> QuerySet:
    """The accounts a job touched, by row, as (row, account id, e-mail, outcome) tuples, for
    one paginated query (a union: count, then one page). Served by the history's
    history_import index and the row errors' (job, row) index.

    A revert's changes are recorded under the number of the import it reverts (its history
    reads "Revert of import #N · row 57"), so a revert lists those, and the import lists
    them too, as reverted.
    """
    of_revert = job.reverts_id is not None
    history = Account.history.filter(history_import=job.reverts_id if of_revert else job.pk)
    if of_revert:
        history = history.filter(history_channel=REVERT_CHANNEL)
    history = (
        history.annotate(outcome=_history_outcome(of_revert=of_revert))
        .order_by()
        .values_list("history_row", "id", "email", "outcome")
    )
    # The e-mail of a conflict's account: a subquery per conflict (few, and one page's).
    email = Account.objects.filter(pk=OuterRef("account_id")).values("email")[:1]
    conflicts = (
        ImportRowError.objects.filter(job=job)
        .exclude(account_id="")
        .annotate(address=Coalesce(Subquery(email), Value("")))
        .annotate(outcome=Value(Outcome.CONFLICT, output_field=CharField()))
        .order_by()
        .values_list("row_number", "account_id", "address", "outcome")
    )
    if outcome == Outcome.CONFLICT:
        # distinct: a conflict with two problems is one account.
        return conflicts.distinct().order_by("row_number", "account_id")
    if outcome in Outcome.LABELS:
        return history.filter(outcome=outcome).order_by("history_row", "id")
    # union(), not union(all=True), for the same reason as distinct() above.
    return history.union(conflicts).order_by("history_row", "id")


def as_touched(rows) -> list[TouchedAccount]:
    return [TouchedAccount(*row) for row in rows]


@dataclass(frozen=True)
class AccountImport(_LabelledOutcome):
    """An import that touched an account: the job, the row and what it did."""

    job: ImportJob
    row_number: int
    outcome: str


def imports_touching(*, account_id: str) -> list[AccountImport]:
    """The imports that changed an account or were held back from it, newest first: one
    query (the history's id index, the conflicts' partial index), one for the jobs and, if
    a revert changed the account, one for the reverts."""
    history = (
        Account.history.filter(id=account_id, history_import__isnull=False)
        .annotate(outcome=_history_outcome(of_revert=False))
        .order_by()
        .values_list("history_import", "history_row", "outcome")
    )
    conflicts = (
        ImportRowError.objects.filter(account_id=account_id)
        .annotate(outcome=Value(Outcome.CONFLICT, output_field=CharField()))
        .order_by()
        .values_list("job_id", "row_number", "outcome")
    )
    found = list(history.union(conflicts))
    jobs = ImportJob.objects.select_related("created_by").in_bulk({job for job, _r, _o in found})
    # A revert's history rows carry the number of the import they revert: show the revert.
    reverted = {job for job, _r, outcome in found if outcome == Outcome.REVERTED}
    reverts = (
        {
            revert.reverts_id: revert
            for revert in ImportJob.objects.select_related("created_by")
            .filter(reverts__in=reverted)
            .exclude(status__in=(ImportJob.Status.CANCELLED, ImportJob.Status.REJECTED))
        }
        if reverted
        else {}
    )
    touched = [
        AccountImport(
            reverts.get(job_id, jobs[job_id]) if outcome == Outcome.REVERTED else jobs[job_id],
            row,
            outcome,
        )
        for job_id, row, outcome in found
        if job_id in jobs
    ]
    return sorted(touched, key=lambda entry: (entry.job.created_at, entry.job.pk), reverse=True)
