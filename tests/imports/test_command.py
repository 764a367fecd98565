"""`manage.py import_accounts FILE --user USERNAME [--confirm]`: the same job, from cron."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Account
from imports.models import ImportJob
from tests.factories import valid_cpf
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db


def run(*args) -> dict:
    out = StringIO()
    call_command("import_accounts", *args, stdout=out, stderr=StringIO())
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
    preview = run(str(path), "--user", "manager")
    assert preview == {
        "job": preview["job"],
        "status": "ready_to_confirm",
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "errors": 1,
        "file_error": None,
        "row_errors": [{"row": 3, "column": "Credit limit", "message": "“abc” is not a number."}],
    }
    assert not Account.objects.exists()

    applied = run(str(path), "--user", "manager", "--confirm")
    assert applied["status"] == "completed_with_errors"
    assert (applied["created"], applied["errors"]) == (1, 1)
    assert Account.objects.get().email == "a@example.com"
    job = ImportJob.objects.get(pk=applied["job"])
    assert job.created_by == manager
    assert job.original_name == "accounts.csv"


def test_command_reports_a_file_error(tmp_path, manager):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    summary = run(str(path), "--user", "manager", "--confirm")
    assert summary["status"] == "failed"
    assert summary["file_error"].startswith("The file is empty.")
    assert summary["row_errors"] == []


def test_command_refuses_unknown_users_and_users_without_permission(tmp_path, viewer):
    path = tmp_path / "a.csv"
    path.write_bytes(b"Email\r\n")
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        run(str(path), "--user", "nobody")
    with pytest.raises(CommandError, match="lacks the permission accounts.import_accounts"):
        run(str(path), "--user", "viewer")
