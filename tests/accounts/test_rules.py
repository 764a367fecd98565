from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts import documents, rules
from accounts.amounts import NumberStyle
from accounts.problems import DoubtfulValue


@pytest.mark.parametrize(
    ("document_type", "raw", "expected"),
    [
        ("CPF", "529.982.247-25", "52998224725"),
        ("CPF", " 52998224725 ", "52998224725"),
        ("CNPJ", "11.222.333/0001-81", "11222333000181"),
        ("CNPJ", "12.abc.345/01de-35", "12ABC34501DE35"),
        ("Other", "  PASSPORT X123 ", "PASSPORT X123"),
    ],
)
def test_valid_documents_are_stored_normalized(document_type, raw, expected):
    assert rules.clean_document(document_type, raw) == expected


@pytest.mark.parametrize(
    ("document_type", "raw", "code"),
    [
        ("CPF", "529.982.247-26", "cpf_invalid_check_digits"),
        ("CPF", "111.111.111-11", "cpf_invalid_check_digits"),
        ("CPF", "5299822472", "cpf_invalid_length"),
        ("CPF", "52998224A25", "cpf_invalid_length"),
        ("CNPJ", "11.222.333/0001-82", "cnpj_invalid_check_digits"),
        ("CNPJ", "00000000000000", "cnpj_invalid_check_digits"),
        ("CNPJ", "12.ABC.345/01DE-3A", "cnpj_invalid_length"),
        ("CNPJ", "1122233300018", "cnpj_invalid_length"),
        ("CPF", "", "document_required"),
        ("Other", "x" * 51, "document_too_long"),
    ],
)
def test_invalid_documents_are_rejected_with_a_specific_code(document_type, raw, code):
    with pytest.raises(ValidationError) as error:
        rules.clean_document(document_type, raw)
    assert error.value.code == code


def test_document_formats_with_mask():
    assert documents.format_document("CPF", "52998224725") == "529.982.247-25"
    assert documents.format_document("CNPJ", "12ABC34501DE35") == "12.ABC.345/01DE-35"


def test_email_is_trimmed_and_lowercased_and_invalid_one_named():
    assert rules.clean_email("  Ana.Silva@Example.COM ") == "ana.silva@example.com"
    with pytest.raises(ValidationError) as error:
        rules.clean_email("ana@")
    assert error.value.messages == ["“ana@” is not a valid e-mail address."]
    with pytest.raises(ValidationError) as error:
        rules.clean_email("  ")
    assert error.value.code == "email_required"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1500", Decimal("1500.00")),
        ("1.500,50", Decimal("1500.50")),
        (0, Decimal("0.00")),
        ("1,500.25", Decimal("1500.25")),
        (Decimal("10.1"), Decimal("10.10")),
    ],
)
def test_credit_limit_accepts_money_in_common_notations(raw, expected):
    assert rules.clean_credit_limit(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("-1", "credit_limit_negative"),
        ("10.1234", "credit_limit_too_precise"),
        ("abc", "not_a_number"),
        ("1e20", "credit_limit_too_large"),
        ("1e400", "credit_limit_too_large"),
        ("NaN", "not_a_number"),
        ("Infinity", "not_a_number"),
        ("1_000", "not_a_number"),
        ("１２３", "non_ascii_digits"),
        ("١٢٣", "non_ascii_digits"),
        ("1,500", "amount_ambiguous"),
        ("1.500", "amount_ambiguous"),
    ],
)
def test_bad_credit_limits_are_rejected(raw, code):
    with pytest.raises(ValidationError) as error:
        rules.clean_credit_limit(raw)
    assert error.value.code == code


@pytest.mark.parametrize(
    ("raw", "style", "expected"),
    [
        ("1,500", NumberStyle.DECIMAL_POINT, Decimal("1500")),
        ("1.500", NumberStyle.DECIMAL_COMMA, Decimal("1500")),
        ("1,500,000", NumberStyle.UNKNOWN, Decimal("1500000")),
        ("1.500,25", NumberStyle.UNKNOWN, Decimal("1500.25")),
        ("1,5", NumberStyle.UNKNOWN, Decimal("1.5")),
        ("0.125", NumberStyle.UNKNOWN, Decimal("0.125")),
        ("1234.567", NumberStyle.UNKNOWN, Decimal("1234.567")),
        ("R$ 1.500,00", NumberStyle.DECIMAL_COMMA, Decimal("1500.00")),
        ("1 500,00 €", NumberStyle.DECIMAL_COMMA, Decimal("1500.00")),
    ],
)
def test_amounts_are_read_in_the_channels_number_style(raw, style, expected):
    assert rules.parse_amount(raw, style=style) == expected


