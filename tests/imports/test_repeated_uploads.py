"""A file uploaded again says what applying it now would do against today's accounts."""

from decimal import Decimal

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from accounts import services as account_services
from accounts.history import ChangeSource, Channel
from accounts.models import Account
from imports import services
from tests.factories import AccountFactory, UserFactory
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db


def limits_file(*accounts) -> bytes:
    return csv_bytes([[account.pk, "", "", "", "500", "", ""] for account in accounts])


def test_an_identical_file_that_would_change_nothing_says_so_and_offers_no_confirm(
    upload, confirm, manager_client
):
    accounts = AccountFactory.create_batch(2, credit_limit=Decimal("600.00"))
    first = confirm(upload(limits_file(*accounts)))
    again = upload(limits_file(*accounts))
    assert again.identical_to == first
    assert (again.counts.changes, again.undo_count) == (0, 0)
    response = manager_client.get(again.get_absolute_url())
    assertContains(response, f"This file is identical to <a href=\"{first.get_absolute_url()}\">")
    assertContains(
        response,
        "Applying it now would change nothing: every account already has these values.",
    )
    assertContains(response, "Nothing to apply: no row of this file would change an account.")
    assertNotContains(response, "Confirm import")
    assertNotContains(response, "harmless")


def test_an_identical_file_says_which_changes_made_since_it_would_undo(
    upload, confirm, manager_client
):
    ana, bia, caio = AccountFactory.create_batch(3, credit_limit=Decimal("600.00"))
    first = confirm(upload(limits_file(ana, bia, caio)))
    # Since import #first: Ana's limit is raised in the form; Bia's e-mail changes (the file
    # does not set e-mails: nothing of it is undone).
    staff = UserFactory(username="paula")
    source = ChangeSource(channel=Channel.FORM, label="paula", user_id=staff.pk)
    account_services.change_account(
        account_id=ana.pk, values={"credit_limit": "900"}, source=source
    )
    account_services.change_account(
        account_id=bia.pk, values={"email": "bia.new@example.com"}, source=source
    )
    again = upload(limits_file(ana, bia, caio))
    assert (again.identical_to, again.to_update, again.undo_count) == (first, 1, 1)
    [entry] = again.change_sample
    assert entry["account_id"] == ana.pk
    assert entry["changes"] == [["Credit limit", "900.00", "500.00"]]

    response = manager_client.get(again.get_absolute_url())
    assertContains(
        response,
        f"Applying it again is not harmless: it would undo 1 change made since #{first.pk} "
        "(marked in the sample below).",
    )
    assertContains(response, "Changed by paula on ")
    assertContains(
        response,
        f"through Web form since import #{first.pk}: applying this row again puts the file",
    )
    # Staff may mean to put the old value back, knowingly: it is a warning to acknowledge.
    [warning] = again.row_warnings.all()
    assert (warning.row_number, warning.column, warning.value) == (2, "Credit limit", "500.00")
    assertContains(response, "I checked the warning")

    confirm(again)
    ana.refresh_from_db()
    assert ana.credit_limit == Decimal("500.00")


def test_an_identical_file_that_changes_accounts_untouched_since_says_it_still_changes_them(
    upload, confirm, manager_client, manager
):
    ana = AccountFactory(credit_limit=Decimal("600.00"))
    first = upload(limits_file(ana))
    services.cancel_import_job(job_id=first.pk, user=manager)
    again = upload(limits_file(ana))
    assert (again.identical_to, again.to_update, again.undo_count) == (first, 1, 0)
    response = manager_client.get(again.get_absolute_url())
    assertContains(response, "(cancelled).")
    assertNotContains(response, "not harmless")
    assertContains(response, "Confirm import")
    assert Account.objects.get().credit_limit == Decimal("600.00")
