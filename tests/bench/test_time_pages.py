"""time_pages seeds PostgreSQL at scale and times the main pages: run small, it must reach
every page and report each one's time and query count."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import Account
from imports.models import ImportJob
from tests.factories import AccountFactory

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the seed is PostgreSQL SQL (generate_series)"
)


@postgres_only
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # VACUUM cannot run inside a test's transaction
def test_seeded_pages_all_answer_with_their_time_and_query_count():
    output = StringIO()
    call_command(
        "time_pages", accounts=400, jobs=30, job_errors=130, runs=1, limit_ms=60_000,
        stdout=output,
    )  # fmt: skip
    report = output.getvalue()
    assert Account.objects.count() == 400
    assert ImportJob.objects.count() == 30
    assert ImportJob.objects.order_by("-created_at").first().row_errors.count() == 130
    lines = {line[:40].strip(): line.split() for line in report.splitlines()}
    for page in ["accounts list", "search by e-mail", "account page", "import history",
                 "job page with every row error", "job page, last page of errors",
                 "job page that opened every account"]:  # fmt: skip
        assert lines[page][-1] == "ok", report
        assert 0 < int(lines[page][-2]) <= 15, report  # queries per page


@pytest.mark.django_db
def test_a_database_holding_someone_elses_accounts_is_refused_and_kept():
    AccountFactory()
    with pytest.raises(CommandError):
        call_command("time_pages", accounts=10, jobs=2, job_errors=3, stdout=StringIO())
    assert Account.objects.count() == 1
