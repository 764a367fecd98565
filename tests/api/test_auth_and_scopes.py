"""Who may call what: API key headers, the logged-in session (with CSRF), and the scope matrix."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Account, ApiKey, ApiScope
from accounts.services import api_keys, create_api_key, revoke_api_key
from tests.api.conftest import ALL_SCOPES, API, key_headers
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

# (method, path, body, scope it needs); {id} is an open account's id.
ENDPOINTS = [
    ("GET", "/accounts", None, ApiScope.READ),
    ("GET", "/accounts/{id}", None, ApiScope.READ),
    ("POST", "/accounts", {"email": "new@example.com"}, ApiScope.WRITE),
    ("PUT", "/accounts/{id}", {"email": "changed@example.com"}, ApiScope.WRITE),
    ("PUT", "/accounts/{id}", {"creditLimit": 800}, ApiScope.CREDIT),
    ("PUT", "/accounts/{id}/creditlimit", {"value": 800}, ApiScope.CREDIT),
    ("PUT", "/accounts/{id}/tolerance", {"value": 0.1}, ApiScope.CREDIT),
    ("POST", "/accounts/{id}/holders", {"claims": {"email": "d@example.com"}}, ApiScope.WRITE),
    ("DELETE", "/accounts/{id}", None, ApiScope.WRITE),
]
SCOPE_LABELS = {
    ApiScope.READ: "Read accounts",
    ApiScope.WRITE: "Create and edit accounts",
    ApiScope.CREDIT: "Edit credit limits",
}


@pytest.mark.parametrize(("method", "path", "body", "scope"), ENDPOINTS)
def test_scope_matrix(make_api, method, path, body, scope):
    """A key with only the needed scope succeeds; a key with all the others gets 403."""
    others = [other for other in ApiScope.values if other != scope]
    account = AccountFactory()
    denied = make_api(others, name="without")(method, path.format(id=account.pk), body)
    assert denied.status_code == 403
    assert denied.json() == {
        "code": "forbidden",
        "message": f'Missing permission: {SCOPE_LABELS[scope]} (scope "{scope}").',
    }
    extra = [ApiScope.WRITE] if path == "/accounts/{id}" and method == "PUT" else []
    allowed = make_api([scope, *extra], name="with")(method, path.format(id=account.pk), body)
    assert allowed.status_code == 200, allowed.json()


def test_a_write_key_cannot_close_an_account_and_open_it_again_with_more_credit(make_api):
    """The attack of issue 10: close, then open the same customer with the largest limit."""
    account = AccountFactory(credit_limit=Decimal("50"), email="ana@example.com")
    write_only = make_api([ApiScope.READ, ApiScope.WRITE])
    assert write_only("DELETE", f"/accounts/{account.pk}").status_code == 200
    reopen = {"email": "ana@example.com", "document": account.document, "documentType": "CPF"}

    with_limit = write_only(
        "POST", "/accounts", {**reopen, "creditLimit": "999999999999.99", "tolerance": "1"}
    )
    assert with_limit.status_code == 403
    assert with_limit.json()["message"] == (
        'Missing permission: Edit credit limits (scope "credit").'
    )
    without_limit = write_only("PUT", "/accounts/erp-9", reopen)
    assert without_limit.status_code == 403
    assert without_limit.json()["message"] == (
        f'Missing permission: Edit credit limits (scope "credit"): account {account.pk} of '
        "this customer is closed, and opening a new one gives credit back."
    )
    assert list(Account.objects.values_list("pk", "status")) == [(account.pk, "Closed")]

    reopened = make_api(ALL_SCOPES)("POST", "/accounts", {**reopen, "creditLimit": "80"})
    assert (reopened.status_code, reopened.json()["creditLimit"]) == (200, 80)


def test_no_credentials_is_a_401_with_the_header_names(client):
    response = client.get(f"{API}/accounts")
    assert response.status_code == 401
    assert response.json() == {
        "code": "unauthorized",
        "message": "Authentication required: send the X-VTEX-API-AppKey and X-VTEX-API-AppToken "
        "headers (or call from a logged-in session).",
    }
    assert response.headers["WWW-Authenticate"].startswith("X-VTEX-API-AppKey")


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        (
            {"X-VTEX-API-AppKey": "creditadmin-x"},
            "Send both X-VTEX-API-AppKey and X-VTEX-API-AppToken.",
        ),
        (
            {"X-VTEX-API-AppKey": "unknown", "X-VTEX-API-AppToken": "t"},
            "Invalid AppKey or AppToken.",
        ),
        (
            {"X-VTEX-API-AppKey": "k" * 5000, "X-VTEX-API-AppToken": "t" * 5000},
            "Invalid AppKey or AppToken.",
        ),
    ],
)
def test_incomplete_or_unknown_credentials_are_a_401(client, db, headers, message):
    response = client.get(f"{API}/accounts", headers=headers)
    assert response.status_code == 401
    assert response.json() == {"code": "unauthorized", "message": message}


def test_a_wrong_token_for_a_real_key_is_a_401(client, db):
    api_key, token = create_api_key(name="ERP", scopes=["read"])
    response = client.get(
        f"{API}/accounts",
        headers=key_headers(api_key, token[:-1] + ("A" if token[-1] != "A" else "B")),
    )
    assert response.status_code == 401
    assert response.json()["message"] == "Invalid AppKey or AppToken."


def test_a_revoked_key_stops_working(client, db):
    api_key, token = create_api_key(name="ERP", scopes=["read"])
    assert client.get(f"{API}/accounts", headers=key_headers(api_key, token)).status_code == 200
    revoke_api_key(api_key_id=api_key.pk)
    response = client.get(f"{API}/accounts", headers=key_headers(api_key, token))
    assert response.status_code == 401
    assert response.json()["message"] == "This API key has been revoked."


def test_the_token_is_stored_only_as_an_hmac_digest_and_last_use_is_recorded(client, db):
    api_key, token = create_api_key(name="ERP", scopes=["read"])
    assert len(token) >= 43  # 32+ random bytes, URL-safe base64
    assert token not in api_key.token_digest and len(api_key.token_digest) == 64
    assert api_key.last_used_at is None
    client.get(f"{API}/accounts", headers=key_headers(api_key, token))
    api_key.refresh_from_db()
    assert timezone.now() - api_key.last_used_at < timedelta(seconds=5)


def key_queries(client, api_key, token) -> tuple[int, list[str]]:
    """A read's status code and the queries it made on the API keys table."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{API}/accounts", headers=key_headers(api_key, token))
    return response.status_code, [
        query["sql"].split()[0] for query in queries if "accounts_apikey" in query["sql"]
    ]


