"""New, detail, Edit, Close and Store settings pages, as a credit manager uses them."""

from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.history import Channel
from accounts.models import Account, StoreSettings
from tests.factories import AccountFactory

NEW_URL = reverse("accounts:create")
LIST_URL = reverse("accounts:list")


def detail_url(account) -> str:
    return reverse("accounts:detail", args=[account.pk])


def change_url(account) -> str:
    return reverse("accounts:change", args=[account.pk])


def close_url(account) -> str:
    return reverse("accounts:close", args=[account.pk])


NEW_CNPJ_ACCOUNT = {
    "document_type": "CNPJ",
    "document": "11.222.333/0001-81",
    "email": "Loja@Example.com",
    "credit_limit": "1,500.00",
    "tolerance": "0.1",
}


def test_new_form_has_identification_and_credit_sections_and_confirm(manager_client):
    response = manager_client.get(NEW_URL)
    page = response.content.decode()
    assert page.index("Identification") < page.index('name="document_type"')
    assert page.index('name="email"') < page.index("Credit</legend>")
    assert page.index("Credit</legend>") < page.index('name="credit_limit"')
    assertContains(response, '<span class="input-group-text">R$</span>', html=True)
    assertContains(
        response, '<button type="submit" class="btn btn-primary px-4">Confirm</button>', html=True
    )


def test_new_account_with_formatted_cnpj_is_listed_with_a_message(manager_client, manager):
    response = manager_client.post(NEW_URL, NEW_CNPJ_ACCOUNT, follow=True)
    assertRedirects(response, LIST_URL)
    assertContains(
        response, "Account for loja@example.com opened with a credit limit of R$\u00a01,500.00."
    )
    account = Account.objects.get()
    assert (account.document_type, account.document, account.email) == (
        "CNPJ",
        "11222333000181",
        "loja@example.com",
    )
    assert (account.credit_limit, account.tolerance, account.status) == (
        Decimal("1500.00"),
        Decimal("0.1000"),
        "Open",
    )
    assert list(response.context["object_list"]) == [account]
    assertContains(response, "11.222.333/0001-81")
    opened = account.history.get()
    assert (opened.history_user, opened.history_channel, opened.history_source) == (
        manager,
        Channel.FORM,
        "manager",
    )


def test_new_account_without_limit_gets_the_store_default(manager_client):
    StoreSettings.objects.update_or_create(pk=1, defaults={"default_credit_limit": 250})
    manager_client.post(NEW_URL, {**NEW_CNPJ_ACCOUNT, "credit_limit": "", "tolerance": ""})
    account = Account.objects.get()
    assert (account.credit_limit, account.tolerance) == (Decimal("250.00"), Decimal("0"))


def test_invalid_new_account_shows_field_messages_and_saves_nothing(manager_client):
    response = manager_client.post(
        NEW_URL,
        {**NEW_CNPJ_ACCOUNT, "document": "11.222.333/0001-82", "tolerance": "10"},
    )
    assert response.status_code == 200
    assertContains(response, "The account was not saved.")
    assertContains(
        response,
        "This CNPJ is not valid: check the characters (the last two are check digits).",
    )
    assertContains(response, "Did you mean 0.10 = 10%?")
    assertContains(response, 'value="Loja@Example.com"')  # what was typed stays in the form
    assert not Account.objects.exists()


def test_duplicate_open_account_is_named_by_its_id_and_linked(manager_client):
    existing = AccountFactory(email="loja@example.com", cnpj=True, document="11222333000181")
    response = manager_client.post(NEW_URL, NEW_CNPJ_ACCOUNT)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": [f"An open account with this e-mail already exists (account {existing.pk})."],
        "document": [f"An open account with this document already exists (account {existing.pk})."],
    }
    assertContains(response, f'href="{detail_url(existing)}"')
    assert Account.objects.count() == 1


def test_closed_account_does_not_block_a_new_one_for_the_same_customer(manager_client):
    AccountFactory(email="loja@example.com", cnpj=True, document="11222333000181", status="Closed")
    manager_client.post(NEW_URL, NEW_CNPJ_ACCOUNT)
    assert Account.objects.filter(status="Open", email="loja@example.com").count() == 1


def test_detail_shows_holder_credit_and_readable_history(viewer_client):
    account = AccountFactory(
        email="ana@example.com",
        document="52998224725",
        credit_limit=Decimal("1500"),
        tolerance=Decimal("0.05"),
    )
    Account.objects.filter(pk=account.pk).update(
        balance=Decimal("-200"), pre_authorized_credit=Decimal("100")
    )
    response = viewer_client.get(detail_url(account))
    for text in [
        account.pk,
        "ana@example.com",
        "CPF 529.982.247-25",
        "R$\u00a01,500.00",  # limit
        "R$\u00a01,200.00",  # available = 1500 - 200 - 100
        "-R$\u00a0200.00",  # balance
        "R$\u00a0100.00",  # reserved
        "5%",
        "Account opened",
    ]:
        assertContains(response, text)


