"""The ledger on the staff pages: the account page's invoices, statement and movements, the
credit overview for managers, and the CSV export's balances."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from ledger import charts, services
from ledger.models import Invoice, Movement
from tests.factories import AccountFactory

from .conftest import SOURCE

D = Decimal


def order(account, value, installments=1) -> str:
    hold = services.pre_authorize(
        account_id=account.pk,
        value=value,
        installments=installments,
        order_id=f"ORD-{value}",
        source=SOURCE,
    )
    services.settle_pre_authorization(
        account_id=account.pk, transaction_id=hold.pk, value=value, source=SOURCE
    )
    return hold.pk


@pytest.fixture
def customer(db):
    """An account with an overdue installment, one due later, a payment, a hold and a debit."""
    account = AccountFactory(email="ana@example.com", credit_limit=D("1000.00"), tolerance=D("0"))
    transaction_id = order(account, 300, installments=3)
    services.pay_invoice(account_id=account.pk, invoice_id=f"{transaction_id}-03", source=SOURCE)
    Invoice.objects.filter(pk=f"{transaction_id}-01").update(
        due_date=timezone.now() - timedelta(days=3)
    )
    services.pre_authorize(account_id=account.pk, value="49.90", source=SOURCE)
    services.decrease_balance(
        account_id=account.pk, statement_id="fee-1", value="-15", source=SOURCE
    )
    return account


def test_the_account_page_shows_open_invoices_with_the_overdue_one_marked(viewer_client, customer):
    response = viewer_client.get(customer.get_absolute_url())

    invoices = response.content.decode().split('id="open-invoices"')[1].split("</table>")[0]
    assert invoices.count("<tr") == 3  # header + two open installments
    assert invoices.count(">Overdue</span>") == 1
    assertContains(response, "2 invoices, R$\u00a0200.00 owed")
    assertContains(response, "1 invoice past its due date, R$\u00a0100.00.")
    assertContains(response, "Installment 1 of 3")


def test_the_account_page_shows_the_statement_and_every_movement(viewer_client, customer):
    response = viewer_client.get(customer.get_absolute_url())
    page = response.content.decode()

    statement = page.split('id="statement-lines"')[1].split("</table>")[0]
    for line in ("Order invoiced", "Invoice paid", "Balance decreased"):
        assert line in statement
    assert 'id="statement-balance">-R$\u00a0215.00<' in statement
    movements = page.split('id="movement-lines"')[1].split("</table>")[0]
    assert movements.count("<tr") == 1 + customer.movements.count() == 7
    assert 'When <span class="time-zone">(São Paulo time)</span>' in movements  # times' zone
    assertContains(response, "Credit pre-authorized")
    assertContains(response, "R$\u00a0-200.00".replace("R$\u00a0-", "-R$\u00a0"))  # before
    assertContains(response, "API key Checkout")
    customer.refresh_from_db()
    assertContains(response, f'id="available-credit">R$\u00a0{customer.available_credit:,.2f}<')


def test_the_account_page_queries_do_not_grow_with_invoices_and_movements(
    viewer_client, customer, django_assert_max_num_queries
):
    for value in range(10, 30):
        order(customer, value, installments=2)
    viewer_client.get(customer.get_absolute_url())
    # the account page's 9, then open invoices, statement (2), movements
    with django_assert_max_num_queries(13):
        response = viewer_client.get(customer.get_absolute_url())
    assert response.status_code == 200


def test_the_overview_is_for_managers_and_linked_from_their_header(viewer_client, client, manager):
    assert viewer_client.get(reverse("ledger:overview")).status_code == 403
    assertNotContains(viewer_client.get(reverse("accounts:list")), reverse("ledger:overview"))
    client.force_login(manager)
    assertContains(client.get(reverse("accounts:list")), reverse("ledger:overview"))
    assert client.get(reverse("ledger:overview")).status_code == 200


def test_the_overview_sums_credit_and_lists_due_overdue_and_near_limit(manager_client, customer):
    near = AccountFactory(email="near@example.com", credit_limit=D("500.00"), tolerance=D("0"))
    order(near, 450)
    AccountFactory(credit_limit=D("2500.00"))

    response = manager_client.get(reverse("ledger:overview"))

    page = response.content.decode()
    assert 'id="total-granted">R$\u00a04,000.00<' in page
    # held 49.90 + owed 215 (ana) + owed 450 (near)
    assert 'id="total-in-use">R$\u00a0714.90<' in page
    assert 'id="total-available">R$\u00a03,285.10<' in page
    assert 'id="total-overdue">R$\u00a0100.00<' in page
    overdue = page.split('id="overdue-invoices"')[1].split("</table>")[0]
    assert "ana@example.com" in overdue and "near@example.com" not in overdue
    due_soon = page.split('id="due-soon-invoices"')[1].split("</table>")[0]
    # near's invoice is due in 30 days; ana's second installment in 60
    assert due_soon.count("<tr") == 1 + 1 and "near@example.com" in due_soon
    closest = page.split('id="closest-to-limit"')[1].split("</table>")[0]
    assert closest.index("near@example.com") < closest.index("ana@example.com")
    assert "90%" in closest and "26.5%" in closest
    assert 'role="img" aria-labelledby="chart-title chart-description"' in page


def test_the_overview_reads_in_a_fixed_number_of_queries(
    manager_client, customer, django_assert_max_num_queries
):
    for number in range(15):
        order(AccountFactory(credit_limit=D("900.00")), 100 + number)
    manager_client.get(reverse("ledger:overview"))
    with django_assert_max_num_queries(14):
        response = manager_client.get(reverse("ledger:overview"))
    assert response.status_code == 200


def test_the_chart_follows_credit_in_use_day_by_day(db):
    series = [(date(2026, 11, day), D(value)) for day, value in [(1, 0), (2, 1500), (3, 750)]]

    chart = charts.line_chart(series, currency_code="BRL")

    assert [tick.label for tick in chart.y_ticks] == [
        "R$\u00a00",
        "R$\u00a0500",
        "R$\u00a01,000",
        "R$\u00a01,500",
    ]
    first, highest, last = (point.split(",") for point in chart.line.split())
    assert float(first[1]) == chart.bottom and float(highest[1]) == chart.y_ticks[-1].position
    assert float(first[0]) == chart.left < float(highest[0]) < float(last[0])
    assert [tick.label for tick in chart.x_ticks] == ["1 Nov", "2 Nov", "3 Nov"]


def test_credit_in_use_by_day_is_rebuilt_from_the_movements(customer):
    from ledger import selectors

    Movement.objects.filter(account=customer, kind="debit").update(
        created_at=timezone.now() - timedelta(days=5)
    )
    series = selectors.credit_in_use_by_day(days=10)

    assert len(series) == 10 and series[-1][0] == timezone.localdate()
    assert series[0][1] == D("0.00")
    assert series[4][1] == D("15.00")  # the debit, five days ago
    assert series[-1][1] == D("15.00") + D("200.00") + D("49.90")


def test_the_export_carries_the_real_balances(viewer_client, customer):
    response = viewer_client.get(reverse("imports:export"))
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(content)))[:2]
    cells = dict(zip(header, row, strict=True))
    assert (cells["Email"], cells["Balance"], cells["Pre-authorized credit"]) == (
        "ana@example.com",
        "-215.00",
        "49.90",
    )
    assert cells["Available credit"] == cells["Available balance"] == "735.10"
