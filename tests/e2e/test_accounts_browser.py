from playwright.sync_api import expect


def test_manager_creates_account_through_new_and_finds_it(page, log_in):
    log_in()
    page.get_by_role("link", name="New").click()
    page.get_by_label("Document type").select_option("CNPJ")
    page.locator("#id_document").fill("11.222.333/0001-81")
    page.get_by_label("E-mail").fill("loja@example.com")
    page.get_by_label("Credit limit").fill("2500.00")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("alert")).to_contain_text("loja@example.com")
    expect(page.get_by_role("cell", name="loja@example.com")).to_be_visible()
