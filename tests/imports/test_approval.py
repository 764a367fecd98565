"""Four eyes: an import over the store's thresholds waits for another manager's decision."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.models import Account, StoreSettings
from imports import approval, services
from imports.models import ImportJob
from imports.pipeline import LimitChange, MoneySummary
from tests.factories import AccountFactory, UserFactory
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db

Status = ImportJob.Status


@pytest.fixture
def thresholds():
    StoreSettings.load()
    StoreSettings.objects.update(
        approval_net_credit=Decimal("10000.00"), approval_credit_limit=Decimal("20000.00")
    )


@pytest.fixture
def second_manager(db):
    user = UserFactory(username="second")
    user.groups.add(Group.objects.get(name="Credit managers"))
    return user


def raise_file(new_limit: str) -> bytes:
    AccountFactory(pk="big", credit_limit=Decimal("1000.00"))
    return csv_bytes([["big", "", "", "", new_limit, "", ""]])


def test_the_thresholds_are_strictly_above_and_blank_means_off():
    store_settings = StoreSettings.load()
    summary = MoneySummary(
        after_total=Decimal("10000.00"),
        highest_new_limit=LimitChange("acc", 7, None, Decimal("20000.00")),
    )
    assert approval.approval_reasons(summary, store_settings) == []
    store_settings.approval_net_credit = Decimal("10000.00")
    store_settings.approval_credit_limit = Decimal("20000.00")
    assert approval.approval_reasons(summary, store_settings) == []
    summary.after_total = Decimal("10000.01")
    summary.highest_new_limit.new = Decimal("20000.01")
    assert approval.approval_reasons(summary, store_settings) == [
        {"code": "net_credit", "amount": "10000.01", "threshold": "10000.00"},
        {
            "code": "credit_limit",
            "amount": "20000.01",
            "threshold": "20000.00",
            "account": "acc",
            "row": 7,
        },
    ]


def test_an_import_over_a_threshold_waits_and_its_uploader_cannot_approve_it(
    upload, manager, manager_client, thresholds
):
    job = upload(raise_file("25000.00"))
    assert job.status == Status.AWAITING_APPROVAL
    assert [reason["code"] for reason in job.approval_reasons] == ["net_credit", "credit_limit"]
    page = manager_client.get(job.get_absolute_url())
    assertContains(page, "Awaiting approval by another manager")
    assertContains(
        page,
        "It adds R$\u00a024,000.00 of credit in total, above the R$\u00a010,000.00 an import "
        "may add without a second manager&#x27;s approval.",
    )
    assertContains(page, 'id="approval-not-yours"')
    assertNotContains(page, 'id="approve-form"')
    assertNotContains(page, 'id="confirm-form"')
    response = manager_client.post(reverse("imports:approve", args=[job.pk]), follow=True)
    assertContains(response, "You uploaded this import: another manager must approve or reject")
    with pytest.raises(ImportJob.WrongStatus):
        services.confirm_import_job(job_id=job.pk, user=manager)
    job.refresh_from_db()
    assert job.status == Status.AWAITING_APPROVAL
    assert Account.objects.get(pk="big").credit_limit == Decimal("1000.00")


def test_a_second_manager_approves_and_the_changes_apply(
    upload, client, second_manager, thresholds, django_capture_on_commit_callbacks
):
    job = upload(raise_file("25000.00"))
    client.force_login(second_manager)
    page = client.get(job.get_absolute_url())
    assertContains(page, 'id="approve-form"')
    # The +2,400% raise is a warning: approving acknowledges it, as confirming does.
    assert job.warning_count == 1
    url = reverse("imports:approve", args=[job.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"acknowledged_warnings": "1"})
    assertRedirects(response, job.get_absolute_url(), fetch_redirect_response=False)
    job.refresh_from_db()
    assert job.status == Status.COMPLETED
    assert (job.reviewed_by, job.confirmed_by, job.review_decision) == (
        second_manager,
        second_manager,
        "approved",
    )
    assert Account.objects.get(pk="big").credit_limit == Decimal("25000.00")
    page = client.get(job.get_absolute_url())
    assertContains(page, "Approved by second on")
    history = client.get(reverse("imports:history"))
    assertContains(history, "approved by second")


def test_a_rejection_needs_a_reason_which_the_uploader_then_reads(
    upload, manager_client, client, second_manager, thresholds
):
    job = upload(raise_file("25000.00"))
    client.force_login(second_manager)
    url = reverse("imports:reject", args=[job.pk])
    response = client.post(url, {"reason": "  "}, follow=True)
    assertContains(response, "Say why you reject this import")
    client.post(url, {"reason": "Limits above R$ 20k need the CFO's e-mail."})
    job.refresh_from_db()
    assert (job.status, job.review_decision, job.reviewed_by) == (
        Status.REJECTED,
        "rejected",
        second_manager,
    )
    assert Account.objects.get(pk="big").credit_limit == Decimal("1000.00")
    page = manager_client.get(job.get_absolute_url())
    assertContains(page, "Rejected by second on")
    assertContains(page, "Limits above R$ 20k need the CFO&#x27;s e-mail.")
    history = manager_client.get(reverse("imports:history"))
    assertContains(history, "rejected by second")
    assertContains(history, "Limits above R$ 20k need the CFO&#x27;s e-mail.")


def test_the_header_counts_imports_awaiting_approval_for_managers_only(
    upload, manager_client, viewer, thresholds
):
    upload(raise_file("25000.00"))
    page = manager_client.get(reverse("accounts:list"))
    assertContains(page, 'id="awaiting-approval"')
    assertContains(page, f'href="{reverse("imports:history")}?status=awaiting_approval"')
    viewer_client = Client()
    viewer_client.force_login(viewer)
    assertNotContains(viewer_client.get(reverse("accounts:list")), 'id="awaiting-approval"')


def test_an_import_under_the_thresholds_is_confirmed_as_before(upload, confirm, thresholds):
    job = upload(raise_file("2000.00"))
    assert (job.status, job.approval_reasons) == (Status.READY_TO_CONFIRM, [])
    assert confirm(job).status == Status.COMPLETED


def test_the_uploader_can_cancel_an_import_awaiting_approval(upload, manager, thresholds):
    job = upload(raise_file("25000.00"))
    job = services.cancel_import_job(job_id=job.pk, user=manager)
    assert job.status == Status.CANCELLED


def test_the_command_stops_at_awaiting_approval_with_exit_status_7(
    tmp_path, manager, thresholds
):
    path = tmp_path / "big.csv"
    path.write_bytes(raise_file("25000.00"))
    stdout = StringIO()
    with pytest.raises(CommandError) as stopped:
        call_command(
            "import_accounts",
            str(path),
            user=manager.username,
            confirm=True,
            accept_warnings=True,
            stdout=stdout,
            stderr=StringIO(),
        )
    assert stopped.value.returncode == 7
    assert "Another manager must approve it in the browser" in str(stopped.value)
    summary = json.loads(stdout.getvalue())
    assert summary["status"] == "awaiting_approval"
    assert summary["money"]["net_change"] == "24000.00"
    assert [reason["code"] for reason in summary["approval"]["reasons"]] == [
        "net_credit",
        "credit_limit",
    ]
    assert Account.objects.get(pk="big").credit_limit == Decimal("1000.00")


def test_thresholds_are_edited_on_the_store_settings_page(manager_client):
    page = manager_client.get(reverse("accounts:settings"))
    assertContains(page, 'name="approval_net_credit"')
    form = {
        field: value
        for field, value in page.context["form"].initial.items()
        if value is not None and not isinstance(value, list)
    }
    form.update(
        approval_net_credit="50000.00",
        approval_credit_limit="",
        large_increase_percent="150",
        large_decrease_percent="80",
    )
    response = manager_client.post(reverse("accounts:settings"), form)
    assert response.status_code == 302, response.context["form"].errors
    assert StoreSettings.objects.values(
        "approval_net_credit",
        "approval_credit_limit",
        "large_increase_percent",
        "large_decrease_percent",
    ).get() == {
        "approval_net_credit": Decimal("50000.00"),
        "approval_credit_limit": None,
        "large_increase_percent": 150,
        "large_decrease_percent": 80,
    }
    form.update(large_decrease_percent="120")
    response = manager_client.post(reverse("accounts:settings"), form)
    assert response.status_code == 200
    assert "large_decrease_percent" in response.context["form"].errors


def test_a_revert_over_a_threshold_waits_for_approval_too(
    upload, confirm, manager, thresholds, django_capture_on_commit_callbacks
):
    AccountFactory(pk="cut", credit_limit=Decimal("30000.00"))
    imported = confirm(upload(csv_bytes([["cut", "", "", "", "1000.00", "", ""]])))
    assert (imported.status, imported.approval_reasons) == (Status.COMPLETED, [])
    with django_capture_on_commit_callbacks(execute=True):
        revert = services.create_revert_job(job_id=imported.pk, user=manager)
    revert.refresh_from_db()
    assert revert.status == Status.AWAITING_APPROVAL
    assert [(reason["code"], reason["amount"]) for reason in revert.approval_reasons] == [
        ("net_credit", "29000.00"),
        ("credit_limit", "30000.00"),
    ]
    with pytest.raises(ImportJob.NotYourDecision):
        services.approve_import_job(job_id=revert.pk, user=manager)
    assert Account.objects.get(pk="cut").credit_limit == Decimal("1000.00")
