"""The values the stages pass each other, and the look-ups both stages share."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice

from django.conf import settings

from accounts.models import Account, AccountStatus, DocumentType

from ..models import ImportJob, ImportRowError

BATCH_SIZE = 5000  # rows per query round and per transaction; settings.IMPORT_BATCH_SIZE


def configured_batch_size() -> int:
    return getattr(settings, "IMPORT_BATCH_SIZE", BATCH_SIZE)


SAMPLE_SIZE = 25
ACCOUNT_VALUES = [
    "id",
    "email",
    "document_type",
    "document",
    "credit_limit",
    "tolerance",
    "status",
    "version",
]
CHANGE_FIELDS = ["email", "document_type", "document", "credit_limit", "tolerance", "status"]
DOCUMENT_TYPES = tuple(DocumentType.values)


def open_accounts_with(*, values: list[str], **lookup) -> Iterator[dict]:
    """Open accounts matching an ``__in`` lookup, as dicts.

    No ORDER BY and the status tested here rather than in SQL: otherwise SQLite's planner
    walks the (status, created_at) index over every open account instead of the e-mail or
    document index.
    """
    (values_in,) = lookup.values()
    if not values_in:
        return iter(())
    fields = list(dict.fromkeys([*values, "status"]))
    accounts = Account.objects.filter(**lookup).order_by().values(*fields)
    return (account for account in accounts if account["status"] == AccountStatus.OPEN)


class Action:
    CREATE = "create"
    UPDATE = "update"
    CLOSE = "close"


@dataclass(slots=True)
class ParsedRow:
    """One data row of the file: its spreadsheet number and the raw text of each field."""

    row_number: int
    values: dict[str, str]
    extra_cells: int = 0


@dataclass(slots=True)
class RowError:
    row_number: int
    column: str
    value: str
    message: str
    code: str

    def as_model(self, job: ImportJob) -> ImportRowError:
        return ImportRowError(
            job=job,
            row_number=self.row_number,
            column=self.column[:100],
            value=self.value[:255],
            message=self.message,
            code=self.code[:50],
        )


@dataclass(slots=True)
class Change:
    """What one valid row will do to one account (a line of the plan)."""

    row_number: int
    action: str
    account_id: str
    version: int  # the account's version at preview; 0 for a new account
    email: str
    document_type: str
    document: str
    credit_limit: Decimal
    tolerance: Decimal
    status: str

    def as_plan_line(self) -> list[str]:
        return [
            str(self.row_number),
            self.action,
            self.account_id,
            str(self.version),
            self.email,
            self.document_type,
            self.document,
            str(self.credit_limit),
            str(self.tolerance),
            self.status,
        ]

    @classmethod
    def from_plan_line(cls, line: list[str]) -> "Change":
        return cls(
            row_number=int(line[0]),
            action=line[1],
            account_id=line[2],
            version=int(line[3]),
            email=line[4],
            document_type=line[5],
            document=line[6],
            credit_limit=Decimal(line[7]),
            tolerance=Decimal(line[8]),
            status=line[9],
        )


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
