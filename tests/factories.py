import random
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from accounts.demo import with_cnpj_check_digits, with_cpf_check_digits
from accounts.models import Account, DocumentType


def valid_cpf(number: int) -> str:
    base = f"{number:09d}"
    if len(set(base)) == 1:
        base = f"{number + 1:09d}"
    return with_cpf_check_digits(base)


def valid_cnpj(number: int) -> str:
    return with_cnpj_check_digits(f"{number:08d}0001")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("password")


class AccountFactory(factory.django.DjangoModelFactory):
    """An open account with a valid CPF; `cnpj=True` gives a company account."""

    class Meta:
        model = Account

    class Params:
        cnpj = factory.Trait(
            document_type=DocumentType.CNPJ,
            document=factory.Sequence(lambda n: valid_cnpj(10_000_000 + n)),
        )

    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    document_type = DocumentType.CPF
    document = factory.Sequence(lambda n: valid_cpf(100_000_000 + n))
    credit_limit = factory.LazyFunction(lambda: Decimal(random.choice([500, 1000, 2500])))
    tolerance = Decimal("0.05")
