"""A whole order through the Customer Credit API, as a client written only from VTEX's
OpenAPI description would run it, against any server (this one or VTEX's).

open an account → pre-authorize → settle in 3 installments → pay one invoice → postpone
another → refund part → statements, checking the account's balances after each step.

    python -m bench.order_lifecycle --base-url http://127.0.0.1:8103 \\
        --app-key "$AppKey" --app-token "$AppToken"

It needs a key with every scope. The store configuration is changed to allow postponing
(the spec's precondition) and put back at the end. Exit status 0 when every check held.
"""

import argparse
import os
import random
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import requests

API = "/api/creditcontrol"


class CheckFailed(AssertionError):
    pass


def cpf(rng: random.Random) -> str:
    """A valid CPF: two check digits, weights 10..2 then 11..2, remainder < 2 → 0."""
    digits = [rng.randrange(10) for _ in range(9)]
    while len(set(digits)) == 1:
        digits = [rng.randrange(10) for _ in range(9)]
    for weights_from in (10, 11):
        total = sum(d * w for d, w in zip(digits, range(weights_from, 1, -1), strict=False))
        remainder = total % 11
        digits.append(0 if remainder < 2 else 11 - remainder)
    return "".join(map(str, digits))


def when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass
class Client:
    base_url: str
    app_key: str
    app_token: str
    timeout: float = 30

    def call(self, method: str, path: str, body=None, **query) -> dict | None:
        response = requests.request(
            method,
            f"{self.base_url.rstrip('/')}{API}{path}",
            json=body,
            params=query or None,
            headers={
                "X-VTEX-API-AppKey": self.app_key,
                "X-VTEX-API-AppToken": self.app_token,
                "Accept": "application/json",
                "Content-Type": "application/json",
            },
            timeout=self.timeout,
        )
        if response.status_code != 200:
            raise CheckFailed(f"{method} {path} → {response.status_code}: {response.text[:500]}")
        return response.json() if response.content else None


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def check(label: str, actual, expected) -> None:
    if actual != expected:
        raise CheckFailed(f"{label}: expected {expected}, got {actual}")


def run(client: Client, out=sys.stdout, seed: int | None = None) -> dict:
    """Run the order; returns the final account. Raises CheckFailed at the first surprise."""
    rng = random.Random(seed)
    document = cpf(rng)

    def balances(step: str, balance, pre_authorized, available) -> dict:
        account = client.call("GET", f"/accounts/{account_id}")
        figures = (
            money(account["balance"]),
            money(account["preAuthorizedCredit"]),
            money(account["availableCredit"]),
        )
        print(
            f"{step:<28} balance {figures[0]:>9}  pre-authorized {figures[1]:>8}  "
            f"available {figures[2]:>9}",
            file=out,
        )
        check(
            f"{step}: balance, preAuthorizedCredit, availableCredit",
            figures,
            (money(balance), money(pre_authorized), money(available)),
        )
        return account

    opened = client.call(
        "POST",
        "/accounts",
        {
            "document": document,
            "documentType": "CPF",
            "email": f"order-{document}@example.com",
            "creditLimit": "1000",
            "tolerance": "0",
        },
    )
    account_id = opened["id"]
    check("new account status", opened["status"], "Open")
    balances("open account", 0, 0, 1000)

    held = client.call(
        "POST",
        f"/accounts/{account_id}/transactions",
        {"value": 300, "settle": True, "installments": 3},
    )
    transaction_id = held["id"]
    balances("pre-authorize 300", 0, 300, 700)

    settled = client.call(
        "PUT", f"/accounts/{account_id}/transactions/{transaction_id}/settlement", {"value": 300}
    )
    check("settled value", money(settled["value"]), money(300))
    balances("settle in 3 installments", -300, 0, 700)
    invoices = client.call("GET", f"/accounts/{account_id}/invoices")["data"]
    invoices.sort(key=lambda invoice: invoice["installment"])
    check("invoice values", [money(i["value"]) for i in invoices], [money(100)] * 3)
    first_due = when(invoices[0]["dueDate"])
    check(
        "due every 30 days",
        [when(i["dueDate"]) - first_due for i in invoices],
        [timedelta(0), timedelta(days=30), timedelta(days=60)],
    )

    paid = client.call("POST", f"/accounts/{account_id}/invoices/{invoices[0]['id']}/payments")
    check("paid invoice status", paid["status"], "Paid")
    balances("pay installment 1", -200, 0, 800)

    store_config = client.call("GET", "/storeconfig")
    try:
        client.call(
            "PUT",
            "/storeconfig",
            {
                **store_config,
                "postponementEnabled": True,
                "invoicePostponementLimit": max(store_config["invoicePostponementLimit"], 1),
                "maxPostponementDays": max(store_config["maxPostponementDays"], 10),
            },
        )
        second = invoices[1]
        client.call(
            "PUT", f"/accounts/{account_id}/invoices/{second['id']}/postponement", {"dueDays": 10}
        )
    finally:
        client.call("PUT", "/storeconfig", store_config)
    postponed = client.call("GET", f"/accounts/{account_id}/invoices/{second['id']}")
    check(
        "postponed due date",
        when(postponed["dueDate"]) - when(postponed["originalDueDate"]),
        timedelta(days=10),
    )
    balances("postpone installment 2", -200, 0, 800)

    refunded = client.call(
        "POST", f"/accounts/{account_id}/transactions/{transaction_id}/refunds", {"value": 50}
    )
    check("refunded value", money(refunded["value"]), money(50))
    account = balances("refund 50", -150, 0, 850)

    statements = client.call("GET", f"/accounts/{account_id}/statements")
    lines = [(s["origin"], money(s["value"])) for s in statements["statements"]]
    check(
        "statements",
        lines,
        [("Invoice", money(-300)), ("Payment", money(100)), ("Invoice", money(50))],
    )
    check("statement balance", money(statements["currentBalance"]), money(-150))
    print(f"{'statements':<28} " + ", ".join(f"{o} {v}" for o, v in lines), file=out)
    print(f"order complete on account {account_id}", file=out)
    return account


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    # The names `make run` prints (export AppKey=… AppToken=…).
    parser.add_argument("--app-key", default=os.environ.get("AppKey", ""))  # noqa: SIM112
    parser.add_argument("--app-token", default=os.environ.get("AppToken", ""))  # noqa: SIM112
    parser.add_argument("--seed", type=int, default=None)
    arguments = parser.parse_args()
    client = Client(arguments.base_url, arguments.app_key, arguments.app_token)
    try:
        run(client, seed=arguments.seed)
    except CheckFailed as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
