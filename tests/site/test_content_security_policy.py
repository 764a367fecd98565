import re

import pytest
from django.urls import reverse

from accounts.models import ApiScope
from accounts.services import create_api_key
from imports.models import ImportJob
from tests.factories import AccountFactory

# What the policy (script-src 'self'; style-src 'self') blocks in a page: scripts written in
# the page (a <script type="application/json"> data island is allowed: it never runs),
# event-handler attributes, <style> elements and style attributes.
BLOCKED_MARKUP = {
    "inline script": re.compile(r"<script\b(?![^>]*\b(src|type=\"application/json\"))[^>]*>"),
    "event handler": re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE),
    "style element": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE),
}


def blocked_markup(html: str) -> dict[str, list[str]]:
    found = {name: pattern.findall(html) for name, pattern in BLOCKED_MARKUP.items()}
    return {name: matches for name, matches in found.items() if matches}


@pytest.fixture
def pages(manager):
    account = AccountFactory()
    create_api_key(name="ERP", scopes=[ApiScope.READ], created_by=manager)
    job = ImportJob.objects.create(
        created_by=manager, original_name="a.csv", fingerprint="x",
        status=ImportJob.Status.VALIDATING, rows_total=10, rows_processed=5,
    )  # fmt: skip
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=job.created_at)
    return [
        reverse("accounts:list"),
        reverse("accounts:create"),
        reverse("accounts:detail", args=[account.pk]),
        reverse("accounts:change", args=[account.pk]),
        reverse("accounts:close", args=[account.pk]),
        reverse("accounts:settings"),
        reverse("accounts:api-keys"),
        reverse("accounts:api-key-create"),
        reverse("imports:start"),
        reverse("imports:upload"),
        reverse("imports:history"),
        reverse("imports:template-help"),
        job.get_absolute_url(),
        reverse("imports:job-progress", args=[job.pk]),
        reverse("ledger:overview"),
        reverse("api-docs"),
        reverse("admin:index"),
        reverse("admin:accounts_account_changelist"),
        reverse("admin:auth_user_change", args=[manager.pk]),
    ]


def test_every_page_forbids_inline_script_and_uses_none(client, manager, pages):
    manager.is_staff = manager.is_superuser = True
    manager.save()
    anonymous = client.get(reverse("login"))
    client.force_login(manager)

    for response in [anonymous, *(client.get(url) for url in pages)]:
        assert response.status_code == 200, response.request["PATH_INFO"]
        policy = response["Content-Security-Policy"]
        assert "script-src 'self';" in policy
        assert "style-src 'self';" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        html = response.content.decode()
        assert blocked_markup(html) == {}, response.request["PATH_INFO"]


def test_the_api_docs_start_up_script_is_a_file_of_this_site(client, db):
    page = client.get(reverse("api-docs")).content.decode()
    script_url = re.search(r'<script src="([^"]*\?[^"]*script=[^"]*)"', page).group(1)

    script = client.get(script_url.replace("&amp;", "&"))

    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


def test_api_answers_carry_the_policy_too(client, db):
    response = client.get("/api/creditcontrol/accounts")
    assert response.status_code in (401, 403)
    assert "default-src 'self'" in response["Content-Security-Policy"]
