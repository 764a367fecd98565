"""Forms for the Accounts pages: they shape input and delegate every rule to rules.py."""

import re
from decimal import Decimal

from crispy_forms.bootstrap import PrependedText
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import DocumentType, StoreSettings
from .templatetags.credit import currency_symbol, money

# "R$ 1.500,00" pasted from a receipt: the symbol is not part of the number.
_leading_currency = re.compile(r"^\s*(?:[A-Za-z]{0,3}\$|€|£)\s*")


class RuleField(forms.CharField):
    """Text whose emptiness is judged by a rule in rules.py, so staff read the rule's message
    ("Enter the customer's e-mail.") instead of Django's generic "This field is required."."""

    def validate(self, value):
        pass


class MoneyField(forms.CharField):
    """An amount typed the way staff write it (1500, 1.500,00, R$ 1,500.00); checked by a rule.

    The active locale's thousands separator is removed only where it cannot be a decimal
    point ("1.500" in pt-BR, "1,500" in English), then rules.parse_decimal reads the rest.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", True)
        kwargs.setdefault("max_length", 30)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update(inputmode="decimal", autocomplete="off")

    def to_python(self, value):
        text = _leading_currency.sub("", super().to_python(value))
        thousands = get_format("THOUSAND_SEPARATOR")
        decimal_point = get_format("DECIMAL_SEPARATOR")
        grouped = rf"[1-9]\d{{0,2}}(?:{re.escape(thousands)}\d{{3}})+"
        if decimal_point not in text and re.fullmatch(grouped, text):
            text = text.replace(thousands, "")
        return text


class ToleranceField(forms.CharField):
    """A fraction typed as 0.05 or 0,05; rules.clean_tolerance says what is wrong with it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", True)
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "help_text", _("A fraction of the limit: 0.05 lets one order exceed it by 5%.")
        )
        super().__init__(*args, **kwargs)
        self.widget.attrs.update(inputmode="decimal", autocomplete="off")


