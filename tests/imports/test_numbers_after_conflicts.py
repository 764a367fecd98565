"""After a conflict, every place that counts a job says the same: what was applied."""

from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from accounts import services as account_services
from accounts.history import ChangeSource, Channel
from imports.management.commands.import_accounts import job_summary
from tests.factories import AccountFactory
from tests.imports.conftest import csv_bytes
from tests.imports.test_warnings import history_counts

pytestmark = pytest.mark.django_db


def test_a_conflict_is_counted_as_an_error_row_and_not_as_an_update_everywhere(
    manager_client, upload, confirm, viewer
):
    changed_meanwhile = AccountFactory(email="ana@example.com", credit_limit=Decimal("100.00"))
    others = [AccountFactory(credit_limit=Decimal("100.00")) for _ in range(2)]
    job = upload(
        csv_bytes(
            [[changed_meanwhile.pk, "", "", "", "300", "", ""]]
            + [[account.pk, "", "", "", "400", "", ""] for account in others]
        )
    )
    assert job.to_update == 3
    account_services.change_account(
        account_id=changed_meanwhile.pk,
        source=ChangeSource(channel=Channel.FORM, label="viewer", user_id=viewer.pk),
        values={"credit_limit": "999"},
    )
    job = confirm(job)

    summary = job_summary(job)
    assert {key: summary[key] for key in ("counts", "updated", "errors")} == {
        "counts": "applied",
        "updated": 2,
        "errors": 1,
    }
    history = manager_client.get(reverse("imports:history")).content.decode()
    assert history_counts(history, job)["Updated"] == "2"
    assert history_counts(history, job)["Errors"] == "1"
    page = manager_client.get(job.get_absolute_url())
    assertContains(page, 'data-count="updated">2<')
    assertContains(page, 'data-count="errors">1<')
    assertContains(page, "1 row was not applied because its account changed after the preview.")
    # The sample lists only what was applied: the conflicting row is with the rows to fix.
    assert sorted(entry["row"] for entry in job.change_sample) == [3, 4]
    sample = page.content.decode().split('id="change-sample"')[1].split("</table>")[0]
    assert "400.00" in sample and "300.00" not in sample
