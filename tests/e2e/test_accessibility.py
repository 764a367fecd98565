"""Every page, for every person who can open it: axe-core finds no serious or critical
problem, in English, Spanish and Portuguese, on a laptop (1440 px) and a phone (390 px),
and nothing scrolls sideways on the phone.

One browser for the whole sweep, one context per role and language (a test each, so a
failure names who could not use which page); each page is loaded once and read at both
widths by resizing the viewport.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from axe_playwright_python.base import AXE_FILE_PATH
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from accounts import services as account_services
from accounts.history import ChangeSource, Channel
from accounts.models import StoreSettings
from imports import services as import_services
from imports.models import ImportJob
from ledger import services as ledger_services
from tests.factories import AccountFactory, UserFactory, valid_cpf
from tests.imports.conftest import recreate_staff_groups

LANGUAGES = ["en", "es", "pt-br"]
LAPTOP, PHONE = 1440, 390
BLOCKING_IMPACTS = {"serious", "critical"}
MANAGER, VIEWER, ANONYMOUS = "manager", "viewer", "anonymous"
STAFF = {MANAGER: "Credit managers", VIEWER: "Credit viewers"}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# axe-core as bundled by axe-playwright-python, loaded into every page by the context.
RUN_AXE = "() => axe.run(document, {resultTypes: ['violations']})"
# The page, and any box in it, that scrolls sideways (a table in a scrolling wrapper).
SCROLLERS = """() => {
  const found = [];
  if (document.documentElement.scrollWidth > document.documentElement.clientWidth) {
    found.push("the page itself (" + document.documentElement.scrollWidth + " px wide)");
  }
  for (const element of document.querySelectorAll("body *")) {
    const overflow = getComputedStyle(element).overflowX;
    if ((overflow === "auto" || overflow === "scroll")
        && element.scrollWidth > element.clientWidth + 1) {
      found.push(element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
                 + "." + [...element.classList].join("."));
    }
  }
  return found;
}"""


@dataclass(frozen=True)
class Visit:
    """A page as one kind of person reaches it: a path, then optionally a step on it."""

    name: str
    path: str
    roles: tuple[str, ...]
    step: str = ""  # "submit": press the page's main button first (a form with errors)


HEADER = "Id,Email,Document,Document Type,Credit limit,Tolerance rate,Status"


def _job(manager, *lines: str, validate: bool = True) -> ImportJob:
    content = "\r\n".join(lines).encode()
    uploaded = SimpleUploadedFile("clientes.csv", content, content_type="text/csv")
    job = import_services.create_import_job(uploaded_file=uploaded, user=manager)
    if validate:
        job = import_services.run_validation(job_id=job.pk)
    return job


def _jobs(manager, closing_id: str) -> dict[str, ImportJob]:
    """One import job in every state its page can show."""
    with_errors = (
        HEADER,
        f",nova@example.com,{valid_cpf(500_000_001)},CPF,1500,0.05,",
        ",not-an-email,529.982.247-25,CPF,100,0,",
        f",b@example.com,{valid_cpf(500_000_002)},CPF,lots,0,",
        f",c@example.com,{valid_cpf(500_000_003)},CPF,100,20,",
        f"{closing_id},,,,,,Closed",
    )
    clean = (HEADER, f",limpa@example.com,{valid_cpf(500_000_004)},CPF,800,0,",)
    jobs = {
        "uploaded": _job(manager, *clean, validate=False),
        "validating": _job(manager, *clean, validate=False),
        "ready_to_confirm": _job(manager, *with_errors),
        "failed_file": _job(manager, "nonsense;header", "1;2"),
        "cancelled": _job(manager, *clean),
        "importing": _job(manager, *clean),
        "completed_with_errors": _job(manager, *with_errors[:5]),
        "worker_never_started": _job(manager, *clean, validate=False),
    }
    # Checked halfway: the progress card, the badge and the row count as the poll shows them.
    ImportJob.objects.filter(pk=jobs["validating"].pk).update(
        status=ImportJob.Status.VALIDATING, rows_total=400, rows_processed=100,
        heartbeat_at=timezone.now(),
    )
    # Over the store's approval threshold (a limit of 1500): it waits for a second manager.
    store_settings = StoreSettings.load()
    store_settings.approval_credit_limit = Decimal("1000")
    store_settings.save()
    jobs["awaiting_approval"] = _job(manager, *with_errors)
    assert jobs["awaiting_approval"].status == ImportJob.Status.AWAITING_APPROVAL
    store_settings.approval_credit_limit = None
    store_settings.save()
    import_services.cancel_import_job(job_id=jobs["cancelled"].pk, user=manager)
    import_services.confirm_import_job(job_id=jobs["importing"].pk, user=manager, enqueue=False)
    finished = jobs["completed_with_errors"].pk
    import_services.confirm_import_job(job_id=finished, user=manager, enqueue=False)
    import_services.run_apply(job_id=finished)
    # Uploaded long ago and never picked up: the page shows it failed, with a retry.
    ImportJob.objects.filter(pk=jobs["worker_never_started"].pk).update(
        created_at=timezone.now() - timedelta(days=1)
    )
    return jobs


def _site(manager) -> list[Visit]:
    """The data every page needs, and the pages themselves."""
    source = ChangeSource(channel=Channel.FORM, label="manager", user_id=manager.pk)
    AccountFactory.create_batch(30)
    AccountFactory(cnpj=True, email="atacado-horizonte-longo-nome@example.com.br")
    opening = {
        "email": "maria@example.com",
        "document_type": "CPF",
        "document": valid_cpf(600_000_001),
        "credit_limit": Decimal("3000"),
        "tolerance": Decimal("0.05"),
    }
    account = account_services.open_account(values=opening, source=source).account
    account_services.change_account(
        account_id=account.pk, values={"credit_limit": Decimal("5000")}, source=source
    )
    account_services.add_holder(account_id=account.pk, email="filho@example.com", source=source)
    # An order invoiced in three installments and another one still held: the account page
    # lists invoices, the statement and movements; the overview has figures to chart.
    order = ledger_services.pre_authorize(
        account_id=account.pk, value="300", installments=3, source=source
    )
    ledger_services.settle_pre_authorization(
        account_id=account.pk, transaction_id=order.pk, value="300", source=source
    )
    ledger_services.pre_authorize(account_id=account.pk, value="120", source=source)
    StoreSettings.objects.update(
        postponement_enabled=True, invoice_postponement_limit=2, max_postponement_days=30
    )
    invoice_url = f"/credit/accounts/{account.pk}/invoices/{order.pk}-01"
    closed = AccountFactory(email="encerrada@example.com")
    account_services.close_account(account_id=closed.pk, source=source)
    jobs = _jobs(manager, closing_id=AccountFactory(email="fecha@example.com").pk)

    staff, managers, everyone = (MANAGER, VIEWER), (MANAGER,), (MANAGER, VIEWER, ANONYMOUS)
    visits = [
        Visit("accounts", "/", staff),
        Visit("accounts, no match", "/?q=nobody%40nowhere.example", staff),
        Visit("account", f"/accounts/{account.pk}/", staff),
        Visit("closed account", f"/accounts/{closed.pk}/", staff),
        Visit("new account", "/accounts/new/", managers),
        Visit("new account with errors", "/accounts/new/", managers, step="submit"),
        Visit("edit account", f"/accounts/{account.pk}/change/", managers),
        Visit("close account", f"/accounts/{account.pk}/close/", managers),
        Visit("import", "/imports/", managers),
        Visit("template help", "/imports/template/", staff),
        Visit("upload", "/imports/upload/", managers),
        Visit("import history", "/imports/history/", staff),
        Visit("API keys", "/api-keys/", managers),
        Visit("new API key", "/api-keys/new/", managers),
        Visit("API key created", "/api-keys/new/", managers, step="submit"),
        Visit("store settings", "/settings/", managers),
        Visit("credit overview", "/credit/", managers),
        Visit("mark invoice paid", f"{invoice_url}/pay/", managers),
        Visit("cancel invoice", f"{invoice_url}/cancel/", managers),
        Visit("postpone invoice", f"{invoice_url}/postpone/", managers),
        Visit("postpone invoice with errors", f"{invoice_url}/postpone/", managers, step="submit"),
        Visit("not allowed (403)", "/accounts/new/", (VIEWER,)),
        Visit("not found (404)", "/no-such-page/", everyone),
        Visit("log in", "/login/", (ANONYMOUS,)),
        Visit("log in, wrong password", "/login/", (ANONYMOUS,), step="submit"),
    ]
    visits += [
        Visit(f"import job: {state}", job.get_absolute_url(), staff)
        for state, job in jobs.items()
    ]
    return visits


def _grant_managers_the_ledger_pages() -> None:
    """The ledger's data migrations give managers the overview and the invoice actions; a
    live-server test's flush removed them with the groups."""
    Group.objects.get(name=STAFF[MANAGER]).permissions.add(
        *Permission.objects.filter(
            content_type__app_label="ledger",
            codename__in=["view_credit_overview", "change_invoice"],
        )
    )


