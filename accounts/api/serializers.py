"""The API's JSON shapes, named and typed as VTEX's Customer Credit API has them.

Input serializers only check the *shape* of a request (which keys, which JSON types);
every value rule is applied by accounts.services / accounts.rules, so the API refuses
exactly what the New form and the import refuse, with the same messages.
"""

from collections.abc import Mapping
from datetime import UTC
from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import AccountStatus
from accounts.rules import leave_nul_to_the_planner

MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 20
# VTEX's holder level: 2 = a dependent of the account's main holder.
DEPENDENT_LEVEL = 2


@extend_schema_field(OpenApiTypes.NUMBER)
class MoneyNumberField(serializers.Field):
    """A Decimal written as a JSON number: `1100` or `0.05`, as VTEX writes them."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Decimal | int):
        value = Decimal(value)  # a just-created account still holds the int default 0
        return int(value) if value == value.to_integral_value() else float(value)


@extend_schema_field({"type": "string", "format": "date-time", "example": "2026-11-09T13:29:01Z"})
class UtcDateTimeField(serializers.Field):
    """ISO-8601 in UTC with a `Z`, whatever TIME_ZONE the site runs in."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


@extend_schema_field({"oneOf": [{"type": "number"}, {"type": "string"}], "example": 1500})
class NumberOrNumericStringField(serializers.Field):
    """A JSON number or a numeric string ("1500.00"); rules.parse_amount reads it."""

    default_error_messages = {"invalid": "Expected a number or a numeric string."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float | Decimal | str):
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


class AccountValueField(serializers.CharField):
    """Text that becomes an account value: the planner judges it, NUL characters included
    (rules.check_storable), so the API says what the form and the import say."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        leave_nul_to_the_planner(self)


class LenientSerializer(serializers.Serializer):
    """Ignores keys it does not know, as VTEX clients expect (VTEX's own examples send fields
    nobody reads, clients add theirs), and remembers them in `ignored_fields` — nested ones as
    `claims.name` — for the view to report in the X-Ignored-Fields header."""

    def to_internal_value(self, data):
        self.ignored_fields: list[str] = []
        if isinstance(data, Mapping):
            self.ignored_fields = sorted(set(data) - set(self.fields))
            data = {key: value for key, value in data.items() if key in self.fields}
        validated = super().to_internal_value(data)
        for name, field in self.fields.items():
            nested = getattr(field, "ignored_fields", [])
            self.ignored_fields += [f"{name}.{inner}" for inner in nested]
        return validated


def page_positions(attrs: dict, *, listed: str) -> dict:
    """VTEX's `from`/`to`: 1-based, inclusive, the first 20 by default, at most 1000."""
    first = attrs.get("from", 1)
    last = attrs.get("to", first + DEFAULT_PAGE_SIZE - 1)
    if last < first:
        raise serializers.ValidationError({"to": "`to` must be at least `from`."})
    if last - first + 1 > MAX_PAGE_SIZE:
        raise serializers.ValidationError(
            {"to": f"At most {MAX_PAGE_SIZE} {listed} per request."}, code="invalid"
        )
    return {**attrs, "from": first, "to": last}


class AccountSerializer(serializers.Serializer):
    """An account as VTEX returns it (same keys, same order)."""

    id = serializers.CharField(read_only=True)
    balance = MoneyNumberField()
    document = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    documentType = serializers.CharField(source="document_type", read_only=True)
    creditLimit = MoneyNumberField(source="credit_limit")
    updatedAt = UtcDateTimeField(source="updated_at")
    createdAt = UtcDateTimeField(source="created_at")
    description = serializers.SerializerMethodField(help_text="Deprecated by VTEX: always empty.")
    availableCredit = MoneyNumberField(source="available_credit")
    preAuthorizedCredit = MoneyNumberField(source="pre_authorized_credit")
    email = serializers.EmailField(read_only=True)
    tolerance = MoneyNumberField(help_text="A fraction: 0.05 = 5 %.")
    availableBalance = MoneyNumberField(source="available_balance")

    def get_description(self, account) -> str:
        return ""


class SearchSummarySerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="How many accounts match, on every page.")


class AccountSearchResultSerializer(serializers.Serializer):
    data = AccountSerializer(many=True)
    summary = SearchSummarySerializer()


