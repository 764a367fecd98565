"""Pre-authorizations (VTEX's transactions): hold credit for an order, change or cancel the
hold, settle it into invoices, refund what was settled.

Calls addressed by a transaction id are idempotent: repeating one returns the same
pre-authorization and moves no money a second time. A hold's whole life is kept in this one
module (a little past 400 lines): each step locks the same pre-authorization and checks the
state the step before left, which reads best in one place.
"""

import secrets
import string
from datetime import date, datetime, time
from decimal import Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.history import ChangeSource
from accounts.models import Account, StoreSettings

from .. import rules
from ..models import Invoice, Movement, PreAuthorization
from .movements import lock_account, record_movement, release_expired_holds, release_hold

FRIENDLY_ID_ALPHABET = string.ascii_letters + string.digits

TRANSACTION_NOT_HELD = _(
    "Only a held pre-authorization can be changed; this one's status is %(status)s."
)


def find_pre_authorization(account: Account, transaction_id: str) -> PreAuthorization:
    """The account's pre-authorization with this id, locked with the account.

    Raises PreAuthorization.DoesNotExist when the account has none with this id (whether
    or not another account has).
    """
    # An id that could never have been stored is not sent to the database (PostgreSQL
    # refuses NUL characters with an error, not a miss).
    if not rules.CALLER_ID_PATTERN.fullmatch(transaction_id):
        raise PreAuthorization.DoesNotExist
    return PreAuthorization.objects.select_for_update().get(pk=transaction_id, account=account)


def pre_authorize(
    *,
    account_id: str,
    value: object,
    installments: object = 1,
    settle: bool = True,
    expiration_date: date | None = None,
    order_id: str = "",
    transaction_id: str | None = None,
    source: ChangeSource,
) -> PreAuthorization:
    """Hold credit for an order; refused when it exceeds the credit available.

    The hold lasts until `expiration_date` (end of that day, in the store's time zone) or,
    without one, 30 days.
    """
    value = rules.clean_field("value", rules.clean_amount, value)
    installments = rules.clean_field("installments", rules.clean_installments, installments)
    if transaction_id is not None:
        transaction_id = rules.clean_field(
            "transaction_id",
            partial(rules.clean_caller_id, code="transaction_id_invalid"),
            transaction_id,
        )
    now = timezone.now()
    expires_at = now + rules.HOLD_LIFETIME
    if expiration_date is not None:
        expires_at = timezone.make_aware(datetime.combine(expiration_date, time.max))
        if expires_at <= now:
            raise ValidationError(
                {
                    "expiration_date": ValidationError(
                        _("The expiration date is in the past."), code="expiration_in_past"
                    )
                }
            )
    with transaction.atomic():
        account = lock_account(account_id)
        if transaction_id and PreAuthorization.objects.filter(pk=transaction_id).exists():
            raise ValidationError(
                _("Another account already has a pre-authorization with this id."),
                code="transaction_id_taken",
            )
        rules.check_credit_for(account, increase=value, store_settings=StoreSettings.load())
        pre_authorization = PreAuthorization.objects.create(
            **({"id": transaction_id} if transaction_id else {}),
            account=account,
            value=value,
            original_value=value,
            installments=installments,
            settle=settle,
            order_id=order_id[:100],
            expires_at=expires_at,
            created_at=now,
        )
        record_movement(
            account,
            bucket=Movement.Bucket.PRE_AUTHORIZED,
            kind=Movement.Kind.HOLD,
            amount=value,
            source=source,
            pre_authorization=pre_authorization,
        )
    return pre_authorization


def pre_authorize_or_change(
    *,
    account_id: str,
    transaction_id: str,
    value: object,
    installments: object = 1,
    settle: bool = True,
    order_id: str | None = None,
    source: ChangeSource,
) -> PreAuthorization:
    """VTEX's PUT …/transactions/{id}: change a held pre-authorization, or create it.

    A new value may grow past the first one only as far as the store's
    maxPreAuthorizationGrowthRate allows, and only with credit available. Repeating the
    same call changes nothing.
    """
    value = rules.clean_field("value", rules.clean_amount, value)
    installments = rules.clean_field("installments", rules.clean_installments, installments)
    with transaction.atomic():
        account = lock_account(account_id)
        try:
            pre_authorization = find_pre_authorization(account, transaction_id)
        except PreAuthorization.DoesNotExist:
            return pre_authorize(
                account_id=account_id,
                value=value,
                installments=installments,
                settle=settle,
                order_id=order_id or "",
                transaction_id=transaction_id,
                source=source,
            )
        if pre_authorization.status != PreAuthorization.Status.HELD:
            raise ValidationError(
                TRANSACTION_NOT_HELD,
                code="transaction_not_held",
                params={"status": pre_authorization.get_status_display()},
            )
        store_settings = StoreSettings.load()
        difference = value - pre_authorization.value
        if difference > 0:
            rules.check_growth(
                original_value=pre_authorization.original_value,
                new_value=value,
                store_settings=store_settings,
            )
            rules.check_credit_for(account, increase=difference, store_settings=store_settings)
        if difference:
            record_movement(
                account,
                bucket=Movement.Bucket.PRE_AUTHORIZED,
                kind=Movement.Kind.HOLD_CHANGED,
                amount=difference,
                source=source,
                pre_authorization=pre_authorization,
            )
        pre_authorization.value = value
        pre_authorization.installments = installments
        pre_authorization.settle = settle
        if order_id is not None:
            pre_authorization.order_id = order_id[:100]
        pre_authorization.save()
    return pre_authorization


