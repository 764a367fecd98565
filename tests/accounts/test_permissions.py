"""Who may open which Accounts page: anonymous → login, viewer → look only, manager → all."""

import pytest
from django.urls import reverse

from tests.factories import AccountFactory, UserFactory


@pytest.fixture
def account(db):
    return AccountFactory(email="ana@example.com")


def page_urls(account) -> dict[str, str]:
    return {
        "list": reverse("accounts:list"),
        "new": reverse("accounts:create"),
        "detail": reverse("accounts:detail", args=[account.pk]),
        "change": reverse("accounts:change", args=[account.pk]),
        "close": reverse("accounts:close", args=[account.pk]),
        "settings": reverse("accounts:settings"),
    }


@pytest.mark.parametrize("page", ["list", "new", "detail", "change", "close", "settings"])
def test_anonymous_visitor_is_sent_to_login(client, account, page):
    url = page_urls(account)[page]
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize(
    ("page", "viewer_status", "manager_status"),
    [
        ("list", 200, 200),
        ("detail", 200, 200),
        ("new", 403, 200),
        ("change", 403, 200),
        ("close", 403, 200),
        ("settings", 403, 200),
    ],
)
def test_viewer_may_only_look_and_manager_may_do_everything(
    client, viewer, manager, account, page, viewer_status, manager_status
):
    url = page_urls(account)[page]
    client.force_login(viewer)
    response = client.get(url)
    assert response.status_code == viewer_status
    if viewer_status == 403:
        assert "You are not allowed to do this" in response.content.decode()
    client.force_login(manager)
    assert client.get(url).status_code == manager_status


def test_user_in_no_group_sees_no_account(client, account):
    client.force_login(UserFactory(username="nobody"))
    assert client.get(reverse("accounts:list")).status_code == 403
    assert client.get(reverse("accounts:detail", args=[account.pk])).status_code == 403


def test_viewer_posts_are_refused_and_change_nothing(viewer_client, account):
    responses = [
        viewer_client.post(
            reverse("accounts:create"),
            {"document_type": "CPF", "document": "529.982.247-25", "email": "x@example.com"},
        ),
        viewer_client.post(
            reverse("accounts:change", args=[account.pk]),
            {"email": "new@example.com", "credit_limit": "1", "tolerance": "0"},
        ),
        viewer_client.post(reverse("accounts:close", args=[account.pk])),
        viewer_client.post(
            reverse("accounts:settings"),
            {"currency_code": "USD", "default_credit_limit": "5"},
        ),
    ]
    assert [response.status_code for response in responses] == [403, 403, 403, 403]
    account.refresh_from_db()
    assert (account.email, account.status) == ("ana@example.com", "Open")
    assert account.history.count() == 1


def test_viewer_sees_no_new_edit_close_or_settings_buttons(viewer_client, account):
    listing = viewer_client.get(reverse("accounts:list")).content.decode()
    detail = viewer_client.get(reverse("accounts:detail", args=[account.pk])).content.decode()
    assert reverse("accounts:create") not in listing
    assert reverse("accounts:settings") not in listing
    assert reverse("accounts:change", args=[account.pk]) not in detail
    assert reverse("accounts:close", args=[account.pk]) not in detail
    assert "ana@example.com" in detail


def test_manager_sees_new_edit_close_and_settings_buttons(manager_client, account):
    listing = manager_client.get(reverse("accounts:list")).content.decode()
    detail = manager_client.get(reverse("accounts:detail", args=[account.pk])).content.decode()
    assert f'href="{reverse("accounts:create")}"' in listing
    assert f'href="{reverse("accounts:settings")}"' in listing
    assert f'href="{reverse("accounts:change", args=[account.pk])}"' in detail
    assert f'href="{reverse("accounts:close", args=[account.pk])}"' in detail


def test_unknown_account_shows_the_not_found_page(manager_client):
    response = manager_client.get(reverse("accounts:detail", args=["no-such-account"]))
    assert response.status_code == 404
    assert "The page or account you asked for does not exist." in response.content.decode()


def test_wrong_password_is_told_on_the_login_page(client, manager):
    response = client.post(reverse("login"), {"username": "manager", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.content.decode()


def test_server_error_page_renders_without_a_request_context(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    assert "Nothing you submitted was half-saved" in page
