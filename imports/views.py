"""Import wizard, job pages and import history. Thin: the job's life is in services, and a
page view only reads (stale jobs are failed by the worker and a command, not by polls)."""

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from accounts.models import StoreSettings
from accounts.pagination import KeysFirstPaginator

from . import approval, pipeline, selectors, services, spreadsheets, workbooks
from .downloads import workbook_response
from .forms import ImportChoiceForm, UploadForm
from .models import ImportJob

VIEW = "accounts.view_account"
IMPORT = "accounts.import_accounts"
# A revert changes accounts as an import does, and closes the accounts the import opened.
REVERT = (IMPORT, "accounts.close_account")


@permission_required(IMPORT, raise_exception=True)
def start(request):
    """Accounts › Import: create (download the template) or update (upload a file)?"""
    form = ImportChoiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["action"] == ImportChoiceForm.CREATE:
            return redirect("imports:template-help")
        return redirect("imports:upload")
    return render(request, "imports/import_start.html", {"form": form})


# Room for the multipart envelope around the file (boundaries, headers, CSRF token).
MULTIPART_OVERHEAD = 16 * 1024


@csrf_exempt  # the size is checked before the body is read; CSRF right after, in _upload
@permission_required(IMPORT, raise_exception=True)
def upload(request):
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if (
        request.method == "POST"
        and declared > settings.IMPORT_MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD
    ):
        # Refused from the request's declared length: nothing of the file is read or stored.
        refusal = UploadForm.too_large_error(declared).messages[0]
        return _upload_page(request, UploadForm(), status=413, size_error=refusal)
    return _upload(request)


@csrf_protect
def _upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = services.create_import_job(uploaded_file=form.cleaned_data["file"], user=request.user)
        return redirect(job)
    return _upload_page(request, form)


def _upload_page(request, form: UploadForm, status: int = 200, size_error: str = ""):
    context = {
        "form": form,
        "max_bytes": settings.IMPORT_MAX_UPLOAD_BYTES,
        "size_error": size_error,
    }
    return render(request, "imports/import_upload.html", context, status=status)


def _job_context(request, job: ImportJob) -> dict:
    # In the order of their (job, row_number, id) indexes, which KeysFirstPaginator reads.
    errors = KeysFirstPaginator(job.row_errors.order_by("row_number", "id"), 50)
    warnings = KeysFirstPaginator(job.row_warnings.order_by("row_number", "id"), 50)
    outcome = request.GET.get("outcome", "")
    outcome = outcome if outcome in selectors.Outcome.LABELS else ""
    can_import = request.user.has_perm(IMPORT)
    currency_code = StoreSettings.load().currency_code if job.approval_reasons else ""
    return {
        "job": job,
        "errors_page": errors.get_page(request.GET.get("page")),
        "warnings_page": warnings.get_page(request.GET.get("warnings_page")),
        "touched_page": _touched_page(job, outcome, request.GET.get("accounts_page")),
        "outcome": outcome,
        "outcome_choices": selectors.Outcome.CHOICES,
        "can_import": can_import,
        "can_revert": request.user.has_perms(REVERT),
        "revert": services.active_revert(job) if job.is_applied and not job.is_revert else None,
        "money": pipeline.MoneySummary.from_json(job.money_summary) if job.money_summary else None,
        "approval_reasons": [
            approval.reason_text(reason, currency_code) for reason in job.approval_reasons
        ],
        # Four eyes: whoever uploaded a job awaiting approval sees it, never decides on it.
        "can_review": can_import and request.user.pk != job.created_by_id,
    }


def _touched_page(job: ImportJob, outcome: str, number):
    """One page of the accounts a job touched, once applying started (None before)."""
    if not job.confirmed_at:
        return None
    paginator = Paginator(selectors.touched_accounts(job=job, outcome=outcome), 50)
    page = paginator.get_page(number)
    page.object_list = selectors.as_touched(page.object_list)
    return page


@permission_required(VIEW, raise_exception=True)
def job_detail(request, pk: int):
    job = get_object_or_404(
        ImportJob.objects.select_related(
            "created_by", "confirmed_by", "reviewed_by", "identical_to", "reverts"
        ),
        pk=pk,
    )
    return render(request, "imports/importjob_detail.html", _job_context(request, job))


@permission_required(VIEW, raise_exception=True)
def job_progress(request, pk: int):
    """The progress card, the status badge and the row count, polled by htmx while a worker
    is busy with the job."""
    job = get_object_or_404(ImportJob, pk=pk)
    response = render(request, "imports/_importjob_progress_poll.html", {"job": job})
    if not job.is_in_progress:
        # The job moved on (preview ready, done, failed): reload the whole page once.
        response["HX-Refresh"] = "true"
    return response


