"""Validation (the preview): every row through the rules, into a plan and row errors."""

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from accounts import rules
from accounts.changes import SeenKeys
from accounts.models import Account, AccountStatus, DocumentType, StoreSettings
from accounts.problems import rule_error

from .. import columns, reader, spreadsheets
from ..models import ImportJob, ImportRowError
from ..spreadsheets.cells import NumberCell, UnreadableCell
from .rows import (
    ACCOUNT_VALUES,
    CHANGE_FIELDS,
    DOCUMENT_TYPES,
    SAMPLE_SIZE,
    Action,
    Change,
    ParsedRow,
    RowError,
    batched,
    configured_batch_size,
    open_accounts_with,
)

KNOWN_VALUES_LIMIT = 4096


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
    typed = file_format.encoding in spreadsheets.SPREADSHEET_KINDS
    for row_number, cells in records:
        count = len(cells)
        values = {name: cells[position].strip() for position, name in positions if position < count}
        for name, value in values.items():
            if value[:1] == "'":
                values[name] = unquote(value)
        extra = sum(1 for cell in cells[width:] if cell.strip()) if count > width else 0
        typed_cells = None
        if typed:
            typed_cells = {
                name: cells[position]
                for position, name in positions
                if position < count and type(cells[position]) is not str
            }
            # An unreadable cell is a row error (_clean), never a blank "leave unchanged".
            values.update(
                (name, "") for name, cell in typed_cells.items() if isinstance(cell, UnreadableCell)
            )
        yield ParsedRow(row_number, values, extra, typed_cells)


class _RowPlanner:
    """Applies the template's row semantics to one batch at a time."""

    def __init__(self, file_format: reader.FileFormat, default_credit_limit: Decimal) -> None:
        self.file_format = file_format
        self.default_credit_limit = default_credit_limit
        self.seen = SeenKeys()
        self._known: dict[tuple, object] = {}

    def column(self, name: str) -> str:
        """The column as the file names it, or as the template does when the file has none."""
        return self.file_format.header_by_field.get(name) or _column_name(name)

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
            for document_type in DOCUMENT_TYPES:
                yield f"d:{document_type}:{account['document']}"

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

        typed_cells = row.typed_cells or {}
        for name, cell in typed_cells.items():
            if isinstance(cell, UnreadableCell):
                errors.append(
                    RowError(row.row_number, self.column(name), cell, cell.message, cell.code)
                )

        def run(name: str, rule: Callable, *args, **kwargs) -> None:
            try:
                cleaned[name] = rule(*args, **kwargs)
            except ValidationError as error:
                errors.append(self._error(row, name, error))

        account_id = values.get("id", "")
        if account_id:
            cleaned["id"] = account_id
        existing = by_id.get(account_id)
        # An exported file sent back carries the stored e-mail and document (masked) on
        # every row; those already passed their rules, so they are not checked again.
        email = values.get("email")
        if email and existing and email == existing["email"]:
            cleaned["email"] = email
        elif email:
            run("email", rules.clean_email, email)
        if values.get("document_type"):
            run(
                "document_type",
                self._few_values,
                rules.clean_document_type,
                values["document_type"],
            )
        document_type = cleaned.get("document_type") or (
            existing["document_type"] if existing else DocumentType.CPF
        )
        type_invalid = bool(values.get("document_type")) and "document_type" not in cleaned
        document = values.get("document")
        if document and not type_invalid:
            if existing and _is_stored_document(document, document_type, existing):
                cleaned["document"] = existing["document"]
            else:
                number = isinstance(typed_cells.get("document"), NumberCell)
                run("document", _clean_document_cell, document_type, document, number)
        if values.get("credit_limit"):
            limit = self._number(values["credit_limit"])
            run("credit_limit", self._few_values, rules.clean_credit_limit, limit)
        if values.get("tolerance"):
            # "5%" is a percent: let the rule say which fraction was meant.
            tolerance = self._number(values["tolerance"])
            run("tolerance", self._few_values, rules.clean_tolerance, tolerance)
        if values.get("status"):
            run("status", self._few_values, rules.clean_status, values["status"])
        return cleaned, errors

    def _few_values(self, rule: Callable, raw: str):
        """Run a rule once per distinct value of a column whose values repeat (CPF, Open,
        the store's usual limits); the memory is capped, so unique values cost nothing."""
        key = (rule, raw)
        outcome = self._known.get(key)
        if outcome is None:
            try:
                outcome = rule(raw)
            except ValidationError as error:
                outcome = error
            if len(self._known) < KNOWN_VALUES_LIMIT:
                self._known[key] = outcome
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
        changed = tuple(name for name in CHANGE_FIELDS if old is None or new[name] != old[name])
        if not changed:
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
                changed=changed,
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
                error = rule_error("duplicate_open_document", id=holder["id"])
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
            error = rule_error("duplicate_open_email", id=holder_id)
            errors.append(self._error(row, "email", error))
        else:
            self.seen.add(email_key, number)


def _clean_document_cell(document_type: str, raw: str, typed_as_number: bool) -> str:
    """rules.clean_document, refusing an Other document that a spreadsheet stored as a number:
    it has no check digits, so leading zeros the spreadsheet dropped would go unnoticed. (A
    CPF or CNPJ that lost them fails its length or check digits, with the spreadsheet hint.)"""
    if typed_as_number and document_type == DocumentType.OTHER:
        raise ValidationError(
            _(
                "This document was typed as a number, so the spreadsheet may have changed it "
                "(dropped its leading zeros or rounded its digits). Format the Document column "
                "as text and type the document again."
            ),
            code="document_typed_as_number",
        )
    return rules.clean_document(document_type, raw)


def _is_stored_document(raw: str, document_type: str, account: dict) -> bool:
    """The cell holds the account's own document, bare or with the mask the export uses."""
    stored = account["document"]
    return document_type == account["document_type"] and (
        raw == stored or raw == rules.format_document(document_type, stored)
    )


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
