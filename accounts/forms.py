"""Forms of the Accounts pages. They only shape input: every account rule is applied by the
planner (through accounts.services), whose problems come back onto the fields."""

import re
from collections.abc import Iterable
from decimal import Decimal

from crispy_forms.bootstrap import PrependedText
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from .display import amount, currency_symbol, money
from .models import ApiScope, DocumentType, StoreSettings
from .problems import Problem
from .rules import leave_nul_to_the_planner


class AccountValueField(forms.CharField):
    """Text that becomes an account value: the planner judges it, NUL characters included
    (rules.check_storable), so the form says what the API and the import say."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        leave_nul_to_the_planner(self)


class RuleField(AccountValueField):
    """Text whose emptiness is judged by a rule, so staff read the rule's message ("Enter
    the customer's e-mail.") instead of Django's generic "This field is required."."""

    def validate(self, value):
        pass


class AmountField(AccountValueField):
    """An amount typed the way staff write it in their language (1.500,00 or 1,500.00,
    R$ included); rules.parse_amount reads it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", True)
        kwargs.setdefault("max_length", 50)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update(inputmode="decimal", autocomplete="off")


TOLERANCE_HELP = _("A fraction of the limit: 0.05 lets one order exceed it by 5%.")


def _names(layout_fields: list) -> list[str]:
    """Field names of crispy layout entries (a PrependedText names its field)."""
    return [getattr(field, "field", field) for field in layout_fields]


