"""Four eyes in Chromium: an import over the store's thresholds shows what it does to credit
and waits; its uploader cannot approve it, a second manager approves one and rejects
another with a reason the uploader then reads."""

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import Account, StoreSettings
from tests.e2e.test_import_browser import (
    DATABASE_TASKS,
    go_to_upload,
    run_worker,
    upload_and_validate,
)
from tests.factories import AccountFactory
from tests.imports.conftest import recreate_staff_groups


@pytest.fixture
def over_threshold(settings, transactional_db):
    settings.TASKS = DATABASE_TASKS  # the uploads wait for the worker the test runs
    recreate_staff_groups()
    StoreSettings.load()
    StoreSettings.objects.update(
        approval_net_credit=Decimal("10000.00"), approval_credit_limit=Decimal("20000.00")
    )
    AccountFactory(pk="big-1", credit_limit=Decimal("1000.00"))
    AccountFactory(pk="big-2", credit_limit=Decimal("2000.00"))


def limit_file(path: Path, account_id: str, credit_limit: str) -> Path:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["Id", "Email", "Document", "Document Type", "Credit limit"])
        writer.writerow([account_id, "", "", "", credit_limit])
    return path


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()


def test_an_import_over_the_threshold_waits_for_a_second_manager(
    page, log_in, over_threshold, tmp_path
):
    log_in("ana")
    go_to_upload(page)
    upload_and_validate(page, limit_file(tmp_path / "raise.csv", "big-1", "25000.00"))
    expect(page.locator("[data-status]").first).to_have_text("Awaiting approval")
    money = page.locator("#money-card")
    expect(money.locator("[data-money=before]")).to_have_text("R$\u00a01,000.00")
    expect(money.locator("[data-money=after]")).to_have_text("R$\u00a025,000.00")
    expect(money.locator("[data-money=net]")).to_have_text("+R$\u00a024,000.00")
    expect(money.get_by_role("link", name="big-1")).to_be_visible()
    expect(page.locator("#approval-reasons")).to_contain_text(
        "gives an account a credit limit of R$\u00a025,000.00"
    )
    # The uploader is told another manager decides, and is offered no way to approve.
    expect(page.locator("#approval-not-yours")).to_be_visible()
    expect(page.get_by_role("button", name="Approve and apply")).to_have_count(0)
    expect(page.get_by_role("button", name="Confirm import")).to_have_count(0)
    job_url = page.url

    go_to_upload(page)
    upload_and_validate(page, limit_file(tmp_path / "raise-more.csv", "big-2", "30000.00"))
    expect(page.locator("[data-status]").first).to_have_text("Awaiting approval")
    rejected_url = page.url
    log_out(page)

    log_in("bruno")
    waiting = page.locator("#awaiting-approval")
    expect(waiting).to_contain_text("2")
    waiting.click()
    page.get_by_role("link", name="raise.csv").click()
    assert page.url == job_url
    page.get_by_label("I checked the warning").check()
    page.get_by_role("button", name="Approve and apply").click()
    expect(page.get_by_text("Import approved: applying the changes.")).to_be_visible()
    run_worker()
    expect(page.locator("#result")).to_be_visible()
    expect(page.locator("#review-decision")).to_contain_text("Approved by bruno on")
    assert Account.objects.get(pk="big-1").credit_limit == Decimal("25000.00")

    page.goto(rejected_url)
    page.get_by_role("button", name="Reject").click()  # no reason: the browser asks for one
    expect(page.locator("[data-status]").first).to_have_text("Awaiting approval")
    page.get_by_label("Reason for rejecting (the uploader reads it)").fill(
        "R$ 30,000 for this customer needs the CFO's e-mail."
    )
    page.get_by_role("button", name="Reject").click()
    expect(page.get_by_text("Import rejected: nothing was changed.")).to_be_visible()
    expect(page.locator("#awaiting-approval")).to_have_count(0)
    log_out(page)

    log_in("ana")
    page.goto(rejected_url)
    expect(page.locator("[data-status]").first).to_have_text("Rejected")
    expect(page.locator("#review-decision")).to_contain_text("Rejected by bruno on")
    expect(page.locator("#review-reason")).to_have_text(
        "R$ 30,000 for this customer needs the CFO's e-mail."
    )
    assert Account.objects.get(pk="big-2").credit_limit == Decimal("2000.00")
