"""Pages under the Content-Security-Policy in Chromium: nothing blocked, nothing broken."""

from playwright.sync_api import expect

from accounts.models import ApiScope
from accounts.services import create_api_key
from tests.factories import AccountFactory


def test_pages_work_under_the_policy_and_revoking_a_key_still_asks_first(page, log_in):
    blocked = []
    page.on(
        "console",
        lambda message: blocked.append(message.text)
        if "Content Security Policy" in message.text
        else None,
    )
    manager = log_in()
    account = AccountFactory()
    create_api_key(name="ERP", scopes=[ApiScope.READ], created_by=manager)

    for path in [
        "/", f"/accounts/{account.pk}/", f"/accounts/{account.pk}/change/", "/accounts/new/",
        "/settings/", "/imports/", "/imports/upload/", "/imports/template/", "/api/docs/",
    ]:  # fmt: skip
        page.goto(path)
        page.wait_for_load_state("networkidle")
    expect(page.locator(".opblock").first).to_be_visible()  # Swagger UI ran its script

    page.goto("/api-keys/")
    revoke = page.get_by_role("button", name="Revoke ERP")
    page.once("dialog", lambda dialog: dialog.dismiss())
    revoke.click()
    expect(page.get_by_text("Active", exact=True)).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    revoke.click()
    expect(page.get_by_text("Revoked", exact=True)).to_be_visible()

    assert blocked == []
