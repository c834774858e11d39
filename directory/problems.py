"""Problems found in an admin's file, each naming its line and column the way a spreadsheet shows them.

Each problem carries the columns of its own file, so the letter it prints (`boroughs (B)`) is the one
the admin sees above that column in that file, whichever file it is.
"""

from dataclasses import dataclass, field


def letter(index: int) -> str:
    """Spreadsheet column letter (0 -> A, 26 -> AA), so admins can find a cell."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Problem:
    line: int
    column: str  # a column name, or "" for the whole row or file
    message: str
    warning: bool = False
    # The file's header, in order: where `column` sits in it gives the letter.
    columns: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def __str__(self) -> str:
        where = f"line {self.line}"
        if self.column in self.columns:
            where += f", column {self.column} ({letter(self.columns.index(self.column))})"
        elif self.column:  # a header cell that is not one of ours: shown so that hidden characters show
            where += f", column {self.column if self.column.isprintable() else repr(self.column)}"
        return f"{'warning' if self.warning else 'error'}: {where}: {self.message}"


class InvalidData(Exception):
    """A file has errors; `problems` lists them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))