def test_a_key_is_remembered_for_a_few_seconds_and_a_revocation_here_counts_at_once(
    client, db, settings, monkeypatch
):
    settings.API_KEY_CACHE_SECONDS = 5
    clock = [1000.0]
    monkeypatch.setattr(api_keys.time, "monotonic", lambda: clock[0])
    api_key, token = create_api_key(name="ERP", scopes=["read"])

    assert key_queries(client, api_key, token) == (200, ["SELECT", "UPDATE"])
    assert key_queries(client, api_key, token) == (200, [])  # no query: remembered
    # Revoked by another server process: this one learns it within API_KEY_CACHE_SECONDS.
    ApiKey.objects.filter(pk=api_key.pk).update(revoked_at=timezone.now())
    assert key_queries(client, api_key, token) == (200, [])
    clock[0] += 5
    assert key_queries(client, api_key, token) == (401, ["SELECT"])

    other_key, other_token = create_api_key(name="CRM", scopes=["read"])
    assert key_queries(client, other_key, other_token)[0] == 200
    revoke_api_key(api_key_id=other_key.pk)  # in this process: forgotten at once
    assert key_queries(client, other_key, other_token) == (401, ["SELECT"])


def test_viewer_session_may_read_but_not_write(viewer_client):
    account = AccountFactory()
    assert viewer_client.get(f"{API}/accounts/{account.pk}").status_code == 200
    response = viewer_client.post(
        f"{API}/accounts", json.dumps({"email": "x@example.com"}), content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["message"] == (
        'Missing permission: Create and edit accounts (scope "write").'
    )


def test_manager_session_must_send_the_csrf_token(manager):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(manager)
    body = json.dumps({"email": "csrf@example.com"})
    refused = browser.post(f"{API}/accounts", body, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["message"]
    assert not Account.objects.exists()

    browser.get("/")  # sets the CSRF cookie, as any page does
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(
        f"{API}/accounts", body, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 200
    record = Account.objects.get().history.get()
    assert (record.history_channel, record.history_source) == ("api", "manager")
    assert record.history_user == manager


def test_schema_and_docs_are_public_and_the_docs_use_local_assets(client, db):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/creditcontrol/accounts/{account_id}/creditlimit:" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs.content
    assert b"cdn" not in docs.content.lower()
