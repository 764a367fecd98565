"""Forms for the Accounts pages: they shape input and delegate every rule to rules.py."""

import re
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import DocumentType


class MoneyField(forms.DecimalField):
    """A decimal typed in the active locale (1.500,00 in pt-BR, 1,500.00 in English).

    Django strips thousand separators from input only when USE_THOUSAND_SEPARATOR is on,
    which would also group every number on every page (ids and page numbers in links),
    so the grouping is read here instead.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", True)
        # Given to Field.__init__ so the widget is localized too: 1500,00 shown in pt-BR.
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if self.localize and isinstance(value, str) and value.strip():
            value = parse_localized_decimal(value.strip())
        return super().to_python(value)


def parse_localized_decimal(text: str) -> Decimal | str:
    """`1.500,00` / `1500,00` / `1500.00` in pt-BR and `1,500.00` / `1500.00` in English.

    A single separator that is not a valid thousands grouping is read as the decimal
    point, so a value typed the other locale's way is not off by a factor of 100.
    Returns the text unchanged when it is not a number, for DecimalField's own message.
    """
    decimal_separator = get_format("DECIMAL_SEPARATOR")
    thousand_separator = get_format("THOUSAND_SEPARATOR")
    sign, body = ("-", text[1:]) if text.startswith("-") else ("", text)
    grouping = re.compile(rf"[1-9][0-9]{{0,2}}(?:{re.escape(thousand_separator)}[0-9]{{3}})+")
    integer, fraction = body, ""
    if decimal_separator in body:
        integer, fraction = body.split(decimal_separator, 1)
    elif (
        thousand_separator and body.count(thousand_separator) == 1 and not grouping.fullmatch(body)
    ):
        integer, fraction = body.split(thousand_separator)
    if thousand_separator and grouping.fullmatch(integer):
        integer = integer.replace(thousand_separator, "")
    if not re.fullmatch(r"[0-9]*", integer) or not re.fullmatch(r"[0-9]*", fraction):
        return text
    if not (integer or fraction):
        return text
    return Decimal(f"{sign}{integer or 0}.{fraction}" if fraction else f"{sign}{integer}")


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
