"""The IPCC sectors of the workbench and their one registry.

Each sector is a subpackage (``inventory/sectors/<name>/``: its equations, its compute function,
its compilation) that declares a :class:`~inventory.sectors.contract.Sector`. The registry holds
the shipped sectors, those of installed packages (entry-point group ``inventory.sectors``) and
those named in the environment variable ``INVENTORY_SECTORS`` (``module`` or ``module:attribute``,
comma-separated: a module's ``SECTOR``, or the attribute named). The pipeline, ``inventory
compute``, the summary and the report index read it — none of them names a sector.
"""

from __future__ import annotations

import importlib
import os
from importlib.metadata import entry_points

from inventory.sectors.contract import Sector, SectorResult, Settings

__all__ = ["Sector", "SectorResult", "Settings", "registry", "get", "register", "BUILTIN", "ENV_VARIABLE",
           "UnknownSector"]

#: the shipped sectors, in inventory order: module of each
BUILTIN = {"energy": "inventory.sectors.energy", "ippu": "inventory.sectors.ippu",
           "agriculture": "inventory.sectors.agriculture", "lulucf": "inventory.sectors.lulucf",
           "waste": "inventory.sectors.waste"}
ENV_VARIABLE = "INVENTORY_SECTORS"
ENTRY_POINTS = "inventory.sectors"
#: the IPCC sectors not shipped yet (their issues are open): named in messages, never selectable
PLANNED: tuple[str, ...] = ()

_REGISTERED: dict[str, Sector] = {}
_LOADED = False


class UnknownSector(KeyError):
    pass


def register(sector: Sector) -> Sector:
    """Add (or replace) a sector in the registry; returns it."""
    _REGISTERED[sector.name] = sector
    return sector


def _load(reference: str) -> Sector:
    module_name, _, attribute = reference.partition(":")
    module = importlib.import_module(module_name.strip())
    sector = getattr(module, attribute.strip() or "SECTOR")
    if not isinstance(sector, Sector):
        raise TypeError(f"{reference} is not an inventory Sector")
    return sector


def _load_all() -> None:
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    for module in BUILTIN.values():
        register(_load(module))
    for entry in entry_points(group=ENTRY_POINTS):
        register(_load(entry.value))
    for reference in os.environ.get(ENV_VARIABLE, "").split(","):
        if reference.strip():
            register(_load(reference))


def registry() -> dict[str, Sector]:
    """Every sector, by name, in the order registered (shipped sectors first)."""
    _load_all()
    return dict(_REGISTERED)


def get(name: str) -> Sector:
    sectors = registry()
    if name not in sectors:
        raise UnknownSector(name)
    return sectors[name]
