"""What the person confirming a batch of changes should look at: an import's warnings.

The form and the API apply a change at once, so whatever is doubtful there is refused. An
import is confirmed by someone after its preview, so a doubtful value is kept (with the
reading the rule chose) and shown as a warning, and so is any change to how an existing
account is recognised: its e-mail, document or document type, and a credit limit raised or
cut by more than the store's percentages (StoreSettings.large_increase_percent,
large_decrease_percent).
"""

from decimal import Decimal

from accounts.history import Channel
from accounts.problems import DoubtfulValue, Problem

from .records import AccountValues, ProposedChange

IDENTITY_FIELDS = ("email", "document_type", "document")
_IDENTITY = frozenset(IDENTITY_FIELDS)


def confirmed_by_someone(proposal: ProposedChange) -> bool:
    """Whether a person confirms the change after seeing its warnings (an import's preview)."""
    return proposal.channel == Channel.IMPORT


def doubt_problem(doubt: DoubtfulValue, field: str, proposal: ProposedChange) -> Problem:
    """A doubtful reading of ``field``: a warning where someone confirms, else an error."""
    if confirmed_by_someone(proposal):
        return Problem.warning(doubt.code, field, dict(doubt.params))
    return Problem.from_error(doubt, field)


def changes_identity(changed_fields: tuple[str, ...]) -> bool:
    return not _IDENTITY.isdisjoint(changed_fields)


def identity_changes(
    account_id: str,
    before: AccountValues,
    after: AccountValues,
    changed_fields: tuple[str, ...],
    matched_by_document: bool,
) -> list[Problem]:
    """One warning per identity field changed, old → new, naming the account (and saying it
    was found by its document when the row had no Id)."""
    code = "identity_changed_matched" if matched_by_document else "identity_changed"
    return [
        Problem.warning(
            code,
            field,
            {
                "account": account_id,
                "field": field,
                "old": getattr(before, field),
                "new": getattr(after, field),
                "old_type": before.document_type,
                "new_type": after.document_type,
            },
        )
        for field in IDENTITY_FIELDS
        if field in changed_fields
    ]


def large_limit_change(
    account_id: str, before: AccountValues, after: AccountValues, store_settings
) -> list[Problem]:
    """A warning, old → new, for a credit limit raised by the store's large-increase
    percentage or more (any raise from zero), or cut by its large-cut percentage or more."""
    old, new = before.credit_limit, after.credit_limit
    params = {"account": account_id, "old": str(old), "new": str(new)}
    params["currency"] = store_settings.currency_code
    if new > old:
        if not old:
            return [Problem.warning("credit_limit_from_zero", "credit_limit", params)]
        if (new - old) * 100 < old * store_settings.large_increase_percent:
            return []
        code = "credit_limit_large_increase"
    else:
        if (old - new) * 100 < old * store_settings.large_decrease_percent:
            return []
        code = "credit_limit_large_cut"
    percent = (abs(new - old) * 100 / old).quantize(Decimal("1"))
    return [Problem.warning(code, "credit_limit", {**params, "percent": str(percent)})]
