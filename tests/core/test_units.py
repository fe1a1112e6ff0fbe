"""inventory.core.units: the pint registry with Chinese statistical units (CONTRACTS §3, §4)."""

import pytest

from inventory.core.units import UnitError, conversion_factor, parse_unit, same_dimension


@pytest.mark.parametrize(
    ("unit", "target", "factor"),
    [
        ("吨", "t", 1.0),
        ("万吨", "t", 1e4),
        ("立方米", "m^3", 1.0),
        ("万立方米", "m^3", 1e4),
        ("亿立方米", "m^3", 1e8),
        ("千瓦时", "kWh", 1.0),
        ("万千瓦时", "kWh", 1e4),
        ("亿千瓦时", "kWh", 1e8),
        ("亿千瓦时", "MWh", 1e5),  # 1e8 kWh / 1000 kWh per MWh
        # GB/T 2589-2020: 1 kgce = 29 307.6 kJ, so 1 tce = 29 307.6 kJ × 1000 = 29.3076 GJ
        ("吨标准煤", "GJ", 29.3076),
        ("万吨标准煤", "GJ", 293076.0),  # 1e4 × 29.3076
        ("头", "head", 1.0),
        ("万头", "head", 1e4),
        ("只", "head", 1.0),
        ("万只", "head", 1e4),
        ("公顷", "ha", 1.0),
        ("千公顷", "ha", 1e3),
        ("亩", "ha", 1 / 15),  # 15 亩 = 1 ha
        ("万亩", "ha", 1e4 / 15),  # 666.67 ha
        ("万元", "CNY", 1e4),
        ("万人", "person", 1e4),
    ],
)
def test_chinese_statistical_unit_converts_with_its_factor(unit, target, factor):
    assert conversion_factor(unit, target) == pytest.approx(factor, rel=1e-12)


@pytest.mark.parametrize(
    ("unit", "target", "factor"),
    [
        ("kt", "t", 1e3),
        ("Mt", "t", 1e6),
        ("TJ", "GJ", 1e3),
        ("MWh", "kWh", 1e3),
        ("kJ/kg", "GJ/t", 1e-3),  # 1 kJ/kg = 1e3 J/kg = 1e6 J/t = 1e-3 GJ/t
        # natural-gas NCV: 389.31 GJ/(10^4 m^3) = 0.038931 GJ/m^3 = 38 931 kJ/m^3
        ("GJ/(10^4 m^3)", "GJ/m^3", 1e-4),
        ("GJ/(10^4 m^3)", "kJ/m^3", 100.0),  # 1e6 kJ / 1e4 m^3
        ("tC/TJ", "t/TJ", 1.0),  # the chemical label C names what is weighed, it is not coulomb
        ("kgCO2/kWh", "t/MWh", 1.0),
        ("t CO2/MWh", "kg/kWh", 1.0),
        ("%", "dimensionless", 0.01),
        ("", "dimensionless", 1.0),
        ("1", "dimensionless", 1.0),
        ("m³", "m^3", 1.0),
    ],
)
def test_si_and_factor_units(unit, target, factor):
    assert conversion_factor(unit, target) == pytest.approx(factor, rel=1e-12)


def test_kt_is_kilotonne_not_knot():
    assert same_dimension("kt", "t")
    assert not same_dimension("kt", "knot")
    assert parse_unit("kt").to("t").magnitude == pytest.approx(1000.0)


def test_power_of_ten_keeps_its_factor():
    assert parse_unit("10^4 m^3").to("m^3").magnitude == pytest.approx(1e4)


@pytest.mark.parametrize("text", ["万屯", "吨吨", "foo", "t/xx", "1000", "kg; rm -rf", "<t>"])
def test_unreadable_unit_raises(text):
    with pytest.raises(UnitError, match="unknown unit"):
        parse_unit(text)


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("万吨", "m^3"),  # mass vs volume
        ("吨标准煤", "t"),  # tonne of coal equivalent is energy, not mass
        ("万头", "ha"),  # head vs area
        ("head", "person"),  # a head of livestock is not a person
        ("kt", "knot"),
        ("%", "t"),
    ],
)
def test_dimension_mismatch_raises(source, target):
    with pytest.raises(UnitError, match="cannot be converted"):
        conversion_factor(source, target)
