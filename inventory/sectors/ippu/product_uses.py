"""IPPU — product uses of fluorinated gases (IPCC 2.F.1 refrigeration and air conditioning, 2.G.1
electrical equipment), by a simple documented method: the bank × an annual emission rate.

A city rarely knows more than the charge installed in its equipment (SF6 in the switchgear of the
grid company's substations; HFC refrigerant in cold stores and air conditioners). The operating
emissions of a year are that bank times a leak rate — the use-phase term of the IPCC methods; the
emissions of manufacture, installation and disposal are not estimated (NE) and the report says so.
"""

from __future__ import annotations

__all__ = ["bank_emissions"]


def bank_emissions(bank, emission_rate):
    """Operating emissions of a fluorinated gas from the bank installed in equipment.

    Parameters
    ----------
    bank : array_like
        Gas held in the equipment in use (nameplate capacity or refrigerant charge) [t gas].
    emission_rate : array_like
        Share of the bank emitted per year [t gas/t bank per year, a fraction].

    Returns
    -------
    array_like
        Emissions [t gas].

    Notes
    -----
    IPCC 2006 Vol.3 Ch.7 §7.5.2 (operating emissions = bank × x / 100, the annual leak rate of
    Table 7.9) and Ch.8 §8.2.2 (Tier 1 use-phase term: nameplate capacity × use emission factor,
    Table 8.2).
    """
    return bank * emission_rate
