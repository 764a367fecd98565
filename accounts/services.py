"""Writes to accounts: every channel (form, import, API, commands) opens, changes and
closes accounts through these functions, so each rule is applied the same way."""

import hashlib
import hmac
import re
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import rules
from .history import ChangeSource
from .models import (
    Account,
    AccountStatus,
    ApiKey,
    ApiScope,
    DocumentType,
    Holder,
    StoreSettings,
)

UNSET = object()


@dataclass(frozen=True)
class AccountFields:
    """Cleaned values for a new account."""

    email: str
    document_type: str
    document: str
    credit_limit: Decimal
    tolerance: Decimal


def clean_new_account(
    *,
    email: object,
    document_type: object,
    document: object,
    credit_limit: object = None,
    tolerance: object = None,
    document_required: bool = True,
) -> AccountFields:
    """Apply every field rule for a new account; errors are collected per field."""
    errors: dict[str, list[ValidationError]] = {}
    cleaned: dict[str, object] = {}

    def run(field: str, rule, *args, **kwargs) -> None:
        try:
            cleaned[field] = rule(*args, **kwargs)
        except ValidationError as error:
            errors.setdefault(field, []).append(error)

    run("email", rules.clean_email, email)
    run("document_type", rules.clean_document_type, document_type or DocumentType.CPF)
    if "document_type" in cleaned:
        run(
            "document",
            rules.clean_document,
            cleaned["document_type"],
            document,
            required=document_required,
        )
    if credit_limit in (None, ""):
        cleaned["credit_limit"] = StoreSettings.load().default_credit_limit
    else:
        run("credit_limit", rules.clean_credit_limit, credit_limit)
    if tolerance in (None, ""):
        cleaned["tolerance"] = Decimal("0")
    else:
        run("tolerance", rules.clean_tolerance, tolerance)
    if errors:
        raise ValidationError(errors)
    return AccountFields(**cleaned)


def check_open_duplicates(
    *, email: str, document_type: str, document: str, exclude_id: str | None = None
) -> None:
    """Refuse a second open account with the same e-mail or the same document."""
    others = Account.objects.open()
    if exclude_id is not None:
        others = others.exclude(pk=exclude_id)
    errors: dict[str, ValidationError] = {}
    existing = others.filter(email=email).values_list("pk", flat=True).first()
    if existing:
        errors["email"] = rules.duplicate_open_account_error(field="email", existing_id=existing)
    if document:
        existing = (
            others.filter(document_type=document_type, document=document)
            .values_list("pk", flat=True)
            .first()
        )
        if existing:
            errors["document"] = rules.duplicate_open_account_error(
                field="document", existing_id=existing
            )
    if errors:
        raise ValidationError(errors)


def open_account(
    *,
    email: object,
    document_type: object,
    document: object,
    credit_limit: object = None,
    tolerance: object = None,
    source: ChangeSource,
    account_id: str | None = None,
    document_required: bool = True,
) -> Account:
    """Open a new account after checking every rule; raises ValidationError per field."""
    fields = clean_new_account(
        email=email,
        document_type=document_type,
        document=document,
        credit_limit=credit_limit,
        tolerance=tolerance,
        document_required=document_required,
    )
    account = Account(
        email=fields.email,
        document_type=fields.document_type,
        document=fields.document,
        credit_limit=fields.credit_limit,
        tolerance=fields.tolerance,
    )
    if account_id:
        account.pk = account_id
    with transaction.atomic():
        check_open_duplicates(
            email=fields.email, document_type=fields.document_type, document=fields.document
        )
        account._change_source = source
        try:
            with transaction.atomic():
                account.save(force_insert=True)
        except IntegrityError:
            # A concurrent request opened the same account between the check and the insert.
            check_open_duplicates(
                email=fields.email, document_type=fields.document_type, document=fields.document
            )
            raise
    return account


