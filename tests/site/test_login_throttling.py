from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from tests.factories import UserFactory

LOCKED = "Too many failed logins for this username or from this address. Wait 15 minutes"


@pytest.fixture
def staff_member(db):
    return UserFactory(username="ana", password="the-right-password")


def log_in(client, username, password, address="198.51.100.7"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_the_tenth_wrong_password_locks_the_username_even_for_the_right_password(
    client, staff_member
):
    for _ in range(9):
        assertContains(log_in(client, "ana", "guess"), "Please enter a correct username")
    assertContains(log_in(client, "ana", "guess"), LOCKED, status_code=429)

    refused = log_in(client, "ana", "the-right-password")

    assertContains(refused, LOCKED, status_code=429)
    assert "_auth_user_id" not in client.session
    # The same username from another address is refused too: the count is per account.
    from_elsewhere = log_in(client, "ana", "the-right-password", "203.0.113.9")
    assertContains(from_elsewhere, LOCKED, status_code=429)


def test_failures_from_one_address_lock_every_username_from_it_but_not_other_addresses(
    client, staff_member
):
    for number in range(10):
        log_in(client, f"someone{number}", "guess", address="192.0.2.50")

    same_address = log_in(client, "ana", "the-right-password", "192.0.2.50")
    assertContains(same_address, LOCKED, status_code=429)
    assert log_in(client, "ana", "the-right-password", "198.51.100.7").status_code == 302


def test_the_login_works_again_once_the_wait_is_over(client, staff_member):
    for _ in range(10):
        log_in(client, "ana", "guess")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    response = log_in(client, "ana", "the-right-password")

    assert response.status_code == 302
    assert response.url == reverse("accounts:list")


def test_a_successful_login_clears_the_earlier_failures(client, staff_member):
    for _ in range(9):
        log_in(client, "ana", "guess")
    assert log_in(client, "ana", "the-right-password").status_code == 302
    client.logout()

    for _ in range(9):
        log_in(client, "ana", "guess")
    assert log_in(client, "ana", "the-right-password").status_code == 302


def test_the_lockout_message_is_in_the_staff_language(client, staff_member):
    for _ in range(10):
        log_in(client, "ana", "guess")

    response = client.post(
        reverse("login"),
        {"username": "ana", "password": "the-right-password"},
        REMOTE_ADDR="198.51.100.7",
        HTTP_ACCEPT_LANGUAGE="es",
    )

    assertContains(response, "Demasiados intentos", status_code=429)