def _layout_only(*fields) -> FormHelper:
    """Crispy renders the fields; the page template owns the <form> tag and its buttons."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper


class AccountCreateForm(forms.Form):
    """The New form: Identification then Credit; every value is checked by rules.py."""

    document_type = forms.ChoiceField(
        label=_("Document type"), choices=DocumentType.choices, initial=DocumentType.CPF
    )
    document = RuleField(
        label=_("Document"),
        max_length=200,  # generous: rules.clean_document says what the real limit is
        help_text=_("With or without punctuation, e.g. 529.982.247-25 or 11.222.333/0001-81."),
    )
    email = RuleField(
        label=_("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    credit_limit = MoneyField(label=_("Credit limit"), required=False)
    tolerance = ToleranceField(label=_("Tolerance"), required=False)

    use_required_attribute = False  # the server's messages are the ones staff should read

    def __init__(self, *args, store_settings: StoreSettings, **kwargs):
        super().__init__(*args, **kwargs)
        currency = store_settings.currency_code
        default_limit = money(store_settings.default_credit_limit, currency)
        self.fields["credit_limit"].help_text = _(
            "In the store currency (%(currency)s). Leave blank for the store default, %(default)s."
        ) % {"currency": currency, "default": default_limit}
        self.fields["credit_limit"].widget.attrs["placeholder"] = default_limit
        credit = [PrependedText("credit_limit", currency_symbol(currency))]
        if store_settings.tolerance_enabled:
            credit.append("tolerance")
        else:
            del self.fields["tolerance"]
        self.helper = _layout_only(
            Fieldset(_("Identification"), "document_type", "document", "email"),
            Fieldset(_("Credit"), *credit),
        )

    def clean_email(self) -> str:
        return rules.clean_email(self.cleaned_data["email"])

    def clean_credit_limit(self):
        raw = self.cleaned_data["credit_limit"]
        return rules.clean_credit_limit(raw) if raw else None

    def clean_tolerance(self):
        raw = self.cleaned_data["tolerance"]
        return rules.clean_tolerance(raw) if raw else None

    def clean(self):
        cleaned = super().clean()
        document_type = cleaned.get("document_type")
        if document_type and "document" in cleaned:
            typed = cleaned["document"]
            try:
                cleaned["document"] = rules.clean_document(document_type, typed)
            except forms.ValidationError as error:
                self.add_error("document", error)
                hint = _other_document_type_hint(document_type, typed)
                if hint:
                    self.add_error("document", hint)
        return cleaned


def _other_document_type_hint(chosen_type: str, document: str) -> forms.ValidationError | None:
    """The commonest slip at the counter: a CNPJ typed with CPF still selected, or the reverse."""
    for other_type in (DocumentType.CPF, DocumentType.CNPJ):
        if other_type == chosen_type:
            continue
        try:
            rules.clean_document(other_type, document)
        except forms.ValidationError:
            continue
        return forms.ValidationError(
            _("This is a valid %(type)s: choose %(type)s as the document type."),
            code="other_document_type",
            params={"type": other_type},
        )
    return None


class AccountChangeForm(forms.Form):
    """Edit an open account's e-mail, credit limit and tolerance."""

    email = RuleField(label=_("E-mail"), max_length=254, widget=forms.EmailInput())
    credit_limit = MoneyField(label=_("Credit limit"))
    tolerance = ToleranceField(label=_("Tolerance"))

    use_required_attribute = False

    def __init__(self, *args, store_settings: StoreSettings, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [
            "email",
            PrependedText("credit_limit", currency_symbol(store_settings.currency_code)),
        ]
        if store_settings.tolerance_enabled:
            fields.append("tolerance")
        else:
            del self.fields["tolerance"]
        self.helper = _layout_only(*fields)

    def clean_email(self) -> str:
        return rules.clean_email(self.cleaned_data["email"])

    def clean_credit_limit(self):
        return rules.clean_credit_limit(self.cleaned_data["credit_limit"])

    def clean_tolerance(self):
        return rules.clean_tolerance(self.cleaned_data["tolerance"])


class RateField(forms.CharField):
    """A fraction typed as 0.1 or 0,1 (10%); rules.clean_rate says what is wrong with it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", True)
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update(inputmode="decimal", autocomplete="off", style="max-width: 8rem")

    def prepare_value(self, value):
        return value.normalize() if isinstance(value, Decimal) else value  # 0.1, not 0.1000


class DayCountField(forms.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update(inputmode="numeric", autocomplete="off", style="max-width: 8rem")


_reminder_line = re.compile(r"(\d{1,3})\D+?(\d{1,2}:\d{2}(?::\d{2})?)")


class RemindersField(forms.CharField):
    """Invoice reminders, one per line: the number of days, then the time (`5 12:00`)."""

    widget = forms.Textarea(attrs={"rows": 3, "style": "max-width: 16rem"})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 500)
        super().__init__(*args, **kwargs)

    def to_python(self, value) -> list[dict]:
        reminders = []
        for number, line in enumerate(super().to_python(value).splitlines(), start=1):
            if not line.strip():
                continue
            match = _reminder_line.fullmatch(line.strip())
            if match is None:
                raise forms.ValidationError(
                    _("Line %(line)d: write the number of days, then the time, e.g. 5 12:00."),
                    code="reminder_line_invalid",
                    params={"line": number},
                )
            reminders.append({"days": int(match[1]), "timeOfDay": match[2]})
        return reminders

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f"{item['days']} {item['timeOfDay'][:5]}" for item in value)
        return value


class StoreSettingsForm(forms.Form):
    """The store's settings, VTEX's store configuration included; rules.py checks each value."""

    currency_code = forms.CharField(
        label=_("Currency"),
        max_length=3,
        help_text=_("ISO 4217 code shown next to every amount, e.g. BRL, USD, EUR."),
    )
    default_credit_limit = MoneyField(
        label=_("Default credit limit"),
        help_text=_("Given to new accounts opened without a credit limit."),
    )
    tolerance_enabled = forms.BooleanField(
        label=_("Tolerance enabled"),
        required=False,
        help_text=_(
            "Lets an order exceed the credit limit by the account's tolerance. When off, "
            "the New and Edit forms do not ask for it."
        ),
    )
    postponement_enabled = forms.BooleanField(
        label=_("Invoices can be postponed"), required=False
    )
    invoice_postponement_limit = DayCountField(
        label=_("Postponements per invoice"),
        help_text=_("How many times one invoice may be postponed."),
    )
    max_postponement_days = DayCountField(
        label=_("Longest postponement (days)"),
        help_text=_("Counted from the invoice's original due date."),
    )
    daily_interest_rate = RateField(
        label=_("Daily interest rate"), help_text=_("A fraction: 0.001 = 0.1% a day.")
    )
    tax_rate = RateField(label=_("Tax rate"), help_text=_("A fraction: 0.1 = 10%."))
    reminders_before_due = RemindersField(
        label=_("Reminders before the due date"),
        help_text=_("One per line: days before, then the time, e.g. 5 12:00."),
    )
    reminders_after_due = RemindersField(
        label=_("Reminders after the due date"),
        help_text=_("One per line: days after, then the time, e.g. 3 12:00."),
    )
    max_pre_authorization_growth_rate = RateField(
        label=_("Pre-authorization growth rate"),
        help_text=_(
            "How much an order's pre-authorization may grow before it is invoiced: "
            "0.1 lets R$ 100 become R$ 110."
        ),
    )
    automatic_account_creation_enabled = forms.BooleanField(
        label=_("Open accounts automatically at checkout"),
        required=False,
        help_text=_("Customers without an account may buy on credit (VTEX checkout)."),
    )
    my_credits_enabled = forms.BooleanField(
        label=_("Show the My Credits page in the store"), required=False
    )

    use_required_attribute = False

    def __init__(self, *args, currency_code: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency_code"].widget.attrs.update(
            autocomplete="off", style="text-transform: uppercase; max-width: 8rem"
        )
        self.helper = _layout_only(
            Fieldset(
                _("Accounts"),
                "currency_code",
                PrependedText("default_credit_limit", currency_symbol(currency_code)),
                "tolerance_enabled",
            ),
            Fieldset(
                _("Invoices"),
                "postponement_enabled",
                "invoice_postponement_limit",
                "max_postponement_days",
                "daily_interest_rate",
                "tax_rate",
                "reminders_before_due",
                "reminders_after_due",
            ),
            Fieldset(
                _("Checkout"),
                "max_pre_authorization_growth_rate",
                "automatic_account_creation_enabled",
                "my_credits_enabled",
            ),
        )

    @classmethod
    def initial_for(cls, store_settings: StoreSettings) -> dict:
        return {name: getattr(store_settings, name) for name in cls.base_fields}

    def clean_default_credit_limit(self):
        return rules.clean_credit_limit(self.cleaned_data["default_credit_limit"])

    def clean_invoice_postponement_limit(self) -> int:
        return rules.clean_day_count(self.cleaned_data["invoice_postponement_limit"])

    def clean_max_postponement_days(self) -> int:
        return rules.clean_day_count(self.cleaned_data["max_postponement_days"])

    def clean_daily_interest_rate(self):
        return rules.clean_rate(self.cleaned_data["daily_interest_rate"])

    def clean_tax_rate(self):
        return rules.clean_rate(self.cleaned_data["tax_rate"])

    def clean_max_pre_authorization_growth_rate(self):
        return rules.clean_rate(self.cleaned_data["max_pre_authorization_growth_rate"])

    def clean_reminders_before_due(self) -> list[dict]:
        return rules.clean_reminders(self.cleaned_data["reminders_before_due"])

    def clean_reminders_after_due(self) -> list[dict]:
        return rules.clean_reminders(self.cleaned_data["reminders_after_due"])
