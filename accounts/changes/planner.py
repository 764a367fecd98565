"""The planner: every rule of an account change, applied once to a batch of proposals."""

from collections.abc import Callable, Sequence
from decimal import Decimal
from itertools import compress
from operator import ne

from django.core.exceptions import ValidationError

from accounts import rules, selectors
from accounts.amounts import NumberStyle
from accounts.documents import format_document
from accounts.history import Channel
from accounts.models import AccountStatus, DocumentType, StoreSettings, new_account_id
from accounts.problems import DoubtfulValue, Problem, Severity

from .conflicts import other_open_account, stale_version_problem
from .reads import BatchReads, read_batch
from .records import (
    WRITABLE_FIELDS,
    AccountValues,
    Action,
    BatchPlan,
    Intent,
    PlannedChange,
    ProposedChange,
    Refusal,
    StoredAccount,
)
from .seen_keys import SeenKeys
from .warnings import (
    changes_identity,
    confirmed_by_someone,
    doubt_problem,
    identity_changes,
    large_limit_change,
)

# Distinct values whose rule outcome is remembered (document types, statuses, the store's
# usual limits and tolerances repeat in every file); unique values cost nothing then.
KNOWN_VALUES_LIMIT = 4096
NO_TOLERANCE = Decimal("0.0000")


# The rules of the fields read by _clean's loop, and whether they take the number style.
_AMOUNT_RULES = (
    ("credit_limit", rules.clean_credit_limit, True),
    ("tolerance", rules.clean_tolerance, True),
)
_FIELD_RULES = (*_AMOUNT_RULES, ("status", rules.clean_status, False))


