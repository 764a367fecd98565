"""Invoices after settlement: paid, cancelled, changed, postponed.

Every call is idempotent: paying a paid invoice or cancelling a cancelled one returns it
unchanged and moves no money; a postponement is counted from the original due date, so
repeating it changes nothing.
"""

import re
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from accounts.history import ChangeSource
from accounts.models import Account, StoreSettings

from .. import rules
from ..models import Invoice, Movement
from .movements import lock_account, record_movement

UNSET = object()
INVOICE_ID_PATTERN = re.compile(r"[A-Za-z0-9._:@+-]{1,70}")


def find_invoice(account: Account, invoice_id: str) -> Invoice:
    """The account's invoice with this id, locked; Invoice.DoesNotExist otherwise."""
    if not INVOICE_ID_PATTERN.fullmatch(invoice_id):
        raise Invoice.DoesNotExist
    return Invoice.objects.select_for_update().get(pk=invoice_id, account=account)


def _settle_invoice(account: Account, invoice: Invoice, *, status: str, source) -> None:
    """Close an open invoice as paid or cancelled: what it still asked for returns to the
    balance (VTEX: "a balance restore with the invoice value")."""
    kind = (
        Movement.Kind.PAYMENT if status == Invoice.Status.PAID else Movement.Kind.INVOICE_CANCELLED
    )
    if invoice.outstanding:
        record_movement(
            account,
            bucket=Movement.Bucket.BALANCE,
            kind=kind,
            amount=invoice.outstanding,
            source=source,
            pre_authorization=invoice.pre_authorization,
            invoice=invoice,
        )
    invoice.status = status
    invoice.resolved_at = timezone.now()
    invoice.save(update_fields=["status", "resolved_at", "updated_at"])


STATUS_CHANGE_REFUSALS = {
    (Invoice.Status.PAID, Invoice.Status.CANCELLED): _(
        "This invoice is paid: it cannot be cancelled."
    ),
    (Invoice.Status.PAID, Invoice.Status.OPENED): _("This invoice is paid: it cannot be reopened."),
    (Invoice.Status.CANCELLED, Invoice.Status.PAID): _(
        "This invoice is cancelled: it cannot be paid."
    ),
    (Invoice.Status.CANCELLED, Invoice.Status.OPENED): _(
        "This invoice is cancelled: it cannot be reopened."
    ),
}


def _refuse_status_change(invoice: Invoice, wanted: str) -> None:
    code = "invoice_paid" if invoice.status == Invoice.Status.PAID else "invoice_cancelled"
    raise ValidationError(STATUS_CHANGE_REFUSALS[(invoice.status, wanted)], code=code)


def pay_invoice(*, account_id: str, invoice_id: str, source: ChangeSource) -> Invoice:
    """Record the payment of an invoice; paying it again changes nothing."""
    with transaction.atomic():
        account = lock_account(account_id)
        invoice = find_invoice(account, invoice_id)
        if invoice.status == Invoice.Status.CANCELLED:
            _refuse_status_change(invoice, Invoice.Status.PAID)
        if invoice.is_open:
            _settle_invoice(account, invoice, status=Invoice.Status.PAID, source=source)
    return invoice


def cancel_invoice(*, account_id: str, invoice_id: str, source: ChangeSource) -> Invoice:
    """Cancel an open invoice (the customer no longer owes it); again changes nothing."""
    with transaction.atomic():
        account = lock_account(account_id)
        invoice = find_invoice(account, invoice_id)
        if invoice.status == Invoice.Status.PAID:
            _refuse_status_change(invoice, Invoice.Status.CANCELLED)
        if invoice.is_open:
            _settle_invoice(account, invoice, status=Invoice.Status.CANCELLED, source=source)
    return invoice


def clean_invoice_status(raw: object) -> str:
    value = str(raw or "").strip()
    for choice in Invoice.Status.values:
        if value.lower() == choice.lower():
            return choice
    raise ValidationError(
        _("Unknown invoice status “%(value)s”: use Opened, Paid or Cancelled."),
        code="invalid_invoice_status",
        params={"value": value},
    )


