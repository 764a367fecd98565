"""The values the stages pass each other, and the look-ups both stages share."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice

from django.conf import settings
from django.db import connection

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


def open_accounts_with(*, values: list[str], **lookup) -> list[dict]:
    """Open accounts matching one ``<field>__in`` lookup, as dicts of ``values``.

    A plain query finds which accounts match, and only those are loaded through the ORM:
    in a file of new accounts almost nothing matches, and the ORM would spend more time
    preparing thousands of parameters one by one than the database spends answering.
    No ORDER BY and the status tested here rather than in SQL: otherwise SQLite's planner
    walks the (status, created_at) index over every open account instead of the e-mail or
    document index.
    """
    ((name, wanted),) = lookup.items()
    wanted = list(wanted)
    if not wanted:
        return []
    quote = connection.ops.quote_name
    meta = Account._meta
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(meta.pk.column)}, {quote(meta.get_field('status').column)} "  # noqa: S608
            f"FROM {quote(meta.db_table)} "
            f"WHERE {quote(meta.get_field(name.removesuffix('__in')).column)} "
            f"IN ({', '.join(['%s'] * len(wanted))})",
            wanted,
        )
        ids = [account_id for account_id, status in cursor if status == AccountStatus.OPEN]
    if not ids:
        return []
    return list(Account.objects.filter(pk__in=ids).order_by().values(*values))


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
    # A spreadsheet's typed cells by field (reader.iter_records: NumberCell, UnreadableCell).
    typed_cells: dict[str, str] | None = None


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
    # The fields an update changes (all of them for a new account).
    changed: tuple[str, ...] = ()

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
            " ".join(self.changed),
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
            # A plan written before this column existed rewrites every field.
            changed=tuple(line[10].split()) if len(line) > 10 else tuple(CHANGE_FIELDS),
        )


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
