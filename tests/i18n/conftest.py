import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _no_language_left_active():
    """The test client runs LocaleMiddleware in this thread, and it leaves the request's
    language active: later tests (a management command, a service) must start in English."""
    yield
    translation.deactivate()
