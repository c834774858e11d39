"""What an edit to the CSV does, entry by entry, compared with another version (usually main).

Admins review data changes in pull requests; this turns a diff of a wide spreadsheet into a short
list a person can read: which entries were added, removed or changed, and in which columns.
"""

import dataclasses
import datetime as dt
import subprocess
from pathlib import Path

from .records import Entry


@dataclasses.dataclass(frozen=True)
class Changed:
    entry: Entry
    columns: tuple[str, ...]

    @property
    def reverified(self) -> bool:
        return "last_verified" in self.columns


@dataclasses.dataclass(frozen=True)
class Changes:
    added: tuple[Entry, ...]
    removed: tuple[Entry, ...]
    changed: tuple[Changed, ...]

    def unverified(self, today: dt.date) -> tuple[Changed, ...]:
        """Entries whose facts changed but whose `last_verified` date did not (and is not today)."""
        return tuple(c for c in self.changed if not c.reverified and c.entry.last_verified != today)


# Attribute names that differ from the CSV column an admin edits.
_COLUMN = {"phones": "phone", "hours": "opening_hours"}


def _fields(entry: Entry) -> dict:
    return {_COLUMN.get(f.name, f.name): getattr(entry, f.name) for f in dataclasses.fields(entry) if f.compare}


def compare(old: list[Entry], new: list[Entry]) -> Changes:
    before = {e.id: e for e in old}
    after = {e.id: e for e in new}
    changed = []
    for key, entry in after.items():
        if key in before:
            was, now = _fields(before[key]), _fields(entry)
            columns = tuple(name for name in now if was.get(name) != now[name])
            if columns:
                changed.append(Changed(entry, columns))
    return Changes(
        added=tuple(e for k, e in after.items() if k not in before),
        removed=tuple(e for k, e in before.items() if k not in after),
        changed=tuple(changed),
    )


def read_at(ref: str, path: Path) -> bytes:
    """The file's bytes at a git revision; raise LookupError when git or the revision cannot say."""
    try:
        root = subprocess.run(
            ["git", "-C", str(path.parent), "rev-parse", "--show-toplevel"],
            capture_output=True, text=True, check=True, timeout=30,
        ).stdout.strip()  # fmt: skip
        relative = path.resolve().relative_to(Path(root).resolve())
        # `ref` is one argv item, never shell text.
        shown = subprocess.run(
            ["git", "-C", root, "show", f"{ref}:{relative.as_posix()}"],
            capture_output=True, check=True, timeout=30,
        )  # fmt: skip
    except (OSError, ValueError, subprocess.SubprocessError) as exc:
        raise LookupError(f"cannot read {path.name} at {ref!r}") from exc
    return shown.stdout
