"""Rows → validated changes → applied batches: the import engine.

Three stages, each streaming and batched so that memory stays flat and the number of
queries grows with rows / batch size, never with rows:

- ``parse_rows``: the reader's records → ``ParsedRow`` (raw text per template field);
- ``validate_file``: per batch, at most three lookups (accounts by id; open accounts by the
  documents and e-mails of rows that create an account or change those fields), every field
  rule from accounts/rules.py, the row semantics of the template. The result is the *plan* —
  one line per row that changes something, with the version of the account seen at
  preview — written to storage beside the upload, plus the row errors;
- ``apply_plan``: per batch, in one transaction, lock the accounts it updates, hold back
  rows whose account changed since the preview (conflicts), write the rest in bulk through
  accounts.services.bulk_write_accounts with their history rows; a unique-index refusal
  (an account opened since the preview) sends the batch through a slower checked path.

``error_report_rows`` streams the failing rows back, as uploaded, for the error report.
"""

from .apply import ApplyResult, apply_plan, read_plan
from .report import error_report_rows, failing_rows, joined_messages
from .rows import BATCH_SIZE, Change, ParsedRow, RowError, configured_batch_size
from .validate import ValidationResult, parse_rows, validate_file

__all__ = [
    "BATCH_SIZE",
    "ApplyResult",
    "Change",
    "ParsedRow",
    "RowError",
    "ValidationResult",
    "apply_plan",
    "configured_batch_size",
    "error_report_rows",
    "failing_rows",
    "joined_messages",
    "parse_rows",
    "read_plan",
    "validate_file",
]
