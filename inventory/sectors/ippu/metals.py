"""IPPU — metal industry (IPCC 2.C): iron and steel by route, ferroalloys, primary aluminium
(2006 IPCC Guidelines Vol.3 Ch.4, Tier 1).

The carbon of the blast-furnace reductant (coke, coal injected) is in the route factors here; the
energy sector reports the coke and coal charged to the blast furnace as ``non_energy_use``
(memo ``M.NEU``), never as burned.
"""

from __future__ import annotations

__all__ = ["route_emissions"]


def route_emissions(production, emission_factor):
    """Emissions of a gas from metal produced by one route or alloy, × the route's factor.

    Parameters
    ----------
    production : array_like
        Metal produced by the route [t]: crude steel of a basic oxygen, electric arc or open-hearth
        furnace; ferroalloy of a type; primary aluminium of a cell technology.
    emission_factor : array_like
        [t gas/t metal] (IPCC Table 4.1 steel BOF 1.46, EAF 0.08, OHF 1.72 t CO2/t; Table 4.5
        ferroalloys; Table 4.10 aluminium prebake 1.6, Søderberg 1.7 t CO2/t; Table 4.15 aluminium
        PFCs in kg/t: CWPB CF4 0.4, C2F6 0.04).

    Returns
    -------
    array_like
        Emissions [t gas].

    Notes
    -----
    IPCC 2006 Vol.3 Ch.4 Eq. 4.1 (iron and steel, Tier 1: E_CO2 = BOF × EF_BOF + EAF × EF_EAF +
    OHF × EF_OHF, each route a term), Eq. 4.15 (ferroalloys, Tier 1: Σ MP_i × EF_i), Eq. 4.19
    (aluminium CO2, Tier 1: Σ EF_p × MP_p) and §4.4.2.3 (aluminium CF4 and C2F6, Tier 1:
    E = EF × MP by cell technology).
    """
    return production * emission_factor
