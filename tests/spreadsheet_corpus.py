"""Files as staff's spreadsheets write them, each with exactly what importing it must store.

Built by code rather than kept as binary fixtures, so each byte that matters (the delimiter,
the encoding, a BOM, a quoted "1,500") is visible here. Every row says what the import does
with it: store these exact values (maybe with warnings to acknowledge), or refuse it with a
code. Nothing doubtful may be stored silently, and nothing stored may differ from what the
file means. (Longer than a module should be: it is a table of files, read top to bottom.)
"""

import codecs
import csv
import io
from dataclasses import dataclass, field

from accounts.amounts import DecimalMark, StyleBasis
from imports.columns import template_header

POINT, COMMA = DecimalMark.POINT, DecimalMark.COMMA

ENGLISH = ("Id", "Email", "Document", "Document Type", "Credit limit", "Tolerance rate", "Status")
PORTUGUESE = (
    "Id",
    "E-mail",
    "Documento",
    "Tipo de documento",
    "Limite de crédito",
    "Taxa de tolerância",
    "Situação",
)
SPANISH = (
    "Id",
    "Correo electrónico",
    "Documento",
    "Tipo de documento",
    "Límite de crédito",
    "Tasa de tolerancia",
    "Estado",
)
READ_ONLY = tuple(template_header()[len(ENGLISH) :])  # the export's six read-only columns
EXPORTED_READ_ONLY = ("0.00", "1500.00", "1500.00", "0.00", "2026-11-30T12:00:00Z", "")


@dataclass(frozen=True)
class Stored:
    """The row is applied: the account ends with exactly these values."""

    document: str
    credit_limit: str
    tolerance: str = "0.0000"
    document_type: str = "CPF"
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Refused:
    """The row is refused with this code on this template field; nothing of it is stored."""

    field: str
    code: str


@dataclass(frozen=True)
class Row:
    email: str
    document: str
    document_type: str
    credit_limit: str
    tolerance: str
    expect: Stored | Refused
    status: str = ""
    account_id: str = ""  # the Id cell: blank for a new account (or one matched by document)

    def cells(self, read_only: tuple[str, ...]) -> list[str]:
        values = [
            self.account_id,
            self.email,
            self.document,
            self.document_type,
            self.credit_limit,
            self.tolerance,
            self.status,
        ]
        return values + list(read_only)


