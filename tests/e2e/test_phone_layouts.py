"""On a 390 px phone: the Accounts list and an import's rows to fix are cards that show
every value with its name, and the list can still be sorted."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.e2e.test_import_browser import DROP_ZONE
from tests.factories import AccountFactory

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def shown_label(cell) -> str:
    """The column name a card shows beside a value (CSS generated text, not in the DOM)."""
    return cell.evaluate("cell => getComputedStyle(cell, '::before').content").strip('"')


def test_on_a_phone_each_account_is_a_card_with_its_document_email_limit_and_status(
    phone, log_in
):
    log_in(username="ana", group="Credit viewers")
    AccountFactory(email="pequena@example.com", document="52998224725", credit_limit=300)
    AccountFactory(email="grande@example.com", credit_limit=Decimal("25000"))
    phone.goto("/")

    card = phone.locator("#accounts tbody tr", has_text="pequena@example.com")
    expect(card.get_by_role("link", name="529.982.247-25")).to_be_visible()
    expect(card.get_by_text("pequena@example.com").filter(visible=True)).to_be_visible()
    limit = card.locator("td", has_text="R$\u00a0300.00").first
    status = card.locator("td", has_text="Open")
    expect(limit).to_be_visible()
    assert shown_label(limit) == "Credit limit"
    expect(status).to_have_text("Open")
    assert shown_label(status) == "Status"
    card_box = card.bounding_box()
    assert card_box["x"] >= 0 and card_box["x"] + card_box["width"] <= PHONE["width"]

    # The sorting column headers are gone on a phone; the search form sorts instead.
    expect(phone.locator("#accounts thead")).to_be_hidden()
    phone.get_by_label("Sort by").select_option(label="Highest credit limit")
    phone.get_by_role("button", name="Search").click()
    expect(phone.locator("#accounts tbody tr").first).to_contain_text("grande@example.com")
    expect(phone.get_by_label("Sort by")).to_have_value("-credit_limit")


def test_on_a_phone_rows_to_fix_are_cards_naming_row_column_value_and_fix(
    phone, log_in, tmp_path
):
    log_in()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Email,Document,Document Type,Credit limit,Tolerance rate\r\n"
        "b@example.com,529.982.247-25,CPF,lots,0\r\n",
        encoding="utf-8",
    )
    phone.goto("/imports/upload/")
    phone.get_by_label(DROP_ZONE).set_input_files(str(bad))
    phone.get_by_role("button", name="Import file").click()

    card = phone.locator("#row-errors-table tbody tr").first
    cells = card.locator("td")
    expect(cells).to_have_text(["2", "Credit limit", "lots", "“lots” is not a number."])
    assert [shown_label(cells.nth(n)) for n in range(4)] == [
        "Row",
        "Column",
        "Value",
        "How to fix it",
    ]
    tops = [cells.nth(n).bounding_box()["y"] for n in range(4)]
    assert tops == sorted(tops) and len(set(tops)) == 4, "one value under the other"
