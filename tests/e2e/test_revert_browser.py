"""A manager reverts an import in Chromium: Revert, the revert's own preview, confirm, and the
account's history saying where its values came back from."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.models import Account, AccountStatus
from tests.e2e.test_import_browser import (  # noqa: F401 (database_tasks is a fixture)
    database_tasks,
    go_to_upload,
    run_worker,
    upload_and_validate,
)
from tests.factories import AccountFactory, valid_cpf
from tests.imports.conftest import HEADER


@pytest.mark.usefixtures("database_tasks")
def test_manager_reverts_an_import_after_checking_its_preview(page, log_in, tmp_path):
    log_in()
    ana = AccountFactory(email="ana@example.com", credit_limit=Decimal("500.00"))
    upload = tmp_path / "limits.csv"
    upload.write_text(
        ",".join(HEADER)
        + f"\r\n{ana.pk},,,,2500,,\r\n"
        + f",nova@example.com,{valid_cpf(740_000_001)},CPF,300,,\r\n",
        encoding="utf-8",
    )
    go_to_upload(page)
    upload_and_validate(page, upload)
    # 500 → 2,500 (+400%) is a large raise: a warning to check before confirming.
    page.get_by_label("I checked the warning").check()
    page.get_by_role("button", name="Confirm import").click()
    run_worker()
    expect(page.locator('[data-status="completed"]')).to_be_visible()
    imported_url = page.url

    page.get_by_role("button", name="Revert this import").click()
    expect(page.locator("#revert-of")).to_contain_text("This job reverts import #")
    run_worker()
    preview = page.locator("#preview")
    expect(preview.locator('[data-count="update"]')).to_have_text("1")
    expect(preview.locator('[data-count="close"]')).to_have_text("1")
    expect(page.locator("#closing-warning")).to_contain_text("Closing is irreversible")
    expect(preview.locator("#change-sample")).to_contain_text(
        re.compile(r"Credit limit: \D*2,?500\.00 → \D*500\.00")
    )
    expect(preview.locator("#change-sample")).to_contain_text("closes (irreversible)")
    page.get_by_role("button", name="Confirm revert").click()
    run_worker()
    expect(page.locator('[data-status="completed"]')).to_be_visible()
    expect(page.locator("#touched-accounts")).to_contain_text("Reverted")

    page.get_by_role("link", name="ana@example.com").first.click()
    expect(page.locator("#credit-limit")).to_contain_text("500.00")
    expect(page.locator("#history")).to_contain_text(re.compile(r"Revert of import #\d+ · row 2"))
    expect(page.locator("#account-imports")).to_contain_text("Reverted")
    assert Account.objects.get(email="nova@example.com").status == AccountStatus.CLOSED

    page.goto(imported_url)
    expect(page.locator("#reverted-by")).to_contain_text("This import has a revert")
    expect(page.get_by_role("button", name="Revert this import")).to_have_count(0)
