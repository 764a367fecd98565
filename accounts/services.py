"""Writes to accounts: every channel (form, import, API, commands) opens, changes and
closes accounts through these functions, so each rule is applied the same way."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from . import rules
from .history import ChangeSource
from .models import Account, AccountStatus, DocumentType, StoreSettings

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
