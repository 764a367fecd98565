"""The language follows the browser, the switcher changes and remembers it, and numbers,
money and dates read the active locale's way on pages and in forms."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import Account, StoreSettings
from accounts.templatetags.credit import money, percent
from tests.factories import AccountFactory, valid_cpf

NBSP = "\u00a0"


def test_login_page_follows_the_browser_language(client, db):
    response = client.get(reverse("login"), headers={"accept-language": "pt-BR,pt;q=0.9,en;q=0.5"})
    assertContains(response, '<html lang="pt-br">')
    assertContains(response, "Entrar")
    response = client.get(reverse("login"), headers={"accept-language": "es-AR,es;q=0.9"})
    assertContains(response, '<html lang="es">')
    assertContains(response, "Iniciar sesión")


def test_a_language_the_app_does_not_speak_falls_back_to_english(client, db):
    response = client.get(reverse("login"), headers={"accept-language": "fr-FR,fr;q=0.9"})
    assertContains(response, '<html lang="en">')
    assertContains(response, "Log in")


def test_anonymous_visitor_switches_language_and_the_choice_is_remembered(client, db):
    response = client.post(reverse("set_language"), {"language": "es", "next": "/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "es"
    assert cookie["max-age"] == 365 * 24 * 60 * 60  # outlives the browser session
    # The remembered choice wins over the browser's language.
    response = client.get("/login/", headers={"accept-language": "pt-BR"})
    assertContains(response, '<html lang="es">')
    assertContains(response, "Iniciar sesión")


def test_switch_to_an_unknown_language_changes_nothing(client, db):
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/login/"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_switcher_offers_the_three_languages_before_and_after_log_in(client, manager_client):
    for response in (client.get(reverse("login")), manager_client.get(reverse("accounts:list"))):
        assertContains(response, f'action="{reverse("set_language")}"')
        for code, name in [("en", "English"), ("es", "Español"), ("pt-br", "Português")]:
            assertContains(response, f'value="{code}"')
            assertContains(response, name)


def test_switcher_returns_to_the_page_it_was_used_on(manager_client):
    response = manager_client.get(reverse("accounts:list") + "?status=Open")
    assertContains(response, 'name="next" value="/?status=Open"')


@pytest.mark.parametrize(
    "language, limit, tolerance, date_format",
    [
        ("pt-br", f"R${NBSP}1.234,56", "12,5%", "%d/%m/%Y"),
        ("es", f"R${NBSP}1.234,56", "12,5%", "%d/%m/%Y"),
        # Never month first (12/02/2026 is 2 December to some and 12 February to others).
        ("en", f"R${NBSP}1,234.56", "12.5%", "{day} %b %Y"),
    ],
)
def test_account_list_shows_money_numbers_and_dates_in_the_active_language(
    manager_client, language, limit, tolerance, date_format
):
    account = AccountFactory(credit_limit=Decimal("1234.56"), tolerance=Decimal("0.125"))
    response = manager_client.get(reverse("accounts:list"), headers={"accept-language": language})
    assertContains(response, limit)
    assertContains(response, tolerance)
    created = timezone.localtime(account.created_at)
    assertContains(response, created.strftime(date_format).format(day=created.day))


def test_money_shows_the_store_currency(manager_client):
    store = StoreSettings.load()
    store.currency_code = "USD"
    store.save()
    AccountFactory(credit_limit=Decimal("1500"))
    response = manager_client.get(reverse("accounts:list"), headers={"accept-language": "en"})
    assertContains(response, f"US${NBSP}1,500.00")
    assertNotContains(response, "R$")


@pytest.mark.parametrize(
    "language, value, expected",
    [
        ("pt-br", Decimal("1500"), f"R${NBSP}1.500,00"),
        ("pt-br", Decimal("-1234567.5"), f"-R${NBSP}1.234.567,50"),
        ("es", Decimal("1500"), f"R${NBSP}1.500,00"),
        ("en", Decimal("1500"), f"R${NBSP}1,500.00"),
    ],
)
def test_money_filter_formats_in_the_active_language(language, value, expected):
    with translation.override(language):
        assert money(value, "BRL") == expected


def test_percent_filter_formats_in_the_active_language():
    with translation.override("pt-br"):
        assert percent(Decimal("0.05")) == "5%"
        assert percent(Decimal("0.125")) == "12,5%"
    with translation.override("en"):
        assert percent(Decimal("0.125")) == "12.5%"


@pytest.mark.parametrize(
    "language, typed",
    [
        ("pt-br", "1.500,00"),
        ("pt-br", "1500,00"),
        ("es", "1.500,00"),
        ("en", "1,500.00"),
        ("en", "1500.00"),
    ],
)
def test_new_account_form_reads_the_limit_in_the_active_language(manager_client, language, typed):
    response = manager_client.post(
        reverse("accounts:create"),
        {
            "document_type": "CPF",
            "document": valid_cpf(123456),
            "email": "loja@example.com",
            "credit_limit": typed,
            "tolerance": "",
        },
        headers={"accept-language": language},
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Account.objects.get(email="loja@example.com").credit_limit == Decimal("1500.00")


def test_new_account_form_errors_read_in_the_active_language(manager_client):
    response = manager_client.post(
        reverse("accounts:create"),
        {"document_type": "CPF", "document": "111.111.111-11", "email": "", "tolerance": "20"},
        headers={"accept-language": "pt-br"},
    )
    assert response.status_code == 200
    assertContains(response, "Informe o e-mail do cliente.")
    assertContains(response, "Este CPF não é válido: confira os dígitos")
    assertContains(response, "A tolerância é uma fração entre 0 e 1 (0,05 = 5%).")
    assert not Account.objects.exists()