def cancel_pre_authorization(
    *, account_id: str, transaction_id: str, source: ChangeSource
) -> PreAuthorization:
    """Release a held pre-authorization; cancelling a cancelled one changes nothing.

    VTEX lets only holds created with `settle: false` be cancelled; any hold not yet
    settled can be here, since an order cancelled before capture must give its credit back.
    """
    with transaction.atomic():
        account = lock_account(account_id)
        pre_authorization = find_pre_authorization(account, transaction_id)
        if pre_authorization.status == PreAuthorization.Status.CANCELLED:
            return pre_authorization
        if pre_authorization.status != PreAuthorization.Status.HELD:
            raise ValidationError(
                _("This pre-authorization can no longer be cancelled: its status is %(status)s."),
                code="transaction_not_held",
                params={"status": pre_authorization.get_status_display()},
            )
        release_hold(
            account,
            pre_authorization,
            status=PreAuthorization.Status.CANCELLED,
            kind=Movement.Kind.HOLD_CANCELLED,
            source=source,
        )
    return pre_authorization


def settle_pre_authorization(
    *, account_id: str, transaction_id: str, value: object, source: ChangeSource
) -> PreAuthorization:
    """Invoice an order: the hold is released and `value` is owed in installments.

    Installments are equal, the odd cents on the first; the first is due 30 days after
    settlement, each next one 30 days later. Settling again with the same value changes
    nothing; with another value, the invoices are recomputed while none was paid,
    cancelled or refunded. A value above the hold is allowed as far as the store's growth
    rate and the credit available allow.
    """
    value = rules.clean_field("value", rules.clean_amount, value)
    with transaction.atomic():
        account = lock_account(account_id)
        pre_authorization = find_pre_authorization(account, transaction_id)
        status = pre_authorization.status
        if status == PreAuthorization.Status.SETTLED:
            if value != pre_authorization.settled_value:
                _change_settled_value(account, pre_authorization, value, source)
            return pre_authorization
        if status != PreAuthorization.Status.HELD:
            raise ValidationError(
                _("This pre-authorization cannot be settled: its status is %(status)s."),
                code="transaction_not_held",
                params={"status": pre_authorization.get_status_display()},
            )
        store_settings = StoreSettings.load()
        if value > pre_authorization.value:
            rules.check_growth(
                original_value=pre_authorization.original_value,
                new_value=value,
                store_settings=store_settings,
            )
            rules.check_credit_for(
                account, increase=value - pre_authorization.value, store_settings=store_settings
            )
        release_hold(
            account,
            pre_authorization,
            status=PreAuthorization.Status.SETTLED,
            kind=Movement.Kind.HOLD_SETTLED,
            source=source,
        )
        record_movement(
            account,
            bucket=Movement.Bucket.BALANCE,
            kind=Movement.Kind.SETTLEMENT,
            amount=-value,
            source=source,
            pre_authorization=pre_authorization,
        )
        pre_authorization.settled_value = value
        pre_authorization.save(update_fields=["settled_value", "updated_at"])
        _create_invoices(pre_authorization, value)
    return pre_authorization


def _create_invoices(pre_authorization: PreAuthorization, value: Decimal) -> list[Invoice]:
    now = timezone.now()
    count = pre_authorization.installments
    # One random code per order, the installment after it, as VTEX's friendlyId "u8KFsGDk-1".
    code = "".join(secrets.choice(FRIENDLY_ID_ALPHABET) for _ in range(8))
    invoices = [
        Invoice(
            id=f"{pre_authorization.pk}-{number:02d}",
            friendly_id=f"{code}-{number}",
            account_id=pre_authorization.account_id,
            pre_authorization=pre_authorization,
            installment=number,
            number_of_installments=count,
            value=amount,
            original_due_date=now + rules.INSTALLMENT_INTERVAL * number,
            due_date=now + rules.INSTALLMENT_INTERVAL * number,
            order_id=pre_authorization.order_id,
            created_at=now,
        )
        for number, amount in enumerate(rules.split_into_installments(value, count), start=1)
    ]
    return Invoice.objects.bulk_create(invoices)


