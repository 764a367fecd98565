"""Concurrent API calls changing one account lose no update (the row is locked while it
changes). Needs PostgreSQL: SQLite serializes every write anyway."""

import json
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from accounts.models import Account
from accounts.services import create_api_key
from tests.api.conftest import ALL_SCOPES, API, key_headers
from tests.factories import AccountFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locking needs PostgreSQL"),
    # Threads need committed data; serialized_rollback puts back the staff groups the
    # data migration created, which the flush after a transactional test would remove.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 16


def test_concurrent_limit_and_tolerance_changes_keep_every_update():
    account = AccountFactory(credit_limit=Decimal("100"), tolerance=Decimal("0"))
    api_key, token = create_api_key(name="Load", scopes=ALL_SCOPES)
    headers = key_headers(api_key, token)
    # Half the threads change the limit, half the tolerance, each to a value of its own.
    requests = [
        ("creditlimit", 1000 + number) if number % 2 else ("tolerance", number / 100)
        for number in range(1, THREADS + 1)
    ]
    start = threading.Barrier(THREADS)
    statuses: list[int] = []

    def call(path: str, value) -> None:
        try:
            client = Client()
            start.wait()
            response = client.put(
                f"{API}/accounts/{account.pk}/{path}",
                json.dumps({"value": value}),
                content_type="application/json",
                headers=headers,
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=call, args=request) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200] * THREADS
    account.refresh_from_db()
    assert account.version == 1 + THREADS
    assert account.credit_limit != Decimal("100.00")
    assert account.tolerance != Decimal("0")
    # Each history row differs from the one before in exactly the field its request changed:
    # a lost update would show up as a row that also puts back the other field's old value.
    rows = list(account.history.order_by("history_id").values("credit_limit", "tolerance"))
    assert len(rows) == 1 + THREADS
    for before, after in zip(rows, rows[1:], strict=False):
        changed = [
            field for field in ("credit_limit", "tolerance") if before[field] != after[field]
        ]
        assert len(changed) == 1, (before, after)
    assert {row["credit_limit"] for row in rows[1:]} | {Decimal("100.00")} >= {
        Decimal(1000 + number) for number in range(1, THREADS + 1, 2)
    }
    assert Account.objects.count() == 1
