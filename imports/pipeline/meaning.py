"""What a row of the file asks for: a proposed change to one account, in the file's terms.

The template's row semantics: a blank Id opens an account (or updates the open account
with the same document), a filled Id changes that account, a blank cell leaves its field
as it is. Every rule is the planner's; this module only translates between a row and a
proposed change, and names a problem's field by the column the file gives it.
"""

from accounts.amounts import NumberStyle
from accounts.changes import Action, BatchPlan, Intent, PlannedChange, ProposedChange
from accounts.documents import DOCUMENT_LENGTHS, may_have_lost_digits
from accounts.history import Channel
from accounts.models import DocumentType
from accounts.problems import Problem

from .. import columns, reader
from ..spreadsheets.cells import NumberCell, UnreadableCell
from .rows import ParsedRow, RowError, RowWarning

TEMPLATE_COLUMNS = {field.attribute: field.column_name for field in columns.template_fields()}


def template_column(field: str | None) -> str:
    """The template's name of a field's column ("" for a problem of the whole row)."""
    return TEMPLATE_COLUMNS.get(field, field) if field else ""


class RowMeaning:
    """Reads one file's rows as proposed changes and its problems as row errors."""

    def __init__(self, file_format: reader.FileFormat, number_style: NumberStyle) -> None:
        # How the file writes 1.500 (imports.number_style): pending until an amount that
        # reads two ways makes the import decide from all the file's amounts.
        self.number_style = number_style
        self.header_by_field = file_format.header_by_field

    def proposal(self, row: ParsedRow) -> ProposedChange:
        values = row.values  # the planner reads the account fields; "id" is the account's
        if row.typed_cells:
            values = _with_numbers(values, row.typed_cells)
        account_id = values.get("id", "")
        return ProposedChange(
            Intent.CHANGE if account_id else Intent.OPEN_OR_MATCH_DOCUMENT,
            values,
            Channel.IMPORT,
            account_id,
            None,
            row.row_number,
            self.number_style,
        )

    def column(self, field: str | None) -> str:
        """The column as the file names it, or as the template does when the file has none."""
        return self.header_by_field.get(field) or template_column(field) if field else ""

    def row_errors(
        self, proposal: ProposedChange, problems: list[Problem], row: ParsedRow
    ) -> list[RowError]:
        return [
            RowError(
                proposal.reference,
                self.column(problem.field),
                str(proposal.values.get(problem.field, "")) if problem.field else "",
                *_explained_for_the_cell(problem, row),
            )
            for problem in problems
        ]

    def row_warnings(self, change: PlannedChange, row: ParsedRow) -> list[RowWarning]:
        """A change's warnings named by the file's columns, with the cell and the value the
        account will have."""
        return [
            RowWarning(
                change.reference,
                self.column(warning.field),
                row.values.get(warning.field, "") if warning.field else "",
                warning.field or "",
                str(getattr(change.after, warning.field)) if warning.field else "",
                change.account_id if change.before is not None else "",  # a new one has no page
                warning.code,
                dict(warning.params),
            )
            for warning in change.warnings
        ]


AMOUNT_FIELDS = ("credit_limit", "tolerance")
# A CPF/CNPJ the rule refused, by the type the rule checked it as.
_DOCUMENT_RULE_CODES = {
    "cpf_invalid_length": DocumentType.CPF,
    "cpf_invalid_check_digits": DocumentType.CPF,
    "cnpj_invalid_length": DocumentType.CNPJ,
    "cnpj_invalid_check_digits": DocumentType.CNPJ,
}


def _explained_for_the_cell(problem: Problem, row: ParsedRow) -> tuple[str, dict]:
    """A refused CPF/CNPJ the spreadsheet stored as a number lost its leading zeros or its
    text on the way in, not its check digits in the typing: the error says how to fix the
    file (format the column as Text, type it again) rather than "a CPF has 11 digits"."""
    document_type = _DOCUMENT_RULE_CODES.get(problem.code)
    if document_type is not None and row.typed_cells:
        cell = row.typed_cells.get("document")
        if isinstance(cell, NumberCell):
            return "document_number_unreadable", {
                "value": str(cell),
                "document_type": document_type,
            }
    return problem.code, dict(problem.params)


def _with_numbers(values: dict[str, str], typed_cells: dict[str, str]) -> dict[str, object]:
    """A spreadsheet's number cells of amount columns as the Decimals they hold: 1.234 typed as
    a number is 1.234 in any language, never a doubt about thousands."""
    numbers = {
        field: typed_cells[field].number
        for field in AMOUNT_FIELDS
        if field in values and isinstance(typed_cells.get(field), NumberCell)
    }
    return {**values, **numbers} if numbers else values


def cell_errors(row: ParsedRow, meaning: RowMeaning) -> list[RowError]:
    """What is wrong with the row's cells before their values mean anything: cells beyond
    the header (a value split by an unquoted delimiter shifts every other cell), a
    spreadsheet's formula without its result or its error value, a cell the door refused
    (imports.door). Such a row is not planned: these come first."""
    if row.extra_cells:
        return [RowError(row.row_number, "", "", "too_many_cells", {})]
    return [
        RowError(row.row_number, meaning.column(name), str(cell), cell.code, cell.params)
        for name, cell in (row.typed_cells or {}).items()
        if isinstance(cell, UnreadableCell)
    ]


def refuse_documents_typed_as_numbers(
    plan: BatchPlan, rows: list[ParsedRow], meaning: RowMeaning
) -> list[RowError]:
    """An Other document a spreadsheet stored as a number has no check digits to tell that
    its leading zeros were dropped: the change is refused. (A CPF or CNPJ that lost them
    fails its length or check digits, with the spreadsheet hint.)"""
    typed_as_number = {
        row.row_number
        for row in rows
        if row.typed_cells and isinstance(row.typed_cells.get("document"), NumberCell)
    }
    if not typed_as_number:
        return []
    refused = [
        change
        for change in plan.accepted
        if change.reference in typed_as_number
        and change.after.document_type == DocumentType.OTHER
        and "document" in change.changed_fields
    ]
    plan.accepted = [change for change in plan.accepted if change not in refused]
    return [
        RowError(
            change.reference,
            meaning.column("document"),
            change.after.document,
            "document_typed_as_number",
            {},
        )
        for change in refused
    ]


def doubt_rounded_documents(
    accepted: list[PlannedChange], rows: dict[int, ParsedRow], meaning: RowMeaning
) -> list[RowWarning]:
    """A CPF/CNPJ the spreadsheet stored as a number that ends in the zeros a number shown in
    scientific notation comes back with (a CSV's 5.29982E+10 opened in Excel is the number
    52998200000), and happens to have valid check digits: stored only once someone has
    looked (a warning), never silently. Only for number cells: a document written as text,
    as most CSV files write it, ends like that about once in 10,000 real CPFs, too often
    to stop a plain import for."""
    warnings = []
    for change in accepted:
        row = rows[change.reference]
        if not row.typed_cells or not isinstance(row.typed_cells.get("document"), NumberCell):
            continue
        if change.action not in (Action.CREATE, Action.UPDATE):
            continue
        document = change.after.document
        if (
            "document" not in change.changed_fields
            or change.after.document_type not in DOCUMENT_LENGTHS
            or not may_have_lost_digits(document)
        ):
            continue
        cell = row.values.get("document", "")
        warnings.append(
            RowWarning(
                change.reference,
                meaning.column("document"),
                cell,
                "document",
                document,
                change.account_id if change.before is not None else "",
                "document_may_have_lost_digits",
                {"value": cell, "document_type": change.after.document_type},
            )
        )
    return warnings
