"""The preview's money card: what a file does to the store's credit, in amounts.

Added up change by change in the validation pass that plans the file (no query of its own),
stored on the job as JSON (amounts as text, so no Decimal is rounded through a float) and
read back for the job page, the command's summary and the approval thresholds.

Only open accounts hold credit: an account the file closes takes its limit out of the total
("made unavailable"), so that, for the accounts the file touches,
``after − before = new credit + increases − decreases − closures``.
"""

from dataclasses import dataclass
from decimal import Decimal

from accounts.changes import Action, PlannedChange
from accounts.models import AccountStatus

ZERO = Decimal("0.00")
OPEN = AccountStatus.OPEN


@dataclass(slots=True)
class LimitChange:
    """One account's credit limit, old → new, and the file row that changes it."""

    account_id: str
    row_number: int
    old: Decimal | None  # None for an account the file creates
    new: Decimal

    @property
    def difference(self) -> Decimal:
        return self.new - (self.old or ZERO)

    def as_json(self) -> dict:
        return {
            "account": self.account_id,
            "row": self.row_number,
            "old": None if self.old is None else str(self.old),
            "new": str(self.new),
        }

    @classmethod
    def from_json(cls, stored: dict | None) -> "LimitChange | None":
        if not stored:
            return None
        old = stored.get("old")
        return cls(
            stored["account"],
            stored["row"],
            None if old is None else Decimal(old),
            Decimal(stored["new"]),
        )


@dataclass(slots=True)
class MoneySummary:
    """The credit limits of the accounts a file (or a revert) touches, before and after."""

    before_total: Decimal = ZERO
    after_total: Decimal = ZERO
    new_credit: Decimal = ZERO
    new_accounts: int = 0
    increases_total: Decimal = ZERO
    increases_count: int = 0
    decreases_total: Decimal = ZERO
    decreases_count: int = 0
    closed_credit: Decimal = ZERO
    closed_count: int = 0
    largest_increase: LimitChange | None = None
    largest_decrease: LimitChange | None = None
    # The highest credit limit the file gives an account (new, or raised): what the store's
    # single-account approval threshold is compared with.
    highest_new_limit: LimitChange | None = None

    @property
    def net_change(self) -> Decimal:
        return self.after_total - self.before_total

    def add(self, change: PlannedChange) -> None:
        """Count one accepted change (an unchanged row counts on both sides)."""
        before, after = change.before, change.after
        before_open = before is not None and before.status == OPEN
        after_open = after.status == OPEN
        if before_open:
            self.before_total += before.credit_limit
        if after_open:
            self.after_total += after.credit_limit
        if change.action == Action.UNCHANGED:
            return
        if before is None:
            self.new_credit += after.credit_limit
            self.new_accounts += 1
            self._offer_new_limit(change, None)
        elif before_open and not after_open:
            self.closed_credit += before.credit_limit
            self.closed_count += 1
        elif before_open and after.credit_limit != before.credit_limit:
            self._limit_changed(change, before.credit_limit, after.credit_limit)

    def _limit_changed(self, change: PlannedChange, old: Decimal, new: Decimal) -> None:
        if new > old:
            self.increases_total += new - old
            self.increases_count += 1
            largest = self.largest_increase
            if largest is None or new - old > largest.difference:
                self.largest_increase = _limit_change(change, old)
            self._offer_new_limit(change, old)
        else:
            self.decreases_total += old - new
            self.decreases_count += 1
            largest = self.largest_decrease
            if largest is None or new - old < largest.difference:
                self.largest_decrease = _limit_change(change, old)

    def _offer_new_limit(self, change: PlannedChange, old: Decimal | None) -> None:
        highest = self.highest_new_limit
        if highest is None or change.after.credit_limit > highest.new:
            self.highest_new_limit = _limit_change(change, old)

    def as_json(self) -> dict:
        money = {
            name: str(getattr(self, name))
            for name in (
                "before_total",
                "after_total",
                "new_credit",
                "increases_total",
                "decreases_total",
                "closed_credit",
            )
        }
        counts = {
            name: getattr(self, name)
            for name in ("new_accounts", "increases_count", "decreases_count", "closed_count")
        }
        changes = {
            name: None if getattr(self, name) is None else getattr(self, name).as_json()
            for name in ("largest_increase", "largest_decrease", "highest_new_limit")
        }
        return {**money, "net_change": str(self.net_change), **counts, **changes}

    @classmethod
    def from_json(cls, stored: dict) -> "MoneySummary":
        """The summary stored on a job (an empty one for a job without a preview)."""
        if not stored:
            return cls()
        return cls(
            before_total=Decimal(stored["before_total"]),
            after_total=Decimal(stored["after_total"]),
            new_credit=Decimal(stored["new_credit"]),
            new_accounts=stored["new_accounts"],
            increases_total=Decimal(stored["increases_total"]),
            increases_count=stored["increases_count"],
            decreases_total=Decimal(stored["decreases_total"]),
            decreases_count=stored["decreases_count"],
            closed_credit=Decimal(stored["closed_credit"]),
            closed_count=stored["closed_count"],
            largest_increase=LimitChange.from_json(stored.get("largest_increase")),
            largest_decrease=LimitChange.from_json(stored.get("largest_decrease")),
            highest_new_limit=LimitChange.from_json(stored.get("highest_new_limit")),
        )


def _limit_change(change: PlannedChange, old: Decimal | None) -> LimitChange:
    return LimitChange(change.account_id, change.reference, old, change.after.credit_limit)
