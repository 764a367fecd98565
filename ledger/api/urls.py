"""VTEX's Customer Credit ledger paths (included before the account paths, whose last
pattern answers every unknown path with a JSON 404)."""

from django.urls import re_path

from . import views

ACCOUNT = r"accounts/(?P<account_id>[^/]+)"
TRANSACTION = rf"{ACCOUNT}/transactions/(?P<transaction_id>[^/]+)"
INVOICE = rf"{ACCOUNT}/invoices/(?P<invoice_id>[^/]+)"

urlpatterns = [
    re_path(r"^invoices/?$", views.InvoiceSearchView.as_view(), name="invoices"),
    re_path(
        rf"^{ACCOUNT}/invoices/?$",
        views.AccountInvoiceCollectionView.as_view(),
        name="account-invoices",
    ),
    re_path(rf"^{INVOICE}/?$", views.InvoiceView.as_view(), name="invoice"),
    re_path(
        rf"^{INVOICE}/payments/?$", views.InvoicePaymentView.as_view(), name="invoice-payments"
    ),
    re_path(
        rf"^{INVOICE}/postponement/?$",
        views.InvoicePostponementView.as_view(),
        name="invoice-postponement",
    ),
    re_path(
        rf"^{ACCOUNT}/transactions/?$",
        views.PreAuthorizationCollectionView.as_view(),
        name="transactions",
    ),
    re_path(rf"^{TRANSACTION}/?$", views.PreAuthorizationView.as_view(), name="transaction"),
    re_path(rf"^{TRANSACTION}/settlement/?$", views.SettlementView.as_view(), name="settlement"),
    re_path(rf"^{TRANSACTION}/refunds/?$", views.RefundCollectionView.as_view(), name="refunds"),
    re_path(
        rf"^{ACCOUNT}/statements/?$", views.StatementCollectionView.as_view(), name="statements"
    ),
    re_path(
        rf"^{ACCOUNT}/statements/(?P<statement_id>[^/]+)/?$",
        views.StatementView.as_view(),
        name="statement",
    ),
    re_path(r"^storeconfig/?$", views.StoreConfigView.as_view(), name="storeconfig"),
]