def change_account(
    *,
    account_id: str,
    source: ChangeSource,
    email: object = UNSET,
    document_type: object = UNSET,
    document: object = UNSET,
    credit_limit: object = UNSET,
    tolerance: object = UNSET,
    status: object = UNSET,
) -> Account:
    """Change the given fields of an account (others stay as they are).

    The row is locked for the duration so concurrent changes never lose an update.
    Raises Account.DoesNotExist for an unknown id and ValidationError per field.
    """
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=account_id)
        errors: dict[str, list[ValidationError]] = {}
        changes: dict[str, object] = {}

        def run(field: str, rule, *args, **kwargs) -> None:
            try:
                changes[field] = rule(*args, **kwargs)
            except ValidationError as error:
                errors.setdefault(field, []).append(error)

        if email is not UNSET:
            run("email", rules.clean_email, email)
        new_type = account.document_type
        if document_type is not UNSET and document_type not in (None, ""):
            run("document_type", rules.clean_document_type, document_type)
            new_type = changes.get("document_type", new_type)
        if document is not UNSET or "document_type" in changes:
            raw_document = account.document if document is UNSET else document
            run("document", rules.clean_document, new_type, raw_document, required=False)
        if credit_limit is not UNSET:
            run("credit_limit", rules.clean_credit_limit, credit_limit)
        if tolerance is not UNSET:
            run("tolerance", rules.clean_tolerance, tolerance)
        if status is not UNSET:
            run("status", rules.clean_status, status)
            if "status" in changes:
                try:
                    rules.check_status_change(account.status, changes["status"])
                except ValidationError as error:
                    errors.setdefault("status", []).append(error)
        if errors:
            raise ValidationError(errors)

        changed = {
            field: value for field, value in changes.items() if getattr(account, field) != value
        }
        if not changed:
            return account
        for field, value in changed.items():
            setattr(account, field, value)
        if account.status == AccountStatus.OPEN and (
            {"email", "document", "document_type", "status"} & changed.keys()
        ):
            check_open_duplicates(
                email=account.email,
                document_type=account.document_type,
                document=account.document,
                exclude_id=account.pk,
            )
        account.version = F("version") + 1
        account._change_source = source
        account.save()
        account.refresh_from_db(fields=["version"])
    return account


def close_account(*, account_id: str, source: ChangeSource) -> Account:
    """Close an account; closing is irreversible and closing twice is harmless."""
    return change_account(account_id=account_id, source=source, status=AccountStatus.CLOSED)


# Ids chosen by API callers (and built from documents) must stay usable in a URL path.
ACCOUNT_ID_PATTERN = re.compile(r"[A-Za-z0-9._:@+-]{1,100}")
ACCOUNT_CLOSED_MESSAGE = _("A closed account cannot be changed.")
HOLDER_EXISTS_MESSAGE = _("%(email)s is already a holder of this account.")


def change_open_account(*, account_id: str, source: ChangeSource, **changes: object) -> Account:
    """change_account for channels that must not touch closed accounts (the API).

    The row lock taken here is held through change_account, so the account cannot be
    closed between the check and the change.
    """
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=account_id)
        if not account.is_open:
            raise ValidationError(ACCOUNT_CLOSED_MESSAGE, code="account_closed")
        return change_account(account_id=account_id, source=source, **changes)


def open_account_with_document_id(
    *,
    email: object,
    document_type: object,
    document: object,
    credit_limit: object = None,
    tolerance: object = None,
    source: ChangeSource,
) -> Account:
    """Open an account whose id is `{document}_{documentType}`, as VTEX's API does.

    The id falls back to a UUID when the account has no document or that id is taken
    (a closed account of the same customer keeps its id forever).
    """
    fields = clean_new_account(
        email=email,
        document_type=document_type,
        document=document,
        credit_limit=credit_limit,
        tolerance=tolerance,
        document_required=False,
    )
    account_id = f"{fields.document}_{fields.document_type}" if fields.document else None
    if account_id and (
        not ACCOUNT_ID_PATTERN.fullmatch(account_id)
        or Account.objects.filter(pk=account_id).exists()
    ):
        account_id = None
    values = {
        "email": fields.email,
        "document_type": fields.document_type,
        "document": fields.document,
        "credit_limit": fields.credit_limit,
        "tolerance": fields.tolerance,
    }
    try:
        return open_account(**values, source=source, account_id=account_id, document_required=False)
    except IntegrityError:
        if account_id is None:
            raise
        # Another request took the same id a moment ago for an account that is no duplicate.
        return open_account(**values, source=source, document_required=False)


def open_account_with_id(
    *,
    account_id: str,
    email: object = None,
    document_type: object = None,
    document: object = "",
    credit_limit: object = None,
    tolerance: object = None,
    source: ChangeSource,
) -> Account:
    """Open an account under an id the caller chose (VTEX's PUT /accounts/{id})."""
    if not ACCOUNT_ID_PATTERN.fullmatch(account_id):
        raise ValidationError(
            {
                "id": ValidationError(
                    _(
                        "An account id has 1 to 100 characters among letters, digits "
                        "and . _ : @ + -"
                    ),
                    code="account_id_invalid",
                )
            }
        )
    return open_account(
        account_id=account_id,
        email=email,
        document_type=document_type,
        document=document,
        credit_limit=credit_limit,
        tolerance=tolerance,
        source=source,
        document_required=False,
    )


