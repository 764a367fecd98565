"""The import methods the benchmark compares, each run in its own process.

- ``floor``: raw inserts (SQLite executemany, PostgreSQL COPY + INSERT … SELECT), no validation.
- ``import_export``: django-import-export's admin flow with a plain resource: a dry run, then the
  import (two passes), one row at a time.
- ``ours``: creditadmin's own job pipeline, exactly as a staff upload runs it: the job is created
  from the file, validated with every rule (preview), confirmed and applied.
"""

import csv
import io
import uuid
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

ACCOUNT_COLUMNS = [
    "id", "email", "document_type", "document", "credit_limit", "tolerance", "status",
    "balance", "pre_authorized_credit", "created_at", "updated_at", "version",
]  # fmt: skip


def _floor_rows(path: Path):
    now = timezone.now()
    with path.open(newline="", encoding="utf-8") as file:
        reader = csv.reader(file)
        next(reader)
        for row in reader:
            yield (
                row[0] or str(uuid.uuid4()), row[1], row[3] or "CPF", row[2], row[4] or "100",
                row[5] or "0", row[6] or "Open", "0", "0", now, now, 1,
            )  # fmt: skip


def run_floor(path: Path) -> None:
    """Insert (or upsert, for rows with an Id) every row with no validation at all."""
    table = "accounts_account"
    columns = ", ".join(ACCOUNT_COLUMNS)
    update = (
        "credit_limit = excluded.credit_limit, email = excluded.email, "
        "updated_at = excluded.updated_at"
    )
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE bench_load (LIKE {table}) ON COMMIT DROP")
            with cursor.cursor.copy(f"COPY bench_load ({columns}) FROM STDIN") as copy:
                for row in _floor_rows(path):
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM bench_load "
                f"ON CONFLICT (id) DO UPDATE SET {update}"
            )
        return
    placeholders = ", ".join(["%s"] * len(ACCOUNT_COLUMNS))
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) "
        f"ON CONFLICT (id) DO UPDATE SET {update}"
    )
    batch: list[tuple] = []
    with transaction.atomic(), connection.cursor() as cursor:
        for row in _floor_rows(path):
            batch.append(row)
            if len(batch) == 5000:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)


def run_import_export(path: Path) -> None:
    """django-import-export's admin flow: dry run, then the real import, of the same file."""
    import tablib
    from import_export import fields, widgets

    from imports.columns import AccountResource

    class BlankIsNoneWidget(widgets.CharWidget):
        def clean(self, value, row=None, **kwargs):
            return value or None

    class PlainAccountResource(AccountResource):
        # A blank Id must leave the model's default (a new UUID) in place.
        id = fields.Field(
            attribute="id", column_name="Id", widget=BlankIsNoneWidget(), saves_null_values=False
        )

    dataset = tablib.Dataset().load(io.StringIO(path.read_text(encoding="utf-8")), format="csv")
    for dry_run in (True, False):
        result = PlainAccountResource().import_data(dataset, dry_run=dry_run)
        if result.has_errors() or result.has_validation_errors():
            raise SystemExit(f"django-import-export reported errors (dry_run={dry_run})")


BENCH_USERNAME = "bench"


def run_ours(path: Path) -> None:
    """The real job code path, as `import_accounts FILE --confirm` runs it: the upload is
    stored, validated with every rule into a preview, confirmed and applied in batches."""
    from django.contrib.auth import get_user_model

    from imports.models import ImportJob
    from imports.services import import_file

    user, _created = get_user_model().objects.get_or_create(username=BENCH_USERNAME)
    # As `--confirm --accept-warnings`: generated files have warnings too (a CPF such as
    # 100.018.000-00 reads like a spreadsheet's lost digits; the update case raises limits
    # from R$ 300 to R$ 19,000), and the benchmark times applying them, not a person.
    job = import_file(path=path, user=user, confirm=True, accept_warnings=True)
    if job.status != ImportJob.Status.COMPLETED:
        raise SystemExit(f"import job {job.pk} ended {job.status}: {job.file_error}")
