"""Which row of a file first used a key, in flat memory whatever the file size."""

import os
import sqlite3
import tempfile
from collections.abc import Iterable


class SeenKeys:
    """Which row of the file first used a key (an account, a document, an e-mail).

    Small files stay in a dict; past ``memory_limit`` keys the table moves to a scratch
    SQLite file on the worker's disk, so a million-row file does not grow the worker's memory.
    """

    def __init__(self, memory_limit: int = 200_000) -> None:
        self.memory_limit = memory_limit
        self._memory: dict[str, int] = {}
        self._disk: sqlite3.Connection | None = None
        self._path = ""
        self._batch_known: dict[str, int] = {}
        self._batch_new: dict[str, int] = {}

    def prefetch(self, keys: Iterable[str]) -> None:
        """Load the rows of a batch's keys (one query on the scratch file once spilled)."""
        self._batch_new = {}
        if self._disk is None:
            self._batch_known = self._memory
            return
        wanted = list(set(keys))
        self._batch_known = {}
        for start in range(0, len(wanted), 900):
            chunk = wanted[start : start + 900]
            placeholders = ",".join("?" * len(chunk))
            self._batch_known.update(
                self._disk.execute(
                    f"SELECT key, row FROM seen WHERE key IN ({placeholders})",  # noqa: S608
                    chunk,
                )
            )

    def first_row(self, key: str) -> int | None:
        return self._batch_new.get(key) or self._batch_known.get(key)

    def add(self, key: str, row_number: int) -> None:
        if self.first_row(key) is None:
            self._batch_new[key] = row_number

    def first_or_add(self, key: str, row_number: int) -> int | None:
        """The first row of ``key``, or None after recording ``row_number`` as its first."""
        first = self._batch_new.get(key) or self._batch_known.get(key)
        if first is None:
            self._batch_new[key] = row_number
        return first

    def end_batch(self) -> None:
        if self._disk is None:
            self._memory.update(self._batch_new)
            if len(self._memory) > self.memory_limit:
                self._spill()
        else:
            self._disk.executemany("INSERT INTO seen VALUES (?, ?)", self._batch_new.items())
        self._batch_new = {}

    def _spill(self) -> None:
        handle, self._path = tempfile.mkstemp(suffix=".sqlite3", prefix="import-keys-")
        os.close(handle)
        self._disk = sqlite3.connect(self._path)
        self._disk.execute("PRAGMA journal_mode=OFF")
        self._disk.execute("PRAGMA synchronous=OFF")
        self._disk.execute("CREATE TABLE seen (key TEXT PRIMARY KEY, row INTEGER) WITHOUT ROWID")
        self._disk.executemany("INSERT INTO seen VALUES (?, ?)", self._memory.items())
        self._memory = {}

    def close(self) -> None:
        if self._disk is not None:
            self._disk.close()
            os.unlink(self._path)
            self._disk = None