def _job_action(request, pk: int, action, done_message: str, **options):
    try:
        job = action(job_id=pk, user=request.user, **options)
    except ImportJob.DoesNotExist:
        raise Http404 from None
    except (
        ImportJob.WrongStatus,
        ImportJob.WarningsNotAcknowledged,
        ImportJob.RevertRefused,
        ImportJob.NotYourDecision,
        ImportJob.ReasonRequired,
    ) as refused:
        messages.error(request, str(refused))
        return redirect("imports:job-detail", pk=pk)
    messages.success(request, done_message)
    return redirect(job)


def _acknowledged_warnings(request) -> int:
    # The "I checked the N warnings" box posts N: a count that no longer matches (the job was
    # checked again meanwhile) confirms nothing.
    acknowledged = request.POST.get("acknowledged_warnings", "")
    return int(acknowledged) if acknowledged.isdigit() else 0


@require_POST
@permission_required(IMPORT, raise_exception=True)
def confirm(request, pk: int):
    return _job_action(
        request,
        pk,
        services.confirm_import_job,
        _("Import confirmed: applying the changes."),
        acknowledged_warnings=_acknowledged_warnings(request),
    )


@require_POST
@permission_required(IMPORT, raise_exception=True)
def approve(request, pk: int):
    return _job_action(
        request,
        pk,
        services.approve_import_job,
        _("Import approved: applying the changes."),
        acknowledged_warnings=_acknowledged_warnings(request),
    )


@require_POST
@permission_required(IMPORT, raise_exception=True)
def reject(request, pk: int):
    return _job_action(
        request,
        pk,
        services.reject_import_job,
        _("Import rejected: nothing was changed."),
        reason=request.POST.get("reason", "")[:2000],
    )


@require_POST
@permission_required(IMPORT, raise_exception=True)
def cancel(request, pk: int):
    return _job_action(
        request, pk, services.cancel_import_job, _("Import cancelled: nothing was changed.")
    )


@require_POST
@permission_required(REVERT, raise_exception=True)
def revert(request, pk: int):
    """Start a revert of an applied import: a job of its own, previewed before anything changes."""
    return _job_action(
        request,
        pk,
        services.create_revert_job,
        _("Revert started: check its preview, then confirm it."),
    )


@require_POST
@permission_required(IMPORT, raise_exception=True)
def retry(request, pk: int):
    return _job_action(request, pk, services.retry_import_job, _("Import restarted."))


class _Echo:
    def write(self, value: str) -> str:
        return value


@permission_required(VIEW, raise_exception=True)
def error_report(request, pk: int):
    """The failing rows as uploaded plus an Errors column, streamed."""
    job = get_object_or_404(ImportJob, pk=pk)
    if not job.file or job.file_error or not (job.counts.error_rows or job.warning_count):
        raise Http404(_("This import has no row errors or warnings to report."))
    if job.encoding in spreadsheets.SPREADSHEET_KINDS:
        report, filename, content_type = workbooks.error_report(
            job, currency_code=StoreSettings.load().currency_code
        )
        return workbook_response(report, filename, content_type=content_type)
    writer = csv.writer(_Echo(), delimiter=job.delimiter or ",")
    encoding = "cp1252" if job.encoding == "cp1252" else "utf-8"
    # The rows are written after this view returns: in the language of the person asking.
    language = translation.get_language()

    def lines():
        if encoding == "utf-8":
            yield "\ufeff".encode()  # so Excel shows accents
        with translation.override(language):
            for row in pipeline.error_report_rows(job):
                yield writer.writerow(row).encode(encoding, errors="replace")

    filename = f"import-{job.pk}-errors.csv"
    return StreamingHttpResponse(
        lines(),
        content_type=f"text/csv; charset={encoding}",
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


class ImportJobListView(PermissionRequiredMixin, ListView):
    """Accounts › Import history: every job, newest first, filterable by status."""

    permission_required = VIEW
    raise_exception = True
    paginate_by = 25
    template_name = "imports/importjob_list.html"

    def get_queryset(self):
        jobs = ImportJob.objects.select_related("created_by", "reviewed_by").order_by(
            "-created_at", "-id"
        )
        status = self.request.GET.get("status", "")
        if status in ImportJob.Status.values:
            jobs = jobs.filter(status=status)
        return jobs.defer("change_sample", "notes", "money_summary")

    def get_context_data(self, **kwargs):
        status = self.request.GET.get("status", "")
        return super().get_context_data(
            status=status if status in ImportJob.Status.values else "",
            status_choices=ImportJob.Status.choices,
            **kwargs,
        )
