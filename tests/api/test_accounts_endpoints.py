"""Each endpoint under /api/creditcontrol: what it answers on success and on every error."""

import re
from decimal import Decimal

import pytest

from accounts.history import Channel, stored_text
from accounts.models import Account, AccountStatus, Holder
from tests.factories import AccountFactory, valid_cpf

pytestmark = pytest.mark.django_db

UTC_WITH_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def last_history(account: Account):
    return account.history.order_by("-history_id").first()


# --- Search ------------------------------------------------------------------------------


def test_search_returns_the_first_20_in_opening_order_and_counts_every_match(api):
    accounts = [AccountFactory() for _ in range(25)]
    response = api("GET", "/accounts")
    assert response.status_code == 200
    body = response.json()
    assert body["summary"] == {"count": 25}
    assert [row["id"] for row in body["data"]] == [account.pk for account in accounts[:20]]


def test_search_from_and_to_are_1_based_inclusive_positions(api):
    accounts = [AccountFactory() for _ in range(25)]
    body = api("GET", "/accounts?from=21&to=25").json()
    assert [row["id"] for row in body["data"]] == [account.pk for account in accounts[20:]]
    assert body["summary"]["count"] == 25
    assert api("GET", "/accounts?from=30&to=40").json() == {"data": [], "summary": {"count": 25}}


def test_search_filters_by_status_and_by_email_in_any_case(api):
    wanted = AccountFactory(email="ana.silva@example.com")
    AccountFactory(email="bruno@example.com", status=AccountStatus.CLOSED)
    body = api("GET", "/accounts?email=ANA.Silva@Example.com").json()
    assert [row["id"] for row in body["data"]] == [wanted.pk]
    assert body["summary"]["count"] == 1
    closed = api("GET", "/accounts?status=closed").json()
    assert [row["email"] for row in closed["data"]] == ["bruno@example.com"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("from=0", "from", "Ensure this value is greater than or equal to 1."),
        ("from=abc", "from", "A valid integer is required."),
        ("from=5&to=2", "to", "`to` must be at least `from`."),
        ("from=1&to=5000", "to", "At most 1000 accounts per request."),
        (
            "status=Frozen",
            "status",
            "Unknown status “Frozen”: use Open or Closed (VTEX's Opened, Paid and Cancelled "
            "are read as Open, Open and Closed), or All.",
        ),
    ],
)
def test_search_with_bad_parameters_is_a_400_naming_the_parameter(api, query, field, message):
    response = api("GET", f"/accounts?{query}")
    assert response.status_code == 400
    assert [error["message"] for error in response.json()["fields"][field]] == [message]


# --- Open --------------------------------------------------------------------------------


