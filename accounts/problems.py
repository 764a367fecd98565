"""What can be wrong with a proposed account change: a stable code, parameters, a message.

Every rule (rules.py) and the planner (changes/) describe a problem as a code plus
JSON-safe parameters; the message is looked up in ``MESSAGES`` and rendered only when
someone reads it, in their language, with numbers in their locale. So an import checked
while Portuguese was active reads in Spanish to a Spanish-speaking manager, and the form,
the API and the import say the same thing for the same mistake. Most of the module is that
registry, one entry per code, kept together so that every message can be read (and
translated) side by side.
"""

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Message:
    """The text of one problem code; ``numbers`` name the parameters shown as numbers."""

    text: str
    numbers: tuple[str, ...] = ()
    defaults: Mapping[str, object] = dataclasses.field(default_factory=dict)

    def render(self, params: Mapping[str, object]) -> str:
        return str(self.text) % self.values(params)

    def values(self, params: Mapping[str, object]) -> dict[str, object]:
        """The parameters as the text shows them: numbers in the active locale."""
        from .display import plain_number  # display shows documents with rules' masks

        values = {**self.defaults, **params}
        for name in self.numbers:
            if name in values:
                values[name] = plain_number(str(values[name]))
        return values


@dataclass(frozen=True)
class CountedMessage(Message):
    """A message whose wording follows a count (``1 row``, ``2 rows``): ``text`` is an
    ``ngettext_lazy(singular, plural)``, its form chosen when read from the ``count``
    parameter, which is shown as a number in the active locale."""

    count: str = "count"

    def render(self, params: Mapping[str, object]) -> str:
        # A lazy ngettext given the number alone returns that number's form, unformatted.
        wording = self.text % int(params[self.count])  # type: ignore[operator]
        return str(wording) % self.values(params)

    def values(self, params: Mapping[str, object]) -> dict[str, object]:
        count = formats.number_format(int(params[self.count]), force_grouping=True)
        return {**super().values(params), self.count: count}


class StaleVersionMessage(Message):
    """Who changed the account since the caller read it, when, how, and both values."""

    def render(self, params: Mapping[str, object]) -> str:
        from .display import account_value_text
        from .history import HISTORY_CHANNELS, stored_text
        from .models import Account

        source = stored_text(str(params.get("source") or ""))
        who = str(params.get("user") or source or gettext("someone"))
        # History's channels: an import's revert among them.
        through = str(dict(HISTORY_CHANNELS)[params["channel"]])
        if source and source != who:
            through = f"{through} ({source})"
        when = timezone.localtime(datetime.fromisoformat(str(params["when"])))
        differences = [
            gettext("%(field)s is now %(theirs)s (yours: %(yours)s).")
            % {
                "field": str(Account._meta.get_field(name).verbose_name).capitalize(),
                "theirs": account_value_text(name, theirs),
                "yours": account_value_text(name, yours),
            }
            for name, theirs, yours in params.get("differences", [])
        ]
        text = str(self.text) % {
            **params,
            "who": who,
            "when": formats.date_format(when, "DATETIME_FORMAT"),
            "through": through,
        }
        return " ".join([text, *differences])


class IdentityChangeMessage(Message):
    """An account's e-mail, document or document type changed: the field by its name, both
    values as the account page shows them (documents masked)."""

    def render(self, params: Mapping[str, object]) -> str:
        from .display import account_value_text
        from .models import Account

        field = str(params["field"])
        return str(self.text) % {
            **params,
            "field": Account._meta.get_field(field).verbose_name,
            "old": account_value_text(field, params["old"], document_type=params["old_type"]),
            "new": account_value_text(field, params["new"], document_type=params["new_type"]),
        }


class LimitChangeMessage(Message):
    """A credit limit raised or cut a lot: both amounts in the store currency (``currency``,
    kept with the warning so that rendering a page of them reads no settings)."""

    def render(self, params: Mapping[str, object]) -> str:
        from .display import money, plain_number

        currency = str(params["currency"])
        return str(self.text) % {
            **params,
            "old": money(str(params["old"]), currency),
            "new": money(str(params["new"]), currency),
            "percent": plain_number(str(params.get("percent", "0"))),
        }