def _clean_payment_link(raw: object) -> str:
    link = str(raw or "").strip()
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            raise ValidationError(
                {
                    "payment_link": ValidationError(
                        _("Enter a web address (https://…)."), code="payment_link_invalid"
                    )
                }
            ) from None
        if len(link) > Invoice._meta.get_field("payment_link").max_length:
            raise ValidationError(
                {
                    "payment_link": ValidationError(
                        _("The link is too long: at most 500 characters."),
                        code="payment_link_too_long",
                    )
                }
            )
    return link


def _clean_observation(raw: object) -> str:
    observation = str(raw or "").strip()
    if len(observation) > Invoice._meta.get_field("observation").max_length:
        raise ValidationError(
            {
                "observation": ValidationError(
                    _("The observation is too long: at most 500 characters."),
                    code="observation_too_long",
                )
            }
        )
    return observation


def change_invoice(
    *,
    account_id: str,
    invoice_id: str,
    status: object,
    observation: object = UNSET,
    payment_link: object = UNSET,
    source: ChangeSource,
) -> Invoice:
    """VTEX's "change invoice": its status, observation and payment link.

    Opened → Paid pays it and Opened → Cancelled cancels it, as the dedicated calls do; a
    paid or cancelled invoice cannot be reopened or turned into the other.
    """
    status = rules.clean_field("status", clean_invoice_status, status)
    changes = {}
    if observation is not UNSET:
        changes["observation"] = _clean_observation(observation)
    if payment_link is not UNSET:
        changes["payment_link"] = _clean_payment_link(payment_link)
    with transaction.atomic():
        account = lock_account(account_id)
        invoice = find_invoice(account, invoice_id)
        if status != invoice.status:
            if not invoice.is_open:
                _refuse_status_change(invoice, status)
            if status == Invoice.Status.OPENED:
                raise ValidationError(_("The invoice is already open."), code="invoice_not_open")
            _settle_invoice(account, invoice, status=status, source=source)
        if changes:
            for field, value in changes.items():
                setattr(invoice, field, value)
            invoice.save(update_fields=[*changes, "updated_at"])
    return invoice


def postpone_invoice(
    *, account_id: str, invoice_id: str, due_days: object, source: ChangeSource
) -> Invoice:
    """Move an open invoice's due date to `due_days` after its original due date.

    Within the store's policy: postponement enabled, at most maxPostponementDays days, at
    most invoicePostponementLimit postponements per invoice. Counting from the original
    date makes a repeated call harmless: the date is already there, nothing is counted.
    """
    due_days = rules.clean_field("due_days", rules.clean_due_days, due_days)
    with transaction.atomic():
        account = lock_account(account_id)
        invoice = find_invoice(account, invoice_id)
        store_settings = StoreSettings.load()
        if not store_settings.postponement_enabled or not store_settings.invoice_postponement_limit:
            raise ValidationError(
                _("The store does not allow postponing invoices (see Store settings)."),
                code="postponement_disabled",
            )
        if due_days > store_settings.max_postponement_days:
            raise ValidationError(
                {
                    "due_days": ValidationError(
                        _("An invoice can be postponed by at most %(max)d days."),
                        code="postponement_too_long",
                        params={"max": store_settings.max_postponement_days},
                    )
                }
            )
        new_due_date = invoice.original_due_date + timedelta(days=due_days)
        if invoice.due_date == new_due_date:
            return invoice
        if not invoice.is_open:
            raise ValidationError(
                _("Only an open invoice can be postponed."), code="invoice_not_open"
            )
        if invoice.postponements >= store_settings.invoice_postponement_limit:
            raise ValidationError(
                ngettext_lazy(
                    "This invoice was already postponed once, the store's limit.",
                    "This invoice was already postponed %(count)d times, the store's limit.",
                    "count",
                ),
                code="postponement_limit_reached",
                params={"count": invoice.postponements},
            )
        invoice.due_date = new_due_date
        invoice.postponements += 1
        invoice.save(update_fields=["due_date", "postponements", "updated_at"])
    return invoice
