"""Forms for the Accounts pages: they shape input and delegate every rule to rules.py."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import DocumentType


class MoneyField(forms.DecimalField):
    """A decimal typed in the active locale (1.500,00 in pt-BR), checked by a rule."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(*args, **kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


class AccountCreateForm(forms.Form):
    document_type = forms.ChoiceField(label=_("Document type"), choices=DocumentType.choices)
    document = forms.CharField(
        label=_("Document"),
        max_length=60,
        help_text=_("With or without punctuation, e.g. 529.982.247-25 or 11.222.333/0001-81."),
    )
    email = forms.CharField(
        label=_("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    credit_limit = MoneyField(label=_("Credit limit"))
    tolerance = MoneyField(
        label=_("Tolerance"),
        required=False,
        help_text=_("A fraction of the limit: 0.05 lets an order exceed the limit by 5%."),
    )

    def __init__(self, *args, currency_code: str = "BRL", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["credit_limit"].help_text = _("In the store currency (%(currency)s).") % {
            "currency": currency_code
        }
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(_("Identification"), "document_type", "document", "email"),
            Fieldset(_("Credit"), "credit_limit", "tolerance"),
            Submit("confirm", _("Confirm")),
        )

    def clean_email(self) -> str:
        return rules.clean_email(self.cleaned_data["email"])

    def clean_credit_limit(self):
        return rules.clean_credit_limit(self.cleaned_data["credit_limit"])

    def clean_tolerance(self):
        tolerance = self.cleaned_data.get("tolerance")
        return None if tolerance is None else rules.clean_tolerance(tolerance)

    def clean(self):
        cleaned = super().clean()
        document_type = cleaned.get("document_type")
        if document_type and "document" in cleaned:
            try:
                cleaned["document"] = rules.clean_document(document_type, cleaned["document"])
            except forms.ValidationError as error:
                self.add_error("document", error)
        return cleaned


class AccountChangeForm(forms.Form):
    email = forms.CharField(label=_("E-mail"), max_length=254, widget=forms.EmailInput())
    credit_limit = MoneyField(label=_("Credit limit"))
    tolerance = MoneyField(label=_("Tolerance"), help_text=_("0.05 = 5%."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "email", "credit_limit", "tolerance", Submit("save", _("Save changes"))
        )

    def clean_email(self) -> str:
        return rules.clean_email(self.cleaned_data["email"])

    def clean_credit_limit(self):
        return rules.clean_credit_limit(self.cleaned_data["credit_limit"])

    def clean_tolerance(self):
        return rules.clean_tolerance(self.cleaned_data["tolerance"])
