"""The parameter table: every factor parameter, declared once with its dimension (CONTRACTS §4, §4a).

``inventory/data/parameters.csv`` has one row per parameter name (the ``parameter`` column of a
factor file):

``parameter``
    the name (an IPCC symbol for the methods of other sectors: ``DOC``, ``MCF``, ``BEF`` …).
``sectors``
    the sectors whose methods read it, ``;``-separated (``energy``, ``ippu``, ``agriculture``,
    ``lulucf``, ``waste``).
``dimension``
    a unit expression whose dimensionality a factor row's unit must have. The token ``activity``
    stands for the canonical unit of the row's item (``items.csv``; any activity unit of the
    vocabulary when the item is ``*``); alternatives are separated by ``|``. ``1`` is a pure number:
    a fraction or a ratio, written with an empty unit, ``1``, ``%`` or ``kg/kg``.
``gas``
    ``required`` (the row names the gas it is a factor of: ``ef``, ``grid_ef``, ``EF_process``) or
    ``none`` (a method parameter; the gas column stays empty).
``example_unit``
    a unit that fits (it must: the table is checked on load).
``name_zh``, ``name_en``, ``equation``
    Chinese and English names, and the equation the parameter belongs to (``Vol.5 Eq. 3.2`` is the
    2006 IPCC Guidelines, volume 5, equation 3.2; the provincial guideline, 省级指南, where the
    method is its own).

:func:`unit_problem` says whether a unit fits a parameter for an item; the factor database
(:mod:`inventory.core.factors`) refuses a factor row whose unit does not, with file and line.
"""

from __future__ import annotations

import csv
import difflib
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from inventory.core.units import parse_unit
from inventory.core.vocabulary import Vocabulary, load_vocabulary

__all__ = ["Parameter", "load_parameters", "parameter", "unit_problem", "unknown_parameter_message",
           "activity_units", "describe", "TABLE", "SECTORS", "GAS_RULES"]

TABLE = Path(__file__).resolve().parent.parent / "data" / "parameters.csv"
COLUMNS = ["parameter", "sectors", "dimension", "gas", "example_unit", "name_zh", "name_en", "equation"]
SECTORS = ("energy", "ippu", "agriculture", "lulucf", "waste")
#: the values of the ``gas`` column
GAS_RULES = ("required", "none")
#: the token of a dimension expression that stands for the unit of the item's activity
ACTIVITY = "activity"
_ACTIVITY_TOKEN = re.compile(rf"\b{ACTIVITY}\b")


@dataclass(frozen=True)
class Parameter:
    """One row of the parameter table."""

    name: str
    sectors: tuple[str, ...]
    #: the dimension expression as written (``kg/TJ | t/activity``)
    dimension: str
    #: ``required`` or ``none``
    gas: str
    example_unit: str
    name_zh: str
    name_en: str
    equation: str

    @property
    def alternatives(self) -> tuple[str, ...]:
        """The dimension expression's alternatives (``("kg/TJ", "t/activity")``)."""
        return tuple(part.strip() for part in self.dimension.split("|"))

    @property
    def needs_gas(self) -> bool:
        return self.gas == "required"

    @property
    def per_activity(self) -> bool:
        """Whether the dimension depends on the item (an alternative names ``activity``)."""
        return any(_ACTIVITY_TOKEN.search(a) for a in self.alternatives)


@functools.lru_cache(maxsize=1)
def load_parameters() -> dict[str, Parameter]:
    """The parameter table, by name, in the table's order (read once).

    Raises
    ------
    ValueError
        The shipped table is malformed: a duplicated name, an unknown sector or gas rule, a
        dimension that is empty, ``any`` or unreadable, or an example unit that does not fit.
    """
    with TABLE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            raise ValueError(f"{TABLE.name}: columns must be {', '.join(COLUMNS)}, got {reader.fieldnames}")
        rows = list(reader)
    table: dict[str, Parameter] = {}
    problems = []
    for line, row in enumerate(rows, start=2):
        entry = Parameter(name=row["parameter"].strip(),
                          sectors=tuple(s.strip() for s in row["sectors"].split(";") if s.strip()),
                          dimension=row["dimension"].strip(), gas=row["gas"].strip(),
                          example_unit=row["example_unit"].strip(), name_zh=row["name_zh"].strip(),
                          name_en=row["name_en"].strip(), equation=row["equation"].strip())
        problems += [f"{TABLE.name}:{line}: {p}" for p in _row_problems(entry, table)]
        table[entry.name] = entry
    if problems:
        raise ValueError("; ".join(problems))
    return table


