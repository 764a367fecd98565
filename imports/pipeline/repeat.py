"""A file uploaded again: which of its changes would undo changes made since its last import.

An identical file applied again is harmless only if nothing changed meanwhile. When an
account the file would update was changed after the earlier import finished (through the
form, the API, another import), applying the file again puts the file's values back: an
undo, shown as a warning with who made the change, when and through what.
"""

from datetime import datetime

from accounts import selectors
from accounts.changes import Action, PlannedChange
from accounts.models import Account

from .meaning import RowMeaning
from .rows import RowWarning


def undone_changes(
    accepted: list[PlannedChange], *, since: datetime, earlier_import: int, meaning: RowMeaning
) -> list[RowWarning]:
    """A warning per field a batch's changes would set back on an account changed after
    ``since`` (one history query per batch; a new account has no past to undo)."""
    ids = [
        change.account_id
        for change in accepted
        if change.action not in (Action.CREATE, Action.UNCHANGED)
    ]
    if not ids:
        return []
    changed = set(
        Account.history.filter(id__in=ids, history_date__gt=since)
        .order_by()
        .values_list("id", flat=True)
        .distinct()
    )
    if not changed:
        return []
    last = selectors.last_changes(changed)
    return [
        RowWarning(
            change.reference,
            meaning.column(field),
            str(getattr(change.after, field)),
            field,
            str(getattr(change.after, field)),
            change.account_id,
            "undoes_change",
            {**last[change.account_id], "import": earlier_import},
        )
        for change in accepted
        if change.account_id in changed and change.action != Action.CREATE
        for field in change.changed_fields
    ]
