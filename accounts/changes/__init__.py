"""What a change to an account means: one record for a proposed change, one planner that
applies every rule to a batch of them, and the conflicts found on the way.

Every channel goes through it: the New, Edit and Close forms and the API plan a batch of
one (accounts.services), the CSV import plans its file batch by batch (imports.pipeline).
"""

from . import records
from .conflicts import find_duplicates, find_stale
from .planner import AccountChangePlanner
from .records import *  # noqa: F403 (the records are the package's vocabulary)
from .seen_keys import SeenKeys

__all__ = [
    *records.__all__,
    "AccountChangePlanner",
    "SeenKeys",
    "find_duplicates",
    "find_stale",
]
