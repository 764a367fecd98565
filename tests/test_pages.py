"""What staff read around the pages themselves: the header, the messages that frame a
visit, money that no longer applies, dates and times, the error pages."""

import os
import subprocess
import sys
from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.history import ChangeSource, Channel
from accounts.models import Account
from accounts.services import close_account
from imports.models import ImportJob
from tests.factories import AccountFactory


def test_closed_account_shows_no_available_credit_on_its_page_or_in_the_list(viewer_client):
    account = AccountFactory(email="encerrada@example.com", credit_limit=5000)
    close_account(account_id=account.pk, source=ChangeSource(channel=Channel.FORM))

    page = viewer_client.get(reverse("accounts:detail", args=[account.pk]))
    assertContains(page, '<div class="fs-3 fw-semibold money text-start" id="available-credit">')
    available = page.content.decode().split('id="available-credit">')[1].split("</div>")[0]
    assert "None (closed)" in available
    assert "5,000.00" not in available
    assertContains(page, "R$\u00a05,000.00")  # the limit itself is still shown

    listed = viewer_client.get(reverse("accounts:list"))
    assertContains(listed, "None (closed)", count=1)
    assertNotContains(listed, 'data-label="Available credit">R$\u00a05,000.00')


def test_logging_out_says_so_on_the_login_page(manager_client):
    response = manager_client.post(reverse("logout"), follow=True)
    assertRedirects(response, reverse("login"))
    assertContains(response, "You are logged out.")
    assert not response.wsgi_request.user.is_authenticated


def header(response) -> str:
    page = response.content.decode()
    return page[page.index('<nav class="navbar') : page.index("</nav>")]


def test_header_has_an_import_entry_lit_on_the_wizard_and_history_lit_on_jobs(
    manager_client, manager
):
    for wizard_page in ("imports:start", "imports:template-help", "imports:upload"):
        nav = header(manager_client.get(reverse(wizard_page)))
        assert 'active" aria-current="page" href="/imports/">Import</a>' in nav, wizard_page
        assert 'aria-current="page" href="/imports/history/"' not in nav, wizard_page

    nav = header(manager_client.get(reverse("imports:history")))
    assert 'active" aria-current="page" href="/imports/history/">Import history</a>' in nav
    assert '<a class="nav-link" href="/imports/">Import</a>' in nav


def test_viewers_get_no_import_entry_and_no_link_to_the_upload_they_cannot_use(viewer_client):
    help_page = viewer_client.get(reverse("imports:template-help"))
    assertNotContains(help_page, 'href="/imports/">Import</a>')
    assertNotContains(help_page, f'href="{reverse("imports:upload")}"')
    assertContains(help_page, "Uploading needs the permission to import accounts")


def test_managers_continue_from_the_template_help_to_the_upload(manager_client):
    help_page = manager_client.get(reverse("imports:template-help"))
    assertContains(help_page, f'href="{reverse("imports:upload")}"', count=2)


def test_times_name_the_store_time_zone_and_dates_never_put_the_month_first(manager_client):
    account = AccountFactory()
    Account.objects.filter(pk=account.pk).update(
        created_at=datetime(2026, 12, 2, 16, 28, tzinfo=UTC)  # 13:28 in São Paulo
    )
    page = reverse("accounts:detail", args=[account.pk])
    opened = {
        "en": "2 December 2026, 13:28 <span class=\"time-zone\">(São Paulo time)</span>",
        "es": "2 de diciembre de 2026 a las 13:28 <span class=\"time-zone\">(hora de São Paulo)",
        "pt-br": "2 de dez. de 2026, 13:28 <span class=\"time-zone\">(horário de São Paulo)",
    }
    for language, shown in opened.items():
        response = manager_client.get(page, HTTP_ACCEPT_LANGUAGE=language)
        assertContains(response, f'<time datetime="2026-12-02T13:28:00-03:00">{shown}')
    listed = manager_client.get(reverse("accounts:list"), HTTP_ACCEPT_LANGUAGE="en")
    assertContains(listed, ">2 Dec 2026</time>")
    assertNotContains(listed, "12/02/2026")


# A mistyped URL under `make run` (DEBUG=1), asked of the app in a process of its own: the
# test run itself always has Django's DEBUG off.
MISTYPED_URL = """
import django
from django.test import Client
from django.test.utils import setup_test_environment
django.setup()
setup_test_environment()
page = Client().get("/accounts-typo/").content.decode()
print("debug" if "Using the URLconf" in page else "own" if "Page not found" in page else page)
"""


def test_make_run_shows_the_apps_own_404_and_the_debug_page_only_when_asked(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "creditadmin.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    env.pop("DEBUG_PAGES", None)

    def page_shown(**extra_env) -> str:
        run = subprocess.run(
            [sys.executable, "-c", MISTYPED_URL],
            env={**env, **extra_env},
            capture_output=True,
            text=True,
            check=True,
            cwd=settings.BASE_DIR,
        )
        return run.stdout.strip()

    assert page_shown() == "own"
    assert page_shown(DEBUG_PAGES="1") == "debug"


def test_import_history_pages_count_imports_and_keep_the_status_filter(manager_client, manager):
    ImportJob.objects.bulk_create(
        ImportJob(created_by=manager, original_name=f"file{n}.csv", status="failed")
        for n in range(26)
    )
    first = manager_client.get(reverse("imports:history"), {"status": "failed"})
    assertContains(first, '<span class="text-body-secondary small" id="result-count">26 imports')
    assertContains(first, 'href="?status=failed&amp;page=2" rel="next"')
    second = manager_client.get(reverse("imports:history"), {"status": "failed", "page": "2"})
    assertContains(second, 'href="?status=failed&amp;page=1" rel="prev"')
    assertContains(second, 'aria-current="page"><span class="page-link">2</span>')
