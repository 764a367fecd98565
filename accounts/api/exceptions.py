"""One place that turns every failure of an API call into VTEX's `{"code", "message"}` shape.

Refusals come from the planner (via the services) as ChangeRefused, with the problems'
stable codes; input-shape errors come from the serializers. Both leave here with the
field named the way the API spells it (`creditLimit`, `claims.email`).
"""

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from accounts.models import Account, Holder
from accounts.problems import DUPLICATE_CODES, ChangeRefused

# VTEX's one documented error code.
DUPLICATE_OPEN_ACCOUNT_CODE = "1099"
DUPLICATE_OPEN_ACCOUNT_MESSAGE = "The Credit Account is already open."
# Refusals that are not about the input's shape: the request was fine, the data says no.
STATUS_BY_CODE = {
    "stale_version": status.HTTP_412_PRECONDITION_FAILED,
    "account_closed": status.HTTP_409_CONFLICT,
    "reopen_refused": status.HTTP_409_CONFLICT,
    "holder_exists": status.HTTP_409_CONFLICT,
}
API_FIELD_NAMES = {
    "credit_limit": "creditLimit",
    "document_type": "documentType",
    "non_field_errors": "",
    "__all__": "",
}
UNAUTHENTICATED_MESSAGE = (
    "Authentication required: send the X-VTEX-API-AppKey and X-VTEX-API-AppToken headers "
    "(or call from a logged-in session)."
)


def error_body(code: str, message: str, **extra) -> dict:
    return {"code": code, "message": message, **extra}


def vtex_exception_handler(exc, context):
    view = context.get("view")
    field_names = {**API_FIELD_NAMES, **getattr(view, "api_field_names", {})}
    if isinstance(exc, DjangoValidationError):
        response = _rule_error_response(exc, field_names)
    elif isinstance(exc, exceptions.ValidationError):
        # Serializer errors already use the API's names.
        response = _input_error_response(exc.detail, API_FIELD_NAMES)
    elif isinstance(exc, ObjectDoesNotExist | Http404 | exceptions.NotFound):
        response = _not_found_response(exc)
    elif isinstance(exc, IntegrityError):
        response = Response(
            error_body(
                "conflict",
                "The request conflicts with a change made at the same moment; try again.",
            ),
            status=status.HTTP_409_CONFLICT,
        )
    elif isinstance(exc, DataError):
        response = Response(
            error_body("invalid_input", "A value in the request cannot be stored."),
            status=status.HTTP_400_BAD_REQUEST,
        )
    elif isinstance(exc, DjangoPermissionDenied):
        response = Response(
            error_body("forbidden", str(exc) or "Permission denied."),
            status=status.HTTP_403_FORBIDDEN,
        )
    elif isinstance(exc, exceptions.APIException):
        response = _api_exception_response(exc)
    else:
        return None  # a bug: let Django log it and answer 500
    set_rollback()
    return response


def _api_exception_response(exc: exceptions.APIException) -> Response:
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    message = str(exc.detail)
    code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
    if isinstance(exc, exceptions.NotAuthenticated):
        code, message = "unauthorized", UNAUTHENTICATED_MESSAGE
    elif isinstance(exc, exceptions.AuthenticationFailed):
        code = "unauthorized"
    elif isinstance(exc, exceptions.PermissionDenied):
        code = "forbidden"
    elif isinstance(exc, exceptions.ParseError):
        code = "malformed_json"
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        message = f"{message} Send the body as JSON with Content-Type: application/json."
    return Response(error_body(code, message), status=exc.status_code, headers=headers)


def _not_found_response(exc: Exception) -> Response:
    if isinstance(exc, exceptions.NotFound) and exc.get_codes() != "not_found":
        code, message = exc.get_codes(), str(exc.detail)
    elif isinstance(exc, Holder.DoesNotExist):
        code, message = "holder_not_found", "The account has no holder with this id."
    else:
        code, message = "account_not_found", "No account with this id."
    return Response(error_body(code, message), status=status.HTTP_404_NOT_FOUND)


def _rule_error_response(exc: DjangoValidationError, field_names: dict[str, str]) -> Response:
    """The planner or a rule refused the request: 409 for a conflict with existing data,
    412 for a stale If-Match, 404 for an unknown account, else 400."""
    if isinstance(exc, ChangeRefused):
        errors = [(problem.field or "", problem.code, problem.message) for problem in exc.problems]
        params = {problem.code: problem.params for problem in exc.problems}
    else:
        by_field = exc.error_dict if hasattr(exc, "error_dict") else {"": exc.error_list}
        errors = [
            (field, error.code, next(iter(error)))
            for field, field_errors in by_field.items()
            for error in field_errors
        ]
        params = {}
    fields: dict[str, list[dict]] = {}
    for field, code, message in errors:
        fields.setdefault(field_names.get(field, field), []).append(
            {"code": code, "message": message}
        )
    codes = {code for _field, code, _message in errors}
    duplicate = next((code for code in DUPLICATE_CODES if code in codes), None)
    if duplicate is not None:
        duplicate_of = params[duplicate]["id"]
        body = error_body(
            DUPLICATE_OPEN_ACCOUNT_CODE,
            f"{DUPLICATE_OPEN_ACCOUNT_MESSAGE} Existing account id: {duplicate_of}.",
            accountId=duplicate_of,
            fields=fields,
        )
        return Response(body, status=status.HTTP_409_CONFLICT)
    if "unknown_id" in codes:
        return _not_found_response(Account.DoesNotExist())
    body = _summarize(fields)
    for code, status_code in STATUS_BY_CODE.items():
        if code in codes:
            body["code"] = code
            return Response(body, status=status_code)
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


def _input_error_response(detail, field_names: dict[str, str]) -> Response:
    """The body or query did not have the expected shape (serializer errors)."""
    fields: dict[str, list[dict]] = {}
    for path, error in _flatten(detail):
        name = ".".join(field_names.get(part, part) for part in path if field_names.get(part, part))
        fields.setdefault(name, []).append({"code": error.code, "message": str(error)})
    return Response(_summarize(fields), status=status.HTTP_400_BAD_REQUEST)


def _flatten(detail, path: tuple[str, ...] = ()):
    if isinstance(detail, dict):
        for key, value in detail.items():
            yield from _flatten(value, (*path, str(key)))
    elif isinstance(detail, list):
        for item in detail:
            yield from _flatten(item, path)
    else:
        yield path, detail


def _summarize(fields: dict[str, list[dict]]) -> dict:
    """Top-level code and message: the error itself when there is one, a digest otherwise."""
    errors = [(name, error) for name, field_errors in fields.items() for error in field_errors]
    message = "; ".join(
        f"{name}: {error['message']}" if name else error["message"] for name, error in errors
    )
    code = errors[0][1]["code"] if len(errors) == 1 else "invalid_input"
    body = error_body(code, message)
    if any(fields):
        body["fields"] = fields
    return body
