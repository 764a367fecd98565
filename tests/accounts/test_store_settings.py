"""The store's settings, VTEX's store configuration included: page, form and service."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains

from accounts import services
from accounts.models import StoreSettings

SAVED = {
    "currency_code": "BRL",
    "default_credit_limit": "150",
    "tolerance_enabled": "on",
    "postponement_enabled": "on",
    "invoice_postponement_limit": "2",
    "max_postponement_days": "10",
    "daily_interest_rate": "0.001",
    "tax_rate": "0.4",
    "reminders_before_due": "5 12:00\r\n1 9:30\r\n\r\n",
    "reminders_after_due": "3 12:00:00",
    "max_pre_authorization_growth_rate": "0.1",
    "my_credits_enabled": "on",
}


def test_a_manager_sets_the_invoice_and_checkout_policies_on_the_settings_page(manager_client):
    response = manager_client.post(reverse("accounts:settings"), SAVED, follow=True)

    assertContains(response, "Store settings saved.")
    store = StoreSettings.load()
    assert (
        store.postponement_enabled,
        store.invoice_postponement_limit,
        store.max_postponement_days,
        store.daily_interest_rate,
        store.tax_rate,
        store.max_pre_authorization_growth_rate,
        store.my_credits_enabled,
        store.automatic_account_creation_enabled,
    ) == (True, 2, 10, Decimal("0.0010"), Decimal("0.4000"), Decimal("0.1000"), True, False)
    assert store.reminders_before_due == [
        {"days": 5, "timeOfDay": "12:00:00"},
        {"days": 1, "timeOfDay": "09:30:00"},
    ]
    assert store.reminders_after_due == [{"days": 3, "timeOfDay": "12:00:00"}]
    page = manager_client.get(reverse("accounts:settings"))
    assertContains(page, "5 12:00\n1 09:30</textarea>")
    assertContains(page, 'name="tax_rate" value="0.4"')


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"tax_rate": "40"},
            "tax_rate",
            "A rate is a fraction between 0 and 1 (0.1 = 10%). Did you mean 0.4 = 40%?",
        ),
        (
            {"max_postponement_days": "2.5"},
            "max_postponement_days",
            "Enter a whole number from 0 to 365.",
        ),
        (
            {"reminders_before_due": "5 12:00\nnoon"},
            "reminders_before_due",
            "Line 2: write the number of days, then the time, e.g. 5 12:00.",
        ),
        (
            {"reminders_after_due": "3 25:00"},
            "reminders_after_due",
            "Each reminder has a number of days and a time of day (HH:MM), e.g. 5 days at 12:00.",
        ),
    ],
)
def test_invalid_policies_are_not_saved_and_say_why(manager_client, changes, field, message):
    response = manager_client.post(reverse("accounts:settings"), {**SAVED, **changes})

    assert response.context["form"].errors == {field: [message]}
    assert StoreSettings.load().postponement_enabled is False


def test_the_service_changes_only_the_settings_it_is_given(db):
    services.update_store_settings(tax_rate="0.25")
    services.update_store_settings(max_postponement_days=5)

    store = StoreSettings.load()
    assert (store.tax_rate, store.max_postponement_days, store.default_credit_limit) == (
        Decimal("0.2500"),
        5,
        Decimal("100.00"),
    )
    with pytest.raises(ValidationError) as caught:
        services.update_store_settings(
            daily_interest_rate="-0.1", reminders_after_due=[{"days": 400, "timeOfDay": "12:00"}]
        )
    assert caught.value.message_dict == {
        "daily_interest_rate": ["A rate is a fraction between 0 and 1 (0.1 = 10%)."],
        "reminders_after_due": ["Enter a whole number from 0 to 365."],
    }