def _row_problems(entry: Parameter, seen: dict[str, Parameter]) -> list[str]:
    problems = []
    if not entry.name:
        problems.append("empty parameter name")
    if entry.name in seen:
        problems.append(f"parameter {entry.name!r} is declared twice: one name, one dimension")
    unknown = [s for s in entry.sectors if s not in SECTORS]
    if not entry.sectors or unknown:
        problems.append(f"{entry.name}: sectors must be some of {', '.join(SECTORS)}, got {entry.sectors}")
    if entry.gas not in GAS_RULES:
        problems.append(f"{entry.name}: gas must be one of {', '.join(GAS_RULES)}, got {entry.gas!r}")
    if not all(entry.alternatives) or any(a.lower() == "any" for a in entry.alternatives):
        problems.append(f"{entry.name}: dimension {entry.dimension!r} is empty or 'any'")
        return problems
    try:
        example = parse_unit(entry.example_unit).dimensionality
        if not any(_fits(example, a, u) for a in entry.alternatives for u in activity_units("*")):
            problems.append(f"{entry.name}: example unit {entry.example_unit!r} does not fit {entry.dimension!r}")
    except ValueError as exc:  # UnitError: a dimension or example that is no unit
        problems.append(f"{entry.name}: {exc}")
    return problems


def parameter(name: str) -> Parameter:
    """The table's row for ``name``.

    Raises
    ------
    KeyError
        No such parameter (the message lists the known ones).
    """
    table = load_parameters()
    if name not in table:
        raise KeyError(unknown_parameter_message(name))
    return table[name]


def unknown_parameter_message(name: str) -> str:
    """``unknown parameter 'nvc' (did you mean ncv?); one of ncv, carbon_content, …`` (all of them)."""
    known = list(load_parameters())
    close = difflib.get_close_matches(name, known, n=3)
    hint = f" (did you mean {' or '.join(close)}?)" if close else ""
    return f"unknown parameter {name!r}{hint}; one of {', '.join(known)}"


def activity_units(item: str, vocabulary: Vocabulary | None = None) -> tuple[str, ...]:
    """The units ``activity`` stands for: the item's canonical unit, or every activity unit of the
    vocabulary for ``*`` (and for an item the vocabulary does not know). A compound item ``a.b``
    (``swine.liquid_slurry``) that is not an item itself is measured like ``a``."""
    return _activity_units(item, vocabulary or load_vocabulary())


@functools.lru_cache(maxsize=4096)
def _activity_units(item: str, vocabulary: Vocabulary) -> tuple[str, ...]:
    items = vocabulary.items
    for candidate in (item, item.split(".", 1)[0]):
        if candidate != "*" and candidate in items.index:
            return (items.at[candidate, "canonical_unit"],)
    return tuple(sorted(set(items["canonical_unit"])))


def unit_problem(name: str, item: str, unit: str, vocabulary: Vocabulary | None = None) -> str | None:
    """Whether ``unit`` fits parameter ``name`` for ``item``: None when it does, else the reason.

    Parameters
    ----------
    name : str
        A parameter of the table (``ncv``, ``k`` …).
    item : str
        The factor row's item, or ``*``: ``activity`` in the dimension then stands for any activity
        unit of the vocabulary (the numerator is still checked).
    unit : str
        The factor row's unit (``GJ/t``, ``1/yr``, ``%`` …).

    Returns
    -------
    str or None
        ``unit 'GJ/m^3' is energy per volume: ncv, net calorific value, must be energy per unit of
        diesel (like GJ/t)``, or None.

    Raises
    ------
    KeyError
        ``name`` is no parameter of the table.
    inventory.core.units.UnitError
        ``unit`` cannot be read.
    """
    entry = parameter(name)
    dims = parse_unit(unit).dimensionality
    units = activity_units(item, vocabulary)
    if any(_fits(dims, alternative, u) for alternative in entry.alternatives for u in units):
        return None
    named = len(units) == 1 and item != "*"
    required = " or ".join(_words(a, entry.needs_gas, item if named else "")
                           for a in entry.alternatives)
    hint = ("; a word after a unit, other than C, CO2, CO2e, CH4 or N2O, is read as a unit (N is newton, "
            "d.m. day × metre): write the bare unit" if _LABEL.search(unit) else "")
    return (f"unit {unit!r} is {describe(dims)}: {entry.name}, {entry.name_en}, must be {required} "
            f"(like {_examples(entry, units[0] if named else '')}){hint}")


