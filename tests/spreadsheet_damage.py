"""What spreadsheets do to a CPF or CNPJ typed in a cell they take for a number."""

import random
from decimal import Decimal

from accounts import documents


def what_spreadsheets_write(document: str) -> list[str]:
    """Every way a spreadsheet program shows or saves the number a document became."""
    number = int(document)
    thousands = f"{number:,}"
    return [
        str(number),  # the number, leading zeros dropped
        f"{number}.0",  # a float (pandas, Google Sheets' values)
        f"{number},0",
        repr(float(number)),
        f"{number:.5E}",  # Excel's General format on a long number: 6 digits kept
        f"{number:.5E}".replace(".", ","),
        f"{Decimal(number):E}",  # every digit kept
        thousands,
        thousands.replace(",", "."),
        f"{number:,.2f}",
        f"{number:,.2f}".translate(str.maketrans(",.", ".,")),
    ]


def rounded_back(number: int) -> str:
    """The number read back after it was shown as 5.29982E+10: its lost digits are zeros.

    Not in what_spreadsheets_write: the result may be a valid document, which no rule can
    tell from a typed one; the import warns about it where the cell is a spreadsheet's number."""
    return str(int(Decimal(f"{number:.5E}")))


def random_documents(rng: random.Random, document_type: str, count: int) -> list[str]:
    """Valid documents, about half of them starting with one or more zeros."""
    base_length, weights = (
        (9, documents.CPF_WEIGHTS) if document_type == "CPF" else (12, documents.CNPJ_WEIGHTS)
    )
    found = []
    while len(found) < count:
        zeros = rng.choice([0, 0, 0, 1, 1, 2, 3, 5])
        base = ("0" * zeros + f"{rng.randrange(10**base_length):0{base_length}d}")[:base_length]
        document = documents.with_check_digits(base, weights)
        if len(set(document)) > 1:
            found.append(document)
    return found
