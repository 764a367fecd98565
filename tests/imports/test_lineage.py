"""Lineage both ways: an account's history links to the import and row that changed it, a
job lists the accounts it touched, an account lists the imports that touched it."""

from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts import services as account_services
from accounts.history import ChangeSource, Channel
from accounts.models import Account
from tests.factories import AccountFactory, UserFactory, valid_cpf
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db


def test_history_written_by_an_import_records_its_job_and_row_and_the_account_page_links_them(
    upload, confirm, viewer_client
):
    ana = AccountFactory(credit_limit=Decimal("500.00"))
    job = confirm(
        upload(
            csv_bytes(
                [
                    [ana.pk, "", "", "", "900", "", ""],
                    ["", "new@example.com", valid_cpf(700_000_001), "CPF", "300", "", ""],
                ]
            )
        )
    )
    new = Account.objects.get(email="new@example.com")
    lineage = Account.history.filter(history_import=job.pk).order_by("history_row")
    assert [(r.id, r.history_row, r.history_type) for r in lineage] == [
        (ana.pk, 2, "~"),
        (new.pk, 3, "+"),
    ]

    response = viewer_client.get(ana.get_absolute_url())
    job_url = reverse("imports:job-detail", args=[job.pk])
    assertContains(response, f'<a href="{job_url}" class="text-nowrap history-import">')
    assertContains(response, f"Import #{job.pk} · row 2")
    # The imports that touched it, with the row and what the import did.
    assertContains(response, "Imports that touched this account")
    [touched] = response.context["account_imports"]
    assert (touched.job, touched.row_number, touched.outcome_label) == (job, 2, "Updated")

    response = viewer_client.get(new.get_absolute_url())
    assertContains(response, f"Import #{job.pk} · row 3")
    assert [e.outcome_label for e in response.context["account_imports"]] == ["Created"]


def test_an_account_no_import_touched_lists_no_imports(viewer_client):
    account = AccountFactory()
    response = viewer_client.get(account.get_absolute_url())
    assertNotContains(response, "Imports that touched this account")
    assertNotContains(response, "history-import")


def test_job_page_lists_created_updated_closed_and_conflicting_accounts_filterable_by_outcome(
    upload, confirm, viewer_client, django_assert_max_num_queries
):
    updated, closed, conflicting = AccountFactory.create_batch(3, credit_limit=Decimal("500"))
    new_rows = [
        ["", f"new{n}@example.com", valid_cpf(710_000_000 + n), "CPF", "300", "", ""]
        for n in range(60)
    ]
    job = upload(
        csv_bytes(
            [
                [updated.pk, "", "", "", "900", "", ""],
                [closed.pk, "", "", "", "", "", "Closed"],
                [conflicting.pk, "", "", "", "800", "", ""],
                *new_rows,
            ]
        )
    )
    # Someone changes an account between the preview and the confirmation: a conflict.
    paula = UserFactory(username="paula")
    account_services.change_account(
        account_id=conflicting.pk,
        values={"credit_limit": "700"},
        source=ChangeSource(channel=Channel.FORM, label="paula", user_id=paula.pk),
    )
    job = confirm(job)
    assert (job.created_count, job.updated_count, job.closed_count, job.conflict_count) == (
        60,
        1,
        1,
        1,
    )
    url = job.get_absolute_url()
    viewer_client.get(url)
    with django_assert_max_num_queries(12):
        response = viewer_client.get(url)
    page = response.context["touched_page"]
    assert page.paginator.count == 63
    assert [(t.row_number, t.account_id, t.outcome_label) for t in page.object_list[:3]] == [
        (2, updated.pk, "Updated"),
        (3, closed.pk, "Closed"),
        (4, conflicting.pk, "Conflict (left alone)"),
    ]
    assert len(page.object_list) == 50
    assertContains(response, "63 account changes")
    assertContains(response, f'href="{updated.get_absolute_url()}"')

    response = viewer_client.get(url, {"outcome": "created", "accounts_page": 2})
    page = response.context["touched_page"]
    assert (page.paginator.count, page.number, len(page.object_list)) == (60, 2, 10)
    assert {t.outcome for t in page.object_list} == {"created"}
    assertContains(response, "?outcome=created&amp;accounts_page=1")

    response = viewer_client.get(url, {"outcome": "conflict"})
    assert [(t.account_id, t.outcome) for t in response.context["touched_page"]] == [
        (conflicting.pk, "conflict")
    ]
    conflicting.refresh_from_db()
    assert conflicting.credit_limit == Decimal("700.00")


def test_a_job_not_yet_confirmed_lists_no_accounts_touched(upload, viewer_client):
    account = AccountFactory()
    job = upload(csv_bytes([[account.pk, "", "", "", "900", "", ""]]))
    response = viewer_client.get(job.get_absolute_url())
    assert response.context["touched_page"] is None
    assertNotContains(response, "Accounts this import touched")
