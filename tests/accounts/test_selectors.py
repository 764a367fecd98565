"""Account reads: the search stays on indexes, so it is fast with a million accounts."""

from decimal import Decimal

import pytest
from django.db import connection

from accounts import selectors
from accounts.models import Account
from tests.factories import AccountFactory, valid_cpf

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="EXPLAIN plans and pg_class estimates are PostgreSQL's",
)


def plan_of(queryset) -> str:
    with connection.cursor() as cursor:
        # Without this, a planner facing a small test table rightly prefers a sequential
        # scan; with it, a sequential scan is only chosen when no index can answer.
        cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


@pytest.fixture
def accounts(db):
    return [AccountFactory(), AccountFactory(cnpj=True), AccountFactory()]


@pytest.fixture
def many_accounts(accounts):
    """Enough rows, with fresh statistics, for the planner to weigh indexes as in production."""
    Account.objects.bulk_create(
        Account(
            email=f"bulk{number}@example.com",
            document=valid_cpf(200_000_000 + number),
            status="Closed" if number % 10 == 0 else "Open",
        )
        for number in range(5_000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE accounts_account")
    return accounts


@postgres_only
@pytest.mark.postgres
@pytest.mark.parametrize(
    ("description", "query"),
    [
        ("e-mail", "Customer1@Example.com"),
        ("CPF with mask", "529.982.247-25"),
        ("CNPJ without mask", "11222333000181"),
        ("id", "9b2f0d1e-5c55-4a4e-9d57-7b3a9c0f2a11"),
    ],
)
@pytest.mark.parametrize("status", ["", "Open"])
def test_search_by_each_key_uses_indexes_not_a_table_scan(
    many_accounts, description, query, status
):
    """Each branch of the OR is looked up in its own index (a BitmapOr), none is scanned."""
    plan = plan_of(selectors.search_accounts(query=query, status=status)[:25])
    assert "Seq Scan" not in plan, f"{description} search scans the table:\n{plan}"
    index_conditions = [line for line in plan.splitlines() if "Index Cond" in line]
    for column in ["id", "email", "document"]:
        assert any(f"({column})::text = " in line for line in index_conditions), (
            f"{description} search does not look {column} up in an index:\n{plan}"
        )


@postgres_only
@pytest.mark.postgres
def test_first_page_of_the_unfiltered_list_reads_the_created_index(many_accounts):
    plan = plan_of(selectors.search_accounts()[:25])
    assert "Seq Scan" not in plan, plan
    assert "created_at" in plan and "Index" in plan, plan


@postgres_only
@pytest.mark.postgres
def test_estimated_count_comes_from_the_planner_statistics(many_accounts):
    assert selectors.estimated_account_count() == 5_003


@postgres_only
@pytest.mark.postgres
def test_estimated_count_of_a_filtered_list_comes_from_its_query_plan(many_accounts):
    """4,500 of the 5,000 bulk accounts are open, plus the three of the fixture."""
    open_accounts = selectors.search_accounts(status="Open")
    assert 4_000 < selectors.estimated_row_count(open_accounts) < 5_100
    closed = selectors.estimated_row_count(selectors.search_accounts(status="Closed"))
    assert 400 < closed < 600


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite behaviour")
def test_there_is_no_estimate_on_sqlite_so_the_count_is_exact(accounts):
    assert selectors.estimated_account_count() is None
    assert selectors.estimated_row_count(selectors.search_accounts(status="Open")) is None


def test_account_history_lists_opening_values_then_changes_newest_first(accounts):
    from accounts import services
    from accounts.history import ChangeSource, Channel

    account = accounts[0]
    source = ChangeSource(channel=Channel.API, label="erp-key")
    services.change_account(account_id=account.pk, source=source, values={"credit_limit": "42"})
    history = selectors.account_history(account=account)
    assert [entry.is_creation for entry in history] == [False, True]
    assert [(c.field, str(c.new)) for c in history[0].changes] == [("credit_limit", "42.00")]
    assert history[0].record.history_channel == "api"
    assert history[0].record.history_source == "erp-key"
    assert [c.field for c in history[1].changes] == [
        "document_type",
        "document",
        "email",
        "credit_limit",
        "tolerance",
        "status",
    ]


def test_stored_accounts_read_in_bulk_equal_what_the_orm_reads(db):
    """The import's batch read skips the ORM's converters: same values, same decimal places."""
    limits = ["0", "1500.5", "0.01", "999999999999.99", "123456.78"]
    tolerances = ["0", "0.05", "0.1234", "1", "0.2"]
    accounts = [
        AccountFactory(credit_limit=Decimal(limit), tolerance=Decimal(tolerance))
        for limit, tolerance in zip(limits, tolerances, strict=True)
    ]
    ids = [account.pk for account in accounts]
    read = selectors.stored_accounts(ids)
    assert read == selectors.stored_accounts(ids, lock=True)  # the ORM's path
    assert [
        (str(read[pk].values.credit_limit), str(read[pk].values.tolerance)) for pk in ids
    ] == [
        ("0.00", "0.0000"),
        ("1500.50", "0.0500"),
        ("0.01", "0.1234"),
        ("999999999999.99", "1.0000"),
        ("123456.78", "0.2000"),
    ]
