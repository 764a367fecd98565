"""A new manager imports accounts in Chromium: template, upload, progress, preview, confirm,
history; then a file with bad rows and its error report."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.factories import valid_cpf
from tests.imports.conftest import recreate_staff_groups

# The drop zone's sentence labels the file input under it.
DROP_ZONE = "Drop your spreadsheet (.xlsx, .ods) or CSV here, or choose a file"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def database_tasks(settings, transactional_db):
    # Uploads queue their work for a real worker, which the test runs when it wants to.
    settings.TASKS = DATABASE_TASKS
    recreate_staff_groups()


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def go_to_upload(page) -> None:
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("Update: upload a filled template").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_label(DROP_ZONE)).to_be_visible()


def upload_and_validate(page, path: Path) -> None:
    page.get_by_label(DROP_ZONE).set_input_files(str(path))
    page.get_by_role("button", name="Import file").click()
    expect(page.locator("#job-progress")).to_contain_text("Waiting for the background worker")
    run_worker()
    # The progress fragment polls, sees the job moved on and reloads the page by itself.
    expect(page.locator("#preview, #file-error")).to_be_visible()


def test_manager_imports_accounts_then_fixes_bad_rows_from_the_error_report(
    page, log_in, database_tasks, tmp_path
):
    log_in()
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="Import", exact=True).click()
    expect(page.get_by_text("Do you want to create or update accounts?")).to_be_visible()
    page.get_by_label("Create: download the template").check()
    page.get_by_role("button", name="Continue").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download template (CSV)").click()
    template = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    header = next(csv.reader(io.StringIO(template)))
    assert header[:3] == ["Id", "Email", "Document"]

    # Filled in a spreadsheet program in Portuguese: semicolons and decimal commas.
    filled = tmp_path / "contas.csv"
    with filled.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(header)
        for number in range(5):
            cells = dict.fromkeys(header, "")
            cells.update(
                {
                    "Email": f"cliente{number}@example.com",
                    "Document": valid_cpf(300_000_000 + number),
                    "Document Type": "CPF",
                    "Credit limit": "1.500,00",
                    "Tolerance rate": "0,05",
                }
            )
            writer.writerow([cells[name] for name in header])

    go_to_upload(page)
    upload_and_validate(page, filled)
    preview = page.locator("#preview")
    expect(preview.locator('[data-count="create"]')).to_have_text("5")
    expect(preview.locator('[data-count="errors"]')).to_have_text("0")
    expect(page.locator("#job-notes")).to_contain_text("Semicolon-separated file")
    page.get_by_role("button", name="Confirm import").click()
    expect(page.locator("#job-progress")).to_contain_text("Applying the changes")
    run_worker()
    expect(page.locator("#result")).to_be_visible()
    expect(page.locator('[data-status="completed"]')).to_be_visible()
    expect(page.locator('#result [data-count="created"]')).to_have_text("5")

    page.goto("/")
    page.get_by_role("link", name="cliente3@example.com").click()
    expect(page.locator("#credit-limit")).to_contain_text("1,500.00")
    expect(page.locator("#history")).to_contain_text(re.compile(r"Import #\d+ · row 5"))

    # A second file with 3 bad rows.
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Email,Document,Document Type,Credit limit,Tolerance rate\r\n"
        f"ok@example.com,{valid_cpf(400_000_000)},CPF,100,0\r\n"
        "not-an-email,529.982.247-25,CPF,100,0\r\n"
        f"b@example.com,{valid_cpf(400_000_001)},CPF,lots,0\r\n"
        f"c@example.com,{valid_cpf(400_000_002)},CPF,100,20\r\n",
        encoding="utf-8",
    )
    go_to_upload(page)
    upload_and_validate(page, bad)
    table = page.locator("#row-errors-table")
    expect(table).to_contain_text("“not-an-email” is not a valid e-mail address.")
    expect(table).to_contain_text("“lots” is not a number.")
    expect(table).to_contain_text("Did you mean 0.20 = 20%?")
    rows = table.locator("tbody tr td:first-child")
    expect(rows).to_have_text(["3", "4", "5"])
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download error report").click()
    report = Path(download_info.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert report[0].endswith(",Errors")
    assert [line.split(",")[0] for line in report[1:]] == [
        "not-an-email",
        "b@example.com",
        "c@example.com",
    ]

    page.get_by_role("link", name="Import history").first.click()
    expect(page.locator("#import-jobs tbody tr")).to_have_count(2)
    expect(page.locator("#import-jobs")).to_contain_text("bad.csv")
    expect(page.locator("#import-jobs")).to_contain_text("contas.csv")


def test_manager_drops_an_excel_workbook_sees_the_preview_and_confirms(
    page, log_in, database_tasks
):
    from tests.imports.spreadsheet_files import xlsx_bytes

    content = xlsx_bytes(
        [
            ["Id", "Email", "Document", "Document Type", "Credit limit", "Tolerance rate"],
            ["", "planilha@example.com", valid_cpf(500_000_000), "CPF", 2500.5, 0.1],
            ["", "outra@example.com", valid_cpf(500_000_001), "CPF", 800, 0],
        ]
    )
    log_in()
    go_to_upload(page)
    # A real drop: a DataTransfer holding the file, dropped on the zone.
    page.evaluate(
        """([bytes, name]) => {
            const file = new File([new Uint8Array(bytes)], name, {type: ""});
            const transfer = new DataTransfer();
            transfer.items.add(file);
            document.getElementById("drop-zone").dispatchEvent(
                new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true})
            );
        }""",
        [list(content), "contas.xlsx"],
    )
    expect(page.locator("#chosen-file")).to_have_text("contas.xlsx")
    page.get_by_role("button", name="Import file").click()
    run_worker()
    preview = page.locator("#preview")
    expect(preview.locator('[data-count="create"]')).to_have_text("2")
    expect(preview.locator('[data-count="errors"]')).to_have_text("0")
    expect(page.locator("#job-notes")).to_contain_text("The sheet “Accounts” was read.")
    expect(preview).to_contain_text("planilha@example.com")
    page.get_by_role("button", name="Confirm import").click()
    run_worker()
    expect(page.locator('#result [data-count="created"]')).to_have_text("2")

    page.goto("/")
    page.get_by_role("link", name="planilha@example.com").click()
    expect(page.locator("#credit-limit")).to_contain_text("2,500.50")


def test_manager_checks_the_warnings_before_a_doubtful_file_can_be_confirmed(
    page, log_in, database_tasks, tmp_path
):
    from tests.factories import AccountFactory

    ana = AccountFactory(pk="ana-1", email="ana@example.com", document=valid_cpf(600_000_000))
    doubtful = tmp_path / "doubtful.csv"
    doubtful.write_text(
        "Id,Email,Document,Document Type,Credit limit\r\n"
        f",new@example.com,{valid_cpf(85_320_619).lstrip('0')}.0,CPF,1.500\r\n"
        f"{ana.pk},ana.silva@example.com,,,\r\n",
        encoding="utf-8",
    )
    log_in()
    go_to_upload(page)
    upload_and_validate(page, doubtful)

    warnings = page.locator("#row-warnings")
    expect(warnings.get_by_role("heading")).to_have_text("3 warnings: check these rows")
    expect(warnings).to_contain_text("“1.500” could be 1500.00")
    expect(warnings).to_contain_text("looks like the CPF 085.320.619-82")
    expect(warnings).to_contain_text(
        "This row changes the e-mail of account ana-1 from ana@example.com to "
        "ana.silva@example.com."
    )
    expect(warnings.locator("tbody tr").nth(1)).to_contain_text("1,500.00")
    expect(warnings.get_by_role("link", name="ana-1")).to_have_attribute("href", "/accounts/ana-1/")

    # The box must be ticked: the browser will not send the form without it.
    page.get_by_role("button", name="Confirm import").click()
    expect(page.locator("#preview")).to_be_visible()
    page.get_by_label("I checked the 3 warnings").check()
    page.get_by_role("button", name="Confirm import").click()
    run_worker()
    expect(page.locator('#result [data-count="created"]')).to_have_text("1")
    expect(page.locator('#result [data-count="updated"]')).to_have_text("1")

    page.goto("/accounts/ana-1/")
    expect(page.locator("main")).to_contain_text("ana.silva@example.com")
