"""Row-level rules: every rule of the New form, and the template's row semantics."""

from decimal import Decimal

import pytest

from accounts.history import stored_text
from accounts.models import Account, AccountStatus
from imports.models import ImportJob
from tests.factories import AccountFactory, valid_cnpj, valid_cpf
from tests.imports.conftest import csv_bytes, row_errors

pytestmark = pytest.mark.django_db

CPF = "529.982.247-25"


def test_each_bad_cell_is_reported_with_its_row_column_and_the_forms_message(upload):
    rows = [
        ["", "ok@example.com", CPF, "CPF", "1500", "0.05", ""],  # row 2: fine
        ["", "", valid_cpf(1), "CPF", "", "", ""],  # row 3: e-mail required
        ["", "not-an-email", valid_cpf(2), "CPF", "", "", ""],
        ["", "c@example.com", "123.456.789-00", "CPF", "", "", ""],
        ["", "d@example.com", "11111111111", "CPF", "", "", ""],
        ["", "e@example.com", "11.222.333/0001-00", "CNPJ", "", "", ""],
        ["", "f@example.com", valid_cpf(3), "Passport", "", "", ""],
        ["", "g@example.com", valid_cpf(4), "CPF", "-5", "", ""],
        ["", "h@example.com", valid_cpf(5), "CPF", "abc", "", ""],  # not a number
        ["", "i@example.com", valid_cpf(6), "CPF", "1e20", "", ""],  # absurdly large
        ["", "j@example.com", valid_cpf(7), "CPF", "10.5555", "", ""],
        ["", "k@example.com", valid_cpf(8), "CPF", "", "20", ""],  # percent, not fraction
        ["", "l@example.com", valid_cpf(9), "CPF", "", "5%", ""],
        ["", "m@example.com", "", "CPF", "", "", ""],  # document required for new
        ["", "n@example.com", valid_cpf(10), "CPF", "", "", "Maybe"],
        ["", "o@example.com", valid_cpf(11), "CPF", "", "", "Closed"],
        # 1500 or 1.50? The file's 0.05 and 10.5555 show decimal points: fifteen hundred.
        ["", "p@example.com", valid_cpf(12), "CPF", "1,500", "", ""],
        ["", "q@example.com", valid_cpf(13), "CPF", "１５００", "", ""],  # full-width digits
    ]
    job = upload(csv_bytes(rows))
    assert job.status == ImportJob.Status.READY_TO_CONFIRM
    assert row_errors(job) == [
        (3, "Email", "Enter the customer's e-mail."),
        (4, "Email", "“not-an-email” is not a valid e-mail address."),
        (
            5,
            "Document",
            "This CPF is not valid: check the digits (the last two are check digits).",
        ),
        (
            6,
            "Document",
            "This CPF is not valid: check the digits (the last two are check digits).",
        ),
        (
            7,
            "Document",
            "This CNPJ is not valid: check the characters (the last two are check digits).",
        ),
        (8, "Document Type", "Unknown document type “Passport”: use CPF, CNPJ or Other."),
        (9, "Credit limit", "The credit limit cannot be negative."),
        (10, "Credit limit", "“abc” is not a number."),
        (11, "Credit limit", "The credit limit is too large: at most 999999999999.99."),
        (12, "Credit limit", "The credit limit has at most 2 decimal places, e.g. 1500.50."),
        (
            13,
            "Tolerance rate",
            "The tolerance is a fraction between 0 and 1 (0.05 = 5%). Did you mean 0.20 = 20%?",
        ),
        (
            14,
            "Tolerance rate",
            "The tolerance is a fraction between 0 and 1 (0.05 = 5%). Did you mean 0.05 = 5%?",
        ),
        (15, "Document", "Enter the customer's document."),
        (16, "Status", "Unknown status “Maybe”: use Open or Closed."),
        (17, "Status", "A new account is always open: leave Status blank or write Open."),
        (
            19,
            "Credit limit",
            "“１５００” has digits other than 0 to 9: type the number with the digits 0 to 9.",
        ),
    ]
    assert job.error_count == 16
    assert (job.to_create, job.warning_count) == (2, 0)
    assert "row 2, Tolerance rate" in "\n".join(job.note_texts)
    values = dict(job.row_errors.filter(row_number=14).values_list("column", "value"))
    assert values == {"Tolerance rate": "5%"}


