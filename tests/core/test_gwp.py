"""inventory.core.gwp: GWP100 sets from the globalwarmingpotentials package."""

import pytest

from inventory.core.gwp import DEFAULT_GWP, gwp, gwp_table, normalise_gwp_set


@pytest.mark.parametrize(
    ("gwp_set", "ch4", "n2o"),
    [
        ("SAR", 21.0, 310.0),  # IPCC 1995 SAR, used by the 2011 provincial guideline
        ("AR4", 25.0, 298.0),
        ("AR5", 28.0, 265.0),  # AR5 WG1 Table 8.7, without climate-carbon feedback
        ("AR6", 27.9, 273.0),  # AR6 WG1 Table 7.15, non-fossil CH4
    ],
)
def test_ch4_and_n2o(gwp_set, ch4, n2o):
    assert gwp("CH4", gwp_set) == pytest.approx(ch4)
    assert gwp("N2O", gwp_set) == pytest.approx(n2o)
    assert gwp("CO2", gwp_set) == 1.0


def test_default_set_is_ar5():
    assert DEFAULT_GWP == "AR5"
    assert gwp("CH4") == pytest.approx(28.0)


def test_set_names_are_normalised():
    assert normalise_gwp_set(" ar6 ") == "AR6"
    assert normalise_gwp_set("AR4GWP100") == "AR4"
    assert gwp("N2O", "sar") == pytest.approx(310.0)


@pytest.mark.parametrize("name", ["AR7", "TAR", "", "GWP20"])
def test_unknown_set_raises(name):
    with pytest.raises(ValueError, match="unknown GWP set"):
        gwp("CH4", name)


def test_unknown_gas_raises():
    with pytest.raises(KeyError):
        gwp("XYZ-99", "AR5")


def test_table_and_hyphenated_hfc():
    table = gwp_table(["CO2", "CH4", "N2O"], "AR4")
    assert table == pytest.approx({"CO2": 1.0, "CH4": 25.0, "N2O": 298.0})
    # AR4 WG1 Table 2.14: HFC-23 14 800; the package spells it HFC23
    assert gwp("HFC-23", "AR4") == pytest.approx(14800.0)
