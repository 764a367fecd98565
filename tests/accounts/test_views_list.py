"""The Accounts list: what each column shows, search, filters, sort and pagination."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from accounts import pagination
from accounts.models import Account, StoreSettings
from tests.factories import AccountFactory

LIST_URL = reverse("accounts:list")


def listed_emails(response) -> list[str]:
    return [account.email for account in response.context["object_list"]]


@pytest.fixture
def three_accounts(db):
    """Opened one day apart, oldest first: ana (CPF), bia (CNPJ), caio (closed CPF)."""
    now = timezone.now()
    accounts = [
        AccountFactory(email="ana@example.com", document="52998224725", credit_limit=500),
        AccountFactory(
            email="bia@loja.com.br",
            cnpj=True,
            document="11222333000181",
            credit_limit=Decimal("2500.50"),
            tolerance=Decimal("0.125"),
        ),
        AccountFactory(email="caio@example.com", credit_limit=1000, status="Closed"),
    ]
    for days_ago, account in zip([3, 2, 1], accounts, strict=True):
        Account.objects.filter(pk=account.pk).update(created_at=now - timedelta(days=days_ago))
    return accounts


def test_row_shows_masked_document_money_with_currency_tolerance_percent_and_date(
    viewer_client, three_accounts
):
    bia = three_accounts[1]
    Account.objects.filter(pk=bia.pk).update(
        balance=Decimal("-100"), pre_authorized_credit=Decimal("50")
    )
    response = viewer_client.get(LIST_URL)
    assertContains(response, "11.222.333/0001-81")
    assertContains(response, "529.982.247-25")
    assertContains(response, "R$\u00a02,500.50")  # credit limit
    assertContains(response, "12.5%")  # tolerance
    assertContains(response, "R$\u00a02,350.50")  # available = 2500.50 - 100 - 50
    assertContains(response, '<span class="badge text-bg-secondary status-badge">Closed</span>')
    created = timezone.localtime(Account.objects.get(pk=bia.pk).created_at)
    assertContains(response, f"{created.day} {created:%b %Y}")  # 2 Dec 2026: never month first
    assertContains(response, f'href="/accounts/{bia.pk}/"')


def test_money_uses_the_store_currency(viewer_client, three_accounts):
    StoreSettings.objects.update_or_create(pk=1, defaults={"currency_code": "EUR"})
    response = viewer_client.get(LIST_URL)
    assertContains(response, "€\u00a0500.00")
    assertNotContains(response, "R$")


def test_newest_account_comes_first_by_default(viewer_client, three_accounts):
    response = viewer_client.get(LIST_URL)
    assert listed_emails(response) == ["caio@example.com", "bia@loja.com.br", "ana@example.com"]
    assertContains(response, "3 accounts")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ana@example.com", ["ana@example.com"]),
        ("  ANA@Example.com ", ["ana@example.com"]),
        ("529.982.247-25", ["ana@example.com"]),
        ("52998224725", ["ana@example.com"]),
        ("11.222.333/0001-81", ["bia@loja.com.br"]),
        ("11222333000181", ["bia@loja.com.br"]),
        ("nobody@example.com", []),
    ],
)
def test_search_finds_by_email_or_document_with_or_without_punctuation(
    viewer_client, three_accounts, query, expected
):
    response = viewer_client.get(LIST_URL, {"q": query})
    assert listed_emails(response) == expected


def test_search_finds_by_id_and_keeps_the_query_in_the_box(viewer_client, three_accounts):
    caio = three_accounts[2]
    response = viewer_client.get(LIST_URL, {"q": caio.pk})
    assert listed_emails(response) == ["caio@example.com"]
    assertContains(response, f'value="{caio.pk}"')
    assertContains(response, "1 account")


def test_search_finds_other_documents_as_typed(viewer_client, db):
    AccountFactory(email="tourist@example.com", document_type="Other", document="AB-123.456")
    response = viewer_client.get(LIST_URL, {"q": "AB-123.456"})
    assert listed_emails(response) == ["tourist@example.com"]


def test_search_without_match_says_so_and_offers_to_clear(viewer_client, three_accounts):
    response = viewer_client.get(LIST_URL, {"q": "zzz"})
    assertContains(response, "No account matches this search")
    assertContains(response, "Clear filters")


def test_empty_store_invites_a_manager_to_open_the_first_account(client, manager, viewer):
    client.force_login(manager)
    assertContains(client.get(LIST_URL), "Open the first account")
    client.force_login(viewer)
    response = client.get(LIST_URL)
    assertContains(response, "No accounts yet")
    assertNotContains(response, "Open the first account")


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"status": "Open"}, ["bia@loja.com.br", "ana@example.com"]),
        ({"status": "Closed"}, ["caio@example.com"]),
        ({"document_type": "CNPJ"}, ["bia@loja.com.br"]),
        ({"document_type": "CPF", "status": "Open"}, ["ana@example.com"]),
        (
            {"status": "bogus", "document_type": "bogus"},
            ["caio@example.com", "bia@loja.com.br", "ana@example.com"],
        ),
    ],
)
def test_filters_by_status_and_document_type(viewer_client, three_accounts, filters, expected):
    assert listed_emails(viewer_client.get(LIST_URL, filters)) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("email", ["ana@example.com", "bia@loja.com.br", "caio@example.com"]),
        ("-email", ["caio@example.com", "bia@loja.com.br", "ana@example.com"]),
        ("credit_limit", ["ana@example.com", "caio@example.com", "bia@loja.com.br"]),
        ("-credit_limit", ["bia@loja.com.br", "caio@example.com", "ana@example.com"]),
        ("-tolerance", ["bia@loja.com.br", "caio@example.com", "ana@example.com"]),
        ("status", ["caio@example.com", "bia@loja.com.br", "ana@example.com"]),
        ("-status", ["bia@loja.com.br", "ana@example.com", "caio@example.com"]),
        ("document", ["caio@example.com", "bia@loja.com.br", "ana@example.com"]),
        ("created", ["ana@example.com", "bia@loja.com.br", "caio@example.com"]),
        ("nonsense", ["caio@example.com", "bia@loja.com.br", "ana@example.com"]),
    ],
)
def test_columns_sort_both_ways(viewer_client, three_accounts, sort, expected):
    assert listed_emails(viewer_client.get(LIST_URL, {"sort": sort})) == expected


def test_sort_link_toggles_direction_and_keeps_filters(viewer_client, three_accounts):
    response = viewer_client.get(LIST_URL, {"status": "Open", "sort": "email", "page": "1"})
    assertContains(response, 'href="?status=Open&amp;sort=-email"')
    assertContains(response, 'href="?status=Open&amp;sort=credit_limit"')


def test_pages_of_25_with_total_count_and_links_that_keep_the_filters(viewer_client, db):
    AccountFactory.create_batch(30, status="Open")
    AccountFactory(status="Closed")
    first = viewer_client.get(LIST_URL, {"status": "Open"})
    assert len(first.context["object_list"]) == 25
    assertContains(first, "Showing 1–25 of 30 accounts")
    assertContains(first, 'href="?status=Open&amp;page=2"')
    second = viewer_client.get(LIST_URL, {"status": "Open", "page": "2"})
    assert len(second.context["object_list"]) == 5
    assertContains(second, "Showing 26–30 of 30 accounts")
    first_page = set(first.context["object_list"])
    assert first_page.isdisjoint(second.context["object_list"])


@pytest.mark.parametrize("page", ["abc", "999", "-1", ""])
def test_bad_page_numbers_show_a_page_instead_of_an_error(viewer_client, db, page):
    AccountFactory.create_batch(3)
    response = viewer_client.get(LIST_URL, {"page": page})
    assert response.status_code == 200
    assert len(response.context["object_list"]) == 3


def test_query_count_per_page_does_not_grow_with_accounts(
    viewer_client, db, django_assert_max_num_queries
):
    AccountFactory.create_batch(60)
    viewer_client.get(LIST_URL)  # warm the store settings row and the session
    # session, user, permissions (2), store settings, count, page rows
    with django_assert_max_num_queries(8):
        response = viewer_client.get(LIST_URL, {"q": "", "sort": "-credit_limit", "page": "2"})
    assert len(response.context["object_list"]) == 25
    with django_assert_max_num_queries(8):
        viewer_client.get(LIST_URL, {"status": "Open", "page": "3"})


def test_unfiltered_count_of_a_huge_table_is_an_estimate(viewer_client, db, monkeypatch):
    """On PostgreSQL the planner's estimate replaces COUNT(*) for the whole table."""
    AccountFactory.create_batch(2)
    monkeypatch.setattr(pagination.selectors, "estimated_account_count", lambda: 1_234_567)
    response = viewer_client.get(LIST_URL)
    assertContains(response, "Showing 1–2 of about 1,234,567 accounts")
    assertNotContains(response, 'rel="next"')  # the rows, not the estimate, say it is the end
    filtered = viewer_client.get(LIST_URL, {"status": "Open"})
    assertContains(filtered, "2 accounts")
    assertNotContains(filtered, "about")