def test_unknown_id_is_a_row_error(upload):
    job = upload(csv_bytes([["no-such-id", "a@example.com", "", "", "100", "", ""]]))
    assert row_errors(job) == [
        (
            2,
            "Id",
            "No account has the Id “no-such-id”. Copy the Id from an export, or leave Id blank "
            "to create a new account.",
        )
    ]


def test_an_id_holding_a_nul_is_a_row_error_not_a_failed_job(upload):
    """PostgreSQL refuses even to compare text holding NUL: the planner never asks it."""
    job = upload(csv_bytes([["a\x00b", "a@example.com", "", "", "100", "", ""]], encoding="utf-16"))
    assert job.status == ImportJob.Status.READY_TO_CONFIRM
    assert row_errors(job) == [
        (
            2,
            "Id",
            "“a\ufffdb” holds an invisible NUL character (shown as \ufffd), which cannot be "
            "stored; it usually comes from a damaged file or a copy from another program. "
            "Type the value again.",
        )
    ]


def test_closed_account_cannot_be_reopened_by_a_file(upload):
    closed = AccountFactory(status=AccountStatus.CLOSED)
    job = upload(csv_bytes([[closed.pk, "", "", "", "", "", "Open"]]))
    assert row_errors(job) == [
        (
            2,
            "Status",
            "A closed account cannot be reopened. Open a new account for this customer instead "
            "(leave Id blank).",
        )
    ]


def test_same_account_twice_in_a_file_is_an_error_on_the_later_row_naming_the_first(upload):
    account = AccountFactory()
    rows = [
        [account.pk, "", "", "", "700", "", ""],
        ["", "new@example.com", CPF, "CPF", "", "", ""],
        [account.pk, "", "", "", "900", "", ""],
        ["", "other@example.com", "52998224725", "CPF", "", "", ""],
        ["", "new@example.com", valid_cnpj(5), "CNPJ", "", "", ""],
        ["", "x@example.com", account.document, "CPF", "", "", ""],
    ]
    job = upload(csv_bytes(rows))
    assert row_errors(job) == [
        (
            4,
            "Id",
            "This account is already in row 2 of this file. Keep one row per account: merge "
            "the two rows.",
        ),
        (
            5,
            "Document",
            "Row 3 of this file already has this document: the same account cannot be in a "
            "file twice. Merge the two rows.",
        ),
        (
            6,
            "Email",
            "Row 3 of this file already uses this e-mail: two open accounts cannot share an "
            "e-mail.",
        ),
        (
            7,
            "Document",
            "This account is already in row 2 of this file. Keep one row per account: merge "
            "the two rows.",
        ),
    ]
    assert (job.to_create, job.to_update, job.error_count) == (1, 1, 4)


def test_duplicates_of_existing_open_accounts_use_the_forms_messages(upload):
    holder = AccountFactory(email="taken@example.com")
    rows = [
        ["", "taken@example.com", CPF, "CPF", "", "", ""],
        ["", "free@example.com", holder.document, "cpf", "", "", ""],
    ]
    job = upload(csv_bytes(rows))
    assert row_errors(job) == [
        (2, "Email", f"An open account with this e-mail already exists (account {holder.pk}).")
    ]
    # The second row has no Id but the document of an open account: it updates that account.
    assert (job.to_create, job.to_update) == (0, 1)
    assert job.change_sample[0]["matched_by_document"] is True
    matched = "1 row without an Id updates the open account that has the same document."
    assert matched in job.note_texts


def test_blank_cells_leave_fields_unchanged_and_unchanged_rows_are_counted(upload, confirm):
    account = AccountFactory(credit_limit=Decimal("500.00"), tolerance=Decimal("0.05"))
    same = AccountFactory(credit_limit=Decimal("800.00"))
    rows = [
        [account.pk, "", "", "", "750", "", ""],
        [same.pk, same.email.upper(), "", "", "800", "0.05", "open"],
    ]
    job = upload(csv_bytes(rows))
    assert (job.to_update, job.unchanged_count, job.error_count) == (1, 1, 0)
    assert job.change_sample == [
        {
            "row": 2,
            "action": "update",
            "account_id": account.pk,
            "email": account.email,
            "matched_by_document": False,
            "changes": [["Credit limit", "500.00", "750.00"]],
        }
    ]
    job = confirm(job)
    account.refresh_from_db()
    assert (account.credit_limit, account.tolerance, account.version) == (
        Decimal("750.00"),
        Decimal("0.0500"),
        2,
    )
    record = account.history.first()
    assert (record.history_type, record.history_channel, stored_text(record.history_source)) == (
        "~",
        "import",
        f"Import #{job.pk} row 2",
    )
    assert record.history_user.username == "manager"
    assert same.history.count() == 1  # unchanged: no history row


