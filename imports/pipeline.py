"""Rows → validated changes → applied batches: the import engine.

Three stages, each streaming and batched so that memory stays flat and the number of
queries grows with rows / batch size, never with rows:

- ``parse_rows``: the reader's records → ``ParsedRow`` (raw text per template field);
- ``validate_file``: per batch, at most three lookups (accounts by id; open accounts by the
  documents and e-mails of rows that create an account or change those fields), every field
  rule from accounts/rules.py, the row semantics of the template. The result is the *plan* —
  one line per row that changes something, with the version of the account seen at
  preview — written to storage beside the upload, plus the row errors;
- ``apply_plan``: per batch, in one transaction, lock the accounts it updates, hold back
  rows whose account changed since the preview (conflicts), write the rest in bulk through
  accounts.services.bulk_write_accounts with their history rows; a unique-index refusal
  (an account opened since the preview) sends the batch through a slower checked path.

``error_report_rows`` streams the failing rows back, as uploaded, for the error report.
"""

import csv
import io
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import rules
from accounts.history import Channel
from accounts.models import Account, AccountStatus, DocumentType, StoreSettings
from accounts.services import BulkAccountWrite, bulk_write_accounts

from . import columns, reader
from .models import ImportJob, ImportRowError

BATCH_SIZE = 2000  # rows per query round and per transaction; settings.IMPORT_BATCH_SIZE


def configured_batch_size() -> int:
    return getattr(settings, "IMPORT_BATCH_SIZE", BATCH_SIZE)


SAMPLE_SIZE = 25
ACCOUNT_VALUES = [
    "id",
    "email",
    "document_type",
    "document",
    "credit_limit",
    "tolerance",
    "status",
    "version",
]
CHANGE_FIELDS = ["email", "document_type", "document", "credit_limit", "tolerance", "status"]
DOCUMENT_TYPES = tuple(DocumentType.values)


def open_accounts_with(*, values: list[str], **lookup) -> Iterator[dict]:
    """Open accounts matching an ``__in`` lookup, as dicts.

    No ORDER BY and the status tested here rather than in SQL: otherwise SQLite's planner
    walks the (status, created_at) index over every open account instead of the e-mail or
    document index.
    """
    (values_in,) = lookup.values()
    if not values_in:
        return iter(())
    fields = list(dict.fromkeys([*values, "status"]))
    accounts = Account.objects.filter(**lookup).order_by().values(*fields)
    return (account for account in accounts if account["status"] == AccountStatus.OPEN)


class Action:
    CREATE = "create"
    UPDATE = "update"
    CLOSE = "close"


@dataclass(slots=True)
class ParsedRow:
    """One data row of the file: its spreadsheet number and the raw text of each field."""

    row_number: int
    values: dict[str, str]
    extra_cells: int = 0


@dataclass(slots=True)
class RowError:
    row_number: int
    column: str
    value: str
    message: str
    code: str

    def as_model(self, job: ImportJob) -> ImportRowError:
        return ImportRowError(
            job=job,
            row_number=self.row_number,
            column=self.column[:100],
            value=self.value[:255],
            message=self.message,
            code=self.code[:50],
        )


@dataclass(slots=True)
class Change:
    """What one valid row will do to one account (a line of the plan)."""

    row_number: int
    action: str
    account_id: str
    version: int  # the account's version at preview; 0 for a new account
    email: str
    document_type: str
    document: str
    credit_limit: Decimal
    tolerance: Decimal
    status: str

    def as_plan_line(self) -> list[str]:
        return [
            str(self.row_number),
            self.action,
            self.account_id,
            str(self.version),
            self.email,
            self.document_type,
            self.document,
            str(self.credit_limit),
            str(self.tolerance),
            self.status,
        ]

    @classmethod
    def from_plan_line(cls, line: list[str]) -> "Change":
        return cls(
            row_number=int(line[0]),
            action=line[1],
            account_id=line[2],
            version=int(line[3]),
            email=line[4],
            document_type=line[5],
            document=line[6],
            credit_limit=Decimal(line[7]),
            tolerance=Decimal(line[8]),
            status=line[9],
        )


