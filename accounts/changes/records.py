"""The values the planner takes and gives: a proposed change, an account's values, a plan.

The records made once per row of an import are named tuples: immutable like frozen
dataclasses, and several times cheaper to build, which a 100,000-row file notices.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from accounts.amounts import NumberStyle
from accounts.problems import Problem

__all__ = [
    "WRITABLE_FIELDS",
    "AccountValues",
    "Action",
    "BatchPlan",
    "Intent",
    "PlannedChange",
    "ProposedChange",
    "Refusal",
    "StoredAccount",
]

# The account fields a change can set, in the order the pages and the template show them.
WRITABLE_FIELDS = ("email", "document_type", "document", "credit_limit", "tolerance", "status")


class Intent(StrEnum):
    """What the caller asks for, which decides how the account is found."""

    OPEN = "open"  # a new account (the form's New, the API's POST)
    CHANGE = "change"  # an existing account, by id (Edit, Close, the API, a CSV row with Id)
    OPEN_OR_CHANGE = "open_or_change"  # the API's PUT /accounts/{id}: the id may be new
    # A CSV row with a blank Id: a new account, unless an open one has the same document.
    OPEN_OR_MATCH_DOCUMENT = "open_or_match_document"


class Action(StrEnum):
    """What an accepted change does to the account."""

    CREATE = "create"
    UPDATE = "update"
    CLOSE = "close"
    UNCHANGED = "unchanged"


class ProposedChange(NamedTuple):
    """What someone asks to change, as they typed or sent it.

    ``values`` holds raw values (text from a form or a file, JSON values from the API) keyed
    by account field; a field left out stays as it is (or takes its default on a new
    account). ``reference`` is the CSV row number (0 elsewhere); ``channel`` where the
    change comes from (accounts.history.Channel).
    """

    intent: Intent
    values: Mapping[str, object]
    channel: str
    account_id: str = ""
    based_on_version: int | None = None  # the version the person saw (form, If-Match)
    reference: int = 0
    number_style: NumberStyle = NumberStyle.UNKNOWN
    # The API's POST: the id is `{document}_{documentType}` as VTEX builds it, if free.
    id_from_document: bool = False


class AccountValues(NamedTuple):
    """The writable values of one account, cleaned by the rules."""

    email: str
    document_type: str
    document: str
    credit_limit: Decimal
    tolerance: Decimal
    status: str


class StoredAccount(NamedTuple):
    """An account as the planner read it: its values and the version they carry."""

    account_id: str
    values: AccountValues
    version: int


class PlannedChange(NamedTuple):
    """An accepted change: what it does, to which account, from which values to which."""

    reference: int
    action: Action
    account_id: str
    after: AccountValues
    before: AccountValues | None = None  # None for a new account
    version: int = 0  # the account's version the plan was made on; 0 for a new account
    changed_fields: tuple[str, ...] = WRITABLE_FIELDS
    matched_by_document: bool = False
    # Problems of severity WARNING: the change is made, but whoever confirms it should look.
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True)
class Refusal:
    """A proposed change the planner refused, and why."""

    proposal: ProposedChange
    problems: list[Problem]


@dataclass
class BatchPlan:
    """The planner's answer for a batch: accepted changes (unchanged ones included) and
    refusals, each in the batch's order."""

    accepted: list[PlannedChange] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
