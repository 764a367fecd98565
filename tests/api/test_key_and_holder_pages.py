"""Staff side of the API: the API keys pages, the create_api_key command, holders on the
account page, and the demo key pair printed by seed_demo."""

from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from pytest_django.asserts import assertContains, assertNotContains

from accounts.history import ChangeSource, Channel
from accounts.models import ApiKey, Holder
from accounts.services import add_holder
from tests.api.conftest import API
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def stored_sessions() -> list:
    """Every session row, raw and decoded."""
    return [
        value for row in Session.objects.all() for value in (row.session_data, row.get_decoded())
    ]


def parse_pair(output: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in output.splitlines() if line.startswith("App"))


def test_manager_creates_a_key_sees_the_token_once_and_it_works(manager_client, client):
    response = manager_client.post(
        "/api-keys/new/", {"name": "ERP integration", "scopes": ["read", "credit"]}
    )
    api_key = ApiKey.objects.get()
    assert (api_key.name, api_key.scopes) == ("ERP integration", ["read", "credit"])
    assert api_key.created_by.username == "manager"
    token = response.context["token"]
    assertContains(response, "Copy the token now.")
    assertContains(response, token)
    assertContains(response, api_key.app_key)
    assert "no-store" in response.headers["Cache-Control"]
    # Shown once, in the answer to the form: the server keeps it nowhere, even for a moment.
    assert all(token not in str(stored) for stored in stored_sessions())
    assertNotContains(manager_client.get("/api-keys/"), token)

    headers = {"X-VTEX-API-AppKey": api_key.app_key, "X-VTEX-API-AppToken": token}
    assert client.get(f"{API}/accounts", headers=headers).status_code == 200
    listing = manager_client.get("/api-keys/")
    assertContains(listing, "ERP integration")
    assertContains(listing, "Read accounts")
    assertContains(listing, "Edit credit limits")
    assertNotContains(listing, "Never")  # last used is shown once the key was used


def test_new_key_needs_a_name_and_a_scope(manager_client):
    response = manager_client.post("/api-keys/new/", {"name": "", "scopes": []})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "scopes"}
    assert not ApiKey.objects.exists()


def test_manager_revokes_a_key(manager_client):
    call_command("create_api_key", "Old ERP", scopes="read", stdout=StringIO(), verbosity=0)
    api_key = ApiKey.objects.get()
    response = manager_client.post(f"/api-keys/{api_key.pk}/revoke/", follow=True)
    assertContains(response, "API key “Old ERP” revoked: it no longer works.")
    assertContains(response, "Revoked")
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None


def test_viewer_cannot_manage_keys_nor_see_the_nav_entry(viewer_client):
    assert viewer_client.get("/api-keys/").status_code == 403
    assert (
        viewer_client.post("/api-keys/new/", {"name": "x", "scopes": ["read"]}).status_code == 403
    )
    assertNotContains(viewer_client.get("/"), 'href="/api-keys/"')
    assert not ApiKey.objects.exists()


def test_manager_finds_api_keys_in_the_nav(manager_client):
    assertContains(manager_client.get("/"), 'href="/api-keys/"')


def test_create_api_key_command_prints_the_pair_and_refuses_unknown_scopes():
    out = StringIO()
    call_command("create_api_key", "Script", scopes="read,write,credit", stdout=out, verbosity=0)
    pair = parse_pair(out.getvalue())
    assert set(pair) == {"AppKey", "AppToken"}
    api_key = ApiKey.objects.get(app_key=pair["AppKey"])
    assert api_key.scopes == ["read", "write", "credit"]
    with pytest.raises(CommandError, match="Choose one or more scopes among: read, write, credit."):
        call_command("create_api_key", "Bad", scopes="read,admin", stdout=StringIO())
    with pytest.raises(CommandError, match=r"at most 100 characters \(it has 101\)"):
        call_command("create_api_key", "x" * 101, scopes="read", stdout=StringIO())
    assert ApiKey.objects.count() == 1


def test_seed_demo_prints_a_working_demo_key_pair(client):
    out = StringIO()
    call_command("seed_demo", accounts=3, stdout=out)
    pair = parse_pair(out.getvalue())
    headers = {"X-VTEX-API-AppKey": pair["AppKey"], "X-VTEX-API-AppToken": pair["AppToken"]}
    response = client.get(f"{API}/accounts", headers=headers)
    assert response.json()["summary"]["count"] == 3
    assert ApiKey.objects.get().scopes == ["read", "write", "credit"]