@dataclass(frozen=True)
class CorpusFile:
    name: str
    about: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    # How the file's amounts must be read, and what that decision rests on.
    style: DecimalMark | None
    basis: StyleBasis
    delimiter: str = ","
    encoding: str = "utf-8"
    byte_order_mark: bytes = b""
    read_only: tuple[str, ...] = field(default=())
    # Accounts before the upload: (id, e-mail, document type, document, credit limit).
    existing: tuple[tuple[str, str, str, str, str], ...] = ()
    # Uploaded once before (its warnings accepted), then these changes made in the form.
    imported_before: bool = False
    changed_since: tuple[tuple[str, dict], ...] = ()
    # Every account after the upload, by e-mail: (type, document, limit, tolerance), when the
    # file changes existing accounts (otherwise the rows' expectations say it).
    final_accounts: dict[str, tuple[str, str, str, str]] | None = None

    @property
    def content(self) -> bytes:
        text = io.StringIO()
        header = list(self.header) + (list(READ_ONLY) if self.read_only else [])
        writer = csv.writer(text, delimiter=self.delimiter, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(row.cells(self.read_only) for row in self.rows)
        return self.byte_order_mark + text.getvalue().encode(self.encoding)

    @property
    def warning_count(self) -> int:
        return sum(len(row.expect.warnings) for row in self.rows if isinstance(row.expect, Stored))


def _stored(document: str, limit: str, tolerance: str = "0.0000", **kwargs) -> Stored:
    return Stored(document, limit, tolerance, **kwargs)


THOUSANDS = ("amount_ambiguous",)
REPAIRED = ("document_changed_by_spreadsheet",)

CPF_ANA, CPF_BIA, CNPJ_CAIO, CPF_NEW = "52998224725", "08532061982", "11222333000181", "00123456797"
IDENTITY = ("identity_changed",)
FILES_ON_EXISTING_ACCOUNTS = (
    CorpusFile(
        "identity_changes.csv",
        "An exported file edited by hand: an e-mail changed by Id, a row without Id whose "
        "document is an open account's, a document and its type changed. Each is a warning "
        "naming the account and old → new.",
        ENGLISH,
        (
            Row("ana.silva@example.com", "", "", "", "", _stored(CPF_ANA, "500.00",
                warnings=IDENTITY), account_id="acc-ana"),
            Row("bia.nova@example.com", "085.320.619-82", "CPF", "900", "",
                _stored(CPF_BIA, "900.00", warnings=("identity_changed_matched",))),
            Row("", "001.234.567-97", "CPF", "", "",
                _stored(CPF_NEW, "1000.00", warnings=IDENTITY * 2), account_id="acc-caio"),
        ),
        None,
        StyleBasis.NONE,
        existing=(
            ("acc-ana", "ana@example.com", "CPF", CPF_ANA, "500.00"),
            ("acc-bia", "bia@example.com", "CPF", CPF_BIA, "800.00"),
            ("acc-caio", "caio@example.com", "CNPJ", CNPJ_CAIO, "1000.00"),
        ),
        final_accounts={
            "ana.silva@example.com": ("CPF", CPF_ANA, "500.00", "0.0000"),
            "bia.nova@example.com": ("CPF", CPF_BIA, "900.00", "0.0000"),
            "caio@example.com": ("CPF", CPF_NEW, "1000.00", "0.0000"),
        },
    ),
    CorpusFile(
        "uploaded_again_after_an_edit.csv",
        "The same limits file uploaded a second time after someone changed one of its accounts "
        "in the form: re-applying it would undo that change, so it is a warning.",
        ENGLISH,
        (
            Row("", "", "", "700", "", _stored(CPF_ANA, "700.00", warnings=("undoes_change",)),
                account_id="acc-dan"),
            Row("", "", "", "900", "", _stored(CPF_BIA, "900.00"), account_id="acc-eva"),
        ),
        None,
        StyleBasis.NONE,
        existing=(
            ("acc-dan", "dan@example.com", "CPF", CPF_ANA, "500.00"),
            ("acc-eva", "eva@example.com", "CPF", CPF_BIA, "500.00"),
        ),
        imported_before=True,
        changed_since=(("acc-dan", {"credit_limit": "650"}),),
        final_accounts={
            "dan@example.com": ("CPF", CPF_ANA, "700.00", "0.0000"),
            "eva@example.com": ("CPF", CPF_BIA, "900.00", "0.0000"),
        },
    ),
    CorpusFile(
        "uploaded_again_unchanged.csv",
        "The same limits file uploaded a second time with nothing changed since: nothing to do.",
        ENGLISH,
        (Row("", "", "", "700", "", _stored(CPF_ANA, "700.00"), account_id="acc-fay"),),
        None,
        StyleBasis.NONE,
        existing=(("acc-fay", "fay@example.com", "CPF", CPF_ANA, "500.00"),),
        imported_before=True,
        final_accounts={"fay@example.com": ("CPF", CPF_ANA, "700.00", "0.0000")},
    ),
)

FILES = (
    CorpusFile(
        "excel_pt_br_semicolon_windows1252.csv",
        "Excel in Portuguese: `;`, decimal commas, R$ money format, Windows-1252 accents.",
        PORTUGUESE,
        (
            Row("ana@example.com", "529.982.247-25", "CPF", "R$ 1.500,00", "0,05",
                _stored("52998224725", "1500.00", "0.0500")),
            Row("bruno@example.com", "11.222.333/0001-81", "CNPJ", "2.345,67", "0,1",
                _stored("11222333000181", "2345.67", "0.1000", document_type="CNPJ")),
            Row("carla@example.com", "RG São Paulo 12.345.678-9", "Other", "1.500", "",
                _stored("RG São Paulo 12.345.678-9", "1500.00", document_type="Other")),
            Row("davi@example.com", "085.320.619-82", "cpf", "750", "",
                _stored("08532061982", "750.00")),
            Row("elisa@example.com", "001.234.567-97", "CPF", "(1.500,00)", "",
                Refused("credit_limit", "credit_limit_negative")),
        ),
        COMMA,
        StyleBasis.CELLS,
        delimiter=";",
        encoding="cp1252",
    ),
    CorpusFile(
        "excel_es_semicolon_windows1252.csv",
        "Excel in Spanish: `;`, decimal commas, a euro-formatted cell, Spanish headers.",
        SPANISH,
        (
            Row("lucia@example.com", "070.000.001-12", "CPF", "1.200,50", "0,15",
                _stored("07000000112", "1200.50", "0.1500")),
            Row("mateo@example.com", "Cédula Ñandú 7", "Other", "10.000", "",
                _stored("Cédula Ñandú 7", "10000.00", document_type="Other")),
            Row("sofia@example.com", "009.876.543-49", "CPF", "1.500,00 €", "0,2",
                _stored("00987654349", "1500.00", "0.2000"), status="Open"),
        ),
        COMMA,
        StyleBasis.CELLS,
        delimiter=";",
        encoding="cp1252",
    ),
    CorpusFile(
        "excel_en_comma_utf8_bom.csv",
        "Excel in English (CSV UTF-8): quoted 1,500.00, a $ money format, decimal points.",
        ENGLISH,
        (
            Row("amy@example.com", "529.982.247-25", "CPF", "1,500.00", "0.05",
                _stored("52998224725", "1500.00", "0.0500")),
            Row("ben@example.com", "11222333000181", "CNPJ", "$2,000.00", "0.1",
                _stored("11222333000181", "2000.00", "0.1000", document_type="CNPJ")),
            Row("cal@example.com", "08532061982", "CPF", "1,500", "",
                _stored("08532061982", "1500.00")),
            Row("dee@example.com", "00123456797", "CPF", "1.5", "",
                _stored("00123456797", "1.50")),
        ),
        POINT,
        StyleBasis.CELLS,
        byte_order_mark=codecs.BOM_UTF8,
    ),
    CorpusFile(
        "google_sheets_pt_br_comma_utf8.csv",
        "Google Sheets in Portuguese: comma-separated like every Sheets export, decimal "
        "commas in quoted cells, no BOM.",
        PORTUGUESE,
        (
            Row("gabi@example.com", "529.982.247-25", "CPF", "1.500,00", "0,05",
                _stored("52998224725", "1500.00", "0.0500")),
            Row("hugo@example.com", "085.320.619-82", "CPF", "1.500", "",
                _stored("08532061982", "1500.00")),
            Row("iara@example.com", "001.234.567-97", "CPF", "R$ 2.000,00", "",
                _stored("00123456797", "2000.00")),
        ),
        COMMA,
        StyleBasis.CELLS,
    ),
    CorpusFile(
        "ambiguous_amounts_nothing_tells.csv",
        "Comma-separated UTF-8 whose amounts never show their decimal mark: 1.500 and "
        "1,500 are fifteen hundred, each shown as a warning.",
        ENGLISH,
        (
            Row("one@example.com", "529.982.247-25", "CPF", "1.500", "",
                _stored("52998224725", "1500.00", warnings=THOUSANDS)),
            Row("two@example.com", "085.320.619-82", "CPF", "1,500", "",
                _stored("08532061982", "1500.00", warnings=THOUSANDS)),
            Row("three@example.com", "001.234.567-97", "CPF", "2500", "",
                _stored("00123456797", "2500.00")),
        ),
        None,
        StyleBasis.NONE,
    ),
    CorpusFile(
        "ambiguous_contradicted_by_decimal_points.csv",
        "12.5 and 0.05 show decimal points, so 1.500 would have three decimals: refused.",
        ENGLISH,
        (
            Row("p1@example.com", "529.982.247-25", "CPF", "12.5", "0.05",
                _stored("52998224725", "12.50", "0.0500")),
            Row("p2@example.com", "085.320.619-82", "CPF", "1.500", "",
                Refused("credit_limit", "amount_contradicts_file")),
            Row("p3@example.com", "001.234.567-97", "CPF", "1,500", "",
                _stored("00123456797", "1500.00")),
        ),
        POINT,
        StyleBasis.CELLS,
    ),
    CorpusFile(
        "ambiguous_contradicted_by_decimal_commas.csv",
        "1.500,50 and 0,05 show decimal commas, so 1,500 would have three decimals: refused.",
        PORTUGUESE,
        (
            Row("c1@example.com", "529.982.247-25", "CPF", "1.500,50", "0,05",
                _stored("52998224725", "1500.50", "0.0500")),
            Row("c2@example.com", "085.320.619-82", "CPF", "1,500", "",
                Refused("credit_limit", "amount_contradicts_file")),
            Row("c3@example.com", "001.234.567-97", "CPF", "1.500", "",
                _stored("00123456797", "1500.00")),
        ),
        COMMA,
        StyleBasis.CELLS,
        delimiter=";",
    ),
    CorpusFile(
        "mixed_decimal_marks.csv",
        "Amounts written both ways: each unambiguous one is read as written, 1.500 refused.",
        ENGLISH,
        (
            Row("m1@example.com", "529.982.247-25", "CPF", "2.345,67", "",
                _stored("52998224725", "2345.67")),
            Row("m2@example.com", "085.320.619-82", "CPF", "1,234.56", "",
                _stored("08532061982", "1234.56")),
            Row("m3@example.com", "001.234.567-97", "CPF", "1.500", "",
                Refused("credit_limit", "amount_mixed_styles")),
        ),
        None,
        StyleBasis.MIXED,
    ),
    CorpusFile(
        "excel_pt_br_whole_thousands.csv",
        "Excel in Portuguese with whole amounts only (1.500, 10.000): the `;` format says the "
        "dot groups thousands; a 1,500 contradicts it and is a warning.",
        PORTUGUESE,
        (
            Row("w1@example.com", "529.982.247-25", "CPF", "1.500", "",
                _stored("52998224725", "1500.00")),
            Row("w2@example.com", "085.320.619-82", "CPF", "10.000", "",
                _stored("08532061982", "10000.00")),
            Row("w3@example.com", "001.234.567-97", "CPF", "250", "",
                _stored("00123456797", "250.00")),
            Row("w4@example.com", "070.000.001-12", "CPF", "1,500", "",
                _stored("07000000112", "1500.00", warnings=THOUSANDS)),
        ),
        COMMA,
        StyleBasis.CONVENTION,
        delimiter=";",
        encoding="cp1252",
    ),
    CorpusFile(
        "excel_en_whole_thousands.csv",
        "Excel in English with whole amounts only (1,500): the comma-separated UTF-8 BOM "
        "format says the comma groups thousands; a 1.500 contradicts it and is a warning.",
        ENGLISH,
        (
            Row("e1@example.com", "529.982.247-25", "CPF", "1,500", "",
                _stored("52998224725", "1500.00")),
            Row("e2@example.com", "085.320.619-82", "CPF", "10,000", "",
                _stored("08532061982", "10000.00")),
            Row("e3@example.com", "001.234.567-97", "CPF", "1.500", "",
                _stored("00123456797", "1500.00", warnings=THOUSANDS)),
        ),
        POINT,
        StyleBasis.CONVENTION,
        byte_order_mark=codecs.BOM_UTF8,
    ),
    CorpusFile(
        "damaged_documents.csv",
        "CPFs and CNPJs a spreadsheet took for numbers: leading zeros dropped, .0 added, "
        "thousands separators, scientific notation.",
        ENGLISH,
        (
            Row("d1@example.com", "8532061982.0", "CPF", "1000", "",
                _stored("08532061982", "1000.00", warnings=REPAIRED)),
            Row("d2@example.com", "123456797", "CPF", "1000", "",
                _stored("00123456797", "1000.00", warnings=REPAIRED)),
            Row("d3@example.com", "5,29982E+10", "CPF", "1000", "",
                Refused("document", "document_in_scientific_notation")),
            Row("d4@example.com", "52998224725.0", "CPF", "1000", "",
                _stored("52998224725", "1000.00", warnings=REPAIRED)),
            Row("d5@example.com", "7,000,000,112", "CPF", "1000", "",
                _stored("07000000112", "1000.00", warnings=REPAIRED)),
            Row("d6@example.com", "191", "CNPJ", "1000", "",
                _stored("00000000000191", "1000.00", document_type="CNPJ", warnings=REPAIRED)),
            Row("d7@example.com", "1.12223E+13", "CNPJ", "1000", "",
                Refused("document", "document_in_scientific_notation")),
            Row("d8@example.com", "12345.0", "CPF", "1000", "",
                Refused("document", "document_number_unreadable")),
            Row("d9@example.com", "9.876543490E+08", "CPF", "1000", "",
                _stored("00987654349", "1000.00", warnings=REPAIRED)),
            Row("d10@example.com", "11,222,333,000,181", "CNPJ", "1000", "",
                _stored("11222333000181", "1000.00", document_type="CNPJ")),
        ),
        None,
        StyleBasis.NONE,
    ),
    CorpusFile(
        "excel_unicode_text_pt_br.txt",
        "Excel's “Unicode text” in Portuguese: UTF-16, tab-separated, decimal commas.",
        PORTUGUESE,
        (
            Row("u1@example.com", "529.982.247-25", "CPF", "1.500,00", "0,05",
                _stored("52998224725", "1500.00", "0.0500")),
            Row("u2@example.com", "085.320.619-82", "CPF", "1.500", "",
                _stored("08532061982", "1500.00")),
        ),
        COMMA,
        StyleBasis.CELLS,
        delimiter="\t",
        encoding="utf-16",
    ),
    CorpusFile(
        "exported_and_edited.csv",
        "The export's 13 columns edited in a text editor: its balances (0.00) show decimal "
        "points, so a typed 1,500 is fifteen hundred and 1.500 is refused.",
        ENGLISH,
        (
            Row("x1@example.com", "529.982.247-25", "CPF", "1,500", "0.05",
                _stored("52998224725", "1500.00", "0.0500")),
            Row("x2@example.com", "085.320.619-82", "CPF", "1.500", "",
                Refused("credit_limit", "amount_contradicts_file")),
        ),
        POINT,
        StyleBasis.CELLS,
        byte_order_mark=codecs.BOM_UTF8,
        read_only=EXPORTED_READ_ONLY,
    ),
    *FILES_ON_EXISTING_ACCOUNTS,
)