def test_open_builds_the_vtex_id_normalizes_input_and_records_the_api_key(api):
    response = api(
        "POST",
        "/accounts",
        {
            "document": "529.982.247-25",
            "documentType": "cpf",
            "email": " Customer@Example.com ",
            "creditLimit": "3000",
            "tolerance": 0.05,
            "description": "ignored",
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == "52998224725_CPF"
    assert body["document"] == "52998224725"
    assert body["documentType"] == "CPF"
    assert body["email"] == "customer@example.com"
    assert body["creditLimit"] == 3000
    assert body["tolerance"] == 0.05
    assert body["status"] == "Open"
    assert body["description"] == ""
    assert body["availableCredit"] == 3000
    assert UTC_WITH_Z.match(body["createdAt"]) and UTC_WITH_Z.match(body["updatedAt"])
    account = Account.objects.get(pk="52998224725_CPF")
    assert account.credit_limit == Decimal("3000.00")
    record = last_history(account)
    assert (record.history_type, record.history_channel) == ("+", Channel.API)
    assert stored_text(record.history_source) == "API key ERP"


def test_open_without_limit_uses_the_store_default_and_without_document_gets_a_uuid(api):
    body = api("POST", "/accounts", {"email": "nodoc@example.com"}).json()
    assert body["creditLimit"] == 100
    assert body["document"] == ""
    assert re.fullmatch(r"[0-9a-f-]{36}", body["id"])


def test_open_a_second_open_account_is_1099_naming_the_existing_one(api):
    existing = AccountFactory(document=valid_cpf(123), email="first@example.com")
    response = api(
        "POST",
        "/accounts",
        {"document": valid_cpf(123), "documentType": "CPF", "email": "second@example.com"},
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "1099"
    assert body["message"] == (
        f"The Credit Account is already open. Existing account id: {existing.pk}."
    )
    assert body["accountId"] == existing.pk
    assert body["fields"]["document"][0]["code"] == "duplicate_open_document"
    assert Account.objects.count() == 1


def test_open_after_closing_gets_a_uuid_because_the_vtex_id_is_taken(api):
    first = api("POST", "/accounts", {"document": valid_cpf(7), "email": "a@example.com"}).json()
    api("DELETE", f"/accounts/{first['id']}")
    again = api("POST", "/accounts", {"document": valid_cpf(7), "email": "a@example.com"})
    assert again.status_code == 200
    assert again.json()["id"] != first["id"]
    assert again.json()["status"] == "Open"


@pytest.mark.parametrize(
    ("body", "status", "field", "code", "message"),
    [
        (
            {"document": "529.982.247-24", "email": "x@example.com"},
            400,
            "document",
            "cpf_invalid_check_digits",
            "This CPF is not valid: check the digits (the last two are check digits).",
        ),
        (
            {"document": "11111111111", "email": "x@example.com"},
            400,
            "document",
            "cpf_invalid_check_digits",
            "This CPF is not valid: check the digits (the last two are check digits).",
        ),
        (
            {"email": "x@example.com", "tolerance": 20},
            400,
            "tolerance",
            "tolerance_percent",
            "The tolerance is a fraction between 0 and 1 (0.05 = 5%). Did you mean 0.20 = 20%?",
        ),
        (
            {"email": "x@example.com", "creditLimit": "-5"},
            400,
            "creditLimit",
            "credit_limit_negative",
            "The credit limit cannot be negative.",
        ),
        (
            {"email": "not-an-email"},
            400,
            "email",
            "email_invalid",
            "“not-an-email” is not a valid e-mail address.",
        ),
        ({}, 400, "email", "required", "This field is required."),
        (
            {"email": "x@example.com", "creditLimit": True},
            400,
            "creditLimit",
            "invalid",
            "Expected a number or a numeric string.",
        ),
        (
            {"email": "x@example.com", "documentType": "RG"},
            400,
            "documentType",
            "invalid_document_type",
            "Unknown document type “RG”: use CPF, CNPJ or Other.",
        ),
    ],
)
def test_open_with_bad_input_is_refused_with_the_rule_message(
    api, body, status, field, code, message
):
    response = api("POST", "/accounts", body)
    assert response.status_code == status
    error = response.json()
    assert error["fields"] == {field: [{"code": code, "message": message}]}
    assert error["code"] == code
    assert error["message"] == f"{field}: {message}"
    assert not Account.objects.exists()


@pytest.mark.parametrize(
    ("raw", "content_type", "status", "code"),
    [
        ("{bad json", "application/json", 400, "malformed_json"),
        ('{"email": NaN}', "application/json", 400, "malformed_json"),
        ("[1, 2]", "application/json", 400, "invalid"),
        ('"just a string"', "application/json", 400, "invalid"),
        ("[" * 50_000 + "]" * 50_000, "application/json", 413, "body_too_large"),
        ("[" * 20_000 + "]" * 20_000, "application/json", 400, "malformed_json"),
        ('{"email": "' + "a" * 70_000 + '"}', "application/json", 413, "body_too_large"),
        (b"\xff\xfe{}", "application/json", 400, "malformed_json"),
        ("email=x@example.com", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
    ],
)
def test_malformed_bodies_get_a_clear_4xx_never_a_500(api, raw, content_type, status, code):
    response = api("POST", "/accounts", raw=raw, content_type=content_type)
    assert response.status_code == status
    assert response.json()["code"] == code
    assert response.json()["message"]


# --- Retrieve ----------------------------------------------------------------------------


def test_retrieve_returns_the_account(api):
    account = AccountFactory(credit_limit=Decimal("1500.50"), tolerance=Decimal("0.1"))
    body = api("GET", f"/accounts/{account.pk}").json()
    assert body["id"] == account.pk
    assert body["creditLimit"] == 1500.5
    assert body["tolerance"] == 0.1


@pytest.mark.parametrize("account_id", ["nope", "a%00b", "x" * 300, "%E2%98%83", "a%20b"])
def test_retrieve_an_unknown_or_odd_id_is_a_404(api, account_id):
    response = api("GET", f"/accounts/{account_id}")
    assert response.status_code == 404
    assert response.json() == {"code": "account_not_found", "message": "No account with this id."}


def test_an_unknown_path_under_the_api_is_a_json_404(api):
    response = api("GET", "/orders")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_trailing_slash_is_tolerated(api):
    account = AccountFactory()
    assert api("GET", f"/accounts/{account.pk}/").json()["id"] == account.pk


# --- Open or change (PUT) ----------------------------------------------------------------


def test_put_changes_only_the_fields_sent(api):
    account = AccountFactory(credit_limit=Decimal("500"), tolerance=Decimal("0.05"))
    response = api("PUT", f"/accounts/{account.pk}", {"email": "New@Example.com"})
    assert response.status_code == 200
    account.refresh_from_db()
    assert account.email == "new@example.com"
    assert account.credit_limit == Decimal("500.00")
    assert account.tolerance == Decimal("0.0500")
    assert stored_text(last_history(account).history_source) == "API key ERP"


def test_put_creates_the_account_with_the_callers_id_when_absent(api):
    response = api(
        "PUT",
        "/accounts/erp-000123",
        {"id": "erp-000123", "email": "erp@example.com", "creditLimit": 900},
    )
    assert response.status_code == 200
    assert response.json()["id"] == "erp-000123"
    assert Account.objects.get(pk="erp-000123").credit_limit == Decimal("900.00")


@pytest.mark.parametrize(
    ("path", "body", "field", "code"),
    [
        ("/accounts/erp-1", {"id": "erp-2", "email": "x@example.com"}, "id", "id_mismatch"),
        ("/accounts/a%20b", {"email": "x@example.com"}, "id", "account_id_invalid"),
        ("/accounts/new-one", {"creditLimit": 10}, "email", "email_required"),
    ],
)
def test_put_refuses_a_bad_id_or_a_new_account_without_email(api, path, body, field, code):
    response = api("PUT", path, body)
    assert response.status_code == 400
    assert response.json()["fields"][field][0]["code"] == code
    assert not Account.objects.exists()


def test_put_an_email_of_another_open_account_is_1099(api):
    AccountFactory(email="taken@example.com")
    account = AccountFactory()
    response = api("PUT", f"/accounts/{account.pk}", {"email": "taken@example.com"})
    assert response.status_code == 409
    assert response.json()["code"] == "1099"


def test_changing_a_closed_account_is_a_409(api):
    account = AccountFactory(status=AccountStatus.CLOSED, credit_limit=Decimal("500"))
    for path, body in [
        (f"/accounts/{account.pk}", {"creditLimit": 10}),
        (f"/accounts/{account.pk}/creditlimit", {"value": 10}),
        (f"/accounts/{account.pk}/tolerance", {"value": 0.1}),
        (f"/accounts/{account.pk}/holders", {"claims": {"email": "d@example.com"}}),
    ]:
        response = api("PUT" if "holders" not in path else "POST", path, body)
        assert response.status_code == 409, path
        assert response.json() == {
            "code": "account_closed",
            "message": "A closed account cannot be changed.",
        }
    account.refresh_from_db()
    assert account.credit_limit == Decimal("500.00")


# --- Close -------------------------------------------------------------------------------


def test_close_with_vtex_body_then_again_is_harmless(api):
    account = AccountFactory()
    body = {"document": account.document, "documentType": "CPF", "email": account.email}
    first = api("DELETE", f"/accounts/{account.pk}", body)
    assert first.status_code == 200
    assert first.json()["status"] == "Closed"
    second = api("DELETE", f"/accounts/{account.pk}")
    assert second.status_code == 200
    assert second.json()["status"] == "Closed"
    account.refresh_from_db()
    assert account.status == AccountStatus.CLOSED
    assert account.history.filter(history_channel=Channel.API).count() == 1


def test_close_an_unknown_account_is_a_404(api):
    assert api("DELETE", "/accounts/nope").status_code == 404


# --- Credit limit and tolerance ----------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [(5500, "5500.00"), ("1.500,50", "1500.50")])
def test_change_credit_limit_accepts_numbers_and_numeric_strings(api, value, expected):
    account = AccountFactory()
    response = api("PUT", f"/accounts/{account.pk}/creditlimit", {"value": value})
    assert response.status_code == 200
    account.refresh_from_db()
    assert account.credit_limit == Decimal(expected)
    assert response.json()["creditLimit"] == float(expected)
    record = last_history(account)
    assert record.history_channel == Channel.API
    assert stored_text(record.history_source) == "API key ERP"


@pytest.mark.parametrize(
    ("path", "value", "code", "message"),
    [
        ("creditlimit", -1, "credit_limit_negative", "The credit limit cannot be negative."),
        (
            "creditlimit",
            "12.3456",
            "credit_limit_too_precise",
            "The credit limit has at most 2 decimal places, e.g. 1500.50.",
        ),
        (
            "creditlimit",
            "1,500",
            "amount_ambiguous",
            "“1,500” could be 1500.00 (with “,” separating thousands) or 1.5. Write 1500, or "
            "the amount with two decimals, so that it reads one way only.",
        ),
        (
            "creditlimit",
            "١٥٠٠",
            "non_ascii_digits",
            "“١٥٠٠” has digits other than 0 to 9: type the number with the digits 0 to 9.",
        ),
        (
            "tolerance",
            20,
            "tolerance_percent",
            "The tolerance is a fraction between 0 and 1 (0.05 = 5%). Did you mean 0.20 = 20%?",
        ),
        ("tolerance", "abc", "not_a_number", "“abc” is not a number."),
    ],
)
def test_bad_values_are_refused_naming_the_value_field(api, path, value, code, message):
    account = AccountFactory(credit_limit=Decimal("500"), tolerance=Decimal("0.05"))
    response = api("PUT", f"/accounts/{account.pk}/{path}", {"value": value})
    assert response.status_code == 400
    assert response.json()["fields"] == {"value": [{"code": code, "message": message}]}
    account.refresh_from_db()
    assert (account.credit_limit, account.tolerance) == (Decimal("500.00"), Decimal("0.0500"))


def test_a_json_number_beyond_any_float_is_too_large_not_infinite(api):
    account = AccountFactory()
    response = api("PUT", f"/accounts/{account.pk}/creditlimit", raw='{"value": 1e400}')
    assert response.status_code == 400
    assert response.json()["message"] == (
        "value: The credit limit is too large: at most 999999999999.99."
    )


def test_json_numbers_are_read_exactly_not_through_a_float(api):
    account = AccountFactory()
    response = api("PUT", f"/accounts/{account.pk}/creditlimit", raw='{"value": 0.1}')
    assert response.status_code == 200
    account.refresh_from_db()
    assert account.credit_limit == Decimal("0.10")


def test_change_tolerance(api):
    account = AccountFactory(tolerance=Decimal("0"))
    response = api("PUT", f"/accounts/{account.pk}/tolerance", {"value": "0.3"})
    assert response.status_code == 200
    assert response.json()["tolerance"] == 0.3
    account.refresh_from_db()
    assert account.tolerance == Decimal("0.3000")


def test_value_is_required(api):
    account = AccountFactory()
    response = api("PUT", f"/accounts/{account.pk}/creditlimit", {})
    assert response.status_code == 400
    assert response.json()["message"] == "value: This field is required."


# --- Holders -----------------------------------------------------------------------------


def test_add_and_delete_a_holder_both_land_in_the_history(api):
    account = AccountFactory()
    added = api("POST", f"/accounts/{account.pk}/holders", {"claims": {"email": "Dep@Example.com"}})
    assert added.status_code == 200
    holder = added.json()
    assert re.fullmatch(r"[0-9a-f]{32}", holder["id"])
    assert holder["claims"] == {"email": "dep@example.com"}
    assert UTC_WITH_Z.match(holder["createdAt"])
    record = last_history(account)
    assert stored_text(record.history_change_reason) == "Holder dep@example.com added."
    assert stored_text(record.history_source) == "API key ERP"

    deleted = api("DELETE", f"/accounts/{account.pk}/holders/{holder['id']}")
    assert deleted.status_code == 200
    assert deleted.json() == {"id": holder["id"]}
    assert not Holder.objects.exists()
    removed = last_history(account).history_change_reason
    assert stored_text(removed) == "Holder dep@example.com removed."


def test_the_same_holder_twice_is_a_409(api):
    account = AccountFactory()
    api("POST", f"/accounts/{account.pk}/holders", {"claims": {"email": "dep@example.com"}})
    response = api(
        "POST", f"/accounts/{account.pk}/holders", {"claims": {"email": "DEP@example.com"}}
    )
    assert response.status_code == 409
    assert response.json() == {
        "code": "holder_exists",
        "message": "dep@example.com is already a holder of this account.",
    }


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"claims": {"email": "nope"}}, "claims.email", "email_invalid"),
        ({"claims": {}}, "claims.email", "required"),
        ({"email": "d@example.com"}, "claims", "required"),
        ({"claims": "d@example.com"}, "claims", "invalid"),
    ],
)
def test_bad_holder_bodies_are_a_400(api, body, field, code):
    account = AccountFactory()
    response = api("POST", f"/accounts/{account.pk}/holders", body)
    assert response.status_code == 400
    assert [error["code"] for error in response.json()["fields"][field]] == [code]
    assert not Holder.objects.exists()


