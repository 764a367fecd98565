"""The same mistake gets the same code and message through every channel: the New and Edit
forms, the API and a one-row CSV import all ask the one planner (accounts.changes).

Each case says how each channel expresses the same input; None where a channel has no way to
(no page reopens a closed account). Each (case, channel) runs on its own database.

A doubtful value (1.500 that may be 1.5, a CPF a spreadsheet turned into a number) gets the
same code and message too: the form and the API, which apply at once, refuse it; the import,
where someone confirms, shows it as a warning and stores its reading once acknowledged.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import services
from accounts.history import ChangeSource, Channel
from accounts.models import Account, AccountStatus, StoreSettings
from imports import services as import_services
from imports.models import ImportJob
from tests.api.conftest import API, key_headers
from tests.factories import AccountFactory, UserFactory, valid_cpf
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db

CPF = valid_cpf(123_456_789)
NEW = {"email": "new@example.com", "document": CPF, "document_type": "CPF"}
ACCOUNT = "acct-1"
OTHER = "other-1"


@dataclass(frozen=True)
class Case:
    """One input, as each channel sends it, and what every channel must answer."""

    name: str
    expected: list[tuple[str, str]]
    form: tuple[str, dict] | None  # "new" or "edit", and the fields posted
    api: tuple[str, str, str]  # method, path, raw JSON body
    csv: list[str]  # Id, Email, Document, Document Type, Credit limit, Tolerance rate, Status
    setup: Callable[[], None] = lambda: AccountFactory(pk=ACCOUNT, email="ana@example.com")
    # Someone else's change: before the form or API request, between preview and confirm.
    interfere: Callable[[], None] | None = None
    csv_encoding: str = "utf-8"


def closed_account():
    AccountFactory(pk=ACCOUNT, status=AccountStatus.CLOSED, credit_limit=Decimal("500"))


def taken(**fields):
    def setup():
        AccountFactory(pk=ACCOUNT, email="ana@example.com")
        AccountFactory(pk=OTHER, **fields)

    return setup


def no_tolerance():
    AccountFactory(pk=ACCOUNT, email="ana@example.com", tolerance=Decimal("0"))
    StoreSettings.objects.update_or_create(pk=1, defaults={"tolerance_enabled": False})


WHEN = datetime(2026, 12, 2, 14, 2, tzinfo=ZoneInfo("America/Sao_Paulo"))


def ana_raises_the_limit():
    ana = UserFactory(username="ana")
    source = ChangeSource(channel=Channel.FORM, label="ana", user_id=ana.pk)
    services.change_account(account_id=ACCOUNT, values={"credit_limit": "2000"}, source=source)
    Account.history.filter(id=ACCOUNT, history_type="~").update(history_date=WHEN)


def new_with(**changes) -> dict:
    return {**NEW, **changes}


def api_new(**changes) -> str:
    body = {"email": NEW["email"], "document": CPF, "documentType": "CPF", **changes}
    return json.dumps(body)


TOLERANCE_HINT = "The tolerance is a fraction between 0 and 1 (0.05 = 5%). Did you mean {}?"
CASES = [
    Case(
        "closed account change",
        [("account_closed", "A closed account cannot be changed.")],
        form=("edit", {"credit_limit": "600"}),
        api=("PUT", f"/accounts/{ACCOUNT}/creditlimit", '{"value": 600}'),
        csv=[ACCOUNT, "", "", "", "600", "", ""],
        setup=closed_account,
    ),
    Case(
        "Closed → Open",
        [
            (
                "reopen_refused",
                "A closed account cannot be reopened. Open a new account for this customer "
                "instead (leave Id blank).",
            )
        ],
        form=None,  # closing has its own page, and no page reopens an account
        api=("PUT", f"/accounts/{ACCOUNT}", '{"status": "Open"}'),
        csv=[ACCOUNT, "", "", "", "", "", "Open"],
        setup=closed_account,
    ),
    Case(
        "tolerance 5%",
        [("tolerance_percent", TOLERANCE_HINT.format("0.05 = 5%"))],
        form=("new", new_with(tolerance="5%")),
        api=("POST", "/accounts", api_new(tolerance="5%")),
        csv=["", NEW["email"], CPF, "CPF", "", "5%", ""],
    ),
    Case(
        "tolerance 20",
        [("tolerance_percent", TOLERANCE_HINT.format("0.20 = 20%"))],
        form=("new", new_with(tolerance="20")),
        api=("POST", "/accounts", api_new(tolerance=20)),
        csv=["", NEW["email"], CPF, "CPF", "", "20", ""],
    ),
    Case(
        "tolerance -1",
        [("tolerance_negative", "The tolerance cannot be negative.")],
        form=("new", new_with(tolerance="-1")),
        api=("POST", "/accounts", api_new(tolerance=-1)),
        csv=["", NEW["email"], CPF, "CPF", "", "-1", ""],
    ),
    Case(
        "a valid CNPJ with type CPF",
        [("other_document_type", "This is a valid CNPJ: choose CNPJ as the document type.")],
        form=("new", new_with(document="11.222.333/0001-81")),
        api=("POST", "/accounts", api_new(document="11.222.333/0001-81")),
        csv=["", NEW["email"], "11.222.333/0001-81", "CPF", "", "", ""],
    ),
    Case(
        "a CPF a spreadsheet wrote in scientific notation",
        [
            (
                "document_in_scientific_notation",
                "“5,29982E+10” is a document a spreadsheet wrote in scientific notation, keeping "
                "only its first digits: it cannot be read back. Format the Document column as "
                "Text in the spreadsheet, type the document again and save the file.",
            )
        ],
        form=("new", new_with(document="5,29982E+10")),
        api=("POST", "/accounts", api_new(document="5,29982E+10")),
        csv=["", NEW["email"], "5,29982E+10", "CPF", "", "", ""],
    ),
    Case(
        "a NUL character in a document",
        [
            (
                "null_character",
                "“AB\ufffdC” holds an invisible NUL character (shown as \ufffd), which cannot be "
                "stored; it usually comes from a damaged file or a copy from another program. "
                "Type the value again.",
            )
        ],
        form=("new", new_with(document="AB\x00C", document_type="Other")),
        api=("POST", "/accounts", api_new(document="AB\x00C", documentType="Other")),
        csv=["", NEW["email"], "AB\x00C", "Other", "", "", ""],
        # Only a UTF-16 file can hold a NUL: in any other a NUL byte means "not a text file".
        csv_encoding="utf-16",
    ),
    Case(
        "duplicate open e-mail",
        [
            (
                "duplicate_open_email",
                f"An open account with this e-mail already exists (account {OTHER}).",
            )
        ],
        form=("new", new_with(email="taken@example.com")),
        api=("POST", "/accounts", api_new(email="taken@example.com")),
        csv=["", "taken@example.com", CPF, "CPF", "", "", ""],
        setup=taken(email="taken@example.com"),
    ),
    Case(
        "duplicate open document",
        [
            (
                "duplicate_open_document",
                f"An open account with this document already exists (account {OTHER}).",
            )
        ],
        form=("new", NEW),
        api=("POST", "/accounts", api_new()),
        # A CSV row without an Id would update the account holding the document; with the
        # Id of another account it asks to give that account the document.
        csv=[ACCOUNT, "", CPF, "CPF", "", "", ""],
        setup=taken(document=CPF),
    ),
    Case(
        "negative limit",
        [("credit_limit_negative", "The credit limit cannot be negative.")],
        form=("new", new_with(credit_limit="-1")),
        api=("POST", "/accounts", api_new(creditLimit=-1)),
        csv=["", NEW["email"], CPF, "CPF", "-1", "", ""],
    ),
    Case(
        "1e400",
        [("credit_limit_too_large", "The credit limit is too large: at most 999999999999.99.")],
        form=("new", new_with(credit_limit="1e400")),
        api=("POST", "/accounts", api_new()[:-1] + ', "creditLimit": 1e400}'),
        csv=["", NEW["email"], CPF, "CPF", "1e400", "", ""],
    ),
    Case(
        "tolerance while the store disables it",
        [
            (
                "tolerance_disabled",
                "This store does not use tolerance (see Store settings): an account's "
                "tolerance cannot be set.",
            )
        ],
        form=("edit", {"tolerance": "0.1"}),  # a page opened before the store switched it off
        api=("PUT", f"/accounts/{ACCOUNT}/tolerance", '{"value": 0.1}'),
        csv=[ACCOUNT, "", "", "", "", "0.1", ""],
        setup=no_tolerance,
    ),
    Case(
        "a stale version",
        [
            (
                "stale_version",
                "Changed by ana on 2 December 2026, 14:02 through Web form since you last "
                "saw it: nothing was saved, so that change is kept. Check the account and save "
                "again if your values are still right. Credit limit is now 2,000.00 (yours: "
                "300.00).",
            )
        ],
        form=("edit", {"credit_limit": "300"}),
        api=("PUT", f"/accounts/{ACCOUNT}/creditlimit", '{"value": 300}'),
        csv=[ACCOUNT, "", "", "", "300", "", ""],
        interfere=ana_raises_the_limit,
    ),
]


def through_the_form(case: Case, client) -> list[tuple[str, str]]:
    page, fields = case.form
    if page == "new":
        response = client.post(reverse("accounts:create"), fields)
    else:
        account = Account.objects.get(pk=ACCOUNT)
        opened_at = account.version
        if case.interfere:
            case.interfere()
            account.refresh_from_db()
        current = {
            "email": account.email,
            "credit_limit": account.credit_limit,
            "tolerance": account.tolerance,
        }
        response = client.post(
            reverse("accounts:change", args=[ACCOUNT]),
            {**current, **fields, "version": opened_at},
        )
    assert response.status_code == 200, "the form was saved"
    return [
        (error.code, next(iter(error)))
        for errors in response.context["form"].errors.as_data().values()
        for error in errors
    ]


def through_the_api(case: Case, client) -> list[tuple[str, str]]:
    api_key, token = services.create_api_key(name="ERP", scopes=["read", "write", "credit"])
    headers = key_headers(api_key, token)
    method, path, body = case.api
    if case.interfere:
        headers["If-Match"] = f'"{Account.objects.get(pk=ACCOUNT).version}"'
        case.interfere()
    response = client.generic(
        method, f"{API}{path}", data=body, content_type="application/json", headers=headers
    )
    assert 400 <= response.status_code < 500, response.content
    answer = response.json()
    if "fields" not in answer:
        return [(answer["code"], answer["message"])]
    return [
        (error["code"], error["message"])
        for errors in answer["fields"].values()
        for error in errors
    ]


def through_a_csv(case: Case, manager, capture) -> list[tuple[str, str]]:
    content = csv_bytes([case.csv], encoding=case.csv_encoding)
    with capture(execute=True):
        job = import_services.create_import_job(
            uploaded_file=SimpleUploadedFile("one.csv", content), user=manager
        )
    if case.interfere:
        case.interfere()
    with capture(execute=True):
        import_services.confirm_import_job(job_id=job.pk, user=manager)
    return [(error.code, error.message) for error in job.row_errors.order_by("row_number", "id")]


@pytest.mark.parametrize("channel", ["form", "api", "csv"])
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_every_channel_refuses_the_same_input_with_the_same_code_and_message(
    case, channel, client, manager, django_capture_on_commit_callbacks
):
    case.setup()
    before = {account.pk: account.version for account in Account.objects.all()}
    if channel == "form":
        if case.form is None:
            pytest.skip("no page can send this input")
        client.force_login(manager)
        answer = through_the_form(case, client)
    elif channel == "api":
        answer = through_the_api(case, client)
    else:
        answer = through_a_csv(case, manager, django_capture_on_commit_callbacks)
    assert answer == case.expected
    # Nothing was written by the refused change (the interfering one aside).
    interfered = 1 if case.interfere else 0
    after = {account.pk: account.version for account in Account.objects.all()}
    assert after == {pk: version + interfered * (pk == ACCOUNT) for pk, version in before.items()}


@dataclass(frozen=True)
class Doubt:
    """A value that reads two ways, as each channel sends it, and its one reading."""

    name: str
    expected: tuple[str, str]
    form: dict
    api: str
    csv: list[str]
    stored: dict[str, object]


DOUBTS = [
    Doubt(
        "1.500 in English",
        (
            "amount_ambiguous",
            "“1.500” could be 1500.00 (with “.” separating thousands) or 1.5. Write 1500, or "
            "the amount with two decimals, so that it reads one way only.",
        ),
        form=new_with(credit_limit="1.500"),
        api=api_new(creditLimit="1.500"),
        csv=["", NEW["email"], CPF, "CPF", "1.500", "", ""],
        stored={"credit_limit": Decimal("1500.00")},
    ),
    Doubt(
        "a CPF whose leading zero a spreadsheet dropped",
        (
            "document_changed_by_spreadsheet",
            "“8532061982.0” looks like the CPF 085.320.619-82 after a spreadsheet turned it "
            "into a number (dropping its leading zeros or adding .0). Check that it is the "
            "customer's, and type it as 085.320.619-82 (in a spreadsheet, format the column as "
            "Text first).",
        ),
        form=new_with(document="8532061982.0"),
        api=api_new(document="8532061982.0"),
        csv=["", NEW["email"], "8532061982.0", "CPF", "", "", ""],
        stored={"document": "08532061982"},
    ),
]


@pytest.mark.parametrize("doubt", DOUBTS, ids=[doubt.name for doubt in DOUBTS])
def test_a_doubtful_value_is_refused_where_it_applies_at_once_and_a_warning_in_an_import(
    doubt, client, manager, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    refused_by_the_form = through_the_form(
        Case(doubt.name, [], ("new", doubt.form), (), []), client
    )
    refused_by_the_api = through_the_api(
        Case(doubt.name, [], None, ("POST", "/accounts", doubt.api), []), client
    )
    assert refused_by_the_form == refused_by_the_api == [doubt.expected]
    assert not Account.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        job = import_services.create_import_job(
            uploaded_file=SimpleUploadedFile("one.csv", csv_bytes([doubt.csv])), user=manager
        )
    job.refresh_from_db()
    assert not job.row_errors.exists()
    assert [(warning.code, warning.message) for warning in job.row_warnings.all()] == [
        doubt.expected
    ]
    with pytest.raises(ImportJob.WarningsNotAcknowledged):
        import_services.confirm_import_job(job_id=job.pk, user=manager)
    assert not Account.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        import_services.confirm_import_job(job_id=job.pk, user=manager, acknowledged_warnings=1)
    account = Account.objects.get()
    assert {field: getattr(account, field) for field in doubt.stored} == doubt.stored


def hidden_character(value: str, name: str, position: int) -> list[tuple[str, str]]:
    return [
        (
            "invisible_character",
            f"“{value}” holds a character nobody can see ({name}, character {position}), which "
            "usually comes with a copy from a web page or another program. Type the value again.",
        )
    ]


def other_digits(value: str, *, code: str = "text_non_ascii_digits") -> list[tuple[str, str]]:
    advice = "type it again" if code == "text_non_ascii_digits" else "type the number"
    return [(code, f"“{value}” has digits other than 0 to 9: {advice} with the digits 0 to 9.")]


SOFT_HYPHENED = "ana@exam\u00adple.com"
WIDE_CPF = "５２９.９８２.２４７-２５"
# Invisible characters and other scripts' digits: pasted from a web page, a PDF, a phone.
CHARACTER_CASES = [
    Case(
        "a soft hyphen in an e-mail's domain",
        hidden_character(SOFT_HYPHENED, "U+00AD SOFT HYPHEN", 9),
        form=("new", new_with(email=SOFT_HYPHENED)),
        api=("POST", "/accounts", api_new(email=SOFT_HYPHENED)),
        csv=["", SOFT_HYPHENED, CPF, "CPF", "", "", ""],
    ),
    Case(
        "a zero-width space in an Other document",
        hidden_character("AB\u200b123", "U+200B ZERO WIDTH SPACE", 3),
        form=("new", new_with(document="AB\u200b123", document_type="Other")),
        api=("POST", "/accounts", api_new(document="AB\u200b123", documentType="Other")),
        csv=["", NEW["email"], "AB\u200b123", "Other", "", "", ""],
    ),
    Case(
        "a CPF in full-width digits",
        other_digits(WIDE_CPF),
        form=("new", new_with(document=WIDE_CPF)),
        api=("POST", "/accounts", api_new(document=WIDE_CPF)),
        csv=["", NEW["email"], WIDE_CPF, "CPF", "", "", ""],
    ),
    Case(
        "an Other document in Arabic-Indic digits",
        other_digits("RG ١٢٣"),
        form=("new", new_with(document="RG ١٢٣", document_type="Other")),
        api=("POST", "/accounts", api_new(document="RG ١٢٣", documentType="Other")),
        csv=["", NEW["email"], "RG ١٢٣", "Other", "", "", ""],
    ),
    Case(
        "a limit in full-width digits",
        other_digits("１２３", code="non_ascii_digits"),
        form=("edit", {"credit_limit": "１２３"}),
        api=("PUT", f"/accounts/{ACCOUNT}/creditlimit", '{"value": "１２３"}'),
        csv=[ACCOUNT, "", "", "", "１２３", "", ""],
    ),
    Case(
        "a limit with a zero-width space",
        hidden_character("12\u200b3", "U+200B ZERO WIDTH SPACE", 3),
        form=("new", new_with(credit_limit="12\u200b3")),
        api=("POST", "/accounts", api_new(creditLimit="12\u200b3")),
        csv=["", NEW["email"], CPF, "CPF", "12\u200b3", "", ""],
    ),
]


@pytest.mark.parametrize("channel", ["form", "api", "csv"])
@pytest.mark.parametrize("case", CHARACTER_CASES, ids=[case.name for case in CHARACTER_CASES])
def test_invisible_characters_and_other_digits_get_the_same_answer_in_every_channel(
    case, channel, client, manager, django_capture_on_commit_callbacks
):
    test_every_channel_refuses_the_same_input_with_the_same_code_and_message(
        case, channel, client, manager, django_capture_on_commit_callbacks
    )
