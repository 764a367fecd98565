"""The files staff download: the template, its example and the export of the accounts, each
as CSV and as an Excel workbook (.xlsx).

All three are written by ``exports`` from ``columns`` (one definition of the 13 columns), and
the help page lists those same column records.
"""

from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.generic import TemplateView

from accounts import selectors
from accounts.models import StoreSettings

from . import columns, exports, workbooks

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def _attachment_headers(filename: str) -> dict[str, str]:
    return {"Content-Disposition": content_disposition_header(True, filename)}


class TemplateHelpView(PermissionRequiredMixin, TemplateView):
    """Import › Create: what each column means, and the template and example to download."""

    permission_required = "accounts.view_account"
    raise_exception = True
    template_name = "imports/template_help.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            columns=columns.COLUMNS, column_count=len(columns.COLUMNS), **kwargs
        )


def csv_response(content: str, filename: str) -> HttpResponse:
    return HttpResponse(
        content, content_type=CSV_CONTENT_TYPE, headers=_attachment_headers(filename)
    )


@permission_required("accounts.view_account", raise_exception=True)
def download_template(request):
    return csv_response(exports.template_csv(), "accounts-template.csv")


@permission_required("accounts.view_account", raise_exception=True)
def download_example(request):
    return csv_response(exports.example_csv(), "accounts-example.csv")


def workbook_response(
    file, filename: str, *, content_type: str = workbooks.CONTENT_TYPE
) -> StreamingHttpResponse:
    """A workbook written to a temporary file, streamed and then closed."""
    return StreamingHttpResponse(
        workbooks.chunks(file),
        content_type=content_type,
        headers={**_attachment_headers(filename), "Cache-Control": "no-store"},
    )


@permission_required("accounts.view_account", raise_exception=True)
def download_template_xlsx(request):
    currency_code = StoreSettings.load().currency_code
    return workbook_response(
        workbooks.template_xlsx(currency_code=currency_code), "accounts-template.xlsx"
    )


@permission_required("accounts.view_account", raise_exception=True)
def download_example_xlsx(request):
    currency_code = StoreSettings.load().currency_code
    return workbook_response(
        workbooks.template_xlsx(currency_code=currency_code, example=True),
        "accounts-example.xlsx",
    )


def _shown_accounts(request):
    """The accounts the Accounts page shows with the request's filters and sort."""
    return selectors.search_accounts(
        query=request.GET.get("q", ""),
        status=request.GET.get("status", ""),
        document_type=request.GET.get("document_type", ""),
        ordering=request.GET.get("sort", ""),
    )


@permission_required("accounts.view_account", raise_exception=True)
def export_accounts(request):
    """Accounts › Export: the accounts the Accounts page shows (same filters), every page."""
    filename = f"accounts-{timezone.localdate():%Y-%m-%d}.csv"
    return StreamingHttpResponse(
        exports.export_csv(_shown_accounts(request)),
        content_type=CSV_CONTENT_TYPE,
        headers={
            **_attachment_headers(filename),
            # Customer data: keep it out of shared caches and the browser's cache.
            "Cache-Control": "no-store",
            # Behind nginx: pass rows on as they come instead of buffering the whole file.
            "X-Accel-Buffering": "no",
        },
    )


@permission_required("accounts.view_account", raise_exception=True)
def export_accounts_xlsx(request):
    """The same export as an Excel workbook in the template's layout."""
    export = workbooks.export_xlsx(
        _shown_accounts(request), currency_code=StoreSettings.load().currency_code
    )
    return workbook_response(export, f"accounts-{timezone.localdate():%Y-%m-%d}.xlsx")
