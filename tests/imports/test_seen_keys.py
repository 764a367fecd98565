"""Duplicates within a file are found however large the file: past a limit, the table of
keys already seen moves from memory to a scratch file on disk."""

from functools import partial

import pytest

from accounts.changes import planner
from accounts.changes.seen_keys import SeenKeys
from tests.factories import AccountFactory, valid_cpf
from tests.imports.conftest import csv_bytes, row_errors


def test_keys_spill_to_disk_and_still_name_the_first_row():
    seen = SeenKeys(memory_limit=2)
    for batch in (["a", "b"], ["c", "a"], ["d", "c", "d"]):
        seen.prefetch(batch)
        for number, key in enumerate(batch):
            if seen.first_row(key) is None:
                seen.add(key, 10 * len(key) + number)
        seen.end_batch()
    assert seen._disk is not None
    seen.prefetch(["a", "c", "d", "zzz"])
    assert [seen.first_row(key) for key in ["a", "c", "d", "zzz"]] == [10, 10, 10, None]
    seen.close()
    assert seen._disk is None


@pytest.mark.django_db
def test_duplicates_across_batches_are_found_once_keys_live_on_disk(upload, settings, monkeypatch):
    settings.IMPORT_BATCH_SIZE = 2
    monkeypatch.setattr(planner, "SeenKeys", partial(SeenKeys, memory_limit=3))
    account = AccountFactory()
    rows = [
        [account.pk, "", "", "", "100", "", ""],
        ["", "one@example.com", valid_cpf(1), "CPF", "", "", ""],
        ["", "two@example.com", valid_cpf(2), "CPF", "", "", ""],
        ["", "three@example.com", valid_cpf(3), "CPF", "", "", ""],
        ["", "one@example.com", valid_cpf(4), "CPF", "", "", ""],
        [account.pk, "", "", "", "200", "", ""],
        ["", "x@example.com", valid_cpf(2), "CPF", "", "", ""],
    ]
    job = upload(csv_bytes(rows))
    assert [(row, column) for row, column, _message in row_errors(job)] == [
        (6, "Email"),
        (7, "Id"),
        (8, "Document"),
    ]
    assert "Row 3 of this file already uses this e-mail" in row_errors(job)[0][2]
    assert "already in row 2 of this file" in row_errors(job)[1][2]
    assert "Row 4 of this file already has this document" in row_errors(job)[2][2]
