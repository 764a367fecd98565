"""The credit ledger: pre-authorizations, the invoices they are settled into, and the
movements that are the only way an account's balance or pre-authorized credit changes.

Money rules (DOMAIN.md, VTEX's Customer Credit API):
- ``availableCredit = creditLimit + balance − preAuthorizedCredit``; a negative balance is
  what the customer owes.
- An order may use up to ``creditLimit × (1 + tolerance)`` (tolerance counts only while the
  store has it enabled): a pre-authorization or a debit that would take the credit in use
  (``preAuthorizedCredit − balance``) past that is refused.
- ``Account.balance`` is the sum of the account's balance movements and
  ``Account.pre_authorized_credit`` the sum of its pre-authorized movements: ledger services
  change both only together with a ``Movement`` row, under the account's row lock.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Abs
from django.db.models.lookups import LessThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.history import Channel
from accounts.models import Account, money_between

MONEY = {"max_digits": 14, "decimal_places": 2}


def new_transaction_id() -> str:
    # VTEX's transaction ids are 32 hex characters.
    return uuid.uuid4().hex


class PreAuthorization(models.Model):
    """Credit held for an order until it is settled into invoices, cancelled or falls off
    (VTEX's "transaction")."""

    class Status(models.TextChoices):
        """
        HELD ──settle──▶ SETTLED        (the hold becomes invoices; refunds happen here)
          ├───cancel──▶ CANCELLED
          └───expiry──▶ EXPIRED         (past expires_at, released at the next ledger write)
        """

        HELD = "Held", pgettext_lazy("pre-authorization status", "Held")
        SETTLED = "Settled", pgettext_lazy("pre-authorization status", "Settled")
        CANCELLED = "Cancelled", pgettext_lazy("pre-authorization status", "Cancelled")
        EXPIRED = "Expired", pgettext_lazy("pre-authorization status", "Expired")

    id = models.CharField(_("id"), primary_key=True, max_length=64, default=new_transaction_id)
    account = models.ForeignKey(
        Account,
        on_delete=models.PROTECT,
        related_name="pre_authorizations",
        verbose_name=_("account"),
    )
    status = models.CharField(
        _("status"), max_length=9, choices=Status.choices, default=Status.HELD
    )
    value = models.DecimalField(_("held value"), **MONEY)
    # What the hold started at: the store's growth rate limits increases from here.
    original_value = models.DecimalField(_("original value"), **MONEY)
    installments = models.PositiveSmallIntegerField(_("installments"), default=1)
    settle = models.BooleanField(_("to be settled"), default=True)
    order_id = models.CharField(_("order"), max_length=100, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    settled_value = models.DecimalField(_("settled value"), default=Decimal("0"), **MONEY)
    refunded_value = models.DecimalField(_("refunded value"), default=Decimal("0"), **MONEY)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("pre-authorization")
        verbose_name_plural = _("pre-authorizations")
        ordering = ["-created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="preauth_value_not_negative"),
            models.CheckConstraint(
                condition=money_between("value", Decimal(0))
                & money_between("original_value", Decimal(0))
                & money_between("settled_value", Decimal(0)),
                name="preauth_values_finite_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(refunded_value__gte=0)
                & Q(refunded_value__lte=models.F("settled_value")),
                name="preauth_refund_within_settled",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="preauth_status_expiry_idx"),
        ]

    def __str__(self) -> str:
        return self.id

    @property
    def refundable_value(self) -> Decimal:
        return self.settled_value - self.refunded_value


class Invoice(models.Model):
    """One installment of a settled pre-authorization: what the customer owes, and when."""

    class Status(models.TextChoices):
        """
        OPENED ──pay────▶ PAID
          └─────cancel──▶ CANCELLED    (also when refunds credit its whole value)
        """

        OPENED = "Opened", pgettext_lazy("invoice status", "Open")
        PAID = "Paid", pgettext_lazy("invoice status", "Paid")
        CANCELLED = "Cancelled", pgettext_lazy("invoice status", "Cancelled")

    # `{transactionId}-{installment:02}`, as VTEX builds it.
    id = models.CharField(_("id"), primary_key=True, max_length=70)
    friendly_id = models.CharField(_("reference"), max_length=20, unique=True)
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("account")
    )
    pre_authorization = models.ForeignKey(
        PreAuthorization,
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("pre-authorization"),
    )
    installment = models.PositiveSmallIntegerField(_("installment"))
    number_of_installments = models.PositiveSmallIntegerField(_("installments"))
    value = models.DecimalField(_("value"), **MONEY)
    # The part of the value given back by refunds (VTEX's creditValue): still owed = value − this.
    credit_value = models.DecimalField(_("refunded"), default=Decimal("0"), **MONEY)
    status = models.CharField(
        _("status"), max_length=9, choices=Status.choices, default=Status.OPENED
    )
    original_due_date = models.DateTimeField(_("original due date"))
    due_date = models.DateTimeField(_("due date"))
    postponements = models.PositiveSmallIntegerField(_("postponements"), default=0)
    order_id = models.CharField(_("order"), max_length=100, blank=True)
    observation = models.CharField(_("observation"), max_length=500, blank=True)
    payment_link = models.URLField(_("payment link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(credit_value__gte=0) & Q(credit_value__lte=models.F("value")),
                name="invoice_credit_within_value",
            ),
            models.CheckConstraint(
                condition=money_between("value", Decimal(0)), name="invoice_value_finite"
            ),
        ]
        indexes = [
            # The account page's open invoices, the overview's due and overdue sums.
            models.Index(fields=["account", "status", "due_date"], name="invoice_account_due_idx"),
            models.Index(fields=["status", "due_date"], name="invoice_status_due_idx"),
        ]

    def __str__(self) -> str:
        return self.friendly_id

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPENED

    @property
    def outstanding(self) -> Decimal:
        """What the customer still owes on it."""
        return self.value - self.credit_value if self.is_open else Decimal("0")

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date < timezone.now()


class Movement(models.Model):
    """One change of an account's balance or pre-authorized credit: who, how, before → after."""

    class Bucket(models.TextChoices):
        BALANCE = "balance", _("Balance")
        PRE_AUTHORIZED = "pre_authorized", _("Pre-authorized credit")

    class Kind(models.TextChoices):
        HOLD = "hold", _("Credit pre-authorized")
        HOLD_CHANGED = "hold_changed", _("Pre-authorization changed")
        HOLD_CANCELLED = "hold_cancelled", _("Pre-authorization cancelled")
        HOLD_EXPIRED = "hold_expired", _("Pre-authorization expired")
        HOLD_SETTLED = "hold_settled", _("Pre-authorization settled")
        SETTLEMENT = "settlement", _("Order invoiced")
        SETTLEMENT_CHANGED = "settlement_changed", _("Invoiced value changed")
        REFUND = "refund", _("Refund")
        PAYMENT = "payment", _("Invoice paid")
        INVOICE_CANCELLED = "invoice_cancelled", _("Invoice cancelled")
        DEBIT = "debit", _("Balance decreased")

    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="movements", verbose_name=_("account")
    )
    bucket = models.CharField(_("changes"), max_length=14, choices=Bucket.choices)
    kind = models.CharField(_("kind"), max_length=18, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    before = models.DecimalField(_("before"), **MONEY)
    after = models.DecimalField(_("after"), **MONEY)
    pre_authorization = models.ForeignKey(
        PreAuthorization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="movements",
        verbose_name=_("pre-authorization"),
    )
    invoice = models.ForeignKey(
        Invoice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="movements",
        verbose_name=_("invoice"),
    )
    # A debit's statementId (PUT …/statements/{statementId}): one debit per id and account.
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    source = models.CharField(_("source"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )

    class Meta:
        verbose_name = _("movement")
        verbose_name_plural = _("movements")
        ordering = ["-created_at", "-id"]
        permissions = [("view_credit_overview", _("Can see the credit overview"))]
        constraints = [
            models.CheckConstraint(
                # Within half a cent, not equal: SQLite computes on its decimals as floats.
                condition=LessThan(
                    Abs(models.F("after") - models.F("before") - models.F("amount")),
                    Decimal("0.005"),
                ),
                name="movement_after_is_before_plus_amount",
            ),
            models.UniqueConstraint(
                "account",
                "reference",
                condition=Q(kind="debit"),
                name="movement_one_debit_per_statement_id",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "-created_at", "-id"], name="movement_account_idx"),
            models.Index(fields=["created_at"], name="movement_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class IdempotentRequest(models.Model):
    """The first answer to a creating POST sent with an `Idempotency-Key` header.

    A retry with the same key (same caller) gets this answer again instead of a second
    pre-authorization or refund. Written in the same transaction as the work it records, so
    it exists only if the work was committed.
    """

    caller = models.CharField(max_length=40)
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    body_digest = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("caller", "key", name="idempotent_request_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.caller} {self.key}"
