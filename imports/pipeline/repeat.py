"""A file uploaded again: which of the changes it would make now undo changes made since.

An identical file re-applied is harmless only if nothing changed meanwhile. When an account
the file would update was changed after the earlier import finished (through the form, the
API, another import), applying the file again puts the old values back: that is an undo,
and staff must see it before confirming.
"""

from collections.abc import Iterable
from datetime import datetime

from accounts import selectors
from accounts.changes import Action, PlannedChange
from accounts.models import Account

from .rows import batched


def accounts_changed_since(
    plan: Iterable[PlannedChange], *, since: datetime, batch_size: int
) -> set[str]:
    """The accounts the plan updates or closes that were changed after ``since``.

    One query per batch of the plan; a new account has no past to undo.
    """
    changed: set[str] = set()
    existing = (change.account_id for change in plan if change.action != Action.CREATE)
    for ids in batched(existing, batch_size):
        changed.update(
            Account.history.filter(id__in=ids, history_date__gt=since)
            .order_by()
            .values_list("id", flat=True)
            .distinct()
        )
    return changed


def marked_sample(sample: list[dict], changed: set[str]) -> list[dict]:
    """The preview's sample with, on each row that would undo a change, who made that change,
    when and through what (the account's newest history row)."""
    last = selectors.last_changes({entry["account_id"] for entry in sample} & changed)
    return [
        {**entry, "undoes": last[entry["account_id"]]} if entry["account_id"] in last else entry
        for entry in sample
    ]
