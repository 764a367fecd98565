"""Run every import method on the same file and database, side by side, and print one table.

Each method runs in its own process (start-up included, as staff would run it), timed from
outside, with its peak resident memory as the kernel counts it for that process (VmHWM, read
by the process itself just before it exits: wait4's ru_maxrss would also count the parent's
memory at fork time).
"""

import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection

from .csvfiles import write_create_file, write_create_workbook, write_update_file
from .methods import BENCH_USERNAME

METHODS = ("ours", "import_export", "floor")
LABELS = {
    "ours": "creditadmin job (validate + preview + apply)",
    "import_export": "django-import-export admin flow (dry run + import)",
    "floor": "floor: raw insert / COPY, no validation",
}
DATA_DIR = Path(__file__).resolve().parent / "data"
MANAGE = Path(__file__).resolve().parent.parent / "manage.py"


@dataclass
class Measurement:
    case: str
    method: str
    rows: int
    seconds: float
    peak_rss_mb: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def child_environment() -> dict[str, str]:
    # Production-like settings: DEBUG off (no query log), same database as the parent, and
    # no upload limit (a 1,000,000-row file is ~70 MB; the app's default limit is 20 MB).
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench"),
        "IMPORT_MAX_UPLOAD_BYTES": str(10**10),
    }


def run_child(method: str, path: Path, *, case: str, rows: int) -> Measurement:
    command = [sys.executable, str(MANAGE), "bench_import", "--child", method, "--file", str(path)]
    started = time.perf_counter()
    rss_file = DATA_DIR / f"peak-rss-{method}.txt"
    rss_file.unlink(missing_ok=True)
    environment = {**child_environment(), "BENCH_PEAK_RSS_FILE": str(rss_file)}
    process = subprocess.Popen(command, env=environment)
    _pid, status, _usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(
            f"{method} failed on {path.name} (exit {os.waitstatus_to_exitcode(status)})"
        )
    peak_rss_kb = int(rss_file.read_text())
    return Measurement(case, method, rows, seconds, peak_rss_kb / 1024)


