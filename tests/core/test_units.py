"""inventory.core.units: the pint registry with Chinese statistical units (CONTRACTS §3, §4)."""

import pytest

from inventory.core.units import UnitError, conversion_factor, display_unit, parse_unit, same_dimension


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


# ---- the calorie of GB/T 2589: the international-table calorie, 1 cal = 4.1868 J -------------------------
# pint's own calorie is the thermochemical one (4.184 J): 5000 kcal/kg would have been 20.920 GJ/t, not 20.934.


def test_kcal_is_the_international_table_calorie():
    import pint

    assert pint.UnitRegistry()("kcal").to("J").magnitude == pytest.approx(4184.0)  # pint's default, the defect
    assert conversion_factor("kcal", "kJ") == pytest.approx(4.1868, rel=1e-12)
    assert conversion_factor("cal", "J") == pytest.approx(4.1868, rel=1e-12)
    assert conversion_factor("kilocalorie", "kJ") == pytest.approx(4.1868, rel=1e-12)
    assert conversion_factor("Gcal", "GJ") == pytest.approx(4.1868, rel=1e-12)
    # the thermochemical calorie is still there, by its own names
    assert conversion_factor("thermochemical_calorie", "J") == pytest.approx(4.184, rel=1e-12)
    assert conversion_factor("cal_th", "J") == pytest.approx(4.184, rel=1e-12)
    assert conversion_factor("ton_TNT", "GJ") == pytest.approx(4.184, rel=1e-12)  # 1e9 thermochemical calories


@pytest.mark.parametrize(
    ("unit", "target", "factor"),
    [
        ("大卡", "kcal", 1.0),
        ("千卡", "kcal", 1.0),
        ("卡", "cal", 1.0),
        ("大卡", "kJ", 4.1868),
        ("百万千卡", "GJ", 4.1868),  # 1e6 kcal = 1e6 × 4.1868 kJ = 4.1868 GJ
        ("吉卡", "GJ", 4.1868),
    ],
)
def test_chinese_calorie_units(unit, target, factor):
    assert conversion_factor(unit, target) == pytest.approx(factor, rel=1e-12)


def test_hand_worked_calorie_numbers():
    # 5000 kcal/kg × 4.1868 kJ/kcal = 20 934 kJ/kg = 20.934 GJ/t (1 kJ/kg = 1e6 J/t = 1e-3 GJ/t)
    assert 5000 * conversion_factor("kcal/kg", "kJ/kg") == pytest.approx(20934.0, rel=1e-12)
    assert 5000 * conversion_factor("大卡/kg", "GJ/t") == pytest.approx(20.934, rel=1e-12)
    assert 5000 * conversion_factor("大卡/千克", "GJ/t") == pytest.approx(20.934, rel=1e-12)
    # GB/T 2589: 1 kgce = 7000 kcal = 7000 × 4.1868 kJ = 29 307.6 kJ
    assert conversion_factor("kgce", "kcal") == pytest.approx(7000.0, rel=1e-12)
    assert 7000 * conversion_factor("kcal", "kJ") == pytest.approx(29307.6, rel=1e-12)
    assert conversion_factor("kgce", "kJ") == pytest.approx(29307.6, rel=1e-12)
    # a heat figure in 百万千卡 (Gcal): 100 Gcal = 418.68 GJ
    assert 100 * conversion_factor("百万千卡", "GJ") == pytest.approx(418.68, rel=1e-12)


def test_a_local_ncv_in_da_ka_per_kg_is_20_934_gj_per_t(data_folder):
    """A county's coal survey gives ncv = 5000 大卡/kg: the factor database resolves it to 20.934 GJ/t."""
    import pandas as pd

    from inventory.core.factors import load_factors

    header = "parameter,category,item,gas,value,unit,region,year_from,year_to,source"
    folder = data_folder(factors={"local.csv": [header, "ncv,*,raw_coal,,5000,大卡/kg,*,,,县煤质化验"]})
    wanted = pd.DataFrame([("430522", 2020, "1.A.2", "raw_coal")], columns=["region", "year", "category", "item"])
    resolved = load_factors(folder).resolve_to("ncv", wanted, "GJ/t")
    assert list(resolved["factor_id"]) == ["factors/local.csv:2"]
    assert resolved["value"].tolist() == pytest.approx([20.934], rel=1e-12)


# ---- suggestions for unit strings typed the common wrong way ----------------------------------------------


@pytest.mark.parametrize(
    ("typed", "wanted", "meant"),
    [
        ("万m3", "m^3", "万立方米"),
        ("m3", "m^3", "m^3"),
        ("万kWh", "MWh", "万千瓦时"),
        ("kW·h", "MWh", "kWh"),
        ("吨标煤", "GJ", "吨标准煤"),
        ("万屯", "t", "万吨"),
        ("KWH", "", "kWh"),
        ("TCE", "", "tce"),
        ("万MWh", "MWh", "10^4 MWh"),
        ("千克标煤", "", "kgce"),
        ("桶", "t", None),
        ("foo", "", None),
    ],
)
def test_suggest_unit(typed, wanted, meant):
    from inventory.core.units import suggest_unit

    assert suggest_unit(typed, wanted) == meant
    if meant:
        parse_unit(meant)  # every suggestion is a unit that reads


@pytest.mark.parametrize(("unit", "zh", "en"), [
    ("t", "吨", "t"), ("10000 * t", "万吨", "10⁴ t"), ("10^4 t", "万吨", "10⁴ t"), ("meter ** 3", "立方米", "m³"),
    ("m^3", "立方米", "m³"), ("10 MWh", "万千瓦时", "10 MWh"), ("MWh", "MWh", "MWh"), ("TJ", "TJ", "TJ"),
    ("hectare", "公顷", "ha"), ("head", "头", "head"), ("tce", "吨标准煤", "tce"), ("kJ/m^3", "kJ/m³", "kJ/m³"),
    ("kg/t/d", "kg/(t·d)", "kg/(t·d)"), ("1", "—", "—"), ("", "", ""), ("万吨", "万吨", "万吨"),
])
def test_display_unit_writes_units_as_people_do(unit, zh, en):
    assert display_unit(unit, "zh") == zh
    assert display_unit(unit, "en") == en