MESSAGES: Mapping[str, Message] = {
    # Reading numbers (rules.parse_amount).
    "not_a_number": Message(_("“%(value)s” is not a number.")),
    "non_ascii_digits": Message(
        _("“%(value)s” has digits other than 0 to 9: type the number with the digits 0 to 9.")
    ),
    # A value that reads two ways: a warning in an import, refused by the form and the API.
    "amount_ambiguous": Message(
        _(
            "“%(value)s” could be %(thousands)s (with “%(separator)s” separating thousands) or "
            "%(decimal)s. Write %(plain)s, or the amount with two decimals, so that it reads "
            "one way only."
        ),
        numbers=("thousands", "decimal"),
    ),
    "amount_contradicts_file": Message(
        _(
            "In this file “%(separator)s” marks the decimals (row %(example_row)s: "
            "“%(example)s”), so “%(value)s” would be %(decimal)s, with three decimals. For "
            "%(thousands)s write %(plain)s; otherwise write the amount with two decimals."
        ),
        numbers=("thousands", "decimal"),
    ),
    "amount_mixed_styles": Message(
        _(
            "“%(value)s” could be %(thousands)s or %(decimal)s, and this file writes amounts "
            "both ways (row %(point_row)s: “%(point_example)s”; row %(comma_row)s: "
            "“%(comma_example)s”). Write %(plain)s for %(thousands)s, or the amount with two "
            "decimals."
        ),
        numbers=("thousands", "decimal"),
    ),
    # Credit limit and tolerance.
    "credit_limit_negative": Message(_("The credit limit cannot be negative.")),
    "credit_limit_too_large": Message(
        _("The credit limit is too large: at most %(max)s."), numbers=("max",)
    ),
    "credit_limit_too_precise": Message(
        _("The credit limit has at most 2 decimal places, e.g. %(example)s."),
        numbers=("example",),
        defaults={"example": "1500.50"},
    ),
    "tolerance_negative": Message(_("The tolerance cannot be negative.")),
    "tolerance_out_of_range": Message(
        _("The tolerance is a fraction between 0 and 1 (%(example)s = 5%%)."),
        numbers=("example",),
        defaults={"example": "0.05"},
    ),
    "tolerance_percent": Message(
        _(
            "The tolerance is a fraction between 0 and 1 (%(example)s = 5%%). Did you mean "
            "%(fraction)s = %(percent)s%%?"
        ),
        numbers=("example", "fraction", "percent"),
        defaults={"example": "0.05"},
    ),
    "tolerance_too_precise": Message(
        _("The tolerance has at most 4 decimal places, e.g. %(example)s."),
        numbers=("example",),
        defaults={"example": "0.0525"},
    ),
    # E-mail.
    "email_required": Message(_("Enter the customer's e-mail.")),
    "email_invalid": Message(_("“%(value)s” is not a valid e-mail address.")),
    "email_too_long": Message(
        _("The e-mail has %(length)s characters: at most %(max)s fit."),
        numbers=("length", "max"),
    ),
    # Documents.
    "invalid_document_type": Message(
        _("Unknown document type “%(value)s”: use CPF, CNPJ or Other.")
    ),
    "document_required": Message(_("Enter the customer's document.")),
    "document_too_long": Message(
        _("The document is too long: at most %(max)s characters."), numbers=("max",)
    ),
    "cpf_invalid_length": Message(_("A CPF has 11 digits, for example 529.982.247-25.")),
    "cpf_invalid_check_digits": Message(
        _("This CPF is not valid: check the digits (the last two are check digits).")
    ),
    "cnpj_invalid_length": Message(
        _(
            "A CNPJ has 14 characters, for example 11.222.333/0001-81 "
            "(the first 12 may be letters since 2026; the last 2 are digits)."
        )
    ),
    "cnpj_invalid_check_digits": Message(
        _("This CNPJ is not valid: check the characters (the last two are check digits).")
    ),
    "other_document_type": Message(
        _("This is a valid %(type)s: choose %(type)s as the document type.")
    ),
    # A CPF/CNPJ a spreadsheet turned into a number (accounts.documents): read back only
    # when exactly one reading is valid, a warning in an import, refused by the form and API.
    "document_changed_by_spreadsheet": Message(
        _(
            "“%(value)s” looks like the %(document_type)s %(document)s after a spreadsheet "
            "turned it into a number (dropping its leading zeros or adding .0). Check that it "
            "is the customer's, and type it as %(document)s (in a spreadsheet, format the "
            "column as Text first)."
        )
    ),
    "document_in_scientific_notation": Message(
        _(
            "“%(value)s” is a document a spreadsheet wrote in scientific notation, keeping only "
            "its first digits: it cannot be read back. Format the Document column as Text in "
            "the spreadsheet, type the document again and save the file."
        )
    ),
    "document_number_ambiguous": Message(
        _(
            "“%(value)s” is a document a spreadsheet turned into a number, and it reads as two "
            "valid documents, %(first)s or %(second)s. Format the Document column as Text in "
            "the spreadsheet, type the document again and save the file."
        )
    ),
    "document_may_have_lost_digits": Message(
        _(
            "“%(value)s” is a valid %(document_type)s, but it ends in zeros the way a document "
            "does after a spreadsheet showed it in scientific notation (5.29982E+10) and its "
            "lost digits came back as zeros. Compare it with the customer's document; if it "
            "is wrong, format the Document column as Text in the spreadsheet and type it again."
        )
    ),
    "document_number_unreadable": Message(
        _(
            "“%(value)s” looks like a document a spreadsheet turned into a number, and "
            "restoring it does not give a valid %(document_type)s. Format the Document column "
            "as Text in the spreadsheet, type the document again with its leading zeros and "
            "save the file."
        )
    ),
    # An import raising or cutting a credit limit a lot (a warning; changes/warnings.py).
    "credit_limit_large_increase": LimitChangeMessage(
        _(
            "This row raises the credit limit of account %(account)s from %(old)s to %(new)s "
            "(+%(percent)s%%). Check that this is meant."
        )
    ),
    "credit_limit_from_zero": LimitChangeMessage(
        _(
            "This row raises the credit limit of account %(account)s from %(old)s to %(new)s. "
            "Check that this is meant."
        )
    ),
    "credit_limit_large_cut": LimitChangeMessage(
        _(
            "This row cuts the credit limit of account %(account)s from %(old)s to %(new)s "
            "(−%(percent)s%%). Check that this is meant."
        )
    ),
    # An import changing how an existing account is recognised (a warning).
    "identity_changed": IdentityChangeMessage(
        _(
            "This row changes the %(field)s of account %(account)s from %(old)s to %(new)s. "
            "If that is not meant, leave the cell blank to keep the current value."
        )
    ),
    "identity_changed_matched": IdentityChangeMessage(
        _(
            "This row has no Id, but its document matches the open account %(account)s, so it "
            "changes that account's %(field)s from %(old)s to %(new)s. If that is not meant, "
            "leave the cell blank to keep the current value, or check the document."
        )
    ),
    "null_character": Message(
        _(
            "“%(value)s” holds an invisible NUL character (shown as �), which cannot be "
            "stored; it usually comes from a damaged file or a copy from another program. "
            "Type the value again."
        )
    ),
    "invisible_character": Message(
        _(
            "“%(value)s” holds a character nobody can see (%(character)s, character "
            "%(position)s), which usually comes with a copy from a web page or another "
            "program. Type the value again."
        )
    ),
    "text_non_ascii_digits": Message(
        _("“%(value)s” has digits other than 0 to 9: type it again with the digits 0 to 9.")
    ),
    # Status and ids.
    "invalid_status": Message(_("Unknown status “%(value)s”: use Open or Closed.")),
    "reopen_refused": Message(
        _(
            "A closed account cannot be reopened. Open a new account for this customer "
            "instead (leave Id blank)."
        )
    ),
    "account_id_invalid": Message(
        _("An account id has 1 to 100 characters among letters, digits and . _ : @ + -")
    ),
    # The planner: the account as it is, other accounts, the store's settings.
    "unknown_id": Message(
        _(
            "No account has the Id “%(id)s”. Copy the Id from an export, or leave Id blank "
            "to create a new account."
        )
    ),
    "account_closed": Message(_("A closed account cannot be changed.")),
    "new_account_closed": Message(
        _("A new account is always open: leave Status blank or write Open.")
    ),
    "tolerance_disabled": Message(
        _(
            "This store does not use tolerance (see Store settings): an account's tolerance "
            "cannot be set."
        )
    ),
    "duplicate_open_email": Message(
        _("An open account with this e-mail already exists (account %(id)s).")
    ),
    "duplicate_open_document": Message(
        _("An open account with this document already exists (account %(id)s).")
    ),
    "account_twice_in_file": Message(
        _(
            "This account is already in row %(first)s of this file. Keep one row per "
            "account: merge the two rows."
        )
    ),
    "document_twice_in_file": Message(
        _(
            "Row %(first)s of this file already has this document: the same account cannot "
            "be in a file twice. Merge the two rows."
        )
    ),
    "email_twice_in_file": Message(
        _(
            "Row %(first)s of this file already uses this e-mail: two open accounts cannot "
            "share an e-mail."
        )
    ),
    "stale_version": StaleVersionMessage(
        _(
            "Changed by %(who)s on %(when)s through %(through)s since you last saw it: "
            "nothing was saved, so that change is kept. Check the account and save again if "
            "your values are still right."
        )
    ),
    "holder_exists": Message(_("%(email)s is already a holder of this account.")),
}

