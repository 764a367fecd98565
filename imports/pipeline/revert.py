"""The preview of a revert: an applied import's changes, read back from the accounts' history,
turned into the changes that put every field back, through the same planner as a file.

For each account the import changed (its history rows carry the job's number and the row):
- an account changed since, by anyone or anything, is a conflict: left alone, with who
  changed it last;
- an account the import opened is closed, if nothing happened to it since (no change, no
  credit used, no holder); the history says why;
- an account the import closed stays closed: closing is irreversible, and the preview says
  so for each;
- otherwise every field the import changed gets its value from just before the import.

The plan and the counts are a file's: apply, conflicts held back at apply time, history and
lineage are the import's own (imports.pipeline.apply), under the "revert" channel.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import BinaryIO

from accounts import selectors
from accounts.changes import WRITABLE_FIELDS, AccountChangePlanner, Action, Intent, ProposedChange
from accounts.history import REVERT_CHANNEL, Channel
from accounts.models import Account, AccountStatus, StoreSettings

from .meaning import template_column
from .plan_file import plan_line, plan_writer
from .preview import ValidationResult
from .rows import RowError, RowWarning, batched

# One history row as the revert reads it: its id, the account, the lineage and the values.
# Who made a later change is read for the conflicts alone (selectors.last_changes): reading
# every row's user and date would cost more than the rest of the preview.
_COLUMNS = (
    "history_id",
    "id",
    "history_import",
    "history_channel",
    "history_row",
    "history_type",
    *WRITABLE_FIELDS,
)
_VALUES = slice(len(_COLUMNS) - len(WRITABLE_FIELDS), None)


def plan_revert(
    *,
    reverted_job: int,
    plan_file: BinaryIO,
    store_settings: StoreSettings,
    batch_size: int,
    on_batch: Callable[[int, list[RowError], list[RowWarning]], None],
) -> ValidationResult:
    """The revert's plan (into ``plan_file``) and preview: one planner, batch by batch, three
    queries per batch (the accounts' histories, their ledger and holders, the planner's)."""
    planner = AccountChangePlanner(store_settings)
    result = ValidationResult()
    plan_text, plan_lines = plan_writer(plan_file)
    # The ids only (a 100,000-row import's fit in memory), read before any batch is planned.
    written = list(
        Account.history.filter(history_import=reverted_job)
        .exclude(history_channel=REVERT_CHANNEL)
        .order_by("history_row", "history_id")
        .values_list("id", flat=True)
    )
    try:
        for account_ids in batched(written, batch_size):
            proposals, errors = _proposals(account_ids, reverted_job)
            plan = planner.plan(proposals)
            for refusal in plan.refused:
                errors.extend(_row_errors(refusal.proposal, refusal.problems))
            plan_lines.writerows(
                plan_line(change) for change in plan.accepted if change.action != Action.UNCHANGED
            )
            refused = len(account_ids) - len(plan.accepted)
            result.count(plan, rows=len(account_ids), error_rows=refused)
            on_batch(result.rows, errors, [])
    finally:
        planner.close()
        plan_text.flush()
        plan_text.detach()
    return result


def _proposals(
    account_ids: list[str], reverted_job: int
) -> tuple[list[ProposedChange], list[RowError]]:
    """The change that reverts each account, or the row error saying why it is left alone."""
    histories: dict[str, list[tuple]] = defaultdict(list)
    records = (
        Account.history.filter(id__in=account_ids)
        .order_by("id", "history_id")
        .values_list(*_COLUMNS)
    )
    for record in records:
        histories[record[1]].append(record)
    opened = [
        account_id
        for account_id in account_ids
        if _import_record(histories[account_id], reverted_job)[1][5] == "+"
    ]
    in_use = _used_since_opened(opened)
    proposals: list[ProposedChange] = []
    errors: list[RowError] = []
    for account_id in account_ids:
        history = histories[account_id]
        position, record = _import_record(history, reverted_job)
        row = record[4]
        before = history[position - 1] if position else None
        later = history[position + 1 :]
        if later:
            errors.append(_left_alone(row, account_id, "changed_since_import", reverted_job))
        elif record[5] == "+":
            if account_id in in_use:
                errors.append(_left_alone(row, account_id, "used_since_import", reverted_job))
            else:
                proposals.append(_proposal(account_id, row, {"status": AccountStatus.CLOSED}))
        elif before is None:
            errors.append(_left_alone(row, account_id, "no_history_before_import", reverted_job))
        elif record[_VALUES][-1] == AccountStatus.CLOSED:
            errors.append(_left_alone(row, account_id, "closure_not_undone", reverted_job))
        else:
            old = dict(zip(WRITABLE_FIELDS, before[_VALUES], strict=True))
            new = dict(zip(WRITABLE_FIELDS, record[_VALUES], strict=True))
            changed = {name: old[name] for name in WRITABLE_FIELDS if old[name] != new[name]}
            proposals.append(_proposal(account_id, row, changed))
    changed_since = [error for error in errors if error.code == "changed_since_import"]
    if changed_since:
        who = selectors.last_changes({error.account_id for error in changed_since})
        for error in changed_since:
            error.params.update(who[error.account_id])
    return proposals, errors


def _import_record(history: list[tuple], reverted_job: int) -> tuple[int, tuple]:
    """The position and the row of the import's own change in an account's history."""
    for position, record in enumerate(history):
        if record[2] == reverted_job and record[3] != REVERT_CHANNEL:
            return position, record
    raise LookupError(reverted_job)


def _used_since_opened(account_ids: Iterable[str]) -> set[str]:
    """Accounts opened by the import that were used since: credit moved, or a holder added."""
    account_ids = list(account_ids)
    if not account_ids:
        return set()
    accounts = Account.objects.filter(pk__in=account_ids).order_by()
    return set(
        accounts.filter(movements__isnull=False).values_list("pk", flat=True).distinct()
    ) | set(accounts.filter(holders__isnull=False).values_list("pk", flat=True).distinct())


def _proposal(account_id: str, row: int, values: dict) -> ProposedChange:
    # Through the planner like any change: the values are the stored ones, already clean, and
    # every rule still holds (an e-mail taken since by another open account is refused).
    return ProposedChange(Intent.CHANGE, values, Channel.IMPORT, account_id, None, row)


def _left_alone(row: int, account_id: str, code: str, reverted_job: int) -> RowError:
    """An account the revert does not touch, and why (a conflict on the job's list)."""
    column = template_column("status") if code == "closure_not_undone" else ""
    return RowError(row, column, account_id, code, {"import": reverted_job}, account_id)


def _row_errors(proposal: ProposedChange, problems) -> list[RowError]:
    return [
        RowError(
            proposal.reference,
            template_column(problem.field),
            str(proposal.values.get(problem.field, "")) if problem.field else proposal.account_id,
            problem.code,
            dict(problem.params),
            proposal.account_id,
        )
        for problem in problems
    ]
