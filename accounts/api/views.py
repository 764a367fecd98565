"""VTEX-compatible account endpoints: parse the request, call a service or selector, answer.

An integration written for VTEX's Customer Credit API works here by changing only the
base URL and the key pair. Where VTEX is inconsistent, DOMAIN.md's decisions apply
(PUT leaves omitted fields unchanged; tolerance above 1 is refused).
"""

import logging
import re
from urllib.parse import quote

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.changes import Intent
from accounts.models import Account, AccountStatus, ApiScope

from . import examples
from .auth import HasScope, change_source, check_credit_scope
from .exceptions import error_body
from .schema import (
    ACCOUNT_ID_PARAMETER,
    ALREADY_OPEN,
    CLOSED,
    CLOSED_OR_ALREADY_OPEN,
    CLOSED_OR_HOLDER_THERE,
    ERRORS,
    IF_MATCH_PARAMETER,
    NOT_FOUND,
    STALE,
    error_response,
)
from .serializers import (
    AccountSearchQuerySerializer,
    AccountSearchResultSerializer,
    AccountSerializer,
    AddHolderSerializer,
    CloseAccountSerializer,
    DeletedHolderSerializer,
    HolderSerializer,
    OpenAccountSerializer,
    OpenOrChangeAccountSerializer,
    ValueSerializer,
)

IGNORED_FIELDS_HEADER = "X-Ignored-Fields"
MAX_HEADER_LENGTH = 1000  # names are percent-encoded: a field name may hold anything
logger = logging.getLogger(__name__)
# If-Match takes the ETag of an account response: its version, quoted.
_ENTITY_TAG = re.compile(r'"(\d{1,10})"')


class CreditControlView(APIView):
    """Base of every endpoint: JSON in English, auth by API key or session, scope per method."""

    permission_classes = [HasScope]
    # HTTP method → scope it needs.
    required_scopes: dict[str, str] = {}
    # How rule errors name fields in this endpoint, beyond the usual camelCase.
    api_field_names: dict[str, str] = {}

    @classmethod
    def as_view(cls, **initkwargs):
        # The site sends anonymous visitors to the login page; the API answers 401 itself.
        return login_not_required(super().as_view(**initkwargs))

    def dispatch(self, request, *args, **kwargs):
        # Integrations parse these messages; they stay English whatever the browser says.
        with translation.override("en"):
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        self.ignored_fields: list[str] = []
        super().initial(request, *args, **kwargs)

    def parse(self, serializer_class, data):
        serializer = serializer_class(data=data)
        serializer.is_valid(raise_exception=True)
        self.ignored_fields += serializer.ignored_fields
        return serializer.validated_data

    def finalize_response(self, request, response, *args, **kwargs):
        # Unknown request fields are ignored, as VTEX clients expect, but never silently.
        if getattr(self, "ignored_fields", None):
            names = ", ".join(quote(name, safe=".") for name in self.ignored_fields)
            response[IGNORED_FIELDS_HEADER] = names[:MAX_HEADER_LENGTH]
            logger.info("%s %s ignored fields: %s", request.method, request.path, names)
        return super().finalize_response(request, response, *args, **kwargs)


def account_response(account: Account) -> Response:
    """An account, with its version as the ETag a later If-Match can send back."""
    return Response(AccountSerializer(account).data, headers={"ETag": f'"{account.version}"'})


