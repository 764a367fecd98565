"""The preview: what a file will do, counted, with a sample of the changes staff check."""

from collections import Counter
from dataclasses import dataclass, field

from accounts.changes import WRITABLE_FIELDS, Action, BatchPlan, PlannedChange
from accounts.documents import format_document

from .meaning import template_column
from .money import MoneySummary

SAMPLE_SIZE = 25


@dataclass
class ValidationResult:
    """Counts, amounts and a sample of one file's preview, returned to imports.services."""

    rows: int = 0
    error_rows: int = 0
    warnings: int = 0
    # Rows that would undo a change made since the identical file was last imported.
    undo_rows: int = 0
    # Accepted rows by what they do: create, update, close, unchanged.
    actions: Counter[Action] = field(default_factory=Counter)
    matched_by_document: int = 0
    sample: list[dict] = field(default_factory=list)
    money: MoneySummary = field(default_factory=MoneySummary)

    def count(self, plan: BatchPlan, *, rows: int, error_rows: int) -> None:
        self.rows += rows
        self.error_rows += error_rows
        actions = self.actions
        add_money = self.money.add
        for change in plan.accepted:
            action = change.action
            actions[action] += 1
            add_money(change)
            if change.matched_by_document:
                self.matched_by_document += 1
            if action != Action.UNCHANGED and self._samples(action):
                self.sample.append(sample_entry(change))

    def mark_undone(self, undone: list) -> None:
        """Count the rows of ``undone`` (RowWarnings) and mark their sample entries with who
        made the change they would undo."""
        by_row = {warning.row_number: warning.params for warning in undone}
        self.undo_rows += len(by_row)
        for entry in self.sample:
            if entry["row"] in by_row:
                entry["undoes"] = by_row[entry["row"]]

    def _samples(self, action: Action) -> bool:
        # Keep the first changes, and every closure up to twice the sample size: closing is
        # irreversible, so staff must see which accounts a file closes.
        if len(self.sample) < SAMPLE_SIZE:
            return True
        if action != Action.CLOSE:
            return False
        closures = sum(1 for entry in self.sample if entry["action"] == Action.CLOSE)
        return closures < SAMPLE_SIZE


def _text(value) -> str:
    return "" if value is None else str(value)


def sample_entry(change: PlannedChange) -> dict:
    """One change as the preview shows it: each changed column, old → new."""
    before, after = change.before, change.after
    entry = {
        "row": change.reference,
        "action": str(change.action),
        "account_id": change.account_id,
        "email": after.email,
        "matched_by_document": change.matched_by_document,
        "changes": [
            [
                template_column(name),
                "" if before is None else _text(getattr(before, name)),
                _text(getattr(after, name)),
            ]
            for name in WRITABLE_FIELDS
            if name in change.changed_fields
        ],
    }
    if change.matched_by_document:
        # Why a row without an Id changes this account: the document they share.
        entry["matched_document"] = format_document(after.document_type, after.document)
    return entry
