"""Warnings: rows that will be applied but deserve a look, confirmed knowingly."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import Account
from imports import services
from imports.management.commands.import_accounts import job_summary
from imports.models import ImportJob
from tests.factories import AccountFactory, valid_cpf
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db

CPF_WITH_LEADING_ZERO = valid_cpf(85_320_619)  # 085.320.619-82


def test_identity_changes_by_id_and_by_document_are_warnings_naming_old_and_new(upload, confirm):
    ana = AccountFactory(pk="ana-1", email="ana@example.com", document=valid_cpf(10))
    bia = AccountFactory(pk="bia-1", email="bia@example.com", document=valid_cpf(11))
    caio = AccountFactory(pk="caio-1", email="caio@example.com", document=valid_cpf(12))
    job = upload(
        csv_bytes(
            [
                [ana.pk, "ana.silva@example.com", "", "", "", "", ""],
                # No Id, but Bia's document: her e-mail would change.
                ["", "someone.else@example.com", bia.document, "CPF", "", "", ""],
                [caio.pk, "", valid_cpf(13), "", "", "", ""],
                [ana.pk.replace("ana", "x"), "", "", "", "", "", ""],  # unknown id: an error
            ]
        )
    )
    assert job.warning_count == 3
    warnings = [
        (warning.row_number, warning.column, warning.account_id, warning.message)
        for warning in job.row_warnings.all()
    ]
    assert warnings == [
        (
            2,
            "Email",
            "ana-1",
            "This row changes the e-mail of account ana-1 from ana@example.com to "
            "ana.silva@example.com. If that is not meant, leave the cell blank to keep the "
            "current value.",
        ),
        (
            3,
            "Email",
            "bia-1",
            "This row has no Id, but its document matches the open account bia-1, so it "
            "changes that account's e-mail from bia@example.com to someone.else@example.com. "
            "If that is not meant, leave the cell blank to keep the current value, or check "
            "the document.",
        ),
        (
            4,
            "Document",
            "caio-1",
            f"This row changes the document of account caio-1 from "
            f"{mask(caio.document)} to {mask(valid_cpf(13))}. If that is not meant, leave "
            "the cell blank to keep the current value.",
        ),
    ]
    [matched] = [entry for entry in job.change_sample if entry["matched_by_document"]]
    assert (matched["account_id"], matched["matched_document"]) == ("bia-1", mask(bia.document))
    confirm(job)
    bia.refresh_from_db()
    assert bia.email == "someone.else@example.com"


def mask(cpf: str) -> str:
    return f"{cpf[:3]}.{cpf[3:6]}.{cpf[6:9]}-{cpf[9:]}"


def test_confirming_a_job_with_warnings_needs_the_box_ticked(
    manager_client, upload, django_capture_on_commit_callbacks
):
    damaged = CPF_WITH_LEADING_ZERO.lstrip("0")
    job = upload(csv_bytes([["", "a@example.com", damaged, "CPF", "1.500", "", ""]]))
    assert job.warning_count == 2
    page = manager_client.get(job.get_absolute_url())
    assertContains(page, "2 warnings: check these rows")
    assertContains(page, "I checked the 2 warnings")
    assertContains(page, "085.320.619-82")  # what will be stored, masked
    assertContains(page, "1,500.00")

    response = manager_client.post(reverse("imports:confirm", args=[job.pk]), follow=True)
    assertContains(
        response,
        "This import has 2 warnings: check them, then tick the box that says you did, and "
        "confirm again.",
    )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY_TO_CONFIRM
    # A count that is not the job's (a page opened before the job was checked again) neither.
    manager_client.post(reverse("imports:confirm", args=[job.pk]), {"acknowledged_warnings": "1"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY_TO_CONFIRM
    assert not Account.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(
            reverse("imports:confirm", args=[job.pk]), {"acknowledged_warnings": "2"}
        )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.COMPLETED
    account = Account.objects.get()
    assert (account.document, account.credit_limit) == (CPF_WITH_LEADING_ZERO, Decimal("1500.00"))
    page = manager_client.get(job.get_absolute_url())
    assertContains(page, "These rows were applied with the value shown under “Stored”.")
    assertNotContains(page, "I checked the")


def test_a_single_warning_reads_in_the_singular(manager_client, upload):
    job = upload(csv_bytes([["", "a@example.com", valid_cpf(1), "CPF", "1.500", "", ""]]))
    page = manager_client.get(job.get_absolute_url())
    assertContains(page, "1 warning: check this row")
    assertContains(page, "I checked the warning")


def test_the_error_report_holds_the_rows_with_warnings_too(manager_client, upload):
    job = upload(
        csv_bytes(
            [
                ["", "a@example.com", valid_cpf(1), "CPF", "1.500", "", ""],
                ["", "bad", valid_cpf(2), "CPF", "", "", ""],
                ["", "c@example.com", valid_cpf(3), "CPF", "100", "", ""],
            ]
        )
    )
    response = manager_client.get(reverse("imports:error-report", args=[job.pk]))
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert [line.split(",")[1] for line in lines] == ["Email", "a@example.com", "bad"]
    assert 'Credit limit: Warning: “1.500” could be 1500.00' in lines[1]
    assert "“bad” is not a valid e-mail address." in lines[2]


def test_history_job_page_and_command_json_count_the_same(
    manager_client, upload, confirm, manager
):
    closing = AccountFactory()
    job = confirm(
        upload(
            csv_bytes(
                [
                    ["", "a@example.com", valid_cpf(1), "CPF", "100", "", ""],
                    [closing.pk, "", "", "", "", "", "Closed"],
                    ["", "bad", valid_cpf(2), "CPF", "", "", ""],
                ]
            )
        )
    )
    cancelled = upload(csv_bytes([["", "b@example.com", valid_cpf(3), "CPF", "", "", ""]]))
    cancelled = services.cancel_import_job(job_id=cancelled.pk, user=manager)

    summary = job_summary(job)
    assert {key: summary[key] for key in ("created", "updated", "closed", "errors")} == {
        "created": 1,
        "updated": 0,
        "closed": 1,
        "errors": 1,
    }
    assert job_summary(cancelled)["created"] == 0
    history = manager_client.get(reverse("imports:history")).content.decode()
    assert history_counts(history, job) == {
        "Created": "1",
        "Updated": "0",
        "Closed": "1",
        "Unchanged": "0",
        "Errors": "1",
    }
    # A cancelled job applied nothing: no "Created 1" from its preview.
    assert history_counts(history, cancelled)["Created"] == "—"
    page = manager_client.get(job.get_absolute_url())
    assertContains(page, 'data-count="created">1<')
    assertContains(page, 'data-count="closed">1<')
    assertContains(page, 'data-count="errors">1<')


def history_counts(history: str, job) -> dict[str, str]:
    """The number cells of a job's row in the import history, by their column."""
    [row] = [row for row in history.split("<tr>") if f'href="{job.get_absolute_url()}"' in row]
    cells = re.findall(r'<td class="num" data-label="([^"]+)">(.*?)</td>', row, re.S)
    return {label: re.sub(r"<[^>]+>", "", text).split(" ")[0] for label, text in cells}


def test_warnings_and_row_errors_page_apart_on_the_job_page(manager_client, upload):
    doubtful = [["", f"a{n}@ex.com", valid_cpf(n), "CPF", "1.500", "", ""] for n in range(1, 52)]
    refused = [["", "bad", valid_cpf(100 + n), "CPF", "", "", ""] for n in range(1, 52)]
    job = upload(csv_bytes(doubtful + refused))
    page = manager_client.get(job.get_absolute_url(), {"page": "2"})
    assertContains(page, 'id="warnings_page-count">51 warnings</span>')
    assertContains(page, 'id="result-count">51 rows to fix</span>')
    # The warnings' next page keeps the row errors on their page 2.
    assertContains(page, 'href="?page=2&amp;warnings_page=2" rel="next"')
    assertContains(page, 'href="?page=1" rel="prev"')
