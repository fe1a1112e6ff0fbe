"""LULUCF (IPCC sector 3.B): forests that take up carbon, and land that loses it.

Modules: :mod:`.forest` (3.B.1.a arbor forest: the provincial guideline's stock-volume method and
the IPCC gain–loss methods, Vol.4 Ch.2/4), :mod:`.other_wooded` (bamboo, economic, shrub and open
forest, scattered trees), :mod:`.conversion` (afforestation, deforestation and the CH4/N2O of
burning), :mod:`.land_use` (land converted to cropland, grassland, wetlands and settlements,
perennial woody crops, urban trees), :mod:`.compute` (the sector's compute function), :mod:`.compilation` (what
``notebooks/lulucf.ipynb`` calls). Removals are negative; ``3.B`` may be negative.
"""

from __future__ import annotations

from inventory.sectors.contract import NotebookParameter, Sector
from inventory.sectors.lulucf.compute import compute_lulucf
from inventory.sectors.lulucf.forest import FOREST_METHODS

__all__ = ["SECTOR", "history", "inputs"]


def inputs(year: int, years, parameters) -> list[int]:
    """The year and the year before: bamboo, economic and shrub forest change with their area."""
    return [year - 1, year]


def history(year: int, years, parameters) -> list[int]:
    """The years of :func:`inputs`, and the year before those (the year-on-year check computes the
    year before, which reads its own year before)."""
    return [year - 2, year - 1, year]


SECTOR = Sector(
    name="lulucf",
    title_zh="土地利用变化和林业",
    title_en="Land use, land-use change and forestry",
    owns=("3.B",),
    compute=compute_lulucf,
    history=history,
    inputs=inputs,
    parameters=(
        NotebookParameter("forest_method", "stock_volume", option="forest_method",
                          help="forest method of 3.B.1.a (stock_volume: the provincial guideline; gain_loss_volume, "
                               "gain_loss_area: IPCC 2006)",
                          choices=lambda factors: list(FOREST_METHODS)),
    ),
    negative_allowed=("3.B",),
    factor_parameters=("BEF", "D", "R", "CF", "BCEF_I", "BCEF_R", "G_W", "B_W", "C_f", "G_ef", "B_before",
                       "B_after", "G_C", "L_C", "CRW"),
    origin=__name__,
)
