"""The database refuses what the rules refuse, for whatever writes around them (a raw SQL fix,
another program, a bug): unknown statuses and document types, NaN and out-of-range amounts.

Written as raw SQL on purpose: the ORM would not even send NaN. Runs on SQLite and on
PostgreSQL (DATABASE_URL), where numeric accepts 'NaN' and sorts it above every number.
"""

import pytest
from django.db import IntegrityError, connection, transaction

from accounts.models import Account, StoreSettings
from ledger import services
from ledger.models import Invoice, PreAuthorization
from tests.factories import AccountFactory
from tests.ledger.conftest import SOURCE

pytestmark = pytest.mark.django_db

REFUSED = [
    (Account, "status", "'Frozen'"),
    (Account, "status", "'open'"),
    (Account, "document_type", "'RG'"),
    (Account, "credit_limit", "'NaN'"),
    (Account, "credit_limit", "-0.01"),
    (Account, "tolerance", "'NaN'"),
    (Account, "balance", "'NaN'"),
    (Account, "pre_authorized_credit", "'NaN'"),
    (Account, "pre_authorized_credit", "-1"),
    (StoreSettings, "default_credit_limit", "'NaN'"),
    (PreAuthorization, "value", "'NaN'"),
    (PreAuthorization, "settled_value", "'NaN'"),
    (Invoice, "value", "'NaN'"),
]


def set_column(model, column: str, sql_value: str) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {connection.ops.quote_name(column)} = {sql_value}")  # noqa: S608


@pytest.fixture
def one_of_each(db):
    """An account, the store's settings, a settled pre-authorization and its invoice."""
    account = AccountFactory()
    StoreSettings.load()
    hold = services.pre_authorize(account_id=account.pk, value="10", source=SOURCE)
    services.settle_pre_authorization(
        account_id=account.pk, transaction_id=hold.pk, value="10", source=SOURCE
    )


@pytest.mark.parametrize(
    ("model", "column", "sql_value"),
    REFUSED,
    ids=[f"{model.__name__}.{column}={value}" for model, column, value in REFUSED],
)
def test_the_database_refuses_a_value_no_rule_allows(one_of_each, model, column, sql_value):
    with pytest.raises(IntegrityError), transaction.atomic():
        set_column(model, column, sql_value)


def test_the_database_keeps_every_value_the_rules_allow(one_of_each):
    for column, sql_value in [
        ("status", "'Closed'"),
        ("document_type", "'Other'"),
        ("credit_limit", "999999999999.99"),
        ("credit_limit", "0"),
        ("balance", "-999999999999.99"),
        ("tolerance", "1"),
    ]:
        set_column(Account, column, sql_value)
    account = Account.objects.get()
    assert (account.status, account.document_type, account.credit_limit) == ("Closed", "Other", 0)
