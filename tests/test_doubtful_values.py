"""The values that read two ways, or that a spreadsheet damaged, through the New form, the
API and a one-row CSV: each channel refuses them or warns, and never stores a value silently
unless it is the one value the input can mean.

(tests/test_channels_agree.py checks that the channels give the same code and message; this
table checks the weaker promise for every doubtful input staff actually send.)
"""

import json
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import services
from accounts.models import Account
from imports import services as import_services
from tests.api.conftest import API, key_headers
from tests.factories import valid_cpf
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db

CPF = valid_cpf(123_456_789)
EMAIL = "new@example.com"


@dataclass(frozen=True)
class Doubtful:
    """An input for one field, and the only value it may be stored as (None: none)."""

    value: str
    field: str  # "credit_limit" or "document"
    meant: object
    # Reads two ways: stored only after someone confirmed a warning, never silently...
    ambiguous: bool
    # ...except through these channels, whose language says which reading is meant.
    unambiguous_in: tuple[str, ...] = ()


DOUBTFUL = [
    # A page in Portuguese writes thousands with a dot, one in English with a comma.
    Doubtful(
        "1.500", "credit_limit", Decimal("1500.00"), ambiguous=True, unambiguous_in=("form-pt-br",)
    ),
    Doubtful("1,500", "credit_limit", Decimal("1500.00"), ambiguous=True, unambiguous_in=("form",)),
    Doubtful("R$ 1.500,00", "credit_limit", Decimal("1500.00"), ambiguous=False),
    Doubtful("8532061982.0", "document", "08532061982", ambiguous=True),
    # Only six digits survived: no value can be read back.
    Doubtful("5.29982E+10", "document", None, ambiguous=True),
]


@dataclass
class Outcome:
    refused: bool
    warned: bool = False
    stored: object = None


def _stored(field: str) -> object:
    return getattr(Account.objects.get(email=EMAIL), field)


def _new_account_fields(doubtful: Doubtful) -> dict[str, str]:
    fields = {"email": EMAIL, "document": CPF, "document_type": "CPF", "credit_limit": "100"}
    return {**fields, doubtful.field: doubtful.value}


def through_the_form(doubtful: Doubtful, client, language: str = "en") -> Outcome:
    response = client.post(
        reverse("accounts:create"),
        _new_account_fields(doubtful),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    if response.status_code == 200:
        assert response.context["form"].errors[doubtful.field]
        return Outcome(refused=True)
    assert response.status_code == 302
    return Outcome(refused=False, stored=_stored(doubtful.field))


def through_the_api(doubtful: Doubtful, client) -> Outcome:
    api_key, token = services.create_api_key(name="ERP", scopes=["read", "write", "credit"])
    fields = _new_account_fields(doubtful)
    body = {
        "email": fields["email"],
        "document": fields["document"],
        "documentType": fields["document_type"],
        "creditLimit": fields["credit_limit"],
    }
    response = client.post(
        f"{API}/accounts",
        data=json.dumps(body),
        content_type="application/json",
        headers=key_headers(api_key, token),
    )
    if 400 <= response.status_code < 500:
        return Outcome(refused=True)
    assert response.status_code in (200, 201), response.content
    return Outcome(refused=False, stored=_stored(doubtful.field))


def through_a_csv(doubtful: Doubtful, manager, capture) -> Outcome:
    fields = _new_account_fields(doubtful)
    row = ["", EMAIL, fields["document"], "CPF", fields["credit_limit"], "", ""]
    with capture(execute=True):
        job = import_services.create_import_job(
            uploaded_file=SimpleUploadedFile("one.csv", csv_bytes([row])), user=manager
        )
    job.refresh_from_db()
    if job.row_errors.exists() or job.file_error:
        return Outcome(refused=True)
    warned = job.row_warnings.filter(column__in=["Credit limit", "Document"]).exists()
    with capture(execute=True):
        import_services.confirm_import_job(
            job_id=job.pk, user=manager, acknowledged_warnings=job.warning_count
        )
    return Outcome(refused=False, warned=warned, stored=_stored(doubtful.field))


@pytest.mark.parametrize("channel", ["form", "form-pt-br", "api", "csv"])
@pytest.mark.parametrize("doubtful", DOUBTFUL, ids=[doubtful.value for doubtful in DOUBTFUL])
def test_a_doubtful_value_is_refused_or_warned_never_stored_wrong(
    doubtful, channel, client, manager, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    if channel == "form":
        outcome = through_the_form(doubtful, client)
    elif channel == "form-pt-br":
        outcome = through_the_form(doubtful, client, "pt-br")
    elif channel == "api":
        outcome = through_the_api(doubtful, client)
    else:
        outcome = through_a_csv(doubtful, manager, django_capture_on_commit_callbacks)

    if outcome.refused:
        assert not Account.objects.filter(email=EMAIL).exists()
        # Where the form and API refuse a doubt, the import (confirmed by someone) reads it.
        if channel == "csv":
            assert doubtful.meant is None
        return
    assert doubtful.meant is not None, f"{doubtful.value!r} was stored as {outcome.stored!r}"
    assert outcome.stored == doubtful.meant
    if doubtful.ambiguous and channel not in doubtful.unambiguous_in:
        # Stored only where someone confirms a warning: the import.
        assert channel == "csv"
        assert outcome.warned