def test_edit_records_who_channel_and_old_to_new_in_readable_form(manager_client, manager):
    account = AccountFactory(email="ana@example.com", credit_limit=1000, tolerance=Decimal("0.05"))
    response = manager_client.post(
        change_url(account),
        {"email": "ana.silva@example.com", "credit_limit": "2,500.50", "tolerance": "0.1"},
        follow=True,
    )
    assertRedirects(response, detail_url(account))
    assertContains(response, "Changes to ana.silva@example.com saved.")
    account.refresh_from_db()
    assert (account.email, account.credit_limit, account.tolerance) == (
        "ana.silva@example.com",
        Decimal("2500.50"),
        Decimal("0.1000"),
    )
    change = account.history.order_by("-history_id").first()
    assert (change.history_user, change.history_channel) == (manager, Channel.FORM)
    history = response.context["history"]
    assert [(c.field, c.old, c.new) for c in history[0].changes] == [
        ("email", "ana@example.com", "ana.silva@example.com"),
        ("credit_limit", Decimal("1000.00"), Decimal("2500.50")),
        ("tolerance", Decimal("0.0500"), Decimal("0.1000")),
    ]
    table = response.content.decode().split('id="history"')[1]
    assert "<del>R$\u00a01,000.00</del>" in table
    assert "<ins>R$\u00a02,500.50</ins>" in table
    assert "<del>5%</del>" in table and "<ins>10%</ins>" in table
    assert "<del>ana@example.com</del>" in table
    assert "Web form" in table and ">manager<" in table


def test_edit_form_starts_with_the_current_values(manager_client):
    account = AccountFactory(credit_limit=Decimal("1500"), tolerance=Decimal("0.05"))
    response = manager_client.get(change_url(account))
    assertContains(response, 'value="1500.00"')
    assertContains(response, 'value="0.05"')
    assertContains(response, f'value="{account.email}"')


def test_invalid_edit_changes_nothing(manager_client):
    account = AccountFactory(credit_limit=1000)
    response = manager_client.post(
        change_url(account), {"email": account.email, "credit_limit": "-1", "tolerance": "0"}
    )
    assertContains(response, "The credit limit cannot be negative.")
    account.refresh_from_db()
    assert account.credit_limit == Decimal("1000.00")
    assert account.history.count() == 1


def test_edit_to_an_email_of_another_open_account_is_refused_with_its_id(manager_client):
    other = AccountFactory(email="taken@example.com")
    account = AccountFactory(email="ana@example.com")
    response = manager_client.post(
        change_url(account),
        {"email": "taken@example.com", "credit_limit": "10", "tolerance": "0"},
    )
    assertContains(
        response, f"An open account with this e-mail already exists (account {other.pk})."
    )
    account.refresh_from_db()
    assert account.email == "ana@example.com"


def test_close_asks_for_confirmation_that_says_it_cannot_be_undone(manager_client):
    account = AccountFactory(email="ana@example.com")
    response = manager_client.get(close_url(account))
    assertContains(response, "This cannot be undone.")
    assertContains(response, "A closed account cannot be reopened")
    account.refresh_from_db()
    assert account.status == "Open"


def test_closing_is_recorded_and_irreversible(manager_client, manager):
    account = AccountFactory(email="ana@example.com")
    response = manager_client.post(close_url(account), follow=True)
    assertRedirects(response, detail_url(account))
    assertContains(response, "Account of ana@example.com closed.")
    assertContains(response, "This account is closed.")
    assertNotContains(response, f'href="{change_url(account)}"')
    assertNotContains(response, f'href="{close_url(account)}"')
    account.refresh_from_db()
    assert account.status == "Closed"
    closing = account.history.order_by("-history_id").first()
    assert (closing.history_user, closing.status) == (manager, "Closed")
    table = response.content.decode().split('id="history"')[1]
    assert "<del>Open</del>" in table and "<ins>Closed</ins>" in table


def test_closed_account_cannot_be_edited_or_closed_again(manager_client):
    account = AccountFactory(email="ana@example.com", credit_limit=1000, status="Closed")
    for url in [change_url(account), close_url(account)]:
        response = manager_client.get(url, follow=True)
        assertRedirects(response, detail_url(account))
        assertContains(response, "This account is closed: it can no longer be changed.")
    manager_client.post(
        change_url(account), {"email": "new@example.com", "credit_limit": "5", "tolerance": "0"}
    )
    manager_client.post(close_url(account))
    account.refresh_from_db()
    assert (account.email, account.credit_limit, account.status) == (
        "ana@example.com",
        Decimal("1000.00"),
        "Closed",
    )
    assert account.history.count() == 1


