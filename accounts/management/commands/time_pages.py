"""Time the Accounts and Import pages on a PostgreSQL database seeded at production scale
(bench/pages.py does the work): a million accounts, ten thousand import jobs, one of them with
100,000 row errors. Each page must answer in under 100 ms at the server.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/creditadmin_pages python manage.py time_pages

The database is emptied and seeded first, so the command refuses one holding data it did not
write (as bench_import does); `--keep` times an already seeded database again.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import pages, run

LIMIT_MS = 100


class Command(BaseCommand):
    help = "Seed PostgreSQL with a million accounts and time the main pages at the server."

    def add_arguments(self, parser):
        parser.add_argument("--accounts", type=int, default=1_000_000)
        parser.add_argument("--jobs", type=int, default=10_000)
        parser.add_argument("--job-errors", type=int, default=100_000)
        parser.add_argument("--runs", type=int, default=7, help="requests per page (median)")
        parser.add_argument("--limit-ms", type=float, default=LIMIT_MS)
        parser.add_argument("--keep", action="store_true", help="time the seeded data again")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("time_pages measures PostgreSQL: set DATABASE_URL=postgres://…")
        foreign = run.tables_with_foreign_data()
        if foreign:
            raise CommandError(
                f"This database holds data the benchmark did not write (in {', '.join(foreign)}). "
                "Seeding empties it, so point DATABASE_URL at a dedicated database."
            )
        call_command("migrate", verbosity=0)
        run.mark_as_bench_database()
        if not options["keep"]:
            run.reset_tables()
            pages.seed(
                accounts=options["accounts"], jobs=options["jobs"],
                job_errors=options["job_errors"], write=self.stdout.write,
            )  # fmt: skip
        timings = pages.time_pages(runs=options["runs"])
        limit = options["limit_ms"]
        self.stdout.write(f"PostgreSQL, {options['runs']} requests per page, limit {limit:g} ms")
        for line in pages.format_timings(timings, limit_ms=limit):
            self.stdout.write(line)
        failed = [t.name for t in timings if t.median_ms >= limit or t.status_code != 200]
        if failed:
            raise CommandError(f"Over {limit:g} ms or not answered: {', '.join(failed)}")
