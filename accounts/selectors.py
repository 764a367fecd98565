"""Reads of accounts, shared by the Accounts page, the export and the API."""

import re
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from .models import Account, AccountStatus, DocumentType

SORTABLE_FIELDS = {
    "email": "email",
    "document": "document",
    "credit_limit": "credit_limit",
    "tolerance": "tolerance",
    "status": "status",
    "created": "created_at",
}
DEFAULT_ORDERING = "-created"

# Fields whose changes history does not show: bumped on every save, or moved by the ledger
# without a history row (its movements are their record), so a diff would pin them on the
# next edit of the account.
HISTORY_HIDDEN_FIELDS = ["updated_at", "balance", "pre_authorized_credit"]
# History lists changed fields in the order the account page shows them.
FIELD_ORDER = {field.name: position for position, field in enumerate(Account._meta.fields)}

_document_punctuation = re.compile(r"[\s./\-]")


def search_accounts(
    *,
    query: str = "",
    status: str = "",
    document_type: str = "",
    email: str = "",
    ordering: str = "",
) -> QuerySet[Account]:
    """Accounts matching a free-text query (e-mail, document with or without mask, id).

    Every branch is an equality on an indexed column (primary key, account_email_idx,
    account_document_idx), so PostgreSQL answers the OR with a bitmap of index scans on a
    million accounts. E-mail is matched whole on purpose: a prefix (LIKE 'ana%') cannot use
    a plain b-tree index unless the database collation is "C".
    Unknown status or document type values are ignored rather than matching nothing.
    """
    accounts = Account.objects.all()
    # No stored value can hold a NUL (PostgreSQL refuses it in text), so it only ever
    # comes from a mangled paste; dropping it keeps the lookup from failing.
    query = query.replace("\x00", "").strip()
    if query:
        condition = Q(pk=query) | Q(email=query.lower())
        compact = _document_punctuation.sub("", query).upper()
        if compact:
            condition |= Q(document=compact)
        if compact != query:
            # "Other" documents are stored as typed (trimmed), punctuation included.
            condition |= Q(document=query)
        accounts = accounts.filter(condition)
    if status in AccountStatus.values:
        accounts = accounts.filter(status=status)
    if document_type in DocumentType.values:
        accounts = accounts.filter(document_type=document_type)
    if email:
        accounts = accounts.filter(email=email.replace("\x00", "").strip().lower())
    return accounts.order_by(*ordering_for(ordering))


def ordering_for(sort: str) -> list[str]:
    """Translate a `?sort=` value (`created`, `-email`, …) into a stable ORDER BY.

    Ties (same limit, same status) show the newest account first; the id makes the order
    total so a row never appears on two pages.
    """
    descending = sort.startswith("-")
    field = SORTABLE_FIELDS.get(sort.lstrip("-"))
    if field is None or field == "created_at":
        return ["created_at" if field and not descending else "-created_at", "id"]
    return [f"-{field}" if descending else field, "-created_at", "id"]


def estimated_account_count() -> int | None:
    """PostgreSQL's planner estimate of the number of accounts (kept by ANALYZE/autovacuum).

    An exact COUNT(*) reads the whole table — seconds at a million rows — so the unfiltered
    list shows this estimate instead. None where no estimate exists (SQLite, never analyzed).
    """
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [Account._meta.db_table],
        )
        row = cursor.fetchone()
    if row is None or row[0] < 0:
        return None
    return int(row[0])


@dataclass(frozen=True)
class FieldChange:
    """One field of one history entry: its old and new value (raw, formatted by the page)."""

    field: str
    label: str
    old: Any
    new: Any


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded change of an account, as the account page lists it."""

    record: Any  # the HistoricalAccount row: who, when, channel, source, type
    changes: list[FieldChange]

    @property
    def is_creation(self) -> bool:
        return self.record.history_type == "+"


def account_history(*, account: Account, limit: int = 100) -> list[HistoryEntry]:
    """The newest changes of an account, each with the fields that changed (old → new).

    A creation lists the values the account was opened with (old is None).
    """
    records = list(
        account.history.select_related("history_user").order_by("-history_id")[: limit + 1]
    )
    entries = []
    for record, previous in zip(records, records[1:] + [None], strict=True):
        if record.history_type == "+":
            changes = _opening_values(record)
        elif previous is not None:
            delta = record.diff_against(previous, excluded_fields=HISTORY_HIDDEN_FIELDS)
            changes = [
                FieldChange(
                    field=change.field,
                    label=str(record._meta.get_field(change.field).verbose_name),
                    old=change.old,
                    new=change.new,
                )
                for change in sorted(delta.changes, key=lambda change: FIELD_ORDER[change.field])
            ]
        else:
            changes = []  # the entry before it is past the limit: nothing to compare with
        entries.append(HistoryEntry(record=record, changes=changes))
    return entries[:limit]


def _opening_values(record) -> list[FieldChange]:
    fields = ["document_type", "document", "email", "credit_limit", "tolerance", "status"]
    return [
        FieldChange(
            field=field,
            label=str(record._meta.get_field(field).verbose_name),
            old=None,
            new=getattr(record, field),
        )
        for field in fields
    ]
