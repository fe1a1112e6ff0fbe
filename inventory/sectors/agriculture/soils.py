"""Agriculture — managed soils and the indirect N2O of managed manure (IPCC 3.C.2–3.C.6).

* 3.C.4 direct N2O of N inputs: synthetic, organic, crop-residue and mineralised N × EF1, the part
  applied to flooded rice × EF1FR, urine and dung on pasture × EF3PRP (Vol.4 Ch.11 Eq. 11.1);
* 3.C.5 indirect N2O of managed soils: N volatilised (Eq. 11.9) and leached (Eq. 11.10);
* 3.C.6 indirect N2O of managed manure: N volatilised (Eq. 10.26, 10.27) and leached (Eq. 10.28,
  10.29) from the manure management systems;
* 3.C.3 urea CO2 (Eq. 11.13), 3.C.2 liming CO2 (Eq. 11.12).

N2O-N × 44/28 and C × 44/12 exactly. Units: N [t N], emissions [t].
"""

from __future__ import annotations

__all__ = ["N2O_PER_N2O_N", "CO2_PER_C", "direct_soil_n2o", "pasture_n2o", "volatilised_n", "leached_n",
           "n2o_from_deposition", "n2o_from_leaching", "urea_co2", "liming_co2"]

#: exactly 44/28 [t N2O / t N2O-N]
N2O_PER_N2O_N = 44.0 / 28.0
#: exactly 44/12 [t CO2 / t C]
CO2_PER_C = 44.0 / 12.0


def direct_soil_n2o(n_applied, n_flooded_rice, ef1, ef1fr):
    """Direct N2O of one N input to managed soils, with the part applied to flooded rice.

    Parameters
    ----------
    n_applied : array_like
        N applied in the year, flooded rice included [t N] (F_SN, F_ON, F_CR or F_SOM).
    n_flooded_rice : array_like
        The part of ``n_applied`` applied to flooded rice [t N] (0 where none).
    ef1 : array_like
        EF1 [kg N2O-N/kg N] (Table 11.1: 0.01).
    ef1fr : array_like
        EF1FR, for flooded rice [kg N2O-N/kg N] (Table 11.1: 0.003).

    Returns
    -------
    array_like
        N2O [t/yr].

    Notes
    -----
    IPCC 2006 Vol.4 Ch.11 Eq. 11.1 (the N inputs term and the flooded-rice term):
    N2O-N_inputs = (F_SN + F_ON + F_CR + F_SOM) × EF1 + (F_SN + F_ON + F_CR + F_SOM)_FR × EF1FR;
    N2O = N2O-N × 44/28.
    """
    return ((n_applied - n_flooded_rice) * ef1 + n_flooded_rice * ef1fr) * N2O_PER_N2O_N


def pasture_n2o(n_deposited, ef3prp):
    """Direct N2O of urine and dung deposited by grazing animals on pasture, range and paddock.

    Parameters
    ----------
    n_deposited : array_like
        F_PRP [t N] (cattle, poultry and pigs: F_PRP,CPP; sheep and others: F_PRP,SO).
    ef3prp : array_like
        EF3PRP [kg N2O-N/kg N] (Table 11.1: CPP 0.02, SO 0.01).

    Returns
    -------
    array_like
        N2O [t/yr].

    Notes
    -----
    IPCC 2006 Vol.4 Ch.11 Eq. 11.1 (the PRP term): N2O-N_PRP = F_PRP,CPP × EF3PRP,CPP +
    F_PRP,SO × EF3PRP,SO; × 44/28.
    """
    return n_deposited * ef3prp * N2O_PER_N2O_N


def volatilised_n(n_input, fraction_volatilised):
    """N volatilised as NH3 and NOx from an N input (to soils, or managed in a manure system).

    Parameters
    ----------
    n_input : array_like
        N applied to soils (F_SN; F_ON or F_PRP) or managed in a manure system [t N].
    fraction_volatilised : array_like
        Frac_GASF (synthetic N, Table 11.3: 0.10), Frac_GASM (organic N and PRP: 0.20) or
        Frac_GasMS (manure system, Table 10.22) [1].

    Returns
    -------
    array_like
        N volatilised [t N].

    Notes
    -----
    IPCC 2006 Vol.4 Ch.11 Eq. 11.9 (the bracket: F_SN × Frac_GASF + (F_ON + F_PRP) × Frac_GASM)
    and Ch.10 Eq. 10.26 (N_volatilization-MMS = Σ N_T × Nex_T × MS_(T,S) × Frac_GasMS).
    """
    return n_input * fraction_volatilised


