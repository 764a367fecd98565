"""Managers mark an invoice paid, postpone it or cancel it from the account page: a page that
says what will happen, then the ledger's own service, then the account with a message."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from pytest_django.asserts import assertContains, assertNotContains

from ledger import services
from ledger.models import Invoice
from tests.factories import AccountFactory

from .conftest import SOURCE

D = Decimal


@pytest.fixture
def order(db):
    """R$ 1,000 of credit, an order of R$ 300 settled in 3 invoices of R$ 100."""
    account = AccountFactory(email="ana@example.com", credit_limit=D("1000.00"), tolerance=D("0"))
    hold = services.pre_authorize(
        account_id=account.pk, value=300, installments=3, order_id="ORD-1", source=SOURCE
    )
    services.settle_pre_authorization(
        account_id=account.pk, transaction_id=hold.pk, value=300, source=SOURCE
    )
    return account, hold.pk


def action_url(name: str, account, invoice_id: str) -> str:
    return reverse(f"ledger:invoice-{name}", args=[account.pk, invoice_id])


def messages_of(response) -> list[str]:
    """The messages the account page shows after the redirect (the request's own, in order)."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_managers_see_the_invoice_buttons_and_viewers_neither_see_nor_use_them(
    manager_client, order, client, viewer
):
    account, transaction_id = order
    page = manager_client.get(account.get_absolute_url())
    assertContains(page, action_url("pay", account, f"{transaction_id}-01"))
    assertContains(page, action_url("cancel", account, f"{transaction_id}-03"))
    # The store does not allow postponing (the default): no button that would only refuse.
    assertNotContains(page, action_url("postpone", account, f"{transaction_id}-01"))

    client.force_login(viewer)
    assertNotContains(client.get(account.get_absolute_url()), "Mark paid")
    for name in ("pay", "postpone", "cancel"):
        assert client.get(action_url(name, account, f"{transaction_id}-01")).status_code == 403
        assert client.post(action_url(name, account, f"{transaction_id}-01")).status_code == 403
    assert Invoice.objects.filter(status=Invoice.Status.OPENED).count() == 3


def test_marking_an_invoice_paid_asks_first_then_restores_the_credit(manager_client, order):
    account, transaction_id = order
    invoice = Invoice.objects.get(pk=f"{transaction_id}-01")
    url = action_url("pay", account, invoice.pk)

    confirm = manager_client.get(url)
    assertContains(confirm, "Mark invoice as paid")
    assertContains(confirm, invoice.friendly_id)
    assertContains(confirm, "paid R$\u00a0100.00: it returns to the account's available credit")
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.OPENED  # the page itself changes nothing

    response = manager_client.post(url, follow=True)

    assert response.redirect_chain == [(f"{account.get_absolute_url()}#invoices", 302)]
    assert messages_of(response) == [
        f"Invoice {invoice.friendly_id} marked as paid: its value is back in the available credit."
    ]
    invoice.refresh_from_db()
    account.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert (account.balance, account.available_credit) == (D("-200.00"), D("800.00"))
    # Its page now sends staff back: a paid invoice has nothing left to confirm.
    again = manager_client.get(url, follow=True)
    assert messages_of(again) == [f"Invoice {invoice.friendly_id} is no longer open."]
    # A second POST (a double click) moves no money twice.
    manager_client.post(url)
    account.refresh_from_db()
    assert account.balance == D("-200.00")


def test_cancelling_an_invoice_forgives_it_and_a_paid_one_cannot_be_cancelled(
    manager_client, order
):
    account, transaction_id = order
    services.pay_invoice(account_id=account.pk, invoice_id=f"{transaction_id}-02", source=SOURCE)

    assertContains(
        manager_client.get(action_url("cancel", account, f"{transaction_id}-01")),
        "will no longer owe R$\u00a0100.00",
    )
    response = manager_client.post(
        action_url("cancel", account, f"{transaction_id}-01"), follow=True
    )
    friendly = Invoice.objects.get(pk=f"{transaction_id}-01").friendly_id
    assert messages_of(response) == [
        f"Invoice {friendly} cancelled: the customer no longer owes it."
    ]

    refused = manager_client.post(
        action_url("cancel", account, f"{transaction_id}-02"), follow=True
    )
    assert messages_of(refused) == ["This invoice is paid: it cannot be cancelled."]
    statuses = dict(Invoice.objects.values_list("installment", "status"))
    assert statuses == {1: "Cancelled", 2: "Paid", 3: "Opened"}
    account.refresh_from_db()
    assert account.balance == D("-100.00")


def test_postponing_stays_within_the_stores_limits_and_says_why_not(manager_client, order, store):
    account, transaction_id = order
    invoice = Invoice.objects.get(pk=f"{transaction_id}-01")
    url = action_url("postpone", account, invoice.pk)
    assertContains(
        manager_client.get(url),
        "The store does not allow postponing invoices (see Store settings).",
    )
    store(postponement_enabled=True, invoice_postponement_limit=1, max_postponement_days=30)
    assertContains(manager_client.get(account.get_absolute_url()), url)
    assertContains(manager_client.get(url), "at most 30 days after it")

    too_long = manager_client.post(url, {"due_days": "45"})
    assert too_long.status_code == 200
    assert too_long.context["form"].errors == {
        "due_days": ["An invoice can be postponed by at most 30 days."]
    }
    not_a_number = manager_client.post(url, {"due_days": "ten"})
    assert not_a_number.context["form"].errors["due_days"]

    done = manager_client.post(url, {"due_days": "10"}, follow=True)

    invoice.refresh_from_db()
    assert invoice.due_date == invoice.original_due_date + timedelta(days=10)
    assert messages_of(done) == [
        f"Invoice {invoice.friendly_id} is now due on "
        f"{date_format(timezone.localtime(invoice.due_date), 'SHORT_DATE_FORMAT')}."
    ]
    limit_reached = manager_client.post(url, {"due_days": "20"})
    assert limit_reached.context["form"].non_field_errors() == [
        "This invoice was already postponed once, the store's limit."
    ]
    invoice.refresh_from_db()
    assert (invoice.postponements, invoice.due_date - invoice.original_due_date) == (
        1,
        timedelta(days=10),
    )


def test_an_invoice_of_another_account_is_not_found(manager_client, order):
    account, transaction_id = order
    other = AccountFactory()
    for name in ("pay", "postpone", "cancel"):
        assert (
            manager_client.post(action_url(name, other, f"{transaction_id}-01")).status_code == 404
        )
    assert manager_client.get(action_url("pay", account, "no-such-invoice")).status_code == 404
