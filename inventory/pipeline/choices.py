"""The named choices of a run — method, factor sets, grid-factor series — checked before anything
runs: a name that does not exist is an error listing the known ones, never a silent default."""

from __future__ import annotations

import difflib

from inventory.core.errors import Issue
from inventory.core.factors import FactorDatabase
from inventory.core.methods import MethodError, resolve_method
from inventory.sectors import registry

__all__ = ["choice_issues"]


def _suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f"; did you mean {close[0]}? / 是否为 {close[0]}？" if close else ""


def choice_issues(factors: FactorDatabase, method: str = "", factor_sets: list[str] | None = None,
                  options: object | None = None) -> list[Issue]:
    """Every named choice that does not exist, as issues of the option that named it: the method,
    the factor sets, and each sector parameter with ``choices`` that a run option fills (energy's
    ``--grid-series``)."""
    issues = []
    try:
        resolve_method(method, factors.local_factor_sets())
    except MethodError as exc:
        issues.append(Issue("--method", 0, "", str(exc)))
    known_sets = factors.factor_sets()
    for name in factor_sets or []:
        if name not in known_sets:
            hint = _suggest(name, known_sets)
            issues.append(Issue("--factor-sets", 0, "", f"未知因子集 unknown factor set {name!r}{hint} — known: "
                                                        f"{', '.join(known_sets)}"))
    seen = set()
    for sector in registry().values():
        for parameter in sector.parameters:
            if parameter.choices is None or not parameter.option or parameter.option in seen:
                continue
            if options is None or not hasattr(options, parameter.option):
                continue
            seen.add(parameter.option)
            value, known = getattr(options, parameter.option), parameter.choices(factors)
            if value not in known:
                flag = "--" + parameter.option.replace("_", "-")
                issues.append(Issue(flag, 0, "", f"未知名称 unknown {parameter.help or parameter.name} {value!r}"
                                                 f"{_suggest(str(value), known)} — known: {', '.join(known)}"))
    return issues
