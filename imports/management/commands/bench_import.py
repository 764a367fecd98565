"""Benchmark the CSV import: creditadmin's job pipeline against django-import-export's admin
flow and a raw-insert floor, on the same file and database (DATABASE_URL), side by side.

    python manage.py bench_import --rows 100000
    DATABASE_URL=postgres://postgres@127.0.0.1/creditadmin_bench python manage.py bench_import

The last line reads `ratio_vs_import_export=X ratio_vs_floor=Y peak_rss_mb=Z` (create case);
the line before it starts with `update:`, and the one before that with `xlsx:` (our job on the
create case's accounts uploaded as an .xlsx: its rows/s, the CSV job's, its time / the CSV
job's, its peak memory). The database is emptied between methods, so the
command refuses a database holding anything it did not write itself (users, API keys,
accounts of a database without its mark…) — point it at a dedicated database.
"""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from bench import methods, run

DEFAULT_DATABASE = run.DATA_DIR / "bench.sqlite3"


class Command(BaseCommand):
    help = "Benchmark the CSV import against django-import-export and a raw-insert floor."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument(
            "--methods", default=",".join(run.METHODS), help="comma-separated subset of methods"
        )
        parser.add_argument(
            "--cases",
            default="create,update,xlsx",
            help="create,update,xlsx (xlsx: the create case's accounts as an .xlsx, our job)",
        )
        parser.add_argument(
            "--memory-rows",
            type=int,
            default=0,
            help="also measure our peak RSS on a 10,000-row file and a file of this many rows",
        )
        parser.add_argument("--child", choices=run.METHODS, help=argparse_suppress())
        parser.add_argument("--file", type=Path, help=argparse_suppress())

    def handle(self, *args, **options):
        if options["child"]:
            return self.run_child(options["child"], options["file"])
        if "DATABASE_URL" not in os.environ:
            # Never empty the development database: default to a dedicated SQLite file.
            run.DATA_DIR.mkdir(parents=True, exist_ok=True)
            environment = {**os.environ, "DATABASE_URL": f"sqlite:///{DEFAULT_DATABASE}"}
            command = [sys.executable, *sys.argv]
            completed = subprocess.run(command, env=environment, check=False)  # noqa: S603
            raise SystemExit(completed.returncode)

        # Checked before migrating: not even a migration runs on someone else's database.
        foreign = run.tables_with_foreign_data()
        if foreign:
            raise CommandError(
                f"This database holds data the benchmark did not write (in {', '.join(foreign)}). "
                "The benchmark empties the accounts tables, so run it on a dedicated database "
                "(DATABASE_URL=…/creditadmin_bench)."
            )
        call_command("migrate", verbosity=0)
        run.mark_as_bench_database()
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        chosen = tuple(name for name in options["methods"].split(",") if name)
        cases = tuple(name for name in options["cases"].split(",") if name)
        self.stdout.write(f"Benchmark on {engine}, {options['rows']:,} rows")
        results = run.measure(options["rows"], chosen, cases, self.stdout.write)
        memory = None
        if options["memory_rows"]:
            memory = run.measure_memory(10_000, options["memory_rows"], self.stdout.write)

        self.stdout.write("")
        for line in run.format_table(results):
            self.stdout.write(line)
        if memory:
            self.stdout.write(
                f"memory: peak_rss_10k_mb={memory[0]:.1f} "
                f"peak_rss_{options['memory_rows']}_mb={memory[1]:.1f} "
                f"growth_mb={memory[1] - memory[0]:.1f}"
            )
        if "xlsx" in cases:
            self.stdout.write("xlsx: " + run.format_ratios(run.workbook_figures(results)))
        if "update" in cases:
            self.stdout.write("update: " + run.format_ratios(run.ratios(results, "update")))
        if "create" in cases:
            self.stdout.write(run.format_ratios(run.ratios(results, "create")))

    def run_child(self, method: str, path: Path) -> None:
        {"ours": methods.run_ours, "import_export": methods.run_import_export,
         "floor": methods.run_floor}[method](path)  # fmt: skip
        run.record_peak_rss()


def argparse_suppress():
    import argparse

    return argparse.SUPPRESS
