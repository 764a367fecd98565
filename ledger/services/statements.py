"""Manual debits: VTEX's "decrease balance" (PUT …/statements/{statementId})."""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.history import ChangeSource
from accounts.models import StoreSettings

from .. import rules
from ..models import Movement
from .movements import lock_account, record_movement


def decrease_balance(
    *, account_id: str, statement_id: str, value: object, source: ChangeSource
) -> Movement:
    """Debit the balance (a fee, a purchase made elsewhere): `value` is negative, as VTEX
    sends it. The statement id names the debit: repeating the call debits once."""
    statement_id = rules.clean_field(
        "statement_id",
        partial(rules.clean_caller_id, code="statement_id_invalid"),
        statement_id,
    )
    amount = rules.clean_field("value", rules.clean_debit, value)
    with transaction.atomic():
        account = lock_account(account_id)
        earlier = Movement.objects.filter(
            account=account, kind=Movement.Kind.DEBIT, reference=statement_id
        ).first()
        if earlier is not None:
            if earlier.amount != -amount:
                raise ValidationError(
                    _("Statement %(id)s already debited %(amount)s: use a new statement id."),
                    code="statement_id_reused",
                    params={"id": statement_id, "amount": -earlier.amount},
                )
            return earlier
        rules.check_credit_for(account, increase=amount, store_settings=StoreSettings.load())
        return record_movement(
            account,
            bucket=Movement.Bucket.BALANCE,
            kind=Movement.Kind.DEBIT,
            amount=-amount,
            source=source,
            reference=statement_id,
        )
