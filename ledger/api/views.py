"""VTEX's Customer Credit transactions, invoices, statements and store configuration.

Thin, like the account endpoints: parse the request, call a ledger service or selector,
answer in VTEX's shape. Reading needs the `read` scope; everything that moves money or
changes invoices or the store configuration needs `credit`.
"""

from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from rest_framework import exceptions, status
from rest_framework.response import Response

from accounts import selectors as account_selectors
from accounts import services as account_services
from accounts.api.auth import change_source
from accounts.api.views import CreditControlView
from accounts.models import ApiKey, ApiScope, StoreSettings
from ledger import rules, selectors, services
from ledger.models import Invoice, PreAuthorization

from . import docs
from .idempotency import idempotent
from .serializers import (
    DebitRequestSerializer,
    DebitSerializer,
    InvoiceChangeRequestSerializer,
    InvoiceSearchQuerySerializer,
    InvoiceSearchResultSerializer,
    InvoiceSerializer,
    PostponementRequestSerializer,
    PreAuthorizationRequestSerializer,
    PreAuthorizationSerializer,
    RefundSerializer,
    SettlementSerializer,
    StatementQuerySerializer,
    StatementsSerializer,
    StoreConfigSerializer,
    ValueRequestSerializer,
)


class Conflict(exceptions.APIException):
    """The request is well formed but the account's state refuses it."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class LedgerView(CreditControlView):
    """Base of the ledger endpoints: reads need `read`, the rest `credit`."""

    required_scopes = {
        "GET": ApiScope.READ,
        "POST": ApiScope.CREDIT,
        "PUT": ApiScope.CREDIT,
        "DELETE": ApiScope.CREDIT,
    }
    api_field_names = {"expiration_date": "expirationDate", "payment_link": "paymentLink"}

    def act(self, service, **arguments):
        """Call a ledger service on the path's account, on behalf of the caller."""
        return service(
            account_id=account_selectors.get_account(self.kwargs["account_id"]).pk,
            source=change_source(self.request),
            **arguments,
        )

    def handle_exception(self, exc):
        if isinstance(exc, DjangoValidationError) and not hasattr(exc, "error_dict"):
            error = exc.error_list[0]
            if error.code in rules.CONFLICT_CODES:
                message = error.message % error.params if error.params else error.message
                exc = Conflict(str(message), code=error.code)
        elif isinstance(exc, PreAuthorization.DoesNotExist):
            exc = exceptions.NotFound(
                "This account has no pre-authorization with this id.", code="transaction_not_found"
            )
        elif isinstance(exc, Invoice.DoesNotExist):
            exc = exceptions.NotFound(
                "This account has no invoice with this id.", code="invoice_not_found"
            )
        return super().handle_exception(exc)


def parse_moment(text: str | None, *, field: str, end_of_day: bool = False) -> datetime | None:
    """An ISO 8601 date or date-time from a query; a date means its day in the store's time
    zone (its start, or with end_of_day the next day's start, as an exclusive bound)."""
    if not text:
        return None
    try:
        day = parse_date(text) if len(text) == len("2026-01-20") else None
        if day is not None:
            day += timedelta(days=1) if end_of_day else timedelta(0)
            moment = timezone.make_aware(datetime.combine(day, time.min))
        else:
            moment = parse_datetime(text)
    except ValueError:
        moment = None
    if moment is None:
        raise exceptions.ValidationError(
            {field: "Expected an ISO 8601 date or date-time, e.g. 2026-01-20."}, code="invalid"
        )
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


# --- Transactions ----------------------------------------------------------------------------


@docs.pre_authorizations
class PreAuthorizationCollectionView(LedgerView):
    @idempotent
    def post(self, request, account_id):
        body = self.parse(PreAuthorizationRequestSerializer, request.data)
        if body["settle"] and body.get("expirationDate"):
            # VTEX: the date is for holds not meant to be settled; one to be settled lasts 30 days.
            self.ignored_fields.append("expirationDate")
        pre_authorization = self.act(
            services.pre_authorize,
            value=body["value"],
            installments=body["installments"],
            settle=body["settle"],
            expiration_date=None if body["settle"] else body.get("expirationDate"),
            order_id=body.get("orderId", ""),
        )
        return Response(PreAuthorizationSerializer(pre_authorization).data)


@docs.pre_authorization
class PreAuthorizationView(LedgerView):
    def put(self, request, account_id, transaction_id):
        body = self.parse(PreAuthorizationRequestSerializer, request.data)
        pre_authorization = self.act(
            services.pre_authorize_or_change,
            transaction_id=transaction_id,
            value=body["value"],
            installments=body["installments"],
            settle=body["settle"],
            order_id=body.get("orderId"),
        )
        return Response(PreAuthorizationSerializer(pre_authorization).data)

    def delete(self, request, account_id, transaction_id):
        pre_authorization = self.act(
            services.cancel_pre_authorization,
            transaction_id=transaction_id,
        )
        return Response(PreAuthorizationSerializer(pre_authorization).data)


@docs.settlement
class SettlementView(LedgerView):
    def put(self, request, account_id, transaction_id):
        body = self.parse(ValueRequestSerializer, request.data)
        pre_authorization = self.act(
            services.settle_pre_authorization,
            transaction_id=transaction_id,
            value=body["value"],
        )
        return Response(SettlementSerializer(pre_authorization).data)