def test_closing_through_a_file_is_counted_and_applied(upload, confirm):
    account = AccountFactory()
    job = upload(csv_bytes([[account.pk, "", "", "", "", "", "Closed"]]))
    assert (job.to_close, job.to_update) == (1, 0)
    assert job.change_sample[0]["action"] == "close"
    job = confirm(job)
    assert job.closed_count == 1
    account.refresh_from_db()
    assert account.status == AccountStatus.CLOSED


def test_neutralized_cells_from_an_export_are_read_back(upload, confirm):
    job = confirm(upload(csv_bytes([["", "'@odd@example.com", CPF, "CPF", "", "", ""]])))
    assert row_errors(job) == [(2, "Email", "“@odd@example.com” is not a valid e-mail address.")]


def test_changing_only_the_document_type_is_checked_against_other_open_accounts(upload):
    holder = AccountFactory(document_type="Other", document="52998224725")
    account = AccountFactory(document="52998224725")
    job = upload(csv_bytes([[account.pk, "", "", "other", "", "", ""]]))
    assert row_errors(job) == [
        (
            2,
            "Document",
            f"An open account with this document already exists (account {holder.pk}).",
        )
    ]


def test_rows_changing_different_fields_in_one_batch_each_keep_their_other_fields(upload, confirm):
    renamed = AccountFactory(credit_limit=Decimal("100.00"))
    raised = AccountFactory(credit_limit=Decimal("100.00"))
    job = confirm(
        upload(
            csv_bytes(
                [
                    [renamed.pk, "renamed@example.com", "", "", "", "", ""],
                    [raised.pk, "", "", "", "900", "", ""],
                ]
            )
        )
    )
    assert job.updated_count == 2
    renamed.refresh_from_db()
    raised.refresh_from_db()
    assert (renamed.email, renamed.credit_limit, renamed.version) == (
        "renamed@example.com",
        Decimal("100.00"),
        2,
    )
    assert raised.credit_limit == Decimal("900.00")
    assert raised.email.startswith("customer")
    assert [record.email for record in renamed.history.all()] == [
        "renamed@example.com",
        renamed.history.last().email,
    ]


def test_documents_a_spreadsheet_turned_into_numbers_are_read_back_as_warnings_or_refused(
    upload, confirm
):
    with_leading_zero = valid_cpf(12_345_678)  # "012345678.."
    assert with_leading_zero.startswith("0")
    rows = [
        ["", "a@example.com", with_leading_zero.lstrip("0"), "CPF", "", "", ""],
        ["", "b@example.com", "52998224725.0", "CPF", "", "", ""],
        ["", "c@example.com", "5,29982E+10", "CPF", "", "", ""],
    ]
    job = upload(csv_bytes(rows))
    masked = f"{with_leading_zero[:3]}.{with_leading_zero[3:6]}.{with_leading_zero[6:9]}-"
    masked += with_leading_zero[9:]
    assert [message for _row, _column, message in row_errors(job)] == [
        "“5,29982E+10” is a document a spreadsheet wrote in scientific notation, keeping only "
        "its first digits: it cannot be read back. Format the Document column as Text in the "
        "spreadsheet, type the document again and save the file."
    ]
    assert list(
        job.row_warnings.values_list("row_number", "column", "value", "stored_value")
    ) == [
        (2, "Document", with_leading_zero.lstrip("0"), with_leading_zero),
        (3, "Document", "52998224725.0", "52998224725"),
    ]
    assert job.row_warnings.first().message.startswith(
        f"“{with_leading_zero.lstrip('0')}” looks like the CPF {masked} after a spreadsheet"
    )
    confirm(job)
    assert dict(Account.objects.values_list("email", "document")) == {
        "a@example.com": with_leading_zero,
        "b@example.com": "52998224725",
    }


def test_a_rule_on_a_column_the_file_lacks_names_the_template_column(upload):
    job = upload(csv_bytes([["new@example.com", "1500"]], header=["Email", "Credit limit"]))
    assert row_errors(job) == [(2, "Document", "Enter the customer's document.")]