def _change_settled_value(
    account: Account, pre_authorization: PreAuthorization, value: Decimal, source: ChangeSource
) -> None:
    """VTEX's "create or update settlement" with a new value: the invoices are recomputed."""
    invoices = list(pre_authorization.invoices.select_for_update().order_by("installment"))
    if pre_authorization.refunded_value or any(not invoice.is_open for invoice in invoices):
        raise ValidationError(
            _(
                "The settled value can no longer change: an invoice of this order was paid "
                "or cancelled, or part of it was refunded."
            ),
            code="settlement_locked",
        )
    store_settings = StoreSettings.load()
    increase = value - pre_authorization.settled_value
    if value > pre_authorization.value:
        rules.check_growth(
            original_value=pre_authorization.original_value,
            new_value=value,
            store_settings=store_settings,
        )
    rules.check_credit_for(account, increase=increase, store_settings=store_settings)
    record_movement(
        account,
        bucket=Movement.Bucket.BALANCE,
        kind=Movement.Kind.SETTLEMENT_CHANGED,
        amount=-increase,
        source=source,
        pre_authorization=pre_authorization,
    )
    amounts = rules.split_into_installments(value, len(invoices))
    for invoice, amount in zip(invoices, amounts, strict=True):
        invoice.value = amount
        invoice.save(update_fields=["value", "updated_at"])
    pre_authorization.settled_value = value
    pre_authorization.save(update_fields=["settled_value", "updated_at"])


def refund_settlement(
    *, account_id: str, transaction_id: str, value: object, source: ChangeSource
) -> Decimal:
    """Give back part or all of what was settled; never more than settled minus refunded.

    The refund goes back to the balance, and comes off what the order's open invoices
    still ask for, last installment first; an invoice left owing nothing is cancelled.
    What exceeds the open invoices (already paid) stays as credit in the balance.
    """
    value = rules.clean_field("value", rules.clean_amount, value)
    with transaction.atomic():
        account = lock_account(account_id)
        pre_authorization = find_pre_authorization(account, transaction_id)
        if pre_authorization.status != PreAuthorization.Status.SETTLED:
            raise ValidationError(
                _(
                    "Only a settled pre-authorization can be refunded; this one's status is "
                    "%(status)s."
                ),
                code="transaction_not_settled",
                params={"status": pre_authorization.get_status_display()},
            )
        if value > pre_authorization.refundable_value:
            raise ValidationError(
                _(
                    "A refund cannot exceed what was settled: %(refundable)s can still be "
                    "refunded (settled %(settled)s, already refunded %(refunded)s)."
                ),
                code="refund_exceeds_settled",
                params={
                    "refundable": pre_authorization.refundable_value,
                    "settled": pre_authorization.settled_value,
                    "refunded": pre_authorization.refunded_value,
                },
            )
        record_movement(
            account,
            bucket=Movement.Bucket.BALANCE,
            kind=Movement.Kind.REFUND,
            amount=value,
            source=source,
            pre_authorization=pre_authorization,
        )
        pre_authorization.refunded_value += value
        pre_authorization.save(update_fields=["refunded_value", "updated_at"])
        _credit_open_invoices(pre_authorization, value)
    return value


def _credit_open_invoices(pre_authorization: PreAuthorization, value: Decimal) -> None:
    remaining = value
    open_invoices = pre_authorization.invoices.select_for_update().filter(
        status=Invoice.Status.OPENED
    )
    for invoice in open_invoices.order_by("-installment"):
        if not remaining:
            break
        credited = min(remaining, invoice.outstanding)
        invoice.credit_value += credited
        remaining -= credited
        if invoice.credit_value == invoice.value:
            invoice.status = Invoice.Status.CANCELLED
            invoice.resolved_at = timezone.now()
        invoice.save(update_fields=["credit_value", "status", "resolved_at", "updated_at"])


def release_expired_pre_authorizations() -> int:
    """Let every lapsed hold fall off (a daily job; lock_account also does it per account)."""
    account_ids = (
        PreAuthorization.objects.filter(
            status=PreAuthorization.Status.HELD, expires_at__lte=timezone.now()
        )
        .values_list("account_id", flat=True)
        .distinct()
    )
    released = 0
    for account_id in list(account_ids):
        with transaction.atomic():
            account = Account.objects.select_for_update().get(pk=account_id)
            released += release_expired_holds(account)
    return released