@dataclass
class ValidationResult:
    """Counts and a sample of one file's preview."""

    rows: int = 0
    to_create: int = 0
    to_update: int = 0
    to_close: int = 0
    unchanged: int = 0
    error_rows: int = 0
    matched_by_document: int = 0
    sample: list[dict] = field(default_factory=list)


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def parse_rows(
    records: Iterable[tuple[int, list[str]]], file_format: reader.FileFormat
) -> Iterator[ParsedRow]:
    """Records → raw text per writable template field (read-only columns are dropped)."""
    positions = [
        (position, name)
        for position, name in enumerate(file_format.fields_by_position)
        if name is not None
    ]
    width = len(file_format.header)
    unquote = columns.strip_neutralizing_quote
    for row_number, cells in records:
        count = len(cells)
        values = {name: cells[position].strip() for position, name in positions if position < count}
        for name, value in values.items():
            if value[:1] == "'":
                values[name] = unquote(value)
        extra = sum(1 for cell in cells[width:] if cell.strip()) if count > width else 0
        yield ParsedRow(row_number, values, extra)


class SeenKeys:
    """Which row of the file first used a key (an account, a document, an e-mail).

    Small files stay in a dict; past ``memory_limit`` keys the table moves to a scratch
    SQLite file on the worker's disk, so a million-row file does not grow the worker's memory.
    """

    def __init__(self, memory_limit: int = 200_000) -> None:
        self.memory_limit = memory_limit
        self._memory: dict[str, int] = {}
        self._disk: sqlite3.Connection | None = None
        self._path = ""
        self._batch_known: dict[str, int] = {}
        self._batch_new: dict[str, int] = {}

    def prefetch(self, keys: Iterable[str]) -> None:
        """Load the rows of a batch's keys (one query on the scratch file once spilled)."""
        self._batch_new = {}
        if self._disk is None:
            self._batch_known = self._memory
            return
        wanted = list(set(keys))
        self._batch_known = {}
        for start in range(0, len(wanted), 900):
            chunk = wanted[start : start + 900]
            placeholders = ",".join("?" * len(chunk))
            self._batch_known.update(
                self._disk.execute(
                    f"SELECT key, row FROM seen WHERE key IN ({placeholders})",  # noqa: S608
                    chunk,
                )
            )

    def first_row(self, key: str) -> int | None:
        return self._batch_new.get(key) or self._batch_known.get(key)

    def add(self, key: str, row_number: int) -> None:
        if self.first_row(key) is None:
            self._batch_new[key] = row_number

    def end_batch(self) -> None:
        if self._disk is None:
            self._memory.update(self._batch_new)
            if len(self._memory) > self.memory_limit:
                self._spill()
        else:
            self._disk.executemany("INSERT INTO seen VALUES (?, ?)", self._batch_new.items())
        self._batch_new = {}

    def _spill(self) -> None:
        handle, self._path = tempfile.mkstemp(suffix=".sqlite3", prefix="import-keys-")
        os.close(handle)
        self._disk = sqlite3.connect(self._path)
        self._disk.execute("PRAGMA journal_mode=OFF")
        self._disk.execute("PRAGMA synchronous=OFF")
        self._disk.execute("CREATE TABLE seen (key TEXT PRIMARY KEY, row INTEGER) WITHOUT ROWID")
        self._disk.executemany("INSERT INTO seen VALUES (?, ?)", self._memory.items())
        self._memory = {}

    def close(self) -> None:
        if self._disk is not None:
            self._disk.close()
            os.unlink(self._path)
            self._disk = None


