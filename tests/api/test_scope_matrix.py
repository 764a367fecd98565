"""Every API write × every set of scopes: a key does what its scopes say, and nothing else.

Each operation names the scopes it needs; a key holding all of them gets 200 and the data
changes, any other key gets 403 naming the missing scope and nothing changes — the accounts,
their holders, the ledger and the store's settings are compared whole.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations

import pytest
from django.forms.models import model_to_dict

from accounts.history import ChangeSource, Channel
from accounts.models import Account, AccountStatus, ApiScope, Holder, StoreSettings
from ledger import services as ledger_services
from ledger.models import Invoice, Movement, PreAuthorization
from tests.factories import AccountFactory, valid_cpf

from .conftest import ALL_SCOPES

pytestmark = pytest.mark.django_db

READ, WRITE, CREDIT = ApiScope.READ, ApiScope.WRITE, ApiScope.CREDIT
ACCOUNT = "acct-1"
CLOSED = "closed-1"
CLOSED_CPF = valid_cpf(987_654_321)
NEW_CPF = valid_cpf(123_456_789)
HOLDER = "0" * 32
HELD = "hold-1"  # a pre-authorization still held
SETTLED = "order-1"  # a settled one, split into invoices order-1-01 and order-1-02


@dataclass(frozen=True)
class Write:
    name: str
    method: str
    path: str
    body: dict | None
    needs: frozenset[str]


def new_account(**fields) -> dict:
    return {"email": "new@example.com", "document": NEW_CPF, "documentType": "CPF", **fields}


BY_WRITE, BY_CREDIT, BY_BOTH = frozenset({WRITE}), frozenset({CREDIT}), frozenset({WRITE, CREDIT})
ACCT = f"/accounts/{ACCOUNT}"
# A write key closes an account, then opens one for the same customer: credit given back.
AGAIN_BY_DOCUMENT = new_account(document=CLOSED_CPF, email="other@example.com")
WRITES = [
    Write("open", "POST", "/accounts", new_account(), BY_WRITE),
    Write("open with a limit", "POST", "/accounts", new_account(creditLimit="9e11"), BY_BOTH),
    Write("open with a tolerance", "POST", "/accounts", new_account(tolerance="1"), BY_BOTH),
    Write("open again by the document of a closed account", "POST", "/accounts",
          AGAIN_BY_DOCUMENT, BY_BOTH),
    Write("open again by the e-mail of a closed account", "POST", "/accounts",
          new_account(email="closed@example.com"), BY_BOTH),
    Write("open by PUT", "PUT", "/accounts/erp-9", new_account(), BY_WRITE),
    Write("open by PUT with a limit", "PUT", "/accounts/erp-9", new_account(creditLimit=7),
          BY_BOTH),
    Write("open by PUT for the customer of a closed account", "PUT", "/accounts/erp-9",
          AGAIN_BY_DOCUMENT, BY_BOTH),
    Write("change the e-mail", "PUT", ACCT, {"email": "changed@example.com"}, BY_WRITE),
    Write("change the limit by PUT", "PUT", ACCT, {"creditLimit": 5000}, BY_BOTH),
    Write("change the tolerance by PUT", "PUT", ACCT, {"tolerance": 0.2}, BY_BOTH),
    Write("close by PUT", "PUT", ACCT, {"status": "Closed"}, BY_WRITE),
    Write("close", "DELETE", ACCT, None, BY_WRITE),
    Write("change the limit", "PUT", f"{ACCT}/creditlimit", {"value": 5000}, BY_CREDIT),
    Write("change the tolerance", "PUT", f"{ACCT}/tolerance", {"value": 0.2}, BY_CREDIT),
    Write("add a holder", "POST", f"{ACCT}/holders", {"claims": {"email": "d@example.com"}},
          BY_WRITE),
    Write("delete a holder", "DELETE", f"{ACCT}/holders/{HOLDER}", None, BY_WRITE),
    Write("pre-authorize", "POST", f"{ACCT}/transactions", {"value": 50}, BY_CREDIT),
    Write("change a pre-authorization", "PUT", f"{ACCT}/transactions/{HELD}",
          {"value": 80, "settle": False}, BY_CREDIT),
    Write("cancel a pre-authorization", "DELETE", f"{ACCT}/transactions/{HELD}", None, BY_CREDIT),
    Write("settle", "PUT", f"{ACCT}/transactions/{HELD}/settlement", {"value": 40}, BY_CREDIT),
    Write("refund", "POST", f"{ACCT}/transactions/{SETTLED}/refunds", {"value": 10}, BY_CREDIT),
    Write("change an invoice", "PUT", f"{ACCT}/invoices/{SETTLED}-01", {"status": "Paid"},
          BY_CREDIT),
    Write("cancel an invoice", "DELETE", f"{ACCT}/invoices/{SETTLED}-01", None, BY_CREDIT),
    Write("pay an invoice", "POST", f"{ACCT}/invoices/{SETTLED}-02/payments", None, BY_CREDIT),
    Write("postpone an invoice", "PUT", f"{ACCT}/invoices/{SETTLED}-02/postponement",
          {"dueDays": 5}, BY_CREDIT),
    Write("debit the balance", "PUT", f"{ACCT}/statements/fee-1", {"value": -15}, BY_CREDIT),
    Write("change the store configuration", "PUT", "/storeconfig", {"defaultCreditValue": 5000},
          BY_CREDIT),
]
# Every non-empty set of scopes a key can hold.
SCOPE_SETS = [
    frozenset(scopes)
    for size in range(1, len(ALL_SCOPES) + 1)
    for scopes in combinations(ALL_SCOPES, size)
]
STORED_MODELS = [Account, Holder, PreAuthorization, Invoice, Movement, StoreSettings]


def everything_stored() -> dict[str, list[dict]]:
    return {
        model.__name__: [model_to_dict(row) for row in model.objects.order_by("pk")]
        for model in STORED_MODELS
    }


@pytest.fixture
def ledger_and_accounts(db):
    StoreSettings.load()
    StoreSettings.objects.update(
        postponement_enabled=True, invoice_postponement_limit=2, max_postponement_days=30
    )
    account = AccountFactory(
        pk=ACCOUNT, email="ana@example.com", credit_limit=Decimal("1000"), tolerance=Decimal("0.1")
    )
    Holder.objects.create(pk=HOLDER, account=account, email="holder@example.com")
    AccountFactory(
        pk=CLOSED,
        email="closed@example.com",
        document=CLOSED_CPF,
        credit_limit=Decimal("0"),
        status=AccountStatus.CLOSED,
    )
    source = ChangeSource(channel=Channel.API, label="API key Checkout")
    for transaction_id, value, installments in ((HELD, "100", 1), (SETTLED, "200", 2)):
        ledger_services.pre_authorize_or_change(
            account_id=ACCOUNT,
            transaction_id=transaction_id,
            value=value,
            installments=installments,
            source=source,
        )
    ledger_services.settle_pre_authorization(
        account_id=ACCOUNT, transaction_id=SETTLED, value="200", source=source
    )


@pytest.mark.parametrize("scopes", SCOPE_SETS, ids=lambda scopes: "+".join(sorted(scopes)))
@pytest.mark.parametrize("write", WRITES, ids=lambda write: write.name)
def test_a_write_succeeds_only_with_every_scope_it_needs(
    write, scopes, make_api, ledger_and_accounts
):
    before = everything_stored()
    response = make_api(sorted(scopes))(write.method, write.path, write.body)
    if write.needs <= scopes:
        assert response.status_code == 200, response.json()
        assert everything_stored() != before
    else:
        assert response.status_code == 403, response.json()
        assert response.json()["code"] == "forbidden"
        named = re.search(r'\(scope "(\w+)"\)', response.json()["message"])[1]
        assert named in write.needs - scopes
        assert everything_stored() == before