# Codes of a second open account with the same e-mail or document (VTEX's error 1099).
DUPLICATE_CODES = frozenset({"duplicate_open_email", "duplicate_open_document"})


def render_message(
    code: str,
    params: Mapping[str, object],
    *,
    fallback: str = "",
    messages: Mapping[str, Message] = MESSAGES,
) -> str:
    """The message of a code in the active language; ``fallback`` for an unknown code or
    parameters the message cannot use (a row stored before its code had them)."""
    message = messages.get(code)
    if message is None:
        return fallback or code
    try:
        return message.render(params)
    except (KeyError, TypeError, ValueError, ArithmeticError):
        return fallback or code


def json_safe(value: object) -> object:
    """Parameters are stored as JSON: Decimals become their plain text."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str):
        return str(value)  # a TextChoices member is a str too, but not plain JSON
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    return value


class RuleText:
    """A ValidationError message that renders its code when it is read, not when raised.

    Django formats a message with ``message % params``: this one ignores the right-hand
    side because it already holds its parameters, and formats numbers itself.
    """

    __slots__ = ("code", "params")

    def __init__(self, code: str, params: Mapping[str, object]) -> None:
        self.code = code
        self.params = params

    def __str__(self) -> str:
        return render_message(self.code, self.params)

    def __mod__(self, _params: object) -> str:
        return str(self)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, RuleText)
            and (self.code, self.params) == (other.code, other.params)
        )

    def __hash__(self) -> int:
        return hash(self.code)

    def __repr__(self) -> str:
        return f"RuleText({self.code!r}, {dict(self.params)!r})"


def rule_error(code: str, **params: object) -> ValidationError:
    """The ValidationError a rule raises: its message is the registered one for ``code``."""
    safe = {name: json_safe(value) for name, value in params.items()}
    return ValidationError(RuleText(code, safe), code=code, params=safe)


class DoubtfulValue(ValidationError):
    """A value a rule read one way though it could mean another: 1.500 read as 1500.00, a
    CPF whose leading zeros a spreadsheet dropped. ``value`` is the reading.

    Raised like any rule error, so a channel that cannot show a warning (the form, the API)
    refuses the value; the import stores ``value`` and shows the doubt as a warning
    (accounts.changes). A rule that checks the value further keeps the doubt: ``checked``.
    """

    def __init__(self, value: object, code: str, params: Mapping[str, object]) -> None:
        safe = {name: json_safe(item) for name, item in params.items()}
        super().__init__(RuleText(code, safe), code=code, params=safe)
        self.value = value

    def checked(self, check: Callable[[object], object]) -> "DoubtfulValue":
        """The same doubt about ``check(value)``; ``check``'s own errors come first."""
        return DoubtfulValue(check(self.value), self.code, self.params)