class _RowPlanner:
    """Applies the template's row semantics to one batch at a time."""

    def __init__(self, file_format: reader.FileFormat, default_credit_limit: Decimal) -> None:
        self.file_format = file_format
        self.default_credit_limit = default_credit_limit
        self.seen = SeenKeys()
        self._known: dict[tuple, object] = {}

    def column(self, name: str) -> str:
        return self.file_format.header_by_field.get(name, name)

    def plan_batch(
        self, rows: list[ParsedRow]
    ) -> tuple[list[Change], list[RowError], list[dict], int, int]:
        """Changes, errors, sample entries, unchanged and matched-by-document counts."""
        ids = {row.values.get("id", "") for row in rows} - {""}
        by_id = {
            account["id"]: account
            for account in Account.objects.filter(pk__in=ids).order_by().values(*ACCOUNT_VALUES)
        }
        cleaned_rows = [self._clean(row, by_id) for row in rows]
        # Only new accounts, and rows changing an e-mail or document, can collide with
        # another account: updating 100,000 limits looks nothing up here.
        documents: set[str] = set()
        emails: set[str] = set()
        for cleaned, _errors in cleaned_rows:
            old = by_id.get(cleaned.get("id", ""))
            if cleaned.get("document") and (old is None or cleaned["document"] != old["document"]):
                documents.add(cleaned["document"])
            elif old and cleaned.get("document_type", old["document_type"]) != old["document_type"]:
                documents.add(old["document"])
            if cleaned.get("email") and (old is None or cleaned["email"] != old["email"]):
                emails.add(cleaned["email"])
        open_by_document = {
            (account["document_type"], account["document"]): account
            for account in open_accounts_with(document__in=documents, values=ACCOUNT_VALUES)
        }
        open_by_email = {
            account["email"]: account["id"]
            for account in open_accounts_with(email__in=emails, values=["id", "email"])
        }
        self.seen.prefetch(self._keys(cleaned_rows, by_id, open_by_document))

        changes: list[Change] = []
        errors: list[RowError] = []
        sample: list[dict] = []
        unchanged = matched = 0
        for row, (cleaned, row_errors) in zip(rows, cleaned_rows, strict=True):
            outcome = self._resolve(
                row, cleaned, row_errors, by_id, open_by_document, open_by_email
            )
            errors.extend(row_errors)
            if row_errors or outcome is None:
                continue
            change, old, matched_document = outcome
            matched += matched_document
            if change is None:
                unchanged += 1
                continue
            changes.append(change)
            if len(sample) < SAMPLE_SIZE or change.action == Action.CLOSE:
                sample.append(_sample_entry(change, old, matched_document))
        self.seen.end_batch()
        return changes, errors, sample, unchanged, matched

    def _keys(self, cleaned_rows, by_id, open_by_document) -> Iterator[str]:
        """Every key `_check_duplicates` may ask about for this batch."""
        for cleaned, _errors in cleaned_rows:
            if cleaned.get("id"):
                yield "a:" + cleaned["id"]
            if cleaned.get("document"):
                for document_type in DOCUMENT_TYPES:
                    yield f"d:{document_type}:{cleaned['document']}"
                    if match := open_by_document.get((document_type, cleaned["document"])):
                        yield "a:" + match["id"]
                        yield "e:" + match["email"]
            if cleaned.get("email"):
                yield "e:" + cleaned["email"]
        for account in by_id.values():
            yield "e:" + account["email"]
            yield f"d:{account['document_type']}:{account['document']}"

    def _error(self, row: ParsedRow, name: str, error: ValidationError) -> RowError:
        return RowError(
            row_number=row.row_number,
            column=self.column(name),
            value=row.values.get(name, ""),
            message=" ".join(error.messages),
            code=error.code or (error.error_list[0].code if error.error_list else "") or "",
        )

    def _clean(self, row: ParsedRow, by_id: dict) -> tuple[dict, list[RowError]]:
        """Run each non-blank cell through its rule; a blank cell means "leave as it is"."""
        values = row.values
        cleaned: dict = {}
        errors: list[RowError] = []
        if row.extra_cells:
            errors.append(
                RowError(
                    row.row_number,
                    "",
                    "",
                    _(
                        "This row has more cells than the header has columns: a value probably "
                        "contains the delimiter (“%(delimiter)s”); put it in double quotes."
                    )
                    % {"delimiter": self.file_format.delimiter.replace("\t", "tab")},
                    "too_many_cells",
                )
            )

        def run(name: str, rule: Callable, *args, **kwargs) -> None:
            try:
                cleaned[name] = rule(*args, **kwargs)
            except ValidationError as error:
                errors.append(self._error(row, name, error))

        account_id = values.get("id", "")
        if account_id:
            cleaned["id"] = account_id
        if values.get("email"):
            run("email", rules.clean_email, values["email"])
        if values.get("document_type"):
            run(
                "document_type",
                self._few_values,
                rules.clean_document_type,
                values["document_type"],
            )
        existing = by_id.get(account_id)
        document_type = cleaned.get("document_type") or (
            existing["document_type"] if existing else DocumentType.CPF
        )
        type_invalid = bool(values.get("document_type")) and "document_type" not in cleaned
        if values.get("document") and not type_invalid:
            run("document", rules.clean_document, document_type, values["document"])
        if values.get("credit_limit"):
            run("credit_limit", rules.clean_credit_limit, self._number(values["credit_limit"]))
        if values.get("tolerance"):
            # "5%" is a percent: let the rule say which fraction was meant.
            run("tolerance", rules.clean_tolerance, self._number(values["tolerance"]).rstrip("%"))
        if values.get("status"):
            run("status", self._few_values, rules.clean_status, values["status"])
        return cleaned, errors

    def _few_values(self, rule: Callable, raw: str) -> str:
        """Run a rule once per distinct value of a column with few values (CPF, Open…)."""
        key = (rule, raw)
        if key not in self._known:
            try:
                self._known[key] = rule(raw)
            except ValidationError as error:
                self._known[key] = error
        outcome = self._known[key]
        if isinstance(outcome, ValidationError):
            raise outcome
        return outcome

    def _number(self, raw: str) -> str:
        return reader.number_text(raw, decimal_comma=self.file_format.decimal_comma)

    def _resolve(self, row, cleaned, errors, by_id, open_by_document, open_by_email):
        """Decide what the row does; append row errors. Returns (change, old, matched) or None."""
        number = row.row_number
        account_id = cleaned.get("id", "")
        matched_document = False
        if account_id:
            old = by_id.get(account_id)
            if old is None:
                errors.append(
                    RowError(
                        number,
                        self.column("id"),
                        account_id,
                        _(
                            "No account has the Id “%(id)s”. Copy the Id from an export, or leave "
                            "Id blank to create a new account."
                        )
                        % {"id": account_id},
                        "unknown_id",
                    )
                )
                return None
        else:
            document_type = cleaned.get("document_type", DocumentType.CPF)
            old = open_by_document.get((document_type, cleaned.get("document")))
            matched_document = old is not None
        if errors:
            return None

        if old is None:
            new = self._new_account(row, cleaned, errors)
            if new is None:
                return None
            action = Action.CREATE
        else:
            new = self._changed_account(row, cleaned, old, errors)
            if new is None:
                return None
            action = (
                Action.CLOSE
                if (old["status"] == AccountStatus.OPEN and new["status"] == AccountStatus.CLOSED)
                else Action.UPDATE
            )

        self._check_duplicates(row, new, old, errors, open_by_document, open_by_email)
        if errors:
            return None
        if old is not None and all(new[name] == old[name] for name in CHANGE_FIELDS):
            return None, old, matched_document
        return (
            Change(
                row_number=number,
                action=action,
                account_id=new["id"],
                version=old["version"] if old else 0,
                email=new["email"],
                document_type=new["document_type"],
                document=new["document"],
                credit_limit=new["credit_limit"],
                tolerance=new["tolerance"],
                status=new["status"],
            ),
            old,
            matched_document,
        )

    def _new_account(self, row: ParsedRow, cleaned: dict, errors: list[RowError]) -> dict | None:
        if "email" not in cleaned:
            errors.append(self._error(row, "email", _required(rules.clean_email, "")))
        if not cleaned.get("document"):
            errors.append(
                self._error(
                    row,
                    "document",
                    _required(rules.clean_document, cleaned.get("document_type", "CPF"), ""),
                )
            )
        if cleaned.get("status") == AccountStatus.CLOSED:
            errors.append(
                RowError(
                    row.row_number,
                    self.column("status"),
                    row.values.get("status", ""),
                    _("A new account is always open: leave Status blank or write Open."),
                    "new_account_closed",
                )
            )
        if errors:
            return None
        return {
            "id": Account._meta.get_field("id").get_default(),
            "email": cleaned["email"],
            "document_type": cleaned.get("document_type", DocumentType.CPF),
            "document": cleaned["document"],
            "credit_limit": cleaned.get("credit_limit", self.default_credit_limit),
            "tolerance": cleaned.get("tolerance", Decimal("0.0000")),
            "status": AccountStatus.OPEN,
        }

    def _changed_account(
        self, row: ParsedRow, cleaned: dict, old: dict, errors: list[RowError]
    ) -> dict | None:
        new = {name: old[name] for name in ["id", *CHANGE_FIELDS]}
        new.update({name: value for name, value in cleaned.items() if name != "id"})
        if "document_type" in cleaned and "document" not in cleaned and old["document"]:
            # A new type re-checks the document already on file, as the Change form does.
            try:
                new["document"] = rules.clean_document(
                    new["document_type"], old["document"], required=False
                )
            except ValidationError as error:
                errors.append(self._error(row, "document_type", error))
        try:
            rules.check_status_change(old["status"], new["status"])
        except ValidationError as error:
            errors.append(self._error(row, "status", error))
        return None if errors else new

    def _check_duplicates(self, row, new, old, errors, open_by_document, open_by_email) -> None:
        number = row.row_number
        account_key = "a:" + new["id"] if old is not None else ""
        document_key = f"d:{new['document_type']}:{new['document']}" if new["document"] else ""
        if account_key and (first := self.seen.first_row(account_key)):
            column = "id" if row.values.get("id") else "document"
            errors.append(
                RowError(
                    number,
                    self.column(column),
                    row.values.get(column, ""),
                    _(
                        "This account is already in row %(first)s of this file. Keep one row "
                        "per account: merge the two rows."
                    )
                    % {"first": first},
                    "duplicate_in_file",
                )
            )
            return
        if account_key:
            self.seen.add(account_key, number)
        if new["status"] != AccountStatus.OPEN:
            return
        if document_key:
            first = self.seen.first_row(document_key)
            holder = open_by_document.get((new["document_type"], new["document"]))
            if first:
                errors.append(
                    RowError(
                        number,
                        self.column("document"),
                        row.values.get("document", ""),
                        _(
                            "Row %(first)s of this file already has this document: the same "
                            "account cannot be in a file twice. Merge the two rows."
                        )
                        % {"first": first},
                        "duplicate_in_file",
                    )
                )
            elif holder is not None and holder["id"] != new["id"]:
                error = rules.duplicate_open_account_error(
                    field="document", existing_id=holder["id"]
                )
                errors.append(self._error(row, "document", error))
            else:
                self.seen.add(document_key, number)
        email_key = "e:" + new["email"]
        first = self.seen.first_row(email_key)
        holder_id = open_by_email.get(new["email"])
        if first:
            errors.append(
                RowError(
                    number,
                    self.column("email"),
                    row.values.get("email", ""),
                    _(
                        "Row %(first)s of this file already uses this e-mail: two open accounts "
                        "cannot share an e-mail."
                    )
                    % {"first": first},
                    "duplicate_in_file",
                )
            )
        elif holder_id is not None and holder_id != new["id"]:
            error = rules.duplicate_open_account_error(field="email", existing_id=holder_id)
            errors.append(self._error(row, "email", error))
        else:
            self.seen.add(email_key, number)


