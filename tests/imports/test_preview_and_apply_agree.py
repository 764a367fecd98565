"""What the preview accepts, applying stores: every database limit is a rule the planner
checks at preview (the same in the form, the API and the import), and a row the database
still refuses when applied is that row's error, never its batch's.

Issue 10, finding 3: e-mails of 255–320 characters passed the preview and failed at apply,
the whole batch was lost, Retry looped and the command's JSON said "created": 10 beside
status failed. Run these on PostgreSQL too (DATABASE_URL)."""

import json
from decimal import Decimal
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import DataError, connection
from django.urls import reverse
from pytest_django.asserts import assertContains

from accounts.models import Account
from accounts.services import create_api_key
from imports.models import ImportJob
from imports.pipeline import apply as apply_module
from tests.api.conftest import ALL_SCOPES, ApiCaller, key_headers
from tests.factories import valid_cpf
from tests.imports.conftest import csv_bytes, row_errors

pytestmark = pytest.mark.django_db

# A well-formed address of 300 characters: its local part and every label of its domain fit
# their own limits (64, 63), only the whole does not fit the column (254).
LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 63, "c" * 63, "d" * 63, "e" * 39]) + ".com"


def test_the_long_email_is_well_formed_and_only_too_long():
    assert len(LONG_EMAIL) == 300
    assert Account._meta.get_field("email").max_length == 254


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({1: LONG_EMAIL}, "Email", "The e-mail has 300 characters: at most 254 fit."),
        (
            {2: "X" * 51, 3: "Other"},
            "Document",
            "The document is too long: at most 50 characters.",
        ),
        ({4: "1000000000000"}, "Credit limit", "The credit limit is too large"),
        ({4: "100.5555"}, "Credit limit", "at most 2 decimal places"),
        ({5: "0.00001"}, "Tolerance rate", "at most 4 decimal places"),
        ({0: "x" * 101}, "Id", ""),
    ],
)
def test_a_value_the_database_cannot_hold_is_a_row_error_at_preview(upload, cells, column, message):
    row = ["", "ok@example.com", valid_cpf(3), "CPF", "100", "0.05", ""]
    for position, value in cells.items():
        row[position] = value
    job = upload(csv_bytes([row, ["", "fine@example.com", valid_cpf(4), "CPF", "50", "", ""]]))

    assert job.status == ImportJob.Status.READY_TO_CONFIRM
    [(row_number, error_column, error_message)] = row_errors(job)
    assert (row_number, error_column) == (2, column)
    assert message in error_message
    assert (job.to_create, job.error_count) == (1, 1)


def test_the_long_email_gets_the_same_message_in_the_form_the_api_and_the_import(
    upload, manager_client
):
    api = ApiCaller(manager_client, key_headers(*create_api_key(name="ERP", scopes=ALL_SCOPES)))
    expected = "The e-mail has 300 characters: at most 254 fit."
    job = upload(csv_bytes([["", LONG_EMAIL, valid_cpf(5), "CPF", "100", "", ""]]))
    assert row_errors(job) == [(2, "Email", expected)]

    page = manager_client.post(
        reverse("accounts:create"),
        {
            "document_type": "CPF",
            "document": valid_cpf(5),
            "email": LONG_EMAIL,
            "credit_limit": "100",
            "tolerance": "0",
        },
    )
    assertContains(page, expected)

    response = api("POST", "/accounts", {"document": valid_cpf(5), "email": LONG_EMAIL})
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert not Account.objects.exists()


def refuse_row_at_apply(refused_email: str):
    """The database refusing one row at apply time, as PostgreSQL refuses a value it cannot
    hold (DataError), whatever the preview said."""
    write = apply_module.write_planned_changes

    def write_refusing(changes, **kwargs):
        if any(change.after.email == refused_email for change in changes):
            raise DataError("value too long for type character varying(254)")
        return write(changes, **kwargs)

    return mock.patch.object(apply_module, "write_planned_changes", write_refusing)


def test_a_row_the_database_refuses_when_applied_is_its_error_and_its_batch_is_applied(
    upload, confirm, manager_client
):
    rows = [
        ["", f"row{number}@example.com", valid_cpf(10 + number), "CPF", "100", "", ""]
        for number in range(5)
    ]
    job = upload(csv_bytes(rows))
    assert (job.to_create, job.error_count) == (5, 0)

    with refuse_row_at_apply("row2@example.com"):
        job = confirm(job)

    assert job.status == ImportJob.Status.COMPLETED_WITH_ERRORS
    assert (job.created_count, job.conflict_count) == (4, 1)
    assert Account.objects.count() == 4
    assert not Account.objects.filter(email="row2@example.com").exists()
    [(row, column, message)] = row_errors(job)
    assert row == 4 and message.startswith("The database refused this row when it was applied")
    assert not job.can_retry
    # The pages report what was stored: 4 created, 1 row with errors.
    page = manager_client.get(reverse("imports:job-detail", args=[job.pk]))
    assertContains(page, "The database refused this row when it was applied")
    assert job.counts.created == 4 and job.counts.error_rows == 1
    assert all(entry["row"] != 4 for entry in job.change_sample)


def test_the_commands_json_counts_what_was_stored_when_a_row_is_refused_at_apply(
    tmp_path, manager
):
    rows = [
        ["", f"cmd{number}@example.com", valid_cpf(30 + number), "CPF", "100", "", ""]
        for number in range(3)
    ]
    path = tmp_path / "accounts.csv"
    path.write_bytes(csv_bytes(rows))
    out = StringIO()

    with refuse_row_at_apply("cmd0@example.com"), pytest.raises(CommandError) as outcome:
        call_command(
            "import_accounts", str(path), "--user", "manager", "--confirm", stdout=out,
            stderr=StringIO(),
        )

    assert outcome.value.returncode == 3
    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    assert summary["status"] == "completed_with_errors"
    assert (summary["created"], summary["errors"]) == (2, 1)
    assert [error["code"] for error in summary["row_errors"]] == ["row_not_applied"]
    assert Account.objects.count() == 2
    assert set(Account.objects.values_list("credit_limit", flat=True)) == {Decimal("100.00")}


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite stores a string of any length"
)
def test_a_real_database_refusal_at_apply_rolls_back_only_its_row(upload, confirm):
    """Should a rule and a column ever drift apart, PostgreSQL's own refusal (not a mock)
    is the row's error, and the rest of the batch is written in the same transaction."""
    rows = [
        ["", "short@example.com", valid_cpf(40), "CPF", "100", "", ""],
        ["", LONG_EMAIL, valid_cpf(41), "CPF", "100", "", ""],
        ["", "other@example.com", valid_cpf(42), "CPF", "100", "", ""],
    ]
    with mock.patch("accounts.rules.EMAIL_MAX_LENGTH", 400):
        job = confirm(upload(csv_bytes(rows)))

    assert (job.status, job.created_count, job.conflict_count) == (
        ImportJob.Status.COMPLETED_WITH_ERRORS, 2, 1
    )
    assert [row for row, _column, _message in row_errors(job)] == [3]
    assert sorted(Account.objects.values_list("email", flat=True)) == [
        "other@example.com", "short@example.com"
    ]
