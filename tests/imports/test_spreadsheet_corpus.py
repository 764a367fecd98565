"""The spreadsheet corpus through `import_accounts FILE --user U --confirm`, as a script runs it:
each file leaves exactly the accounts it means, and whatever is doubtful stops it until the
warnings are accepted."""

import io
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts import services as account_services
from accounts.history import ChangeSource, Channel
from accounts.models import Account
from imports import number_style, reader
from tests.factories import AccountFactory
from tests.spreadsheet_corpus import FILES, CorpusFile, Refused, Stored

pytestmark = pytest.mark.django_db

IDS = [corpus_file.name for corpus_file in FILES]


def run_import(path, *options) -> tuple[int, dict]:
    out = StringIO()
    try:
        call_command("import_accounts", str(path), "--user", "manager", *options, stdout=out)
    except CommandError as error:
        status = error.returncode
    else:
        status = 0
    return status, json.loads(out.getvalue().strip().splitlines()[-1])


def stored_accounts() -> dict[str, Stored]:
    return {
        account.email: (account.document_type, account.document, account.credit_limit,
                        account.tolerance)
        for account in Account.objects.all()
    }  # fmt: skip


def expected_accounts(corpus_file: CorpusFile) -> dict[str, tuple]:
    if corpus_file.final_accounts is not None:
        return {
            email: (document_type, document, Decimal(limit), Decimal(tolerance))
            for email, (document_type, document, limit, tolerance) in (
                corpus_file.final_accounts.items()
            )
        }
    return {
        row.email: (
            row.expect.document_type,
            row.expect.document,
            Decimal(row.expect.credit_limit),
            Decimal(row.expect.tolerance),
        )
        for row in corpus_file.rows
        if isinstance(row.expect, Stored)
    }


def row_number(corpus_file: CorpusFile, email: str) -> int:
    return 2 + [row.email for row in corpus_file.rows].index(email)


def prepare(corpus_file: CorpusFile, path) -> None:
    """The accounts the file refers to, and its earlier upload with the changes made since."""
    for pk, email, document_type, document, limit in corpus_file.existing:
        AccountFactory(
            pk=pk,
            email=email,
            document_type=document_type,
            document=document,
            credit_limit=Decimal(limit),
            tolerance=Decimal("0"),
        )
    if corpus_file.imported_before:
        status, _summary = run_import(path, "--confirm", "--accept-warnings")
        assert status == 0
    source = ChangeSource(channel=Channel.FORM, label="paula")
    for pk, values in corpus_file.changed_since:
        account_services.change_account(account_id=pk, values=values, source=source)


@pytest.mark.parametrize("corpus_file", FILES, ids=IDS)
def test_every_corpus_file_stores_exactly_what_it_means(corpus_file, manager, tmp_path):
    path = tmp_path / corpus_file.name
    path.write_bytes(corpus_file.content)
    prepare(corpus_file, path)
    before = stored_accounts()
    refused = {
        (row_number(corpus_file, row.email), row.expect.code)
        for row in corpus_file.rows
        if isinstance(row.expect, Refused)
    }
    warned = {
        (row_number(corpus_file, row.email), code)
        for row in corpus_file.rows
        if isinstance(row.expect, Stored)
        for code in row.expect.warnings
    }

    status, summary = run_import(path, "--confirm")
    assert {(error["row"], error["code"]) for error in summary["row_errors"]} == refused
    assert {(warning["row"], warning["code"]) for warning in summary["row_warnings"]} == warned
    if warned:
        # A script that did not accept warnings applies nothing, and says so.
        assert (status, summary["status"]) == (5, "ready_to_confirm")
        assert stored_accounts() == before
        status, summary = run_import(path, "--confirm", "--accept-warnings")
    assert status == (3 if refused else 0)
    assert stored_accounts() == expected_accounts(corpus_file)


@pytest.mark.parametrize("corpus_file", FILES, ids=IDS)
def test_every_corpus_files_number_style_is_decided_from_its_cells_then_its_format(corpus_file):
    content = corpus_file.content
    file_format = reader.inspect_file(lambda: io.BytesIO(content), size=len(content))
    decision = number_style.decide_file_number_style(lambda: io.BytesIO(content), file_format)
    assert (decision.mark, decision.basis) == (corpus_file.style, corpus_file.basis)
