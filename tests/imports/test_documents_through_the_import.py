"""Ten thousand CPFs and CNPJs, as spreadsheets mangle them, through the real import (as CSV
text and as .xlsx number cells): no account ever gets a document other than the one that was
typed unless its row carried a warning that said so (a number cell ending in the zeros of a
scientific-notation read-back)."""

import random

import pytest

from accounts.models import Account
from tests.imports.conftest import HEADER, csv_bytes
from tests.imports.spreadsheet_files import xlsx_bytes
from tests.spreadsheet_damage import random_documents, rounded_back, what_spreadsheets_write

pytestmark = pytest.mark.django_db


def test_ten_thousand_mangled_documents_are_stored_as_typed_or_refused(upload, confirm):
    rng = random.Random(2026)  # fixed: the same file on every run
    typed = {}
    rows = []
    for document_type in ("CPF", "CNPJ"):
        for document in random_documents(rng, document_type, 5000):
            email = f"p{len(rows)}@example.com"
            typed[email] = document
            cell = rng.choice(what_spreadsheets_write(document))
            rows.append(["", email, cell, document_type, "", "", ""])
    job = confirm(upload(csv_bytes(rows)))

    stored = dict(Account.objects.values_list("email", "document"))
    assert_stored_as_typed_or_warned(job, typed, stored)
    # Not vacuous: most are read back (exactly one valid reading), the rest refused with a fix.
    assert len(stored) > 6000
    assert job.error_count == len(rows) - len(stored)


def test_documents_typed_as_numbers_in_an_xlsx_are_stored_as_typed_or_refused(upload, confirm):
    """What Excel keeps of a document typed into a General cell: the integer (leading zeros
    gone), the same as a float, or the number read back after it was shown as 5.29982E+10."""
    rng = random.Random(2027)
    typed = {}
    rows = [HEADER]
    for document_type in ("CPF", "CNPJ"):
        for document in random_documents(rng, document_type, 1000):
            email = f"p{len(rows)}@example.com"
            typed[email] = document
            number = int(document)
            cell = rng.choice([number, float(number), int(rounded_back(number))])
            rows.append(["", email, cell, document_type, 100, 0, ""])
    job = confirm(upload(xlsx_bytes(rows), name="typed.xlsx"))

    stored = dict(Account.objects.values_list("email", "document"))
    assert_stored_as_typed_or_warned(job, typed, stored)
    assert len(stored) > 1000
    refused = job.row_errors.values_list("code", flat=True)
    assert job.error_count == len(rows) - 1 - len(stored)
    # A refused number cell says to format the column as Text and type it again; a CNPJ that
    # lost three zeros may read as a valid CPF (choose CPF, says the hint); two documents
    # rounded the same way are the same document twice.
    assert "document_number_unreadable" in refused
    assert set(refused) <= {
        "document_number_unreadable",
        "other_document_type",
        "document_twice_in_file",
    }


def assert_stored_as_typed_or_warned(job, typed: dict[str, str], stored: dict[str, str]) -> None:
    """Each stored document is the one typed, or its row carried the warning that the digits
    a spreadsheet lost may have come back as zeros (the one case no rule can tell apart)."""
    warned = {
        (warning.row_number, warning.stored_value)
        for warning in job.row_warnings.filter(code="document_may_have_lost_digits")
    }
    row_of = {email: position + 2 for position, email in enumerate(typed)}
    wrong = {email: document for email, document in stored.items() if document != typed[email]}
    assert all((row_of[email], document) in warned for email, document in wrong.items())
