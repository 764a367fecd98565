"""Demo ledger activity, so that a first look at the app shows real balances: an order held at
checkout, one settled weeks ago whose first installment is overdue, one with an installment
already paid. Made through the ledger's services, then dated back (seed_demo)."""

from datetime import timedelta
from decimal import Decimal

from django.db.models import F

from accounts.history import ChangeSource
from accounts.models import Account

from . import services
from .models import Invoice, Movement, PreAuthorization


def _date_back(pre_authorization: PreAuthorization, days: int) -> None:
    """Move an order's dates `days` into the past, as if it had happened then: a demo cannot
    wait for an invoice to fall due, and the services only write "now"."""
    shift = timedelta(days=days)
    PreAuthorization.objects.filter(pk=pre_authorization.pk).update(
        created_at=F("created_at") - shift, expires_at=F("expires_at") - shift
    )
    Invoice.objects.filter(pre_authorization=pre_authorization).update(
        created_at=F("created_at") - shift,
        original_due_date=F("original_due_date") - shift,
        due_date=F("due_date") - shift,
    )
    Movement.objects.filter(pre_authorization=pre_authorization).update(
        created_at=F("created_at") - shift
    )


def _settled_order(
    account: Account, value: Decimal, installments: int, order_id: str, source: ChangeSource
) -> PreAuthorization:
    hold = services.pre_authorize(
        account_id=account.pk,
        value=value,
        installments=installments,
        order_id=order_id,
        source=source,
    )
    services.settle_pre_authorization(
        account_id=account.pk, transaction_id=hold.pk, value=value, source=source
    )
    return hold


def add_demo_ledger_activity(*, accounts: list[Account], source: ChangeSource) -> None:
    """Orders on the first three of `accounts` (each needs R$ 600 of credit); none with
    fewer accounts."""
    if len(accounts) < 3:
        return
    overdue_owner, paying_customer, shopper = accounts[:3]
    # Settled 45 days ago in 3 installments: the first fell due 15 days ago, unpaid.
    order = _settled_order(overdue_owner, Decimal("450.00"), 3, "DEMO-1001", source)
    _date_back(order, days=45)
    # Settled 20 days ago in 2 installments; the first was paid today.
    order = _settled_order(paying_customer, Decimal("600.00"), 2, "DEMO-1002", source)
    _date_back(order, days=20)
    services.pay_invoice(account_id=paying_customer.pk, invoice_id=f"{order.pk}-01", source=source)
    # At checkout now: credit held, not yet invoiced.
    services.pre_authorize(
        account_id=shopper.pk, value=Decimal("129.90"), order_id="DEMO-1003", source=source
    )