def test_manager_changes_store_settings_and_pages_follow_them(manager_client):
    response = manager_client.post(
        reverse("accounts:settings"),
        {"currency_code": "usd", "default_credit_limit": "250", "tolerance_enabled": ""},
        follow=True,
    )
    assertContains(response, "Store settings saved.")
    store = StoreSettings.load()
    assert (store.currency_code, store.default_credit_limit, store.tolerance_enabled) == (
        "USD",
        Decimal("250.00"),
        False,
    )
    new_form = manager_client.get(NEW_URL)
    assertContains(new_form, "US$\u00a0250.00")
    assertNotContains(new_form, 'name="tolerance"')


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"currency_code": "R$"},
            "currency_code",
            "Enter the currency's 3-letter ISO 4217 code, e.g. BRL, USD or EUR.",
        ),
        (
            {"default_credit_limit": "1.2345"},
            "default_credit_limit",
            "The credit limit has at most 2 decimal places, e.g. 1500.50.",
        ),
    ],
)
def test_invalid_store_settings_are_not_saved(manager_client, changes, field, message):
    data = {"currency_code": "EUR", "default_credit_limit": "300", "tolerance_enabled": "on"}
    response = manager_client.post(reverse("accounts:settings"), {**data, **changes})
    assert response.context["form"].errors == {field: [message]}
    store = StoreSettings.load()
    assert (store.currency_code, store.default_credit_limit) == ("BRL", Decimal("100.00"))


def test_account_page_queries_do_not_grow_with_its_history(
    viewer_client, manager, django_assert_max_num_queries
):
    from accounts import services
    from accounts.history import ChangeSource

    account = AccountFactory()
    source = ChangeSource(channel=Channel.FORM, label="manager", user_id=manager.pk)
    for limit in range(1, 31):
        services.change_account(
            account_id=account.pk, source=source, values={"credit_limit": limit}
        )
    viewer_client.get(detail_url(account))
    # session, user, permissions (2), account, store settings, history, holders; the
    # ledger's sections: open invoices, statement (2), movements; the imports that touched it
    with django_assert_max_num_queries(14):
        response = viewer_client.get(detail_url(account))
    assert len(response.context["history"]) == 31
    assertNotContains(response, "Only the newest")


def test_account_page_says_when_older_history_is_left_out(viewer_client, manager, monkeypatch):
    from accounts import services
    from accounts.history import ChangeSource
    from accounts.views import accounts as views

    monkeypatch.setattr(views, "HISTORY_SHOWN", 2)
    account = AccountFactory(credit_limit=1)
    source = ChangeSource(channel=Channel.FORM, label="manager", user_id=manager.pk)
    for limit in [2, 3]:
        services.change_account(
            account_id=account.pk, source=source, values={"credit_limit": limit}
        )
    response = viewer_client.get(detail_url(account))
    assert [entry.changes[0].new for entry in response.context["history"]] == [
        Decimal("3.00"),
        Decimal("2.00"),
    ]
    assertContains(response, "Only the newest 2 changes are shown.")


def test_saving_an_edit_that_changes_nothing_says_so(manager_client):
    account = AccountFactory(email="ana@example.com", credit_limit=1000, tolerance=Decimal("0.05"))
    response = manager_client.post(
        change_url(account),
        {"email": "ana@example.com", "credit_limit": "1,000.00", "tolerance": "0.05", "version": 1},
        follow=True,
    )
    assertContains(response, "No changes: the account already had these values.")
    assertNotContains(response, "saved.")
    assert account.history.count() == 1


def test_an_edit_over_a_newer_change_is_refused_with_who_when_and_both_values(
    manager_client, viewer
):
    from accounts import services
    from accounts.history import ChangeSource

    account = AccountFactory(email="ana@example.com", credit_limit=1000, tolerance=Decimal("0.05"))
    assertContains(manager_client.get(change_url(account)), 'name="version" value="1"')
    services.change_account(
        account_id=account.pk,
        source=ChangeSource(channel=Channel.FORM, label="viewer", user_id=viewer.pk),
        values={"credit_limit": "2000"},
    )
    mine = {"email": "ana@example.com", "credit_limit": "1500", "tolerance": "0.05", "version": 1}
    response = manager_client.post(change_url(account), mine)
    assertContains(response, "The account was not saved.")
    message = response.context["form"].non_field_errors()[0]
    assert message.startswith("Changed by viewer on ")
    assert "through Web form since you last saw it: nothing was saved" in message
    assert message.endswith("Credit limit is now 2,000.00 (yours: 1,500.00).")
    account.refresh_from_db()
    assert account.credit_limit == Decimal("2000.00")
    # The page now shows the newer values: saving again is a deliberate choice, and works.
    assertContains(response, 'name="version" value="2"')
    manager_client.post(change_url(account), {**mine, "version": 2})
    account.refresh_from_db()
    assert (account.credit_limit, account.version) == (Decimal("1500.00"), 3)


def test_closing_from_a_page_opened_before_a_change_is_refused(manager_client, viewer):
    from accounts import services
    from accounts.history import ChangeSource

    account = AccountFactory(email="ana@example.com", credit_limit=1000)
    assertContains(manager_client.get(close_url(account)), 'name="version" value="1"')
    services.change_account(
        account_id=account.pk,
        source=ChangeSource(channel=Channel.FORM, label="viewer", user_id=viewer.pk),
        values={"credit_limit": "5000"},
    )
    response = manager_client.post(close_url(account), {"version": 1})
    assertContains(response, "Changed by viewer on ")
    assertContains(response, "since you last saw it: nothing was saved")
    account.refresh_from_db()
    assert account.status == "Open"
