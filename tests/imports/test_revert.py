"""Reverting a whole import: a job of its own, previewed, confirmed, applied through the planner."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts import services as account_services
from accounts.history import REVERT_CHANNEL, ChangeSource, Channel
from accounts.models import Account, AccountStatus, Holder, StoreSettings
from imports import services
from imports.models import ImportJob
from tests.factories import AccountFactory, UserFactory, valid_cpf
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def start_revert(manager_client, django_capture_on_commit_callbacks):
    """Press Revert on a job's page as the manager; the revert's preview runs (Immediate)."""

    def press_revert(job: ImportJob):
        with django_capture_on_commit_callbacks(execute=True):
            return manager_client.post(reverse("imports:revert", args=[job.pk]))

    return press_revert


def test_revert_puts_fields_back_closes_opened_accounts_and_leaves_changed_ones_alone(
    upload, confirm, start_revert, manager_client
):
    raised = AccountFactory(email="ana@example.com", credit_limit=Decimal("500.00"))
    changed_since = AccountFactory(credit_limit=Decimal("500.00"))
    closed = AccountFactory()
    imported = confirm(
        upload(
            csv_bytes(
                [
                    [raised.pk, "ana.new@example.com", "", "", "900", "0.1", ""],
                    [changed_since.pk, "", "", "", "800", "", ""],
                    [closed.pk, "", "", "", "", "", "Closed"],
                    ["", "new@example.com", valid_cpf(720_000_001), "CPF", "300", "", ""],
                    ["", "used@example.com", valid_cpf(720_000_002), "CPF", "300", "", ""],
                ]
            )
        )
    )
    opened = Account.objects.get(email="new@example.com")
    used = Account.objects.get(email="used@example.com")
    Holder.objects.create(account=used, email="child@example.com")
    paula = UserFactory(username="paula")
    account_services.change_account(
        account_id=changed_since.pk,
        values={"credit_limit": "650"},
        source=ChangeSource(channel=Channel.FORM, label="paula", user_id=paula.pk),
    )

    response = manager_client.get(imported.get_absolute_url())
    assertContains(response, "Revert this import")
    response = start_revert(imported)
    revert = ImportJob.objects.get(reverts=imported)
    assertRedirects(response, revert.get_absolute_url())
    assert (revert.status, revert.to_update, revert.to_close, revert.error_count) == (
        ImportJob.Status.READY_TO_CONFIRM,
        1,
        1,
        3,
    )
    # Nothing changes before the revert is confirmed.
    raised.refresh_from_db()
    assert raised.credit_limit == Decimal("900.00")

    response = manager_client.get(revert.get_absolute_url())
    assertContains(response, f'This job reverts <a href="{imported.get_absolute_url()}">')
    assertContains(response, f"This revert closes 1 account that import #{imported.pk} opened.")
    assertContains(response, "closes (irreversible)")
    assertContains(response, "Changed by paula on ")
    assertContains(
        response, f"since import #{imported.pk}: the revert leaves this account as it is."
    )
    assertContains(
        response,
        f"Closed by import #{imported.pk}: closing is irreversible, so the revert cannot "
        "reopen it.",
    )
    assertContains(response, f"Opened by import #{imported.pk} and used since")
    assertContains(response, "Confirm revert")

    revert = confirm(revert)
    assert revert.status == ImportJob.Status.COMPLETED_WITH_ERRORS
    assert (revert.updated_count, revert.closed_count) == (1, 1)
    raised.refresh_from_db()
    assert (raised.email, raised.credit_limit, raised.tolerance) == (
        "ana@example.com",
        Decimal("500.00"),
        Decimal("0.0500"),
    )
    for account, status, limit in [
        (opened, AccountStatus.CLOSED, Decimal("300.00")),
        (used, AccountStatus.OPEN, Decimal("300.00")),
        (changed_since, AccountStatus.OPEN, Decimal("650.00")),
        (closed, AccountStatus.CLOSED, closed.credit_limit),
    ]:
        account.refresh_from_db()
        assert (account.status, account.credit_limit) == (status, limit)

    # The history says where the change came from, and why an account was closed.
    record = raised.history.latest("history_id")
    assert (record.history_channel, record.history_import, record.history_row) == (
        REVERT_CHANNEL,
        imported.pk,
        2,
    )
    response = manager_client.get(raised.get_absolute_url())
    assertContains(response, f"Revert of import #{imported.pk} · row 2")
    # The account lists the revert and the import, newest first.
    assert [(t.job, t.outcome) for t in response.context["account_imports"]] == [
        (revert, "reverted"),
        (imported, "updated"),
    ]
    response = manager_client.get(opened.get_absolute_url())
    assertContains(response, f"Closed by the revert of import #{imported.pk}, which had opened it")

    # The revert lists what it did; the import lists what was reverted and links its revert.
    response = manager_client.get(revert.get_absolute_url())
    outcomes = {(t.account_id, t.outcome) for t in response.context["touched_page"]}
    emails = {t.account_id: t.email for t in response.context["touched_page"]}
    assert emails[changed_since.pk] == changed_since.email  # a conflict names its account too
    assert outcomes == {
        (raised.pk, "reverted"),
        (opened.pk, "closed"),
        (changed_since.pk, "conflict"),
        (closed.pk, "conflict"),
        (used.pk, "conflict"),
    }
    response = manager_client.get(imported.get_absolute_url(), {"outcome": "reverted"})
    assert {t.account_id for t in response.context["touched_page"]} == {raised.pk, opened.pk}
    assertContains(response, f'This import has a revert: <a href="{revert.get_absolute_url()}">')
    assertNotContains(response, "Revert this import")


def test_a_revert_cannot_be_reverted_and_says_why(upload, confirm, start_revert, manager_client):
    account = AccountFactory(credit_limit=Decimal("500.00"))
    imported = confirm(upload(csv_bytes([[account.pk, "", "", "", "900", "", ""]])))
    start_revert(imported)
    revert = confirm(ImportJob.objects.get(reverts=imported))
    response = manager_client.get(revert.get_absolute_url())
    assertContains(response, "A revert cannot be reverted")
    assertNotContains(response, "Revert this import")

    response = start_revert(revert)
    assertRedirects(response, revert.get_absolute_url(), fetch_redirect_response=False)
    assertContains(
        manager_client.get(revert.get_absolute_url()),
        f"Import #{revert.pk} is itself a revert (of import #{imported.pk}) and cannot be reverted",
    )
    assert not ImportJob.objects.filter(reverts=revert).exists()


def test_an_import_is_reverted_once_and_only_once_applied(
    upload, confirm, start_revert, manager_client
):
    account = AccountFactory(credit_limit=Decimal("500.00"))
    waiting = upload(csv_bytes([[account.pk, "", "", "", "900", "", ""]]))
    start_revert(waiting)
    assertContains(
        manager_client.get(waiting.get_absolute_url()),
        f"Only an applied import can be reverted; import #{waiting.pk} is ready to confirm.",
    )
    imported = confirm(waiting)
    start_revert(imported)
    start_revert(imported)
    [revert] = ImportJob.objects.filter(reverts=imported)
    assertContains(
        manager_client.get(imported.get_absolute_url()),
        f"Import #{imported.pk} already has a revert: import #{revert.pk}.",
    )
    # A cancelled revert changed nothing: the import can be reverted again.
    services.cancel_import_job(job_id=revert.pk, user=None)
    start_revert(imported)
    assert ImportJob.objects.filter(reverts=imported).count() == 2


def test_only_staff_who_import_and_close_accounts_may_revert(upload, confirm, viewer_client):
    account = AccountFactory()
    imported = confirm(upload(csv_bytes([[account.pk, "", "", "", "900", "", ""]])))
    response = viewer_client.post(reverse("imports:revert", args=[imported.pk]))
    assert response.status_code == 403
    assertNotContains(viewer_client.get(imported.get_absolute_url()), "Revert this import")
    assert not ImportJob.objects.filter(reverts=imported).exists()


def test_a_revert_over_an_approval_threshold_waits_for_a_second_manager(
    upload, confirm, start_revert, manager_client, client, django_capture_on_commit_callbacks
):
    account = AccountFactory(credit_limit=Decimal("25000.00"))
    imported = confirm(upload(csv_bytes([[account.pk, "", "", "", "1000", "", ""]])))
    StoreSettings.objects.update(approval_credit_limit=Decimal("20000.00"))
    # Putting the limit back to 25,000 is a new limit above the store's threshold.
    start_revert(imported)
    revert = ImportJob.objects.get(reverts=imported)
    assert revert.status == ImportJob.Status.AWAITING_APPROVAL
    assert [reason["code"] for reason in revert.approval_reasons] == ["credit_limit"]
    response = manager_client.post(reverse("imports:approve", args=[revert.pk]), follow=True)
    assertContains(response, "You uploaded this import: another manager must approve or reject")
    account.refresh_from_db()
    assert account.credit_limit == Decimal("1000.00")

    second = UserFactory(username="second")
    second.groups.add(Group.objects.get(name="Credit managers"))
    client.force_login(second)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("imports:approve", args=[revert.pk]),
            {"acknowledged_warnings": str(revert.warning_count)},
        )
    revert.refresh_from_db()
    account.refresh_from_db()
    assert (revert.status, revert.reviewed_by, account.credit_limit) == (
        ImportJob.Status.COMPLETED,
        second,
        Decimal("25000.00"),
    )
