"""The one writer of an account's balance and pre-authorized credit.

Every ledger service starts with ``lock_account`` and changes money only through
``record_movement``, inside one ``transaction.atomic``: the account row stays locked
(SELECT … FOR UPDATE) until the transaction ends, so two writes to one account never
interleave, and each change leaves a Movement saying who, how, before → after.
"""

from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from accounts.history import ChangeSource, Channel
from accounts.models import Account

from ..models import Invoice, Movement, PreAuthorization


def lock_account(account_id: str) -> Account:
    """The account, locked for the rest of the transaction; expired holds fall off first,
    so no decision is made on credit a lapsed pre-authorization still appears to hold."""
    account = Account.objects.select_for_update().get(pk=account_id)
    release_expired_holds(account)
    return account


def release_expired_holds(account: Account) -> int:
    """Release the locked account's holds past their expiration; returns how many."""
    expired = PreAuthorization.objects.filter(
        account=account, status=PreAuthorization.Status.HELD, expires_at__lte=timezone.now()
    )
    count = 0
    for pre_authorization in expired.select_for_update():
        release_hold(
            account,
            pre_authorization,
            status=PreAuthorization.Status.EXPIRED,
            kind=Movement.Kind.HOLD_EXPIRED,
            source=ChangeSource(channel=Channel.SYSTEM),
        )
        count += 1
    return count


def record_movement(
    account: Account,
    *,
    bucket: str,
    kind: str,
    amount: Decimal,
    source: ChangeSource,
    pre_authorization: PreAuthorization | None = None,
    invoice: Invoice | None = None,
    reference: str = "",
) -> Movement:
    """Add `amount` to the account's balance or pre-authorized credit, with its Movement.

    The account must have been locked by lock_account in the current transaction. The
    UPDATE bypasses Account.save() on purpose: a balance change is not an edit of the
    account, so it bumps no version (imports would see a conflict) and writes no history
    row (the movement is the record).
    """
    field = "balance" if bucket == Movement.Bucket.BALANCE else "pre_authorized_credit"
    before = getattr(account, field)
    after = before + amount
    now = timezone.now()
    Account.objects.filter(pk=account.pk).update(**{field: F(field) + amount, "updated_at": now})
    setattr(account, field, after)
    account.updated_at = now
    return Movement.objects.create(
        account=account,
        bucket=bucket,
        kind=kind,
        amount=amount,
        before=before,
        after=after,
        pre_authorization=pre_authorization,
        invoice=invoice,
        reference=reference,
        created_at=now,
        channel=source.channel,
        source=source.label[:200],
        user_id=source.user_id,
    )


def release_hold(
    account: Account,
    pre_authorization: PreAuthorization,
    *,
    status: str,
    kind: str,
    source: ChangeSource,
) -> None:
    """End a hold: its value leaves the pre-authorized credit and it takes `status`."""
    if pre_authorization.value:
        record_movement(
            account,
            bucket=Movement.Bucket.PRE_AUTHORIZED,
            kind=kind,
            amount=-pre_authorization.value,
            source=source,
            pre_authorization=pre_authorization,
        )
    pre_authorization.status = status
    pre_authorization.save(update_fields=["status", "updated_at"])
