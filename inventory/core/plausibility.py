"""Values that cannot be right: years outside the inventory's span, uncertainties written backwards,
factor values that are impossible for their parameter, and local values outside the published range.

Years: an inventory year, a factor row's ``year_from``/``year_to`` and a region's ``valid_from``/``valid_to``
lie in :data:`FIRST_YEAR`–:data:`LAST_YEAR` (1900–2099): GB/T 2260 codes, IPCC inventories and Chinese energy
statistics all start well after 1900, and ``2100`` or ``0000`` is a typing slip, not a year.

Parameter ranges live in ``inventory/data/parameter_ranges.csv``, one row per (parameter, item, unit):

``parameter``
    a parameter of ``parameters.csv``.
``item``
    an item, or ``*`` for every item (a row for ``a`` applies to a compound item ``a.b`` as well).
``unit``
    the unit ``lower``, ``upper`` and the bounds of ``allowed`` are in; the row applies to a factor row
    whose unit converts to it. Empty: the row's bounds are only 0 or open, which hold in any unit (the
    number of a unit is always positive, :func:`inventory.core.units.parse_unit`).
``allowed``
    the values that are possible at all, as an interval: ``[0,1]`` (a fraction), ``(0,)`` (positive),
    ``[0,)`` (not negative), ``(0,150]``. A factor row outside is refused, with file and line.
``lower``, ``upper``
    the published range (the IPCC's lower and upper limits): a local row outside gets a warning
    naming it. Shipped rows are not warned about (their sources are cited in ``data/factors``).
``source``, ``note``
    where the bounds come from; what to know.

A parameter with no row may not be negative (the rule of every factor before this table).
"""

from __future__ import annotations

import csv
import functools
import math
import re
from dataclasses import dataclass
from pathlib import Path

from inventory.core.csvio import UNCERTAINTY
from inventory.core.errors import bilingual
from inventory.core.parameters import load_parameters, unit_problem
from inventory.core.units import UnitError, conversion_factor, parse_unit

__all__ = ["FIRST_YEAR", "LAST_YEAR", "year_in_range", "year_range_message", "uncertainty_problem",
           "Interval", "ParameterRange", "load_parameter_ranges", "factor_problems", "RANGES"]

#: the first and last year an input may name (inventory years, factor validity, region code validity)
FIRST_YEAR = 1900
LAST_YEAR = 2099
RANGES = Path(__file__).resolve().parent.parent / "data" / "parameter_ranges.csv"
COLUMNS = ["parameter", "item", "unit", "allowed", "lower", "upper", "source", "note"]
_INTERVAL = re.compile(r"^\s*([\[(])\s*([^,\s]*)\s*,\s*([^,\s\])]*)\s*([\])])\s*$")


def year_in_range(year: int) -> bool:
    """Whether ``year`` lies in :data:`FIRST_YEAR`–:data:`LAST_YEAR`."""
    return FIRST_YEAR <= year <= LAST_YEAR


def year_range_message(column: str, column_zh: str, year: int | str) -> str:
    """``年份 2100 不在 1900–2099 之内 / year 2100 is outside 1900–2099``, with the column's names."""
    return bilingual(f"{column_zh} {year} 不在 {FIRST_YEAR}–{LAST_YEAR} 之内（是否输入有误？）",
                     f"{column} {year} is outside {FIRST_YEAR}–{LAST_YEAR} (a typing slip?)")


def uncertainty_problem(text: str) -> str | None:
    """Why an uncertainty cell is wrong, in both languages; None when it is empty or right.

    Right: ``±`` percent not below 0 (``5``, ``±5%``), or ``low..high`` with ``low ≤ high``. A negative
    percent (``-5``, ``±-5``) and a range written backwards (``110..90``) are refused, with the form meant.
    """
    if not text:
        return None
    found = UNCERTAINTY.match(text)
    if found is None:
        negative = re.fullmatch(r"\s*±?\s*-\s*(\d+(?:\.\d+)?)\s*%?\s*", text)
        if negative:
            return bilingual(f"不确定性“{text}”为负：± 百分数不能为负——是否应为 {negative.group(1)}？",
                             f"uncertainty {text!r} is negative: a ± percent cannot be — did you mean "
                             f"{negative.group(1)}?")
        return bilingual(f"不确定性“{text}”格式不对：应为百分数（如 5、±5%）或区间（如 90..110）",
                         f"uncertainty {text!r} is not '±percent' or 'low..high'")
    if found.group(2) is not None and float(found.group(2)) > float(found.group(3)):
        low, high = found.group(2), found.group(3)
        return bilingual(f"不确定性区间“{text}”的下限大于上限——是否应为 {high}..{low}？",
                         f"uncertainty {text!r} has its low end above its high end — did you mean {high}..{low}?")
    return None


