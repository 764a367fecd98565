"""The ledger's rules as a payment connector and store staff meet them, service by service."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Account
from ledger import services
from ledger.models import Invoice, Movement, PreAuthorization

from .conftest import SOURCE

D = Decimal


def refusal(call, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs, source=SOURCE)
    return caught.value


def money(account: Account) -> tuple[Decimal, Decimal, Decimal]:
    account.refresh_from_db()
    return account.balance, account.pre_authorized_credit, account.available_credit


def settled(account, value, installments=1, settle_value=None) -> PreAuthorization:
    hold = services.pre_authorize(
        account_id=account.pk, value=value, installments=installments, source=SOURCE
    )
    return services.settle_pre_authorization(
        account_id=account.pk,
        transaction_id=hold.pk,
        value=settle_value if settle_value is not None else value,
        source=SOURCE,
    )


def test_pre_authorization_holds_credit_and_records_who_and_before_after(account):
    hold = services.pre_authorize(account_id=account.pk, value="250.50", source=SOURCE)

    assert money(account) == (D("0.00"), D("250.50"), D("749.50"))
    assert (hold.status, hold.value, hold.installments, len(hold.pk)) == (
        "Held",
        D("250.50"),
        1,
        32,
    )
    assert hold.expires_at > timezone.now() + timedelta(days=29)
    movement = account.movements.get()
    assert (movement.kind, movement.bucket, movement.amount) == (
        "hold",
        "pre_authorized",
        D("250.50"),
    )
    assert (movement.before, movement.after, movement.channel, movement.source) == (
        D("0.00"),
        D("250.50"),
        "api",
        "API key Checkout",
    )


def test_a_balance_change_is_not_an_account_edit(account):
    services.pre_authorize(account_id=account.pk, value=100, source=SOURCE)

    account.refresh_from_db()
    assert account.version == 1
    assert account.history.count() == 1  # only the opening


def test_pre_authorization_above_the_available_credit_is_refused_and_holds_nothing(account, store):
    store(tolerance_enabled=False)
    services.pre_authorize(account_id=account.pk, value=900, source=SOURCE)

    error = refusal(services.pre_authorize, account_id=account.pk, value="100.01")

    assert error.code == "insufficient_credit"
    assert error.messages == [
        "Not enough credit: 100.01 requested, 100.00 available (credit limit 1000.00, "
        "tolerance included when the store enables it)."
    ]
    assert money(account) == (D("0.00"), D("900.00"), D("100.00"))
    assert account.movements.count() == 1


def test_the_tolerance_lets_an_order_pass_the_limit_only_while_the_store_enables_it(account, store):
    store(tolerance_enabled=True)
    services.pre_authorize(account_id=account.pk, value=1100, source=SOURCE)
    assert money(account) == (D("0.00"), D("1100.00"), D("-100.00"))
    assert refusal(services.pre_authorize, account_id=account.pk, value="0.01").code == (
        "insufficient_credit"
    )

    other = type(account).objects.get(pk=account.pk)
    store(tolerance_enabled=False)
    assert (
        refusal(services.pre_authorize, account_id=other.pk, value=1).code == "insufficient_credit"
    )


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (0, "value_not_positive"),
        ("-5", "value_not_positive"),
        ("1.0055", "value_too_precise"),
        ("1.005", "amount_ambiguous"),  # 1005 or 1.005: a channel without a number style
        ("abc", "not_a_number"),
    ],
)
def test_pre_authorization_values_are_checked(account, value, code):
    error = refusal(services.pre_authorize, account_id=account.pk, value=value)
    assert [item.code for item in error.error_dict["value"]] == [code]


def test_a_closed_account_cannot_pre_authorize(account):
    Account.objects.filter(pk=account.pk).update(status="Closed")
    error = refusal(services.pre_authorize, account_id=account.pk, value=10)
    assert (error.code, error.messages) == (
        "account_closed",
        ["The account is closed: no new credit can be used on it."],
    )


def test_changing_a_hold_moves_the_difference_and_repeating_it_moves_nothing(account, store):
    store(max_pre_authorization_growth_rate=D("0.10"))
    hold = services.pre_authorize(account_id=account.pk, value=100, source=SOURCE)

    for _attempt in range(2):
        services.pre_authorize_or_change(
            account_id=account.pk,
            transaction_id=hold.pk,
            value="110",
            installments=3,
            source=SOURCE,
        )

    hold.refresh_from_db()
    assert (hold.value, hold.installments, hold.original_value) == (D("110.00"), 3, D("100.00"))
    assert money(account)[1] == D("110.00")
    assert list(account.movements.order_by("id").values_list("kind", "amount")) == [
        ("hold", D("100.00")),
        ("hold_changed", D("10.00")),
    ]
    error = refusal(
        services.pre_authorize_or_change,
        account_id=account.pk,
        transaction_id=hold.pk,
        value="110.01",
    )
    assert error.code == "growth_limit_exceeded"
    assert error.messages == [
        "The value may grow to at most 110.00: the pre-authorization started at 100.00 and the "
        "store allows 10% growth."
    ]


def test_put_with_a_new_transaction_id_creates_the_hold_under_that_id(account):
    hold = services.pre_authorize_or_change(
        account_id=account.pk, transaction_id="ORDER-1234", value=50, source=SOURCE
    )
    assert (hold.pk, hold.value, hold.status) == ("ORDER-1234", D("50.00"), "Held")
    other = type(account).objects.create(email="other@example.com", document="")
    error = refusal(
        services.pre_authorize_or_change, account_id=other.pk, transaction_id="ORDER-1234", value=5
    )
    assert error.code == "transaction_id_taken"


def test_cancelling_releases_the_hold_once(account):
    hold = services.pre_authorize(account_id=account.pk, value=300, source=SOURCE)
    for _attempt in range(2):
        services.cancel_pre_authorization(
            account_id=account.pk, transaction_id=hold.pk, source=SOURCE
        )
    assert money(account) == (D("0.00"), D("0.00"), D("1000.00"))
    assert account.movements.filter(kind="hold_cancelled").count() == 1
    error = refusal(
        services.settle_pre_authorization, account_id=account.pk, transaction_id=hold.pk, value=300
    )
    assert (error.code, error.messages) == (
        "transaction_not_held",
        ["This pre-authorization cannot be settled: its status is Cancelled."],
    )


def test_settlement_splits_the_value_in_installments_due_every_30_days(account):
    before = timezone.now()
    hold = settled(account, "100.00", installments=3)

    invoices = list(hold.invoices.order_by("installment"))
    assert [invoice.value for invoice in invoices] == [D("33.34"), D("33.33"), D("33.33")]
    assert [invoice.id for invoice in invoices] == [
        f"{hold.pk}-01",
        f"{hold.pk}-02",
        f"{hold.pk}-03",
    ]
    code = invoices[0].friendly_id.split("-")[0]
    assert len(code) == 8 and [invoice.friendly_id for invoice in invoices] == [
        f"{code}-1",
        f"{code}-2",
        f"{code}-3",
    ]
    for number, invoice in enumerate(invoices, start=1):
        assert invoice.due_date == invoice.original_due_date
        assert (
            before + timedelta(days=30 * number)
            <= invoice.due_date
            <= timezone.now() + timedelta(days=30 * number)
        )
        assert (invoice.number_of_installments, invoice.status) == (3, "Opened")
    assert money(account) == (D("-100.00"), D("0.00"), D("900.00"))
    assert list(account.movements.order_by("id").values_list("kind", "amount")) == [
        ("hold", D("100.00")),
        ("hold_settled", D("-100.00")),
        ("settlement", D("-100.00")),
    ]


def test_settling_again_with_the_same_value_moves_no_money(account):
    hold = settled(account, 200, installments=2)
    services.settle_pre_authorization(
        account_id=account.pk, transaction_id=hold.pk, value="200.00", source=SOURCE
    )
    assert account.movements.count() == 3
    assert hold.invoices.count() == 2


def test_a_new_settled_value_recomputes_the_invoices_until_one_is_paid(account, store):
    store(max_pre_authorization_growth_rate=D("0.5"))
    hold = settled(account, 200, installments=2)

    services.settle_pre_authorization(
        account_id=account.pk, transaction_id=hold.pk, value="250.01", source=SOURCE
    )

    assert sorted(hold.invoices.values_list("value", flat=True)) == [D("125.00"), D("125.01")]
    assert money(account)[0] == D("-250.01")
    services.pay_invoice(account_id=account.pk, invoice_id=f"{hold.pk}-01", source=SOURCE)
    error = refusal(
        services.settle_pre_authorization, account_id=account.pk, transaction_id=hold.pk, value=240
    )
    assert error.code == "settlement_locked"


def test_settling_more_than_held_needs_growth_and_credit(account, store):
    store(tolerance_enabled=False)
    hold = services.pre_authorize(account_id=account.pk, value=900, source=SOURCE)
    error = refusal(
        services.settle_pre_authorization, account_id=account.pk, transaction_id=hold.pk, value=901
    )
    assert error.code == "growth_limit_exceeded"
    store(max_pre_authorization_growth_rate=D("0.5"), tolerance_enabled=False)
    error = refusal(
        services.settle_pre_authorization,
        account_id=account.pk,
        transaction_id=hold.pk,
        value="1000.01",
    )
    assert error.code == "insufficient_credit"
    services.settle_pre_authorization(
        account_id=account.pk, transaction_id=hold.pk, value=1000, source=SOURCE
    )
    assert money(account) == (D("-1000.00"), D("0.00"), D("0.00"))


def test_an_expired_hold_falls_off_at_the_next_write_and_cannot_be_settled(account):
    hold = services.pre_authorize(account_id=account.pk, value=400, source=SOURCE)
    PreAuthorization.objects.filter(pk=hold.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    services.pre_authorize(account_id=account.pk, value=1, source=SOURCE)

    hold.refresh_from_db()
    assert hold.status == "Expired"
    assert money(account)[1] == D("1.00")
    expiry = account.movements.get(kind="hold_expired")
    assert (expiry.amount, expiry.channel) == (D("-400.00"), "system")
    error = refusal(
        services.settle_pre_authorization, account_id=account.pk, transaction_id=hold.pk, value=400
    )
    assert error.code == "transaction_not_held"


def test_release_expired_pre_authorizations_lets_every_lapsed_hold_fall_off(account):
    hold = services.pre_authorize(account_id=account.pk, value=400, source=SOURCE)
    services.pre_authorize(account_id=account.pk, value=50, source=SOURCE)
    PreAuthorization.objects.filter(pk=hold.pk).update(expires_at=timezone.now())

    assert services.release_expired_pre_authorizations() == 1
    assert services.release_expired_pre_authorizations() == 0
    assert money(account)[1] == D("50.00")


def test_a_refund_comes_off_the_last_open_invoices_and_never_exceeds_what_was_settled(account):
    hold = settled(account, 300, installments=3)

    assert services.refund_settlement(
        account_id=account.pk, transaction_id=hold.pk, value=150, source=SOURCE
    ) == D("150.00")

    invoices = list(hold.invoices.order_by("installment"))
    assert [
        (invoice.status, invoice.credit_value, invoice.outstanding) for invoice in invoices
    ] == [
        ("Opened", D("0.00"), D("100.00")),
        ("Opened", D("50.00"), D("50.00")),
        ("Cancelled", D("100.00"), D("0.00")),
    ]
    assert money(account)[0] == D("-150.00")
    error = refusal(
        services.refund_settlement, account_id=account.pk, transaction_id=hold.pk, value="150.01"
    )
    assert (error.code, error.messages) == (
        "refund_exceeds_settled",
        [
            "A refund cannot exceed what was settled: 150.00 can still be refunded "
            "(settled 300.00, already refunded 150.00)."
        ],
    )


def test_a_refund_after_the_invoices_were_paid_becomes_credit_in_the_balance(account):
    hold = settled(account, 100)
    services.pay_invoice(account_id=account.pk, invoice_id=f"{hold.pk}-01", source=SOURCE)
    services.refund_settlement(
        account_id=account.pk, transaction_id=hold.pk, value=40, source=SOURCE
    )
    assert money(account) == (D("40.00"), D("0.00"), D("1040.00"))


def test_only_a_settled_transaction_can_be_refunded(account):
    hold = services.pre_authorize(account_id=account.pk, value=100, source=SOURCE)
    error = refusal(
        services.refund_settlement, account_id=account.pk, transaction_id=hold.pk, value=10
    )
    assert error.code == "transaction_not_settled"


def test_paying_an_invoice_restores_the_balance_once(account):
    hold = settled(account, 100, installments=2)
    for _attempt in range(2):
        invoice = services.pay_invoice(
            account_id=account.pk, invoice_id=f"{hold.pk}-02", source=SOURCE
        )
    assert (invoice.status, invoice.resolved_at is not None) == ("Paid", True)
    assert money(account)[0] == D("-50.00")
    payment = account.movements.get(kind="payment")
    assert (payment.amount, payment.invoice_id) == (D("50.00"), invoice.pk)


def test_a_paid_invoice_cannot_be_cancelled_nor_a_cancelled_one_paid(account):
    hold = settled(account, 100, installments=2)
    first, second = f"{hold.pk}-01", f"{hold.pk}-02"
    services.pay_invoice(account_id=account.pk, invoice_id=first, source=SOURCE)
    services.cancel_invoice(account_id=account.pk, invoice_id=second, source=SOURCE)
    services.cancel_invoice(account_id=account.pk, invoice_id=second, source=SOURCE)

    error = refusal(services.cancel_invoice, account_id=account.pk, invoice_id=first)
    assert (error.code, error.messages) == (
        "invoice_paid",
        ["This invoice is paid: it cannot be cancelled."],
    )
    error = refusal(services.pay_invoice, account_id=account.pk, invoice_id=second)
    assert (error.code, error.messages) == (
        "invoice_cancelled",
        ["This invoice is cancelled: it cannot be paid."],
    )
    assert money(account)[0] == D("0.00")
    assert account.movements.filter(bucket="balance").count() == 3


def test_an_invoice_of_another_account_is_not_found(account):
    hold = settled(account, 100)
    other = type(account).objects.create(email="other@example.com", document="")
    with pytest.raises(Invoice.DoesNotExist):
        services.pay_invoice(account_id=other.pk, invoice_id=f"{hold.pk}-01", source=SOURCE)


def test_change_invoice_sets_status_observation_and_link(account):
    hold = settled(account, 100)
    invoice_id = f"{hold.pk}-01"
    invoice = services.change_invoice(
        account_id=account.pk,
        invoice_id=invoice_id,
        status="paid",
        observation="  Paid at the counter ",
        payment_link="https://pay.example.com/x",
        source=SOURCE,
    )
    assert (invoice.status, invoice.observation, invoice.payment_link) == (
        "Paid",
        "Paid at the counter",
        "https://pay.example.com/x",
    )
    assert money(account)[0] == D("0.00")
    assert (
        refusal(
            services.change_invoice, account_id=account.pk, invoice_id=invoice_id, status="Opened"
        ).code
        == "invoice_paid"
    )
    error = refusal(
        services.change_invoice,
        account_id=account.pk,
        invoice_id=invoice_id,
        status="Paid",
        payment_link="ftp://x",
    )
    assert error.message_dict == {"payment_link": ["Enter a web address (https://…)."]}


def test_postponement_follows_the_store_policy_and_repeating_it_changes_nothing(account, store):
    hold = settled(account, 100)
    invoice_id = f"{hold.pk}-01"
    error = refusal(
        services.postpone_invoice, account_id=account.pk, invoice_id=invoice_id, due_days=5
    )
    assert error.code == "postponement_disabled"

    store(postponement_enabled=True, invoice_postponement_limit=2, max_postponement_days=10)
    error = refusal(
        services.postpone_invoice, account_id=account.pk, invoice_id=invoice_id, due_days=11
    )
    assert error.message_dict == {"due_days": ["An invoice can be postponed by at most 10 days."]}
    for days in (5, 5, 10):
        invoice = services.postpone_invoice(
            account_id=account.pk, invoice_id=invoice_id, due_days=days, source=SOURCE
        )
    assert invoice.due_date == invoice.original_due_date + timedelta(days=10)
    assert invoice.postponements == 2
    error = refusal(
        services.postpone_invoice, account_id=account.pk, invoice_id=invoice_id, due_days=7
    )
    assert (error.code, error.messages) == (
        "postponement_limit_reached",
        ["This invoice was already postponed 2 times, the store's limit."],
    )


def test_decrease_balance_debits_once_per_statement_id(account):
    for _attempt in range(2):
        movement = services.decrease_balance(
            account_id=account.pk, statement_id="fee-2026-11", value="-15", source=SOURCE
        )
    assert (movement.kind, movement.amount, movement.reference) == (
        "debit",
        D("-15.00"),
        "fee-2026-11",
    )
    assert money(account)[0] == D("-15.00")
    error = refusal(
        services.decrease_balance, account_id=account.pk, statement_id="fee-2026-11", value="-16"
    )
    assert error.code == "statement_id_reused"
    error = refusal(services.decrease_balance, account_id=account.pk, statement_id="x", value="15")
    assert error.messages == ['A debit is written as a negative value, e.g. "-15".']
    assert (
        refusal(
            services.decrease_balance, account_id=account.pk, statement_id="y", value="-2000"
        ).code
        == "insufficient_credit"
    )
    assert Movement.objects.count() == 1


def test_the_account_history_does_not_pin_balance_changes_on_the_next_edit(account, manager):
    from accounts import selectors as account_selectors
    from accounts import services as account_services

    settled(account, 100)
    account_services.change_account(
        account_id=account.pk, source=SOURCE, values={"credit_limit": 1500}
    )

    latest = account_selectors.account_history(account=account)[0]
    assert [change.field for change in latest.changes] == ["credit_limit"]


def test_the_daily_clean_up_command_releases_lapsed_holds(account):
    from io import StringIO

    from django.core.management import call_command

    hold = services.pre_authorize(account_id=account.pk, value=400, source=SOURCE)
    PreAuthorization.objects.filter(pk=hold.pk).update(expires_at=timezone.now())
    output = StringIO()

    call_command("expire_ledger_records", stdout=output)

    assert output.getvalue().startswith("1 expired pre-authorization(s) released")
    assert money(account)[1] == D("0.00")