@docs.refunds
class RefundCollectionView(LedgerView):
    @idempotent
    def post(self, request, account_id, transaction_id):
        body = self.parse(ValueRequestSerializer, request.data)
        refunded = self.act(
            services.refund_settlement,
            transaction_id=transaction_id,
            value=body["value"],
        )
        return Response(RefundSerializer({"value": refunded}).data)


# --- Invoices --------------------------------------------------------------------------------


def invoice_search_response(query: dict, *, account_id: str | None) -> Response:
    filters = selectors.InvoiceFilters(
        account_id=account_id,
        status=query.get("status"),
        created_from=parse_moment(query.get("createdDateFrom"), field="createdDateFrom"),
        created_to=parse_moment(
            query.get("createdDateTo") or query.get("createDateTo"),
            field="createdDateTo",
            end_of_day=True,
        ),
        due_from=parse_moment(query.get("dueDateFrom"), field="dueDateFrom"),
        due_to=parse_moment(query.get("dueDateTo"), field="dueDateTo", end_of_day=True),
        value=query.get("value"),
        friendly_id=query.get("friendlyId"),
        observation=query.get("observation"),
        combine=query.get("op", "and").lower(),
    )
    invoices = selectors.search_invoices(filters)
    page = invoices[query["from"] - 1 : query["to"]]
    return Response(
        InvoiceSearchResultSerializer(
            {"data": page, "summary": selectors.invoice_totals(invoices)}
        ).data
    )


@docs.store_invoices
class InvoiceSearchView(LedgerView):
    def get(self, request):
        query = self.parse(InvoiceSearchQuerySerializer, request.query_params)
        account_id = query.get("creditAccountId")
        return invoice_search_response(query, account_id=account_id)


@docs.account_invoices
class AccountInvoiceCollectionView(LedgerView):
    def get(self, request, account_id):
        query = self.parse(InvoiceSearchQuerySerializer, request.query_params)
        return invoice_search_response(
            query, account_id=account_selectors.get_account(account_id).pk
        )


@docs.invoice
class InvoiceView(LedgerView):
    def get(self, request, account_id, invoice_id):
        invoice = selectors.account_invoice(
            account=account_selectors.get_account(account_id), invoice_id=invoice_id
        )
        return Response(InvoiceSerializer(invoice).data)

    def put(self, request, account_id, invoice_id):
        body = self.parse(InvoiceChangeRequestSerializer, request.data)
        changes = {
            name: body[key]
            for key, name in [("observation", "observation"), ("paymentLink", "payment_link")]
            if key in body
        }
        invoice = self.act(
            services.change_invoice,
            invoice_id=invoice_id,
            status=body["status"],
            **changes,
        )
        return Response(InvoiceSerializer(invoice).data)

    def delete(self, request, account_id, invoice_id):
        invoice = self.act(
            services.cancel_invoice,
            invoice_id=invoice_id,
        )
        return Response(InvoiceSerializer(invoice).data)


@docs.invoice_payment
class InvoicePaymentView(LedgerView):
    @idempotent
    def post(self, request, account_id, invoice_id):
        invoice = self.act(
            services.pay_invoice,
            invoice_id=invoice_id,
        )
        return Response(InvoiceSerializer(invoice).data)


@docs.invoice_postponement
class InvoicePostponementView(LedgerView):
    api_field_names = {"due_days": "dueDays"}

    def put(self, request, account_id, invoice_id):
        body = self.parse(PostponementRequestSerializer, request.data)
        invoice = self.act(
            services.postpone_invoice,
            invoice_id=invoice_id,
            due_days=body["dueDays"],
        )
        return Response(InvoiceSerializer(invoice).data)


# --- Statements ------------------------------------------------------------------------------


@docs.statements
class StatementCollectionView(LedgerView):
    def get(self, request, account_id):
        query = self.parse(StatementQuerySerializer, request.query_params)
        statement = selectors.account_statement(
            account=account_selectors.get_account(account_id),
            since=parse_moment(query.get("dateFrom"), field="dateFrom"),
            until=parse_moment(query.get("dateTo"), field="dateTo", end_of_day=True),
        )
        return Response(StatementsSerializer(statement).data)


@docs.decrease_balance
class StatementView(LedgerView):
    def put(self, request, account_id, statement_id):
        body = self.parse(DebitRequestSerializer, request.data)
        movement = self.act(
            services.decrease_balance,
            statement_id=statement_id,
            value=body["value"],
        )
        return Response(DebitSerializer(movement).data)


# --- Store configuration ---------------------------------------------------------------------


@docs.store_configuration
class StoreConfigView(LedgerView):
    api_field_names = {
        "daily_interest_rate": "dailyInterestRate",
        "invoice_postponement_limit": "invoicePostponementLimit",
        "tax_rate": "taxRate",
        "max_postponement_days": "maxPostponementDays",
        "default_credit_limit": "defaultCreditValue",
        "max_pre_authorization_growth_rate": "maxPreAuthorizationGrowthRate",
        "reminders_before_due": "notificationsSettings.daysPrior",
        "reminders_after_due": "notificationsSettings.daysAfter",
    }

    def get(self, request):
        return Response(StoreConfigSerializer(StoreSettings.load()).data)

    def put(self, request):
        if not isinstance(request.auth, ApiKey) and not request.user.has_perm(
            "accounts.change_storesettings"
        ):
            raise exceptions.PermissionDenied(
                "Missing permission: Can change store settings (the Store settings page)."
            )
        values = self.parse(StoreConfigSerializer, request.data)
        store_settings = account_services.update_store_settings(**values)
        return Response(StoreConfigSerializer(store_settings).data)