def test_a_filter_that_keeps_most_of_a_huge_table_shows_an_estimate(
    viewer_client, db, monkeypatch, django_assert_max_num_queries
):
    """Counting every open account of a million reads the whole index: past ESTIMATE_FROM
    (a count that stops there) the planner's estimate is shown instead; a search is exact."""
    AccountFactory.create_batch(4)
    monkeypatch.setattr(pagination, "ESTIMATE_FROM", 3)
    monkeypatch.setattr(pagination.selectors, "estimated_row_count", lambda accounts: 950_123)
    viewer_client.get(LIST_URL)
    with django_assert_max_num_queries(8):
        response = viewer_client.get(LIST_URL, {"status": "Open"})
    assertContains(response, "Showing 1–4 of about 950,123 accounts")
    assertNotContains(response, 'rel="next"')
    searched = viewer_client.get(LIST_URL, {"q": response.context["object_list"][0].email})
    assertContains(searched, "1 account")
    assertNotContains(searched, "about")


def test_without_a_planner_estimate_a_large_filtered_list_is_counted_exactly(
    viewer_client, db, monkeypatch
):
    AccountFactory.create_batch(4)
    monkeypatch.setattr(pagination, "ESTIMATE_FROM", 3)
    monkeypatch.setattr(pagination.selectors, "estimated_row_count", lambda accounts: None)
    response = viewer_client.get(LIST_URL, {"status": "Open"})
    assertContains(response, "Showing 1–4 of 4 accounts")


def test_small_table_is_counted_exactly_even_with_an_estimate(viewer_client, db, monkeypatch):
    AccountFactory.create_batch(2)
    monkeypatch.setattr(pagination.selectors, "estimated_account_count", lambda: 1_500)
    assertContains(viewer_client.get(LIST_URL), "2 accounts")


def test_garbage_in_the_address_is_answered_not_a_server_error(client, manager, three_accounts):
    """A NUL byte cannot be compared by PostgreSQL; pasted junk must not become a 500."""
    client.force_login(manager)
    garbage = {"q": "ana@example.com\x00", "status": "\x00", "document_type": "\x00"}
    response = client.get(LIST_URL, {**garbage, "sort": "\x00", "page": "\x00"})
    assert response.status_code == 200
    assert listed_emails(response) == ["ana@example.com"]
    for url in ["/accounts/a%00b/", "/accounts/a%00b/change/", "/accounts/a%00b/close/"]:
        assert client.get(url).status_code == 404