def test_deleting_a_holder_of_another_account_is_a_404(api):
    holder = Holder.objects.create(account=AccountFactory(), email="d@example.com")
    other = AccountFactory()
    response = api("DELETE", f"/accounts/{other.pk}/holders/{holder.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "holder_not_found"
    assert api("DELETE", f"/accounts/{other.pk}/holders/not-hex!").status_code == 404
    assert Holder.objects.count() == 1


def test_search_page_costs_the_same_queries_whatever_its_size(api, django_assert_num_queries):
    for _ in range(30):
        AccountFactory()
    api("GET", "/accounts?to=1")  # marks the key as used, and the process remembers the key
    # count, page
    with django_assert_num_queries(2):
        assert len(api("GET", "/accounts?from=1&to=30").json()["data"]) == 30


# --- Versions: ETag and If-Match ---------------------------------------------------------


def test_account_responses_carry_the_version_as_etag(api):
    account = AccountFactory()
    assert api("GET", f"/accounts/{account.pk}")["ETag"] == '"1"'
    changed = api("PUT", f"/accounts/{account.pk}/creditlimit", {"value": 700})
    assert changed["ETag"] == '"2"'


def test_if_match_with_an_old_version_is_a_412_and_writes_nothing(api, viewer):
    from accounts import services
    from accounts.history import ChangeSource

    account = AccountFactory(credit_limit=Decimal("500"))
    etag = api("GET", f"/accounts/{account.pk}")["ETag"]
    services.change_account(
        account_id=account.pk,
        source=ChangeSource(channel=Channel.FORM, label="viewer", user_id=viewer.pk),
        values={"credit_limit": "900"},
    )
    response = api(
        "PUT", f"/accounts/{account.pk}/creditlimit", {"value": 700}, headers={"If-Match": etag}
    )
    assert response.status_code == 412
    body = response.json()
    assert body["code"] == "stale_version"
    assert body["message"].startswith("Changed by viewer on ")
    assert body["message"].endswith("Credit limit is now 900.00 (yours: 700.00).")
    account.refresh_from_db()
    assert account.credit_limit == Decimal("900.00")
    current = api("GET", f"/accounts/{account.pk}")["ETag"]
    response = api(
        "PUT", f"/accounts/{account.pk}/creditlimit", {"value": 700}, headers={"If-Match": current}
    )
    assert response.status_code == 200
    # Without If-Match the last write wins, as in VTEX.
    assert api("DELETE", f"/accounts/{account.pk}").status_code == 200


@pytest.mark.parametrize("header", ["3", 'W/"1"', '"1", "2"', '"abc"'])
def test_an_if_match_that_is_not_one_etag_is_a_400(api, header):
    account = AccountFactory()
    response = api("DELETE", f"/accounts/{account.pk}", headers={"If-Match": header})
    assert response.status_code == 400
    assert response.json()["fields"]["If-Match"][0]["code"] == "invalid_if_match"
    account.refresh_from_db()
    assert account.status == AccountStatus.OPEN


def test_put_with_if_match_never_creates_an_account(api):
    response = api(
        "PUT", "/accounts/erp-9", {"email": "erp@example.com"}, headers={"If-Match": '"1"'}
    )
    assert response.status_code == 412
    assert not Account.objects.exists()


def test_put_can_close_but_never_reopen_an_account(api):
    account = AccountFactory()
    closed = api("PUT", f"/accounts/{account.pk}", {"status": "closed"})
    assert closed.json()["status"] == "Closed"
    reopened = api("PUT", f"/accounts/{account.pk}", {"status": "Open"})
    assert reopened.status_code == 409
    assert reopened.json()["code"] == "reopen_refused"
