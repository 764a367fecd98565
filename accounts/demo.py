"""Realistic demo data for a first look at the app (valid CPF/CNPJ, varied limits)."""

import random
from decimal import Decimal

from .documents import CNPJ_WEIGHTS, CPF_WEIGHTS, with_check_digits

FIRST_NAMES = [
    "ana",
    "bruno",
    "carla",
    "diego",
    "eduarda",
    "felipe",
    "gabriela",
    "henrique",
    "isabela",
    "joao",
    "larissa",
    "marcos",
    "natalia",
    "otavio",
    "paula",
    "rafael",
    "sofia",
    "thiago",
    "vanessa",
    "wagner",
]
LAST_NAMES = ["silva", "souza", "oliveira", "santos", "pereira", "lima", "costa", "almeida"]
COMPANIES = ["mercadinho-bom-preco", "padaria-estrela", "ferragens-sul", "atacado-horizonte"]
DOMAINS = ["example.com", "example.com.br", "example.org"]


def with_cpf_check_digits(base: str) -> str:
    return with_check_digits(base, CPF_WEIGHTS)


def with_cnpj_check_digits(base: str) -> str:
    return with_check_digits(base, CNPJ_WEIGHTS)


def random_cpf(rng: random.Random) -> str:
    while True:
        base = "".join(str(rng.randint(0, 9)) for _ in range(9))
        if len(set(base)) > 1:
            return with_cpf_check_digits(base)


def random_cnpj(rng: random.Random) -> str:
    base = "".join(str(rng.randint(0, 9)) for _ in range(8)) + "0001"
    return with_cnpj_check_digits(base)


def demo_accounts(count: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    rows, emails = [], set()
    while len(rows) < count:
        if rng.random() < 0.2:
            name = rng.choice(COMPANIES)
            document_type, document = "CNPJ", random_cnpj(rng)
            limit = Decimal(rng.choice([5000, 10000, 15000, 25000, 50000]))
        else:
            name = f"{rng.choice(FIRST_NAMES)}.{rng.choice(LAST_NAMES)}"
            document_type, document = "CPF", random_cpf(rng)
            limit = Decimal(rng.choice([300, 500, 800, 1000, 1500, 2000, 3000]))
        email = f"{name}@{rng.choice(DOMAINS)}"
        if email in emails:
            continue
        emails.add(email)
        rows.append(
            {
                "email": email,
                "document_type": document_type,
                "document": document,
                "credit_limit": limit,
                "tolerance": Decimal(rng.choice(["0", "0.05", "0.1", "0.2"])),
            }
        )
    return rows
