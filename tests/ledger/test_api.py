"""The ledger endpoints as a payment connector and an ERP call them: shapes, scopes, codes,
idempotency and VTEX's search filters."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import StoreSettings
from ledger import services
from ledger.models import Invoice
from tests.factories import AccountFactory

from .conftest import SOURCE

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(db):
    return AccountFactory(credit_limit=Decimal("1000.00"), tolerance=Decimal("0"))


def settle(account, value, installments=1) -> str:
    hold = services.pre_authorize(
        account_id=account.pk, value=value, installments=installments, source=SOURCE
    )
    services.settle_pre_authorization(
        account_id=account.pk, transaction_id=hold.pk, value=value, source=SOURCE
    )
    return hold.pk


def test_a_connector_holds_settles_and_the_customer_pays(api, account):
    base = f"/accounts/{account.pk}"
    held = api("POST", f"{base}/transactions", {"value": "300", "settle": True, "installments": 3})
    assert held.status_code == 200
    transaction_id = held.json()["id"]
    assert held.json() == {
        "id": transaction_id,
        "value": 300,
        "expirationDate": held.json()["expirationDate"],
        "installments": 3,
        "status": "Held",
    }
    assert api("GET", base).json()["availableCredit"] == 700

    settled = api("PUT", f"{base}/transactions/{transaction_id}/settlement", {"value": 300})
    assert settled.json() == {"value": 300, "id": transaction_id}
    invoices = api("GET", f"{base}/invoices").json()
    assert [invoice["value"] for invoice in invoices["data"]] == [100, 100, 100]
    assert invoices["summary"] == {"total": 300, "count": 3, "totalPaid": 0, "totalCancelled": 0}

    paid = api("POST", f"{base}/invoices/{transaction_id}-01/payments")
    assert (paid.status_code, paid.json()["status"]) == (200, "Paid")
    account_body = api("GET", base).json()
    assert (account_body["balance"], account_body["preAuthorizedCredit"]) == (-200, 0)
    assert (account_body["availableCredit"], account_body["availableBalance"]) == (800, 800)


def test_reading_needs_read_and_moving_money_needs_the_credit_scope(make_api, account):
    reader = make_api(["read"], name="Reports")
    writer = make_api(["write"], name="CRM")
    path = f"/accounts/{account.pk}/transactions"

    assert reader("GET", f"/accounts/{account.pk}/invoices").status_code == 200
    for caller in (reader, writer):
        refused = caller("POST", path, {"value": 10})
        assert refused.status_code == 403
        assert refused.json() == {
            "code": "forbidden",
            "message": 'Missing permission: Edit credit limits (scope "credit").',
        }
    assert writer("GET", "/storeconfig").status_code == 403
    assert make_api(["credit"])("POST", path, {"value": 10}).status_code == 200
    account.refresh_from_db()
    assert account.pre_authorized_credit == Decimal("10.00")


def test_refusals_answer_409_with_a_code_and_an_english_message(api, account):
    response = api(
        "POST",
        f"/accounts/{account.pk}/transactions",
        {"value": 1000.01},
        headers={"Accept-Language": "pt-BR"},
    )
    assert response.status_code == 409
    assert response.json() == {
        "code": "insufficient_credit",
        "message": "Not enough credit: 1000.01 requested, 1000.00 available (credit limit "
        "1000.00, tolerance included when the store enables it).",
    }


def test_unknown_ids_answer_404_naming_what_was_not_found(api, account):
    base = f"/accounts/{account.pk}"
    for path, code in [
        (f"{base}/transactions/nope/settlement", "transaction_not_found"),
        (f"{base}/invoices/nope-01/postponement", "invoice_not_found"),
        ("/accounts/nobody/transactions/x/settlement", "account_not_found"),
    ]:
        response = api("PUT", path, {"value": 1, "dueDays": 1})
        assert (response.status_code, response.json()["code"]) == (404, code), path
    assert api("GET", f"{base}/invoices/x\x00y").status_code == 404


def test_unknown_fields_are_ignored_and_named_in_a_header(api, account):
    response = api(
        "POST",
        f"/accounts/{account.pk}/transactions",
        {"value": 10, "settle": False, "installments": 1, "description": "x", "paymentSystem": 64},
    )
    assert response.status_code == 200
    assert response.headers["X-Ignored-Fields"] == "description, paymentSystem"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "1,500",
            'value: Expected a number or a numeric string such as "49.90" (no thousands '
            "separators).",
        ),
        (
            True,
            'value: Expected a number or a numeric string such as "49.90" (no thousands '
            "separators).",
        ),
        ("10.001", "value: The value has at most 2 decimal places, e.g. 49.90."),
        (-5, "value: The value must be greater than zero."),
    ],
)
def test_bad_values_are_refused_with_400_and_move_nothing(api, account, value, message):
    response = api("POST", f"/accounts/{account.pk}/transactions", {"value": value})
    assert (response.status_code, response.json()["message"]) == (400, message)
    assert account.movements.count() == 0


def test_a_retried_post_with_the_same_idempotency_key_returns_the_first_result(api, account):
    path = f"/accounts/{account.pk}/transactions"
    key = {"Idempotency-Key": "order-1375060513100"}

    first = api("POST", path, {"value": 100}, headers=key)
    again = api("POST", path, {"value": 100}, headers=key)
    other = api("POST", path, {"value": 200}, headers=key)
    without = api("POST", path, {"value": 100})

    assert again.json() == first.json()
    assert (again.status_code, again.headers["Idempotent-Replayed"]) == (200, "true")
    assert "Idempotent-Replayed" not in first.headers
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
    assert without.json()["id"] != first.json()["id"]
    account.refresh_from_db()
    assert account.pre_authorized_credit == Decimal("200.00")
    bad = api("POST", path, {"value": 1}, headers={"Idempotency-Key": "x" * 256})
    assert (bad.status_code, bad.json()["code"]) == (400, "idempotency_key_invalid")


def test_a_refused_post_is_not_remembered_under_its_key(api, account):
    path = f"/accounts/{account.pk}/transactions"
    key = {"Idempotency-Key": "k-1"}
    assert api("POST", path, {"value": 5000}, headers=key).status_code == 409
    StoreSettings.objects.update(tolerance_enabled=True)
    account.credit_limit = Decimal("5000.00")
    account.save()
    assert api("POST", path, {"value": 5000}, headers=key).status_code == 200


def test_refunds_are_bounded_and_retried_safely_with_a_key(api, account):
    transaction_id = settle(account, 300, installments=3)
    path = f"/accounts/{account.pk}/transactions/{transaction_id}/refunds"
    for _attempt in range(2):
        response = api("POST", path, {"value": 30}, headers={"Idempotency-Key": "refund-1"})
        assert response.json() == {"value": 30}
    too_much = api("POST", path, {"value": 270.01})
    assert (too_much.status_code, too_much.json()["code"]) == (409, "refund_exceeds_settled")
    account.refresh_from_db()
    assert account.balance == Decimal("-270.00")


def test_invoice_search_takes_vtex_filters(api, account):
    other = AccountFactory(credit_limit=Decimal("1000.00"))
    first = settle(account, 300, installments=3)
    second = settle(account, "50.50")
    settle(other, 20)
    services.pay_invoice(account_id=account.pk, invoice_id=f"{first}-01", source=SOURCE)
    Invoice.objects.filter(pk=f"{second}-01").update(observation="Black Friday order")
    invoice = Invoice.objects.get(pk=f"{first}-02")
    due = timezone.localtime(invoice.due_date).date()

    def ids(query: str) -> list[str]:
        body = api("GET", f"/invoices?{query}").json()
        return sorted(row["id"] for row in body["data"])

    assert ids(f"creditAccountId={account.pk}&status=Paid") == [f"{first}-01"]
    assert ids(f"creditAccountId={account.pk}&dueDateFrom={due}&dueDateTo={due}") == [f"{first}-02"]
    assert ids("observation=black friday") == [f"{second}-01"]
    assert ids(f"friendlyId={invoice.friendly_id}") == [invoice.pk]
    assert ids(f"creditAccountId={account.pk}&value=50.50") == [f"{second}-01"]
    assert ids(f"creditAccountId={account.pk}&status=Paid&value=50.5&op=or") == sorted(
        [f"{first}-01", f"{second}-01"]
    )
    assert len(ids("")) == 5
    page = api("GET", f"/accounts/{account.pk}/invoices?from=2&to=3").json()
    assert len(page["data"]) == 2
    assert page["summary"] == {"total": 250.5, "count": 4, "totalPaid": 100, "totalCancelled": 0}
    bad = api("GET", "/invoices?dueDateFrom=yesterday")
    assert (bad.status_code, bad.json()["message"]) == (
        400,
        "dueDateFrom: Expected an ISO 8601 date or date-time, e.g. 2026-01-20.",
    )


def test_the_invoice_list_reads_a_page_in_a_fixed_number_of_queries(
    api, account, django_assert_max_num_queries
):
    for _order in range(10):
        settle(account, 20, installments=2)
    # API key, its last use, account, the page, the totals
    with django_assert_max_num_queries(5):
        response = api("GET", f"/accounts/{account.pk}/invoices?to=20")
    assert len(response.json()["data"]) == 20


def test_statements_list_the_balance_movements_with_vtex_origins(api, account, manager):
    transaction_id = settle(account, 100, installments=2)
    services.pay_invoice(account_id=account.pk, invoice_id=f"{transaction_id}-02", source=SOURCE)
    debit = api("PUT", f"/accounts/{account.pk}/statements/fee-11", {"value": "-15"})
    assert debit.json() == {"value": "-15.00"}

    body = api("GET", f"/accounts/{account.pk}/statements").json()

    assert [(row["origin"], row["value"]) for row in body["statements"]] == [
        ("Invoice", -100),
        ("Payment", 50),
        ("Statement", -15),
    ]
    assert body["statements"][0]["metadata"] == {
        "transactionId": transaction_id,
        "numberOfInstallments": 2,
    }
    assert body["statements"][1]["metadata"] == {"transactionId": transaction_id, "installment": 2}
    assert body["statements"][2]["doneBy"] == body["statements"][2]["doneby"] == "API key ERP"
    assert (body["previousBalance"], body["intervalBalance"], body["currentBalance"]) == (
        0,
        -65,
        -65,
    )
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    later = api("GET", f"/accounts/{account.pk}/statements?dateFrom={tomorrow}").json()
    assert (later["statements"], later["previousBalance"], later["intervalBalance"]) == ([], -65, 0)


def test_the_store_configuration_is_read_and_changed_field_by_field(api, make_api):
    changed = api("PUT", "/storeconfig", {"postponementEnabled": True, "maxPostponementDays": 3})
    assert changed.status_code == 200
    body = api("GET", "/storeconfig").json()
    assert (body["postponementEnabled"], body["maxPostponementDays"]) == (True, 3)
    assert (body["defaultCreditValue"], body["toleranceEnabled"]) == (100, True)

    refused = api(
        "PUT",
        "/storeconfig",
        {"taxRate": 40, "notificationsSettings": {"daysPrior": [{"days": 5, "timeOfDay": "noon"}]}},
    )
    assert refused.status_code == 400
    assert refused.json()["fields"] == {
        "taxRate": [
            {
                "code": "rate_out_of_range",
                "message": "A rate is a fraction between 0 and 1 (0.1 = 10%). "
                "Did you mean 0.4 = 40%?",
            }
        ],
        "notificationsSettings.daysPrior": [
            {
                "code": "reminder_invalid",
                "message": "Each reminder has a number of days and a time of day (HH:MM), "
                "e.g. 5 days at 12:00.",
            }
        ],
    }
    assert make_api(["read", "write"])("PUT", "/storeconfig", {"taxRate": 0}).status_code == 403


def test_from_a_session_only_managers_change_the_store_configuration(client, viewer, manager):
    path = "/api/creditcontrol/storeconfig"
    client.force_login(viewer)
    assert client.put(path, {"taxRate": 0.1}, content_type="application/json").status_code == 403
    client.force_login(manager)
    assert client.get(path).json()["taxRate"] == 0
    assert client.put(path, {"taxRate": 0.1}, content_type="application/json").status_code == 200
    assert StoreSettings.load().tax_rate == Decimal("0.1000")
