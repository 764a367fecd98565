"""The spreadsheet corpus, cell by cell: each file's number style and each row's reading."""

import io

import pytest
from django.core.exceptions import ValidationError

from accounts import rules
from accounts.amounts import read_amount
from accounts.document_repair import repair_spreadsheet_document
from imports import number_style, reader
from tests.spreadsheet_corpus import FILES, CorpusFile, Refused, Stored


def _read_row(values: dict[str, str], context) -> Stored | Refused:
    """One row's cells through the amount reader, the document repair and the field rules."""
    warnings = []
    field = "document_type"
    try:
        document_type = rules.clean_document_type(values["document_type"] or "CPF")
        field = "document"
        repaired = repair_spreadsheet_document(document_type, values["document"])
        if repaired is None:
            document = rules.clean_document(document_type, values["document"])
        else:
            document = repaired.document
            warnings += ["document_repaired"] if repaired.needs_review else []
        field = "credit_limit"
        credit_limit = "100.00"
        if values["credit_limit"]:
            reading = read_amount(values["credit_limit"], context)
            credit_limit = str(rules.clean_credit_limit(reading.value))
            warnings += [reading.doubt.code] if reading.doubt else []
        field = "tolerance"
        tolerance = "0.0000"
        if values["tolerance"]:
            reading = read_amount(values["tolerance"], context, decimal_places=4)
            tolerance = str(rules.clean_tolerance(reading.value))
            warnings += [reading.doubt.code] if reading.doubt else []
    except ValidationError as error:
        return Refused(field, error.code)
    return Stored(document, credit_limit, tolerance, document_type, tuple(warnings))


def read_corpus_file(corpus_file: CorpusFile):
    content = corpus_file.content
    file_format = reader.inspect_file(lambda: io.BytesIO(content), size=len(content))
    records = list(
        reader.iter_records(
            io.BytesIO(content), encoding=file_format.encoding, delimiter=file_format.delimiter
        )
    )
    evidence = number_style.gather_evidence(
        records, number_style.amount_positions(file_format.header)
    )
    decision = number_style.decide_number_style(
        evidence, delimiter=file_format.delimiter, encoding=file_format.encoding
    )
    outcomes = {}
    for _row_number, cells in records:
        values = {
            name: cells[position].strip()
            for position, name in enumerate(file_format.fields_by_position)
            if name
        }
        outcomes[values["email"]] = _read_row(values, decision.context)
    return decision, outcomes


@pytest.mark.parametrize("corpus_file", FILES, ids=[corpus_file.name for corpus_file in FILES])
def test_every_corpus_file_is_read_as_it_means(corpus_file):
    decision, outcomes = read_corpus_file(corpus_file)
    assert (decision.style, decision.basis) == (corpus_file.style, corpus_file.basis)
    assert outcomes == {row.email: row.expect for row in corpus_file.rows}
