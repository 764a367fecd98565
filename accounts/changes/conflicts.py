"""Conflicts with other accounts and other people: duplicates and stale versions.

The planner calls these with what it read for a batch; the import's apply step and a
single write that hit a unique index call them again with a fresh read, so a conflict
found late reads exactly like one found in the preview.
"""

from collections.abc import Mapping, Sequence

from django.utils import timezone

from accounts import selectors
from accounts.models import AccountStatus
from accounts.problems import Problem

from .records import WRITABLE_FIELDS, AccountValues, Action, PlannedChange, StoredAccount


def other_open_account(
    after: AccountValues,
    account_id: str,
    field: str,
    *,
    open_by_email: Mapping[str, str],
    open_by_document: Mapping[tuple[str, str], str],
) -> Problem | None:
    """Another open account holding this change's e-mail or document (``field``), which the
    database's unique indexes would refuse."""
    if field == "email":
        holder = open_by_email.get(after.email)
    else:
        holder = open_by_document.get((after.document_type, after.document))
    if holder is None or holder == account_id:
        return None
    return Problem(f"duplicate_open_{field}", field, {"id": holder})


def find_duplicates(changes: Sequence[PlannedChange]) -> dict[int, list[Problem]]:
    """Duplicate problems of changes about to be written, from a fresh read; by reference."""
    opening = [change for change in changes if change.after.status == AccountStatus.OPEN]
    open_by_email = selectors.open_account_ids_by_email({c.after.email for c in opening})
    open_by_document = {
        key: account.account_id
        for key, account in selectors.open_accounts_by_document(
            {c.after.document for c in opening if c.after.document}
        ).items()
    }
    found: dict[int, list[Problem]] = {}
    for change in opening:
        for field in ("document", "email"):
            problem = other_open_account(
                change.after,
                change.account_id,
                field,
                open_by_email=open_by_email,
                open_by_document=open_by_document,
            )
            if problem is not None:
                found.setdefault(change.reference, []).append(problem)
    return found


def stale_version_problem(
    current: StoredAccount, yours: Mapping[str, object], last_change: dict | None
) -> Problem:
    """The account changed since the version the caller saw: who changed it, when, through
    what, and each of the caller's values that differs from the account's value now."""
    differences = [
        [name, str(getattr(current.values, name)), str(yours[name])]
        for name in WRITABLE_FIELDS
        if name in yours
        and getattr(current.values, name) != yours[name]
        # Closing is the request itself: "status is now Open" would say nothing new.
        and not (name == "status" and yours[name] == AccountStatus.CLOSED)
    ]
    if last_change is None:  # every write records history; an account without any is odd
        last_change = {"user": "", "when": timezone.now().isoformat(), "channel": "system"}
    return Problem("stale_version", None, {**last_change, "differences": differences})


def find_stale(
    changes: Sequence[PlannedChange], versions: Mapping[str, int]
) -> dict[int, Problem]:
    """Stale-version problems of changes whose account moved past the version they were
    planned on (``versions``: the accounts' versions now, read under lock); by reference."""
    stale = [
        change
        for change in changes
        if change.action != Action.CREATE and versions.get(change.account_id) != change.version
    ]
    if not stale:
        return {}
    ids = {change.account_id for change in stale}
    current = selectors.stored_accounts(ids)
    last = selectors.last_changes(ids)
    return {
        change.reference: stale_version_problem(
            current[change.account_id],
            {name: getattr(change.after, name) for name in change.changed_fields},
            last.get(change.account_id),
        )
        for change in stale
    }
