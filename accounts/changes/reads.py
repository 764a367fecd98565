"""What the planner reads for one batch, in a few queries whatever the batch's size."""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from accounts import rules, selectors
from accounts.models import DocumentType

from .records import ProposedChange, StoredAccount

DOCUMENT_TYPES = tuple(DocumentType.values)


@dataclass(frozen=True, slots=True)
class BatchReads:
    """The accounts a batch's changes are about or could collide with."""

    stored: Mapping[str, StoredAccount]  # the accounts named by id
    open_by_document: Mapping[tuple[str, str], StoredAccount]
    open_ids_by_document: Mapping[tuple[str, str], str]
    open_by_email: Mapping[str, str]
    taken_ids: set[str]  # ids `{document}_{documentType}` already in use

    def document_id(self, document_type: str, document: str) -> str:
        """VTEX's id for an account opened by POST, or "" (a UUID then) when it is unusable."""
        account_id = f"{document}_{document_type}" if document else ""
        if not rules.ACCOUNT_ID_PATTERN.fullmatch(account_id) or account_id in self.taken_ids:
            return ""
        return account_id

    def seen_keys(self, cleaned: list[dict]) -> Iterator[str]:
        """Every key the duplicate check may ask the seen keys about for this batch."""
        for values in cleaned:
            if values.get("document"):
                for document_type in DOCUMENT_TYPES:
                    yield f"d:{document_type}:{values['document']}"
                    if match := self.open_by_document.get((document_type, values["document"])):
                        yield "a:" + match.account_id
                        yield "e:" + match.values.email
            if values.get("email"):
                yield "e:" + values["email"]
        for account in self.stored.values():
            yield "a:" + account.account_id
            yield "e:" + account.values.email
            for document_type in DOCUMENT_TYPES:
                yield f"d:{document_type}:{account.values.document}"


def read_batch(
    batch: Sequence[ProposedChange], cleaned: list[dict], stored: Mapping[str, StoredAccount]
) -> BatchReads:
    """Open accounts that could collide with the batch, by document and by e-mail.

    Only new accounts, and changes of an e-mail, a document or its type, can collide:
    updating 100,000 limits looks nothing up here.
    """
    documents: set[str] = set()
    emails: set[str] = set()
    wanted_ids: set[str] = set()
    for proposal, values in zip(batch, cleaned, strict=True):
        old = stored.get(proposal.account_id)
        old_values = old.values if old is not None else None
        document = values.get("document")
        if document and (old_values is None or document != old_values.document):
            documents.add(document)
        elif (
            old_values is not None
            and old_values.document
            and values.get("document_type", old_values.document_type) != old_values.document_type
        ):
            documents.add(old_values.document)
        email = values.get("email")
        if email and (old_values is None or email != old_values.email):
            emails.add(email)
        if proposal.id_from_document and document:
            wanted_ids.add(f"{document}_{values.get('document_type', DocumentType.CPF)}")
    open_by_document = selectors.open_accounts_by_document(documents)
    return BatchReads(
        stored=stored,
        open_by_document=open_by_document,
        open_ids_by_document={
            key: account.account_id for key, account in open_by_document.items()
        },
        open_by_email=selectors.open_account_ids_by_email(emails),
        taken_ids=selectors.existing_account_ids(wanted_ids),
    )
