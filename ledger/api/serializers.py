"""The ledger's JSON shapes, named and typed as VTEX's Customer Credit API has them.

Input serializers check the shape only (keys, JSON types); ledger.rules and the services
judge the values. Unknown keys are ignored and reported, as on every endpoint
(accounts.api.serializers.LenientSerializer).
"""

import re
from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import (
    LenientSerializer,
    MoneyNumberField,
    UtcDateTimeField,
    page_positions,
)
from accounts.history import stored_text
from ledger.models import Invoice, Movement

# A JSON number, or a string holding a plain one: "49.90", "-15". No thousands separators:
# "1,500" would be 1.5 to one reader and 1500 to another.
_plain_number = re.compile(r"-?\d{1,15}(\.\d{1,15})?")


@extend_schema_field({"oneOf": [{"type": "number"}, {"type": "string"}], "example": 49.9})
class ApiDecimalField(serializers.Field):
    """A JSON number or a numeric string, read exactly as a Decimal (never through a float)."""

    default_error_messages = {
        "invalid": 'Expected a number or a numeric string such as "49.90" (no thousands '
        "separators)."
    }

    def to_internal_value(self, data) -> Decimal:
        if isinstance(data, Decimal):  # the API's JSON parser reads numbers so
            if not data.is_finite():
                self.fail("invalid")
            return data
        if isinstance(data, bool) or not isinstance(data, int | float | str):
            self.fail("invalid")
        text = str(data).strip()
        if isinstance(data, float):
            text = repr(data)  # the shortest text that is this float: 49.9, not 49.899999…
        if not _plain_number.fullmatch(text):
            self.fail("invalid")
        return Decimal(text)

    def to_representation(self, value):
        return value


# --- Transactions ----------------------------------------------------------------------------


class PreAuthorizationRequestSerializer(LenientSerializer):
    """Body of POST …/transactions and PUT …/transactions/{id}."""

    value = ApiDecimalField(help_text="The amount to hold.")
    settle = serializers.BooleanField(
        required=False, default=True, help_text="Stored and returned; see the description."
    )
    installments = ApiDecimalField(
        required=False, default=1, help_text="Invoices the settlement is split into (1–99)."
    )
    expirationDate = serializers.DateField(
        required=False,
        allow_null=True,
        input_formats=["iso-8601"],
        help_text="Last day of the hold (default: 30 days from now).",
    )
    orderId = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="creditadmin extension: the order, copied onto its invoices.",
    )


class PreAuthorizationSerializer(serializers.Serializer):
    id = serializers.CharField(read_only=True)
    value = MoneyNumberField()
    expirationDate = UtcDateTimeField(source="expires_at")
    installments = serializers.IntegerField(read_only=True)
    status = serializers.CharField(
        read_only=True, help_text="creditadmin extension: Held, Settled, Cancelled or Expired."
    )


class ValueRequestSerializer(LenientSerializer):
    """Body of PUT …/settlement and POST …/refunds."""

    value = ApiDecimalField()


class SettlementSerializer(serializers.Serializer):
    value = MoneyNumberField(source="settled_value")
    id = serializers.CharField(read_only=True)


class RefundSerializer(serializers.Serializer):
    value = MoneyNumberField()


# --- Invoices --------------------------------------------------------------------------------


class InvoiceSerializer(serializers.Serializer):
    """An invoice as VTEX returns it (same keys, same order)."""

    id = serializers.CharField(read_only=True)
    friendlyId = serializers.CharField(source="friendly_id", read_only=True)
    status = serializers.CharField(read_only=True)
    value = MoneyNumberField()
    accountId = serializers.CharField(source="account_id", read_only=True)
    creditValue = MoneyNumberField(source="credit_value", help_text="Refunded from this invoice.")
    createdAt = UtcDateTimeField(source="created_at")
    resolvedAt = UtcDateTimeField(source="resolved_at", allow_null=True)
    updatedAt = UtcDateTimeField(source="updated_at")
    paymentLink = serializers.CharField(source="payment_link", read_only=True, allow_null=True)
    originalDueDate = UtcDateTimeField(source="original_due_date")
    dueDate = UtcDateTimeField(source="due_date")
    installment = serializers.IntegerField(read_only=True)
    orderId = serializers.CharField(source="order_id", read_only=True)
    observation = serializers.CharField(read_only=True, allow_null=True)
    transactionId = serializers.CharField(source="pre_authorization_id", read_only=True)
    numberOfInstallments = serializers.IntegerField(source="number_of_installments", read_only=True)
    creditAccountId = serializers.CharField(source="account_id", read_only=True)

    def to_representation(self, invoice: Invoice) -> dict:
        body = super().to_representation(invoice)
        # VTEX sends null, not "", for an invoice without a link or an observation.
        for key in ("paymentLink", "observation"):
            body[key] = body[key] or None
        return body


