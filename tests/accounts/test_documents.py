"""A CPF/CNPJ a spreadsheet turned into a number is read back only when that is certain."""


import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts import documents, rules
from accounts.documents import Repair, repair_spreadsheet_document
from accounts.problems import DoubtfulValue
from tests.spreadsheet_damage import what_spreadsheets_write


def read_document_cell(document_type: str, cell: str) -> str:
    """What the import stores for a document cell: the rule's value, or the value of its
    doubt (a warning staff acknowledge before the import is applied)."""
    try:
        return rules.clean_document(document_type, cell)
    except DoubtfulValue as doubt:
        return doubt.value


@pytest.mark.parametrize(
    ("document_type", "cell", "document", "repairs"),
    [
        # 085.320.619-82 after a float: the example, once stored as 853.206.198-20
        ("CPF", "8532061982.0", "08532061982", ("decimal_zeros", "leading_zeros")),
        ("CPF", "8532061982", "08532061982", ("leading_zeros",)),
        ("CPF", "8532061982,0", "08532061982", ("decimal_zeros", "leading_zeros")),
        ("CPF", "52998224725.0", "52998224725", ("decimal_zeros",)),
        ("CPF", "8.532.061.982", "08532061982", ("thousands_separators", "leading_zeros")),
        (
            "CPF",
            "8.532.061.982,00",
            "08532061982",
            ("thousands_separators", "decimal_zeros", "leading_zeros"),
        ),
        ("CPF", "8 532 061 982", "08532061982", ("thousands_separators", "leading_zeros")),
        ("CPF", "8.532061982E+09", "08532061982", ("scientific_notation", "leading_zeros")),
        ("CPF", "5.2998224725e10", "52998224725", ("scientific_notation",)),
        ("CPF", "52,998,224,725", "52998224725", ("thousands_separators",)),
        # Banco do Brasil's CNPJ, 00.000.000/0001-91, is 191 as a number
        ("CNPJ", "191", "00000000000191", ("leading_zeros",)),
        ("CNPJ", "11222333000181.0", "11222333000181", ("decimal_zeros",)),
        ("CNPJ", "400123000110", "00400123000110", ("leading_zeros",)),
        # 127,000 is 127000, or 127 with three decimals: only the first restores to a CPF
        ("CPF", "127,000", "00000127000", ("thousands_separators", "leading_zeros")),
    ],
)
def test_a_document_written_as_a_number_is_read_back_with_what_was_undone(
    document_type, cell, document, repairs
):
    repaired = repair_spreadsheet_document(document_type, cell)
    assert (repaired.document, repaired.repairs) == (document, repairs)


def test_only_punctuation_removed_needs_no_review():
    assert not repair_spreadsheet_document("CPF", "52,998,224,725").needs_review
    assert repair_spreadsheet_document("CPF", "52998224725.0").needs_review
    assert repair_spreadsheet_document("CPF", "8532061982").needs_review


@pytest.mark.parametrize(
    ("document_type", "cell"),
    [
        ("CPF", "529.982.247-25"),  # the usual mask
        ("CPF", "52998224725"),  # a complete document
        ("CNPJ", "11.222.333/0001-81"),
        ("CNPJ", "12.ABC.345/01DE-35"),  # alphanumeric: never a spreadsheet number
        ("CPF", "5299822472500"),  # too many digits: the rule says so
        ("CPF", "12345"),  # too few, and no valid reading: the rule's own message fits
        ("Other", "8532061982.0"),  # free text is kept as typed
        ("CPF", "52.998.224.725.00"),
        ("CPF", ""),
    ],
)
def test_a_cell_that_is_not_a_damaged_number_is_left_to_the_rule(document_type, cell):
    assert repair_spreadsheet_document(document_type, cell) is None