@dataclass(frozen=True)
class Interval:
    """The values a parameter can have at all: ``low``/``high`` (None: open), each end included or not."""

    low: float | None
    high: float | None
    low_closed: bool
    high_closed: bool
    text: str

    @classmethod
    def parse(cls, text: str) -> Interval:
        """``[0,1]``, ``(0,)``, ``[0,)``, ``(0,150]``.

        Raises
        ------
        ValueError
            Not an interval, or its low end above its high end.
        """
        found = _INTERVAL.match(text)
        if not found:
            raise ValueError(f"allowed {text!r} is not an interval like [0,1] or (0,)")
        low = float(found.group(2)) if found.group(2) else None
        high = float(found.group(3)) if found.group(3) else None
        if low is not None and high is not None and low > high:
            raise ValueError(f"allowed {text!r}: low end above high end")
        return cls(low, high, found.group(1) == "[", found.group(4) == "]", text.replace(" ", ""))

    def __contains__(self, value: float) -> bool:
        if self.low is not None and (value < self.low or (value == self.low and not self.low_closed)):
            return False
        return not (self.high is not None and (value > self.high or (value == self.high and not self.high_closed)))

    def describe(self, unit: str = "") -> tuple[str, str]:
        """The interval in words, Chinese and English: ``("> 0", "> 0")``, ``("≥ 0 且 ≤ 1", "≥ 0 and ≤ 1")``."""
        parts = []
        if self.low is not None:
            parts.append(f"{'≥' if self.low_closed else '>'} {self.low:g}")
        if self.high is not None:
            parts.append(f"{'≤' if self.high_closed else '<'} {self.high:g}")
        label = _label(unit)
        return " 且 ".join(parts) + label, " and ".join(parts) + label

    @property
    def unit_free(self) -> bool:
        """Whether the interval means the same in every unit (ends only 0 or open)."""
        return self.low in (None, 0.0) and self.high in (None, 0.0)


@dataclass(frozen=True)
class ParameterRange:
    """One row of ``parameter_ranges.csv``."""

    parameter: str
    item: str
    unit: str
    allowed: Interval | None
    lower: float | None
    upper: float | None
    source: str
    note: str
    line: int

    def applies(self, item: str, unit: str) -> bool:
        """Whether the row bounds a factor row of ``item`` in ``unit``."""
        if self.item != "*" and self.item not in (item, item.split(".", 1)[0]):
            return False
        return not self.unit or _scale(unit, self.unit) is not None


@functools.lru_cache(maxsize=1)
def load_parameter_ranges() -> tuple[ParameterRange, ...]:
    """The rows of ``parameter_ranges.csv`` (read and checked once).

    Raises
    ------
    ValueError
        The shipped table is malformed: an unknown parameter, a unit that does not fit the parameter, a
        bound that is no number or interval, a unit-dependent bound without a unit, ``lower`` above
        ``upper`` or outside ``allowed``, a range without a source. Every problem, with its line.
    """
    with RANGES.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            raise ValueError(f"{RANGES.name}: columns must be {', '.join(COLUMNS)}, got {reader.fieldnames}")
        rows = list(reader)
    parameters = load_parameters()
    table, problems = [], []
    for line, row in enumerate(rows, start=2):
        row = {k: (v or "").strip() for k, v in row.items()}
        where = f"{RANGES.name}:{line}"
        if row["parameter"] not in parameters:
            problems.append(f"{where}: unknown parameter {row['parameter']!r}")
            continue
        try:
            allowed = Interval.parse(row["allowed"]) if row["allowed"] else None
            lower = float(row["lower"]) if row["lower"] else None
            upper = float(row["upper"]) if row["upper"] else None
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
            continue
        if row["unit"]:
            problem = unit_problem(row["parameter"], row["item"], row["unit"])
            if problem:
                problems.append(f"{where}: {problem}")
        elif (allowed is not None and not allowed.unit_free) or lower is not None or upper is not None:
            problems.append(f"{where}: bounds other than 0 need a unit")
        if lower is not None and upper is not None and lower > upper:
            problems.append(f"{where}: lower {lower} is above upper {upper}")
        if allowed is not None and any(v is not None and v not in allowed for v in (lower, upper)):
            problems.append(f"{where}: the range {lower}–{upper} is not inside allowed {allowed.text}")
        if not row["source"]:
            problems.append(f"{where}: source is required")
        table.append(ParameterRange(row["parameter"], row["item"], row["unit"], allowed, lower, upper,
                                    row["source"], row["note"], line))
    if problems:
        raise ValueError("; ".join(problems))
    return tuple(table)


@functools.lru_cache(maxsize=256)
def _ranges_of(parameter: str) -> tuple[ParameterRange, ...]:
    return tuple(r for r in load_parameter_ranges() if r.parameter == parameter)


