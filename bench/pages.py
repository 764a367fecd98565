"""Seed PostgreSQL at production scale and time the pages staff open most, at the server.

The million accounts and their history rows are written by the database itself (INSERT …
SELECT over generate_series): seconds, against minutes through the ORM. The jobs and row
errors go through bulk_create, so they follow their models' new fields and defaults. Each page
is then requested through Django's test client (middleware, view, template — everything but
the network) a few times; its median time and query count are reported.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from axes.models import AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from imports.models import ImportJob, ImportRowError

from .methods import BENCH_USERNAME

ROW_ERRORS_PER_PAGE = 50  # imports.views._job_context


@dataclass(frozen=True)
class PageTiming:
    name: str
    url: str
    median_ms: float
    slowest_ms: float
    queries: int
    sql_ms: float  # of the median request: the database's share of its time
    status_code: int


def seed(*, accounts: int, jobs: int, job_errors: int, write: Callable[[str], None]) -> None:
    """Import jobs, the newest with many row errors, and accounts opened by the oldest job
    (each with its history row naming that job and its row, as an import writes it)."""
    user = bench_user()
    opening_job = _seed_jobs(user, jobs=jobs, job_errors=job_errors, write=write)
    opening_job.rows_total = opening_job.rows_to_apply = opening_job.rows_processed = accounts
    opening_job.to_create = opening_job.created_count = accounts
    opening_job.save()
    with connection.cursor() as cursor:
        started = time.perf_counter()
        # Ids look like the app's (UUID text); every tenth account a CNPJ, every 20th closed.
        cursor.execute(
            """
            INSERT INTO accounts_account (id, email, document_type, document, credit_limit,
                tolerance, status, balance, pre_authorized_credit, created_at, updated_at,
                version)
            SELECT md5(n::text)::uuid::text, 'customer' || n || '@example.com',
                CASE WHEN n %% 10 = 9 THEN 'CNPJ' ELSE 'CPF' END,
                CASE WHEN n %% 10 = 9 THEN lpad(n::text, 14, '0') ELSE lpad(n::text, 11, '0') END,
                (n %% 50) * 100, 0.05, CASE WHEN n %% 20 = 0 THEN 'Closed' ELSE 'Open' END,
                0, 0, now() - n * interval '1 minute', now() - n * interval '1 minute', 1
            FROM generate_series(1, %s) AS n
            """,
            [accounts],
        )
        cursor.execute(
            """
            INSERT INTO accounts_historicalaccount (history_channel, history_source, id, email,
                document_type, document, credit_limit, tolerance, status, balance,
                pre_authorized_credit, created_at, updated_at, history_date, history_type,
                history_user_id, history_import, history_row)
            SELECT 'import', 'bench', id, email, document_type, document, credit_limit,
                tolerance, status, balance, pre_authorized_credit, created_at, updated_at,
                created_at, '+', %s, %s, 1 + row_number() OVER (ORDER BY created_at DESC, id)
            FROM accounts_account
            """,
            [user.pk, opening_job.pk],
        )
        seconds = time.perf_counter() - started
        write(f"  seeded {accounts:,} accounts with their history in {seconds:.1f} s")
    with connection.cursor() as cursor:
        # As autovacuum leaves a table in production: statistics, and a visibility map that
        # lets counts read the index alone. VACUUM cannot run in a transaction (a test's).
        analyze = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        for table in (
            "accounts_account", "accounts_historicalaccount", "imports_importjob",
            "imports_importrowerror",
        ):  # fmt: skip
            cursor.execute(f"{analyze} {table}")


def _seed_jobs(user, *, jobs: int, job_errors: int, write: Callable[[str], None]) -> ImportJob:
    """The jobs, the newest with ``job_errors`` row errors; returns the oldest."""
    started = time.perf_counter()
    # Jobs and row errors through the ORM (in bulk): their models gain fields often, and the
    # fields' defaults live in Django, not in the database.
    now = timezone.now()
    ImportJob.objects.bulk_create(
        (
            ImportJob(
                created_by=user, confirmed_by=user, created_at=now - timedelta(hours=number),
                confirmed_at=now - timedelta(hours=number),
                finished_at=now - timedelta(hours=number), file="imports/bench.csv",
                original_name=f"accounts-{number}.csv", size=1000,
                fingerprint=f"{number:064d}", encoding="utf-8", delimiter=",",
                status=ImportJob.Status.COMPLETED, rows_total=100, rows_to_apply=100,
                rows_processed=100, to_create=100, created_count=100,
            )
            for number in range(1, jobs + 1)
        ),
        batch_size=2000,
    )  # fmt: skip
    big_job = ImportJob.objects.get(pk=newest_job_id())
    big_job.status = ImportJob.Status.COMPLETED_WITH_ERRORS
    big_job.rows_total = big_job.error_count = job_errors
    big_job.rows_to_apply = big_job.rows_processed = big_job.to_create = 0
    big_job.created_count = 0
    big_job.save()
    ImportRowError.objects.bulk_create(
        (
            ImportRowError(
                job=big_job, row_number=number + 1, column="Document", value=f"{number:011d}",
                code="cpf_invalid_check_digits",
            )
            for number in range(1, job_errors + 1)
        ),
        batch_size=5000,
    )  # fmt: skip
    write(
        f"  seeded {jobs:,} import jobs and {job_errors:,} row errors "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return ImportJob.objects.order_by("created_at", "id").first()


def bench_user():
    """The benchmark's superuser: the only user of a database the benchmark owns."""
    user, _created = get_user_model().objects.get_or_create(username=BENCH_USERNAME)
    if not user.is_superuser:
        user.is_superuser = user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
    return user