class AccountChangePlanner:
    """Decides what each proposed change of a batch does to its account, or why it cannot.

    It applies every rule once: the NUL guard, each field's rule (and its hints), the intent
    (an unknown id, a document matching an open account), closed accounts, Closed → Open,
    the store's settings, the version the person saw, and duplicates in the batch, in
    earlier batches (``seen``) and in the database. The New, Edit and Close forms and the
    API plan a batch of one (``lock=True``, in the transaction that writes it); the import
    plans its file batch by batch with one planner. Reads per batch: accounts by id, open
    accounts by the documents and by the e-mails that could collide, and the history of
    stale accounts.

    Where someone confirms what a batch will do (the import's preview), accepted changes
    carry warnings: a value read one way though it could mean another
    (problems.DoubtfulValue), an existing account's e-mail or document changed. Elsewhere a
    doubtful value is refused.
    """

    def __init__(self, store_settings: StoreSettings, *, seen: SeenKeys | None = None) -> None:
        self.store_settings = store_settings
        self.seen = seen if seen is not None else SeenKeys()
        self._outcomes: dict[tuple, object] = {}

    def close(self) -> None:
        """Drop the keys seen so far (a scratch file, once a big import spilled them)."""
        self.seen.close()

    def plan(self, batch: Sequence[ProposedChange], *, lock: bool = False) -> BatchPlan:
        # An id holding NUL names no account (and PostgreSQL refuses to compare it).
        ids = {proposal.account_id for proposal in batch if proposal.account_id}
        stored = selectors.stored_accounts(set(filter(rules.can_be_stored, ids)), lock=lock)
        cleaned = [self._clean(proposal, stored.get(proposal.account_id)) for proposal in batch]
        cleaned_values = [values for values, _problems, _warnings in cleaned]
        batch_reads = read_batch(batch, cleaned_values, stored)
        self.seen.prefetch(batch_reads.seen_keys(cleaned_values))
        plan = BatchPlan()
        stale: list[tuple[list[Problem], StoredAccount, dict]] = []
        for proposal, (values, problems, warnings) in zip(batch, cleaned, strict=True):
            change = self._decide(proposal, values, problems, warnings, batch_reads, stale)
            if change is None:
                plan.refused.append(Refusal(proposal, problems))
            else:
                plan.accepted.append(change)
        self.seen.end_batch()
        if stale:
            last = selectors.last_changes({current.account_id for _p, current, _v in stale})
            for problems, current, values in stale:
                problems.insert(
                    0, stale_version_problem(current, values, last.get(current.account_id))
                )
        return plan

    # --- Each value through its rule -----------------------------------------------------

    def _clean(
        self, proposal: ProposedChange, existing: StoredAccount | None
    ) -> tuple[dict, list[Problem], list[Problem]]:
        """Each given value through its rule: cleaned values, problems, warnings. A value equal
        to the stored one (an exported file sent back) already passed it."""
        raw = proposal.values
        stored = existing.values if existing is not None else None
        style = proposal.number_style
        known = self._known
        cleaned: dict = {}
        problems: list[Problem] = []
        warnings: list[Problem] = []
        for field, value in raw.items():
            if type(value) is str and "\x00" not in value:
                continue  # nearly every value: no call (140,000 of them in a 20,000-row file)
            try:
                rules.check_storable(value)
            except ValidationError as error:
                problems.append(Problem.from_error(error, field))
        if problems:
            return cleaned, problems, warnings  # no other rule reads a value with a NUL
        if "email" in raw:
            email = raw["email"]
            if stored is not None and email == stored.email:
                cleaned["email"] = email
            else:
                try:
                    cleaned["email"] = rules.clean_email(email)
                except ValidationError as error:
                    problems.append(Problem.from_error(error, "email"))
        document_type = stored.document_type if stored is not None else DocumentType.CPF
        if stored is not None and raw.get("document_type") == stored.document_type:
            cleaned["document_type"] = document_type
        elif raw.get("document_type") not in (None, ""):
            try:
                document_type = known(rules.clean_document_type, raw["document_type"])
            except ValidationError as error:
                problems.append(Problem.from_error(error, "document_type"))
                document_type = None  # the document cannot be checked without its type
            else:
                cleaned["document_type"] = document_type
        if "document" in raw and document_type is not None:
            document = raw["document"]
            if stored is not None and _is_stored_document(document, document_type, stored):
                cleaned["document"] = stored.document
            else:
                try:
                    cleaned["document"] = rules.clean_document(
                        document_type, document, required=False
                    )
                except DoubtfulValue as doubt:
                    self._doubt(doubt, "document", proposal, cleaned, problems, warnings)
                except ValidationError as error:
                    problems.append(Problem.from_error(error, "document"))
        if stored is not None and raw.get("status") == stored.status:
            cleaned["status"] = stored.status
            amount_rules = _AMOUNT_RULES  # the status needs no rule: the stored one passed it
        else:
            amount_rules = _FIELD_RULES
        for field, rule, uses_style in amount_rules:
            if field in raw:
                style_or_none = style if uses_style else None
                try:
                    cleaned[field] = known(rule, raw[field], style_or_none)
                except DoubtfulValue as doubt:
                    self._doubt(doubt, field, proposal, cleaned, problems, warnings)
                except ValidationError as error:
                    problems.append(Problem.from_error(error, field))
        return cleaned, problems, warnings

    @staticmethod
    def _doubt(
        doubt: DoubtfulValue,
        field: str,
        proposal: ProposedChange,
        cleaned: dict,
        problems: list[Problem],
        warnings: list[Problem],
    ) -> None:
        """A doubtful reading: kept with its warning where someone confirms, else refused."""
        problem = doubt_problem(doubt, field, proposal)
        if problem.severity is Severity.WARNING:
            cleaned[field] = doubt.value
            warnings.append(problem)
        else:
            problems.append(problem)

    def _known(self, rule: Callable, raw: object, style: NumberStyle | None = None):
        """``rule(raw)``, remembered for values that repeat; the memory is capped."""
        key = (rule, raw, style)
        outcome = self._outcomes.get(key)
        if outcome is None:
            try:
                outcome = rule(raw) if style is None else rule(raw, style=style)
            except ValidationError as error:
                outcome = error
            if len(self._outcomes) < KNOWN_VALUES_LIMIT:
                self._outcomes[key] = outcome
        if isinstance(outcome, ValidationError):
            raise outcome
        return outcome

    # --- What each proposal does ----------------------------------------------------------

    def _decide(
        self,
        proposal: ProposedChange,
        values: dict,
        problems: list[Problem],
        warnings: list[Problem],
        reads: BatchReads,
        stale: list,
    ) -> PlannedChange | None:
        """The planned change (with ``warnings``), or None with ``problems`` saying why not."""
        existing = reads.stored.get(proposal.account_id) if proposal.account_id else None
        matched = False
        if proposal.intent is Intent.CHANGE and existing is None:
            if not any(problem.field == "id" for problem in problems):  # a NUL has its own
                problems.append(Problem("unknown_id", "id", {"id": proposal.account_id}))
        elif proposal.intent is Intent.OPEN_OR_MATCH_DOCUMENT:
            document_type = values.get("document_type", DocumentType.CPF)
            existing = reads.open_by_document.get((document_type, values.get("document")))
            matched = existing is not None
        if problems:
            return None
        if existing is None:
            before = None
            account_id, after = self._new_account(proposal, values, problems, reads)
        else:
            before = existing.values
            account_id, after = existing.account_id, self._changed_account(values, before, problems)
        if not problems:
            self._check_store_settings(values, before, problems)
        is_stale = (
            existing is not None
            and proposal.based_on_version is not None
            and proposal.based_on_version != existing.version
        )
        if is_stale:
            stale.append((problems, existing, values))
            return None
        if problems:
            return None
        self._check_duplicates(proposal, after, before, account_id, reads, problems)
        if problems:
            return None
        if before is None:
            return PlannedChange(
                proposal.reference, Action.CREATE, account_id, after, warnings=tuple(warnings)
            )
        changed = tuple(compress(WRITABLE_FIELDS, map(ne, after, before)))
        if not changed:
            action = Action.UNCHANGED
        elif before.status == AccountStatus.OPEN and after.status == AccountStatus.CLOSED:
            action = Action.CLOSE
        else:
            action = Action.UPDATE
        if confirmed_by_someone(proposal):
            if changes_identity(changed):
                warnings.extend(identity_changes(account_id, before, after, changed, matched))
            if action is Action.UPDATE and "credit_limit" in changed:
                warnings.extend(large_limit_change(account_id, before, after, self.store_settings))
        return PlannedChange(
            proposal.reference,
            action,
            account_id,
            after,
            before,
            existing.version,
            changed,
            matched,
            tuple(warnings),
        )

    def _new_account(
        self, proposal: ProposedChange, values: dict, problems: list[Problem], reads: BatchReads
    ) -> tuple[str, AccountValues]:
        """A new account: e-mail always, a document except through the API (VTEX accepts
        accounts without one), the store's defaults for what is left out."""
        if "email" not in values:
            problems.append(Problem("email_required", "email"))
        if not values.get("document") and proposal.channel != Channel.API:
            problems.append(Problem("document_required", "document"))
        if values.get("status") == AccountStatus.CLOSED:
            problems.append(Problem("new_account_closed", "status"))
        account_id = proposal.account_id
        if account_id and not rules.ACCOUNT_ID_PATTERN.fullmatch(account_id):
            problems.append(Problem("account_id_invalid", "id"))
        document_type = values.get("document_type", DocumentType.CPF)
        document = values.get("document", "")
        if proposal.id_from_document:
            account_id = reads.document_id(document_type, document)
        after = AccountValues(
            values.get("email", ""),
            document_type,
            document,
            values.get("credit_limit", self.store_settings.default_credit_limit),
            values.get("tolerance", NO_TOLERANCE),
            AccountStatus.OPEN,
        )
        return account_id or new_account_id(), after

    def _changed_account(
        self, values: dict, before: AccountValues, problems: list[Problem]
    ) -> AccountValues:
        """An existing account with the given values; a new document type re-checks the
        document on file; a closed account takes no change at all."""
        get = values.get
        after = AccountValues(
            get("email", before.email),
            get("document_type", before.document_type),
            get("document", before.document),
            get("credit_limit", before.credit_limit),
            get("tolerance", before.tolerance),
            get("status", before.status),
        )
        if (
            after.document_type != before.document_type
            and "document" not in values
            and before.document
        ):
            try:
                document = rules.clean_document(after.document_type, before.document)
            except ValidationError as error:
                problems.append(Problem.from_error(error, "document_type"))
            else:
                after = AccountValues(
                    after.email,
                    after.document_type,
                    document,
                    after.credit_limit,
                    after.tolerance,
                    after.status,
                )
        if before.status == AccountStatus.CLOSED and after != before:
            try:
                rules.check_status_change(before.status, after.status)
            except ValidationError as error:
                problems.append(Problem.from_error(error, "status"))
            else:
                problems.append(Problem("account_closed"))
        return after

    def _check_store_settings(
        self, values: dict, before: AccountValues | None, problems: list[Problem]
    ) -> None:
        """With tolerance switched off, no channel sets one (an unchanged value may pass:
        an exported file carries every account's tolerance)."""
        if self.store_settings.tolerance_enabled or "tolerance" not in values:
            return
        if values["tolerance"] != (before.tolerance if before is not None else NO_TOLERANCE):
            problems.append(Problem("tolerance_disabled", "tolerance"))

    # --- Duplicates -------------------------------------------------------------------------

    def _check_duplicates(
        self,
        proposal: ProposedChange,
        after: AccountValues,
        before: AccountValues | None,
        account_id: str,
        reads: BatchReads,
        problems: list[Problem],
    ) -> None:
        """The same account twice in a file; two open accounts with one e-mail or document,
        in the file or in the database. An unchanged e-mail or document of an open account is
        its own: the database's unique indexes say no other open account holds it."""
        reference = proposal.reference
        seen = self.seen
        if before is not None:
            first = seen.first_or_add("a:" + account_id, reference)
            if first:
                column = "id" if proposal.account_id else "document"
                problems.append(Problem("account_twice_in_file", column, {"first": first}))
                return
        if after.status != AccountStatus.OPEN:
            return
        document_changed = (
            before is None
            or after.document != before.document
            or after.document_type != before.document_type
        )
        keys = (
            (
                "document",
                f"d:{after.document_type}:{after.document}" if after.document else "",
                document_changed,
            ),
            ("email", "e:" + after.email, before is None or after.email != before.email),
        )
        for field, key, changed in keys:
            if not key:
                continue
            first = seen.first_row(key) if changed else seen.first_or_add(key, reference)
            if first:
                problems.append(Problem(f"{field}_twice_in_file", field, {"first": first}))
                continue
            if not changed:
                continue
            problem = other_open_account(
                after,
                account_id,
                field,
                open_by_email=reads.open_by_email,
                open_by_document=reads.open_ids_by_document,
            )
            if problem is not None:
                problems.append(problem)
            else:
                seen.add(key, reference)


def _is_stored_document(raw: object, document_type: str, stored: AccountValues) -> bool:
    """The value is the account's own document, bare or with the mask the export uses."""
    return document_type == stored.document_type and (
        raw == stored.document or raw == format_document(document_type, stored.document)
    )
