"""The order client written from VTEX's spec (bench/order_lifecycle.py) runs a whole order
against a live server: account, hold, 3 installments, payment, postponement, refund,
statements — balances checked at each step."""

import io

import pytest

from accounts.models import StoreSettings
from accounts.services import create_api_key
from bench.order_lifecycle import Client, run
from tests.api.conftest import ALL_SCOPES

# A live server needs committed data; no serialized_rollback (see tests/ledger/test_concurrency.py).
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_whole_order_runs_through_the_api_with_balances_right_at_each_step(live_server):
    api_key, token = create_api_key(name="Order client", scopes=ALL_SCOPES)
    out = io.StringIO()

    account = run(Client(live_server.url, api_key.app_key, token), out=out, seed=14)

    assert (account["balance"], account["availableCredit"]) == (-150, 850)
    assert out.getvalue().splitlines()[-1] == f"order complete on account {account['id']}"
    assert "refund 50                    balance   -150.00" in out.getvalue()
    assert StoreSettings.load().postponement_enabled is False  # put back as it was