def _record_holder_change(account: Account, source: ChangeSource, reason: str) -> None:
    """Write a row in the account's history, so holder changes show there like any other."""
    account._change_source = source
    account._change_reason = reason  # django-simple-history stores it as history_change_reason
    account.save(update_fields=["updated_at"])


def add_holder(*, account_id: str, email: object, source: ChangeSource) -> Holder:
    """Add an e-mail-only holder who shares the account's credit."""
    try:
        email = rules.clean_email(email)
    except ValidationError as error:
        raise ValidationError({"email": error}) from None
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=account_id)
        if not account.is_open:
            raise ValidationError(ACCOUNT_CLOSED_MESSAGE, code="account_closed")
        if account.holders.filter(email=email).exists():
            raise ValidationError(
                HOLDER_EXISTS_MESSAGE, code="holder_exists", params={"email": email}
            )
        holder = Holder.objects.create(account=account, email=email)
        _record_holder_change(
            account, source, gettext("Holder %(email)s added.") % {"email": email}
        )
    return holder


def remove_holder(*, account_id: str, holder_id: str, source: ChangeSource) -> Holder:
    """Remove a holder; raises Holder.DoesNotExist when the account has no such holder."""
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=account_id)
        holder = account.holders.get(pk=holder_id)
        holder.delete()
        _record_holder_change(
            account, source, gettext("Holder %(email)s removed.") % {"email": holder.email}
        )
    return holder


def api_token_digest(token: str) -> str:
    """The keyed SHA-256 digest stored for an API token (the token itself never is)."""
    return hmac.new(
        settings.API_TOKEN_HMAC_KEY.encode(), token.encode(), hashlib.sha256
    ).hexdigest()


def create_api_key(
    *, name: str, scopes: list[str], created_by: AbstractBaseUser | None = None
) -> tuple[ApiKey, str]:
    """Create an API key pair; returns the key and its token, which is not stored."""
    name = name.strip()
    if not name:
        raise ValidationError(
            {"name": ValidationError(_("Give the key a name."), code="api_key_name_required")}
        )
    MaxLengthValidator(ApiKey._meta.get_field("name").max_length)(name)
    unknown = sorted(set(scopes) - set(ApiScope.values))
    if unknown or not scopes:
        raise ValidationError(
            {
                "scopes": ValidationError(
                    _("Choose one or more scopes among: %(choices)s."),
                    code="api_key_scopes_invalid",
                    params={"choices": ", ".join(ApiScope.values)},
                )
            }
        )
    token = secrets.token_urlsafe(40)
    api_key = ApiKey.objects.create(
        name=name,
        app_key=f"creditadmin-{secrets.token_hex(10)}",
        token_digest=api_token_digest(token),
        scopes=[scope for scope in ApiScope.values if scope in scopes],
        created_by=created_by,
    )
    return api_key, token


def revoke_api_key(*, api_key_id: int) -> ApiKey:
    """Revoke a key for good; revoking twice keeps the first revocation time."""
    api_key = ApiKey.objects.get(pk=api_key_id)
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
    return api_key


# --- Bulk path (CSV import) ------------------------------------------------------------------


@dataclass(slots=True)
class BulkAccountWrite:
    """One account a bulk write inserts (``is_new``) or overwrites, cleaned by rules.py."""

    account_id: str
    email: str
    document_type: str
    document: str
    credit_limit: Decimal
    tolerance: Decimal
    status: str
    history_source: str
    is_new: bool


_BULK_FIELDS = ["id", "email", "document_type", "document", "credit_limit", "tolerance", "status"]
_SCRATCH_TABLE = "import_account_rows"


def _columns(model, names: list[str]) -> list[str]:
    return [model._meta.get_field(name).column for name in names]