@pytest.mark.parametrize(
    ("document_type", "cell", "code"),
    [
        ("CPF", "5,29982E+10", "document_in_scientific_notation"),
        ("CPF", "5.29982E+10", "document_in_scientific_notation"),
        ("CNPJ", "1.12223E+13", "document_in_scientific_notation"),
        ("CNPJ", "1,12223e+13", "document_in_scientific_notation"),
        ("CPF", "12345.0", "document_number_unreadable"),
        ("CPF", "8532061983.0", "document_number_unreadable"),  # a wrong check digit
        ("CPF", "0.0", "document_number_unreadable"),
        # 434,000 is 434000 with a thousands separator, or 434 with three decimals: both
        # restore to a valid CPF (000.004.340-00 and 000.000.004-34), so neither is chosen
        ("CPF", "434,000", "document_number_ambiguous"),
    ],
)
def test_a_damaged_number_with_no_certain_reading_is_refused(document_type, cell, code):
    with pytest.raises(ValidationError) as error:
        repair_spreadsheet_document(document_type, cell)
    assert error.value.code == code


def test_the_messages_say_how_to_fix_the_file():
    with translation.override("en"), pytest.raises(ValidationError) as error:
        repair_spreadsheet_document("CPF", "5,29982E+10")
    assert error.value.messages == [
        "“5,29982E+10” is a document a spreadsheet wrote in scientific notation, keeping only "
        "its first digits: it cannot be read back. Format the Document column as Text in the "
        "spreadsheet, type the document again and save the file."
    ]
    with translation.override("en"), pytest.raises(DoubtfulValue) as doubt:
        rules.clean_document("CPF", "8532061982.0")
    assert doubt.value.value == "08532061982"
    assert doubt.value.code == "document_changed_by_spreadsheet"
    assert doubt.value.messages == [
        "“8532061982.0” looks like the CPF 085.320.619-82 after a spreadsheet turned it into a "
        "number (dropping its leading zeros or adding .0). Check that it is the customer's, "
        "and type it as 085.320.619-82 (in a spreadsheet, format the column as Text first)."
    ]


# --- The property: whatever a spreadsheet does to a document, no other document comes out ---
# 5,000 CPFs and 5,000 CNPJs here, through the rule in every rendering; another 10,000
# through the real import in tests/imports/test_documents_through_the_import.py.

def _documents(length: int, weights) -> st.SearchStrategy[str]:
    """Valid documents of a type, half of them starting with one or more zeros."""
    base_length = length - 2

    def with_check_digits(zeros_and_number: tuple[int, int]) -> str:
        zeros, number = zeros_and_number
        base = ("0" * zeros + f"{number:0{base_length}d}")[:base_length]
        return documents.with_check_digits(base, weights)

    zeros = st.sampled_from([0, 0, 0, 1, 1, 2, 3, 5])
    return (
        st.tuples(zeros, st.integers(0, 10**base_length - 1))
        .map(with_check_digits)
        .filter(lambda document: len(set(document)) > 1)
    )


def _assert_never_another_document(document_type: str, originals: list[str]) -> None:
    for document in originals:
        for cell in what_spreadsheets_write(document):
            try:
                stored = read_document_cell(document_type, cell)
            except ValidationError:
                continue  # refused with the fix: nothing stored
            assert stored == document, (cell, stored)


@settings(max_examples=50, derandomize=True, deadline=None)
@given(st.lists(_documents(11, documents.CPF_WEIGHTS), min_size=100, max_size=100))
def test_five_thousand_cpfs_through_a_spreadsheet_never_become_another_cpf(originals):
    _assert_never_another_document("CPF", originals)


@settings(max_examples=50, derandomize=True, deadline=None)
@given(st.lists(_documents(14, documents.CNPJ_WEIGHTS), min_size=100, max_size=100))
def test_five_thousand_cnpjs_through_a_spreadsheet_never_become_another_cnpj(originals):
    _assert_never_another_document("CNPJ", originals)


def test_the_common_damage_is_repaired_not_refused():
    """The property allows refusals; the usual case must still be read back."""
    assert read_document_cell("CPF", "8532061982.0") == "08532061982"
    assert Repair.LEADING_ZEROS in repair_spreadsheet_document("CPF", "123456797").repairs
