"""The preview's money card: what a file does to the store's credit, to the cent."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains

from accounts.models import AccountStatus, StoreSettings
from imports.management.commands.import_accounts import job_summary
from imports.pipeline import MoneySummary
from tests.factories import AccountFactory, valid_cpf
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db


def accounts_and_file():
    """Five existing accounts and a file that creates two, raises two, cuts one, closes one,
    leaves one as it is, and has one row with an error."""
    AccountFactory(pk="raise-a", credit_limit=Decimal("1000.00"))
    AccountFactory(pk="raise-b", credit_limit=Decimal("2000.00"))
    AccountFactory(pk="cut", credit_limit=Decimal("5000.00"))
    AccountFactory(pk="close", credit_limit=Decimal("750.50"))
    AccountFactory(pk="same", credit_limit=Decimal("300.00"))
    AccountFactory(pk="closed-before", credit_limit=Decimal("900.00"), status="Closed")
    return csv_bytes(
        [
            ["", "new1@example.com", valid_cpf(501), "CPF", "1200.00", "", ""],
            ["", "new2@example.com", valid_cpf(502), "CPF", "800.25", "", ""],
            ["raise-a", "", "", "", "1500.00", "", ""],  # +500.00
            ["raise-b", "", "", "", "9000.00", "", ""],  # +7000.00, +350%: a warning
            ["cut", "", "", "", "4000.00", "", ""],  # −1000.00
            ["close", "", "", "", "", "", "Closed"],  # 750.50 made unavailable
            ["same", "", "", "", "300.00", "", ""],  # unchanged, counted on both sides
            ["raise-a-typo", "", "", "", "99999.00", "", ""],  # unknown id: not counted
        ]
    )


def test_money_card_adds_up_every_change_of_the_file_to_the_cent(upload):
    job = upload(accounts_and_file())
    summary = MoneySummary.from_json(job.money_summary)
    assert (job.to_create, job.to_update, job.to_close, job.error_count) == (2, 3, 1, 1)
    assert summary.before_total == Decimal("9050.50")  # 1000 + 2000 + 5000 + 750.50 + 300
    assert summary.after_total == Decimal("16800.25")  # 1200 + 800.25 + 1500 + 9000 + 4000 + 300
    assert summary.net_change == Decimal("7749.75")
    assert (summary.new_credit, summary.new_accounts) == (Decimal("2000.25"), 2)
    assert (summary.increases_total, summary.increases_count) == (Decimal("7500.00"), 2)
    assert (summary.decreases_total, summary.decreases_count) == (Decimal("1000.00"), 1)
    assert (summary.closed_credit, summary.closed_count) == (Decimal("750.50"), 1)
    assert summary.net_change == (
        summary.new_credit
        + summary.increases_total
        - summary.decreases_total
        - summary.closed_credit
    )
    largest_increase = summary.largest_increase
    assert (largest_increase.account_id, largest_increase.row_number) == ("raise-b", 5)
    assert (largest_increase.old, largest_increase.new) == (Decimal("2000.00"), Decimal("9000.00"))
    largest_decrease = summary.largest_decrease
    assert (largest_decrease.account_id, largest_decrease.old, largest_decrease.new) == (
        "cut",
        Decimal("5000.00"),
        Decimal("4000.00"),
    )
    assert summary.highest_new_limit.new == Decimal("9000.00")


def test_money_card_shows_amounts_in_the_store_currency_and_the_readers_language(
    upload, manager_client
):
    job = upload(accounts_and_file())
    page = manager_client.get(reverse("imports:job-detail", args=[job.pk]))
    assertContains(page, 'id="money-card"')
    assertContains(page, "R$\u00a09,050.50")
    assertContains(page, "R$\u00a016,800.25")
    assertContains(page, "+R$\u00a07,749.75")
    assertContains(page, f'href="{reverse("accounts:detail", args=["raise-b"])}"')
    with translation.override("pt-br"):
        page = manager_client.get(
            reverse("imports:job-detail", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="pt-br"
        )
    assertContains(page, "R$\u00a016.800,25")
    assertContains(page, "R$\u00a0750,50")


def test_a_large_raise_and_a_large_cut_are_warnings_with_old_and_new_amounts(upload):
    StoreSettings.load()
    StoreSettings.objects.update(large_increase_percent=300, large_decrease_percent=50)
    AccountFactory(pk="triple", credit_limit=Decimal("1000.00"))
    AccountFactory(pk="quadruple", credit_limit=Decimal("1000.00"))
    AccountFactory(pk="halved", credit_limit=Decimal("1000.00"))
    AccountFactory(pk="from-zero", credit_limit=Decimal("0.00"))
    AccountFactory(pk="closing", credit_limit=Decimal("1000.00"))
    job = upload(
        csv_bytes(
            [
                ["triple", "", "", "", "3000.00", "", ""],  # +200%: under 300%
                ["quadruple", "", "", "", "4000.00", "", ""],  # +300%
                ["halved", "", "", "", "500.00", "", ""],  # −50%
                ["from-zero", "", "", "", "25000.00", "", ""],
                ["closing", "", "", "", "1.00", "", "Closed"],  # a closure, not a cut
            ]
        )
    )
    assert [
        (warning.row_number, warning.column, warning.stored_value, warning.message)
        for warning in job.row_warnings.all()
    ] == [
        (
            3,
            "Credit limit",
            "4000.00",
            "This row raises the credit limit of account quadruple from R$\u00a01,000.00 to "
            "R$\u00a04,000.00 (+300%). Check that this is meant.",
        ),
        (
            4,
            "Credit limit",
            "500.00",
            "This row cuts the credit limit of account halved from R$\u00a01,000.00 to "
            "R$\u00a0500.00 (−50%). Check that this is meant.",
        ),
        (
            5,
            "Credit limit",
            "25000.00",
            "This row raises the credit limit of account from-zero from R$\u00a00.00 to "
            "R$\u00a025,000.00. Check that this is meant.",
        ),
    ]
    assert job.warning_count == 3
    with translation.override("es"):
        cut = job.row_warnings.get(row_number=4).message
    assert cut == (
        "Esta fila recorta el límite de crédito de la cuenta halved de R$\u00a01.000,00 a "
        "R$\u00a0500,00 (−50%). Compruebe que es lo que se quiere."
    )


def test_the_command_summary_carries_the_money_card(upload):
    job = upload(accounts_and_file())
    money = job_summary(job)["money"]
    assert money["net_change"] == "7749.75"
    assert money["largest_increase"] == {
        "account": "raise-b",
        "row": 5,
        "old": "2000.00",
        "new": "9000.00",
    }
    assert money["closed_credit"] == "750.50"


def test_the_money_card_costs_no_query_per_row(upload, settings):
    settings.IMPORT_BATCH_SIZE = 1000

    def file_of(count: int, first: int) -> bytes:
        for number in range(count):
            AccountFactory(pk=f"acc-{first + number}", credit_limit=Decimal("100.00"))
        return csv_bytes(
            [[f"acc-{first + number}", "", "", "", "250.00", "", ""] for number in range(count)]
        )

    small, large = file_of(5, 0), file_of(300, 1000)
    with CaptureQueriesContext(connection) as small_queries:
        upload(small)
    with CaptureQueriesContext(connection) as large_queries:
        job = upload(large)
    assert MoneySummary.from_json(job.money_summary).increases_total == Decimal("45000.00")
    assert len(large_queries) <= len(small_queries)


def test_closed_account_left_closed_counts_for_nothing(upload):
    AccountFactory(pk="gone", credit_limit=Decimal("400.00"), status=AccountStatus.CLOSED)
    AccountFactory(pk="open", credit_limit=Decimal("100.00"))
    job = upload(csv_bytes([["gone", "", "", "", "", "", ""], ["open", "", "", "", "", "", ""]]))
    summary = MoneySummary.from_json(job.money_summary)
    assert (summary.before_total, summary.after_total, summary.net_change) == (
        Decimal("100.00"),
        Decimal("100.00"),
        Decimal("0.00"),
    )
