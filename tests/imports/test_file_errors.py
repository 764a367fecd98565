"""Bad files get a clear answer on the job page, and nothing is applied."""

import codecs

import pytest

from accounts.history import stored_text
from accounts.models import Account
from imports.models import ImportJob
from tests.factories import valid_cpf
from tests.imports.conftest import HEADER, csv_bytes, row_errors

pytestmark = pytest.mark.django_db

ROW = ["", "ana@example.com", "529.982.247-25", "CPF", "1500.00", "0.05", ""]


def assert_rejected(job: ImportJob, message: str) -> None:
    assert job.status == ImportJob.Status.FAILED
    assert message in job.file_error
    assert job.row_errors.count() == 0
    assert not job.can_retry
    assert Account.objects.count() == 0


def test_empty_file_is_rejected(upload):
    assert_rejected(upload(b""), "The file is empty.")
    assert_rejected(upload(b"\xef\xbb\xbf\r\n\r\n"), "The file is empty.")


def test_header_only_file_is_rejected(upload):
    job = upload(csv_bytes([]))
    assert_rejected(job, "The file has a header row but no accounts")


def test_image_renamed_to_csv_is_rejected_as_not_text(upload):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    job = upload(png, name="photo.csv")
    assert_rejected(job, "This file is neither a spreadsheet nor a CSV text file")


def test_broken_zip_renamed_to_csv_is_refused_as_not_a_spreadsheet(upload):
    job = upload(b"PK\x03\x04" + b"\x00" * 100, name="accounts.csv")
    assert_rejected(job, "This file is not a spreadsheet the import can read")


def test_file_over_the_limit_is_rejected_before_it_is_read(upload, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    job = upload(csv_bytes([ROW, ROW, ROW]))
    assert_rejected(job, "the limit is 100\xa0bytes")
    assert not job.file  # never stored


def test_missing_email_column_is_named(upload):
    header = [name for name in HEADER if name != "Email"]
    job = upload(csv_bytes([["", "52998224725", "CPF", "1", "0", ""]], header=header))
    assert_rejected(job, "The file has no Email column.")


def test_unknown_column_is_named_with_the_closest_known_name(upload):
    header = ["Id", "Emial", "Document", "Document Type"]
    job = upload(csv_bytes([["", "ana@example.com", "52998224725", "CPF"]], header=header))
    assert_rejected(job, "Unknown column “Emial” (column B). Did you mean “Email”?")


def test_duplicated_column_is_named_with_both_positions(upload):
    header = ["Email", "Document", "E-mail"]
    job = upload(csv_bytes([["a@example.com", "52998224725", "b@example.com"]], header=header))
    assert_rejected(
        job, "The column “E-mail” appears twice (columns A and C). Keep only one of them."
    )


def test_semicolon_file_from_excel_is_read_with_decimal_commas(upload, confirm):
    rows = [
        ["", "joão@example.com", "529.982.247-25", "CPF", "1.500,00", "0,05", ""],
        ["", "maria@example.com", valid_cpf(111222333), "cpf", "1.500", "0,1", "Open"],
    ]
    content = csv_bytes(rows, delimiter=";", encoding="cp1252")
    job = upload(content)
    assert job.status == ImportJob.Status.READY_TO_CONFIRM, job.file_error
    assert job.delimiter == ";"
    assert job.encoding == "cp1252"
    assert "Semicolon-separated file" in "\n".join(job.note_texts)
    assert "Windows-1252" in "\n".join(job.note_texts)
    assert [message for _row, _column, message in row_errors(job)] == [
        "“joão@example.com” is not a valid e-mail address."
    ]
    confirm(job)
    maria = Account.objects.get(email="maria@example.com")
    assert str(maria.credit_limit) == "1500.00"  # 1.500 in a `;` file is fifteen hundred
    assert str(maria.tolerance) == "0.1000"


def test_accents_survive_utf8_with_and_without_bom_and_windows_1252(upload, confirm):
    header = ["Email", "Document", "Document Type"]
    for number, (encoding, bom) in enumerate(
        [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("cp1252", b"")]
    ):
        document = "Cédula Ñandú " + str(number)
        content = bom + csv_bytes(
            [[f"user{number}@example.com", document, "Other"]], header=header, encoding=encoding
        )
        job = confirm(upload(content))
        assert job.status == ImportJob.Status.COMPLETED, (encoding, job.file_error)
        assert Account.objects.get(email=f"user{number}@example.com").document == document


def test_tab_separated_lf_file_with_quoted_fields_and_blank_lines(upload, confirm):
    content = (
        b"Email\tDocument\tDocument Type\n"
        b"\n"
        b'"a@example.com"\t"Name, with ""comma"" and quotes"\tOther\n'
        b"\t\t\n"
        b"b@example.com\t52998224725\tCPF\n"
    )
    job = confirm(upload(content))
    assert job.status == ImportJob.Status.COMPLETED
    assert "Tab-separated file" in "\n".join(job.note_texts)
    assert Account.objects.get(email="a@example.com").document == 'Name, with "comma" and quotes'
    history_sources = set(
        map(
            stored_text,
            Account.history.filter(email="b@example.com").values_list("history_source", flat=True),
        )
    )
    assert history_sources == {f"Import #{job.pk} row 5"}


def test_crlf_file_with_quoted_line_break_keeps_spreadsheet_row_numbers(upload):
    content = (
        b"Email,Document,Document Type\r\n"
        b'a@example.com,"two\r\nlines",Other\r\n'
        b"not-an-email,52998224725,CPF\r\n"
    )
    job = upload(content)
    assert row_errors(job) == [
        (
            2,
            "Document",
            "“two\r\nlines” holds a character nobody can see (U+000D CARRIAGE RETURN, "
            "character 4), which usually comes with a copy from a web page or another program. "
            "Type the value again.",
        ),
        (3, "Email", "“not-an-email” is not a valid e-mail address."),
    ]


def test_file_without_its_header_row_is_told_to_add_it(upload):
    job = upload(csv_bytes([ROW[1:4]], header=None))
    assert_rejected(job, "The first row looks like an account (“ana@example.com”), not the header.")
