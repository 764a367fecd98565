"""Property: import a random file of creates and updates, change some of its accounts, revert
the import. Every account nobody changed in between is back to its values from before the
import (an account the import opened is closed); every account changed in between is a
conflict of the revert, and keeps the values it was changed to."""

import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from accounts import services as account_services
from accounts.changes import WRITABLE_FIELDS
from accounts.history import ChangeSource, Channel
from accounts.models import Account, AccountStatus
from imports import services
from imports.models import ImportJob
from tests.factories import AccountFactory, UserFactory, valid_cpf
from tests.imports.conftest import csv_bytes

limits = st.decimals(min_value="0", max_value="50000", places=2)
tolerances = st.sampled_from(["0", "0.05", "0.1", "0.25"])
# For each existing account: None (not in the file) or the cells its row changes.
updates = st.fixed_dictionaries(
    {},
    optional={
        "credit_limit": limits,
        "tolerance": tolerances,
        "email": st.just("new"),
        "status": st.just("Closed"),
    },
)
serial = itertools.count(1)


def values(account: Account) -> tuple:
    return tuple(getattr(account, name) for name in WRITABLE_FIELDS)


class RevertPropertyTest(TestCase):
    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        existing=st.lists(st.one_of(st.none(), updates), min_size=1, max_size=6),
        new_limits=st.lists(limits, max_size=4),
        changed_between=st.sets(st.integers(min_value=0, max_value=9), max_size=4),
        changed_limit=limits,
    )
    def test_revert_restores_every_field_except_on_accounts_changed_in_between(
        self, existing, new_limits, changed_between, changed_limit
    ):
        manager = UserFactory(username="manager")
        accounts = AccountFactory.create_batch(len(existing))
        before = {account.pk: values(account) for account in accounts}
        rows = []
        for account, cells in zip(accounts, existing, strict=True):
            if cells is None:
                continue
            email = f"changed{next(serial)}@example.com" if "email" in cells else ""
            limit, tolerance = cells.get("credit_limit", ""), cells.get("tolerance", "")
            rows.append([account.pk, email, "", "", limit, tolerance, cells.get("status", "")])
        for limit in new_limits:
            number = next(serial)
            document = valid_cpf(730_000_000 + number)
            rows.append(["", f"opened{number}@example.com", document, "CPF", limit, "", ""])
        if not rows:
            return
        imported = self.run_job(
            services.create_import_job(
                uploaded_file=SimpleUploadedFile("random.csv", csv_bytes(rows)),
                user=manager,
                enqueue=False,
            ),
            manager,
        )
        assert imported.error_count == 0, list(imported.row_errors.values_list("code", flat=True))
        if not imported.is_applied:
            return  # every row left its account as it was: nothing to revert
        touched = list(
            Account.history.filter(history_import=imported.pk)
            .order_by("history_row")
            .values_list("id", "history_type")
        )
        assert len(touched) == imported.counts.changes

        # Someone edits some of the accounts the import touched (open ones: closed ones
        # cannot be changed).
        open_touched = [
            account_id
            for account_id, _type in touched
            if Account.objects.get(pk=account_id).status == AccountStatus.OPEN
        ]
        edited = {open_touched[i % len(open_touched)] for i in changed_between if open_touched}
        source = ChangeSource(channel=Channel.FORM, label="paula", user_id=manager.pk)
        for account_id in edited:
            account_services.change_account(
                account_id=account_id,
                values={"credit_limit": changed_limit, "tolerance": "0.3"},
                source=source,
            )
        after_edits = {account.pk: values(account) for account in Account.objects.all()}

        revert = self.run_job(
            services.create_revert_job(job_id=imported.pk, user=manager, enqueue=False), manager
        )
        conflicts = {(error.account_id, error.code) for error in revert.row_errors.all()}
        for account_id, history_type in touched:
            account = Account.objects.get(pk=account_id)
            if account_id in edited:
                assert (account_id, "changed_since_import") in conflicts
                assert values(account) == after_edits[account_id]
            elif history_type == "+":
                assert account.status == AccountStatus.CLOSED
                assert values(account)[:-1] == after_edits[account_id][:-1]
            elif after_edits[account_id][-1] == AccountStatus.CLOSED:
                # Closed by the import: closing is irreversible, and the revert says so.
                assert (account_id, "closure_not_undone") in conflicts
                assert values(account) == after_edits[account_id]
            else:
                assert values(account) == before[account_id]
        # Accounts the file did not name are untouched.
        for account in accounts:
            if account.pk not in dict(touched):
                assert values(Account.objects.get(pk=account.pk)) == before[account.pk]

    @staticmethod
    def run_job(job: ImportJob, user) -> ImportJob:
        """Preview, confirm and apply in this process, as the command line does."""
        job = services.run_validation(job_id=job.pk)
        if job.counts.changes:
            services.confirm_import_job(
                job_id=job.pk, user=user, acknowledged_warnings=job.warning_count, enqueue=False
            )
            job = services.run_apply(job_id=job.pk)
        return job
