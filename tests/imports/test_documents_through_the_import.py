"""Ten thousand CPFs and CNPJs, as spreadsheets mangle them, through the real import: no
account ever gets a document other than the one that was typed."""

import random

import pytest

from accounts.models import Account
from tests.imports.conftest import csv_bytes
from tests.spreadsheet_damage import random_documents, what_spreadsheets_write

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
    assert {email: typed[email] for email in stored} == stored
    # Not vacuous: most are read back (exactly one valid reading), the rest refused with a fix.
    assert len(stored) > 6000
    assert job.error_count == len(rows) - len(stored)
