"""The New, Edit and Store settings forms: each mistake gets the message from rules.py."""

from decimal import Decimal

import pytest
from django.utils import translation

from accounts.forms import AccountChangeForm, AccountCreateForm, StoreSettingsForm
from accounts.models import StoreSettings

VALID = {
    "document_type": "CPF",
    "document": "529.982.247-25",
    "email": "Ana.Silva@Example.com ",
    "credit_limit": "1500",
    "tolerance": "0.05",
}


@pytest.fixture
def store(db):
    return StoreSettings.load()


def create_form(store, **changes) -> AccountCreateForm:
    return AccountCreateForm(data={**VALID, **changes}, store_settings=store)


def test_valid_new_account_is_cleaned_by_the_rules(store):
    form = create_form(store)
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "document_type": "CPF",
        "document": "52998224725",
        "email": "ana.silva@example.com",
        "credit_limit": Decimal("1500.00"),
        "tolerance": Decimal("0.0500"),
    }


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": ""}, "email", "Enter the customer's e-mail."),
        ({"email": "ana@"}, "email", "“ana@” is not a valid e-mail address."),
        ({"document": ""}, "document", "Enter the customer's document."),
        (
            {"document": "529.982.247-26"},
            "document",
            "This CPF is not valid: check the digits (the last two are check digits).",
        ),
        (
            {"document": "111.111.111-11"},
            "document",
            "This CPF is not valid: check the digits (the last two are check digits).",
        ),
        ({"document": "5299822"}, "document", "A CPF has 11 digits, for example 529.982.247-25."),
        (
            {"document_type": "CNPJ", "document": "11.222.333/0001-82"},
            "document",
            "This CNPJ is not valid: check the characters (the last two are check digits).",
        ),
        (
            {"document_type": "CNPJ", "document": "11.222.333/0001"},
            "document",
            "A CNPJ has 14 characters, for example 11.222.333/0001-81 (the first 12 may be "
            "letters since 2026; the last 2 are digits).",
        ),
        (
            {"document_type": "Other", "document": "x" * 51},
            "document",
            "The document is too long: at most 50 characters.",
        ),
        (
            {"document_type": "Passport"},
            "document_type",
            "Select a valid choice. Passport is not one of the available choices.",
        ),
        ({"credit_limit": "-5"}, "credit_limit", "The credit limit cannot be negative."),
        (
            {"credit_limit": "10.123"},
            "credit_limit",
            "The credit limit has at most 2 decimal places, e.g. 1500.50.",
        ),
        ({"credit_limit": "lots"}, "credit_limit", "“lots” is not a number."),
        (
            {"tolerance": "20"},
            "tolerance",
            "The tolerance is a fraction between 0 and 1 (0.05 = 5%). Did you mean 0.20 = 20%?",
        ),
        ({"tolerance": "-0.1"}, "tolerance", "The tolerance cannot be negative."),
        (
            {"tolerance": "0.12345"},
            "tolerance",
            "The tolerance has at most 4 decimal places, e.g. 0.0525.",
        ),
    ],
)
def test_each_mistake_is_reported_on_its_field_with_the_rule_message(
    store, changes, field, message
):
    form = create_form(store, **changes)
    assert not form.is_valid()
    assert form.errors[field] == [message]
    assert list(form.errors) == [field]


def test_cpf_pasted_with_garbage_gets_the_rule_message_not_a_length_error(store):
    form = create_form(store, document="529.982.247-25 " * 5)
    assert form.errors == {"document": ["A CPF has 11 digits, for example 529.982.247-25."]}


def test_blank_limit_and_tolerance_mean_the_store_defaults(store):
    form = create_form(store, credit_limit="", tolerance="")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["credit_limit"] is None
    assert form.cleaned_data["tolerance"] is None
    assert "R$\u00a0100.00" in form.fields["credit_limit"].help_text


@pytest.mark.parametrize(
    ("language", "typed", "expected"),
    [
        ("en", "1,500.25", Decimal("1500.25")),
        ("en", "1,500", Decimal("1500.00")),
        ("en", "R$ 2,000.00", Decimal("2000.00")),
        ("pt-br", "1.500,25", Decimal("1500.25")),
        ("pt-br", "1.500", Decimal("1500.00")),
        ("pt-br", "1500,5", Decimal("1500.50")),
        ("pt-br", "R$ 1.500,00", Decimal("1500.00")),
        ("es", "1.500,25", Decimal("1500.25")),
    ],
)
def test_credit_limit_is_read_as_staff_type_it_in_their_language(store, language, typed, expected):
    with translation.override(language):
        form = create_form(store, credit_limit=typed)
        assert form.is_valid(), form.errors
    assert form.cleaned_data["credit_limit"] == expected


def test_tolerance_field_is_left_out_when_the_store_disables_tolerance(store):
    store.tolerance_enabled = False
    form = AccountCreateForm(data={**VALID, "tolerance": "5"}, store_settings=store)
    assert "tolerance" not in form.fields
    assert form.is_valid(), form.errors
    change_form = AccountChangeForm(store_settings=store)
    assert list(change_form.fields) == ["email", "credit_limit"]


def test_change_form_requires_a_limit_and_checks_every_field(store):
    form = AccountChangeForm(
        data={"email": "", "credit_limit": "", "tolerance": "1.5"}, store_settings=store
    )
    assert form.errors == {
        "email": ["Enter the customer's e-mail."],
        "credit_limit": ["This field is required."],
        "tolerance": [
            "The tolerance is a fraction between 0 and 1 (0.05 = 5%). Did you mean 0.02 = 1.5%?"
        ],
    }


def test_settings_form_checks_the_default_limit_with_the_credit_limit_rule(db):
    form = StoreSettingsForm(
        data={"currency_code": "usd", "default_credit_limit": "-1"}, currency_code="BRL"
    )
    assert form.errors == {"default_credit_limit": ["The credit limit cannot be negative."]}


@pytest.mark.parametrize(
    ("document_type", "document", "messages"),
    [
        (
            "CPF",
            "11.222.333/0001-81",
            [
                "A CPF has 11 digits, for example 529.982.247-25.",
                "This is a valid CNPJ: choose CNPJ as the document type.",
            ],
        ),
        (
            "CNPJ",
            "529.982.247-25",
            [
                "A CNPJ has 14 characters, for example 11.222.333/0001-81 (the first 12 may be "
                "letters since 2026; the last 2 are digits).",
                "This is a valid CPF: choose CPF as the document type.",
            ],
        ),
    ],
)
def test_a_valid_document_of_the_other_type_says_which_type_to_choose(
    store, document_type, document, messages
):
    form = create_form(store, document_type=document_type, document=document)
    assert form.errors == {"document": messages}