def test_account_page_lists_holders_and_manager_adds_and_removes_them(manager_client):
    account = AccountFactory()
    page = manager_client.get(account.get_absolute_url())
    assertContains(page, "No holders.")
    response = manager_client.post(
        f"/accounts/{account.pk}/holders/add/", {"email": "Dep@Example.com"}, follow=True
    )
    assertContains(response, "dep@example.com added as a holder.")
    assertContains(response, "Holder dep@example.com added.")  # in the history table
    holder = Holder.objects.get()
    response = manager_client.post(
        f"/accounts/{account.pk}/holders/{holder.pk}/remove/", follow=True
    )
    assertContains(response, "dep@example.com is no longer a holder.")
    assertContains(response, "Holder dep@example.com removed.")
    assert not Holder.objects.exists()


def test_adding_a_bad_holder_email_shows_the_rule_message(manager_client):
    account = AccountFactory()
    response = manager_client.post(
        f"/accounts/{account.pk}/holders/add/", {"email": "nope"}, follow=True
    )
    assertContains(response, "“nope” is not a valid e-mail address.")
    assert not Holder.objects.exists()


NUL_MESSAGE = (
    "“dep\ufffd@example.com” holds an invisible NUL character (shown as \ufffd), which cannot "
    "be stored; it usually comes from a damaged file or a copy from another program. Type "
    "the value again."
)


def test_a_holder_email_holding_a_nul_gets_the_account_fields_message_on_page_and_api(
    manager_client, api
):
    account = AccountFactory()
    response = manager_client.post(
        f"/accounts/{account.pk}/holders/add/", {"email": "dep\x00@example.com"}, follow=True
    )
    assertContains(response, NUL_MESSAGE)
    body = {"claims": {"email": "dep\x00@example.com"}}
    answer = api("POST", f"/accounts/{account.pk}/holders", body)
    assert answer.status_code == 400
    assert answer.json()["fields"] == {
        "claims.email": [{"code": "null_character", "message": NUL_MESSAGE}]
    }
    assert not Holder.objects.exists()


def test_viewer_sees_holders_but_cannot_change_them(viewer_client):
    account = AccountFactory()
    holder = add_holder(
        account_id=account.pk,
        email="dep@example.com",
        source=ChangeSource(channel=Channel.SYSTEM, label="test"),
    )
    page = viewer_client.get(account.get_absolute_url())
    assertContains(page, "dep@example.com")
    assertNotContains(page, "Add holder")
    assert (
        viewer_client.post(f"/accounts/{account.pk}/holders/add/", {"email": "x@example.com"})
    ).status_code == 403
    assert (
        viewer_client.post(f"/accounts/{account.pk}/holders/{holder.pk}/remove/").status_code == 403
    )
    assert Holder.objects.count() == 1


def test_api_key_list_runs_the_same_queries_for_many_keys(
    manager_client, django_assert_max_num_queries
):
    for number in range(15):
        call_command(
            "create_api_key", f"Key {number}", scopes="read", stdout=StringIO(), verbosity=0
        )
    with django_assert_max_num_queries(8):
        response = manager_client.get("/api-keys/")
    assertContains(response, "Key 14")


def test_every_api_change_shows_in_the_account_history_page(api, manager, client):
    """The issue's story: open, change limit and tolerance, find, add a holder, close."""
    account_id = api(
        "POST",
        "/accounts",
        {"document": "529.982.247-25", "email": "maria@example.com", "creditLimit": "3000"},
    ).json()["id"]
    api("PUT", f"/accounts/{account_id}/creditlimit", {"value": 5500})
    api("PUT", f"/accounts/{account_id}/tolerance", {"value": 0.1})
    assert api("GET", "/accounts?email=maria@example.com").json()["data"][0]["id"] == account_id
    api("POST", f"/accounts/{account_id}/holders", {"claims": {"email": "joao@example.com"}})
    api("DELETE", f"/accounts/{account_id}")

    client.force_login(manager)
    page = client.get(f"/accounts/{account_id}/")
    history = page.content.decode().split('id="history"')[1]
    assert history.count("API key ERP") == 5
    for text in ["Account opened", "5,500.00", "10%", "Holder joao@example.com added.", "Closed"]:
        assert text in history, text
