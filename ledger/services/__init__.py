"""Writes to the ledger. Each function locks the account row, applies ledger.rules and
changes money only through movements.record_movement (see movements.py for why)."""

from .invoices import cancel_invoice, change_invoice, pay_invoice, postpone_invoice
from .movements import lock_account, record_movement
from .statements import decrease_balance
from .transactions import (
    cancel_pre_authorization,
    pre_authorize,
    pre_authorize_or_change,
    refund_settlement,
    release_expired_pre_authorizations,
    settle_pre_authorization,
)

__all__ = [
    "cancel_invoice",
    "cancel_pre_authorization",
    "change_invoice",
    "decrease_balance",
    "lock_account",
    "pay_invoice",
    "postpone_invoice",
    "pre_authorize",
    "pre_authorize_or_change",
    "record_movement",
    "refund_settlement",
    "release_expired_pre_authorizations",
    "settle_pre_authorization",
]
