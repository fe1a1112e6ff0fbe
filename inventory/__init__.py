"""GHG inventory compilation workbench for Chinese cities, counties and parks.

Layers: :mod:`inventory.core.units`, :mod:`inventory.core.regions`, :mod:`inventory.core.vocabulary` (contracts);
:mod:`inventory.core.activity` and :mod:`inventory.core.factors` (inputs, validated); :mod:`inventory.sectors.energy.combustion`
(equations); :mod:`inventory.sectors.qa`, :mod:`inventory.core.results`, :mod:`inventory.present.report`;
:mod:`inventory.pipeline.run` and :mod:`inventory.cli` (running notebooks for many regions and years).
"""

__version__ = "0.1.0"