def _specificity(bound: ParameterRange, item: str) -> int:
    return 0 if bound.item == item else 1 if bound.item != "*" else 2


def _end(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


@functools.lru_cache(maxsize=1024)
def _scale(unit: str, target: str) -> float | None:
    """The factor from ``unit`` to ``target``; None when they do not convert."""
    try:
        return conversion_factor(unit, target)
    except UnitError:
        return None


@functools.lru_cache(maxsize=1024)
def _base_scale(unit: str) -> float:
    """The number of base (SI) units in ``unit``."""
    return float(parse_unit(unit).to_base_units().magnitude)


def _in_unit(value: float, unit: str, bound: ParameterRange) -> float:
    return value * _scale(unit, bound.unit) if bound.unit else value


def _label(unit: str) -> str:
    """`` GJ/t`` to write after a number; nothing for a pure number (``1`` or empty)."""
    return "" if unit.strip() in ("", "1") else f" {unit.strip()}"


def _shown(value: float, unit: str, bound: ParameterRange) -> str:
    """``150 %`` or ``150 % = 1.5`` (the value in the unit of the bound, when that is another)."""
    converted = _in_unit(value, unit, bound)
    text = f"{value:g}{_label(unit)}"
    return text if not bound.unit or (converted == value and _label(unit) == _label(bound.unit)) \
        else f"{text} = {converted:g}{_label(bound.unit)}"


def factor_problems(parameter: str, item: str, value: float, unit: str,
                    local: bool = True) -> tuple[list[str], list[str]]:
    """What is wrong with a factor row's value for its parameter and item: (errors, warnings), each in
    Chinese and English.

    Errors: the value, converted, is not finite, or lies outside an ``allowed`` interval of a range row
    that applies (every one of them; with none, a negative value). Warnings (``local`` rows only): outside
    the ``lower``–``upper`` of the most specific row that has them, and a fraction written ``0.98 %``.
    ``parameter`` must be in the parameter table and ``unit`` must read (the caller checks both first).
    """
    errors: list[str] = []
    warnings: list[str] = []
    entry = load_parameters()[parameter]
    name = f"{parameter}（{entry.name_zh}）"
    name_en = f"{parameter} ({entry.name_en})"
    if not math.isfinite(value * _base_scale(unit)):
        errors.append(bilingual(f"{name} = {value:g} {unit} 换算后不是有限数（数值过大？）",
                                f"{name_en} {value:g} {unit} is not finite once converted (far too large?)"))
        return errors, warnings
    applicable = [r for r in _ranges_of(parameter) if r.applies(item, unit)]
    bounded = [r for r in applicable if r.allowed is not None]
    for bound in bounded:  # the first bound broken is reported (zero breaks "> 0" and "> 0 and ≤ 150" alike)
        if _in_unit(value, unit, bound) not in bound.allowed:
            shown = _shown(value, unit, bound)
            zh, en = bound.allowed.describe(bound.unit)
            hint = hint_en = ""
            if bound.allowed.high == 1 and bound.unit == "1":
                hint = "（是分数：0.98 不填单位，或 98 填 %）"
                hint_en = " (a fraction: 0.98 with the unit empty, or 98 with %)"
            errors.append(bilingual(f"{name} = {shown} 不可能：应 {zh}{hint}（{bound.source}）",
                                    f"{name_en} {shown} is impossible: it must be {en}{hint_en} ({bound.source})"))
            break
    if not bounded and value < 0:
        errors.append(bilingual(f"{name} = {value:g} 为负：因子不能为负", f"negative factor {value:g}"))
    if errors or not local:
        return errors, warnings
    ranged = sorted((r for r in applicable if r.lower is not None or r.upper is not None),
                    key=lambda r: _specificity(r, item))
    if ranged:
        bound = ranged[0]
        converted = _in_unit(value, unit, bound)
        below = bound.lower is not None and converted < bound.lower
        if below or (bound.upper is not None and converted > bound.upper):
            shown = _shown(value, unit, bound)
            span = f"{_end(bound.lower)}–{_end(bound.upper)}{_label(bound.unit)}"
            warnings.append(bilingual(
                f"{name} = {shown} 超出公开范围 {span}（{bound.source}）：请核对数值和单位",
                f"{name_en} {shown} is outside the published range {span} ({bound.source}): check the value "
                f"and its unit"))
    if unit.strip() == "%" and 0 < value <= 1 and any(r.allowed and r.allowed.high == 1 for r in bounded):
        warnings.append(bilingual(
            f"{name} = {value:g} %，即 {value / 100:g}：是否应为 {value:g}（单位留空）或 {value * 100:g} %？",
            f"{name_en} {value:g} % is {value / 100:g}: did you mean {value:g} with the unit empty, or "
            f"{value * 100:g} %?"))
    return errors, warnings
