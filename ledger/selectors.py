"""Reads of the ledger, shared by the API, the account page and the overview."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    FloatField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.utils import timezone

from accounts.models import Account

from .models import Invoice, Movement

ZERO = Decimal("0.00")
MONEY_OUTPUT = DecimalField(max_digits=16, decimal_places=2)


def _sum(expression) -> Coalesce:
    return Coalesce(Sum(expression), Value(ZERO), output_field=MONEY_OUTPUT)


@dataclass(frozen=True)
class InvoiceFilters:
    """VTEX's invoice search filters; None means "any". `combine` is `and` or `or` (VTEX's `op`)."""

    account_id: str | None = None
    status: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    due_from: datetime | None = None
    due_to: datetime | None = None
    value: Decimal | None = None
    friendly_id: str | None = None
    observation: str | None = None
    combine: str = "and"


def search_invoices(filters: InvoiceFilters) -> QuerySet[Invoice]:
    """Invoices matching the filters, by due date (the account's filter always applies,
    whatever `combine` says, so `op=or` never reaches another account's invoices)."""
    conditions = [
        condition
        for condition, given in [
            (Q(status=filters.status), filters.status),
            (Q(created_at__gte=filters.created_from), filters.created_from),
            (Q(created_at__lt=filters.created_to), filters.created_to),
            (Q(due_date__gte=filters.due_from), filters.due_from),
            (Q(due_date__lt=filters.due_to), filters.due_to),
            (Q(value=filters.value), filters.value is not None),
            (Q(friendly_id=filters.friendly_id), filters.friendly_id),
            (Q(observation__icontains=filters.observation), filters.observation),
        ]
        if given
    ]
    invoices = Invoice.objects.all()
    if filters.account_id is not None:
        invoices = invoices.filter(account_id=filters.account_id)
    if conditions:
        combined = conditions[0]
        for condition in conditions[1:]:
            combined = combined | condition if filters.combine == "or" else combined & condition
        invoices = invoices.filter(combined)
    return invoices.order_by("due_date", "id")


@dataclass(frozen=True)
class InvoiceTotals:
    count: int
    total_open: Decimal  # what is still owed on the open ones
    total_paid: Decimal
    total_cancelled: Decimal


def invoice_totals(invoices: QuerySet[Invoice]) -> InvoiceTotals:
    """Counts and sums over every invoice of the search (not only a page of it), one query."""
    status = Invoice.Status
    figures = invoices.order_by().aggregate(
        count=Count("pk"),
        total_open=_sum(
            Case(When(status=status.OPENED, then=F("value") - F("credit_value")), default=ZERO)
        ),
        total_paid=_sum(Case(When(status=status.PAID, then=F("value")), default=ZERO)),
        total_cancelled=_sum(Case(When(status=status.CANCELLED, then=F("value")), default=ZERO)),
    )
    return InvoiceTotals(**figures)


def account_invoice(*, account: Account, invoice_id: str) -> Invoice:
    """One invoice of the account; Invoice.DoesNotExist when it has none with this id."""
    if len(invoice_id) > 70 or not invoice_id.isprintable():
        raise Invoice.DoesNotExist
    return account.invoices.get(pk=invoice_id)


def open_invoices(*, account: Account) -> list[Invoice]:
    """The account's open invoices, soonest due first (invoice_account_due_idx)."""
    return list(account.invoices.filter(status=Invoice.Status.OPENED).order_by("due_date", "id"))


def recent_movements(*, account: Account, limit: int = 50) -> list[Movement]:
    """The account's newest movements with who made them (movement_account_idx)."""
    return list(
        account.movements.select_related("user", "invoice", "pre_authorization").order_by(
            "-created_at", "-id"
        )[:limit]
    )


@dataclass(frozen=True)
class Statement:
    """The account's balance movements over an interval, as a bank statement shows them."""

    movements: list[Movement]  # oldest first
    previous_balance: Decimal  # before the interval
    interval_balance: Decimal  # the movements' sum
    current_balance: Decimal  # the account's balance now

    @property
    def closing_balance(self) -> Decimal:
        return self.previous_balance + self.interval_balance


def account_statement(
    *, account: Account, since: datetime | None = None, until: datetime | None = None
) -> Statement:
    """Balance movements from `since` (inclusive) to `until` (exclusive); two queries."""
    movements = account.movements.filter(bucket=Movement.Bucket.BALANCE)
    previous = ZERO
    if since is not None:
        previous = movements.filter(created_at__lt=since).aggregate(total=_sum("amount"))["total"]
        movements = movements.filter(created_at__gte=since)
    if until is not None:
        movements = movements.filter(created_at__lt=until)
    listed = list(
        movements.select_related("user", "invoice", "pre_authorization").order_by(
            "created_at", "id"
        )
    )
    return Statement(
        movements=listed,
        previous_balance=previous,
        interval_balance=sum((movement.amount for movement in listed), ZERO),
        current_balance=account.balance,
    )


# --- The credit overview ---------------------------------------------------------------------


@dataclass(frozen=True)
class CreditTotals:
    granted: Decimal  # the credit limits of open accounts
    in_use: Decimal  # held by pre-authorizations plus owed
    pre_authorized: Decimal
    available: Decimal
    accounts: int


def credit_totals() -> CreditTotals:
    """Sums over the open accounts (one aggregate query)."""
    figures = Account.objects.open().aggregate(
        granted=_sum("credit_limit"),
        pre_authorized=_sum("pre_authorized_credit"),
        balance=_sum("balance"),
        accounts=Count("pk"),
    )
    in_use = figures["pre_authorized"] - figures["balance"]
    return CreditTotals(
        granted=figures["granted"],
        in_use=in_use,
        pre_authorized=figures["pre_authorized"],
        available=figures["granted"] - in_use,
        accounts=figures["accounts"],
    )


def invoices_due_within(*, days: int, now: datetime | None = None) -> QuerySet[Invoice]:
    """Open invoices not yet due whose due date is in the next `days` days."""
    now = now or timezone.now()
    return (
        Invoice.objects.filter(
            status=Invoice.Status.OPENED, due_date__gte=now, due_date__lt=now + timedelta(days)
        )
        .select_related("account")
        .order_by("due_date", "id")
    )


def overdue_invoices(*, now: datetime | None = None) -> QuerySet[Invoice]:
    """Open invoices past their due date, the oldest first (invoice_status_due_idx)."""
    return (
        Invoice.objects.filter(status=Invoice.Status.OPENED, due_date__lt=now or timezone.now())
        .select_related("account")
        .order_by("due_date", "id")
    )


def accounts_closest_to_limit(*, limit: int = 10) -> list[Account]:
    """Open accounts using the largest share of their credit limit (`usage`: 0.95 = 95%).

    Only accounts with something in use are compared; those with a zero limit are left out
    (no share can be computed).
    """
    in_use = F("pre_authorized_credit") - F("balance")
    return list(
        Account.objects.open()
        .filter(Q(balance__lt=0) | Q(pre_authorized_credit__gt=0), credit_limit__gt=0)
        .annotate(
            in_use=in_use,
            # As floats: SQLite keeps whole amounts as integers and would divide them as such.
            usage=Cast(in_use, FloatField()) / Cast("credit_limit", FloatField()),
        )
        .filter(in_use__gt=0)
        .order_by("-usage", "id")[:limit]
    )


def credit_in_use_by_day(*, days: int, today: date | None = None) -> list[tuple[date, Decimal]]:
    """Credit in use (held plus owed, all accounts) at the end of each of the last `days` days.

    Rebuilt from the movements: the sum before the window, then one grouped query of daily
    changes, accumulated here. A hold adds to it, a settlement swaps the hold for a debt
    (no change), payments and refunds bring it down.
    """
    today = today or timezone.localdate()
    first_day = today - timedelta(days=days - 1)
    start = timezone.make_aware(datetime.combine(first_day, datetime.min.time()))
    change = Case(
        When(bucket=Movement.Bucket.PRE_AUTHORIZED, then=F("amount")),
        default=-F("amount"),
        output_field=MONEY_OUTPUT,
    )
    level = Movement.objects.filter(created_at__lt=start).aggregate(total=_sum(change))["total"]
    daily = dict(
        Movement.objects.filter(created_at__gte=start)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(change=_sum(change))
        .values_list("day", "change")
    )
    series = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        level += daily.get(day, ZERO)
        series.append((day, level))
    return series
