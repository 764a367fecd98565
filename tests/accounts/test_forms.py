"""The New, Edit and Store settings forms: each mistake gets the rule's message on its field.

The forms only shape input; the planner applies the rules when the form is saved, so these
tests post the forms as staff do and read the errors on the page's form.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from accounts.forms import AccountChangeForm
from accounts.models import Account, StoreSettings
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

NEW_URL = reverse("accounts:create")
VALID = {
    "document_type": "CPF",
    "document": "529.982.247-25",
    "email": "Ana.Silva@Example.com ",
    "credit_limit": "1500",
    "tolerance": "0.05",
}


def post_new(client, language="en", **changes):
    client.cookies["django_language"] = language
    return client.post(NEW_URL, {**VALID, **changes})


def form_errors(response) -> dict[str, list[str]]:
    return {field: list(errors) for field, errors in response.context["form"].errors.items()}


def test_valid_new_account_is_stored_as_the_rules_clean_it(manager_client):
    post_new(manager_client)
    account = Account.objects.get()
    assert (
        account.document_type,
        account.document,
        account.email,
        account.credit_limit,
        account.tolerance,
    ) == ("CPF", "52998224725", "ana.silva@example.com", Decimal("1500.00"), Decimal("0.0500"))


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
            "Unknown document type “Passport”: use CPF, CNPJ or Other.",
        ),
        ({"credit_limit": "-5"}, "credit_limit", "The credit limit cannot be negative."),
        (
            {"credit_limit": "10.1234"},
            "credit_limit",
            "The credit limit has at most 2 decimal places, e.g. 1500.50.",
        ),
        ({"credit_limit": "lots"}, "credit_limit", "“lots” is not a number."),
        (
            {"credit_limit": "1e400"},
            "credit_limit",
            "The credit limit is too large: at most 999999999999.99.",
        ),
        (
            {"credit_limit": "１５００"},
            "credit_limit",
            "“１５００” has digits other than 0 to 9: type the number with the digits 0 to 9.",
        ),
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
    manager_client, changes, field, message
):
    response = post_new(manager_client, **changes)
    assert form_errors(response) == {field: [message]}
    assert not Account.objects.exists()


def test_cpf_pasted_with_garbage_gets_the_rule_message_not_a_length_error(manager_client):
    response = post_new(manager_client, document="529.982.247-25 " * 5)
    assert form_errors(response) == {
        "document": ["A CPF has 11 digits, for example 529.982.247-25."]
    }


def test_blank_limit_and_tolerance_mean_the_store_defaults(manager_client):
    page = manager_client.get(NEW_URL)
    assertContains(page, "Leave blank for the store default, R$\u00a0100.00.")
    post_new(manager_client, credit_limit="", tolerance="")
    account = Account.objects.get()
    assert (account.credit_limit, account.tolerance) == (Decimal("100.00"), Decimal("0"))


def test_the_limit_field_shows_the_currency_once(manager_client):
    page = manager_client.get(NEW_URL).content.decode()
    assert page.count("R$") == 2  # before the input, and in the help text's default
    assertContains(manager_client.get(NEW_URL), 'placeholder="100.00"')


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
def test_credit_limit_is_read_as_staff_type_it_in_their_language(
    manager_client, language, typed, expected
):
    post_new(manager_client, language, credit_limit=typed)
    assert Account.objects.get().credit_limit == expected


@pytest.mark.parametrize(("language", "typed"), [("pt-br", "1,500"), ("en", "1.500")])
def test_three_decimals_are_never_read_as_a_limit_with_two(manager_client, language, typed):
    response = post_new(manager_client, language, credit_limit=typed)
    with translation.override(language):
        message = str(response.context["form"].errors["credit_limit"][0])
    assert message in {
        "“1.500” could be 1500.00 (with “.” separating thousands) or 1.5. Write 1500, or the "
        "amount with two decimals, so that it reads one way only.",
        "“1,500” pode ser 1500,00 (com “,” separando os milhares) ou 1,5. Escreva 1500, ou o "
        "valor com duas casas decimais, para que só possa ser lido de um jeito.",
    }
    assert not Account.objects.exists()


def test_tolerance_is_not_asked_for_nor_set_while_the_store_disables_it(manager_client):
    StoreSettings.objects.update_or_create(pk=1, defaults={"tolerance_enabled": False})
    assertNotContains(manager_client.get(NEW_URL), 'name="tolerance"')
    # A page opened before the store switched tolerance off still posts one: refused on top.
    response = post_new(manager_client, tolerance="0.1")
    assert form_errors(response) == {
        "__all__": [
            "This store does not use tolerance (see Store settings): an account's tolerance "
            "cannot be set."
        ]
    }
    post_new(manager_client, tolerance="")
    assert Account.objects.get().tolerance == Decimal("0")


def test_change_form_requires_a_limit_and_checks_every_field(manager_client):
    account = AccountFactory()
    response = manager_client.post(
        reverse("accounts:change", args=[account.pk]),
        {"email": "", "credit_limit": "10", "tolerance": "1.5", "version": account.version},
    )
    assert form_errors(response) == {
        "email": ["Enter the customer's e-mail."],
        "tolerance": [
            "The tolerance is a fraction between 0 and 1 (0.05 = 5%). Did you mean 0.015 = 1.5%?"
        ],
    }
    form = AccountChangeForm(
        data={"email": "a@example.com", "credit_limit": ""}, store_settings=StoreSettings.load()
    )
    assert form.errors["credit_limit"] == ["This field is required."]


def test_settings_form_checks_the_default_limit_with_the_credit_limit_rule(manager_client):
    response = manager_client.post(
        reverse("accounts:settings"), {"currency_code": "usd", "default_credit_limit": "-1"}
    )
    assert form_errors(response) == {
        "default_credit_limit": ["The credit limit cannot be negative."]
    }


@pytest.mark.parametrize(
    ("document_type", "document", "message"),
    [
        ("CPF", "11.222.333/0001-81", "This is a valid CNPJ: choose CNPJ as the document type."),
        ("CNPJ", "529.982.247-25", "This is a valid CPF: choose CPF as the document type."),
    ],
)
def test_a_valid_document_of_the_other_type_says_which_type_to_choose(
    manager_client, document_type, document, message
):
    response = post_new(manager_client, document_type=document_type, document=document)
    assert form_errors(response) == {"document": [message]}
