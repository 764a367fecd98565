"""The Django admin shows accounts but cannot change them: no path around the rules."""

from decimal import Decimal

from django.urls import reverse

from accounts.models import Account
from tests.factories import AccountFactory, UserFactory


def test_superuser_can_look_at_accounts_but_not_add_change_or_delete(client, db):
    account = AccountFactory(email="ana@example.com", credit_limit=1000)
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    change_url = reverse("admin:accounts_account_change", args=[account.pk])

    listing = client.get(reverse("admin:accounts_account_changelist"), {"q": "ana@example.com"})
    assert listing.status_code == 200
    assert "ana@example.com" in listing.content.decode()
    assert client.get(change_url).status_code == 200  # a read-only view

    posted = {"email": "evil@example.com", "credit_limit": "999999", "status": "Open"}
    assert client.post(change_url, posted).status_code == 403
    assert client.get(reverse("admin:accounts_account_add")).status_code == 403
    delete_url = reverse("admin:accounts_account_delete", args=[account.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403

    account.refresh_from_db()
    assert (account.email, account.credit_limit) == ("ana@example.com", Decimal("1000.00"))
    assert Account.objects.count() == 1


def test_store_settings_cannot_be_changed_in_the_admin(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:accounts_storesettings_add")).status_code == 403