def leached_n(n_input, fraction_leached):
    """N lost by leaching and runoff from an N input.

    Parameters
    ----------
    n_input : array_like
        N applied to soils (F_SN, F_ON, F_PRP, F_CR, F_SOM) or managed in a manure system [t N].
    fraction_leached : array_like
        Frac_LEACH-(H) (Table 11.3: 0.30) or Frac_LeachMS (manure system) [1].

    Returns
    -------
    array_like
        N leached [t N].

    Notes
    -----
    IPCC 2006 Vol.4 Ch.11 Eq. 11.10 (the bracket: (F_SN + F_ON + F_PRP + F_CR + F_SOM) × Frac_LEACH)
    and Ch.10 Eq. 10.28 (N_leaching-MMS = Σ N_T × Nex_T × MS_(T,S) × Frac_LeachMS).
    """
    return n_input * fraction_leached


def n2o_from_deposition(n_volatilised, ef4):
    """Indirect N2O of volatilised N redeposited on soils and water.

    Parameters
    ----------
    n_volatilised : array_like
        N volatilised [t N] (:func:`volatilised_n`).
    ef4 : array_like
        EF4 [kg N2O-N/kg N volatilised] (Table 11.3: 0.010).

    Returns
    -------
    array_like
        N2O [t/yr].

    Notes
    -----
    IPCC 2006 Vol.4 Ch.11 Eq. 11.9 (N2O(ATD)-N = N volatilised × EF4) and Ch.10 Eq. 10.27
    (N2O_G(mm) = N_volatilization-MMS × EF4 × 44/28); N2O = N2O-N × 44/28.
    """
    return n_volatilised * ef4 * N2O_PER_N2O_N


def n2o_from_leaching(n_leached, ef5):
    """Indirect N2O of N leached and run off.

    Parameters
    ----------
    n_leached : array_like
        N leached [t N] (:func:`leached_n`).
    ef5 : array_like
        EF5 [kg N2O-N/kg N leached] (Table 11.3: 0.0075).

    Returns
    -------
    array_like
        N2O [t/yr].

    Notes
    -----
    IPCC 2006 Vol.4 Ch.11 Eq. 11.10 (N2O(L)-N = N leached × EF5) and Ch.10 Eq. 10.29
    (N2O_L(mm) = N_leaching-MMS × EF5 × 44/28); N2O = N2O-N × 44/28.
    """
    return n_leached * ef5 * N2O_PER_N2O_N


def urea_co2(urea_applied, emission_factor):
    """CO2 of urea applied to soils.

    Parameters
    ----------
    urea_applied : array_like
        M, urea applied [t/yr] (product mass).
    emission_factor : array_like
        EF [t C/t urea] (IPCC default 0.20, the carbon content of urea).

    Returns
    -------
    array_like
        CO2 [t/yr].

    Notes
    -----
    IPCC 2006 Vol.4 Ch.11 Eq. 11.13: CO2-C = M × EF; CO2 = CO2-C × 44/12.
    """
    return urea_applied * emission_factor * CO2_PER_C


def liming_co2(mass_applied, emission_factor):
    """CO2 of limestone or dolomite applied to soils.

    Parameters
    ----------
    mass_applied : array_like
        M, limestone (CaCO3) or dolomite (CaMg(CO3)2) applied [t/yr].
    emission_factor : array_like
        EF [t C/t] (IPCC defaults: limestone 0.12, dolomite 0.13).

    Returns
    -------
    array_like
        CO2 [t/yr].

    Notes
    -----
    IPCC 2006 Vol.4 Ch.11 Eq. 11.12: CO2-C = M_Limestone × EF_Limestone + M_Dolomite × EF_Dolomite;
    CO2 = CO2-C × 44/12 (one term per material here; the sum is the category total).
    """
    return mass_applied * emission_factor * CO2_PER_C