def _required(rule: Callable, *args) -> ValidationError:
    """The rule's own "required" error, so a blank required cell reads as in the form."""
    try:
        rule(*args)
    except ValidationError as error:
        return error
    raise AssertionError("a blank value passed a required rule")  # pragma: no cover


def _column_name(name: str) -> str:
    return _COLUMN_NAMES.get(name, name)


_COLUMN_NAMES = {field.attribute: field.column_name for field in columns.template_fields()}


def _display(value) -> str:
    return "" if value is None else str(value)


def _sample_entry(change: Change, old: dict | None, matched_document: bool) -> dict:
    new = {
        "email": change.email,
        "document_type": change.document_type,
        "document": change.document,
        "credit_limit": change.credit_limit,
        "tolerance": change.tolerance,
        "status": change.status,
    }
    if old is None:
        fields = [[_column_name(name), "", _display(new[name])] for name in CHANGE_FIELDS]
    else:
        fields = [
            [_column_name(name), _display(old[name]), _display(new[name])]
            for name in CHANGE_FIELDS
            if old[name] != new[name]
        ]
    return {
        "row": change.row_number,
        "action": change.action,
        "account_id": change.account_id,
        "email": change.email,
        "matched_by_document": matched_document,
        "changes": fields,
    }


def _open_storage(name: str, storage) -> Callable:
    return lambda: storage.open(name, "rb")


