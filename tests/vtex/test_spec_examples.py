"""Generated from VTEX's OpenAPI file: every operation, called with VTEX's own example request
(path ids, query, body), answers 200 and its body validates against VTEX's response schema.

The examples' ids are given an account, pre-authorizations, an invoice and a holder first, so
each call has something to act on. Where VTEX's example breaks a rule creditadmin keeps on
purpose (DOMAIN.md), the example is changed as little as possible and the original is checked
to be refused with a clear message.
"""

import json
from decimal import Decimal
from urllib.parse import urlencode

import pytest

from accounts.models import Holder, StoreSettings
from ledger import services
from tests.factories import AccountFactory, valid_cpf
from tests.ledger.conftest import SOURCE

from .spec import Operation, operations

ACCOUNT_ID = "01bce461-9g03-12ds-8217-b3d39271e15b"  # creditAccountId's example
SETTLED_TRANSACTION = "A424887D0F2D45028FE5C96E9B0E1A2D"  # invoiceId's example without "-01"
HELD_TRANSACTION = "B2E754DCD7304D22866CB6F221CF0FEB"  # transactionId's example
HOLDER_ID = "524bc947d2b37a1a759ba3d174b58f9b"  # holderId's example
OTHER_CPF = valid_cpf(318_447_005)

# VTEX's example → the smallest change that makes it acceptable here, and why.
CHANGED_EXAMPLES = {
    "OpenanAccount": (
        {"document": OTHER_CPF},
        "11111111111 passes the CPF check digits but repeats one digit: refused (DOMAIN.md)",
    ),
    "Updateemailanddescriptionofaaccount": (
        {"document": OTHER_CPF},
        "111111111111 has 12 digits: it is no CPF",
    ),
}
@pytest.fixture
def examples_state(db):
    StoreSettings.objects.update_or_create(
        pk=1,
        defaults={
            "postponement_enabled": True,
            "invoice_postponement_limit": 2,
            "max_postponement_days": 30,
            "max_pre_authorization_growth_rate": Decimal("0.2"),
        },
    )
    account = AccountFactory(
        pk=ACCOUNT_ID, credit_limit=Decimal("5000.00"), tolerance=Decimal("0.3")
    )
    for transaction_id, value in [(SETTLED_TRANSACTION, "50.01"), (HELD_TRANSACTION, "49.95")]:
        services.pre_authorize(
            account_id=ACCOUNT_ID, transaction_id=transaction_id, value=value, source=SOURCE
        )
    services.settle_pre_authorization(
        account_id=ACCOUNT_ID, transaction_id=SETTLED_TRANSACTION, value="50.01", source=SOURCE
    )
    Holder.objects.create(pk=HOLDER_ID, account=account, email="holder@example.com")
    return account


def settle_the_held_transaction() -> None:
    services.settle_pre_authorization(
        account_id=ACCOUNT_ID, transaction_id=HELD_TRANSACTION, value="49.95", source=SOURCE
    )


# What an operation needs beyond the shared state.
PREPARE = {"PartialorTotalRefundaSettlement": settle_the_held_transaction}


def call(api, operation: Operation, body, query: dict):
    path = operation.example_path()
    if query:
        path += "?" + urlencode(query)
    return api.client.generic(
        operation.method,
        path,
        data="" if body is None else json.dumps(body),
        content_type="application/json",
        headers={**api.headers, "Accept": "application/json"},
    )


def schema_errors(operation: Operation, body) -> list[str]:
    validator = operation.response_validator()
    if validator is None:
        return []
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(body)
    ]


def operation_params() -> list:
    return [pytest.param(operation, id=operation.operation_id) for operation in operations()]


@pytest.mark.parametrize("operation", operation_params())
def test_vtex_example_request_is_accepted_and_answered_in_vtex_schema(
    operation, api, examples_state
):
    PREPARE.get(operation.operation_id, lambda: None)()
    body = operation.example_body()
    changes, _why = CHANGED_EXAMPLES.get(operation.operation_id, ({}, ""))
    if changes:
        body = {**body, **changes}

    response = call(api, operation, body, operation.parameters("query"))

    assert response.status_code == 200, response.content.decode()
    if operation.response_validator() is not None:
        assert schema_errors(operation, response.json()) == []


@pytest.mark.parametrize("operation_id", sorted(CHANGED_EXAMPLES))
def test_vtex_examples_with_invalid_documents_are_refused_clearly(
    operation_id, api, examples_state
):
    operation = next(op for op in operations() if op.operation_id == operation_id)

    response = call(api, operation, operation.example_body(), {})

    assert response.status_code == 400
    assert response.json()["fields"]["document"][0]["code"] in {
        "cpf_invalid_check_digits",
        "cpf_invalid_length",
    }


def test_search_results_with_data_validate_against_vtex_schemas(api, examples_state):
    services.pay_invoice(
        account_id=ACCOUNT_ID, invoice_id=f"{SETTLED_TRANSACTION}-01", source=SOURCE
    )
    services.decrease_balance(
        account_id=ACCOUNT_ID, statement_id="fee-1", value="-15", source=SOURCE
    )
    by_id = {operation.operation_id: operation for operation in operations()}
    for operation_id, query in [
        ("Searchallinvoices", {"creditAccountId": ACCOUNT_ID}),
        ("Accountstatements", {}),
        ("RetrieveaAccountbyId", {}),
    ]:
        response = call(api, by_id[operation_id], None, query)
        body = response.json()
        assert response.status_code == 200
        assert schema_errors(by_id[operation_id], body) == []
    assert [row["origin"] for row in body_of(api, by_id["Accountstatements"])["statements"]] == [
        "Invoice",
        "Payment",
        "Statement",
    ]


def body_of(api, operation: Operation) -> dict:
    return call(api, operation, None, {}).json()
