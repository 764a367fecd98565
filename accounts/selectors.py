"""Reads of accounts, shared by the Accounts page, the export, the API and the planner."""

import decimal
import re
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from .changes.records import WRITABLE_FIELDS, AccountValues, StoredAccount
from .history import stored_text
from .models import Account, AccountStatus, DocumentType
from .rules import can_be_stored

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
    # No stored value can hold a NUL, so it only ever comes from a mangled paste: dropped.
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


def get_account(account_id: str) -> Account:
    """The account with this id; Account.DoesNotExist for one that could never have been
    stored (too long, or with a NUL, which PostgreSQL refuses even to compare)."""
    if len(account_id) > Account._meta.pk.max_length or not can_be_stored(account_id):
        raise Account.DoesNotExist
    return Account.objects.get(pk=account_id)


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


def estimated_row_count(accounts: QuerySet[Account]) -> int | None:
    """PostgreSQL's planner estimate of how many accounts a filtered list holds (EXPLAIN,
    nothing read). Counting "every open account" exactly reads ~950,000 index entries of a
    million-account table (150 ms); the estimate is answered from statistics in a
    millisecond. None where there is no planner estimate (SQLite)."""
    if connection.vendor != "postgresql":
        return None
    sql, params = accounts.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()
    return int(plan[0]["Plan"]["Plan Rows"])


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

    @property
    def reason(self) -> str:
        """What a change without changed fields did (a holder added or removed)."""
        return stored_text(self.record.history_change_reason)


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


# --- Batch reads for the planner (accounts/changes) ------------------------------------------

STORED_VALUES = ("id", *WRITABLE_FIELDS, "version")


def _stored(row: tuple) -> StoredAccount:
    return StoredAccount(row[0], AccountValues(*row[1:7]), row[7])


def stored_accounts(ids: Collection[str], *, lock: bool = False) -> dict[str, StoredAccount]:
    """Accounts by id (primary key), in one query; with ``lock`` they stay locked
    (SELECT … FOR UPDATE) until the caller's transaction ends."""
    if not ids:
        return {}
    if lock:
        accounts = Account.objects.select_for_update().filter(_id_in(ids)).order_by()
        return {row[0]: _stored(row) for row in accounts.values_list(*STORED_VALUES)}
    # An import's batch (5,000 accounts) in one plain query: the ORM's per-row converters
    # cost more than the query itself. SQLite returns its numeric columns as floats, read
    # back to Decimals exactly as Django's converter does.
    quote = connection.ops.quote_name
    meta = Account._meta
    columns = ", ".join(quote(meta.get_field(name).column) for name in STORED_VALUES)
    condition, params = _ids_condition(ids)
    with connection.cursor() as cursor:
        sql = f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {condition}"  # noqa: S608
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if connection.vendor == "sqlite":
        return {row[0]: _stored(_sqlite_decimals(row)) for row in rows}
    return {row[0]: _stored(row) for row in rows}


_sqlite_decimal = decimal.Context(prec=15).create_decimal_from_float  # as Django's converter
CENTS, TEN_THOUSANDTHS = Decimal("0.01"), Decimal("0.0001")


def _sqlite_decimals(row: tuple) -> tuple:
    """A STORED_VALUES row from SQLite with its credit limit and tolerance as Decimals of
    their fields' decimal places."""
    return (
        *row[:4],
        _sqlite_decimal(row[4]).quantize(CENTS),
        _sqlite_decimal(row[5]).quantize(TEN_THOUSANDTHS),
        *row[6:],
    )


def _id_in(ids: Collection[str]) -> RawSQL:
    """``id IN (…)`` for a batch's ids, passed to the database as they are.

    ``pk__in`` prepares each of a 5,000-row batch's ids one by one (get_db_prep_value): in
    a profile of a 100,000-row update that was a fifth of the whole import, more than the
    queries themselves. The rows read still go through the ORM's converters (Decimals).
    """
    return RawSQL(*_ids_condition(ids), output_field=BooleanField())  # noqa: S611 -- params


def _ids_condition(ids: Collection[str]) -> tuple[str, list]:
    """SQL and parameters matching the accounts with these ids. PostgreSQL takes them as one
    array: psycopg parses a query with 5,000 placeholders at a cost (0.7 s of CPU in a
    20,000-row update), and the primary key index serves ``= ANY`` as it serves ``IN``."""
    column = connection.ops.quote_name(Account._meta.pk.column)
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(ids)]
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def locked_versions(ids: Collection[str]) -> dict[str, int]:
    """The versions of these accounts, locked (SELECT … FOR UPDATE) until the transaction
    ends: nobody changes them between this check and the write."""
    if not ids:
        return {}
    accounts = Account.objects.select_for_update().filter(_id_in(ids)).order_by()
    return dict(accounts.values_list("id", "version"))


def open_accounts_with(*, fields: Collection[str], **lookup: Collection[str]) -> list[tuple]:
    """Open accounts matching one ``<field>__in`` lookup, as tuples of ``fields``.

    A plain query finds which accounts match (account_email_idx / account_document_idx),
    and only those are loaded through the ORM: in a file of new accounts almost nothing
    matches, and the ORM would spend more time preparing thousands of parameters one by one
    than the database spends answering. No ORDER BY and the status tested here rather than
    in SQL: otherwise SQLite's planner walks the (status, created_at) index over every open
    account instead of the e-mail or document index.
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
    return list(Account.objects.filter(pk__in=ids).order_by().values_list(*fields))


def open_accounts_by_document(documents: Collection[str]) -> dict[tuple[str, str], StoredAccount]:
    """Open accounts holding any of these documents, by (document type, document)."""
    found = open_accounts_with(document__in=documents, fields=STORED_VALUES)
    return {
        (account.values.document_type, account.values.document): account
        for account in map(_stored, found)
    }


def open_account_ids_by_email(emails: Collection[str]) -> dict[str, str]:
    """Ids of the open accounts holding any of these e-mails, by e-mail."""
    return {
        email: account_id
        for account_id, email in open_accounts_with(email__in=emails, fields=("id", "email"))
    }


def closed_account_of(*, email: str, document_type: str, document: str) -> str | None:
    """The id of a closed account held by this e-mail or document, if any (account_email_idx,
    account_document_idx): opening a new one for that customer gives back withdrawn credit."""
    condition = Q(email=email) if email else Q()
    if document:
        condition |= Q(document_type=document_type, document=document)
    if not condition:
        return None
    closed = Account.objects.filter(condition, status=AccountStatus.CLOSED)
    return closed.values_list("pk", flat=True).first()


def existing_account_ids(ids: Collection[str]) -> set[str]:
    return set(Account.objects.filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()


def last_changes(ids: Collection[str]) -> dict[str, dict[str, str]]:
    """Who last changed each account, when and through which channel (its newest history
    row), as the parameters of a ``stale_version`` problem."""
    newest: dict[str, dict[str, str]] = {}
    records = (
        Account.history.filter(id__in=ids)
        .order_by("id", "-history_id")
        .values_list(
            "id", "history_user__username", "history_date", "history_channel", "history_source"
        )
    )
    for account_id, username, when, channel, source in records:
        if account_id not in newest:
            newest[account_id] = {
                "user": username or "",
                "when": when.isoformat(),
                "channel": channel,
                "source": source,
            }
    return newest
