"""The planner on its own: what a batch of proposed changes does, or why not."""

from decimal import Decimal

import pytest

from accounts.changes import AccountChangePlanner, Action, Intent, ProposedChange
from accounts.history import Channel
from accounts.models import AccountStatus, StoreSettings
from tests.factories import AccountFactory, valid_cpf

pytestmark = pytest.mark.django_db


def plan(*proposals, store=None):
    planner = AccountChangePlanner(store or StoreSettings.load())
    try:
        return planner.plan(list(proposals))
    finally:
        planner.close()


def change(account_id, reference=2, **values) -> ProposedChange:
    return ProposedChange(
        Intent.CHANGE, values, Channel.IMPORT, account_id=account_id, reference=reference
    )


def problems_of(batch_plan) -> list[tuple[int, str, str | None]]:
    return [
        (refusal.proposal.reference, problem.code, problem.field)
        for refusal in batch_plan.refused
        for problem in refusal.problems
    ]


def test_a_batch_is_planned_with_the_actions_and_the_fields_each_change_changes():
    raised = AccountFactory(credit_limit=Decimal("100"))
    same = AccountFactory(credit_limit=Decimal("100"))
    closing = AccountFactory()
    new = ProposedChange(
        Intent.OPEN_OR_MATCH_DOCUMENT,
        {"email": "New@Example.com", "document": valid_cpf(9)},
        Channel.IMPORT,
        reference=5,
    )
    result = plan(
        change(raised.pk, 2, credit_limit="250"),
        change(same.pk, 3, credit_limit="100.00"),
        change(closing.pk, 4, status="closed"),
        new,
    )
    assert result.refused == []
    assert [(c.reference, c.action, c.changed_fields) for c in result.accepted] == [
        (2, Action.UPDATE, ("credit_limit",)),
        (3, Action.UNCHANGED, ()),
        (4, Action.CLOSE, ("status",)),
        (5, Action.CREATE, result.accepted[3].changed_fields),
    ]
    created = result.accepted[3].after
    assert (created.email, created.credit_limit, created.status) == (
        "new@example.com",
        Decimal("100.00"),  # the store's default
        AccountStatus.OPEN,
    )


def test_a_closed_account_takes_no_change_but_a_row_equal_to_it_passes():
    closed = AccountFactory(status=AccountStatus.CLOSED, credit_limit=Decimal("500"))
    result = plan(
        change(closed.pk, 2, credit_limit="600"),
        change(closed.pk, 3, status="Open"),
        change(closed.pk, 4, credit_limit="500", status="Closed", email=closed.email),
    )
    assert problems_of(result) == [(2, "account_closed", None), (3, "reopen_refused", "status")]
    assert [(c.reference, c.action) for c in result.accepted] == [(4, Action.UNCHANGED)]


def test_tolerance_cannot_be_set_while_the_store_disables_it_but_may_be_sent_unchanged():
    store = StoreSettings.load()
    store.tolerance_enabled = False
    account = AccountFactory(tolerance=Decimal("0.05"))
    other = AccountFactory(tolerance=Decimal("0.05"))
    result = plan(
        change(account.pk, 2, tolerance="0.1"), change(other.pk, 3, tolerance="0.05"), store=store
    )
    assert problems_of(result) == [(2, "tolerance_disabled", "tolerance")]
    assert [c.action for c in result.accepted] == [Action.UNCHANGED]


def test_a_stale_version_is_refused_with_who_changed_the_account():
    account = AccountFactory(credit_limit=Decimal("100"))
    account.credit_limit = Decimal("300")
    account.version = 2
    account.save()
    proposal = ProposedChange(
        Intent.CHANGE,
        {"credit_limit": "200"},
        Channel.FORM,
        account_id=account.pk,
        based_on_version=1,
    )
    ((refusal),) = plan(proposal).refused
    (problem,) = refusal.problems
    assert problem.code == "stale_version"
    assert problem.params["differences"] == [["credit_limit", "300.00", "200.00"]]
    assert problem.params["channel"] == Channel.SYSTEM


def test_the_api_opens_under_the_vtex_id_unless_it_is_taken():
    AccountFactory(pk=f"{valid_cpf(1)}_CPF", document=valid_cpf(1), status=AccountStatus.CLOSED)

    def open_through_api(document):
        return ProposedChange(
            Intent.OPEN,
            {"email": f"{document}@example.com", "document": document},
            Channel.API,
            id_from_document=True,
        )

    result = plan(open_through_api(valid_cpf(1)), open_through_api(valid_cpf(2)))
    taken, free = result.accepted
    assert taken.account_id != f"{valid_cpf(1)}_CPF" and len(taken.account_id) == 36
    assert free.account_id == f"{valid_cpf(2)}_CPF"


def test_only_the_api_may_open_an_account_without_a_document():
    def new(channel):
        return ProposedChange(Intent.OPEN, {"email": "a@example.com"}, channel)

    assert problems_of(plan(new(Channel.FORM))) == [(0, "document_required", "document")]
    assert plan(new(Channel.API)).accepted[0].after.document == ""