def _log_in_cookie(username: str, live_server_url: str) -> list[dict]:
    if username == ANONYMOUS:
        return []
    client = Client()
    client.force_login(UserFactory(username=username))
    session = client.cookies["sessionid"].value
    return [{"name": "sessionid", "value": session, "url": live_server_url}]


def _take_step(page, visit: Visit) -> None:
    if visit.step != "submit":
        return
    if visit.name == "API key created":
        page.locator("#id_name").fill("ERP")
    if visit.name == "log in, wrong password":
        page.locator("#id_username").fill("someone")
        page.locator("#id_password").fill("wrong")
    with page.expect_navigation():
        page.locator("main form [type=submit]").last.click()


def _problems(page, visit: Visit) -> list[str]:
    """What axe-core finds on the page at each width, and what scrolls sideways on a phone."""
    response = page.goto(visit.path)
    assert response is not None
    _take_step(page, visit)
    found = []
    for width in (LAPTOP, PHONE):
        # Resized in place: the media queries apply as on a phone, without loading the
        # page (and axe-core) again.
        page.set_viewport_size({"width": width, "height": 900})
        where = f"{visit.name} ({visit.path}) at {width} px"
        found += [
            f"{where}: {violation['id']} ({violation['impact']}) {violation['help']}: "
            + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
            for violation in page.evaluate(RUN_AXE)["violations"]
            if violation["impact"] in BLOCKING_IMPACTS
        ]
        if width == PHONE:
            found += [f"{where}: scrolls sideways: {box}" for box in page.evaluate(SCROLLERS)]
    return found


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", [MANAGER, VIEWER, ANONYMOUS])
def test_every_page_is_usable_by_everyone_who_can_open_it(
    browser, live_server, transactional_db, settings, role, language
):
    settings.TASKS = DATABASE_TASKS  # jobs wait for a worker the sweep never starts
    recreate_staff_groups()
    staff = {username: UserFactory(username=username) for username in STAFF}
    for username, group in STAFF.items():
        staff[username].groups.add(Group.objects.get(name=group))
    _grant_managers_the_ledger_pages()
    visits = [visit for visit in _site(staff[MANAGER]) if role in visit.roles]

    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    context.add_init_script(path=AXE_FILE_PATH)
    context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
        + _log_in_cookie(role, live_server.url)
    )
    # A job page in progress polls for its progress card; the sweep reads a still page.
    context.route("**/progress/", lambda route: route.abort())
    page = context.new_page()
    try:
        problems = [problem for visit in visits for problem in _problems(page, visit)]
    finally:
        context.close()
    assert not problems, f"{len(problems)} problems for {role} in {language}:\n" + "\n".join(
        problems
    )


