"""Languages in the browser: the header switcher, the browser's own language, and money
typed and shown the Brazilian way."""

import re
from importlib import import_module

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from accounts.models import Account
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _staff_groups(transactional_db):
    """The staff groups come from a data migration, and an earlier browser test's flush
    removed them (the permissions are recreated by post_migrate, the groups are not)."""
    for name, codenames in import_module("accounts.migrations.0002_staff_groups").GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="accounts", codename__in=codenames)
        )


def test_manager_switches_to_portuguese_and_opens_an_account_with_a_brazilian_limit(page, log_in):
    log_in()
    page.locator("summary", has_text="Language").click()
    page.get_by_role("button", name="Português Brasileiro").click()
    expect(page.locator("html")).to_have_attribute("lang", "pt-br")
    expect(page.get_by_role("heading", name="Contas", exact=True)).to_be_visible()

    page.get_by_role("link", name="Novo", exact=True).click()
    page.get_by_label("Tipo de documento").select_option("CNPJ")
    page.locator("#id_document").fill("11.222.333/0001-81")
    page.get_by_label("E-mail").fill("loja@example.com")
    page.get_by_label("Limite de crédito").fill("1.500,00")
    page.get_by_role("button", name="Confirmar").click()

    row = page.get_by_role("row").filter(has_text="loja@example.com")
    expect(row).to_contain_text("R$ 1.500,00")
    assert str(Account.objects.get(email="loja@example.com").credit_limit) == "1500.00"

    # The choice is remembered on the next pages, until changed again.
    page.get_by_role("link", name="Contas", exact=True).first.click()
    expect(page.locator("html")).to_have_attribute("lang", "pt-br")
    page.locator("summary", has_text="Idioma").click()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Accounts", exact=True)).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="loja@example.com")).to_contain_text(
        "R$ 1,500.00"
    )


@pytest.mark.parametrize(
    "browser_locale, lang, log_in_button, accounts_heading",
    [("es-ES", "es", "Iniciar sesión", "Cuentas"), ("pt-BR", "pt-br", "Entrar", "Contas")],
)
def test_the_app_speaks_the_browser_language_from_the_login_page_on(
    browser, live_server, transactional_db, browser_locale, lang, log_in_button, accounts_heading
):
    user = UserFactory(username="gestora")
    user.groups.add(Group.objects.get(name="Credit managers"))
    context = browser.new_context(base_url=live_server.url, locale=browser_locale)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/login/")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        page.locator("#id_username").fill("gestora")
        page.locator("#id_password").fill("password")
        page.get_by_role("button", name=log_in_button).click()
        expect(page.get_by_role("heading", name=accounts_heading, exact=True)).to_be_visible()
        expect(page.locator("nav.navbar")).not_to_contain_text(re.compile(r"\bLog out\b"))
    finally:
        context.close()


def test_visitor_switches_language_on_the_login_page(page, transactional_db):
    page.goto("/login/")
    page.locator("summary", has_text="Language").click()
    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("button", name="Iniciar sesión")).to_be_visible()
    assert page.url.endswith("/login/")


def test_language_menu_is_a_plain_form_that_works_without_javascript(
    browser, live_server, transactional_db
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/login/")
        page.locator("summary", has_text="Language").focus()
        page.keyboard.press("Enter")
        page.get_by_role("button", name="Português Brasileiro").focus()
        page.keyboard.press("Enter")
        expect(page.locator("html")).to_have_attribute("lang", "pt-br")
        expect(page.get_by_role("button", name="Entrar")).to_be_visible()
    finally:
        context.close()
