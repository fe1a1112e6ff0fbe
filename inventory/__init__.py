"""GHG inventory compilation workbench for Chinese cities, counties and parks.

Subpackages by concern (docs/ARCHITECTURE.md): :mod:`inventory.core` (units, regions, vocabulary,
GWP, activity, factors, provenance, the output schema, shared method machinery);
:mod:`inventory.sectors` (the sector contract and registry; one subpackage per IPCC sector with its
equations, compute function and compilation); :mod:`inventory.documents` (summary, consistency);
:mod:`inventory.present` (tables, charts, Excel, HTML reports); :mod:`inventory.pipeline` (planning,
warm-kernel execution, the vectorised path); :mod:`inventory.collect` (departments, workbooks,
ingest); :mod:`inventory.cli`.
"""

__version__ = "0.1.0"
