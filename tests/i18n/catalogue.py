"""Just enough of the gettext .po format to check the catalogues (no polib dependency)."""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

# Placeholders a translation must keep: %(name)s from Python and {% blocktranslate %},
# %s / %d, and str.format's {name}.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfi]|%[sdfi]|\{\w*\}")


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def is_translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr)

    @property
    def where(self) -> str:
        return self.references[0] if self.references else "?"


def read_catalogue(path: Path) -> list[Entry]:
    """Entries of a .po/.pot file in file order, header first; obsolete (#~) ones left out."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None
    seen_keyword = False

    def finish() -> None:
        nonlocal entry, target, seen_keyword
        if seen_keyword:
            entries.append(entry)
        entry, target, seen_keyword = Entry(), None, False

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#~"):
            if seen_keyword:
                finish()
            continue
        if line.startswith("#"):
            if seen_keyword:
                finish()
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#:"):
                entry.references.extend(line[2:].split())
            continue
        if line.startswith('"'):
            kind, index = target
            _append(entry, kind, index, ast.literal_eval(line))
            continue
        keyword, _, literal = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and seen_keyword and entry.msgstr:
            finish()
        seen_keyword = True
        plural_index = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if plural_index:
            target = ("msgstr", int(plural_index.group(1)))
        elif keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
            target = (keyword, 0)
        else:
            raise ValueError(f"{path}: unexpected line {line!r}")
        _append(entry, *target, ast.literal_eval(literal), start=True)
    finish()
    return entries


def _append(entry: Entry, kind: str, index: int, text: str, start: bool = False) -> None:
    if kind == "msgstr":
        while len(entry.msgstr) <= index:
            entry.msgstr.append("")
        entry.msgstr[index] += text
    else:
        current = "" if start else (getattr(entry, kind) or "")
        setattr(entry, kind, current + text)


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))
