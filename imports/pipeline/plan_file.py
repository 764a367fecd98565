"""The plan: one CSV line per row that changes an account, written by validation beside the
upload and read back by the apply step (so a million-row file never sits in memory)."""

import csv
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import BinaryIO

from accounts.changes import WRITABLE_FIELDS, AccountValues, Action, PlannedChange


def plan_line(change: PlannedChange) -> list[str]:
    after = change.after
    return [
        str(change.reference),
        change.action,
        change.account_id,
        str(change.version),
        after.email,
        after.document_type,
        after.document,
        str(after.credit_limit),
        str(after.tolerance),
        after.status,
        " ".join(change.changed_fields),
    ]


_ACTIONS = {action.value: action for action in Action}


def from_plan_line(line: list[str]) -> PlannedChange:
    # reference, action, account, values after, values before (not kept), version, changed
    # fields (a plan written before that column existed rewrites every field).
    return PlannedChange(
        int(line[0]),
        _ACTIONS[line[1]],
        line[2],
        AccountValues(line[4], line[5], line[6], Decimal(line[7]), Decimal(line[8]), line[9]),
        None,
        int(line[3]),
        tuple(line[10].split()) if len(line) > 10 else WRITABLE_FIELDS,
    )


def plan_writer(binary: BinaryIO):
    """A csv writer of plan lines into ``binary``; detach its text wrapper when done."""
    text = io.TextIOWrapper(binary, encoding="utf-8", newline="")
    return text, csv.writer(text)


def read_plan(binary: BinaryIO) -> Iterator[PlannedChange]:
    text = io.TextIOWrapper(binary, encoding="utf-8", newline="")
    for line in csv.reader(text):
        yield from_plan_line(line)