class Severity(StrEnum):
    ERROR = "error"  # the change is refused
    WARNING = "warning"  # the change is made, but deserves a look (confirmed knowingly)


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a proposed change cannot be made as asked, on one field (None: the whole change),
    or, with severity WARNING, what to check about a change that will be made."""

    code: str
    field: str | None = None
    params: Mapping[str, object] = dataclasses.field(default_factory=dict)
    severity: Severity = Severity.ERROR

    @property
    def message(self) -> str:
        return render_message(self.code, self.params)

    @classmethod
    def from_error(cls, error: ValidationError, field_name: str | None) -> "Problem":
        """A rule's ValidationError (one error, as rules raise them) as a problem."""
        return cls(error.code or "invalid", field_name, dict(error.params or {}))

    @classmethod
    def warning(cls, code: str, field_name: str | None, params: Mapping[str, object]) -> "Problem":
        return cls(code, field_name, params, Severity.WARNING)

    def as_validation_error(self) -> ValidationError:
        return ValidationError(
            RuleText(self.code, self.params), code=self.code, params=dict(self.params)
        )


class ChangeRefused(ValidationError):
    """A change refused by the planner: a ValidationError per field, with its problems."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        by_field: dict[str, list[ValidationError]] = {}
        for problem in self.problems:
            by_field.setdefault(problem.field or NON_FIELD_ERRORS, []).append(
                problem.as_validation_error()
            )
        super().__init__(by_field)
