"""The Accounts pages in headless Chromium, as store staff use them."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from tests.factories import AccountFactory

staff_groups = importlib.import_module("accounts.migrations.0002_staff_groups").GROUPS


@pytest.fixture(autouse=True)
def staff_groups_exist(transactional_db):
    """Browser tests commit their data, so a flush after an earlier test may have removed
    the groups the data migration made; make them again, as that migration does."""
    create_permissions(apps.get_app_config("accounts"), verbosity=0)
    for name, codenames in staff_groups.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="accounts", codename__in=codenames)
        )


def test_manager_opens_an_account_finds_it_and_changes_its_limit(page, log_in):
    log_in()

    page.get_by_role("link", name="New", exact=True).click()
    page.get_by_label("Document type").select_option("CNPJ")
    page.get_by_role("textbox", name="Document").fill("11.222.333/0001-81")
    page.get_by_label("E-mail").fill("Loja@Example.com")
    page.get_by_label("Credit limit").fill("2,500.00")
    page.get_by_label("Tolerance").fill("0.05")
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Account for loja@example.com opened with a credit limit of R$\u00a02,500.00."
    )
    row = page.locator("#accounts tbody tr", has_text="loja@example.com")
    expect(row).to_contain_text("11.222.333/0001-81")
    expect(row).to_contain_text("R$\u00a02,500.00")
    expect(row).to_contain_text("5%")

    page.get_by_role("searchbox", name="Search").fill("11222333000181")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#accounts tbody tr")).to_have_count(1)
    expect(page.locator("#result-count")).to_contain_text("1 account")

    page.get_by_role("link", name="11.222.333/0001-81").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("loja@example.com")
    expect(page.locator("#credit-limit")).to_have_text("R$\u00a02,500.00")

    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Credit limit").fill("4,000.50")
    page.get_by_role("button", name="Save changes").click()

    expect(page.get_by_role("alert")).to_contain_text("Changes to loja@example.com saved.")
    expect(page.locator("#credit-limit")).to_have_text("R$\u00a04,000.50")
    latest = page.locator("#history tbody tr").first
    expect(latest).to_contain_text("manager")
    expect(latest).to_contain_text("Web form")
    expect(latest.locator("del")).to_have_text("R$\u00a02,500.00")
    expect(latest.locator("ins")).to_have_text("R$\u00a04,000.50")


def test_new_form_shows_the_rule_messages_and_keeps_what_was_typed(page, log_in):
    log_in()
    page.goto("/accounts/new/")
    page.get_by_role("textbox", name="Document").fill("529.982.247-26")
    page.get_by_label("E-mail").fill("ana@example.com")
    page.get_by_label("Tolerance").fill("20")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("#form-errors")).to_contain_text("The account was not saved.")
    expect(page.get_by_text("This CPF is not valid")).to_be_visible()
    expect(page.get_by_text("Did you mean 0.20 = 20%?")).to_be_visible()
    expect(page.get_by_label("E-mail")).to_have_value("ana@example.com")


def test_viewer_can_look_but_sees_no_new_edit_or_close(page, log_in):
    account = AccountFactory(email="ana@example.com", document="52998224725")
    log_in(username="viewer", group="Credit viewers")
    expect(page.get_by_role("cell", name="ana@example.com")).to_be_visible()
    expect(page.get_by_role("link", name="New", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Store settings")).to_have_count(0)

    page.get_by_role("link", name="529.982.247-25").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ana@example.com")
    expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Close account", exact=True)).to_have_count(0)

    response = page.goto(f"/accounts/{account.pk}/change/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You are not allowed to do this")


def test_two_pages_edit_one_account_and_the_second_save_is_refused(page, log_in):
    account = AccountFactory(email="ana@example.com", credit_limit=1000)
    log_in()
    first, second = page, page.context.new_page()
    for tab in (first, second):
        tab.goto(f"/accounts/{account.pk}/change/")

    first.get_by_label("Credit limit").fill("2,000.00")
    first.get_by_role("button", name="Save changes").click()
    expect(first.get_by_role("alert")).to_contain_text("Changes to ana@example.com saved.")

    second.get_by_label("Credit limit").fill("3,000.00")
    second.get_by_role("button", name="Save changes").click()
    errors = second.locator("#form-errors")
    expect(errors).to_contain_text("The account was not saved.")
    expect(errors).to_contain_text("Changed by manager on ")
    expect(errors).to_contain_text("through Web form since you last saw it: nothing was saved")
    expect(errors).to_contain_text("Credit limit is now 2,000.00 (yours: 3,000.00).")
    expect(second.get_by_label("Credit limit")).to_have_value("3,000.00")

    second.goto(f"/accounts/{account.pk}/")
    expect(second.locator("#credit-limit")).to_have_text("R$\u00a02,000.00")
    account.refresh_from_db()
    assert account.credit_limit == 2000
