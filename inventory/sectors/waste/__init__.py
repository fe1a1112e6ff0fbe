"""Waste (IPCC sector 4): solid waste disposal by first-order decay, biological treatment,
incineration and wastewater.

Modules: :mod:`.landfill` (4.A, IPCC 2006 Vol.5 Ch.3), :mod:`.biological` (4.B, Ch.4),
:mod:`.incineration` (4.C, Ch.5), :mod:`.wastewater` (4.D, Ch.6).
"""
