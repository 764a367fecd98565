"""Customer credit accounts, their holders, the store's credit settings and API keys."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .history import HistoricalChangeSource

# What decimal(14, 2) holds.
MAX_MONEY = Decimal("999999999999.99")


def money_between(field: str, low: Decimal) -> Q:
    """A check that an amount column holds a number from ``low`` to MAX_MONEY. The upper bound
    also keeps NaN out: PostgreSQL's numeric stores 'NaN' and sorts it above every number, so
    ``>= 0`` alone lets it in."""
    return Q(**{f"{field}__gte": low, f"{field}__lte": MAX_MONEY})


def new_account_id() -> str:
    return str(uuid.uuid4())


class DocumentType(models.TextChoices):
    CPF = "CPF", "CPF"
    CNPJ = "CNPJ", "CNPJ"
    OTHER = "Other", _("Other")


class AccountStatus(models.TextChoices):
    OPEN = "Open", _("Open")
    CLOSED = "Closed", _("Closed")


class AccountQuerySet(models.QuerySet):
    def open(self) -> "AccountQuerySet":
        return self.filter(status=AccountStatus.OPEN)


class Account(models.Model):
    """A customer's store-credit account (VTEX Customer Credit's account)."""

    id = models.CharField(_("id"), primary_key=True, max_length=100, default=new_account_id)
    email = models.EmailField(_("e-mail"), max_length=254)
    document_type = models.CharField(
        _("document type"), max_length=5, choices=DocumentType.choices, default=DocumentType.CPF
    )
    document = models.CharField(_("document"), max_length=50, blank=True)
    credit_limit = models.DecimalField(
        _("credit limit"), max_digits=14, decimal_places=2, default=Decimal("100.00")
    )
    tolerance = models.DecimalField(
        _("tolerance"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0"),
        help_text=_("Fraction of the limit a single order may exceed it by: 0.05 = 5%."),
    )
    status = models.CharField(
        _("status"), max_length=6, choices=AccountStatus.choices, default=AccountStatus.OPEN
    )
    balance = models.DecimalField(_("balance"), max_digits=14, decimal_places=2, default=0)
    pre_authorized_credit = models.DecimalField(
        _("pre-authorized credit"), max_digits=14, decimal_places=2, default=0
    )
    created_at = models.DateTimeField(_("opened"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("last update"), auto_now=True)
    # Bumped on every change; an import compares it with the value seen at preview time
    # to detect accounts changed by someone else in between.
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(
        bases=[HistoricalChangeSource],
        excluded_fields=["version"],
        # Holds a coded reason (accounts.history.coded), e-mail included: longer than 100.
        history_change_reason_field=models.TextField(null=True),
    )

    objects = AccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["-created_at", "id"]
        permissions = [
            ("close_account", _("Can close credit accounts")),
            ("import_accounts", _("Can import credit accounts from CSV")),
            ("manage_api_keys", _("Can manage API keys")),
        ]
        constraints = [
            models.UniqueConstraint(
                "email",
                condition=Q(status="Open"),
                name="account_unique_open_email",
                violation_error_message=_("An open account with this e-mail already exists."),
            ),
            models.UniqueConstraint(
                "document_type",
                "document",
                condition=Q(status="Open") & ~Q(document=""),
                name="account_unique_open_document",
                violation_error_message=_("An open account with this document already exists."),
            ),
            models.CheckConstraint(
                condition=Q(credit_limit__gte=0), name="account_credit_limit_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(tolerance__gte=0) & Q(tolerance__lte=1),
                name="account_tolerance_between_0_and_1",
            ),
            # The rules refuse anything else; these keep out what a bug, a raw SQL fix or
            # another program writing to the database could store.
            models.CheckConstraint(
                condition=money_between("credit_limit", Decimal(0)),
                name="account_credit_limit_finite",
            ),
            models.CheckConstraint(
                condition=money_between("balance", -MAX_MONEY), name="account_balance_finite"
            ),
            models.CheckConstraint(
                # From minus half a cent, not 0: SQLite adds the ledger's movements as floats
                # (0.1 + 0.2 - 0.3 < 0). In PostgreSQL's numeric(14, 2) it means >= 0.
                condition=money_between("pre_authorized_credit", Decimal("-0.005")),
                name="account_pre_authorized_credit_finite_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AccountStatus.values), name="account_status_known"
            ),
            models.CheckConstraint(
                condition=Q(document_type__in=DocumentType.values),
                name="account_document_type_known",
            ),
        ]
        indexes = [
            models.Index(fields=["email"], name="account_email_idx"),
            models.Index(fields=["document"], name="account_document_idx"),
            models.Index(fields=["status", "-created_at"], name="account_status_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_document_type_display()} {self.formatted_document})"

    def get_absolute_url(self) -> str:
        return reverse("accounts:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == AccountStatus.OPEN

    @property
    def available_credit(self) -> Decimal:
        return self.credit_limit + self.balance - self.pre_authorized_credit

    @property
    def available_balance(self) -> Decimal:
        return self.available_credit

    @property
    def formatted_document(self) -> str:
        from .documents import format_document

        return format_document(self.document_type, self.document)


class StoreSettings(models.Model):
    """The store's credit settings: one row, edited by managers."""

    currency_code = models.CharField(_("currency"), max_length=3, default="BRL")
    default_credit_limit = models.DecimalField(
        _("default credit limit"), max_digits=14, decimal_places=2, default=Decimal("100.00")
    )
    tolerance_enabled = models.BooleanField(_("tolerance enabled"), default=True)
    # VTEX's store configuration (GET/PUT /storeconfig). Rates are fractions: 0.1 = 10 %.
    postponement_enabled = models.BooleanField(_("postponement enabled"), default=False)
    invoice_postponement_limit = models.PositiveSmallIntegerField(
        _("postponements per invoice"), default=0
    )
    max_postponement_days = models.PositiveSmallIntegerField(
        _("maximum postponement (days)"), default=0
    )
    daily_interest_rate = models.DecimalField(
        _("daily interest rate"), max_digits=5, decimal_places=4, default=Decimal("0")
    )
    tax_rate = models.DecimalField(
        _("tax rate"), max_digits=5, decimal_places=4, default=Decimal("0")
    )
    max_pre_authorization_growth_rate = models.DecimalField(
        _("pre-authorization growth rate"), max_digits=5, decimal_places=4, default=Decimal("0")
    )
    automatic_account_creation_enabled = models.BooleanField(
        _("automatic account creation"), default=False
    )
    my_credits_enabled = models.BooleanField(_("My Credits page"), default=False)
    # Invoice reminders: lists of {"days": int, "timeOfDay": "HH:MM:SS"}, as VTEX has them.
    reminders_before_due = models.JSONField(_("reminders before the due date"), default=list)
    reminders_after_due = models.JSONField(_("reminders after the due date"), default=list)
    # An import's preview warns about a credit limit raised by this percentage or more, or
    # cut by this percentage or more (accounts.changes.warnings).
    large_increase_percent = models.PositiveIntegerField(_("large increase (%)"), default=200)
    large_decrease_percent = models.PositiveSmallIntegerField(_("large cut (%)"), default=90)
    # Four eyes: an import (or a revert) over either threshold waits for a second manager's
    # approval (imports.approval). Blank: no approval needed.
    approval_net_credit = models.DecimalField(
        _("approval above net new credit"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    approval_credit_limit = models.DecimalField(
        _("approval above a credit limit of"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("store settings")
        verbose_name_plural = _("store settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(daily_interest_rate__gte=0, daily_interest_rate__lte=1)
                & Q(tax_rate__gte=0, tax_rate__lte=1)
                & Q(max_pre_authorization_growth_rate__gte=0)
                & Q(max_pre_authorization_growth_rate__lte=1),
                name="store_settings_rates_between_0_and_1",
            ),
            models.CheckConstraint(
                condition=Q(large_increase_percent__gte=1)
                & Q(large_decrease_percent__gte=1, large_decrease_percent__lte=100),
                name="store_settings_large_change_percents",
            ),
            models.CheckConstraint(
                condition=money_between("default_credit_limit", Decimal(0)),
                name="store_settings_default_credit_limit_finite",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Store settings"))

    @classmethod
    def load(cls) -> "StoreSettings":
        settings, _created = cls.objects.get_or_create(pk=1)
        return settings


def new_holder_id() -> str:
    # VTEX's holder ids are 32 hex characters.
    return uuid.uuid4().hex


class Holder(models.Model):
    """A dependent of an account: buys with the account's credit, known by e-mail only."""

    id = models.CharField(_("id"), primary_key=True, max_length=32, default=new_holder_id)
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="holders", verbose_name=_("account")
    )
    email = models.EmailField(_("e-mail"), max_length=254)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("holder")
        verbose_name_plural = _("holders")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                "account",
                "email",
                name="holder_unique_email_per_account",
                violation_error_message=_("This e-mail is already a holder of the account."),
            ),
        ]

    def __str__(self) -> str:
        return self.email


class ApiScope(models.TextChoices):
    """What an API key may do, after VTEX's Customer Credit permission split."""

    READ = "read", _("Read accounts")
    WRITE = "write", _("Create and edit accounts")
    CREDIT = "credit", _("Edit credit limits")


class ApiKeyQuerySet(models.QuerySet):
    def active(self) -> "ApiKeyQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    """An AppKey/AppToken pair for the HTTP API.

    Only a keyed digest (HMAC-SHA256) of the token is stored: the token itself is shown
    once, when the key is created. A fast keyed hash rather than a password hasher, because
    it is checked on every request and the token is random, not a guessable password.
    """

    name = models.CharField(_("name"), max_length=100)
    app_key = models.CharField(_("AppKey"), max_length=64, unique=True)
    token_digest = models.CharField(max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def get_scopes_display(self) -> list[str]:
        labels = dict(ApiScope.choices)
        return [str(labels[scope]) for scope in ApiScope.values if scope in self.scopes]
