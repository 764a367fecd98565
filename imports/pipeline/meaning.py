"""What a row of the file asks for: a proposed change to one account, in the file's terms.

The template's row semantics: a blank Id opens an account (or updates the open account
with the same document), a filled Id changes that account, a blank cell leaves its field
as it is. Every rule is the planner's; this module only translates between a row and a
proposed change, and names a problem's field by the column the file gives it.
"""

from accounts.changes import BatchPlan, Intent, ProposedChange
from accounts.history import Channel
from accounts.models import DocumentType
from accounts.problems import Problem
from accounts.rules import NumberStyle

from .. import columns, reader
from ..spreadsheets.cells import NumberCell, UnreadableCell
from .rows import ParsedRow, RowError

TEMPLATE_COLUMNS = {field.attribute: field.column_name for field in columns.template_fields()}


def template_column(field: str | None) -> str:
    """The template's name of a field's column ("" for a problem of the whole row)."""
    return TEMPLATE_COLUMNS.get(field, field) if field else ""


class RowMeaning:
    """Reads one file's rows as proposed changes and its problems as row errors."""

    def __init__(self, file_format: reader.FileFormat) -> None:
        # Excel in es/pt locales writes `;` files with decimal commas: 1.500,00. Other files
        # may come from anywhere: an amount that reads two ways is refused, not guessed.
        self.number_style = (
            NumberStyle.DECIMAL_COMMA if file_format.decimal_comma else NumberStyle.UNKNOWN
        )
        self.header_by_field = file_format.header_by_field

    def proposal(self, row: ParsedRow) -> ProposedChange:
        account_id = row.values.get("id", "")
        return ProposedChange(
            Intent.CHANGE if account_id else Intent.OPEN_OR_MATCH_DOCUMENT,
            row.values,  # the planner reads the account fields; "id" is the account's
            Channel.IMPORT,
            account_id,
            None,
            row.row_number,
            self.number_style,
        )

    def column(self, field: str | None) -> str:
        """The column as the file names it, or as the template does when the file has none."""
        return self.header_by_field.get(field) or template_column(field) if field else ""

    def row_errors(self, proposal: ProposedChange, problems: list[Problem]) -> list[RowError]:
        return [
            RowError(
                proposal.reference,
                self.column(problem.field),
                str(proposal.values.get(problem.field, "")) if problem.field else "",
                problem.code,
                dict(problem.params),
            )
            for problem in problems
        ]


def cell_errors(row: ParsedRow, meaning: RowMeaning) -> list[RowError]:
    """What is wrong with the row's cells before their values mean anything: cells beyond
    the header (a value split by an unquoted delimiter shifts every other cell), a
    spreadsheet's formula without its result or its error value. Such a row is not planned:
    these come first."""
    if row.extra_cells:
        return [RowError(row.row_number, "", "", "too_many_cells", {})]
    return [
        RowError(row.row_number, meaning.column(name), str(cell), cell.code, {"error": str(cell)})
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
