"""The ledger endpoints' documentation on /api/docs/: summaries, the decisions taken where
VTEX's description is silent or inconsistent, and examples in VTEX's shapes.

Longer than our other modules because it is prose, one block per operation, kept apart from
the views so they stay a few lines each.
"""

from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)

from accounts.api.schema import ACCOUNT_ID_PARAMETER
from accounts.api.serializers import ErrorSerializer

from .serializers import (
    DebitRequestSerializer,
    DebitSerializer,
    InvoiceChangeRequestSerializer,
    InvoiceSearchResultSerializer,
    InvoiceSerializer,
    PostponementRequestSerializer,
    PreAuthorizationRequestSerializer,
    PreAuthorizationSerializer,
    RefundSerializer,
    SettlementSerializer,
    StatementsSerializer,
    StoreConfigSerializer,
    ValueRequestSerializer,
)

ACCOUNT = ACCOUNT_ID_PARAMETER
TRANSACTION = OpenApiParameter(
    "transaction_id", str, OpenApiParameter.PATH, description="The pre-authorization's id."
)
INVOICE = OpenApiParameter(
    "invoice_id", str, OpenApiParameter.PATH, description="`{transactionId}-{installment:02}`."
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Optional. A retry with the same key returns the first answer (header "
    "`Idempotent-Replayed: true`) instead of doing the work again; the same key with another "
    "body is refused with 422. Keys are kept for a day, per API key.",
)


def _error(description: str, code: str, message: str) -> OpenApiResponse:
    return OpenApiResponse(
        ErrorSerializer,
        description,
        examples=[OpenApiExample(code, value={"code": code, "message": message})],
    )


ERRORS = {
    400: _error("Invalid input", "value_not_positive", "The value must be greater than zero."),
    401: _error("No or wrong credentials", "unauthorized", "Invalid AppKey or AppToken."),
    403: _error(
        "Missing permission",
        "forbidden",
        'Missing permission: Edit credit limits (scope "credit").',
    ),
    404: _error(
        "No such account, pre-authorization or invoice",
        "transaction_not_found",
        "This account has no pre-authorization with this id.",
    ),
}
CONFLICT = {
    409: _error(
        "The account's state refuses it (codes: account_closed, insufficient_credit, "
        "growth_limit_exceeded, transaction_not_held, transaction_not_settled, "
        "transaction_id_taken, settlement_locked, refund_exceeds_settled, invoice_paid, "
        "invoice_cancelled, invoice_not_open, postponement_disabled, "
        "postponement_limit_reached, statement_id_reused)",
        "insufficient_credit",
        "Not enough credit: 150.00 requested, 100.00 available (credit limit 1000.00, "
        "tolerance included when the store enables it).",
    )
}

_PRE_AUTHORIZATION = {
    "id": "5d96bcdf0fbc46e1866a05f721f31623",
    "value": 49.7,
    "expirationDate": "2026-12-25T02:59:59.999999Z",
    "installments": 1,
    "status": "Held",
}
_INVOICE = {
    "id": "5d96bcdf0fbc46e1866a05f721f31623-01",
    "friendlyId": "u8KFsGDk-1",
    "status": "Opened",
    "value": 49.95,
    "accountId": "52998224725_CPF",
    "creditValue": 0,
    "createdAt": "2026-11-09T18:26:43.211223Z",
    "resolvedAt": None,
    "updatedAt": "2026-11-09T18:26:43.289316Z",
    "paymentLink": None,
    "originalDueDate": "2026-12-09T18:26:43.211223Z",
    "dueDate": "2026-12-09T18:26:43.211223Z",
    "installment": 1,
    "orderId": "1375060513100-01",
    "observation": None,
    "transactionId": "5d96bcdf0fbc46e1866a05f721f31623",
    "numberOfInstallments": 1,
    "creditAccountId": "52998224725_CPF",
}
TRANSACTIONS = ["Transactions"]
INVOICES = ["Invoices"]

pre_authorizations = extend_schema_view(
    post=extend_schema(
        operation_id="createPreAuthorization",
        summary="Create a pre-authorization",
        description="Holds `value` of the account's credit for an order until it is settled, "
        "cancelled or expires. Refused with 409 `insufficient_credit` when the credit in use "
        "(pre-authorized credit − balance) would pass creditLimit × (1 + tolerance); the "
        "tolerance counts only while the store enables it. The hold lasts 30 days, or with "
        "`settle: false` until the end of `expirationDate` (store time zone; VTEX: the date "
        "is only for such holds, so it is ignored with `settle: true`); a lapsed hold falls "
        "off at the account's next ledger call and with the daily `expire_ledger_records` "
        "command. "
        "Any hold not yet settled can be cancelled, whatever `settle` says (see Cancel). "
        "`installments` (1–99) is how many invoices the settlement makes.",
        parameters=[ACCOUNT, IDEMPOTENCY_KEY],
        request=PreAuthorizationRequestSerializer,
        responses={200: PreAuthorizationSerializer, **ERRORS, **CONFLICT},
        examples=[
            OpenApiExample(
                "Hold R$ 49.70",
                value={"value": 49.7, "settle": True, "installments": 1},
                request_only=True,
            ),
            OpenApiExample("Pre-authorization", value=_PRE_AUTHORIZATION, response_only=True),
        ],
        tags=TRANSACTIONS,
    )
)

pre_authorization = extend_schema_view(
    put=extend_schema(
        operation_id="updatePreAuthorization",
        summary="Update (or create) a pre-authorization",
        description="Changes a held pre-authorization's value and installments; creates it "
        "with this id when the account has none (so a connector choosing its own ids can "
        "retry safely). A value above the first one is allowed up to the store's "
        "`maxPreAuthorizationGrowthRate` and the credit available. Repeating the call "
        "changes nothing. A settled, cancelled or expired one answers 409.",
        parameters=[ACCOUNT, TRANSACTION],
        request=PreAuthorizationRequestSerializer,
        responses={200: PreAuthorizationSerializer, **ERRORS, **CONFLICT},
        examples=[
            OpenApiExample(
                "New value",
                value={"value": 55.0, "settle": True, "installments": 1},
                request_only=True,
            ),
            OpenApiExample(
                "Pre-authorization", value={**_PRE_AUTHORIZATION, "value": 55}, response_only=True
            ),
        ],
        tags=TRANSACTIONS,
    ),
    delete=extend_schema(
        operation_id="cancelPreAuthorization",
        summary="Cancel a pre-authorization",
        description="Releases the hold. **Difference from VTEX**: VTEX cancels only holds "
        "created with `settle: false`; here any hold not yet settled can be cancelled, since "
        "an order cancelled before capture must give its credit back. Cancelling twice "
        "answers the same; a settled one answers 409 (refund it instead). VTEX answers with "
        "no body; the pre-authorization is returned here.",
        parameters=[ACCOUNT, TRANSACTION],
        request=None,
        responses={200: PreAuthorizationSerializer, **ERRORS, **CONFLICT},
        tags=TRANSACTIONS,
    ),
)

settlement = extend_schema_view(
    put=extend_schema(
        operation_id="createOrUpdateSettlement",
        summary="Create or update a settlement",
        description="Invoices the order: the hold is released, the balance is debited by "
        "`value`, and one invoice per installment is created — equal parts, the odd cents on "
        "the first; the first due 30 days after settlement, each next one 30 days later. "
        "Invoice ids are `{transactionId}-01`, `-02`…; `friendlyId` is 8 random letters and "
        "digits plus the installment. Settling again with the same value changes nothing; "
        "with another value the invoices are recomputed while none is paid, cancelled or "
        "refunded (else 409 `settlement_locked`). A value above the hold needs the store's "
        "growth rate and the credit available.",
        parameters=[ACCOUNT, TRANSACTION],
        request=ValueRequestSerializer,
        responses={200: SettlementSerializer, **ERRORS, **CONFLICT},
        examples=[
            OpenApiExample("Settle R$ 49.95", value={"value": 49.95}, request_only=True),
            OpenApiExample(
                "Settlement",
                value={"value": 49.95, "id": "5d96bcdf0fbc46e1866a05f721f31623"},
                response_only=True,
            ),
        ],
        tags=TRANSACTIONS,
    )
)

refunds = extend_schema_view(
    post=extend_schema(
        operation_id="refundSettlement",
        summary="Refund part or all of a settlement",
        description="Gives `value` back to the balance. Never more than settled minus already "
        "refunded (409 `refund_exceeds_settled`, with the amount left). The refund comes off "
        "what the order's open invoices still ask for, last installment first (an invoice's "
        "`creditValue`); an invoice left owing nothing is cancelled. What goes beyond the "
        "open invoices (already paid) stays as credit in the balance. Each call refunds "
        "again: send an `Idempotency-Key` to retry safely.",
        parameters=[ACCOUNT, TRANSACTION, IDEMPOTENCY_KEY],
        request=ValueRequestSerializer,
        responses={200: RefundSerializer, **ERRORS, **CONFLICT},
        examples=[
            OpenApiExample("Refund R$ 30", value={"value": 30}, request_only=True),
            OpenApiExample("Refunded", value={"value": 30}, response_only=True),
        ],
        tags=TRANSACTIONS,
    )
)

_SEARCH_PARAMETERS = [
    OpenApiParameter("from", int, description="First position, 1-based.", default=1),
    OpenApiParameter("to", int, description="Last position (inclusive).", default=20),
    OpenApiParameter("createdDateFrom", str, description="ISO 8601 date or date-time."),
    OpenApiParameter("createdDateTo", str, description="Inclusive when a date."),
    OpenApiParameter("dueDateFrom", str),
    OpenApiParameter("dueDateTo", str, description="Inclusive when a date."),
    OpenApiParameter("value", float),
    OpenApiParameter("status", str, enum=["Opened", "Paid", "Cancelled"]),
    OpenApiParameter("friendlyId", str),
    OpenApiParameter("observation", str, description="Contained in the observation, any case."),
    OpenApiParameter("op", str, enum=["and", "or"], description="How filters combine."),
]
_SEARCH_DESCRIPTION = (
    "Invoices by due date. `summary.count` and the totals cover every match, not only the "
    "page; `total` is what the open ones still ask for. `op=or` combines the filters with "
    "OR; the account always applies. Dates are the store's days when given without a time."
)
_SEARCH_EXAMPLE = OpenApiExample(
    "Invoices",
    value={
        "data": [_INVOICE],
        "summary": {"total": 49.95, "count": 1, "totalPaid": 0, "totalCancelled": 0},
    },
    response_only=True,
)

store_invoices = extend_schema_view(
    get=extend_schema(
        operation_id="searchInvoices",
        summary="Search all invoices",
        description=_SEARCH_DESCRIPTION + " `creditAccountId` is optional here (VTEX marks it "
        "required): without it the search covers the whole store.",
        parameters=[*_SEARCH_PARAMETERS, OpenApiParameter("creditAccountId", str)],
        responses={200: InvoiceSearchResultSerializer, **ERRORS},
        examples=[_SEARCH_EXAMPLE],
        tags=INVOICES,
    )
)

account_invoices = extend_schema_view(
    get=extend_schema(
        operation_id="searchAccountInvoices",
        summary="Invoices of an account",
        description=_SEARCH_DESCRIPTION + " The store-wide search's filters work here too. "
        "`totalPaid`/`totalCancelled` are numbers (VTEX's schema says integer for this "
        "operation only; its examples and the store-wide search use decimals).",
        parameters=[ACCOUNT, *_SEARCH_PARAMETERS],
        responses={200: InvoiceSearchResultSerializer, **ERRORS},
        examples=[_SEARCH_EXAMPLE],
        tags=INVOICES,
    )
)

invoice = extend_schema_view(
    get=extend_schema(
        operation_id="getInvoice",
        summary="Retrieve an invoice",
        parameters=[ACCOUNT, INVOICE],
        responses={200: InvoiceSerializer, **ERRORS},
        examples=[OpenApiExample("Invoice", value=_INVOICE, response_only=True)],
        tags=INVOICES,
    ),
    put=extend_schema(
        operation_id="changeInvoice",
        summary="Change an invoice",
        description='Sets `observation` and `paymentLink` (omitted: unchanged; null or "": '
        "removed) and `status`: Opened → Paid pays it and Opened → Cancelled cancels it, "
        "exactly as the dedicated calls do; a paid or cancelled invoice is not reopened (409). "
        "VTEX answers with no body; the invoice is returned here.",
        parameters=[ACCOUNT, INVOICE],
        request=InvoiceChangeRequestSerializer,
        responses={200: InvoiceSerializer, **ERRORS, **CONFLICT},
        examples=[
            OpenApiExample(
                "Observation and link",
                value={
                    "status": "Opened",
                    "observation": "BF 2026 customer invoice.",
                    "paymentLink": "https://paymentlink.example.com/u8KFsGDk-1",
                },
                request_only=True,
            )
        ],
        tags=INVOICES,
    ),
    delete=extend_schema(
        operation_id="cancelInvoice",
        summary="Cancel an invoice",
        description="The customer no longer owes it: what it still asked for returns to the "
        "balance. Cancelling twice answers the same; a paid invoice answers 409 "
        "`invoice_paid`. The invoice is returned (VTEX: no body).",
        parameters=[ACCOUNT, INVOICE],
        request=None,
        responses={200: InvoiceSerializer, **ERRORS, **CONFLICT},
        tags=INVOICES,
    ),
)

invoice_payment = extend_schema_view(
    post=extend_schema(
        operation_id="payInvoice",
        summary="Mark an invoice as paid",
        description="Restores the balance by what the invoice still asked for. Paying a paid "
        "invoice again answers the same invoice and moves no money (it is never paid twice); "
        "a cancelled one answers 409 `invoice_cancelled`.",
        parameters=[ACCOUNT, INVOICE, IDEMPOTENCY_KEY],
        request=None,
        responses={200: InvoiceSerializer, **ERRORS, **CONFLICT},
        examples=[
            OpenApiExample(
                "Paid invoice",
                value={**_INVOICE, "status": "Paid", "resolvedAt": "2026-11-13T19:12:17.277823Z"},
                response_only=True,
            )
        ],
        tags=INVOICES,
    )
)

invoice_postponement = extend_schema_view(
    put=extend_schema(
        operation_id="postponeInvoice",
        summary="Postpone an invoice",
        description="The due date becomes the **original** due date plus `dueDays`, so "
        "repeating a call changes nothing and a second call with more days extends the "
        "first. Needs the store's `postponementEnabled` and `invoicePostponementLimit` > 0 "
        "(else 409 `postponement_disabled`); `dueDays` at most `maxPostponementDays` "
        "(400 `postponement_too_long`); each change of date counts towards "
        "`invoicePostponementLimit` (409 `postponement_limit_reached`). The invoice is "
        "returned (VTEX: no body).",
        parameters=[ACCOUNT, INVOICE],
        request=PostponementRequestSerializer,
        responses={200: InvoiceSerializer, **ERRORS, **CONFLICT},
        examples=[OpenApiExample("10 days", value={"dueDays": 10}, request_only=True)],
        tags=INVOICES,
    )
)

statements = extend_schema_view(
    get=extend_schema(
        operation_id="getStatements",
        summary="Account statements",
        description="The movements of the balance, oldest first: `Invoice` (an order "
        "settled: negative; its value changed; a refund or a cancelled invoice: positive), "
        "`Payment` (an invoice paid) and `Statement` (a debit from Decrease balance). "
        "Pre-authorizations do not appear (VTEX: they change only the available credit). "
        "VTEX's `Credit` origin (credit-limit changes) is not listed: those are in the "
        "account's history. `dateFrom`/`dateTo` (creditadmin extension, ISO 8601) limit the "
        "interval; `previousBalance` is the balance before it, `intervalBalance` the sum of "
        "the movements listed, `currentBalance` the balance now. `doneBy` (also sent as "
        "`doneby`, VTEX's schema spelling) is the staff e-mail or the API key.",
        parameters=[
            ACCOUNT,
            OpenApiParameter("dateFrom", str, description="ISO 8601 date or date-time."),
            OpenApiParameter("dateTo", str, description="Inclusive when a date."),
        ],
        responses={200: StatementsSerializer, **ERRORS},
        examples=[
            OpenApiExample(
                "Statements",
                value={
                    "statements": [
                        {
                            "value": -49.95,
                            "date": "2026-11-09T18:26:43.336189Z",
                            "doneBy": "API key Checkout",
                            "origin": "Invoice",
                            "metadata": {
                                "transactionId": "5d96bcdf0fbc46e1866a05f721f31623",
                                "numberOfInstallments": 1,
                            },
                            "doneby": "API key Checkout",
                        }
                    ],
                    "currentBalance": -49.95,
                    "intervalBalance": -49.95,
                    "previousBalance": 0,
                },
                response_only=True,
            )
        ],
        tags=["Statements"],
    )
)

decrease_balance = extend_schema_view(
    put=extend_schema(
        operation_id="decreaseBalance",
        summary="Decrease the balance",
        description='Debits the balance by `value`, written negative as VTEX sends it (`"-15"`; '
        "a positive value is refused). The statement id names the debit: the same id with "
        "the same value changes nothing, with another value answers 409 "
        "`statement_id_reused`. Refused like a pre-authorization when the credit is not "
        "there (409 `insufficient_credit`).",
        parameters=[
            ACCOUNT,
            OpenApiParameter("statement_id", str, OpenApiParameter.PATH, description="Your id."),
        ],
        request=DebitRequestSerializer,
        responses={200: DebitSerializer, **ERRORS, **CONFLICT},
        examples=[
            OpenApiExample("Debit R$ 15", value={"value": "-15"}, request_only=True),
            OpenApiExample("Debited", value={"value": "-15.00"}, response_only=True),
        ],
        tags=["Statements"],
    )
)

_STORE_CONFIG = {
    "dailyInterestRate": 0.01,
    "invoicePostponementLimit": 2,
    "taxRate": 0.4,
    "maxPostponementDays": 3,
    "defaultCreditValue": 150,
    "postponementEnabled": True,
    "automaticCheckingAccountCreationEnabled": False,
    "toleranceEnabled": True,
    "myCreditsEnabled": False,
    "maxPreAuthorizationGrowthRate": 0.1,
    "notificationsSettings": {
        "daysPrior": [{"days": 5, "timeOfDay": "12:00:00"}, {"days": 1, "timeOfDay": "12:00:00"}],
        "daysAfter": [{"days": 3, "timeOfDay": "12:00:00"}],
    },
}

store_configuration = extend_schema_view(
    get=extend_schema(
        operation_id="getStoreConfiguration",
        summary="Retrieve the store configuration",
        description="The same settings as the Store settings page. Rates are fractions "
        "(0.1 = 10 %). creditadmin charges no interest or tax itself: `dailyInterestRate` and "
        "`taxRate` are kept for the integrations that do; `automaticCheckingAccountCreation"
        "Enabled` and `myCreditsEnabled` concern VTEX's checkout and storefront.",
        responses={200: StoreConfigSerializer, **ERRORS},
        examples=[OpenApiExample("Configuration", value=_STORE_CONFIG, response_only=True)],
        tags=["Store configuration"],
    ),
    put=extend_schema(
        operation_id="changeStoreConfiguration",
        summary="Change the store configuration",
        description="**Difference from VTEX**: fields left out keep their value (VTEX requires "
        "them all). Rates 0–1 with 4 decimals; `invoicePostponementLimit` and "
        "`maxPostponementDays` whole numbers 0–365; reminders: at most 10 per list, days "
        "0–365, `timeOfDay` HH:MM[:SS]. Needs the `credit` scope (or, from a session, the "
        "permission to change store settings).",
        request=StoreConfigSerializer,
        responses={200: StoreConfigSerializer, **ERRORS},
        examples=[
            OpenApiExample("Configuration", value=_STORE_CONFIG, request_only=True),
            OpenApiExample("Configuration", value=_STORE_CONFIG, response_only=True),
        ],
        tags=["Store configuration"],
    ),
)
