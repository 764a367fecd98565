"""bench_import empties the accounts tables: it must refuse any database it did not fill."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Account, ApiKey
from accounts.services import create_api_key
from bench import run
from imports.models import ImportJob, ImportRowError, ImportRowWarning
from tests.factories import AccountFactory, UserFactory


@pytest.fixture(autouse=True)
def _database_named(monkeypatch):
    # With DATABASE_URL unset the command re-runs itself on its own SQLite file.
    monkeypatch.setenv("DATABASE_URL", "the test database")


def run_bench():
    output = StringIO()
    # No method and no case: the command checks the database, then measures nothing.
    call_command("bench_import", rows=10, methods="", cases="", stdout=output)
    return output.getvalue()


def test_a_database_with_accounts_and_api_keys_but_no_users_is_refused_and_kept(db):
    AccountFactory.create_batch(3)
    create_api_key(name="ERP", scopes=["read"])

    with pytest.raises(CommandError) as refusal:
        run_bench()

    assert "holds data the benchmark did not write" in str(refusal.value)
    assert "accounts_account" in str(refusal.value)
    assert "accounts_apikey" in str(refusal.value)
    assert "dedicated database" in str(refusal.value)
    assert Account.objects.count() == 3
    assert ApiKey.objects.count() == 1


def test_accounts_alone_without_any_user_are_refused(db):
    AccountFactory()

    with pytest.raises(CommandError, match="accounts_account"):
        run_bench()
    assert Account.objects.count() == 1


def test_a_staff_user_beside_the_benchmarks_own_user_is_refused(db):
    UserFactory(username="bench")
    UserFactory(username="ana")

    with pytest.raises(CommandError, match="auth_user"):
        run_bench()


def test_an_empty_database_is_accepted_and_marked_as_the_benchmarks(db, django_user_model):
    assert "Benchmark on" in run_bench()
    assert list(django_user_model.objects.values_list("username", flat=True)) == ["bench"]


def test_the_benchmarks_own_accounts_do_not_stop_its_next_run(db):
    UserFactory(username="bench")
    AccountFactory.create_batch(2)

    assert "Benchmark on" in run_bench()


@pytest.mark.django_db(transaction=True)  # PostgreSQL's VACUUM cannot run in a transaction
def test_reset_between_methods_empties_jobs_with_their_row_errors_and_warnings():
    """A job with warnings (a repeated upload of the same file has some) must not stop the
    next method: its rows go before the job they point at."""
    user = UserFactory(username="bench")
    job = ImportJob.objects.create(created_by=user, original_name="a.csv", fingerprint="x")
    ImportRowWarning.objects.create(job=job, row_number=2, code="identity_changed")
    ImportRowError.objects.create(job=job, row_number=3, code="email_invalid")
    AccountFactory.create_batch(2)

    run.reset_tables()

    assert not ImportJob.objects.exists()
    assert not ImportRowWarning.objects.exists()
    assert not Account.objects.exists()
