"""Benchmark input: template-like CSV and .xlsx files with valid, unique documents and
realistic values."""

import csv
import random
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from accounts.demo import with_cnpj_check_digits, with_cpf_check_digits
from imports.columns import template_header

LIMITS = ["300.00", "500.00", "800.00", "1000.00", "1500.00", "2500.00", "5000.00", "10000.00"]
TOLERANCES = ["0", "0.05", "0.1", "0.2"]


def _documents(rows: int, seed: int) -> Iterator[tuple[str, str]]:
    """Unique CPFs (and every tenth row a CNPJ), valid check digits, never repeated digits."""
    rng = random.Random(seed)
    step = rng.randrange(1, 97, 2)
    for number in range(rows):
        if number % 10 == 9:
            yield "CNPJ", with_cnpj_check_digits(f"{(number * step) % 10**8:08d}0001")
        else:
            yield "CPF", with_cpf_check_digits(f"{100_000_000 + number:09d}")


def _new_accounts(rows: int, seed: int) -> Iterator[list[str]]:
    """Rows that open `rows` new accounts (Id blank), as staff fill the template."""
    rng = random.Random(seed)
    blanks = [""] * (len(template_header()) - 7)
    for number, (document_type, document) in enumerate(_documents(rows, seed)):
        yield [
            "",
            f"customer{number}@example.com",
            document,
            document_type,
            rng.choice(LIMITS),
            rng.choice(TOLERANCES),
            "Open",
            *blanks,
        ]


def write_create_file(path: Path, rows: int, seed: int = 2026) -> Path:
    """A CSV file that opens `rows` new accounts."""
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(template_header())
        writer.writerows(_new_accounts(rows, seed))
    return path


def write_create_workbook(path: Path, rows: int, seed: int = 2026) -> Path:
    """The same accounts as an .xlsx typed as a person types it: the amounts are numbers."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Accounts")
    sheet.append(template_header())
    for row in _new_accounts(rows, seed):
        row[4], row[5] = Decimal(row[4]), Decimal(row[5])
        sheet.append([cell if cell != "" else None for cell in row])
    workbook.save(path)
    return path


def write_update_file(path: Path, accounts: Iterator[tuple], seed: int = 7) -> Path:
    """An exported-and-edited file: every given account with a new credit limit.

    `accounts` yields (id, email, document, document_type, tolerance, status).
    """
    rng = random.Random(seed)
    header = template_header()
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        blanks = [""] * (len(header) - 7)
        for account_id, email, document, document_type, tolerance, status in accounts:
            limit = f"{rng.randrange(100, 20000)}.{rng.randrange(0, 100):02d}"
            writer.writerow(
                [account_id, email, document, document_type, limit, tolerance, status, *blanks]
            )
    return path