def record_peak_rss() -> None:
    """In a measured process: write this process's peak resident memory (kB) for the parent."""
    target = os.environ.get("BENCH_PEAK_RSS_FILE")
    if not target:
        return
    with open("/proc/self/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    Path(target).write_text(peak)


# Rows that migrations write: content types, permissions, the staff groups. Nobody's data.
MIGRATION_TABLES = {
    "django_migrations", "django_content_type", "auth_permission", "auth_group",
    "auth_group_permissions", "sqlite_sequence",
}  # fmt: skip
# What the benchmark writes (besides the import job's own imports_* tables). They may hold
# rows only in a database the benchmark has marked as its own: its user is the only user.
BENCH_TABLES = {
    "accounts_account", "accounts_historicalaccount", "accounts_storesettings", "auth_user",
}  # fmt: skip


def tables_with_foreign_data() -> list[str]:
    """The tables holding rows the benchmark did not write: it may empty a database only
    when there are none. Raw SQL, so it also reads a database whose migrations are behind."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        marked = False
        if "auth_user" in tables:
            cursor.execute("SELECT username FROM auth_user")
            marked = [row[0] for row in cursor.fetchall()] == [BENCH_USERNAME]
        foreign = []
        for table in sorted(tables):
            if table in MIGRATION_TABLES:
                continue
            if marked and (table in BENCH_TABLES or table.startswith("imports_")):
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                foreign.append(table)
    return foreign


def mark_as_bench_database() -> None:
    """Its user alone says the database is the benchmark's (see tables_with_foreign_data)."""
    get_user_model().objects.get_or_create(username=BENCH_USERNAME)


def reset_tables() -> None:
    """Empty the tables an import writes to, so each method starts from the same state."""
    tables = [
        "imports_importrowerror",
        "imports_importrowwarning",
        "imports_importjob",
        "accounts_historicalaccount",
        "accounts_account",
    ]
    existing = connection.introspection.table_names()
    # The pipeline's other tables (plans, warnings, lineage) first, whatever their name: they
    # point at the job, and SQLite checks foreign keys on every DELETE.
    children = [name for name in existing if name.startswith("imports_") and name not in tables]
    with connection.cursor() as cursor:
        for table in children + [name for name in tables if name in existing]:
            if connection.vendor == "postgresql":
                cursor.execute(f"TRUNCATE {table} CASCADE")
            else:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    else:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE accounts_account")


def count_accounts() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM accounts_account")
        return cursor.fetchone()[0]


def seeded_update_files(rows: int) -> tuple[Path, Path]:
    """A file with explicit Ids to load the starting accounts, and the update file for them."""
    create = write_create_file(DATA_DIR / f"create-{rows}.csv", rows)
    seed = DATA_DIR / f"seed-{rows}.csv"
    import csv

    accounts = []
    with (
        create.open(newline="", encoding="utf-8") as source,
        seed.open("w", newline="", encoding="utf-8") as target,
    ):
        reader, writer = csv.reader(source), csv.writer(target)
        writer.writerow(next(reader))
        for number, row in enumerate(reader):
            row[0] = str(uuid.UUID(int=number + 1))
            writer.writerow(row)
            accounts.append((row[0], row[1], row[2], row[3], row[5], row[6]))
    update = write_update_file(DATA_DIR / f"update-{rows}.csv", iter(accounts))
    return seed, update


def measure(
    rows: int, methods: tuple[str, ...], cases: tuple[str, ...], write
) -> list[Measurement]:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    results = []
    if "create" in cases:
        path = write_create_file(DATA_DIR / f"create-{rows}.csv", rows)
        for method in methods:
            reset_tables()
            results.append(run_child(method, path, case="create", rows=rows))
            loaded = count_accounts()
            if loaded != rows:
                raise SystemExit(f"{method} left {loaded} accounts instead of {rows}")
            write(f"  create  {method:<14} {results[-1].seconds:8.2f} s")
    if "update" in cases:
        seed, update = seeded_update_files(rows)
        for method in methods:
            reset_tables()
            run_child("floor", seed, case="seed", rows=rows)
            results.append(run_child(method, update, case="update", rows=rows))
            write(f"  update  {method:<14} {results[-1].seconds:8.2f} s")
    if "xlsx" in cases:
        # Our job only: the same new accounts as the create case, uploaded as a workbook.
        path = write_create_workbook(DATA_DIR / f"create-{rows}.xlsx", rows)
        reset_tables()
        results.append(run_child("ours", path, case="xlsx", rows=rows))
        loaded = count_accounts()
        if loaded != rows:
            raise SystemExit(f"the .xlsx job left {loaded} accounts instead of {rows}")
        write(f"  xlsx    ours           {results[-1].seconds:8.2f} s")
    return results


def measure_memory(small: int, large: int, write) -> tuple[float, float]:
    """Peak RSS of our pipeline on a small and a large file."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    peaks = []
    for rows in (small, large):
        path = write_create_file(DATA_DIR / f"create-{rows}.csv", rows)
        reset_tables()
        measurement = run_child("ours", path, case="memory", rows=rows)
        write(f"  memory  ours {rows:>9} rows {measurement.seconds:8.2f} s")
        peaks.append(measurement.peak_rss_mb)
    reset_tables()
    return peaks[0], peaks[1]


def ratios(results: list[Measurement], case: str) -> dict[str, float]:
    by_method = {m.method: m for m in results if m.case == case}
    ours = by_method.get("ours")
    figures: dict[str, float] = {}
    if ours is None:
        return figures
    if "import_export" in by_method:
        figures["ratio_vs_import_export"] = by_method["import_export"].seconds / ours.seconds
    if "floor" in by_method:
        figures["ratio_vs_floor"] = by_method["floor"].seconds / ours.seconds
    figures["peak_rss_mb"] = ours.peak_rss_mb
    return figures


def format_table(results: list[Measurement]) -> list[str]:
    lines = [
        f"{'case':<7} {'method':<52} {'rows':>9} {'seconds':>9} {'rows/s':>9} {'peak RSS MB':>12}",
    ]
    for m in results:
        lines.append(
            f"{m.case:<7} {LABELS[m.method]:<52} {m.rows:>9,} {m.seconds:>9.2f} "
            f"{m.rows_per_second:>9,.0f} {m.peak_rss_mb:>12.1f}"
        )
    return lines


def workbook_figures(results: list[Measurement]) -> dict[str, float]:
    """The .xlsx job beside the CSV one (create case) on the same accounts."""
    by_case = {m.case: m for m in results if m.method == "ours"}
    workbook = by_case["xlsx"]
    figures = {"rows_per_second": workbook.rows_per_second}
    if "create" in by_case:
        figures["csv_rows_per_second"] = by_case["create"].rows_per_second
        figures["time_vs_csv"] = workbook.seconds / by_case["create"].seconds
    figures["peak_rss_mb"] = workbook.peak_rss_mb
    return figures


def format_ratios(figures: dict[str, float]) -> str:
    return " ".join(
        f"{name}={value:.0f}"
        if name.endswith("per_second")
        else f"{name}={value:.1f}"
        if name == "peak_rss_mb"
        else f"{name}={value:.2f}"
        for name, value in figures.items()
    )