def newest_job_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM imports_importjob ORDER BY created_at DESC, id DESC LIMIT 1")
        return cursor.fetchone()[0]


def middle_account() -> tuple[str, str, str]:
    """Id, e-mail and document of an account half-way down the list."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM accounts_account")
        middle = cursor.fetchone()[0] // 2
        cursor.execute(
            "SELECT id, email, document FROM accounts_account WHERE email = %s",
            [f"customer{middle}@example.com"],
        )
        return cursor.fetchone()


def pages() -> list[tuple[str, str]]:
    """(name, url) of every page timed: the Accounts list (plain, sorted, filtered, deep),
    searches, an account in the middle of the table, the import history, the newest job (the
    one with every row error) and the oldest (the one that opened every account)."""
    account_id, email, document = middle_account()
    job = newest_job_id()
    error_pages = max(1, -(-ImportRowError.objects.filter(job=job).count() // ROW_ERRORS_PER_PAGE))
    accounts = reverse("accounts:list")
    job_page = reverse("imports:job-detail", args=[job])
    oldest = ImportJob.objects.order_by("created_at", "id").values_list("pk", flat=True).first()
    opening_job_page = reverse("imports:job-detail", args=[oldest])
    return [
        ("accounts list", accounts),
        ("accounts list, sorted by e-mail", f"{accounts}?sort=email"),
        ("accounts list, open only", f"{accounts}?status=Open"),
        ("accounts list, page 1000", f"{accounts}?page=1000"),
        ("search by e-mail", f"{accounts}?q={email}"),
        ("search by document", f"{accounts}?q={document}"),
        ("account page", reverse("accounts:detail", args=[account_id])),
        ("import history", reverse("imports:history")),
        ("import history, completed only", f"{reverse('imports:history')}?status=completed"),
        ("job page with every row error", job_page),
        ("job page that opened every account", opening_job_page),
        ("job page, last page of errors", f"{job_page}?page={error_pages}"),
    ]


def time_pages(*, runs: int) -> list[PageTiming]:
    client = Client(HTTP_HOST=allowed_host())
    client.force_login(bench_user())
    try:
        return [time_page(client, name, url, runs=runs) for name, url in pages()]
    finally:
        # Nothing of the visit stays behind: the database must still read as the benchmark's.
        client.logout()
        AccessLog.objects.filter(username=BENCH_USERNAME).delete()


def allowed_host() -> str:
    """A host name the settings accept (the test client's "testserver" is refused outside
    tests)."""
    for host in settings.ALLOWED_HOSTS:
        if host == "*":
            return "localhost"
        return f"www{host}" if host.startswith(".") else host
    return "testserver"


def time_page(client: Client, name: str, url: str, *, runs: int) -> PageTiming:
    client.get(url)  # warm-up: templates compiled, caches and the plan cache filled
    measured = []
    for _run in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
        sql = sum(float(query["time"]) for query in queries.captured_queries) * 1000
        measured.append((elapsed, sql, len(queries)))
    measured.sort()
    median_ms, sql_ms, query_count = measured[len(measured) // 2]
    return PageTiming(
        name, url, median_ms, measured[-1][0], query_count, sql_ms, response.status_code
    )


def format_timings(timings: list[PageTiming], *, limit_ms: float) -> list[str]:
    lines = [f"{'page':<40} {'median ms':>10} {'max ms':>8} {'SQL ms':>7} {'queries':>8}  status"]
    for timing in timings:
        verdict = "ok" if timing.median_ms < limit_ms and timing.status_code == 200 else "SLOW"
        if timing.status_code != 200:
            verdict = f"HTTP {timing.status_code}"
        lines.append(
            f"{timing.name:<40} {timing.median_ms:>10.1f} {timing.slowest_ms:>8.1f} "
            f"{timing.sql_ms:>7.1f} {timing.queries:>8}  {verdict}"
        )
    return lines
