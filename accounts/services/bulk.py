"""The one write path of account changes: what the planner accepted, with history rows.

Single changes (form, API) and import batches alike: every account write goes through
``write_planned_changes``, so the history of a change reads the same whatever its channel.
"""

from collections.abc import Callable, Sequence
from datetime import datetime

from django.db import connection

from accounts.changes import WRITABLE_FIELDS, Action, PlannedChange
from accounts.models import Account

_WRITTEN_FIELDS = ["id", *WRITABLE_FIELDS]
_SCRATCH_TABLE = "import_account_rows"
HISTORY_TYPES = {Action.CREATE: "+", Action.UPDATE: "~", Action.CLOSE: "~"}


def _columns(model, names: list[str]) -> list[str]:
    return [model._meta.get_field(name).column for name in names]


def write_planned_changes(
    changes: Sequence[PlannedChange],
    *,
    channel: str,
    user_id: int | None,
    when: datetime,
    history_source: Callable[[PlannedChange], str],
    import_job: int | None = None,
) -> None:
    """Insert and overwrite accounts in a few statements, each with its history row.

    The caller planned the changes (every rule applied, duplicates checked) and, for the
    updates, holds their rows locked (SELECT … FOR UPDATE) in the transaction it runs this
    in. Unchanged ones are skipped. Versions are bumped so later plans see the change; only
    the fields the batch changes are rewritten (a file that only changes limits spares the
    e-mail and document indexes). ``history_source`` labels each change in the history;
    ``import_job`` (an import's batch) records the job and each change's row on it as data.

    The rows go into a scratch table (COPY on PostgreSQL, executemany on SQLite), then two
    statements do the rest: an upsert into the accounts, and the history rows as copies of
    the account rows just written, so history cannot disagree with what was stored.
    Why SQL and not ``bulk_create``: building a model instance and preparing each field in
    Python costs more than the database work itself at 100,000 rows (see bench/). Table and
    column names come from the models' ``_meta``.
    """
    written = [change for change in changes if change.action != Action.UNCHANGED]
    if not written:
        return
    quote = connection.ops.quote_name
    table = quote(Account._meta.db_table)
    historical = Account.history.model
    fields = [quote(name) for name in _columns(Account, _WRITTEN_FIELDS)]
    fixed = _columns(Account, ["balance", "pre_authorized_credit", "created_at", "updated_at"])
    snapshot = fields + [quote(name) for name in fixed]
    history = _columns(historical, ["history_date", "history_type", "history_user"])
    history += _columns(historical, ["history_channel", "history_source", "history_row"])
    history += _columns(historical, ["history_import"])
    # id, the values after (in WRITABLE_FIELDS order), history type, source and row.
    rows = [
        (
            change.account_id,
            *change.after,
            HISTORY_TYPES[change.action],
            history_source(change)[:200],
            change.reference if import_job is not None else None,
        )
        for change in written
    ]
    update_fields = {
        name
        for change in written
        if change.action != Action.CREATE
        for name in change.changed_fields
    }
    insert = (
        f"INSERT INTO {table} ({', '.join(snapshot)}, {quote('version')}) "  # noqa: S608
        f"SELECT {', '.join(fields)}, 0, 0, %s, %s, 1 FROM {_SCRATCH_TABLE} "
        "WHERE history_type = %s "
    )
    with connection.cursor() as cursor:
        _fill_scratch_table(cursor, rows)
        if any(change.action == Action.CREATE for change in written):
            # No upsert here: a new account whose id is taken (a concurrent PUT) is refused.
            cursor.execute(insert, [when, when, "+"])
        if update_fields:
            cursor.execute(insert + _upsert_clause(table, update_fields), [when, when, "~"])
        cursor.execute(
            f"INSERT INTO {quote(historical._meta.db_table)} "  # noqa: S608
            f"({', '.join(snapshot + [quote(name) for name in history])}) "
            f"SELECT {', '.join('account.' + name for name in snapshot)}, "
            f"%s, rows.history_type, %s, %s, rows.history_source, rows.history_row, %s "
            f"FROM {_SCRATCH_TABLE} rows JOIN {table} account "
            f"ON account.{quote('id')} = rows.{quote('id')}",
            [when, user_id, channel, import_job],
        )


def _fill_scratch_table(cursor, rows: list[tuple]) -> None:
    """The batch's rows in a temporary table of this connection, emptied first."""
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {_SCRATCH_TABLE} (id varchar(100), "
        "email varchar(254), document_type varchar(5), document varchar(50), "
        "credit_limit numeric(14, 2), tolerance numeric(5, 4), status varchar(6), "
        "history_type varchar(1), history_source varchar(200), history_row integer)"
    )
    cursor.execute(f"DELETE FROM {_SCRATCH_TABLE}")  # noqa: S608
    if connection.vendor == "postgresql":
        # COPY runs on psycopg's own cursor, outside Django's error wrapping: without it a
        # value the column refuses raised psycopg's DataError, which the import's row-by-row
        # fallback (catching Django's) never saw, and the whole job failed.
        with (
            connection.wrap_database_errors,
            cursor.cursor.copy(f"COPY {_SCRATCH_TABLE} FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
    else:
        placeholders = ", ".join(["%s"] * len(rows[0]))
        cursor.executemany(f"INSERT INTO {_SCRATCH_TABLE} VALUES ({placeholders})", rows)  # noqa: S608


def _upsert_clause(table: str, update_fields: set[str]) -> str:
    """Overwrite the given writable fields of an existing account and bump its version."""
    quote = connection.ops.quote_name
    names = [name for name in WRITABLE_FIELDS if name in update_fields]
    updated = _columns(Account, names + ["updated_at"])
    version = quote(Account._meta.get_field("version").column)
    return (
        f"ON CONFLICT ({quote(Account._meta.pk.column)}) DO UPDATE SET "
        + ", ".join(f"{quote(name)} = excluded.{quote(name)}" for name in updated)
        + f", {version} = {table}.{version} + 1"
    )
