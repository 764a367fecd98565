"""Money under concurrent calls: the account row is locked for every ledger write, so
racing requests are decided one after the other. Needs PostgreSQL (SQLite serializes every
write anyway, so there is no race to lose there)."""

import json
import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from accounts.services import create_api_key
from ledger import services
from ledger.models import Movement, PreAuthorization
from tests.api.conftest import ALL_SCOPES, API, key_headers
from tests.factories import AccountFactory

from .conftest import SOURCE

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locking needs PostgreSQL"),
    # Threads need committed data. No serialized_rollback: nothing here needs the staff
    # groups, and restoring them fails once an earlier live-server test's flush has had
    # post_migrate recreate the content types (duplicate key).
    pytest.mark.django_db(transaction=True),
]


def race(count: int, method: str, path: str, body=None, headers=None) -> list:
    """`count` clients send the same request at the same moment; their responses."""
    api_key, token = create_api_key(name="Checkout", scopes=ALL_SCOPES)
    all_headers = {**key_headers(api_key, token), **(headers or {})}
    start = threading.Barrier(count)
    responses = []

    def call() -> None:
        try:
            client = Client()
            start.wait()
            responses.append(
                client.generic(
                    method,
                    f"{API}{path}",
                    data=json.dumps(body) if body is not None else "",
                    content_type="application/json",
                    headers=all_headers,
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=call) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def test_50_concurrent_pre_authorizations_of_100_on_1000_available_succeed_exactly_10_times():
    account = AccountFactory(credit_limit=Decimal("1000.00"), tolerance=Decimal("0"))

    responses = race(50, "POST", f"/accounts/{account.pk}/transactions", {"value": 100})

    assert Counter(response.status_code for response in responses) == {200: 10, 409: 40}
    refused = {response.json()["code"] for response in responses if response.status_code == 409}
    assert refused == {"insufficient_credit"}
    account.refresh_from_db()
    assert (account.pre_authorized_credit, account.available_credit) == (
        Decimal("1000.00"),
        Decimal("0.00"),
    )
    assert PreAuthorization.objects.filter(account=account).count() == 10
    holds = list(account.movements.order_by("id").values_list("before", "after"))
    assert holds == [(Decimal(100 * n), Decimal(100 * (n + 1))) for n in range(10)]


def test_concurrent_refunds_never_exceed_what_was_settled():
    account = AccountFactory(credit_limit=Decimal("1000.00"), tolerance=Decimal("0"))
    hold = services.pre_authorize(account_id=account.pk, value=300, installments=3, source=SOURCE)
    services.settle_pre_authorization(
        account_id=account.pk, transaction_id=hold.pk, value=300, source=SOURCE
    )

    responses = race(
        20, "POST", f"/accounts/{account.pk}/transactions/{hold.pk}/refunds", {"value": 50}
    )

    assert Counter(response.status_code for response in responses) == {200: 6, 409: 14}
    hold.refresh_from_db()
    account.refresh_from_db()
    assert (hold.refunded_value, account.balance) == (Decimal("300.00"), Decimal("0.00"))
    assert set(hold.invoices.values_list("status", flat=True)) == {"Cancelled"}


def test_a_paid_invoice_is_not_paid_twice_by_concurrent_calls():
    account = AccountFactory(credit_limit=Decimal("1000.00"), tolerance=Decimal("0"))
    hold = services.pre_authorize(account_id=account.pk, value=200, installments=2, source=SOURCE)
    services.settle_pre_authorization(
        account_id=account.pk, transaction_id=hold.pk, value=200, source=SOURCE
    )

    responses = race(10, "POST", f"/accounts/{account.pk}/invoices/{hold.pk}-01/payments")

    assert [response.status_code for response in responses] == [200] * 10
    assert {response.json()["status"] for response in responses} == {"Paid"}
    account.refresh_from_db()
    assert account.balance == Decimal("-100.00")
    assert account.movements.filter(kind=Movement.Kind.PAYMENT).count() == 1


def test_concurrent_retries_with_one_idempotency_key_make_one_pre_authorization():
    account = AccountFactory(credit_limit=Decimal("1000.00"), tolerance=Decimal("0"))

    responses = race(
        10,
        "POST",
        f"/accounts/{account.pk}/transactions",
        {"value": 100},
        headers={"Idempotency-Key": "order-1375060513100"},
    )

    assert [response.status_code for response in responses] == [200] * 10
    assert len({response.json()["id"] for response in responses}) == 1
    assert sum(response.headers.get("Idempotent-Replayed") == "true" for response in responses) == 9
    account.refresh_from_db()
    assert account.pre_authorized_credit == Decimal("100.00")