@pytest.mark.parametrize(("raw", "style"), [("1.500", "en"), ("1,500", "pt-br")])
def test_an_amount_against_the_forms_language_is_a_doubt_never_one_and_a_half(raw, style):
    """1.500 in an English form would be 1.5 with three decimals: never read as 1.50."""
    with translation.override(style), pytest.raises(DoubtfulValue) as doubt:
        rules.clean_credit_limit(raw, style=NumberStyle.of_active_language())
    assert (doubt.value.code, doubt.value.value) == ("amount_ambiguous", Decimal("1500.00"))


def test_a_lone_separator_before_three_digits_is_never_read_as_a_fraction_in_an_unknown_style():
    with pytest.raises(DoubtfulValue) as error:
        rules.parse_amount("1,500")
    assert error.value.value == Decimal("1500")
    assert error.value.params == {
        "value": "1,500",
        "thousands": "1500.00",
        "decimal": "1.5",
        "separator": ",",
        "plain": "1500",
    }
    assert error.value.messages == [
        "“1,500” could be 1500.00 (with “,” separating thousands) or 1.5. Write 1500, or the "
        "amount with two decimals, so that it reads one way only."
    ]
    with translation.override("pt-br"):
        assert "1500,00" in error.value.messages[0]


def test_a_doubtful_amount_is_still_checked_by_its_field_rule():
    """-1.500 is a doubt about thousands, but a negative limit is refused whatever it means."""
    with pytest.raises(ValidationError) as error:
        rules.clean_credit_limit("-1.500")
    assert error.value.code == "credit_limit_negative"
    with pytest.raises(DoubtfulValue) as doubt:
        rules.clean_credit_limit("1.500")
    assert doubt.value.value == Decimal("1500.00")


@pytest.mark.parametrize(
    ("raw", "hint"),
    [("20", "0.20 = 20%"), ("5%", "0.05 = 5%"), ("0.5%", "0.005 = 0.5%"), ("1.5", "0.015 = 1.5%")],
)
def test_tolerance_given_as_a_percent_suggests_the_fraction(raw, hint):
    with pytest.raises(ValidationError) as error:
        rules.clean_tolerance(raw)
    assert error.value.code == "tolerance_percent"
    assert error.value.messages == [
        f"The tolerance is a fraction between 0 and 1 (0.05 = 5%). Did you mean {hint}?"
    ]


def test_the_percent_hint_uses_the_readers_decimal_separator():
    with pytest.raises(ValidationError) as error:
        rules.clean_tolerance("20")
    with translation.override("pt-br"):
        assert "(0,05 = 5%)" in error.value.messages[0]
        assert "0,20 = 20%?" in error.value.messages[0]


def test_tolerance_accepts_fractions_up_to_one():
    assert rules.clean_tolerance("0,2") == Decimal("0.2000")
    assert rules.clean_tolerance(1) == Decimal("1.0000")


def test_closed_account_cannot_be_reopened():
    with pytest.raises(ValidationError) as error:
        rules.check_status_change("Closed", "Open")
    assert error.value.code == "reopen_refused"
    rules.check_status_change("Open", "Closed")


@pytest.mark.parametrize(
    ("raw", "expected"), [("cpf", "CPF"), (" Cnpj ", "CNPJ"), ("OTHER", "Other")]
)
def test_document_type_is_accepted_in_any_case(raw, expected):
    assert rules.clean_document_type(raw) == expected


def test_unknown_document_type_is_named_in_the_message():
    with pytest.raises(ValidationError) as error:
        rules.clean_document_type("RG")
    assert error.value.messages == ["Unknown document type “RG”: use CPF, CNPJ or Other."]


@pytest.mark.parametrize(
    ("document_type", "raw", "code"),
    [
        ("CNPJ", "11.111.111/1111-11", "cnpj_invalid_check_digits"),
        ("CNPJ", "12.ABC.345/01DE-36", "cnpj_invalid_check_digits"),
        ("CNPJ", "12.ABC.345/01DE-3!", "cnpj_invalid_length"),
        ("CPF", "000.000.000-00", "cpf_invalid_check_digits"),
    ],
)
def test_more_invalid_documents_found_in_real_files(document_type, raw, code):
    with pytest.raises(ValidationError) as error:
        rules.clean_document(document_type, raw)
    assert error.value.code == code


def test_a_document_of_the_wrong_length_is_shown_as_stored():
    assert documents.format_document("CPF", "123") == "123"
    assert documents.format_document("Other", "AB-123") == "AB-123"


@pytest.mark.parametrize(
    ("raw", "code"),
    [("-0.01", "tolerance_negative"), ("0.00001", "tolerance_too_precise"), ("x", "not_a_number")],
)
def test_bad_tolerances_are_rejected(raw, code):
    with pytest.raises(ValidationError) as error:
        rules.clean_tolerance(raw)
    assert error.value.code == code


def test_tolerance_far_above_one_gets_no_misleading_hint():
    with pytest.raises(ValidationError) as error:
        rules.clean_tolerance("250")
    assert error.value.messages == ["The tolerance is a fraction between 0 and 1 (0.05 = 5%)."]


