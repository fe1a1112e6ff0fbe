"""Provenance as data: the links from every emission to the factor rows behind it.

A sector's emission rows carry a ``links`` column: per row a tuple of ``(role, factor id)`` pairs,
``role`` being the parameter the row stood for (``ncv``, ``carbon_content``, ``oxidation``, ``ef``,
``grid_ef`` …); an empty id is a link that found no row. Everything a report says about factors
comes from joins on these links — the rows used, the weakest confidence of a number, the
unverified share — and the ``factor_ids`` text of ``emissions_provenance.csv``
(``ncv=…; carbon_content=…; oxidation=…``) is formatted only when it is written.

A row that adds up several computations (the feedstock memo ``M.NEU`` of one fuel over several
categories) keeps the links of each: the text then shows each computation's links, ``|`` between.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = ["CONFIDENCE_ORDER", "UNVERIFIED", "Links", "as_links", "links_of", "format_links", "merge_links",
           "links_table",
           "used_ids", "weakest", "weakest_confidence", "factors_used", "map_unique"]

#: confidence levels, best first; a link that found no row is ``missing``
CONFIDENCE_ORDER = ("verified", "local", "derived", "secondary", "memory", "missing")
_RANK = {level: rank for rank, level in enumerate(CONFIDENCE_ORDER)}
#: confidences flagged in reports: the value has not been checked against its source document
UNVERIFIED = frozenset({"derived", "secondary", "memory"})

Links = tuple[tuple[str, str], ...]


def as_links(values) -> np.ndarray:
    """A one-dimensional object array of link tuples (NumPy would read a list of tuples as a 3-D
    array)."""
    values = list(values)
    return np.fromiter(values, dtype=object, count=len(values))


def links_of(roles: tuple[str, ...], *ids) -> np.ndarray:
    """The links of many rows at once: row *i* links ``roles[k]`` to ``ids[k][i]``. One tuple is
    made per distinct combination of ids and shared by its rows (a province has a few hundred
    combinations for millions of rows)."""
    columns = [np.asarray(column, dtype=object) for column in ids]
    if not len(columns[0]):
        return np.empty(0, dtype=object)
    if len(columns[0]) < 2000:  # a region-year: a dictionary of the combinations is quicker
        made: dict[tuple, tuple] = {}
        return as_links(made.setdefault(combination, tuple(zip(roles, combination)))
                        for combination in zip(*columns))
    # one integer per combination of ids (each column factorised on its own: fast on strings)
    combined = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        codes, uniques = pd.factorize(column)
        combined = combined * (len(uniques) + 1) + codes
    _, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
    made = as_links(tuple(zip(roles, (column[i] for column in columns))) for i in first)
    return made[inverse.ravel()]


def format_links(links: Links) -> str:
    """``ncv=ID; carbon_content=ID``; the links of several computations (a role seen again starts a
    new one) are joined with `` | ``."""
    groups: list[list[str]] = [[]]
    seen: set[str] = set()
    for role, factor_id in links:
        if role in seen:
            groups.append([])
            seen = set()
        seen.add(role)
        groups[-1].append(f"{role}={factor_id}")
    return " | ".join("; ".join(group) for group in groups if group)


def merge_links(column: Iterable[Links]) -> Links:
    """The links of rows added into one: each distinct computation's links, in order."""
    merged: list[tuple[str, str]] = []
    for links in dict.fromkeys(tuple(links) for links in column):
        merged.extend(links)
    return tuple(merged)


def map_unique(values, function) -> np.ndarray:
    """``function`` of every value, called once per distinct value (millions of cells, a handful of
    distinct link tuples)."""
    if isinstance(values, pd.Series):
        values = values.to_numpy(dtype=object)
    elif not isinstance(values, np.ndarray):
        values = as_links(values)
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    mapped = np.empty(len(uniques), dtype=object)
    mapped[:] = [function(value) for value in uniques]
    return mapped[codes]


def links_table(emissions: pd.DataFrame) -> pd.DataFrame:
    """One row per link: ``row`` (the emission row's index), ``role``, ``factor_id``."""
    pairs = [(index, role, factor_id) for index, links in zip(emissions.index, emissions["links"])
             for role, factor_id in links]
    return pd.DataFrame(pairs, columns=["row", "role", "factor_id"])


def used_ids(emissions: pd.DataFrame) -> set[str]:
    """Every factor row id the emissions link to."""
    ids = {factor_id for links in pd.unique(emissions["links"]) for _, factor_id in links}
    ids.discard("")
    return ids


def weakest(links: Links, confidence_of: dict[str, str]) -> str:
    """Confidence of a computation: its least reliable link (``missing`` for a link without a row)."""
    levels = [confidence_of.get(factor_id, "missing") if factor_id else "missing" for _, factor_id in links]
    return max(levels, key=lambda level: _RANK.get(level, len(_RANK))) if levels else "missing"


def weakest_confidence(links: pd.Series, factor_rows: pd.DataFrame) -> np.ndarray:
    """:func:`weakest` of every row's links, joined on the factor rows' ``id`` and ``confidence``."""
    confidence_of = dict(zip(factor_rows["id"], factor_rows["confidence"]))
    return map_unique(links, lambda value: weakest(value, confidence_of))


def factors_used(emissions: pd.DataFrame, factor_rows: pd.DataFrame) -> pd.DataFrame:
    """The factor rows the emissions link to (every link of every row, merged rows included)."""
    return factor_rows[factor_rows["id"].isin(used_ids(emissions))].copy()


def rank(level: str) -> int:
    """Position of a confidence in :data:`CONFIDENCE_ORDER` (best 0)."""
    return _RANK.get(level, len(_RANK))
