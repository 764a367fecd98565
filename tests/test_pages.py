"""What staff read around the pages themselves: the header, the messages that frame a
visit, money that no longer applies."""

from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.history import ChangeSource, Channel
from accounts.services import close_account
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