class InvoiceSummarySerializer(serializers.Serializer):
    total = MoneyNumberField(source="total_open", help_text="Still owed on the open invoices.")
    count = serializers.IntegerField(help_text="Invoices matching the search, on every page.")
    totalPaid = MoneyNumberField(source="total_paid")
    totalCancelled = MoneyNumberField(source="total_cancelled")


class InvoiceSearchResultSerializer(serializers.Serializer):
    data = InvoiceSerializer(many=True)
    summary = InvoiceSummarySerializer()


class InvoiceSearchQuerySerializer(LenientSerializer):
    """VTEX's invoice filters; dates are ISO 8601 dates or date-times."""

    from_position = serializers.IntegerField(required=False, min_value=1, max_value=10**9)
    to = serializers.IntegerField(required=False, min_value=1, max_value=10**9)
    createdDateFrom = serializers.CharField(required=False, max_length=40)
    createdDateTo = serializers.CharField(required=False, max_length=40)
    createDateTo = serializers.CharField(
        required=False, max_length=40, help_text="VTEX's guide spells createdDateTo so."
    )
    dueDateFrom = serializers.CharField(required=False, max_length=40)
    dueDateTo = serializers.CharField(required=False, max_length=40)
    value = ApiDecimalField(required=False)
    status = serializers.ChoiceField(choices=Invoice.Status.values, required=False)
    friendlyId = serializers.CharField(required=False, max_length=20)
    observation = serializers.CharField(required=False, max_length=500)
    creditAccountId = serializers.CharField(required=False, max_length=100)
    op = serializers.ChoiceField(choices=["and", "or", "AND", "OR"], required=False)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_position")  # `from` is a Python keyword
        return fields

    def validate(self, attrs):
        return page_positions(attrs, listed="invoices")


class InvoiceChangeRequestSerializer(LenientSerializer):
    """Body of PUT …/invoices/{id}."""

    status = serializers.CharField(max_length=20, help_text="Opened, Paid or Cancelled.")
    observation = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    paymentLink = serializers.CharField(required=False, allow_blank=True, allow_null=True)


class PostponementRequestSerializer(LenientSerializer):
    dueDays = ApiDecimalField(help_text="Days after the original due date.")


# --- Statements ------------------------------------------------------------------------------

# VTEX's statement origins: the invoice side of an order, payments, manual debits.
STATEMENT_ORIGINS = {
    Movement.Kind.SETTLEMENT: "Invoice",
    Movement.Kind.SETTLEMENT_CHANGED: "Invoice",
    Movement.Kind.REFUND: "Invoice",
    Movement.Kind.INVOICE_CANCELLED: "Invoice",
    Movement.Kind.PAYMENT: "Payment",
    Movement.Kind.DEBIT: "Statement",
}