def requested_version(request) -> int | None:
    """The version an If-Match header asks to change (None: no header, or `*`)."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    match = _ENTITY_TAG.fullmatch(header)
    if match is None:
        raise ValidationError(
            {"If-Match": 'Send the ETag of the account as you read it, e.g. "3".'},
            code="invalid_if_match",
        )
    return int(match[1])


class AccountCollectionView(CreditControlView):
    required_scopes = {"GET": ApiScope.READ, "POST": ApiScope.WRITE}

    @extend_schema(
        operation_id="searchAccounts",
        summary="Search accounts",
        description="Accounts in order of opening. `from`/`to` are 1-based positions "
        "(default: the first 20); `summary.count` counts every match. Only open accounts "
        "unless `status` asks otherwise (VTEX lists no closed account either). `status` "
        "accepts VTEX's words, any case: `Open`/`Opened` and `Paid` (an account has no paid "
        "state) → open; `Closed`/`Cancelled` → closed; `All` → both.",
        parameters=[
            OpenApiParameter("from", int, description="First position, 1-based.", default=1),
            OpenApiParameter("to", int, description="Last position (inclusive).", default=20),
            OpenApiParameter(
                "status",
                str,
                enum=["Open", "Opened", "Paid", "Closed", "Cancelled", "All"],
                default="Open",
            ),
            OpenApiParameter("email", str, description="The owner's e-mail, any case."),
        ],
        responses={200: AccountSearchResultSerializer, **ERRORS},
        examples=[examples.SEARCH_RESULT],
        tags=["Accounts"],
    )
    def get(self, request):
        query = self.parse(AccountSearchQuerySerializer, request.query_params)
        accounts = selectors.search_accounts(
            status=query.get("status", AccountStatus.OPEN),
            email=query.get("email", ""),
            ordering="created",
        )
        page = accounts[query["from"] - 1 : query["to"]]
        return Response(
            {
                "data": AccountSerializer(page, many=True).data,
                "summary": {"count": accounts.count()},
            }
        )

    @extend_schema(
        operation_id="openAccount",
        summary="Open an account",
        description="The new account's id is `{document}_{documentType}` as in VTEX, or a "
        "UUID when that id is taken (e.g. by a closed account) or there is no document. "
        "`creditLimit` defaults to the store's default credit value. Sending `creditLimit` or "
        "`tolerance`, or opening an account for a customer whose account is closed, also "
        "needs the `credit` scope.",
        request=OpenAccountSerializer,
        responses={200: AccountSerializer, **ERRORS, **ALREADY_OPEN},
        examples=[examples.OPEN_REQUEST, examples.ACCOUNT],
        tags=["Accounts"],
    )
    def post(self, request):
        body = self.parse(OpenAccountSerializer, request.data)
        values = account_values(body)
        check_credit_scope(request, values, opening=True)
        saved = services.open_account(
            values=values,
            source=change_source(request),
            id_from_document=True,
        )
        return account_response(saved.account)


class AccountView(CreditControlView):
    required_scopes = {"GET": ApiScope.READ, "PUT": ApiScope.WRITE, "DELETE": ApiScope.WRITE}

    @extend_schema(
        operation_id="getAccount",
        summary="Retrieve an account",
        parameters=[ACCOUNT_ID_PARAMETER],
        responses={200: AccountSerializer, **ERRORS, **NOT_FOUND},
        examples=[examples.ACCOUNT],
        tags=["Accounts"],
    )
    def get(self, request, account_id):
        return account_response(selectors.get_account(account_id))

    @extend_schema(
        operation_id="openOrChangeAccount",
        summary="Open or change an account",
        description="Opens an account with this id when there is none; otherwise changes "
        "the fields sent — **omitted fields stay unchanged** (VTEX erases them). Sending "
        "`creditLimit` or `tolerance` (to open or to change), or opening an account for a "
        "customer whose account is closed, also needs the `credit` scope.",
        parameters=[ACCOUNT_ID_PARAMETER, IF_MATCH_PARAMETER],
        request=OpenOrChangeAccountSerializer,
        responses={200: AccountSerializer, **ERRORS, **STALE, **CLOSED_OR_ALREADY_OPEN},
        examples=[examples.CHANGE_REQUEST, examples.ACCOUNT],
        tags=["Accounts"],
    )
    def put(self, request, account_id):
        body = self.parse(OpenOrChangeAccountSerializer, request.data)
        if body.get("id", account_id) != account_id:
            raise ValidationError(
                {"id": "The id in the body differs from the id in the path."}, code="id_mismatch"
            )
        values = account_values(body)
        version = requested_version(request)
        try:
            selectors.get_account(account_id)
        except Account.DoesNotExist:
            if version is not None:
                raise PreconditionFailed("No account has this id: If-Match cannot match.") from None
            opening = True
        else:
            opening = False
        check_credit_scope(request, values, opening=opening)
        saved = services.change_account(
            account_id=account_id,
            values=values,
            source=change_source(request),
            based_on_version=version,
            intent=Intent.OPEN_OR_CHANGE,
        )
        return account_response(saved.account)

    @extend_schema(
        operation_id="closeAccount",
        summary="Close an account",
        description="Closing is irreversible; closing a closed account changes nothing. "
        "The optional body (VTEX sends the owner's document and e-mail) is ignored.",
        parameters=[ACCOUNT_ID_PARAMETER, IF_MATCH_PARAMETER],
        request=CloseAccountSerializer,
        responses={200: AccountSerializer, **ERRORS, **NOT_FOUND, **STALE},
        examples=[examples.CLOSED_ACCOUNT],
        tags=["Accounts"],
    )
    def delete(self, request, account_id):
        self.parse(CloseAccountSerializer, request.data)
        saved = services.close_account(
            account_id=selectors.get_account(account_id).pk,
            source=change_source(request),
            based_on_version=requested_version(request),
        )
        return account_response(saved.account)


class SingleValueChangeView(CreditControlView):
    """`PUT …/{field} {value}`: change one field of an open account."""

    required_scopes = {"PUT": ApiScope.CREDIT}
    account_field = ""

    def put(self, request, account_id):
        body = self.parse(ValueSerializer, request.data)
        saved = services.change_account(
            account_id=selectors.get_account(account_id).pk,
            values={self.account_field: body["value"]},
            source=change_source(request),
            based_on_version=requested_version(request),
        )
        return account_response(saved.account)


class CreditLimitView(SingleValueChangeView):
    account_field = "credit_limit"
    api_field_names = {"credit_limit": "value"}

    @extend_schema(
        operation_id="changeCreditLimit",
        summary="Change the credit limit",
        parameters=[ACCOUNT_ID_PARAMETER, IF_MATCH_PARAMETER],
        request=ValueSerializer,
        responses={200: AccountSerializer, **ERRORS, **NOT_FOUND, **CLOSED, **STALE},
        examples=[examples.CREDIT_LIMIT_REQUEST, examples.ACCOUNT],
        tags=["Accounts"],
    )
    def put(self, request, account_id):
        return super().put(request, account_id)


class ToleranceView(SingleValueChangeView):
    account_field = "tolerance"
    api_field_names = {"tolerance": "value"}

    @extend_schema(
        operation_id="changeTolerance",
        summary="Change the tolerance",
        description="A fraction between 0 and 1: 0.05 lets one order exceed the limit by 5 %. "
        "A value above 1 is refused with a hint (`20` → did you mean 0.20?).",
        parameters=[ACCOUNT_ID_PARAMETER, IF_MATCH_PARAMETER],
        request=ValueSerializer,
        responses={200: AccountSerializer, **ERRORS, **NOT_FOUND, **CLOSED, **STALE},
        examples=[examples.TOLERANCE_REQUEST, examples.TOLERANCE_TOO_LARGE, examples.ACCOUNT],
        tags=["Accounts"],
    )
    def put(self, request, account_id):
        return super().put(request, account_id)


class HolderCollectionView(CreditControlView):
    required_scopes = {"POST": ApiScope.WRITE}
    api_field_names = {"email": "claims.email"}

    @extend_schema(
        operation_id="addHolder",
        summary="Add a holder",
        description="A holder is a dependent, known by e-mail only, who buys with the "
        "account's credit.",
        parameters=[ACCOUNT_ID_PARAMETER],
        request=AddHolderSerializer,
        responses={200: HolderSerializer, **ERRORS, **NOT_FOUND, **CLOSED_OR_HOLDER_THERE},
        examples=[examples.HOLDER_REQUEST, examples.HOLDER],
        tags=["Holders"],
    )
    def post(self, request, account_id):
        body = self.parse(AddHolderSerializer, request.data)
        holder = services.add_holder(
            account_id=selectors.get_account(account_id).pk,
            email=body["claims"]["email"],
            source=change_source(request),
        )
        return Response(HolderSerializer(holder).data)


class HolderView(CreditControlView):
    required_scopes = {"DELETE": ApiScope.WRITE}

    @extend_schema(
        operation_id="deleteHolder",
        summary="Delete a holder",
        parameters=[
            ACCOUNT_ID_PARAMETER,
            OpenApiParameter("holder_id", str, OpenApiParameter.PATH, description="Holder id."),
        ],
        request=None,
        responses={
            200: DeletedHolderSerializer,
            **ERRORS,
            404: error_response("No such account or holder"),
        },
        examples=[examples.DELETED_HOLDER],
        tags=["Holders"],
    )
    def delete(self, request, account_id, holder_id):
        account = selectors.get_account(account_id)
        if len(holder_id) > 32 or not holder_id.isalnum():
            raise NotFound("The account has no holder with this id.", code="holder_not_found")
        services.remove_holder(
            account_id=account.pk, holder_id=holder_id, source=change_source(request)
        )
        return Response({"id": holder_id})


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "stale_version"


# API body keys → account fields.
API_FIELDS = {
    "email": "email",
    "document": "document",
    "documentType": "document_type",
    "creditLimit": "credit_limit",
    "tolerance": "tolerance",
    "status": "status",
}


def account_values(body: dict) -> dict[str, object]:
    """The account values of a request body, by account field (keys absent stay absent)."""
    return {field: body[key] for key, field in API_FIELDS.items() if key in body}


@csrf_exempt  # it changes nothing; without this a POST got the HTML "CSRF failed" page
@login_not_required
def unknown_endpoint(request, path=""):
    """Any other path under /api/, whatever the method: a JSON 404, not the site's HTML."""
    return JsonResponse(
        error_body("not_found", f"No endpoint at {request.path}. See /api/docs/."), status=404
    )