# The account search's `status` words. VTEX's description says Open/Closed/Cancelled, its
# schema Opened/Paid/Cancelled (the invoices' words): an account has no paid state, so Paid
# reads as Open, the default; Cancelled as Closed. `All` lists both (not in VTEX).
SEARCH_STATUS_WORDS = {
    "open": AccountStatus.OPEN,
    "opened": AccountStatus.OPEN,
    "paid": AccountStatus.OPEN,
    "closed": AccountStatus.CLOSED,
    "cancelled": AccountStatus.CLOSED,
    "canceled": AccountStatus.CLOSED,
    "all": "",
}


class AccountSearchQuerySerializer(LenientSerializer):
    """`?from=1&to=20&status=Open&email=…` — positions are 1-based and inclusive."""

    from_position = serializers.IntegerField(required=False, min_value=1, max_value=10**9)
    to = serializers.IntegerField(required=False, min_value=1, max_value=10**9)
    status = serializers.CharField(required=False, max_length=20)
    email = serializers.CharField(required=False, max_length=254, allow_blank=True)

    def get_fields(self):
        fields = super().get_fields()
        # `from` is a Python keyword, so it cannot be a class attribute.
        fields["from"] = fields.pop("from_position")
        return fields

    def validate_status(self, value: str) -> str:
        try:
            return SEARCH_STATUS_WORDS[value.strip().lower()]
        except KeyError:
            raise serializers.ValidationError(
                f"Unknown status “{value}”: use Open or Closed (VTEX's Opened, Paid and "
                "Cancelled are read as Open, Open and Closed), or All.",
                code="invalid_status",
            ) from None

    def validate(self, attrs):
        return page_positions(attrs, listed="accounts")


class OpenAccountSerializer(LenientSerializer):
    """Body of POST /accounts."""

    document = AccountValueField(required=False, allow_blank=True, max_length=100)
    documentType = AccountValueField(required=False, allow_blank=True, max_length=20)
    email = AccountValueField(max_length=1000)  # the e-mail rule says what fits
    creditLimit = NumberOrNumericStringField(required=False)
    tolerance = NumberOrNumericStringField(required=False)
    description = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text="Deprecated: ignored."
    )


class OpenOrChangeAccountSerializer(LenientSerializer):
    """Body of PUT /accounts/{id}: omitted fields stay as they are."""

    id = serializers.CharField(required=False, max_length=100, help_text="Same as in the path.")
    email = AccountValueField(required=False, max_length=1000)
    document = AccountValueField(required=False, allow_blank=True, max_length=100)
    documentType = AccountValueField(required=False, allow_blank=True, max_length=20)
    creditLimit = NumberOrNumericStringField(required=False)
    tolerance = NumberOrNumericStringField(required=False)
    status = AccountValueField(
        required=False,
        max_length=20,
        help_text="Not in VTEX's API: `Closed` closes the account (as DELETE does); a closed "
        "account is never reopened.",
    )
    description = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text="Deprecated: ignored."
    )


class CloseAccountSerializer(LenientSerializer):
    """Optional body of DELETE /accounts/{id}; VTEX sends the owner's data, which is ignored."""

    document = serializers.CharField(required=False, allow_blank=True, max_length=100)
    documentType = serializers.CharField(required=False, allow_blank=True, max_length=20)
    email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    description = serializers.CharField(required=False, allow_blank=True, allow_null=True)


class ValueSerializer(LenientSerializer):
    """Body of PUT …/creditlimit and PUT …/tolerance."""

    value = NumberOrNumericStringField()


class HolderClaimsSerializer(LenientSerializer):
    email = AccountValueField(max_length=254)


class AddHolderSerializer(LenientSerializer):
    """Body of POST …/holders."""

    claims = HolderClaimsSerializer()


class HolderSerializer(serializers.Serializer):
    """A holder as VTEX returns it: `level` 2 is a dependent of the account's main holder,
    which every holder added here is."""

    level = serializers.SerializerMethodField()
    id = serializers.CharField(read_only=True)
    claims = serializers.SerializerMethodField()
    createdAt = UtcDateTimeField(source="created_at")

    def get_level(self, holder) -> int:
        return DEPENDENT_LEVEL

    def get_claims(self, holder) -> HolderClaimsSerializer:
        return {"email": holder.email}

    def to_representation(self, holder) -> dict:
        body = super().to_representation(holder)
        return {key: body[key] for key in ("level", "claims", "id", "createdAt")}  # VTEX's order


class DeletedHolderSerializer(serializers.Serializer):
    id = serializers.CharField(read_only=True)


class ErrorSerializer(serializers.Serializer):
    """Every error: a stable `code`, an English `message`, and per-field details if any."""

    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.DictField()), required=False
    )
    accountId = serializers.CharField(required=False, help_text="With code 1099: the open one.")
