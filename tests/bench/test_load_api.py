"""The API load test (manage.py load_api, bench/load_api.py): bounded, loopback only."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Account, ApiKey


def test_a_short_run_drives_every_operation_without_errors_and_revokes_its_key(live_server):
    output = StringIO()

    call_command(
        "load_api", url=live_server.url, clients=3, seconds=1, rate=30, accounts=4, stdout=output
    )

    report = output.getvalue()
    for operation in ("search", "retrieve", "credit-limit"):
        assert operation in report
    assert "errors=0" in report.splitlines()[-1]
    assert sorted(Account.objects.values_list("id", flat=True)) == [
        "load-0001", "load-0002", "load-0003", "load-0004",
    ]  # fmt: skip
    assert not ApiKey.objects.filter(revoked_at__isnull=True).exists()


@pytest.mark.parametrize(
    "url", ["http://example.com:8000", "https://127.0.0.1:8000", "http://10.1.2.3:8000"]
)
def test_anything_but_plain_http_on_this_machine_is_refused(db, url):
    refused = "this machine only|never leaves this host|cannot be resolved"
    with pytest.raises(CommandError, match=refused):
        call_command("load_api", url=url, seconds=1, stdout=StringIO())


def test_the_run_is_bounded(db):
    with pytest.raises(CommandError, match="at most 600 seconds"):
        call_command("load_api", url="http://127.0.0.1:8000", seconds=3600, stdout=StringIO())
