"""The API's JSON shapes, named and typed as VTEX's Customer Credit API has them.

Input serializers only check the *shape* of a request (which keys, which JSON types);
every value rule is applied by accounts.services / accounts.rules, so the API refuses
exactly what the New form and the import refuse, with the same messages.
"""

from collections.abc import Mapping
from datetime import UTC
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from accounts import rules

MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 20


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


class StrictSerializer(serializers.Serializer):
    """Refuses keys it does not know, so a typo (`creditlimit`) is an error, not a no-op."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                error = ErrorDetail(
                    f"Unknown field. Expected: {', '.join(self.fields)}.", "unknown_field"
                )
                raise serializers.ValidationError({name: [error] for name in unknown})
        return super().to_internal_value(data)


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


class AccountSearchQuerySerializer(StrictSerializer):
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

    def to_internal_value(self, data):
        # Other query parameters (cache busters, VTEX's own extras) are ignored.
        return super().to_internal_value({key: data[key] for key in self.fields if key in data})

    def validate_status(self, value: str) -> str:
        try:
            return rules.clean_status(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages[0], code=error.code) from None

    def validate(self, attrs):
        first = attrs.get("from", 1)
        last = attrs.get("to", first + DEFAULT_PAGE_SIZE - 1)
        if last < first:
            raise serializers.ValidationError({"to": "`to` must be at least `from`."})
        if last - first + 1 > MAX_PAGE_SIZE:
            raise serializers.ValidationError(
                {"to": f"At most {MAX_PAGE_SIZE} accounts per request."}, code="invalid"
            )
        return {**attrs, "from": first, "to": last}


class OpenAccountSerializer(StrictSerializer):
    """Body of POST /accounts."""

    document = serializers.CharField(required=False, allow_blank=True, max_length=100)
    documentType = serializers.CharField(required=False, allow_blank=True, max_length=20)
    email = serializers.CharField(max_length=1000)  # the e-mail rule says what fits
    creditLimit = NumberOrNumericStringField(required=False)
    tolerance = NumberOrNumericStringField(required=False)
    description = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text="Deprecated: ignored."
    )


class OpenOrChangeAccountSerializer(StrictSerializer):
    """Body of PUT /accounts/{id}: omitted fields stay as they are."""

    id = serializers.CharField(required=False, max_length=100, help_text="Same as in the path.")
    email = serializers.CharField(required=False, max_length=1000)
    document = serializers.CharField(required=False, allow_blank=True, max_length=100)
    documentType = serializers.CharField(required=False, allow_blank=True, max_length=20)
    creditLimit = NumberOrNumericStringField(required=False)
    tolerance = NumberOrNumericStringField(required=False)
    status = serializers.CharField(
        required=False,
        max_length=20,
        help_text="Not in VTEX's API: `Closed` closes the account (as DELETE does); a closed "
        "account is never reopened.",
    )
    description = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text="Deprecated: ignored."
    )


class CloseAccountSerializer(StrictSerializer):
    """Optional body of DELETE /accounts/{id}; VTEX sends the owner's data, which is ignored."""

    document = serializers.CharField(required=False, allow_blank=True, max_length=100)
    documentType = serializers.CharField(required=False, allow_blank=True, max_length=20)
    email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    description = serializers.CharField(required=False, allow_blank=True, allow_null=True)


class ValueSerializer(StrictSerializer):
    """Body of PUT …/creditlimit and PUT …/tolerance."""

    value = NumberOrNumericStringField()


class HolderClaimsSerializer(StrictSerializer):
    email = serializers.CharField(max_length=254)


class AddHolderSerializer(StrictSerializer):
    """Body of POST …/holders."""

    claims = HolderClaimsSerializer()


class HolderSerializer(serializers.Serializer):
    id = serializers.CharField(read_only=True)
    claims = serializers.SerializerMethodField()
    createdAt = UtcDateTimeField(source="created_at")

    def get_claims(self, holder) -> HolderClaimsSerializer:
        return {"email": holder.email}


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
