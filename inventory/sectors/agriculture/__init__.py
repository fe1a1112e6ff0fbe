"""Agriculture (IPCC 3.A, 3.C): livestock, manure, rice and managed soils.

Modules: :mod:`.population` (annual average populations from Chinese stock and slaughter
statistics, Eq. 10.1), :mod:`.livestock` (3.A.1 enteric fermentation, 3.A.2 manure management;
IPCC 2006 Vol.4 Ch.10), :mod:`.rice` (3.C.7, Ch.5), :mod:`.soils` (3.C.2–3.C.6, Ch.10–11),
:mod:`.compute` (the sector's compute function), :mod:`.compilation` (what
``notebooks/agriculture.ipynb`` calls).
"""

from __future__ import annotations

from inventory.sectors.agriculture.compute import compute_agriculture
from inventory.sectors.contract import Sector, year_and_previous

__all__ = ["SECTOR", "history"]


def history(year: int, years, parameters) -> list[int]:
    """The years a region-year's notebook depends on: its emissions read this and last year's
    year-end stocks (:func:`year_and_previous`), and its year-on-year check compares them with the
    year before's, which read the stocks of two years before."""
    return [year - 2, year - 1, year]

SECTOR = Sector(
    name="agriculture",
    title_zh="农业",
    title_en="Agriculture",
    owns=("3.A", "3.C.2", "3.C.3", "3.C.4", "3.C.5", "3.C.6", "3.C.7"),
    compute=compute_agriculture,
    history=history,
    # the annual average population is the mean of this and last year's year-end stocks: the
    # emissions of a year are computed from that year and the year before
    inputs=year_and_previous,
    factor_parameters=("ef", "days_alive", "Nex", "Nrate", "TAM", "MS", "EF3", "Frac_GasMS", "Frac_LeachMS", "EF1",
                       "EF1FR", "EF3PRP", "Frac_GASF", "Frac_GASM", "Frac_LEACH", "EF4", "EF5", "EF_urea", "EF_liming",
                       "EFc", "SFw", "SFp", "SFs", "SFo", "ROA", "CFOA", "season_days", "GE", "Ym"),
    origin=__name__,
)