#: a word after a unit ("kg N", "t d.m.") that the unit parser takes for a unit, not a label it drops
_LABEL = re.compile(r"[A-Za-z]\s+(?!(?:CO2e|CO2-eq|CO2|CH4|N2O|C)(?![A-Za-z0-9]))[A-Za-z]")


@functools.lru_cache(maxsize=1024)
def _alternative_dims(alternative: str, activity_unit: str):
    return parse_unit(_ACTIVITY_TOKEN.sub(f"({activity_unit})", alternative)).dimensionality


def _fits(dims, alternative: str, activity_unit: str) -> bool:
    return dims == _alternative_dims(alternative, activity_unit)


def _examples(entry: Parameter, activity_unit: str) -> str:
    """Units that fit: one per alternative for a named item (``kg/TJ or t/t``); for item ``*`` the
    table's example and each alternative per tonne (``kg/TJ, t/t …``)."""
    if entry.alternatives == ("1",):
        return "0.98 with unit empty, 1 or kg/kg; 98 with %"
    if not activity_unit:
        examples = [entry.example_unit, *(_ACTIVITY_TOKEN.sub("t", a) for a in entry.alternatives)]
        return ", ".join(dict.fromkeys(examples)) + (" …" if entry.per_activity else "")
    examples = [_ACTIVITY_TOKEN.sub(activity_unit, a) for a in entry.alternatives]
    return " or ".join(examples)


def _words(alternative: str, of_gas: bool, item: str) -> str:
    """An alternative in words: ``t/activity`` → ``mass of gas per unit of raw_coal``."""
    if alternative == "1":
        return "a pure number: a fraction or ratio"
    numerator, *denominators = [part.strip() for part in alternative.split("/")]
    if numerator == "1":
        head = "a number"
    else:
        head = describe(parse_unit(numerator).dimensionality)
        if of_gas and head == "mass":
            head = "mass of gas"
    tails = [f"unit of {item or 'activity'}" if part == ACTIVITY else describe(parse_unit(part).dimensionality)
             for part in denominators]
    return " per ".join([head, *tails])


_BASE_WORDS = {"[mass]": "mass", "[time]": "time", "[livestock]": "head", "[population]": "person",
               "[currency]": "yuan", "[temperature]": "temperature", "[substance]": "amount of substance"}
_LENGTH_WORDS = {1: "length", 2: "area", 3: "volume"}


def describe(dimensionality) -> str:
    """A dimensionality in words: ``energy per volume``, ``mass per head per time``, ``a pure number``.

    Energy is read out of mass, length and time when the time exponent allows (J = kg·m²/s²).
    """
    exponents = {k: v for k, v in dict(dimensionality).items() if v}
    if not exponents:
        return "a pure number"
    time = exponents.get("[time]", 0)
    energy = -time // 2 if time and time % 2 == 0 else 0
    if energy:
        exponents["[mass]"] = exponents.get("[mass]", 0) - energy
        exponents["[length]"] = exponents.get("[length]", 0) - 2 * energy
        exponents["[time]"] = 0
    words: list[tuple[str, int]] = [("energy", energy)] if energy else []
    for key in ("[mass]", "[length]", "[livestock]", "[population]", "[currency]", "[time]", "[temperature]",
                "[substance]"):
        power = exponents.pop(key, 0)
        if not power:
            continue
        if key == "[length]" and abs(power) in _LENGTH_WORDS:
            words.append((_LENGTH_WORDS[abs(power)], 1 if power > 0 else -1))
        else:
            words.append((_BASE_WORDS[key], power))
    words += list(exponents.items())  # anything else, by pint's name
    up = [_power(w, p) for w, p in words if p > 0]
    down = [_power(w, -p) for w, p in words if p < 0]
    return " per ".join([" × ".join(up) if up else "one", *down])


def _power(word: str, power: int) -> str:
    return word if power == 1 else f"{word}^{power}"
