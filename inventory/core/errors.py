"""Input problems, reported all at once with where they are."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Issue", "InputError"]


@dataclass(frozen=True, order=True)
class Issue:
    """One problem in an input file.

    ``line`` is the 1-based line in the file (the header is line 1); ``column`` names the column.
    In a workbook ``line`` is 0 and ``column`` is the cell as ``sheet!D12`` (or ``sheet!`` for the
    whole sheet).
    """

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        if self.column and "!" in self.column and not self.line:
            where += f": {self.column.rstrip('!')}"
        elif self.column:
            where += f": column {self.column}"
        return f"{where}: {self.message}"


class InputError(ValueError):
    """Inputs failed validation; ``issues`` lists every problem found."""

    def __init__(self, issues: list[Issue]):
        self.issues = sorted(issues)
        count = len(self.issues)
        lines = "\n".join(f"  {issue}" for issue in self.issues[:200])
        more = f"\n  ... and {count - 200} more" if count > 200 else ""
        super().__init__(f"{count} problem(s) in the input data / 输入数据有 {count} 处问题:\n{lines}{more}")
