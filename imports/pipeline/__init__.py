"""Rows → proposed changes → the planner → applied batches: the import engine.

Streaming and batched so that memory stays flat and the number of queries grows with
rows / batch size, never with rows:

- ``rows``: the reader's records → ``ParsedRow`` (the text of each filled cell);
- ``meaning``: a row → a ``ProposedChange`` for accounts.changes' planner, and the planner's
  problems → ``RowError``s and its warnings → ``RowWarning``s, named by the file's columns;
- ``validate``: the driver of the preview: batch by batch through one planner, accepted
  changes into the *plan* (``plan_file``, one line per change, with the account's version
  seen), counts and a sample into a ``ValidationResult`` (``preview``), amounts into its
  ``MoneySummary`` (``money``);
- ``apply``: per batch, in one transaction, lock the accounts it updates, hold back rows
  whose account changed since the preview, write the rest through
  accounts.services.write_planned_changes; a unique-index refusal re-runs the planner's
  duplicate check, and a row the database still refuses never sinks its batch;
- ``report``: the failing rows back, as uploaded, for the error report;
- ``repeat``: for a file uploaded again, the changes that would undo changes made since;
- ``revert``: an applied import's changes, read back from the history, as the plan that puts
  every field back (the revert job's preview).

Nothing here writes an ImportJob: imports.services does, from what these return.
"""

from .apply import ApplyResult, ImportSource, apply_plan
from .money import LimitChange, MoneySummary
from .plan_file import read_plan
from .preview import ValidationResult
from .report import error_report_rows, failing_rows, joined_messages
from .revert import plan_revert
from .rows import RowError, RowWarning, configured_batch_size
from .validate import validate_file

__all__ = [
    "ApplyResult",
    "ImportSource",
    "LimitChange",
    "MoneySummary",
    "RowError",
    "RowWarning",
    "ValidationResult",
    "apply_plan",
    "configured_batch_size",
    "error_report_rows",
    "failing_rows",
    "joined_messages",
    "plan_revert",
    "read_plan",
    "validate_file",
]
