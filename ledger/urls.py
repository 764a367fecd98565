from django.urls import path

from . import invoice_views, views

app_name = "ledger"

INVOICE = "accounts/<str:pk>/invoices/<str:invoice_id>"

urlpatterns = [
    path("", views.CreditOverviewView.as_view(), name="overview"),
    path(f"{INVOICE}/pay/", invoice_views.invoice_settle, {"action": "pay"}, name="invoice-pay"),
    path(f"{INVOICE}/postpone/", invoice_views.invoice_postpone, name="invoice-postpone"),
    path(
        f"{INVOICE}/cancel/",
        invoice_views.invoice_settle,
        {"action": "cancel"},
        name="invoice-cancel",
    ),
]
