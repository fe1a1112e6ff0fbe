"""Energy (IPCC sector 1): fuel combustion, fugitive emissions, the energy balance and the
statistics-bureau frame.

Modules: :mod:`.combustion` (1.A equations, IPCC 2006 Vol.2 Ch.2), :mod:`.fugitive` (1.B, Ch.4),
:mod:`.electricity` (memo M.ELEC / M.HEAT), :mod:`.balance` (energy balance, reference approach
Ch.6, frame, dual control, industry view), :mod:`.compute` (the sector's compute function),
:mod:`.compilation` (what ``notebooks/energy.ipynb`` calls).
"""

from __future__ import annotations

from inventory.sectors.contract import NotebookParameter, Sector
from inventory.sectors.energy.compute import compute_energy
from inventory.sectors.energy.electricity import AUTO, grid_series_names
from inventory.sectors.ippu import SECTOR as _IPPU

#: the factor parameters of the IPPU computation the frame reads (in energy's content keys)
IPPU_FACTOR_PARAMETERS = tuple(p for p in _IPPU.factor_parameters if p != "ef")

__all__ = ["SECTOR", "history"]


def history(year: int, years, parameters) -> list[int]:
    """The year, the year before (the year-on-year check) and the base year of the dual-control
    indicators (later years are compared with it)."""
    base_year = int(parameters.get("base_year", 2020))
    return [year - 1, year] + ([base_year] if year > base_year else [])


SECTOR = Sector(
    name="energy",
    title_zh="能源活动",
    title_en="Energy",
    owns=("1.A", "1.B", "M.NEU", "M.ELEC", "M.HEAT"),
    # IPPU records: the statistics-bureau frame of the notebook adds the region-year's process CO2
    reads=("EB", "SOC", "2"),
    compute=compute_energy,
    history=history,
    parameters=(
        NotebookParameter("grid_series", AUTO, option="grid_series",
                          help="grid emission-factor series of the electricity memo M.ELEC (auto: the province's "
                               "own, else its regional grid's)",
                          choices=lambda factors: [AUTO] + grid_series_names(factors)),
        NotebookParameter("base_year", 2020, help="base year of the dual-control indicators"),
        NotebookParameter("closure_threshold", 0.05, help="flag a statistical difference above this share"),
        NotebookParameter("reference_threshold", 0.05, help="flag reference vs sectoral differences above this"),
    ),
    extra_outputs={"tables_path": ".xlsx"},
    negative_allowed=("M.ELEC", "M.HEAT"),
    factor_parameters=("ncv", "carbon_content", "oxidation", "ef", "grid_ef", "tce_coefficient", "tce_equivalent",
                       *IPPU_FACTOR_PARAMETERS),
    origin=__name__,
)
