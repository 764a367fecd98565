"""Property tests: whatever sequence of ledger calls a connector and staff make, the money adds up.

After every call, accepted or refused:
- the balance is the sum of the balance movements, the pre-authorized credit the sum of the
  pre-authorized ones and of the held pre-authorizations, and each movement starts where the
  one before it ended;
- the credit in use never passes creditLimit × (1 + tolerance);
- an order's invoices add up to what was settled, refunds never exceed it;
- what the customer owes is explained by the invoices: balance = − open invoices − debits
  + the refunds that went beyond the open invoices.
"""

import contextlib
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from accounts.models import Account, StoreSettings
from ledger import rules, services
from ledger.models import Invoice, Movement, PreAuthorization
from tests.factories import AccountFactory

from .conftest import SOURCE

amounts = st.decimals(min_value="0.01", max_value="600", places=2)
picks = st.integers(min_value=0, max_value=7)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("pre_authorize"), amounts, st.integers(min_value=1, max_value=4)),
        st.tuples(st.just("change"), picks, amounts),
        st.tuples(st.just("cancel"), picks),
        st.tuples(st.just("settle"), picks, amounts),
        st.tuples(st.just("refund"), picks, amounts),
        st.tuples(st.just("pay"), picks),
        st.tuples(st.just("cancel_invoice"), picks),
        st.tuples(st.just("debit"), amounts, picks),
        st.tuples(st.just("expire"), picks),
    ),
    max_size=30,
)


def pick(items: list, index: int):
    return items[index % len(items)] if items else None


class LedgerPropertiesTest(TestCase):
    @settings(
        max_examples=120,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        operations=operations,
        tolerance=st.sampled_from([Decimal("0"), Decimal("0.05"), Decimal("0.5")]),
        growth=st.sampled_from([Decimal("0"), Decimal("0.2")]),
    )
    def test_money_adds_up_after_every_call(self, operations, tolerance, growth):
        StoreSettings.objects.update_or_create(
            pk=1, defaults={"tolerance_enabled": True, "max_pre_authorization_growth_rate": growth}
        )
        account = AccountFactory(credit_limit=Decimal("1000.00"), tolerance=tolerance)
        for operation in operations:
            with contextlib.suppress(ValidationError):
                self.apply(account, *operation)
            self.check_invariants(Account.objects.get(pk=account.pk))

    def apply(self, account: Account, name: str, *arguments) -> None:
        holds = list(PreAuthorization.objects.filter(account=account).order_by("created_at", "id"))
        invoices = list(Invoice.objects.filter(account=account).order_by("id"))
        target = {"account_id": account.pk, "source": SOURCE}
        if name == "pre_authorize":
            value, installments = arguments
            services.pre_authorize(**target, value=value, installments=installments)
        elif name == "debit":
            value, number = arguments
            services.decrease_balance(**target, statement_id=f"s{number}", value=-value)
        elif name in {"pay", "cancel_invoice"} and invoices:
            invoice = pick(invoices, arguments[0])
            call = services.pay_invoice if name == "pay" else services.cancel_invoice
            call(**target, invoice_id=invoice.pk)
        elif holds and name in {"change", "cancel", "settle", "refund", "expire"}:
            hold = pick(holds, arguments[0])
            if name == "change":
                services.pre_authorize_or_change(
                    **target, transaction_id=hold.pk, value=arguments[1]
                )
            elif name == "cancel":
                services.cancel_pre_authorization(**target, transaction_id=hold.pk)
            elif name == "settle":
                services.settle_pre_authorization(
                    **target, transaction_id=hold.pk, value=arguments[1]
                )
            elif name == "refund":
                services.refund_settlement(**target, transaction_id=hold.pk, value=arguments[1])
            else:
                PreAuthorization.objects.filter(pk=hold.pk).update(
                    expires_at=timezone.now() - timedelta(seconds=1)
                )
                services.release_expired_pre_authorizations()

    def check_invariants(self, account: Account) -> None:
        movements = list(account.movements.order_by("id"))
        for bucket, stored in [
            (Movement.Bucket.BALANCE, account.balance),
            (Movement.Bucket.PRE_AUTHORIZED, account.pre_authorized_credit),
        ]:
            chain = [movement for movement in movements if movement.bucket == bucket]
            level = Decimal("0.00")
            for movement in chain:
                assert movement.before == level, movement
                assert movement.after == movement.before + movement.amount
                level = movement.after
            assert stored == level, bucket
        held = PreAuthorization.objects.filter(account=account, status="Held")
        assert account.pre_authorized_credit == sum((hold.value for hold in held), Decimal("0"))

        store_settings = StoreSettings.load()
        assert rules.credit_in_use(account) <= rules.usage_ceiling(account, store_settings)

        open_owed = Decimal("0")
        credited = Decimal("0")
        refunded = Decimal("0")
        for hold in PreAuthorization.objects.filter(account=account).prefetch_related("invoices"):
            invoices = list(hold.invoices.all())
            assert hold.refunded_value <= hold.settled_value
            if hold.status == "Settled":
                assert len(invoices) == hold.installments
                assert sum(invoice.value for invoice in invoices) == hold.settled_value
            else:
                assert invoices == []
            for invoice in invoices:
                assert Decimal("0") <= invoice.credit_value <= invoice.value
                open_owed += invoice.outstanding
                credited += invoice.credit_value
            refunded += hold.refunded_value
        debits = account.movements.filter(kind=Movement.Kind.DEBIT).aggregate(total=Sum("amount"))
        assert account.balance == -open_owed + (debits["total"] or 0) + (refunded - credited)
