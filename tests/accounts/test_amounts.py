"""How one written amount is read: every spelling staff and spreadsheets use, in every context."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.amounts import (
    API_CONTEXT,
    Example,
    NumberContext,
    NumberStyle,
    StyleBasis,
    read_amount,
    read_written_amount,
    stated_context,
)

POINT, COMMA = NumberStyle.DECIMAL_POINT, NumberStyle.DECIMAL_COMMA
NOTHING_SAYS = NumberContext(None, StyleBasis.NONE)
POINT_CELLS = NumberContext(POINT, StyleBasis.CELLS, point_example=Example(4, "Tolerance", "0.05"))
COMMA_CELLS = NumberContext(COMMA, StyleBasis.CELLS, comma_example=Example(2, "Limite", "0,05"))
MIXED = NumberContext(
    None, StyleBasis.MIXED, Example(2, "Credit limit", "12.5"), Example(3, "Credit limit", "0,5")
)
SEMICOLON_FILE = NumberContext(COMMA, StyleBasis.FILE_FORMAT)
EXCEL_COMMA_FILE = NumberContext(POINT, StyleBasis.FILE_FORMAT)


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
    assert written.shows_style == shows
    assert written.ambiguous == (
        with_point is not None
        and with_comma is not None
        and Decimal(with_point) != Decimal(with_comma)
    )


def test_a_trailing_percent_sign_is_kept_for_the_tolerance_rule_to_judge():
    written = read_written_amount("5,5 %")
    assert (written.with_comma, written.percent) == (Decimal("5.5"), True)
    assert read_amount("5%", NOTHING_SAYS).percent


# context → (the value read, the warning code when it is a doubt), or the error code
THOUSANDS = ("1500", None)
DOUBT = ("1500", "amount_read_as_thousands")


def refused(code: str) -> tuple[None, str]:
    return (None, code)



@pytest.mark.parametrize(
    ("text", "context", "expected"),
    [
        # a file with no telling cell: thousands, shown as a doubt
        ("1.500", NOTHING_SAYS, DOUBT),
        ("1,500", NOTHING_SAYS, DOUBT),
        ("R$ 1.500", NOTHING_SAYS, DOUBT),
        ("12,345", NOTHING_SAYS, ("12345", "amount_read_as_thousands")),
        # the file's own cells decide: agreeing is certain, contradicting is refused
        ("1.500", COMMA_CELLS, THOUSANDS),
        ("1,500", POINT_CELLS, THOUSANDS),
        ("1.500", POINT_CELLS, refused("amount_contradicts_file")),
        ("1,500", COMMA_CELLS, refused("amount_contradicts_file")),
        ("1.500", MIXED, refused("amount_mixed_styles")),
        # Excel's file format alone: agreeing is read silently, contradicting is a doubt
        ("1.500", SEMICOLON_FILE, THOUSANDS),
        ("1,500", SEMICOLON_FILE, DOUBT),
        ("1,500", EXCEL_COMMA_FILE, THOUSANDS),
        ("1.500", EXCEL_COMMA_FILE, DOUBT),
        # a form in the staff's language and the API's JSON state their style
        ("1,500", stated_context("."), THOUSANDS),
        ("1.500", stated_context(","), THOUSANDS),
        ("1.500", stated_context("."), refused("amount_three_decimals")),
        ("1,500", stated_context(","), refused("amount_three_decimals")),
        ("1.500", API_CONTEXT, refused("amount_three_decimals")),
        ("1,500", API_CONTEXT, THOUSANDS),
        # unambiguous values are read the same everywhere, whatever the context says
        ("2.345,67", POINT_CELLS, ("2345.67", None)),
        ("1,234.56", API_CONTEXT, ("1234.56", None)),
        ("0,05", MIXED, ("0.05", None)),
        ("1500", MIXED, ("1500", None)),
        ("(1.500,00)", NOTHING_SAYS, ("-1500.00", None)),
        ("abc", NOTHING_SAYS, refused("not_a_number")),
        ("", API_CONTEXT, refused("not_a_number")),
    ],
)
def test_an_amount_is_read_in_its_context_and_never_as_one_and_a_half(text, context, expected):
    value, code = expected
    if value is None:
        with pytest.raises(ValidationError) as error:
            read_amount(text, context)
        assert error.value.code == code
        return
    reading = read_amount(text, context)
    assert reading.value == Decimal(value)
    assert (reading.doubt.code if reading.doubt else None) == code


def test_a_fraction_with_three_decimals_is_read_in_the_context_style():
    # A tolerance may have four decimals: in a decimal-point file 1.000 is 1 (100 %), and the
    # tolerance rule judges the range; a money amount there would be refused.
    assert read_amount("1.000", POINT_CELLS, decimal_places=4).value == Decimal("1.000")
    assert read_amount("1.000", COMMA_CELLS, decimal_places=4).value == Decimal("1000")
    with pytest.raises(ValidationError):
        read_amount("1.000", POINT_CELLS)


def test_the_doubt_names_both_readings_in_the_readers_notation():
    reading = read_amount("1.500", NOTHING_SAYS)
    assert reading.doubt.params == {
        "value": "1.500",
        "read_as": "1500",
        "other": "1.5",
        "separator": ".",
        "plain": "1500",
    }
    with translation.override("en"):
        assert reading.doubt.message == (
            "“1.500” was read as 1,500.00, with “.” separating thousands, not as 1.5: an "
            "amount has at most two decimals. If you meant 1.5, write it with two decimals; "
            "if 1,500.00 is right, write 1500."
        )
    with translation.override("pt-br"):
        assert "1.500,00" in reading.doubt.message
        assert "1,5" in reading.doubt.message


def test_a_contradicted_amount_names_the_cell_that_shows_the_files_style():
    with translation.override("en"), pytest.raises(ValidationError) as error:
        read_amount("1.500", POINT_CELLS)
    assert error.value.messages == [
        "In this file “.” marks the decimals (row 4: “0.05”), so “1.500” would be 1.5, with "
        "three decimals. For 1,500.00 write 1500; otherwise write the amount with two decimals."
    ]
    assert error.value.params["example_row"] == 4


def test_an_amount_in_a_mixed_file_names_a_cell_of_each_style():
    with translation.override("en"), pytest.raises(ValidationError) as error:
        read_amount("1,500", MIXED)
    assert error.value.messages == [
        "“1,500” can be 1,500.00 or 1.5, and this file writes amounts both ways (row 2: "
        "“12.5”; row 3: “0,5”). Write 1500 for 1,500.00, or the amount with two decimals."
    ]


def test_a_percent_sign_in_a_refused_value_does_not_break_its_message():
    with translation.override("en"), pytest.raises(ValidationError) as error:
        read_amount("1.500%", API_CONTEXT)
    assert error.value.messages[0].startswith("“1.500%” would be 1.5 here")
