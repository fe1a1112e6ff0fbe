"""The sector contract: what a sector declares once, for everything else to read.

A sector is one module of equations, one compute function, one thin compilation and one
notebook. It declares here

* its ``name`` (which is also its notebook's name) and titles;
* the categories it **owns** (the emissions it may return) and the categories it **reads**
  (activity records its results depend on: energy reads the energy balance ``EB`` and the
  socio-economic ``SOC`` records besides its own);
* one ``compute`` function over any set of region-years — the function the notebook,
  ``inventory compute`` and the tests all call;
* its ``history``: the years of activity a region-year's result (its notebook and report) depends
  on — energy the year, the year before (year-on-year check) and the base year of its indicators;
  a first-order-decay landfill model every year from the first deposit — and its ``inputs``: the
  years its emissions are computed from (energy: the year alone);
* the ``parameters`` its notebook takes beyond the common ones, and which run option fills each;
* any ``extra outputs`` its notebook writes beside the report (energy's Excel tables);
* the categories where a negative value is possible (removals, a net outflow of electricity).

The pipeline (tasks, content keys, outputs), ``inventory compute``, the summary and the report
index read :func:`inventory.sectors.registry`; none of them names a sector.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from inventory.core.method import matches

__all__ = ["Sector", "SectorResult", "Settings", "NotebookParameter", "year_and_previous", "same_year",
           "whole_history"]


@dataclass(frozen=True)
class Settings:
    """What a computation is asked for, besides the records and the factors."""

    gwp: str = "AR5"
    #: preferred factor sets, most preferred first (a run's own, then the method's and its fallback)
    factor_sets: tuple[str, ...] = ()
    #: the method edition (``cn_provincial:2011``; :mod:`inventory.core.methods`), empty for none
    method: str = ""
    #: the sector's own parameters (``grid_series`` …), by the names of :attr:`Sector.parameters`
    parameters: Mapping[str, object] = field(default_factory=dict)

    def get(self, name: str, default=None):
        return self.parameters.get(name, default)

    def key(self) -> tuple:
        """A hashable key of everything a result depends on besides the records and factors."""
        return (self.gwp, self.factor_sets, self.method,
                tuple(sorted((name, repr(value)) for name, value in self.parameters.items())))


@dataclass
class SectorResult:
    """What a compute function returns.

    ``emissions`` has the key columns ``region, year, category, item, gas``, ``emissions_t``
    (tonnes of the gas; no CO2e: that is added once, where results are collected), the provenance
    columns ``activity_value, activity_unit, energy_tj, records, method`` and ``links``: per row a
    tuple of ``(role, factor id)`` pairs — the factor rows the number came from, by the parameter
    they stood for (``("ncv", "…"), ("carbon_content", "…")``); an empty id marks a link that found
    no row. ``flags`` has the QA flag columns (:data:`inventory.sectors.qa.FLAG_COLUMNS`).
    """

    emissions: pd.DataFrame
    flags: pd.DataFrame
    #: anything else a compilation wants from the same pass (named tables)
    extras: dict = field(default_factory=dict)


@dataclass(frozen=True)
class NotebookParameter:
    """A notebook parameter of one sector: its default, and the run option that fills it (if any)."""

    name: str
    default: object
    #: the :class:`inventory.pipeline.run.RunOptions` attribute passed as this parameter, or None
    option: str | None = None
    help: str = ""
    #: the names the parameter may take, given the factor database (a named choice: any other name
    #: is an error before a run starts), or None for a free value
    choices: Callable[..., list[str]] | None = field(default=None, compare=False)


HistoryFunction = Callable[[int, Iterable[int], Mapping[str, object]], Iterable[int]]


def year_and_previous(year: int, years: Iterable[int], parameters: Mapping[str, object]) -> list[int]:
    """The year itself and the year before (a year-on-year check reads it)."""
    return [year - 1, year]


def same_year(year: int, years: Iterable[int], parameters: Mapping[str, object]) -> list[int]:
    """The year alone (the emissions of a year need no other year's activity)."""
    return [year]


def whole_history(year: int, years: Iterable[int], parameters: Mapping[str, object]) -> list[int]:
    """Every year with data up to and including ``year`` (a first-order-decay model)."""
    return sorted({y for y in years if y <= year} | {year})


@dataclass(frozen=True)
class Sector:
    """One IPCC sector of the workbench, as the rest of it sees it (module docstring)."""

    name: str
    title_zh: str
    title_en: str
    #: category prefixes of the emissions it may return (``1.A``, ``M.NEU`` …)
    owns: tuple[str, ...]
    compute: Callable[..., SectorResult]
    #: category prefixes of the activity records its results depend on (owned ones included)
    reads: tuple[str, ...] = ()
    history: HistoryFunction = year_and_previous
    #: the years of activity the *emissions* of a year are computed from (energy: that year; a
    #: first-order-decay model: every year from the first deposit); ``history`` may add years a
    #: notebook reads besides (the year before, a base year)
    inputs: HistoryFunction = same_year
    parameters: tuple[NotebookParameter, ...] = ()
    #: notebook parameter → suffix of a file written beside the report (``tables_path`` → ``.xlsx``)
    extra_outputs: Mapping[str, str] = field(default_factory=dict)
    #: category prefixes where a value may be negative (removals; a net outflow)
    negative_allowed: tuple[str, ...] = ()
    #: factor parameters its methods read (``ncv``, ``ef`` …): a row of another parameter cannot move it
    factor_parameters: tuple[str, ...] = ()
    #: the notebook; default ``notebooks/<name>.ipynb`` (:func:`inventory.resources.notebooks_dir`)
    notebook: Path | None = None
    #: where the sector comes from (the module that declared it), for messages
    origin: str = ""

    def __post_init__(self):
        reads = tuple(dict.fromkeys(self.owns + self.reads))
        object.__setattr__(self, "reads", reads)

    def notebook_path(self) -> Path:
        if self.notebook is not None:
            return Path(self.notebook)
        from inventory.resources import notebooks_dir

        return notebooks_dir() / f"{self.name}.ipynb"

    def parameter_defaults(self) -> dict[str, object]:
        return {p.name: p.default for p in self.parameters}

    def years_needed(self, year: int, years: Iterable[int],
                     parameters: Mapping[str, object] | None = None) -> list[int]:
        """The years of activity the result of ``year`` depends on (sorted, ``year`` included)."""
        merged = {**self.parameter_defaults(), **(parameters or {})}
        return sorted(set(self.history(int(year), list(years), merged)) | {int(year)})

    def input_years(self, year: int, years: Iterable[int],
                    parameters: Mapping[str, object] | None = None) -> list[int]:
        """The years of activity the emissions of ``year`` are computed from (sorted)."""
        merged = {**self.parameter_defaults(), **(parameters or {})}
        return sorted(set(self.inputs(int(year), list(years), merged)) | {int(year)})

    def owns_category(self, category: str) -> bool:
        return matches(category, self.owns)

    def reads_category(self, category: str) -> bool:
        return matches(category, self.reads)
