from decimal import Decimal

import pytest

from accounts.history import ChangeSource, Channel
from accounts.models import StoreSettings
from tests.api.conftest import api, make_api  # noqa: F401  (the API callers, shared)
from tests.factories import AccountFactory

SOURCE = ChangeSource(channel=Channel.API, label="API key Checkout")


@pytest.fixture
def account(db):
    """An open account with R$ 1,000 of credit and a 10 % tolerance."""
    return AccountFactory(credit_limit=Decimal("1000.00"), tolerance=Decimal("0.10"))


@pytest.fixture
def store(db):
    """The store's settings; change them with store(field=value)."""

    def change(**values):
        StoreSettings.objects.filter(pk=StoreSettings.load().pk).update(**values)
        return StoreSettings.load()

    return change
