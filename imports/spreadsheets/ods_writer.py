"""Writing the error report of an .ods upload as an .ods, streamed.

The report of a LibreOffice file goes back in LibreOffice's own format. No library streams
an OpenDocument file out (odfpy builds the whole document in memory), and the report needs
little of the format: typed cells, a bold header and a highlight, written here row by row
into content.xml, so a report of many rows keeps memory flat.
"""

import tempfile
import zipfile
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from xml.sax.saxutils import escape, quoteattr

KIND = "ods"
MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
CONTENT_TYPE = MIMETYPE

_MANIFEST = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" \
manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="{MIMETYPE}"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""
_CONTENT_START = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" \
xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" \
xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" \
xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.2">
<office:automatic-styles>
 <style:style style:name="header" style:family="table-cell">
  <style:text-properties fo:font-weight="bold"/></style:style>
 <style:style style:name="faulty" style:family="table-cell">
  <style:table-cell-properties fo:background-color="#f8cbad"/></style:style>
</office:automatic-styles>
<office:body><office:spreadsheet><table:table table:name={sheet}>
"""
_CONTENT_END = "</table:table></office:spreadsheet></office:body></office:document-content>\n"


def _cell(text: str, *, style: str = "", number: bool = False) -> str:
    styled = f' table:style-name="{style}"' if style else ""
    if not text:
        return f"<table:table-cell{styled}/>"
    if number:
        try:
            value = Decimal(text)
        except InvalidOperation:
            pass
        else:
            return (
                f'<table:table-cell{styled} office:value-type="float" '
                f'office:value="{value}"><text:p>{escape(text)}</text:p></table:table-cell>'
            )
    return (
        f'<table:table-cell{styled} office:value-type="string">'
        f"<text:p>{escape(text)}</text:p></table:table-cell>"
    )


def error_report_ods(
    header: list[str],
    rows: Iterable[tuple[list[str], frozenset[int], str]],
    *,
    sheet_name: str,
    number_positions: frozenset[int],
):
    """Like workbooks.error_report_xlsx, as an .ods in an open temporary file."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the caller, after streaming)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        # The mimetype comes first and uncompressed, so the file is recognised by its start.
        archive.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", _MANIFEST)
        with archive.open("content.xml", "w") as content:
            content.write(_CONTENT_START.format(sheet=quoteattr(sheet_name)).encode())
            cells = "".join(_cell(name, style="header") for name in header)
            content.write(f"<table:table-row>{cells}</table:table-row>\n".encode())
            for values, faulty, messages in rows:
                cells = "".join(
                    _cell(
                        values[position] if position < len(values) else "",
                        style="faulty" if position in faulty else "",
                        number=position in number_positions,
                    )
                    for position in range(len(header) - 1)
                ) + _cell(messages)
                content.write(f"<table:table-row>{cells}</table:table-row>\n".encode())
            content.write(_CONTENT_END.encode())
    target.seek(0)
    return target
