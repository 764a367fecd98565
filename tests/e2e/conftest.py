"""Browser tests: Playwright for Python driving the system Chromium against a live server.

Where /usr/bin/chromium is missing they are skipped with that reason, unless
REQUIRE_BROWSER=1 (set by CI), where a missing browser fails the run.
"""

import os
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from tests.factories import UserFactory

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the
# tests themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-US", accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def log_in(page, transactional_db):
    """Log in through the login page as a user of the given staff group."""

    def log_in_as(username: str = "manager", group: str = "Credit managers"):
        if not Group.objects.filter(name=group).exists():
            # A live-server test empties every table when it ends, the staff groups made by
            # the data migration included: make them again the same way.
            import_module("accounts.migrations.0002_staff_groups").create_groups(apps, None)
        user = UserFactory(username=username)
        user.groups.add(Group.objects.get(name=group))
        page.goto("/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill("password")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/")
        return user

    return log_in_as
