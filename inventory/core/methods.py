"""Methods: named, versioned, coherent factor sets (``inventory/data/methods.csv``).

A method edition names the factor sets it takes its values from, in order, and the sets that fill
in where it has no value for a parameter: the provincial guideline (2011 edition, with the GB/T
2589 calorific values and standard-coal coefficients), filled by IPCC 2006; IPCC 2006, filled by
GB/T 2589 where IPCC has no value. The factor database resolves a parameter with the method's
sets ranked before the fallback sets (``core.factors``: local rows still beat every shipped row);
a report lists each fill. An edition whose tables the workbench does not ship (the 2025 provincial
guideline) is chosen only with local rows of its factor set.

A method is chosen as ``name`` (its latest available edition) or ``name:edition``; a name or
edition that does not exist is an error naming the known ones, never a silent default.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Method", "MethodError", "methods", "resolve_method", "DEFAULT_METHOD"]

DATA = Path(__file__).resolve().parent.parent / "data" / "methods.csv"
#: the method of a Chinese region unless a run says otherwise
DEFAULT_METHOD = "cn_provincial"


class MethodError(ValueError):
    """A method or edition that does not exist (or cannot be used as asked)."""


@dataclass(frozen=True)
class Method:
    method: str
    edition: str
    name_zh: str
    name_en: str
    factor_sets: tuple[str, ...]
    fallback: tuple[str, ...]
    status: str
    document: str
    note: str

    @property
    def key(self) -> str:
        """``method:edition``, as a run option names it."""
        return f"{self.method}:{self.edition}"

    @property
    def preference(self) -> tuple[str, ...]:
        """The factor sets in the order resolution prefers them: the method's, then its fallback."""
        return tuple(dict.fromkeys(self.factor_sets + self.fallback))

    @property
    def shipped(self) -> bool:
        return self.status == "available"

    def label(self, lang: str = "zh") -> str:
        return f"{self.name_zh}（{self.edition}）" if lang == "zh" else f"{self.name_en} ({self.edition})"


@functools.cache
def methods() -> dict[str, Method]:
    """Every method edition by ``method:edition``, in file order."""
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    found = {}
    for row in rows:
        method = Method(row["method"], row["edition"], row["name_zh"], row["name_en"],
                        tuple(s for s in row["factor_sets"].split(";") if s),
                        tuple(s for s in row["fallback"].split(";") if s), row["status"], row["document"],
                        row["note"])
        found[method.key] = method
    return found


def resolve_method(text: str | None, local_factor_sets: set[str] | frozenset[str] = frozenset()) -> Method:
    """The method edition named by ``text`` (``name`` or ``name:edition``; empty: the default).

    ``name`` alone is its latest shipped edition. An edition whose tables are not shipped is
    accepted only when ``local_factor_sets`` (the ``factor_set`` values of the data folder's local
    rows) supplies its factor set.

    Raises
    ------
    MethodError
        Unknown method or edition (the message lists the known ones), or an edition without tables.
    """
    text = (text or DEFAULT_METHOD).strip()
    name, _, edition = text.partition(":")
    known = methods()
    editions = [m for m in known.values() if m.method == name]
    if not editions:
        names = ", ".join(dict.fromkeys(m.method for m in known.values()))
        raise MethodError(f"未知方法 unknown method {name!r}; 可选 one of: {names} "
                          f"(e.g. --method cn_provincial or cn_provincial:2011)")
    if not edition:
        shipped = [m for m in editions if m.shipped]
        return max(shipped or editions, key=lambda m: m.edition)
    chosen = next((m for m in editions if m.edition == edition), None)
    if chosen is None:
        listed = ", ".join(m.key for m in editions)
        raise MethodError(f"方法 {name} 没有 {edition} 版 / method {name} has no edition {edition!r}; one of: {listed}")
    if not chosen.shipped and not set(chosen.factor_sets) & set(local_factor_sets):
        raise MethodError(
            f"{chosen.key}（{chosen.name_zh}）的因子表尚未收录：请以本地因子行（factor_set 填 "
            f"{', '.join(chosen.factor_sets)}）提供 / the tables of {chosen.key} are not shipped: supply them as local "
            f"factor rows with factor_set {', '.join(chosen.factor_sets)}, or choose "
            f"{', '.join(m.key for m in editions if m.shipped)}")
    return chosen
