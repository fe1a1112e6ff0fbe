"""Waste (IPCC sector 4): solid waste disposal by first-order decay, biological treatment,
incineration and wastewater.

Modules: :mod:`.landfill` (4.A, IPCC 2006 Vol.5 Ch.3), :mod:`.biological` (4.B, Ch.4),
:mod:`.incineration` (4.C, Ch.5), :mod:`.wastewater` (4.D, Ch.6).
"""

from __future__ import annotations

from inventory.sectors.contract import NotebookParameter, Sector, whole_history
from inventory.sectors.waste.compute import DEFAULTS, LANDFILL_METHODS, compute_waste
from inventory.sectors.waste.landfill import BACKCAST_METHODS

__all__ = ["SECTOR"]

SECTOR = Sector(
    name="waste",
    title_zh="废弃物处理",
    title_en="Waste",
    owns=("4.A", "4.B", "4.C", "4.D"),
    compute=compute_waste,
    # a first-order-decay model: a year's emissions depend on every deposit before it, so a corrected
    # deposit of 2005 re-executes every later year of the region
    history=whole_history,
    inputs=whole_history,
    parameters=(
        NotebookParameter("landfill_method", DEFAULTS["landfill_method"], option="landfill_method",
                          help="landfill method: fod (IPCC 2006 first-order decay) or mass_balance (省级指南)",
                          choices=lambda factors=None: list(LANDFILL_METHODS)),
        NotebookParameter("landfill_backcast", DEFAULTS["landfill_backcast"], option="landfill_backcast",
                          help="back-casting of deposits before the record: none, constant, trend",
                          choices=lambda factors=None: list(BACKCAST_METHODS)),
        NotebookParameter("landfill_first_year", DEFAULTS["landfill_first_year"],
                          help="the year the first landfill opened (deposits from then on are back-cast)"),
        NotebookParameter("landfill_growth_rate", DEFAULTS["landfill_growth_rate"],
                          help="annual growth of deposits for landfill_backcast = trend"),
    ),
    factor_parameters=("DOC", "DOCf", "MCF", "k", "F", "OX", "ef", "dm", "CF", "FCF", "OF", "Bo", "T", "BOD", "I",
                       "protein", "F_NPR", "F_NON_CON", "F_IND_COM", "EF_effluent", "T_plant", "EF_plant", "W",
                       "COD"),
    origin=__name__,
)
