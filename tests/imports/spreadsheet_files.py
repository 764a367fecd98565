"""Spreadsheet files for the import tests, written as Excel and LibreOffice would."""

import io
import re
import zipfile
from datetime import date

from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P
from openpyxl import Workbook, load_workbook


def xlsx_bytes(rows: list[list], *, sheet: str = "Accounts", other_sheets: tuple = ()) -> bytes:
    """A workbook whose sheet holds ``rows`` with their Python types (str, int, float, date)."""
    workbook = Workbook()
    for name, other_rows in other_sheets:
        extra = workbook.create_sheet(name)
        for row in other_rows:
            extra.append(row)
    main = workbook.active
    main.title = sheet
    for row in rows:
        main.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_cached_results(content: bytes, results: dict[str, str]) -> bytes:
    """Give formula cells the result Excel saves beside them (openpyxl saves none)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    target_buffer = io.BytesIO()
    with zipfile.ZipFile(target_buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename.startswith("xl/worksheets/"):
                text = data.decode()
                for reference, result in results.items():
                    text = re.sub(
                        rf'(<c r="{reference}"[^>]*>)(<f>[^<]*</f>)(<v></v>|<v/>)?',
                        rf"\1\2<v>{result}</v>",
                        text,
                    )
                data = text.encode()
            target.writestr(entry, data)
    return target_buffer.getvalue()


def ods_bytes(rows: list[list], *, sheet: str = "Accounts") -> bytes:
    """An OpenDocument spreadsheet as LibreOffice writes it: typed cells with their text."""
    document = OpenDocumentSpreadsheet()
    table = Table(name=sheet)
    for values in rows:
        row = TableRow()
        for value in values:
            row.addElement(_ods_cell(value))
        table.addElement(row)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def _ods_cell(value) -> TableCell:
    if value is None or value == "":
        return TableCell()
    if isinstance(value, date):
        cell = TableCell(valuetype="date", datevalue=value.isoformat())
        cell.addElement(P(text=value.strftime("%d/%m/%Y")))
        return cell
    if isinstance(value, int | float):
        cell = TableCell(valuetype="float", value=value)
        cell.addElement(P(text=str(value).replace(".", ",")))
        return cell
    cell = TableCell(valuetype="string")
    cell.addElement(P(text=value))
    return cell


def read_xlsx(content: bytes, sheet: int = 0):
    return load_workbook(io.BytesIO(content)).worksheets[sheet]
