"""Opening, changing and closing one account, and its holders.

A change made by a person or an integration is a batch of one for the planner, planned
with the account locked and written in the same transaction, so two requests never lose
an update and a stale form (``based_on_version``) never overwrites a newer change.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import rules
from accounts.amounts import NumberStyle
from accounts.changes import (
    AccountChangePlanner,
    Intent,
    PlannedChange,
    ProposedChange,
    find_duplicates,
)
from accounts.history import ChangeSource, coded
from accounts.models import Account, AccountStatus, Holder, StoreSettings
from accounts.problems import ChangeRefused, Problem

from .bulk import write_planned_changes


@dataclass(frozen=True)
class SavedChange:
    """An accepted change, now stored (``change.action`` says what it did, if anything)."""

    account: Account
    change: PlannedChange


def save_change(proposal: ProposedChange, *, source: ChangeSource) -> SavedChange:
    """Plan one proposed change with its account locked and write it.

    Raises ChangeRefused with the planner's problems (a ValidationError per field).
    """
    with transaction.atomic():
        plan = AccountChangePlanner(StoreSettings.load()).plan([proposal], lock=True)
        if plan.refused:
            raise ChangeRefused(plan.refused[0].problems)
        (change,) = plan.accepted
        try:
            with transaction.atomic():
                write_planned_changes(
                    [change],
                    channel=source.channel,
                    user_id=source.user_id,
                    when=timezone.now(),
                    history_source=lambda _change: source.label,
                )
        except IntegrityError:
            # Another request opened an account with this e-mail or document, or took this
            # id, between the plan and the write: say which, as the plan would have.
            duplicates = find_duplicates([change]).get(change.reference)
            if duplicates:
                raise ChangeRefused(duplicates) from None
            if not proposal.id_from_document:
                raise
            # The id `{document}_{documentType}` was taken a moment ago: a UUID then.
            proposal = proposal._replace(id_from_document=False)
            return save_change(proposal, source=source)
        return SavedChange(Account.objects.get(pk=change.account_id), change)


def open_account(
    *,
    values: Mapping[str, object],
    source: ChangeSource,
    number_style: NumberStyle = NumberStyle.UNKNOWN,
    id_from_document: bool = False,
) -> SavedChange:
    """Open a new account (``id_from_document``: with VTEX's `{document}_{documentType}` id)."""
    proposal = ProposedChange(
        Intent.OPEN,
        values,
        source.channel,
        number_style=number_style,
        id_from_document=id_from_document,
    )
    return save_change(proposal, source=source)


def change_account(
    *,
    account_id: str,
    values: Mapping[str, object],
    source: ChangeSource,
    based_on_version: int | None = None,
    number_style: NumberStyle = NumberStyle.UNKNOWN,
    intent: Intent = Intent.CHANGE,
) -> SavedChange:
    """Change the given fields of an existing account (the others stay as they are).

    ``intent=Intent.OPEN_OR_CHANGE`` is VTEX's PUT /accounts/{id}: the account is opened
    under this id when there is none.
    """
    proposal = ProposedChange(
        intent,
        values,
        source.channel,
        account_id=account_id,
        based_on_version=based_on_version,
        number_style=number_style,
    )
    return save_change(proposal, source=source)


def close_account(
    *, account_id: str, source: ChangeSource, based_on_version: int | None = None
) -> SavedChange:
    """Close an account; closing is irreversible and closing twice is harmless."""
    return change_account(
        account_id=account_id,
        values={"status": AccountStatus.CLOSED},
        source=source,
        based_on_version=based_on_version,
    )


def _record_holder_change(account: Account, source: ChangeSource, reason: str) -> None:
    """Write a row in the account's history, so holder changes show there like any other."""
    account._change_source = source
    account._change_reason = reason  # django-simple-history stores it as history_change_reason
    account.save(update_fields=["updated_at"])


def add_holder(*, account_id: str, email: object, source: ChangeSource) -> Holder:
    """Add an e-mail-only holder who shares the account's credit (open accounts only)."""
    try:
        rules.check_storable(email)
        email = rules.clean_email(email)
    except ValidationError as error:
        raise ChangeRefused([Problem.from_error(error, "email")]) from None
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=account_id)
        if not account.is_open:
            raise ChangeRefused([Problem("account_closed")])
        if account.holders.filter(email=email).exists():
            raise ChangeRefused([Problem("holder_exists", None, {"email": email})])
        holder = Holder.objects.create(account=account, email=email)
        _record_holder_change(account, source, coded("holder_added", email=email))
    return holder


def remove_holder(*, account_id: str, holder_id: str, source: ChangeSource) -> Holder:
    """Remove a holder; raises Holder.DoesNotExist when the account has no such holder."""
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=account_id)
        holder = account.holders.get(pk=holder_id)
        holder.delete()
        _record_holder_change(account, source, coded("holder_removed", email=holder.email))
    return holder
