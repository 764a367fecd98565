"""Import jobs: one uploaded CSV, its validation (preview), its application and its row errors."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.display import account_value_text

from .messages import render_note, render_row_message


class ImportJob(models.Model):
    """One uploaded file and everything that happened to it, from upload to the last batch."""

    class Status(models.TextChoices):
        """Where a job is in its life::

        uploaded ──► validating ──► ready to confirm ──► importing ──► completed
            │            │     │          │                  ▲ │      completed with errors
            │            │     │          └──► cancelled     │ │
            │            │     └──► awaiting approval ───────┘ │ (approved by another
            │            │              │ └──► rejected        │  manager; or cancelled)
            └────────────┴──────► failed ◄─────────────────────┘
                                    │ (worker died or file rejected; retry when the
                                    └──► validating / importing     worker died)

        A preview over one of the store's approval thresholds (imports.approval) waits for
        a manager other than the uploader, who approves (it applies) or rejects it.
        """

        UPLOADED = "uploaded", _("Uploaded")
        VALIDATING = "validating", _("Validating")
        READY_TO_CONFIRM = "ready_to_confirm", _("Ready to confirm")
        AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
        IMPORTING = "importing", _("Importing")
        COMPLETED = "completed", _("Completed")
        COMPLETED_WITH_ERRORS = "completed_with_errors", _("Completed with errors")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")
        REJECTED = "rejected", _("Rejected")

    # A worker is (or should be) busy with these: the page keeps polling.
    IN_PROGRESS = (Status.UPLOADED, Status.VALIDATING, Status.IMPORTING)
    # Nothing more will happen to these (except a retry of a failed job).
    FINISHED = (
        Status.COMPLETED,
        Status.COMPLETED_WITH_ERRORS,
        Status.FAILED,
        Status.CANCELLED,
        Status.REJECTED,
    )
    # The preview is complete and nothing is applied yet: the page shows what it would do.
    PREVIEWED = (Status.READY_TO_CONFIRM, Status.AWAITING_APPROVAL)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    fingerprint = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    delimiter = models.CharField(_("delimiter"), max_length=1, blank=True)
    # How the file was read, as imports.messages.Note codes and parameters: worded when read.
    notes = models.JSONField(_("notes"), default=list, blank=True)

    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.UPLOADED
    )
    # Data rows in the file (an estimate from its line count until validation has read it).
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    # Rows that change an account, set on confirmation: what applying goes through.
    rows_to_apply = models.PositiveIntegerField(_("rows to apply"), default=0)
    # Progress of the running step: rows read while validating, rows applied while importing.
    rows_processed = models.PositiveIntegerField(_("rows processed"), default=0)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    # The preview (what the file will do) ...
    to_create = models.PositiveIntegerField(_("to create"), default=0)
    to_update = models.PositiveIntegerField(_("to update"), default=0)
    to_close = models.PositiveIntegerField(_("to close"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    # Warnings about rows that will be applied (a doubtful value, an identity change):
    # confirming a job that has any needs an explicit acknowledgement.
    warning_count = models.PositiveIntegerField(_("warnings"), default=0)
    # For a file identical to an earlier applied import: how many of its changes would put
    # back values that were changed since (imports.pipeline.repeat).
    undo_count = models.PositiveIntegerField(_("changes it would undo"), default=0)
    change_sample = models.JSONField(_("sample of changes"), default=list, blank=True)
    # What the file does to the store's credit, in amounts (imports.pipeline.money), and the
    # approval thresholds it goes over (imports.approval): both written with the preview.
    money_summary = models.JSONField(_("money summary"), default=dict, blank=True)
    approval_reasons = models.JSONField(_("why approval is needed"), default=list, blank=True)
    # ... and what applying it did.
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    closed_count = models.PositiveIntegerField(_("closed"), default=0)
    conflict_count = models.PositiveIntegerField(_("conflicts"), default=0)

    # The validated rows, written by validation and read back by the apply step.
    plan = models.FileField(_("validated plan"), upload_to="imports/plans/", blank=True)
    file_error = models.TextField(_("file error"), blank=True)
    failure_reason = models.TextField(_("failure reason"), blank=True)
    identical_to = models.ForeignKey(
        "self",
        verbose_name=_("identical to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A revert is a job of its own: it puts back what this earlier import changed.
    reverts = models.ForeignKey(
        "self",
        verbose_name=_("revert of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reverted_by",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # The second manager's decision on a job awaiting approval: approved (the job went on
    # to apply) or rejected (status REJECTED), with the reason given.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved or rejected by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("approved or rejected at"), null=True, blank=True)
    review_reason = models.TextField(_("reason"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="importjob_newest_idx"),
            models.Index(
                fields=["status", "-created_at", "-id"], name="importjob_status_newest_idx"
            ),
        ]

    def __str__(self) -> str:
        return _("Import #%(number)s (%(name)s)") % {"number": self.pk, "name": self.original_name}

    def get_absolute_url(self) -> str:
        return reverse("imports:job-detail", args=[self.pk])

    class WrongStatus(Exception):
        """The job is not in a status that allows the requested step."""

    class WarningsNotAcknowledged(Exception):
        """Confirming a job with warnings needs the person to say they checked them all."""

    class RevertRefused(Exception):
        """This job cannot be reverted (a revert, not applied, or reverted already)."""

    class NotYourDecision(Exception):
        """The uploader of a job awaiting approval may not approve or reject it."""

    class ReasonRequired(Exception):
        """Rejecting a job awaiting approval needs a reason for its uploader."""

    def ensure_status(self, *allowed: str) -> None:
        """The one guard of the state machine: refuse a step from any other status."""
        if self.status not in allowed:
            raise ImportJob.WrongStatus(
                _("Import #%(number)s is %(status)s; this step is not possible now.")
                % {"number": self.pk, "status": self.get_status_display().lower()}
            )

    @property
    def is_in_progress(self) -> bool:
        return self.status in self.IN_PROGRESS

    @property
    def is_previewed(self) -> bool:
        return self.status in self.PREVIEWED

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def is_applied(self) -> bool:
        return self.status in (self.Status.COMPLETED, self.Status.COMPLETED_WITH_ERRORS)

    @property
    def is_revert(self) -> bool:
        return self.reverts_id is not None

    @property
    def can_retry(self) -> bool:
        # A rejected file stays rejected: the fix is a new upload, not a retry.
        return self.status == self.Status.FAILED and not self.file_error

    @property
    def progress_total(self) -> int:
        """What ``rows_processed`` counts towards: the file's rows, then the rows to apply."""
        return self.rows_to_apply if self.confirmed_at else self.rows_total

    @property
    def progress_percent(self) -> int:
        if self.status in self.FINISHED or self.status in self.PREVIEWED:
            return 100
        if not self.progress_total:
            return 0
        return min(99, self.rows_processed * 100 // self.progress_total)

    @property
    def counts(self) -> "JobCounts":
        """The one set of numbers the job page, the history, the command and the result show:
        what applying did once it started, what it will do while the preview waits, and no
        changes at all for a job cancelled or failed before it was confirmed."""
        if self.confirmed_at:
            stage = JobCounts.APPLIED
            changes = (self.created_count, self.updated_count, self.closed_count)
        elif self.status in self.PREVIEWED:
            stage = JobCounts.PLANNED
            changes = (self.to_create, self.to_update, self.to_close)
        else:
            stage, changes = JobCounts.NONE, (0, 0, 0)
        return JobCounts(
            stage,
            *changes,
            unchanged=self.unchanged_count,
            error_rows=self.error_count + self.conflict_count,
            warnings=self.warning_count,
        )

    @property
    def note_texts(self) -> list[str]:
        """The notes in the active language."""
        return [render_note(note) for note in self.notes]

    @property
    def review_decision(self) -> str:
        """"approved", "rejected", or "" for a job no second manager decided on."""
        if not self.reviewed_at:
            return ""
        return "rejected" if self.status == self.Status.REJECTED else "approved"

    @property
    def delimiter_name(self) -> str:
        return {",": _("comma"), ";": _("semicolon"), "\t": _("tab")}.get(self.delimiter, "")


@dataclass(frozen=True)
class JobCounts:
    """A job's numbers (ImportJob.counts): accounts created, updated, closed, left unchanged,
    rows with errors (refused, or not applied because their account changed meanwhile) and
    warnings."""

    PLANNED = "planned"
    APPLIED = "applied"
    NONE = "none"

    stage: str
    created: int
    updated: int
    closed: int
    unchanged: int
    error_rows: int
    warnings: int

    @property
    def changes(self) -> int:
        return self.created + self.updated + self.closed


class ImportRowError(models.Model):
    """What is wrong with one cell (or a whole row) of an import, and how to fix it.

    Stored as a code and its parameters, and rendered when read (``message``), so each
    person reads it in their own language, whoever uploaded the file.
    """

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="row_errors")
    # As the spreadsheet numbers it: the header is row 1.
    row_number = models.PositiveIntegerField(_("row"))
    column = models.CharField(_("column"), max_length=100, blank=True)
    value = models.CharField(_("value"), max_length=255, blank=True)
    code = models.CharField(_("code"), max_length=50, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # A conflict: the account whose planned change was held back ("" for a refused row).
    account_id = models.CharField(_("account"), max_length=100, blank=True)
    # The text of a code no message is registered for (rows stored before codes had
    # parameters keep their text here).
    fallback_message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("row error")
        verbose_name_plural = _("row errors")
        ordering = ["job", "row_number", "id"]
        indexes = [
            # In the page's order, id included: a page of a job's 100,000 errors is read off
            # the index without sorting the rows before it.
            models.Index(fields=["job", "row_number", "id"], name="importrowerror_job_row_idx"),
            # The account page's "imports that touched it": only conflicts name an account.
            models.Index(
                fields=["account_id"],
                condition=~models.Q(account_id=""),
                name="importrowerror_conflict_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.job_id} row {self.row_number}: {self.message}"

    @property
    def message(self) -> str:
        """The message in the active language."""
        return render_row_message(self.code, self.params, fallback=self.fallback_message)


class ImportRowWarning(models.Model):
    """A row that will be applied but deserves a look: a value read one way though it could
    mean another, an existing account's e-mail or document changed. Rendered like a row error
    (code + parameters, in the reader's language), with what will be stored."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="row_warnings")
    row_number = models.PositiveIntegerField(_("row"))
    column = models.CharField(_("column"), max_length=100, blank=True)
    value = models.CharField(_("value"), max_length=255, blank=True)
    # The account field the warning is about, and its value once the row is applied.
    field = models.CharField(_("field"), max_length=30, blank=True)
    stored_value = models.CharField(_("value stored"), max_length=255, blank=True)
    account_id = models.CharField(_("account"), max_length=100, blank=True)
    code = models.CharField(_("code"), max_length=50)
    params = models.JSONField(_("parameters"), default=dict, blank=True)

    class Meta:
        verbose_name = _("row warning")
        verbose_name_plural = _("row warnings")
        ordering = ["job", "row_number", "id"]
        indexes = [
            models.Index(fields=["job", "row_number", "id"], name="importrowwarning_job_row_idx")
        ]

    def __str__(self) -> str:
        return f"#{self.job_id} row {self.row_number}: {self.message}"

    @property
    def message(self) -> str:
        """The message in the active language."""
        return render_row_message(self.code, self.params)

    @property
    def stored_text(self) -> str:
        """What will be stored, as the account page shows it (money, %, a masked document)."""
        if not self.field:
            return ""
        document_type = self.params.get("document_type") or self.params.get("new_type", "")
        return account_value_text(self.field, self.stored_value, document_type=document_type)
