"""How one written amount is read: every spelling staff and spreadsheets use, in every style."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.amounts import (
    DecimalMark,
    Example,
    NumberStyle,
    StyleBasis,
    StyleUndecided,
    read_amount,
    read_written_amount,
)
from accounts.problems import DoubtfulValue

POINT, COMMA = DecimalMark.POINT, DecimalMark.COMMA
NOTHING_SAYS = NumberStyle.UNKNOWN  # the API's text, a file without a telling cell
POINT_CELLS = NumberStyle(POINT, StyleBasis.CELLS, point_example=Example(4, "Tolerance", "0.05"))
COMMA_CELLS = NumberStyle(COMMA, StyleBasis.CELLS, comma_example=Example(2, "Limite", "0,05"))
MIXED = NumberStyle(
    None, StyleBasis.MIXED, Example(2, "Credit limit", "12.5"), Example(3, "Credit limit", "0,5")
)
SEMICOLON_FILE = NumberStyle(COMMA, StyleBasis.CONVENTION)
EXCEL_COMMA_FILE = NumberStyle(POINT, StyleBasis.CONVENTION)


@pytest.mark.parametrize(
    ("text", "with_point", "with_comma", "shows"),
    [
        # one reading only: the cell shows its file's style
        ("2.345,67", None, "2345.67", COMMA),
        ("1,234.56", "1234.56", None, POINT),
        ("0,05", None, "0.05", COMMA),
        ("12.5", "12.5", None, POINT),
        ("1500.00", "1500.00", None, POINT),
        ("1.500.000", None, "1500000", COMMA),
        ("1,500,000", "1500000", None, POINT),
        ("1.500.000,5", None, "1500000.5", COMMA),
        ("0.500", "0.500", None, POINT),  # a number never starts with a 0 group
        ("1,5000", None, "1.5000", COMMA),
        (".5", "0.5", None, POINT),
        # spreadsheet money formats
        ("R$ 1.500,00", None, "1500.00", COMMA),
        ("R$\u00a01.500,00", None, "1500.00", COMMA),  # Excel puts a no-break space
        ("$1,500.00", "1500.00", None, POINT),
        ("US$ 1,500.00", "1500.00", None, POINT),
        ("1.500,00 €", None, "1500.00", COMMA),
        ("BRL 1500", "1500", "1500", None),
        ("1 500,00", None, "1500.00", COMMA),
        ("1\u202f500,00", None, "1500.00", COMMA),
        # negative amounts, including accounting's parentheses and SAP's trailing minus
        ("(1.500,00)", None, "-1500.00", COMMA),
        ("-R$ 1.500,00", None, "-1500.00", COMMA),
        ("R$ -1.500,00", None, "-1500.00", COMMA),
        ("1.500,00-", None, "-1500.00", COMMA),
        ("\u22121500", "-1500", "-1500", None),
        # the same either way
        ("1500", "1500", "1500", None),
        ("1 500", "1500", "1500", None),
        ("+1", "1", "1", None),
        ("1e400", "1E+400", "1E+400", None),
        # two readings: fifteen hundred or one and a half
        ("1.500", "1.500", "1500", None),
        ("1,500", "1500", "1.500", None),
        ("-1.500", "-1.500", "-1500", None),
        ("123,456", "123456", "123.456", None),
        ("R$ 1.500", "1.500", "1500", None),
        # not numbers
        ("", None, None, None),
        ("abc", None, None, None),
        ("1.", None, None, None),
        ("１２", None, None, None),  # full-width digits
        ("١٢", None, None, None),  # Arabic-Indic digits
        ("--1", None, None, None),
        ("(-1)", None, None, None),
        ("(1", None, None, None),
        ("1 50", None, None, None),
        ("1.50.0", None, None, None),
        ("1,500.000,00", None, None, None),
        ("R$", None, None, None),
        ("NaN", None, None, None),
        ("Infinity", None, None, None),
    ],
)
def test_each_written_amount_has_its_readings_with_a_point_and_with_a_comma(
    text, with_point, with_comma, shows
):
    written = read_written_amount(text)
    assert written.with_point == (None if with_point is None else Decimal(with_point))
    assert written.with_comma == (None if with_comma is None else Decimal(with_comma))
    assert written.shows_mark == shows
    assert written.ambiguous == (
        with_point is not None
        and with_comma is not None
        and Decimal(with_point) != Decimal(with_comma)
    )


def test_a_trailing_percent_sign_is_kept_for_the_tolerance_rule_to_judge():
    written = read_written_amount("5,5 %")
    assert (written.with_comma, written.percent) == (Decimal("5.5"), True)
    with pytest.raises(ValidationError):
        read_amount("5%", NOTHING_SAYS)  # the tolerance rule strips it first


# style → (the value read, the code of the doubt when it is one), or the refusal's code
THOUSANDS = ("1500", None)
DOUBT = ("1500", "amount_ambiguous")


def refused(code: str) -> tuple[None, str]:
    return (None, code)


@pytest.mark.parametrize(
    ("text", "style", "expected"),
    [
        # nothing tells (the API, a file with no telling cell): thousands, as a doubt
        ("1.500", NOTHING_SAYS, DOUBT),
        ("1,500", NOTHING_SAYS, DOUBT),
        ("R$ 1.500", NOTHING_SAYS, DOUBT),
        ("12,345", NOTHING_SAYS, ("12345", "amount_ambiguous")),
        # the file's own cells decide: agreeing is certain, contradicting is refused
        ("1.500", COMMA_CELLS, THOUSANDS),
        ("1,500", POINT_CELLS, THOUSANDS),
        ("1.500", POINT_CELLS, refused("amount_contradicts_file")),
        ("1,500", COMMA_CELLS, refused("amount_contradicts_file")),
        ("1.500", MIXED, refused("amount_mixed_styles")),
        # a convention (Excel's file format, a form's language): agreeing is read silently,
        # contradicting is a doubt
        ("1.500", SEMICOLON_FILE, THOUSANDS),
        ("1,500", SEMICOLON_FILE, DOUBT),
        ("1,500", EXCEL_COMMA_FILE, THOUSANDS),
        ("1.500", EXCEL_COMMA_FILE, DOUBT),
        ("1,500", NumberStyle.DECIMAL_POINT, THOUSANDS),
        ("1.500", NumberStyle.DECIMAL_COMMA, THOUSANDS),
        ("1.500", NumberStyle.DECIMAL_POINT, DOUBT),
        ("1,500", NumberStyle.DECIMAL_COMMA, DOUBT),
        # unambiguous values are read the same everywhere, whatever the style says
        ("2.345,67", POINT_CELLS, ("2345.67", None)),
        ("1,234.56", NOTHING_SAYS, ("1234.56", None)),
        ("0,05", MIXED, ("0.05", None)),
        ("1500", MIXED, ("1500", None)),
        ("(1.500,00)", NOTHING_SAYS, ("-1500.00", None)),
        ("abc", NOTHING_SAYS, refused("not_a_number")),
        ("", NOTHING_SAYS, refused("not_a_number")),
        ("１５００", NOTHING_SAYS, refused("non_ascii_digits")),
    ],
)
def test_an_amount_is_read_in_its_style_and_never_as_one_and_a_half(text, style, expected):
    value, code = expected
    if value is None:
        with pytest.raises(ValidationError) as error:
            read_amount(text, style)
        assert (type(error.value), error.value.code) == (ValidationError, code)
    elif code is None:
        assert read_amount(text, style) == Decimal(value)
    else:
        with pytest.raises(DoubtfulValue) as doubt:
            read_amount(text, style)
        assert (doubt.value.value, doubt.value.code) == (Decimal(value), code)


def test_a_fraction_with_three_decimals_is_read_in_the_style_of_its_file():
    # A tolerance may have four decimals: in a decimal-point file 1.000 is 1 (100 %), and the
    # tolerance rule judges the range; a money amount there would be refused.
    assert read_amount("1.000", POINT_CELLS, decimal_places=4) == Decimal("1.000")
    assert read_amount("1.000", COMMA_CELLS, decimal_places=4) == Decimal("1000")
    with pytest.raises(ValidationError):
        read_amount("1.000", POINT_CELLS)


def test_a_pending_style_stops_at_the_first_amount_that_needs_it():
    pending = NumberStyle(None, StyleBasis.PENDING)
    assert read_amount("2.345,67", pending) == Decimal("2345.67")
    with pytest.raises(StyleUndecided):
        read_amount("1.500", pending)


def test_the_doubt_names_both_readings_in_the_readers_notation():
    with pytest.raises(DoubtfulValue) as doubt:
        read_amount("1.500", NOTHING_SAYS)
    assert doubt.value.params == {
        "value": "1.500",
        "thousands": "1500.00",
        "decimal": "1.5",
        "separator": ".",
        "plain": "1500",
    }
    with translation.override("en"):
        assert doubt.value.messages == [
            "“1.500” could be 1500.00 (with “.” separating thousands) or 1.5. Write 1500, or "
            "the amount with two decimals, so that it reads one way only."
        ]
    with translation.override("pt-br"):
        assert "1500,00" in doubt.value.messages[0]
        assert "1,5" in doubt.value.messages[0]


def test_a_contradicted_amount_names_the_cell_that_shows_the_files_style():
    with translation.override("en"), pytest.raises(ValidationError) as error:
        read_amount("1.500", POINT_CELLS)
    assert error.value.messages == [
        "In this file “.” marks the decimals (row 4: “0.05”), so “1.500” would be 1.5, with "
        "three decimals. For 1500.00 write 1500; otherwise write the amount with two decimals."
    ]
    assert error.value.params["example_row"] == 4


def test_an_amount_in_a_mixed_file_names_a_cell_of_each_style():
    with translation.override("en"), pytest.raises(ValidationError) as error:
        read_amount("1,500", MIXED)
    assert error.value.messages == [
        "“1,500” could be 1500.00 or 1.5, and this file writes amounts both ways (row 2: "
        "“12.5”; row 3: “0,5”). Write 1500 for 1500.00, or the amount with two decimals."
    ]


def test_a_forms_style_is_the_convention_of_the_staff_members_language():
    with translation.override("pt-br"):
        assert NumberStyle.of_active_language() is NumberStyle.DECIMAL_COMMA
    with translation.override("en"):
        assert NumberStyle.of_active_language() is NumberStyle.DECIMAL_POINT
