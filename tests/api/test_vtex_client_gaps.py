"""What a client written from VTEX's spec alone met here and now works: holders' `level`,
open accounts first in a search, VTEX's status words, unknown fields ignored, a JSON 404 for
any unknown path whatever the method, and VTEX's vendor Accept types."""

import pytest
from django.test import Client

from accounts.models import AccountStatus
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_new_holder_is_a_level_2_dependent_in_vtex_key_order(api):
    account = AccountFactory()
    body = api("POST", f"/accounts/{account.pk}/holders", {"claims": {"email": "dep@x.com"}}).json()
    assert list(body) == ["level", "claims", "id", "createdAt"]
    assert (body["level"], body["claims"]) == (2, {"email": "dep@x.com"})


def test_search_lists_open_accounts_unless_a_status_asks_and_reads_vtex_words(api):
    closed = AccountFactory(email="same@example.com", status=AccountStatus.CLOSED)
    opened = AccountFactory(email="same@example.com")

    def ids(query: str) -> list[str]:
        return [row["id"] for row in api("GET", f"/accounts?{query}").json()["data"]]

    # A client taking data[0] for an e-mail gets the open account.
    assert ids("email=same@example.com") == [opened.pk]
    for word in ("Open", "Opened", "opened", "Paid"):
        assert ids(f"status={word}") == [opened.pk], word
    for word in ("Closed", "Cancelled", "canceled"):
        assert ids(f"status={word}") == [closed.pk], word
    assert ids("status=All") == [closed.pk, opened.pk]


def test_unknown_request_fields_are_ignored_and_named_in_a_header(api):
    account = AccountFactory()

    changed = api(
        "PUT",
        f"/accounts/{account.pk}/creditlimit",
        {"value": 1500, "description": "x", "currency": "BRL"},
    )
    holder = api(
        "POST",
        f"/accounts/{account.pk}/holders",
        {"claims": {"email": "dep@example.com", "name": "Dep"}, "level": 2},
    )

    assert (changed.status_code, changed.json()["creditLimit"]) == (200, 1500)
    assert changed.headers["X-Ignored-Fields"] == "currency, description"
    assert holder.status_code == 200
    assert holder.headers["X-Ignored-Fields"] == "level, claims.name"
    assert "X-Ignored-Fields" not in api("GET", f"/accounts/{account.pk}").headers


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize(
    "path",
    [
        "/api/creditcontrol/orders",
        "/api/creditcontrol/accounts/abc/unknown",
        "/api/creditcontrol/accounts/abc/transactions/x/capture",
        "/api/catalog/pvt/product",
        "/api",
    ],
)
def test_every_unknown_api_path_is_a_json_404_whatever_the_method(api, method, path):
    response = api.client.generic(
        method, path, data="{}", content_type="application/json", headers=api.headers
    )
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


def test_unknown_paths_answer_json_to_a_logged_in_browser_too(manager):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(manager)
    response = browser.post("/api/creditcontrol/orders", {}, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


@pytest.mark.parametrize(
    "accept",
    [
        "application/vnd.vtex.ds.v10+json",
        "application/vnd.vtex.ds.v10+json; charset=utf-8",
        "application/json",
        "*/*",
    ],
)
def test_vtex_vendor_accept_types_are_answered_with_json(api, accept):
    account = AccountFactory()
    response = api("GET", f"/accounts/{account.pk}", headers={"Accept": accept})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["id"] == account.pk


def test_an_accept_that_allows_no_json_is_still_refused(api):
    response = api("GET", "/accounts", headers={"Accept": "text/csv"})
    assert response.status_code == 406
    assert response.json()["code"] == "not_acceptable"


def test_an_unknown_path_says_where_the_documentation_is(db):
    UserFactory()
    response = Client().delete("/api/creditcontrol/accounts/x/y/z")
    assert response.json() == {
        "code": "not_found",
        "message": "No endpoint at /api/creditcontrol/accounts/x/y/z. See /api/docs/.",
    }
