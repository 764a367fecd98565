"""A file's number style is decided from all its amount cells, then its delimiter and encoding."""

import pytest
from django.utils import translation

from accounts.amounts import DecimalMark, Example, StyleBasis
from imports.number_style import (
    amount_positions,
    decide_number_style,
    file_format_mark,
    gather_evidence,
)
from imports.spreadsheets.cells import NumberCell

POINT, COMMA = DecimalMark.POINT, DecimalMark.COMMA
HEADER = ["Email", "Credit limit", "Tolerance rate", "Balance", "Created at"]


def decide(amounts: list[tuple[str, str]], *, delimiter=",", encoding="utf-8"):
    """The decision for a file whose rows (from row 2) hold these limit and tolerance cells."""
    records = [
        (number, [f"c{number}@example.com", limit, tolerance, "", ""])
        for number, (limit, tolerance) in enumerate(amounts, start=2)
    ]
    evidence = gather_evidence(records, amount_positions(HEADER))
    return decide_number_style(evidence, delimiter=delimiter, encoding=encoding)


@pytest.mark.parametrize(
    ("amounts", "delimiter", "encoding", "style", "basis"),
    [
        # the cells decide, whatever the file format suggests
        ([("2.345,67", "")], ",", "utf-8", COMMA, StyleBasis.CELLS),
        ([("1500", "0,05")], ",", "utf-8", COMMA, StyleBasis.CELLS),
        ([("1,234.56", "")], ";", "cp1252", POINT, StyleBasis.CELLS),
        ([("12.5", "")], ";", "utf-8", POINT, StyleBasis.CELLS),
        ([("R$ 1.500,00", "")], ",", "utf-8-sig", COMMA, StyleBasis.CELLS),
        ([("1.500", ""), ("1500.00", "")], ",", "utf-8", POINT, StyleBasis.CELLS),
        ([("1.500", ""), ("0,05", "")], ",", "utf-8", COMMA, StyleBasis.CELLS),
        # both styles appear: nothing ambiguous can be read
        ([("2.345,67", ""), ("1,234.56", "")], ",", "utf-8", None, StyleBasis.MIXED),
        ([("12.5", "0,05")], ";", "cp1252", None, StyleBasis.MIXED),
        # no telling cell: Excel's `;` means decimal commas, its `,` decimal points
        ([("1.500", ""), ("2500", "")], ";", "cp1252", COMMA, StyleBasis.CONVENTION),
        ([("1.500", "")], ";", "utf-8", COMMA, StyleBasis.CONVENTION),
        ([("1,500", "")], ",", "utf-8-sig", POINT, StyleBasis.CONVENTION),
        ([("1,500", "")], ",", "cp1252", POINT, StyleBasis.CONVENTION),
        # Google Sheets and LibreOffice write `,` and UTF-8 in every language; tabs say nothing
        ([("1,500", "")], ",", "utf-8", None, StyleBasis.NONE),
        ([("1.500", "")], "\t", "utf-16", None, StyleBasis.NONE),
        ([("", "")], ",", "utf-8", None, StyleBasis.NONE),
    ],
)
def test_a_files_number_style_rests_on_its_cells_then_on_its_format(
    amounts, delimiter, encoding, style, basis
):
    decision = decide(amounts, delimiter=delimiter, encoding=encoding)
    assert (decision.mark, decision.basis) == (style, basis)


@pytest.mark.parametrize(
    ("delimiter", "encoding", "style"),
    [
        (";", "cp1252", COMMA),
        (";", "utf-8-sig", COMMA),
        (";", "utf-8", COMMA),
        (",", "cp1252", POINT),
        (",", "utf-8-sig", POINT),
        (",", "utf-8", None),
        ("\t", "utf-16", None),
        ("\t", "utf-8", None),
    ],
)
def test_the_file_format_alone_suggests_what_excel_means_by_it(delimiter, encoding, style):
    assert file_format_mark(delimiter=delimiter, encoding=encoding) == style


