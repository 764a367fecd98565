"""The demo data a new user sees first: real balances, an overdue invoice, a payment, a hold."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from pytest_django.asserts import assertContains

from accounts.models import Account
from ledger.models import Invoice, PreAuthorization

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_some_accounts_orders_invoices_a_payment_and_a_hold(client):
    call_command("seed_demo", stdout=StringIO())

    assert PreAuthorization.objects.filter(status=PreAuthorization.Status.HELD).count() == 1
    assert PreAuthorization.objects.filter(status=PreAuthorization.Status.SETTLED).count() == 2
    assert Invoice.objects.filter(status=Invoice.Status.PAID).count() == 1
    overdue = [invoice for invoice in Invoice.objects.all() if invoice.is_overdue]
    assert len(overdue) == 1
    owner = overdue[0].account
    # 450 in three installments, none paid: the balance is what is owed.
    assert (owner.balance, owner.available_credit) == (
        -450,
        owner.credit_limit * (1 + owner.tolerance) - 450,
    )
    assert Account.objects.exclude(balance=0).count() == 2

    client.force_login(get_user_model().objects.get(username="manager"))
    assertContains(client.get(owner.get_absolute_url()), ">Overdue</span>")
    overview = client.get(reverse("ledger:overview")).content.decode()
    assert 'id="total-overdue">R$\u00a0150.00<' in overview


def test_seed_demo_with_a_handful_of_accounts_adds_no_orders():
    call_command("seed_demo", accounts=2, stdout=StringIO())
    assert not PreAuthorization.objects.exists()