def _layout_only(*fields) -> FormHelper:
    """Crispy renders the fields; the page template owns the <form> tag and its buttons."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper


class AccountValuesForm(forms.Form):
    """A form whose values become a proposed change; the planner's problems come back onto
    the fields shown (a problem about a field the page does not show goes on top)."""

    use_required_attribute = False  # the server's messages are the ones staff should read
    shown_fields: frozenset[str] = frozenset()

    def proposed_values(self) -> dict[str, str]:
        """The account values typed; a blank optional field is left out (unchanged, or the
        store's default for a new account)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "version" and (value or self.fields[name].required)
        }

    def add_problems(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            field = problem.field if problem.field in self.shown_fields else None
            self.add_error(field, problem.as_validation_error())

    def _credit_fields(self, store_settings: StoreSettings) -> list:
        """The credit limit with the currency before it, and the tolerance if the store uses
        it (otherwise its field stays, unshown, so a value posted from an older page is
        refused rather than ignored)."""
        fields = [PrependedText("credit_limit", currency_symbol(store_settings.currency_code))]
        if store_settings.tolerance_enabled:
            fields.append("tolerance")
        else:
            self.fields["tolerance"].required = False
        return fields


class AccountCreateForm(AccountValuesForm):
    """The New form: Identification then Credit."""

    document_type = RuleField(
        label=_("Document type"),
        initial=DocumentType.CPF,
        widget=forms.Select(choices=DocumentType.choices),
    )
    document = RuleField(
        label=_("Document"),
        max_length=200,  # generous: the document rule says what the real limit is
        help_text=_("With or without punctuation, e.g. 529.982.247-25 or 11.222.333/0001-81."),
    )
    email = RuleField(
        label=_("E-mail"), max_length=1000, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    credit_limit = AmountField(label=_("Credit limit"), required=False)
    tolerance = AmountField(label=_("Tolerance"), required=False, help_text=TOLERANCE_HELP)

    def __init__(self, *args, store_settings: StoreSettings, **kwargs):
        super().__init__(*args, **kwargs)
        default_limit = store_settings.default_credit_limit
        self.fields["credit_limit"].help_text = _(
            "In the store currency (%(currency)s). Leave blank for the store default, %(default)s."
        ) % {
            "currency": store_settings.currency_code,
            "default": money(default_limit, store_settings.currency_code),
        }
        # The currency symbol is already before the input: the placeholder is the number.
        self.fields["credit_limit"].widget.attrs["placeholder"] = amount(default_limit)
        credit = self._credit_fields(store_settings)
        self.shown_fields = frozenset(["document_type", "document", "email", *_names(credit)])
        self.helper = _layout_only(
            Fieldset(_("Identification"), "document_type", "document", "email"),
            Fieldset(_("Credit"), *credit),
        )


class AccountCloseForm(AccountValuesForm):
    """The Close confirmation: the account's version when the page was opened, so closing
    an account someone changed since is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def show_version(self, version: int) -> None:
        """After a refused stale save: the next save is made knowing the newer values."""
        self.data = self.data.copy()
        self.data["version"] = str(version)


class AccountChangeForm(AccountCloseForm):
    """Edit an open account's e-mail, credit limit and tolerance, from the version shown."""

    email = RuleField(label=_("E-mail"), max_length=1000, widget=forms.EmailInput())
    credit_limit = AmountField(label=_("Credit limit"))
    tolerance = AmountField(label=_("Tolerance"), help_text=TOLERANCE_HELP)

    field_order = ["email", "credit_limit", "tolerance", "version"]

    def __init__(self, *args, store_settings: StoreSettings, **kwargs):
        super().__init__(*args, **kwargs)
        credit = self._credit_fields(store_settings)
        self.shown_fields = frozenset(["email", *_names(credit)])
        self.helper = _layout_only("email", *credit, "version")


class RateField(AmountField):
    """A fraction typed as 0.1 or 0,1 (10%); store_rules.clean_rate says what is wrong with it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs["class"] = "field-short"

    def prepare_value(self, value):
        return value.normalize() if isinstance(value, Decimal) else value  # 0.1, not 0.1000


class DayCountField(forms.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "class": "field-short"}
        )


_reminder_line = re.compile(r"(\d{1,3})\D+?(\d{1,2}:\d{2}(?::\d{2})?)")


class RemindersField(forms.CharField):
    """Invoice reminders, one per line: the number of days, then the time (`5 12:00`)."""

    widget = forms.Textarea(attrs={"rows": 3, "class": "field-medium"})

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
    """The store's settings, VTEX's store configuration included; the service reads each
    value with its rule (accounts.services.store_settings)."""

    currency_code = forms.CharField(
        label=_("Currency"),
        max_length=3,
        help_text=_("ISO 4217 code shown next to every amount, e.g. BRL, USD, EUR."),
    )
    default_credit_limit = AmountField(
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
    large_increase_percent = DayCountField(
        label=_("Warn about a raise of (%) or more"),
        help_text=_("An import's preview warns about a credit limit raised this much, e.g. 200."),
    )
    large_decrease_percent = DayCountField(
        label=_("Warn about a cut of (%) or more"),
        help_text=_("An import's preview warns about a credit limit cut this much, e.g. 90."),
    )
    approval_net_credit = AmountField(
        label=_("Approval above net new credit"),
        required=False,
        help_text=_(
            "An import (or revert) that adds more credit than this in total waits for another "
            "manager's approval. Blank: no approval needed."
        ),
    )
    approval_credit_limit = AmountField(
        label=_("Approval above a credit limit of"),
        required=False,
        help_text=_(
            "An import (or revert) that gives one account a higher credit limit than this "
            "waits for another manager's approval. Blank: no approval needed."
        ),
    )

    use_required_attribute = False

    def __init__(self, *args, currency_code: str, **kwargs):
        super().__init__(*args, **kwargs)
        # Upper case and width come from app.css (#id_currency_code): no style attribute
        # passes the Content-Security-Policy.
        self.fields["currency_code"].widget.attrs.update(autocomplete="off")
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
            Fieldset(
                _("Imports"),
                "large_increase_percent",
                "large_decrease_percent",
                PrependedText("approval_net_credit", currency_symbol(currency_code)),
                PrependedText("approval_credit_limit", currency_symbol(currency_code)),
            ),
        )

    @classmethod
    def initial_for(cls, store_settings: StoreSettings) -> dict:
        return {name: getattr(store_settings, name) for name in cls.base_fields}


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the key is for, e.g. “ERP integration”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=ApiScope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[ApiScope.READ],
        help_text=_("Give an integration only what it needs."),
    )


class HolderForm(forms.Form):
    # The e-mail rule itself is applied by services.add_holder.
    email = AccountValueField(label=_("Holder's e-mail"), max_length=254)