def test_status_is_accepted_in_any_case_and_unknown_one_named():
    assert rules.clean_status("closed") == "Closed"
    with pytest.raises(ValidationError) as error:
        rules.clean_status("Frozen")
    assert error.value.messages == ["Unknown status “Frozen”: use Open or Closed."]


def test_an_email_longer_than_its_column_is_refused_before_anything_is_stored():
    long_email = "a" * 250 + "@example.com"
    with pytest.raises(ValidationError) as error:
        rules.clean_email(long_email)
    assert error.value.messages == ["The e-mail has 262 characters: at most 254 fit."]


@pytest.mark.parametrize(
    ("document_type", "raw", "code", "params"),
    [
        ("CPF", "11.222.333/0001-81", "other_document_type", {"type": "CNPJ"}),
        ("CNPJ", "529.982.247-25", "other_document_type", {"type": "CPF"}),
        (
            "CPF",
            "52998224725.0",
            "document_changed_by_spreadsheet",
            {"value": "52998224725.0", "document_type": "CPF", "document": "529.982.247-25"},
        ),
        ("CPF", "5,29982E+10", "document_in_scientific_notation", {"value": "5,29982E+10"}),
    ],
)
def test_a_refused_document_says_what_probably_happened(document_type, raw, code, params):
    with pytest.raises(ValidationError) as error:
        rules.clean_document(document_type, raw)
    assert (error.value.code, error.value.params) == (code, params)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.booleans())
def test_cpf_check_digits_agree_with_python_stdnum(base, with_right_digits):
    from stdnum.br import cpf

    weights = documents.CPF_WEIGHTS
    number = documents.with_check_digits(base, weights) if with_right_digits else base + "00"

    expected = cpf.is_valid(number) and len(set(number)) > 1
    try:
        rules.clean_document("CPF", number)
    except ValidationError:
        assert not expected
    else:
        assert expected


@settings(max_examples=3000, deadline=None)
@given(
    st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=12, max_size=12),
    st.booleans(),
)
def test_cnpj_check_digits_agree_with_python_stdnum(base, with_right_digits):
    from stdnum.br import cnpj

    weights = documents.CNPJ_WEIGHTS
    number = documents.with_check_digits(base, weights) if with_right_digits else base + "00"
    expected = cnpj.is_valid(number) and len(set(number)) > 1
    try:
        rules.clean_document("CNPJ", number)
    except ValidationError:
        assert not expected
    else:
        assert expected


HIDDEN = [
    ("\u00ad", "U+00AD SOFT HYPHEN"),
    ("\u200b", "U+200B ZERO WIDTH SPACE"),
    ("\u200d", "U+200D ZERO WIDTH JOINER"),
    ("\u200f", "U+200F RIGHT-TO-LEFT MARK"),
    ("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ("\u3164", "U+3164 HANGUL FILLER"),
]


@pytest.mark.parametrize(("hidden", "name"), HIDDEN, ids=[name for _char, name in HIDDEN])
def test_an_invisible_character_in_an_email_a_document_or_an_amount_is_named(hidden, name):
    for rule, typed in [
        (rules.clean_email, f"ana@exam{hidden}ple.com"),
        (lambda raw: rules.clean_document("CPF", raw), f"529.982{hidden}.247-25"),
        (lambda raw: rules.clean_document("Other", raw), f"PASSPO{hidden}RT X123"),
        (rules.clean_credit_limit, f"1500{hidden}"),
    ]:
        with pytest.raises(ValidationError) as refused:
            rule(typed)
        assert refused.value.code == "invisible_character"
        assert refused.value.messages == [
            f"“{typed}” holds a character nobody can see ({name}, character "
            f"{typed.index(hidden) + 1}), which usually comes with a copy from a web page or "
            "another program. Type the value again."
        ]


@pytest.mark.parametrize("digits", ["１２３", "١٢٣", "۱۲۳", "१२३"])
def test_digits_of_other_scripts_are_refused_never_read_as_0_to_9(digits):
    in_text, in_number = "text_non_ascii_digits", "non_ascii_digits"
    for rule, typed, code in [
        (rules.clean_email, f"ana{digits}@example.com", in_text),
        (lambda raw: rules.clean_document("CPF", raw), f"52998224{digits}", in_text),
        (lambda raw: rules.clean_document("Other", raw), f"RG {digits}", in_text),
        (rules.clean_credit_limit, digits, in_number),
        (rules.clean_tolerance, f"0.{digits}", in_number),
    ]:
        with pytest.raises(ValidationError) as refused:
            rule(typed)
        assert refused.value.code == code, typed
        assert "digits other than 0 to 9" in refused.value.messages[0]


def test_an_accent_pasted_in_two_code_points_is_stored_as_one():
    assert rules.clean_email("ana@exa\u0301mple.com") == "ana@ex\u00e1mple.com"
    assert rules.clean_document("Other", "Ce\u0301dula 12") == "C\u00e9dula 12"