def validate_file(
    job: ImportJob,
    *,
    batch_size: int | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> ValidationResult:
    """Read and check the whole file; store row errors and the plan. Raises FileRejected.

    Writes nothing to accounts. ``on_batch(rows_read)`` reports progress after each batch.
    """
    open_binary = _open_storage(job.file.name, job.file.storage)
    file_format = reader.inspect_file(open_binary, size=job.file.size)
    job.encoding = file_format.encoding
    job.delimiter = file_format.delimiter
    job.notes = "\n".join(file_format.notes)
    job.rows_total = max(file_format.line_count - 1, 1)
    job.save(update_fields=["encoding", "delimiter", "notes", "rows_total"])

    planner = _RowPlanner(file_format, StoreSettings.load().default_credit_limit)
    result = ValidationResult()
    with tempfile.TemporaryFile("w+b") as plan_binary, open_binary() as binary:
        plan_text = io.TextIOWrapper(plan_binary, encoding="utf-8", newline="")
        plan_writer = csv.writer(plan_text)
        records = reader.iter_records(
            binary, encoding=file_format.encoding, delimiter=file_format.delimiter
        )
        rows = parse_rows(records, file_format)
        try:
            for batch in batched(rows, batch_size or configured_batch_size()):
                changes, errors, sample, unchanged, matched = planner.plan_batch(batch)
                plan_writer.writerows(change.as_plan_line() for change in changes)
                ImportRowError.objects.bulk_create(
                    [error.as_model(job) for error in errors], batch_size=1000
                )
                result.rows += len(batch)
                result.unchanged += unchanged
                result.matched_by_document += matched
                result.error_rows += len({error.row_number for error in errors})
                for change in changes:
                    if change.action == Action.CREATE:
                        result.to_create += 1
                    elif change.action == Action.CLOSE:
                        result.to_close += 1
                    else:
                        result.to_update += 1
                _extend_sample(result.sample, sample)
                if on_batch:
                    on_batch(result.rows)
        finally:
            planner.seen.close()
        if result.rows == 0:
            raise reader.FileRejected(
                _(
                    "The file has a header row but no accounts: add one row per account "
                    "below the header."
                ),
                code="header_only",
            )
        plan_text.flush()
        plan_text.detach()
        plan_binary.seek(0)
        job.plan.save(f"job-{job.pk}-plan.csv", File(plan_binary), save=False)
    job.rows_total = result.rows
    if result.matched_by_document:
        note = _(
            "%(count)s rows without an Id update the open account that has the same document."
        ) % {"count": result.matched_by_document}
        job.notes = "\n".join(filter(None, [job.notes, note]))
    return result


def _extend_sample(sample: list[dict], new_entries: list[dict]) -> None:
    # Keep the first changes, and every closure up to twice the sample size: closing is
    # irreversible, so staff must see which accounts a file closes.
    for entry in new_entries:
        closures = sum(1 for existing in sample if existing["action"] == Action.CLOSE)
        if len(sample) < SAMPLE_SIZE or (
            entry["action"] == Action.CLOSE and closures < SAMPLE_SIZE
        ):
            sample.append(entry)


@dataclass
class ApplyResult:
    created: int = 0
    updated: int = 0
    closed: int = 0
    conflicts: int = 0


def read_plan(job: ImportJob) -> Iterator[Change]:
    with job.plan.storage.open(job.plan.name, "rb") as binary:
        text = io.TextIOWrapper(binary, encoding="utf-8", newline="")
        for line in csv.reader(text):
            yield Change.from_plan_line(line)


def apply_plan(
    job: ImportJob,
    *,
    batch_size: int | None = None,
    on_batch: Callable[[int, ApplyResult], None] | None = None,
) -> ApplyResult:
    """Write the job's plan, one transaction per batch; conflicting rows become row errors.

    ``on_batch(rows_done, result)`` runs inside each batch's transaction, so progress and
    the written accounts commit together (a retry resumes after the last committed batch).
    """
    # Counts of batches a stopped worker already committed carry over to a retry.
    result = ApplyResult(
        created=job.created_count,
        updated=job.updated_count,
        closed=job.closed_count,
        conflicts=job.conflict_count,
    )
    done = 0
    user_id = job.confirmed_by_id or job.created_by_id
    for batch in batched(read_plan(job), batch_size or configured_batch_size()):
        done += len(batch)
        if done <= job.rows_processed:
            continue  # applied before the worker stopped: this is a retry
        with transaction.atomic():
            _apply_batch(job, batch, result, user_id)
            if on_batch:
                on_batch(done, result)
    return result


def _apply_batch(job: ImportJob, batch: list[Change], result: ApplyResult, user_id) -> None:
    update_ids = [change.account_id for change in batch if change.action != Action.CREATE]
    # Locked until the batch commits: nobody changes them between this check and the write.
    current = {
        account["id"]: account
        for account in Account.objects.select_for_update()
        .filter(pk__in=update_ids)
        .order_by()
        .values(*ACCOUNT_VALUES, "balance", "pre_authorized_credit", "created_at")
    }
    conflicts: list[RowError] = []
    changed_since = [
        change
        for change in batch
        if change.action != Action.CREATE
        and (
            change.account_id not in current
            or current[change.account_id]["version"] != change.version
        )
    ]
    if changed_since:
        conflicts.extend(_changed_since_preview(changed_since))
        skipped = {change.row_number for change in changed_since}
        batch = [change for change in batch if change.row_number not in skipped]
    try:
        # Optimistic: the unique indexes on open e-mails and documents refuse any account
        # opened since the preview, so the usual batch needs no look-up before its write.
        with transaction.atomic():
            _write(job, batch, current, user_id)
    except IntegrityError:
        clashing = _clashing_with_new_accounts(batch)
        conflicts.extend(clashing)
        skipped = {error.row_number for error in clashing}
        batch = [change for change in batch if change.row_number not in skipped]
        try:
            with transaction.atomic():
                _write(job, batch, current, user_id)
        except IntegrityError:
            # Another writer raced this very batch: hold it back rather than guess.
            message = _(
                "An account was opened or changed by someone else while this row was being "
                "imported; it was not applied. Upload the file again to apply it."
            )
            conflicts.extend(
                RowError(change.row_number, "", change.account_id, message, "conflict")
                for change in batch
            )
            batch = []
    ImportRowError.objects.bulk_create([error.as_model(job) for error in conflicts])
    result.conflicts += len(conflicts)
    for change in batch:
        if change.action == Action.CREATE:
            result.created += 1
        elif change.action == Action.CLOSE:
            result.closed += 1
        else:
            result.updated += 1


def _write(job: ImportJob, batch: list[Change], current: dict, user_id) -> None:
    label = _("Import #%(job)s row %(row)s")
    bulk_write_accounts(
        writes=[
            BulkAccountWrite(
                account_id=change.account_id,
                email=change.email,
                document_type=change.document_type,
                document=change.document,
                credit_limit=change.credit_limit,
                tolerance=change.tolerance,
                status=change.status,
                history_source=label % {"job": job.pk, "row": change.row_number},
                current=current.get(change.account_id),
            )
            for change in batch
        ],
        channel=Channel.IMPORT,
        user_id=user_id,
        when=timezone.now(),
    )


def _changed_since_preview(changes: list[Change]) -> list[RowError]:
    """Conflicts for rows whose account changed after the preview, saying who changed it."""
    last_change: dict[str, dict] = {}
    for record in (
        Account.history.filter(id__in=[change.account_id for change in changes])
        .order_by("id", "-history_date", "-history_id")
        .values("id", "history_date", "history_user__username", "history_channel")
    ):
        last_change.setdefault(record["id"], record)
    errors = []
    for change in changes:
        record = last_change.get(change.account_id)
        who = ""
        if record:
            who = " " + _("(last change %(when)s by %(user)s, %(channel)s)") % {
                "when": timezone.localtime(record["history_date"]).strftime("%Y-%m-%d %H:%M"),
                "user": record["history_user__username"] or _("the system"),
                "channel": Channel(record["history_channel"]).label,
            }
        message = _(
            "Account %(id)s was changed after the preview%(who)s; this row was not applied so "
            "that change is not overwritten. Check the account, then upload the row again if "
            "it is still right."
        ) % {"id": change.account_id, "who": who}
        errors.append(RowError(change.row_number, "", change.account_id, message, "conflict"))
    return errors


def _clashing_with_new_accounts(batch: list[Change]) -> list[RowError]:
    """Rows whose e-mail or document an account opened since the preview now holds."""
    opening = [change for change in batch if change.status == AccountStatus.OPEN]
    email_holders = {
        account["email"]: account["id"]
        for account in open_accounts_with(
            email__in={change.email for change in opening}, values=["id", "email"]
        )
    }
    document_holders = {
        (account["document_type"], account["document"]): account["id"]
        for account in open_accounts_with(
            document__in={change.document for change in opening if change.document},
            values=["id", "document_type", "document"],
        )
    }
    errors = []
    for change in opening:
        for name, holder in (
            ("email", email_holders.get(change.email)),
            ("document", document_holders.get((change.document_type, change.document))),
        ):
            if holder is not None and holder != change.account_id:
                message = rules.duplicate_open_account_error(field=name, existing_id=holder)
                errors.append(
                    RowError(
                        change.row_number,
                        "",
                        change.account_id,
                        " ".join(message.messages)
                        + " "
                        + _("It was opened after the preview; this row was not applied."),
                        "conflict",
                    )
                )
                break
    return errors


def error_report_rows(job: ImportJob) -> Iterator[list[str]]:
    """The file's header and its failing rows as uploaded, each with an Errors column.

    Streams the stored file and the job's errors (both in row order) side by side, so a
    report of a million rows costs no more memory than one of ten.
    """
    errors = job.row_errors.order_by("row_number", "id").values_list(
        "row_number", "column", "message"
    )
    pending = iter(errors.iterator(chunk_size=2000))
    next_error = next(pending, None)
    with job.file.storage.open(job.file.name, "rb") as binary:
        records = reader.iter_records(
            binary, encoding=job.encoding, delimiter=job.delimiter, include_header=True
        )
        header: list[str] | None = None
        kept: list[int] = []
        for row_number, cells in records:
            if header is None:
                header = cells
                # A previous report's Errors column is replaced, not repeated.
                kept = [
                    position
                    for position, cell in enumerate(header)
                    if cell.strip().lower() != reader.ERRORS_COLUMN.lower()
                ]
                yield [columns.neutralize_cell(header[position]) for position in kept] + [
                    reader.ERRORS_COLUMN
                ]
                continue
            messages = []
            while next_error is not None and next_error[0] <= row_number:
                if next_error[0] == row_number:
                    column, message = next_error[1], next_error[2]
                    messages.append(f"{column}: {message}" if column else message)
                next_error = next(pending, None)
            if messages:
                yield [
                    columns.neutralize_cell(cells[position] if position < len(cells) else "")
                    for position in kept
                ] + [columns.neutralize_cell(" | ".join(messages))]
            if next_error is None:
                break
