"""Managers act on an invoice from the account page: mark it paid, postpone it, cancel it.

Each action is a confirmation page (GET) and its POST, which calls the ledger service the API
calls too (ledger.services.invoices), so the rules and messages are the same; then back to
the account's invoices with what happened.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.views.staff import form_source, get_account_or_404

from . import selectors, services
from .forms import InvoicePostponeForm
from .models import Invoice

INVOICE_PERMISSION = "ledger.change_invoice"
confirm_then_post = require_http_methods(["GET", "HEAD", "POST"])


def _account_and_invoice(pk: str, invoice_id: str):
    account = get_account_or_404(pk)
    try:
        return account, selectors.account_invoice(account=account, invoice_id=invoice_id)
    except Invoice.DoesNotExist:
        raise Http404 from None


def _back_to_invoices(account):
    return redirect(f"{account.get_absolute_url()}#invoices")


# Paying and cancelling settle an open invoice: the service, and what staff read once done.
SETTLEMENTS = {
    "pay": (
        services.pay_invoice,
        gettext_lazy(
            "Invoice %(invoice)s marked as paid: its value is back in the available credit."
        ),
    ),
    "cancel": (
        services.cancel_invoice,
        gettext_lazy("Invoice %(invoice)s cancelled: the customer no longer owes it."),
    ),
}


@confirm_then_post
@permission_required(INVOICE_PERMISSION, raise_exception=True)
def invoice_settle(request, pk: str, invoice_id: str, action: str):
    """Pay or cancel: a page that says what will happen, then the service on POST."""
    account, invoice = _account_and_invoice(pk, invoice_id)
    service, done = SETTLEMENTS[action]
    if request.method != "POST":
        if not invoice.is_open:
            messages.info(request, _("Invoice %(invoice)s is no longer open.") % _named(invoice))
            return _back_to_invoices(account)
        return render(
            request,
            "ledger/invoice_confirm.html",
            {"account": account, "invoice": invoice, "action": action},
        )
    try:
        service(account_id=account.pk, invoice_id=invoice.pk, source=form_source(request))
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, done % _named(invoice))
    return _back_to_invoices(account)


def _named(invoice: Invoice) -> dict:
    return {"invoice": invoice.friendly_id}


@confirm_then_post
@permission_required(INVOICE_PERMISSION, raise_exception=True)
def invoice_postpone(request, pk: str, invoice_id: str):
    account, invoice = _account_and_invoice(pk, invoice_id)
    form = InvoicePostponeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invoice = services.postpone_invoice(
                account_id=account.pk,
                invoice_id=invoice.pk,
                due_days=form.cleaned_data["due_days"],
                source=form_source(request),
            )
        except ValidationError as refused:
            if hasattr(refused, "error_dict"):
                for field, errors in refused.error_dict.items():
                    form.add_error(field, errors)
            else:
                form.add_error(None, refused)
        else:
            messages.success(
                request,
                _("Invoice %(invoice)s is now due on %(date)s.")
                % {**_named(invoice), "date": _short_date(invoice.due_date)},
            )
            return _back_to_invoices(account)
    return render(
        request,
        "ledger/invoice_postpone.html",
        {"account": account, "invoice": invoice, "form": form},
    )


def _short_date(moment) -> str:
    """As the invoices table shows a due date (on the store's clock)."""
    return date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT")
