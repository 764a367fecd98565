"""Replays of the request/response shapes in DOMAIN.md's API section (VTEX's Customer Credit
API): an integration written for VTEX must find the same keys, types and codes here."""

import re

import pytest

from tests.factories import valid_cpf

pytestmark = pytest.mark.django_db

# VTEX's Account, keys in VTEX's order.
ACCOUNT_KEYS = [
    "id",
    "balance",
    "document",
    "status",
    "documentType",
    "creditLimit",
    "updatedAt",
    "createdAt",
    "description",
    "availableCredit",
    "preAuthorizedCredit",
    "email",
    "tolerance",
    "availableBalance",
]
NUMBER_KEYS = [
    "balance",
    "creditLimit",
    "availableCredit",
    "preAuthorizedCredit",
    "tolerance",
    "availableBalance",
]
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def assert_vtex_account(body: dict) -> None:
    assert list(body) == ACCOUNT_KEYS
    for key in NUMBER_KEYS:
        assert isinstance(body[key], int | float) and not isinstance(body[key], bool), key
    assert body["status"] in {"Open", "Closed"}
    assert body["documentType"] in {"CPF", "CNPJ", "Other"}
    assert body["description"] == ""
    assert ISO_UTC.match(body["createdAt"]) and ISO_UTC.match(body["updatedAt"])


def test_vtex_guide_walkthrough_open_read_change_search_holders_close(api):
    # POST /accounts with VTEX's request body (numbers as strings, as in VTEX's guide).
    cpf = valid_cpf(555)
    opened = api(
        "POST",
        "/accounts",
        {
            "document": cpf,
            "documentType": "CPF",
            "email": "customer@test.com",
            "creditLimit": "3000",
            "tolerance": "0.05",
        },
    )
    assert opened.status_code == 200
    account = opened.json()
    assert_vtex_account(account)
    assert account["id"] == f"{cpf}_CPF"
    assert (account["status"], account["creditLimit"], account["tolerance"]) == ("Open", 3000, 0.05)
    assert account["availableCredit"] == account["availableBalance"] == 3000
    account_id = account["id"]

    assert_vtex_account(api("GET", f"/accounts/{account_id}").json())

    # PUT /accounts/{id} with VTEX's body.
    changed = api(
        "PUT",
        f"/accounts/{account_id}",
        {
            "email": "test1@test.com",
            "document": cpf,
            "documentType": "CPF",
            "creditLimit": 3400,
            "tolerance": 0.25,
        },
    ).json()
    assert_vtex_account(changed)
    assert (changed["email"], changed["creditLimit"], changed["tolerance"]) == (
        "test1@test.com",
        3400,
        0.25,
    )

    limit = api("PUT", f"/accounts/{account_id}/creditlimit", {"value": 5500}).json()
    assert_vtex_account(limit)
    assert limit["creditLimit"] == 5500
    tolerance = api("PUT", f"/accounts/{account_id}/tolerance", {"value": 0.3}).json()
    assert_vtex_account(tolerance)
    assert tolerance["tolerance"] == 0.3

    # GET /accounts?from=1&to=20&status=Open&email=…
    found = api("GET", "/accounts?from=1&to=20&status=Open&email=test1@test.com").json()
    assert list(found) == ["data", "summary"]
    assert found["summary"] == {"count": 1}
    assert_vtex_account(found["data"][0])

    # POST …/holders {claims:{email}} → {level, claims, id, createdAt}; DELETE → {id}.
    holder = api(
        "POST", f"/accounts/{account_id}/holders", {"claims": {"email": "holdertest@holder.com.br"}}
    ).json()
    assert list(holder) == ["level", "claims", "id", "createdAt"]
    assert holder["claims"] == {"email": "holdertest@holder.com.br"}
    assert api("DELETE", f"/accounts/{account_id}/holders/{holder['id']}").json() == {
        "id": holder["id"]
    }

    # DELETE /accounts/{id} with VTEX's optional body.
    closed = api(
        "DELETE",
        f"/accounts/{account_id}",
        {"document": cpf, "documentType": "CPF", "email": "test1@test.com"},
    ).json()
    assert_vtex_account(closed)
    assert closed["status"] == "Closed"


def test_vtex_1099_error_shape(api):
    body = {"document": valid_cpf(556), "documentType": "CPF", "email": "dup@test.com"}
    first = api("POST", "/accounts", body).json()
    error = api("POST", "/accounts", body).json()
    assert error["code"] == "1099"
    assert error["message"].startswith("The Credit Account is already open.")
    assert first["id"] in error["message"]


def test_every_error_has_code_and_message(api):
    for method, path, body in [
        ("GET", "/accounts/missing", None),
        ("PUT", "/accounts/missing/creditlimit", {"value": 1}),
        ("POST", "/accounts", {"email": 3}),
        ("PATCH", "/accounts", {}),
    ]:
        error = api(method, path, body).json()
        assert isinstance(error["code"], str) and error["code"]
        assert isinstance(error["message"], str) and error["message"]
