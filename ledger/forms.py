"""The one ledger form staff fill in: how many days to postpone an invoice by."""

from django import forms
from django.utils.translation import gettext_lazy as _


class InvoicePostponeForm(forms.Form):
    """Only shapes the input: the store's limits are the service's (postpone_invoice)."""

    due_days = forms.CharField(
        label=_("Days after the original due date"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "class": "field-short"}
        ),
    )