def bulk_write_accounts(
    *,
    writes: list[BulkAccountWrite],
    channel: str,
    user_id: int | None,
    when,
    update_fields: Collection[str] | None = None,
) -> None:
    """Insert and overwrite many accounts in a few statements, each with its history row.

    The import's hot path. The caller has applied every rule of rules.py to each value,
    checked duplicates, and locked (select_for_update) the rows it overwrites, inside the
    transaction it runs this in. Versions are bumped so later imports see the change.
    ``update_fields`` limits what is rewritten in existing accounts (default: every field).

    The rows go into a scratch table (COPY on PostgreSQL, executemany on SQLite), then two
    statements do the rest: an upsert into the accounts, and the history rows as copies of
    the account rows just written, so history cannot disagree with what was stored.
    Why SQL and not ``bulk_create``: building a model instance and preparing each field in
    Python costs more than the database work itself at 100,000 rows (see bench/). Table and
    column names come from the models' ``_meta``.
    """
    if not writes:
        return
    quote = connection.ops.quote_name
    table = quote(Account._meta.db_table)
    historical = Account.history.model
    fields = [quote(name) for name in _columns(Account, _BULK_FIELDS)]
    fixed = _columns(Account, ["balance", "pre_authorized_credit", "created_at", "updated_at"])
    snapshot = fields + [quote(name) for name in fixed]
    history = _columns(historical, ["history_date", "history_type", "history_user"])
    history += _columns(historical, ["history_channel", "history_source"])
    rows = [
        (
            write.account_id,
            write.email,
            write.document_type,
            write.document,
            write.credit_limit,
            write.tolerance,
            write.status,
            "+" if write.is_new else "~",
            write.history_source[:200],
        )
        for write in writes
    ]
    with connection.cursor() as cursor:
        _fill_scratch_table(cursor, rows)
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(snapshot)}, {quote('version')}) "  # noqa: S608
            f"SELECT {', '.join(fields)}, 0, 0, %s, %s, 1 FROM {_SCRATCH_TABLE} "
            # WHERE true: SQLite's documented way to tell its parser an upsert follows.
            f"WHERE true {_upsert_clause(table, update_fields)}",
            [when, when],
        )
        cursor.execute(
            f"INSERT INTO {quote(historical._meta.db_table)} "  # noqa: S608
            f"({', '.join(snapshot + [quote(name) for name in history])}) "
            f"SELECT {', '.join('account.' + name for name in snapshot)}, "
            f"%s, rows.history_type, %s, %s, rows.history_source "
            f"FROM {_SCRATCH_TABLE} rows JOIN {table} account "
            f"ON account.{quote('id')} = rows.{quote('id')}",
            [when, user_id, channel],
        )


def _fill_scratch_table(cursor, rows: list[tuple]) -> None:
    """The batch's rows in a temporary table of this connection, emptied first."""
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {_SCRATCH_TABLE} (id varchar(100), "
        "email varchar(254), document_type varchar(5), document varchar(50), "
        "credit_limit numeric(14, 2), tolerance numeric(5, 4), status varchar(6), "
        "history_type varchar(1), history_source varchar(200))"
    )
    cursor.execute(f"DELETE FROM {_SCRATCH_TABLE}")  # noqa: S608
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {_SCRATCH_TABLE} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        placeholders = ", ".join(["%s"] * len(rows[0]))
        cursor.executemany(f"INSERT INTO {_SCRATCH_TABLE} VALUES ({placeholders})", rows)  # noqa: S608


def _upsert_clause(table: str, update_fields: Collection[str] | None) -> str:
    """Overwrite the (given) writable fields of an existing account and bump its version."""
    quote = connection.ops.quote_name
    names = [name for name in _BULK_FIELDS[1:] if update_fields is None or name in update_fields]
    updated = _columns(Account, names + ["updated_at"])
    version = quote(Account._meta.get_field("version").column)
    return (
        f"ON CONFLICT ({quote(Account._meta.pk.column)}) DO UPDATE SET "
        + ", ".join(f"{quote(name)} = excluded.{quote(name)}" for name in updated)
        + f", {version} = {table}.{version} + 1"
    )


# Each store setting and the rule that reads it; fields not given keep their value.
STORE_SETTING_RULES = {
    "currency_code": rules.clean_currency_code,
    "default_credit_limit": rules.clean_credit_limit,
    "tolerance_enabled": bool,
    "postponement_enabled": bool,
    "invoice_postponement_limit": rules.clean_day_count,
    "max_postponement_days": rules.clean_day_count,
    "daily_interest_rate": rules.clean_rate,
    "tax_rate": rules.clean_rate,
    "max_pre_authorization_growth_rate": rules.clean_rate,
    "automatic_account_creation_enabled": bool,
    "my_credits_enabled": bool,
    "reminders_before_due": rules.clean_reminders,
    "reminders_after_due": rules.clean_reminders,
}


def update_store_settings(**values: object) -> StoreSettings:
    """Change the given store settings (one row; see STORE_SETTING_RULES), each by its rule."""
    unknown = values.keys() - STORE_SETTING_RULES.keys()
    if unknown:
        raise TypeError(f"Unknown store settings: {', '.join(sorted(unknown))}")
    errors: dict[str, ValidationError] = {}
    cleaned: dict[str, object] = {}
    for field, raw in values.items():
        try:
            cleaned[field] = STORE_SETTING_RULES[field](raw)
        except ValidationError as error:
            errors[field] = error
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        store_settings = StoreSettings.load()
        for field, value in cleaned.items():
            setattr(store_settings, field, value)
        store_settings.save(update_fields=list(cleaned))
    return store_settings
