from pytest_django.asserts import assertContains

from accounts.models import Account
from tests.factories import AccountFactory


def test_manager_creates_account_with_formatted_cnpj_and_sees_it_listed(manager_client):
    response = manager_client.post(
        "/accounts/new/",
        {
            "document_type": "CNPJ",
            "document": "11.222.333/0001-81",
            "email": "Loja@Example.com",
            "credit_limit": "1500.00",
            "tolerance": "0.1",
        },
        follow=True,
    )
    assertContains(response, "loja@example.com")
    assertContains(response, "11.222.333/0001-81")
    account = Account.objects.get(email="loja@example.com")
    assert account.document == "11222333000181"
    detail = manager_client.get(account.get_absolute_url())
    assertContains(detail, "Account opened")


def test_viewer_sees_list_but_not_new_button(viewer_client):
    AccountFactory()
    response = viewer_client.get("/")
    assert response.status_code == 200
    assert b'href="/accounts/new/"' not in response.content
    assert viewer_client.get("/accounts/new/").status_code == 403
