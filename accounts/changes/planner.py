"""The planner: every rule of an account change, applied once to a batch of proposals."""

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError

from accounts import rules, selectors
from accounts.history import Channel
from accounts.models import AccountStatus, DocumentType, StoreSettings, new_account_id
from accounts.problems import Problem

from .conflicts import other_open_account, stale_version_problem
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

# Distinct values whose rule outcome is remembered (document types, statuses, the store's
# usual limits and tolerances repeat in every file); unique values cost nothing then.
KNOWN_VALUES_LIMIT = 4096
DOCUMENT_TYPES = tuple(DocumentType.values)
NO_TOLERANCE = Decimal("0.0000")


class AccountChangePlanner:
    """Decides what each proposed change of a batch does to its account, or why it cannot.

    It applies every rule once: each field's rule (and its hints), the intent (an unknown
    id, a document matching an open account), closed accounts, Closed → Open, the store's
    settings, the version the person saw, and duplicates in the batch, in earlier batches
    (``seen``) and in the database. The form, the API and the holder pages plan a batch of
    one (``lock=True``, in the transaction that writes it); the import plans its file batch
    by batch with one planner. Reads per batch: accounts by id, open accounts by the
    documents and by the e-mails that could collide, and the history of stale accounts.
    """

    def __init__(self, store_settings: StoreSettings, *, seen: SeenKeys | None = None) -> None:
        self.store_settings = store_settings
        self.seen = seen if seen is not None else SeenKeys()
        self._outcomes: dict[tuple, object] = {}

    def close(self) -> None:
        """Drop the keys seen so far (a scratch file, once a big import spilled them)."""
        self.seen.close()

    def plan(self, batch: Sequence[ProposedChange], *, lock: bool = False) -> BatchPlan:
        stored = selectors.stored_accounts(
            {proposal.account_id for proposal in batch if proposal.account_id}, lock=lock
        )
        cleaned = [self._clean(proposal, stored.get(proposal.account_id)) for proposal in batch]
        open_by_document, open_by_email = self._open_accounts(batch, cleaned, stored)
        batch_reads = _BatchReads(
            stored=stored,
            open_by_document=open_by_document,
            open_ids_by_document={
                key: account.account_id for key, account in open_by_document.items()
            },
            open_by_email=open_by_email,
            taken_ids=self._taken_ids(batch, cleaned),
        )
        self.seen.prefetch(self._keys(cleaned, stored, open_by_document))
        plan = BatchPlan()
        stale: list[tuple[list[Problem], StoredAccount, dict]] = []
        for proposal, (values, problems) in zip(batch, cleaned, strict=True):
            change = self._decide(proposal, values, problems, batch_reads, stale)
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
    ) -> tuple[dict, list[Problem]]:
        """Each given value through its rule; a value equal to the stored one (an exported
        file sent back) already passed it."""
        raw = proposal.values
        stored = existing.values if existing is not None else None
        style = proposal.number_style
        cleaned: dict = {}
        problems: list[Problem] = []

        def run(field: str, rule: Callable, *args, **kwargs) -> bool:
            try:
                cleaned[field] = rule(*args, **kwargs)
            except ValidationError as error:
                problems.append(Problem.from_error(error, field))
                return False
            return True

        if "email" in raw:
            email = raw["email"]
            if stored is not None and email == stored.email:
                cleaned["email"] = email
            else:
                run("email", rules.clean_email, email)
        document_type = stored.document_type if stored is not None else DocumentType.CPF
        type_refused = False
        if raw.get("document_type") not in (None, ""):
            if run("document_type", self._known, rules.clean_document_type, raw["document_type"]):
                document_type = cleaned["document_type"]
            else:
                type_refused = True
        if "document" in raw and not type_refused:
            document = raw["document"]
            if stored is not None and _is_stored_document(document, document_type, stored):
                cleaned["document"] = stored.document
            else:
                run("document", rules.clean_document, document_type, document, required=False)
        if "credit_limit" in raw:
            run("credit_limit", self._known, rules.clean_credit_limit, raw["credit_limit"], style)
        if "tolerance" in raw:
            run("tolerance", self._known, rules.clean_tolerance, raw["tolerance"], style)
        if "status" in raw:
            run("status", self._known, rules.clean_status, raw["status"])
        return cleaned, problems

    def _known(self, rule: Callable, raw: object, style: rules.NumberStyle | None = None):
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
        reads: "_BatchReads",
        stale: list,
    ) -> PlannedChange | None:
        """The planned change, or None with ``problems`` saying why not."""
        existing = reads.stored.get(proposal.account_id) if proposal.account_id else None
        matched = False
        if proposal.intent is Intent.CHANGE and existing is None:
            problems.append(Problem("unknown_id", "id", {"id": proposal.account_id}))
        elif proposal.intent is Intent.OPEN_OR_MATCH_DOCUMENT:
            document_type = values.get("document_type", DocumentType.CPF)
            existing = reads.open_by_document.get((document_type, values.get("document")))
            matched = existing is not None
        if problems:
            return None
        if existing is None:
            before = None
            account_id, after = self._new_account(proposal, values, problems, reads.taken_ids)
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
        self._check_duplicates(proposal, after, account_id, existing is not None, reads, problems)
        if problems:
            return None
        if before is None:
            return PlannedChange(proposal.reference, Action.CREATE, account_id, after)
        changed = tuple(
            name for name in WRITABLE_FIELDS if getattr(after, name) != getattr(before, name)
        )
        if not changed:
            action = Action.UNCHANGED
        elif before.status == AccountStatus.OPEN and after.status == AccountStatus.CLOSED:
            action = Action.CLOSE
        else:
            action = Action.UPDATE
        return PlannedChange(
            proposal.reference,
            action,
            account_id,
            after,
            before,
            existing.version,
            changed,
            matched,
        )

    def _new_account(
        self,
        proposal: ProposedChange,
        values: dict,
        problems: list[Problem],
        taken_ids: set[str],
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
            account_id = _document_id(document_type, document, taken_ids)
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
        try:
            rules.check_status_change(before.status, after.status)
        except ValidationError as error:
            problems.append(Problem.from_error(error, "status"))
        else:
            if before.status == AccountStatus.CLOSED and after != before:
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
        account_id: str,
        is_update: bool,
        reads: "_BatchReads",
        problems: list[Problem],
    ) -> None:
        """The same account twice in a file; two open accounts with one e-mail or document,
        in the file or in the database."""
        reference = proposal.reference
        seen = self.seen
        if is_update:
            account_key = "a:" + account_id
            first = seen.first_row(account_key)
            if first:
                column = "id" if proposal.account_id else "document"
                problems.append(Problem("account_twice_in_file", column, {"first": first}))
                return
            seen.add(account_key, reference)
        if after.status != AccountStatus.OPEN:
            return
        keys = (
            ("document", f"d:{after.document_type}:{after.document}" if after.document else ""),
            ("email", "e:" + after.email),
        )
        for field, key in keys:
            if not key:
                continue
            first = seen.first_row(key)
            if first:
                problems.append(Problem(f"{field}_twice_in_file", field, {"first": first}))
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

    # --- Batch reads ------------------------------------------------------------------------

    def _open_accounts(
        self,
        batch: Sequence[ProposedChange],
        cleaned: list[tuple[dict, list[Problem]]],
        stored: Mapping[str, StoredAccount],
    ) -> tuple[dict[tuple[str, str], StoredAccount], dict[str, str]]:
        """Open accounts that could collide with the batch, by document and by e-mail.

        Only new accounts, and changes of an e-mail, a document or its type, can collide:
        updating 100,000 limits looks nothing up here.
        """
        documents: set[str] = set()
        emails: set[str] = set()
        for proposal, (values, _problems) in zip(batch, cleaned, strict=True):
            old = stored.get(proposal.account_id)
            old_values = old.values if old is not None else None
            document = values.get("document")
            if document and (old_values is None or document != old_values.document):
                documents.add(document)
            elif (
                old_values is not None
                and old_values.document
                and values.get("document_type", old_values.document_type)
                != old_values.document_type
            ):
                documents.add(old_values.document)
            email = values.get("email")
            if email and (old_values is None or email != old_values.email):
                emails.add(email)
        return (
            selectors.open_accounts_by_document(documents),
            selectors.open_account_ids_by_email(emails),
        )

    def _taken_ids(
        self, batch: Sequence[ProposedChange], cleaned: list[tuple[dict, list[Problem]]]
    ) -> set[str]:
        """Of the ids `{document}_{documentType}` the batch would like, those in use."""
        wanted = {
            _document_id(values.get("document_type", DocumentType.CPF), values["document"], set())
            for proposal, (values, _problems) in zip(batch, cleaned, strict=True)
            if proposal.id_from_document and values.get("document")
        }
        return selectors.existing_account_ids(wanted - {""})

    def _keys(
        self,
        cleaned: list[tuple[dict, list[Problem]]],
        stored: Mapping[str, StoredAccount],
        open_by_document: Mapping[tuple[str, str], StoredAccount],
    ) -> Iterator[str]:
        """Every key ``_check_duplicates`` may ask ``seen`` about for this batch."""
        for values, _problems in cleaned:
            if values.get("document"):
                for document_type in DOCUMENT_TYPES:
                    yield f"d:{document_type}:{values['document']}"
                    if match := open_by_document.get((document_type, values["document"])):
                        yield "a:" + match.account_id
                        yield "e:" + match.values.email
            if values.get("email"):
                yield "e:" + values["email"]
        for account in stored.values():
            yield "a:" + account.account_id
            yield "e:" + account.values.email
            for document_type in DOCUMENT_TYPES:
                yield f"d:{document_type}:{account.values.document}"


@dataclass(frozen=True, slots=True)
class _BatchReads:
    """What the planner read for one batch, passed to each decision."""

    stored: Mapping[str, StoredAccount]
    open_by_document: Mapping[tuple[str, str], StoredAccount]
    open_ids_by_document: Mapping[tuple[str, str], str]
    open_by_email: Mapping[str, str]
    taken_ids: set[str]


def _is_stored_document(raw: object, document_type: str, stored: AccountValues) -> bool:
    """The value is the account's own document, bare or with the mask the export uses."""
    return document_type == stored.document_type and (
        raw == stored.document or raw == rules.format_document(document_type, stored.document)
    )


def _document_id(document_type: str, document: str, taken_ids: set[str]) -> str:
    """VTEX's id for an account opened by POST, or "" (a UUID then) when it is unusable."""
    account_id = f"{document}_{document_type}" if document else ""
    if not rules.ACCOUNT_ID_PATTERN.fullmatch(account_id) or account_id in taken_ids:
        return ""
    return account_id