def test_evidence_names_the_first_cell_of_each_kind_and_counts_them_all():
    records = [
        (2, ["a@example.com", "1.500", "", "0.00", "2026-11-30T12:00:00Z"]),
        (3, ["b@example.com", "-1500.50", "0,05", "", ""]),
        (5, ["c@example.com", " 12.5 ", "0,1", "", ""]),
        (6, ["short@example.com"]),
    ]
    evidence = gather_evidence(records, amount_positions(HEADER))
    assert evidence.point_example == Example(2, "Balance", "0.00")
    assert evidence.comma_example == Example(3, "Tolerance rate", "0,05")
    assert evidence.ambiguous_example == Example(2, "Credit limit", "1.500")
    assert (evidence.point_cells, evidence.comma_cells, evidence.ambiguous_cells) == (3, 2, 1)


def test_a_spreadsheets_number_cells_say_nothing_about_how_its_people_write_numbers():
    # 1.5 typed as a number reads "1.5" whatever the language: only text cells are evidence.
    records = [(2, ["a@example.com", NumberCell("1.5"), "0,05", "", ""])]
    evidence = gather_evidence(records, amount_positions(HEADER))
    assert (evidence.point_cells, evidence.comma_cells) == (0, 1)


def test_only_amount_columns_count_whatever_language_their_header_is_in():
    header = ["E-mail", "Documento", "Limite de crédito", "Taxa de tolerância", "Saldo", "Id"]
    assert amount_positions(header) == {
        2: "Limite de crédito",
        3: "Taxa de tolerância",
        4: "Saldo",
    }


@pytest.mark.parametrize(
    ("amounts", "delimiter", "encoding", "note"),
    [
        (
            [("1500", ""), ("2.345,67", "0,05"), ("1.500", "")],
            ";",
            "cp1252",
            "Amounts: read with a decimal comma (1.500,00 is fifteen hundred): 2 cells can "
            "only be read that way, such as “2.345,67” (row 3, Credit limit).",
        ),
        (
            [("12.5", "")],
            ",",
            "utf-8",
            "Amounts: read with a decimal point (1,500.00 is fifteen hundred): 1 cell can only "
            "be read that way, “12.5” (row 2, Credit limit).",
        ),
        (
            [("12.5", ""), ("0,5", "")],
            ",",
            "utf-8",
            "Amounts: this file writes some with a decimal point (row 2: “12.5”) and others "
            "with a decimal comma (row 3: “0,5”). Each is read as written; one that reads "
            "differently each way, such as 1.500, is refused.",
        ),
        (
            [("1.500", ""), ("250", "")],
            ";",
            "cp1252",
            "Amounts: read with a decimal comma (1.500 is fifteen hundred), as Excel writes "
            "semicolon-separated files in Spanish and Portuguese; no amount in the file shows "
            "it for certain. 1 amount, “1.500” (row 2), can be read two ways: it is read as "
            "thousands, with a warning if that contradicts the file's format.",
        ),
        (
            [("1,500", ""), ("1.500", "")],
            ",",
            "utf-8",
            "Amounts: nothing in the file shows whether it uses decimal points or decimal "
            "commas. 2 amounts, such as “1,500” (row 2), can be read two ways: they are read "
            "as thousands and listed as warnings.",
        ),
        ([("1500", ""), ("", "")], ",", "utf-8", ""),
    ],
)
def test_the_note_says_what_was_decided_and_why(amounts, delimiter, encoding, note):
    notes = decide(amounts, delimiter=delimiter, encoding=encoding).notes()
    with translation.override("en"):
        assert " ".join(note.text for note in notes) == note


def test_the_note_is_stored_as_a_code_and_read_in_the_readers_language():
    with translation.override("en"):
        (note,) = decide([("2.345,67", "")]).notes()
    assert note.code == "amounts_comma_cells"
    with translation.override("pt-br"):
        assert note.text.startswith("Valores:")