class StatementSerializer(serializers.Serializer):
    value = MoneyNumberField(source="amount")
    date = UtcDateTimeField(source="created_at")
    doneBy = serializers.SerializerMethodField()
    origin = serializers.SerializerMethodField()
    metadata = serializers.SerializerMethodField()

    def get_doneBy(self, movement: Movement) -> str:
        if movement.user is not None:
            return movement.user.email or movement.user.get_username()
        return stored_text(movement.source)

    def get_origin(self, movement: Movement) -> str:
        return STATEMENT_ORIGINS[movement.kind]

    def get_metadata(self, movement: Movement) -> dict:
        if movement.kind == Movement.Kind.DEBIT:
            return {"transactionId": movement.reference}
        metadata = {"transactionId": movement.pre_authorization_id}
        if movement.invoice is not None:
            metadata["installment"] = movement.invoice.installment
        else:
            metadata["numberOfInstallments"] = movement.pre_authorization.installments
        return metadata

    def to_representation(self, movement: Movement) -> dict:
        body = super().to_representation(movement)
        # VTEX's schema spells it `doneby`, its example `doneBy`: clients may read either.
        body["doneby"] = body["doneBy"]
        return body


class StatementsSerializer(serializers.Serializer):
    statements = StatementSerializer(many=True, source="movements")
    currentBalance = MoneyNumberField(source="current_balance")
    intervalBalance = MoneyNumberField(source="interval_balance")
    previousBalance = MoneyNumberField(source="previous_balance")


class StatementQuerySerializer(LenientSerializer):
    dateFrom = serializers.CharField(required=False, max_length=40)
    dateTo = serializers.CharField(required=False, max_length=40)


class DebitRequestSerializer(LenientSerializer):
    value = ApiDecimalField(help_text='Negative, as VTEX sends it: "-15".')


class DebitSerializer(serializers.Serializer):
    value = serializers.SerializerMethodField()

    def get_value(self, movement: Movement) -> str:
        return str(movement.amount)


# --- Store configuration ---------------------------------------------------------------------


class ReminderSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=0, max_value=365)
    timeOfDay = serializers.CharField(max_length=8, help_text="HH:MM:SS")


class NotificationsSettingsSerializer(LenientSerializer):
    daysPrior = ReminderSerializer(many=True, required=False, source="reminders_before_due")
    daysAfter = ReminderSerializer(many=True, required=False, source="reminders_after_due")


class StoreConfigSerializer(LenientSerializer):
    """VTEX's store configuration; on PUT, fields left out keep their value."""

    dailyInterestRate = ApiDecimalField(source="daily_interest_rate", required=False)
    invoicePostponementLimit = ApiDecimalField(source="invoice_postponement_limit", required=False)
    taxRate = ApiDecimalField(source="tax_rate", required=False)
    maxPostponementDays = ApiDecimalField(source="max_postponement_days", required=False)
    defaultCreditValue = ApiDecimalField(source="default_credit_limit", required=False)
    postponementEnabled = serializers.BooleanField(source="postponement_enabled", required=False)
    automaticCheckingAccountCreationEnabled = serializers.BooleanField(
        source="automatic_account_creation_enabled", required=False
    )
    toleranceEnabled = serializers.BooleanField(source="tolerance_enabled", required=False)
    myCreditsEnabled = serializers.BooleanField(source="my_credits_enabled", required=False)
    maxPreAuthorizationGrowthRate = ApiDecimalField(
        source="max_pre_authorization_growth_rate", required=False
    )
    notificationsSettings = NotificationsSettingsSerializer(source="*", required=False)

    def to_representation(self, store_settings) -> dict:
        number = MoneyNumberField().to_representation
        return {
            "dailyInterestRate": number(store_settings.daily_interest_rate),
            "invoicePostponementLimit": store_settings.invoice_postponement_limit,
            "taxRate": number(store_settings.tax_rate),
            "maxPostponementDays": store_settings.max_postponement_days,
            "defaultCreditValue": number(store_settings.default_credit_limit),
            "postponementEnabled": store_settings.postponement_enabled,
            "automaticCheckingAccountCreationEnabled": (
                store_settings.automatic_account_creation_enabled
            ),
            "toleranceEnabled": store_settings.tolerance_enabled,
            "myCreditsEnabled": store_settings.my_credits_enabled,
            "maxPreAuthorizationGrowthRate": number(
                store_settings.max_pre_authorization_growth_rate
            ),
            "notificationsSettings": {
                "daysPrior": store_settings.reminders_before_due,
                "daysAfter": store_settings.reminders_after_due,
            },
        }
