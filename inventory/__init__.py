"""GHG inventory compilation workbench for Chinese cities, counties and parks.

Layers: :mod:`inventory.units`, :mod:`inventory.regions`, :mod:`inventory.vocabulary` (contracts);
:mod:`inventory.activity` and :mod:`inventory.factors` (inputs, validated); :mod:`inventory.energy`
(equations); :mod:`inventory.qa`, :mod:`inventory.results`, :mod:`inventory.report`;
:mod:`inventory.pipeline` and :mod:`inventory.cli` (running notebooks for many regions and years).
"""

__version__ = "0.1.0"
