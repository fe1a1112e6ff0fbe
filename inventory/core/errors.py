"""Input problems, reported all at once with where they are.

A message a clerk reads is written in Chinese first, then English, joined by `` / `` (the house style of
the workbook and ingest messages): :func:`bilingual`. Where the workbench knows what was meant it says
so, in both languages: :func:`did_you_mean`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Issue", "InputError", "bilingual", "did_you_mean"]


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
        self.issues = sorted(set(issues))  # one problem found by two readers (regions.csv) is one
        count = len(self.issues)
        lines = "\n".join(f"  {issue}" for issue in self.issues[:200])
        more = f"\n  ... and {count - 200} more" if count > 200 else ""
        super().__init__(f"{count} problem(s) in the input data / 输入数据有 {count} 处问题:\n{lines}{more}")


def bilingual(zh: str, en: str) -> str:
    """``中文 / English``: one message in both languages, Chinese first."""
    return f"{zh} / {en}"


def did_you_mean(candidates: list[tuple[str, str]] | list[str]) -> tuple[str, str]:
    """The suggestion that ends a message, in Chinese and in English; ``("", "")`` for none.

    ``candidates`` are codes, or (code, name) pairs: ``[("raw_coal", "原煤")]`` →
    ``("——是否应为 raw_coal（原煤）？", " — did you mean raw_coal (原煤)?")``.
    """
    pairs = [c if isinstance(c, tuple) else (c, "") for c in candidates]
    if not pairs:
        return "", ""
    zh = "或".join(f"{code}（{name}）" if name and name != code else code for code, name in pairs)
    en = " or ".join(f"{code} ({name})" if name and name != code else code for code, name in pairs)
    return f"——是否应为 {zh}？", f" — did you mean {en}?"