# Every control a keyboard should reach, numbered in page order (radios: the one Tab stops at).
NUMBER_CONTROLS = """() => {
  const controls = [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]'
  )].filter(control => control.tabIndex >= 0 && !control.disabled && control.checkVisibility()
    && !(control.type === "radio" && !control.checked));
  controls.forEach((control, number) => { control.dataset.keyboardStop = number; });
  return controls.map(control => control.outerHTML.slice(0, 120));
}"""
# The control that has the keyboard focus, and whether it shows it (outline or focus shadow).
FOCUSED = """() => {
  const control = document.activeElement;
  const style = getComputedStyle(control);
  const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return [control.dataset.keyboardStop ?? null, outlined || style.boxShadow !== "none"];
}"""


def test_every_control_is_reached_with_tab_and_shows_where_the_focus_is(
    browser, live_server, transactional_db, settings
):
    settings.TASKS = DATABASE_TASKS
    recreate_staff_groups()
    _grant_managers_the_ledger_pages()
    manager = UserFactory(username=MANAGER)
    manager.groups.add(Group.objects.get(name=STAFF[MANAGER]))
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": LAPTOP, "height": 900}
    )
    context.add_cookies(_log_in_cookie(MANAGER, live_server.url))
    context.route("**/progress/", lambda route: route.abort())
    page = context.new_page()
    problems = []
    try:
        for visit in _site(manager):
            if MANAGER not in visit.roles:
                continue
            page.goto(visit.path)
            _take_step(page, visit)
            controls = page.evaluate(NUMBER_CONTROLS)
            reached = set()
            for _press in range(len(controls) + 3):
                page.keyboard.press("Tab")
                number, shown = page.evaluate(FOCUSED)
                if number is None or number in reached:
                    continue
                reached.add(number)
                if not shown:
                    problems.append(f"{visit.name}: no visible focus on {controls[int(number)]}")
            problems += [
                f"{visit.name}: Tab never reaches {control}"
                for number, control in enumerate(controls)
                if str(number) not in reached
            ]
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_screen_readers_hear_an_imports_progress_by_phase_and_quarter(page, log_in, settings):
    settings.TASKS = DATABASE_TASKS
    manager = log_in()
    rows = [f",p{n}@example.com,{valid_cpf(700_000 + n)},CPF,1,0," for n in range(8)]
    job = _job(manager, HEADER, *rows)
    import_services.confirm_import_job(job_id=job.pk, user=manager, enqueue=False)
    page.goto(job.get_absolute_url())
    announcer = page.get_by_role("status")
    expect(announcer).to_be_empty()  # what the page shows on arrival is not news

    # The worker applies half the rows; the card's next poll is announced.
    ImportJob.objects.filter(pk=job.pk).update(rows_processed=4, heartbeat_at=timezone.now())
    expect(announcer).to_have_text("Applying the changes: 50%")
