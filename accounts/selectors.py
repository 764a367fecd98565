"""Reads of accounts, shared by the Accounts page, the export and the API."""

import re

from django.db.models import Q, QuerySet

from .models import Account, DocumentType

SORTABLE_FIELDS = {
    "email": "email",
    "document": "document",
    "credit_limit": "credit_limit",
    "tolerance": "tolerance",
    "status": "status",
    "created": "created_at",
}
DEFAULT_ORDERING = "-created"

_document_punctuation = re.compile(r"[\s./\-]")


def search_accounts(
    *,
    query: str = "",
    status: str = "",
    document_type: str = "",
    email: str = "",
    ordering: str = "",
) -> QuerySet[Account]:
    """Accounts matching a free-text query (e-mail, document with or without mask, id).

    Every branch is an indexed lookup: exact id, exact normalized document, e-mail
    exact or by prefix, so the page stays fast on a million accounts.
    """
    accounts = Account.objects.all()
    query = query.strip()
    if query:
        lowered = query.lower()
        condition = Q(pk=query) | Q(email__startswith=lowered)
        compact = _document_punctuation.sub("", query).upper()
        if compact:
            condition |= Q(document=compact)
        if compact != query:
            condition |= Q(document=query)
        accounts = accounts.filter(condition)
    if status:
        accounts = accounts.filter(status=status)
    if document_type and document_type in DocumentType.values:
        accounts = accounts.filter(document_type=document_type)
    if email:
        accounts = accounts.filter(email=email.strip().lower())
    return accounts.order_by(*ordering_for(ordering))


def ordering_for(sort: str) -> list[str]:
    """Translate a `?sort=` value (`created`, `-email`, …) into a stable ORDER BY."""
    descending = sort.startswith("-")
    field = SORTABLE_FIELDS.get(sort.lstrip("-"))
    if field is None:
        return ["-created_at", "id"]
    return [f"-{field}" if descending else field, "id"]


def account_history(*, account: Account, limit: int = 100) -> list:
    """The newest changes of an account, each with the fields that changed (old → new)."""
    records = list(
        account.history.select_related("history_user").order_by("-history_id")[: limit + 1]
    )
    entries = []
    for record, previous in zip(records, records[1:] + [None], strict=True):
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, excluded_fields=["updated_at"])
            changes = [
                (record._meta.get_field(change.field).verbose_name, change.old, change.new)
                for change in delta.changes
            ]
        entries.append({"record": record, "changes": changes})
    return entries[:limit]
