"""Request and response examples shown on /api/docs/, in VTEX's shapes."""

from drf_spectacular.utils import OpenApiExample

_ACCOUNT = {
    "id": "52998224725_CPF",
    "balance": 0,
    "document": "52998224725",
    "status": "Open",
    "documentType": "CPF",
    "creditLimit": 3000,
    "updatedAt": "2026-11-09T13:29:01.250508Z",
    "createdAt": "2026-11-09T13:29:01.156788Z",
    "description": "",
    "availableCredit": 3000,
    "preAuthorizedCredit": 0,
    "email": "customer@example.com",
    "tolerance": 0.05,
    "availableBalance": 3000,
}

ACCOUNT = OpenApiExample("Account", value=_ACCOUNT, response_only=True)
CLOSED_ACCOUNT = OpenApiExample(
    "Closed account", value={**_ACCOUNT, "status": "Closed"}, response_only=True
)
SEARCH_RESULT = OpenApiExample(
    "Search result", value={"data": [_ACCOUNT], "summary": {"count": 1}}, response_only=True
)
OPEN_REQUEST = OpenApiExample(
    "Open an account",
    value={
        "document": "529.982.247-25",
        "documentType": "CPF",
        "email": "customer@example.com",
        "creditLimit": "3000",
        "tolerance": "0.05",
    },
    request_only=True,
)
CHANGE_REQUEST = OpenApiExample(
    "Change the e-mail only",
    value={"email": "new.address@example.com"},
    request_only=True,
)
CREDIT_LIMIT_REQUEST = OpenApiExample("New limit", value={"value": 5500}, request_only=True)
TOLERANCE_REQUEST = OpenApiExample("10 % tolerance", value={"value": 0.1}, request_only=True)
HOLDER_REQUEST = OpenApiExample(
    "Add a holder", value={"claims": {"email": "dependent@example.com"}}, request_only=True
)
HOLDER = OpenApiExample(
    "Holder",
    value={
        "id": "054a67b342164018a0f291636c1669f1",
        "claims": {"email": "dependent@example.com"},
        "createdAt": "2026-11-10T18:33:58.402627Z",
    },
    response_only=True,
)
DELETED_HOLDER = OpenApiExample(
    "Deleted holder", value={"id": "054a67b342164018a0f291636c1669f1"}, response_only=True
)

ALREADY_OPEN = OpenApiExample(
    "Already open (1099)",
    value={
        "code": "1099",
        "message": "The Credit Account is already open. Existing account id: 52998224725_CPF.",
        "accountId": "52998224725_CPF",
        "fields": {
            "document": [
                {
                    "code": "duplicate_open_document",
                    "message": "An open account with this document already exists "
                    "(account 52998224725_CPF).",
                }
            ]
        },
    },
    response_only=True,
    status_codes=["409"],
)
INVALID_INPUT = OpenApiExample(
    "Invalid credit limit",
    value={
        "code": "credit_limit_negative",
        "message": "creditLimit: The credit limit cannot be negative.",
        "fields": {
            "creditLimit": [
                {"code": "credit_limit_negative", "message": "The credit limit cannot be negative."}
            ]
        },
    },
    response_only=True,
    status_codes=["400"],
)
TOLERANCE_TOO_LARGE = OpenApiExample(
    "Tolerance given as a percentage",
    value={
        "code": "tolerance_percent",
        "message": "value: The tolerance is a fraction between 0 and 1 (0.05 = 5%). "
        "Did you mean 0.20 = 20%?",
        "fields": {
            "value": [
                {
                    "code": "tolerance_percent",
                    "message": "The tolerance is a fraction between 0 and 1 (0.05 = 5%). "
                    "Did you mean 0.20 = 20%?",
                }
            ]
        },
    },
    response_only=True,
    status_codes=["400"],
)


def error_example(name: str, code: str, message: str, status: str) -> OpenApiExample:
    """An error answer with no field details: `{"code", "message"}`."""
    return OpenApiExample(
        name, value={"code": code, "message": message}, response_only=True, status_codes=[status]
    )


UNAUTHORIZED = error_example(
    "No credentials",
    "unauthorized",
    "Authentication required: send the X-VTEX-API-AppKey and X-VTEX-API-AppToken headers (or "
    "call from a logged-in session).",
    "401",
)
FORBIDDEN = error_example(
    "Missing scope", "forbidden", 'Missing permission: Edit credit limits (scope "credit").', "403"
)
NOT_FOUND = error_example("Unknown account", "account_not_found", "No account with this id.", "404")
ACCOUNT_CLOSED = error_example(
    "Closed account", "account_closed", "A closed account cannot be changed.", "409"
)
HOLDER_EXISTS = error_example(
    "Holder already there",
    "holder_exists",
    "dependent@example.com is already a holder of this account.",
    "409",
)
STALE = error_example(
    "Changed since If-Match",
    "stale_version",
    "Changed by ana on Dec. 2, 2026, 2:02 p.m. through CSV import (Import #12 row 57) since you "
    "last saw it: nothing was saved, so that change is kept. Check the account and save again "
    "if your values are still right. Credit limit is now 2,000.00 (yours: 1,500.00).",
    "412",
)
