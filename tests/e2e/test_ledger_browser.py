"""The account page's invoices, statement and movements and the credit overview, read in
Chromium in English, Spanish and Portuguese, at a phone's width as well as a desktop's."""

import re
from datetime import timedelta
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from ledger import services
from ledger.models import Invoice
from tests.factories import AccountFactory, UserFactory
from tests.ledger.conftest import SOURCE

LANGUAGES = {
    "en-US": {
        "invoices": "Open invoices",
        "overdue": "Overdue",
        "statement": "Statement",
        "movements": "Credit movements",
        "overview": "Credit overview",
        "closest": "Accounts closest to their limit",
        "granted": "R$ 1,500.00",
        "chart": "Credit in use, last 90 days",
        "menu": "Menu",
    },
    "es-ES": {
        "invoices": "Facturas abiertas",
        "overdue": "Vencida",
        "statement": "Extracto",
        "movements": "Movimientos de crédito",
        "overview": "Resumen de crédito",
        "closest": "Cuentas más cerca de su límite",
        "granted": "R$ 1.500,00",
        "chart": "Crédito en uso, últimos 90 días",
        "menu": "Menú",
    },
    "pt-BR": {
        "invoices": "Faturas em aberto",
        "overdue": "Vencida",
        "statement": "Extrato",
        "movements": "Movimentos de crédito",
        "overview": "Resumo de crédito",
        "closest": "Contas mais perto do limite",
        "granted": "R$ 1.500,00",
        "chart": "Crédito em uso, últimos 90 dias",
        "menu": "Menu",
    },
}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def manager(transactional_db):
    """A credit manager; the groups come from data migrations that a live-server test's
    flush removes, so they are made again the same way."""
    import_module("accounts.migrations.0002_staff_groups").create_groups(apps, None)
    import_module("ledger.migrations.0002_overview_permission_for_managers").grant_overview(
        apps, None
    )
    import_module("ledger.migrations.0003_invoice_actions_for_managers").grant_invoice_actions(
        apps, None
    )
    user = UserFactory(username="gerente")
    user.groups.add(Group.objects.get(name="Credit managers"))
    return user


@pytest.fixture
def customer(transactional_db):
    """R$ 1,500 of credit: an order in 3 installments, the first overdue, the last paid."""
    account = AccountFactory(
        email="cliente@example.com", credit_limit=Decimal("1500.00"), tolerance=Decimal("0")
    )
    hold = services.pre_authorize(
        account_id=account.pk,
        value=600,
        installments=3,
        order_id="1375060513100-01",
        source=SOURCE,
    )
    services.settle_pre_authorization(
        account_id=account.pk, transaction_id=hold.pk, value=600, source=SOURCE
    )
    services.pay_invoice(account_id=account.pk, invoice_id=f"{hold.pk}-03", source=SOURCE)
    Invoice.objects.filter(pk=f"{hold.pk}-01").update(due_date=timezone.now() - timedelta(days=2))
    services.pre_authorize(account_id=account.pk, value="99.90", source=SOURCE)
    return account


def log_in(page) -> None:
    page.goto("/login/")
    page.locator("#id_username").fill("gerente")
    page.locator("#id_password").fill("password")
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/")


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("locale", list(LANGUAGES))
def test_a_manager_reads_the_ledger_and_the_overview_in_their_language(
    browser, live_server, manager, customer, locale, viewport
):
    words = LANGUAGES[locale]
    context = browser.new_context(base_url=live_server.url, locale=locale, viewport=viewport)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/login/")
        page.locator("#id_username").fill("gerente")
        page.locator("#id_password").fill("password")
        page.locator("#id_password").press("Enter")
        page.wait_for_url("**/")

        page.goto(customer.get_absolute_url())
        invoices = page.get_by_role("region", name=words["invoices"])
        expect(invoices).to_be_visible()
        overdue_row = invoices.get_by_role("row").filter(has_text=words["overdue"])
        expect(overdue_row).to_have_count(1)
        expect(overdue_row).to_contain_text("200")
        expect(page.get_by_role("region", name=words["statement"])).to_be_visible()
        movements = page.get_by_role("region", name=words["movements"])
        expect(movements.get_by_role("row")).to_have_count(1 + customer.movements.count())
        assert fits_the_screen(page)

        if viewport is PHONE:
            page.get_by_role("button", name=words["menu"]).click()
        page.get_by_role("link", name=words["overview"]).click()
        expect(page.get_by_role("heading", name=words["overview"], level=1)).to_be_visible()
        expect(page.locator("#total-granted")).to_have_text(words["granted"])
        expect(page.get_by_role("img", name=words["chart"])).to_be_visible()
        closest = page.get_by_role("region", name=words["closest"])
        expect(closest.get_by_role("link", name="cliente@example.com")).to_be_visible()
        expect(closest.get_by_role("meter")).to_have_count(1)
        assert fits_the_screen(page)
    finally:
        context.close()


def test_a_manager_marks_the_overdue_invoice_paid_from_the_account_page(
    browser, live_server, manager, customer
):
    context = browser.new_context(base_url=live_server.url, locale="pt-BR", viewport=PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        log_in(page)
        page.goto(customer.get_absolute_url())
        expect(page.locator("#available-credit")).to_have_text("R$ 1.000,10")
        overdue_row = page.locator("#open-invoices tbody tr").filter(has_text="Vencida")
        overdue_row.get_by_role("link", name=re.compile(r"Marcar a fatura .+ como paga")).click()

        expect(page.get_by_role("heading", name="Marcar fatura como paga")).to_be_visible()
        expect(page.locator("#invoice-consequence")).to_contain_text("R$ 200,00")
        page.get_by_role("button", name="Marcar como paga").click()

        expect(page.get_by_role("alert")).to_contain_text("marcada como paga")
        expect(page.locator("#open-invoices tbody tr")).to_have_count(1)
        expect(page.locator("#open-invoices")).not_to_contain_text("Vencida")
        expect(page.locator("#available-credit")).to_have_text("R$ 1.200,10")
        assert fits_the_screen(page)
    finally:
        context.close()
