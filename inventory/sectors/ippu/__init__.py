"""Industrial processes and product use (IPCC sector 2, 工业生产过程).

Modules: :mod:`.minerals` (2.A, IPCC 2006 Vol.3 Ch.2), :mod:`.chemicals` (2.B, Ch.3),
:mod:`.metals` (2.C, Ch.4), :mod:`.product_uses` (2.F.1, 2.G.1, Ch.7, Ch.8), :mod:`.compute` (the
sector's compute function), :mod:`.compilation` (what ``notebooks/ippu.ipynb`` calls).
"""

from __future__ import annotations

from inventory.sectors.contract import NotebookParameter, Sector
from inventory.sectors.ippu.compute import compute_ippu

__all__ = ["SECTOR"]

SECTOR = Sector(
    name="ippu",
    title_zh="工业生产过程",
    title_en="Industrial processes and product use",
    owns=("2",),
    compute=compute_ippu,
    parameters=(NotebookParameter("enterprise_tolerance", 0.05,
                                  help="list and flag a product whose key enterprises and statistics differ by more "
                                       "than this share"),),
    factor_parameters=("ef", "EF_process", "clinker_fraction", "CF_ckd", "CF_lkd", "Ch", "CR", "FR", "CCF", "COF",
                       "DF", "ASUF", "GAF"),
    origin=__name__,
)
