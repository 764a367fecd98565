"""`manage.py import_accounts FILE --user USERNAME [--confirm]`: the same job, from cron."""

import json
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Account
from imports import services
from imports.models import ImportJob
from tests.factories import valid_cpf
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db


def run(*args, exit_status: int = 0) -> dict:
    """Run the command; check its exit status (as the shell would see it) and return its JSON."""
    out = StringIO()
    try:
        call_command("import_accounts", *args, stdout=out, stderr=StringIO())
    except CommandError as error:
        assert (error.returncode, str(error)) == (exit_status, str(error))
    else:
        assert exit_status == 0
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_command_previews_then_applies_and_prints_the_summary_json(tmp_path, manager):
    path = tmp_path / "accounts.csv"
    path.write_bytes(
        csv_bytes(
            [
                ["", "a@example.com", valid_cpf(1), "CPF", "100", "", ""],
                ["", "b@example.com", valid_cpf(2), "CPF", "abc", "", ""],
            ]
        )
    )
    preview = run(str(path), "--user", "manager", exit_status=3)
    assert preview == {
        "job": preview["job"],
        "status": "ready_to_confirm",
        "counts": "planned",
        "created": 1,
        "updated": 0,
        "closed": 0,
        "unchanged": 0,
        "errors": 1,
        "warnings": 0,
        "file_error": None,
        "money": {
            "before_total": "0.00",
            "after_total": "100.00",
            "net_change": "100.00",
            "new_credit": "100.00",
            "new_accounts": 1,
            "increases_total": "0.00",
            "increases_count": 0,
            "decreases_total": "0.00",
            "decreases_count": 0,
            "closed_credit": "0.00",
            "closed_count": 0,
            "largest_increase": None,
            "largest_decrease": None,
            "highest_new_limit": {
                "account": preview["money"]["highest_new_limit"]["account"],
                "row": 2,
                "old": None,
                "new": "100.00",
            },
        },
        "approval": {"reasons": [], "decision": None, "by": None, "at": None, "reason": None},
        "row_errors": [
            {
                "row": 3,
                "column": "Credit limit",
                "code": "not_a_number",
                "message": "“abc” is not a number.",
            }
        ],
        "row_warnings": [],
    }
    assert not Account.objects.exists()

    applied = run(str(path), "--user", "manager", "--confirm", exit_status=3)
    assert applied["status"] == "completed_with_errors"
    assert (applied["created"], applied["errors"]) == (1, 1)
    assert Account.objects.get().email == "a@example.com"
    job = ImportJob.objects.get(pk=applied["job"])
    assert job.created_by == manager
    assert job.original_name == "accounts.csv"


def test_command_reports_a_file_error(tmp_path, manager):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    summary = run(str(path), "--user", "manager", "--confirm", exit_status=4)
    assert summary["status"] == "failed"
    assert summary["file_error"].startswith("The file is empty.")
    assert summary["row_errors"] == []


def test_command_refuses_unknown_users_and_users_without_permission(tmp_path, viewer):
    path = tmp_path / "a.csv"
    path.write_bytes(b"Email\r\n")
    with pytest.raises(CommandError, match="No user named 'nobody'") as error:
        call_command("import_accounts", str(path), "--user", "nobody")
    assert error.value.returncode == 1
    with pytest.raises(CommandError, match="lacks the permission accounts.import_accounts"):
        call_command("import_accounts", str(path), "--user", "viewer")


def test_exit_status_is_zero_only_when_every_row_is_fine(tmp_path, manager):
    path = tmp_path / "accounts.csv"
    path.write_bytes(csv_bytes([["", "a@example.com", valid_cpf(1), "CPF", "100", "", ""]]))
    assert run(str(path), "--user", "manager")["status"] == "ready_to_confirm"
    assert run(str(path), "--user", "manager", "--confirm")["status"] == "completed"


@pytest.mark.parametrize(
    ("content", "exit_status", "explanation"),
    [
        (
            csv_bytes([["", "a@example.com", valid_cpf(1), "CPF", "abc", "", ""]]),
            3,
            "1 row has errors, listed in the JSON summary; the other rows were applied.",
        ),
        (b"", 4, "the file was rejected. The file is empty."),
        (b"Name,Phone\r\nAna,1\r\n", 4, "the file was rejected. Unknown column"),
    ],
)
def test_exit_status_tells_a_script_what_went_wrong(
    tmp_path, manager, content, exit_status, explanation
):
    path = tmp_path / "accounts.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError) as error:
        call_command(
            "import_accounts", str(path), "--user", "manager", "--confirm", stdout=StringIO()
        )
    assert error.value.returncode == exit_status
    assert explanation in str(error.value)
    assert not Account.objects.exists()


def test_exit_status_of_a_failed_job_is_six(tmp_path, manager):
    path = tmp_path / "accounts.csv"
    path.write_bytes(csv_bytes([["", "a@example.com", valid_cpf(1), "CPF", "100", "", ""]]))
    with mock.patch.object(services.pipeline, "validate_file", side_effect=RuntimeError("disk")):
        summary = run(str(path), "--user", "manager", "--confirm", exit_status=6)
    assert summary["status"] == "failed"
    assert not Account.objects.exists()


def test_command_imports_a_spreadsheet_and_reports_its_formula_cell(tmp_path, manager):
    from tests.imports.conftest import HEADER
    from tests.imports.spreadsheet_files import xlsx_bytes

    path = tmp_path / "contas.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [
                HEADER,
                ["", "a@example.com", valid_cpf(1), "CPF", 100, 0.05, "Open"],
                ["", "b@example.com", valid_cpf(2), "CPF", "=A1*2", 0, ""],
            ]
        )
    )
    summary = run(str(path), "--user", "manager", "--confirm", exit_status=3)
    assert (summary["status"], summary["created"], summary["errors"]) == (
        "completed_with_errors", 1, 1,
    )  # fmt: skip
    [error] = summary["row_errors"]
    assert (error["row"], error["column"]) == (3, "Credit limit")
    assert "formula whose result was not saved" in error["message"]
    account = Account.objects.get(email="a@example.com")
    assert (account.credit_limit, str(account.tolerance)) == (100, "0.0500")
