"""inventory.core.vocabulary and data/categories.csv: items, quantities, units and the category tree."""

import climate_categories
import pandas as pd
import pytest

from inventory.core.units import parse_unit, same_dimension
from inventory.core.vocabulary import DATA

#: every category code CONTRACTS §3 and §5 name
CONTRACT_CATEGORIES = [
    "1.A.1.a", "1.A.1.b", "1.A.1.c", "1.A.2", "1.A.3.a", "1.A.3.b", "1.A.3.c", "1.A.3.d", "1.A.4.a",
    "1.A.4.b", "1.A.4.c", "1.A.5", "EB",
    "2.A.1", "2.A.2", "2.A.3", "2.B.1", "2.B.2", "2.B.3", "2.B.5", "2.B.8.a", "2.B.8.b", "2.B.9",
    "2.C.1", "2.C.2", "2.C.3",
    "3.A.1", "3.A.2", "3.C.7", "3.C.4", "3.B.1.a",
    "4.A", "4.C.1", "4.D.1", "4.D.2",
    "SOC", "M.ELEC", "M.HEAT", "M.NEU",
]
#: the IPCC subdivisions of 1.A.2 (IPCC 2006 Vol.2 Ch.2 Table 2.3)
SUBDIVISIONS_1A2 = [f"1.A.2.{letter}" for letter in "abcdefghijklm"]

FUELS = ["raw_coal", "washed_coal", "other_washed_coal", "briquettes", "coke", "coke_oven_gas", "other_gas",
         "crude_oil", "gasoline", "kerosene", "diesel", "fuel_oil", "lpg", "refinery_gas", "other_petroleum",
         "natural_gas"]
EB_QUANTITIES = ["production", "inflow", "outflow", "import", "export", "stock_change", "transformation_input",
                 "transformation_output", "loss", "final_consumption"]
#: (category, item, quantity) triples CONTRACTS §3 names, with the canonical unit the cube stores
CONTRACT_TRIPLES = (
    [("1.A.2", fuel, "consumption") for fuel in FUELS]
    + [("1.A.2", fuel, "non_energy_use") for fuel in FUELS]
    + [("EB", item, quantity) for item in FUELS + ["electricity", "heat"] for quantity in EB_QUANTITIES
       if not (item in ("electricity", "heat") and quantity == "stock_change")]
    + [(code, item, "production") for code, item in [
        ("2.A.1", "clinker"), ("2.A.2", "lime"), ("2.A.3", "flat_glass"), ("2.B.1", "ammonia"),
        ("2.B.2", "nitric_acid"), ("2.B.3", "adipic_acid"), ("2.B.5", "calcium_carbide"),
        ("2.B.8.a", "methanol"), ("2.B.8.b", "ethylene"), ("2.B.9", "hcfc22"), ("2.C.1", "steel"),
        ("2.C.2", "ferroalloy"), ("2.C.3", "aluminium")]]
    + [(code, animal, quantity) for code in ("3.A.1", "3.A.2")
       for animal in ["dairy_cattle", "non_dairy_cattle", "buffalo", "sheep", "goats", "swine", "horses",
                      "donkeys", "mules", "camels", "poultry"]
       for quantity in ("population", "stock_year_end", "slaughtered")]
    + [("3.C.7", rice, "area") for rice in ("single_rice", "early_rice", "late_rice")]
    + [("3.C.4", "synthetic_n", "amount"),
       ("3.B.1.a", "arbor_forest", "volume_growth"), ("3.B.1.a", "arbor_forest", "volume_loss"),
       ("4.A", "msw", "landfilled"), ("4.C.1", "msw", "incinerated"),
       ("SOC", "gdp", "value"), ("SOC", "population", "resident")]
    + [("3.B.1.a", item, quantity) for item in ("bamboo", "economic_forest", "open_forest", "scattered_trees")
       for quantity in ("area", "count")]
)


# ---- categories.csv ---------------------------------------------------------------------------------


@pytest.mark.parametrize("code", CONTRACT_CATEGORIES + SUBDIVISIONS_1A2)
def test_category_named_by_the_contract_exists(vocabulary, code):
    assert code in vocabulary.categories.index


def test_categories_down_to_level_3_have_chinese_names(vocabulary):
    categories = vocabulary.categories
    shallow = categories[categories["level"].astype(int) <= 3]
    assert len(shallow) > 100  # the IPCC tree down to 1.A.1, 2.A.1 ..., plus EB/SOC/M.*
    assert list(shallow.index[shallow["name_zh"] == ""]) == []
    assert vocabulary.category_name("1.A.2") == "制造业和建筑业"
    assert vocabulary.category_name("1.A.2", lang="en") == "Manufacturing Industries and Construction"


def test_every_parent_exists(vocabulary):
    categories = vocabulary.categories
    parents = set(categories["parent"]) - {""}
    assert parents - set(categories.index) == set()


def test_memo_codes_are_top_level(vocabulary):
    for code in ("M.ELEC", "M.HEAT", "M.NEU", "EB", "SOC"):
        assert vocabulary.category_parent(code) == ""


def test_category_ancestors_nearest_first(vocabulary):
    assert vocabulary.category_ancestors("1.A.2.a") == ("1.A.2.a", "1.A.2", "1.A", "1")


def test_ipcc_codes_match_climate_categories():
    """Every IPCC code of categories.csv is in climate_categories.IPCC2006 with the same parent."""
    table = pd.read_csv(DATA / "categories.csv", dtype=str, keep_default_na=False)
    ipcc = table[table["code"].str.match(r"^\d")]
    tree = climate_categories.IPCC2006
    assert len(ipcc) > 250
    mismatched = []
    for code, parent in zip(ipcc["code"], ipcc["parent"]):
        if code not in tree:
            mismatched.append((code, "not in IPCC2006"))
            continue
        parents = {p.codes[0] for p in tree[code].parents} - {"0"}  # "0" is the national total
        if parents != ({parent} if parent else set()):
            mismatched.append((code, parent, parents))
    assert mismatched == []


def test_ipcc_level_is_the_depth_of_the_code(vocabulary):
    ipcc = vocabulary.categories[vocabulary.categories.index.str.match(r"^\d")]
    depth = [code.count(".") + 1 for code in ipcc.index]
    assert list(ipcc["level"].astype(int)) == depth


# ---- items, quantities, item_quantities -------------------------------------------------------------


@pytest.mark.parametrize(("category", "item", "quantity"), CONTRACT_TRIPLES)
def test_contract_vocabulary_is_allowed_with_a_canonical_unit(vocabulary, category, item, quantity):
    assert vocabulary.category_allowed(item, category)
    assert vocabulary.canonical_unit(item, quantity) is not None


@pytest.mark.parametrize(
    ("item", "quantity", "unit"),
    [
        ("raw_coal", "consumption", "t"),
        ("natural_gas", "consumption", "m^3"),
        ("coke_oven_gas", "non_energy_use", "m^3"),
        ("electricity", "inflow", "MWh"),
        ("heat", "inflow", "GJ"),
        ("swine", "population", "head"),
        ("single_rice", "area", "ha"),
        ("synthetic_n", "amount", "t"),
        ("arbor_forest", "volume_growth", "m^3"),
        ("gdp", "value", "CNY"),
        ("population", "resident", "person"),
    ],
)
def test_canonical_unit(vocabulary, item, quantity, unit):
    assert vocabulary.canonical_unit(item, quantity) == unit


def test_pair_outside_the_vocabulary_has_no_canonical_unit(vocabulary):
    assert vocabulary.canonical_unit("diesel", "population") is None
    assert vocabulary.canonical_unit("swine", "consumption") is None


def test_item_cannot_be_recorded_outside_its_categories(vocabulary):
    assert not vocabulary.category_allowed("clinker", "1.A.2")
    assert not vocabulary.category_allowed("diesel", "2.A.1")
    # prefix match is on whole code parts: 1.A.2 allows 1.A.2.a, "1.A" does not allow "1.AB"
    assert vocabulary.category_allowed("diesel", "1.A.2.a")
    assert not vocabulary.category_allowed("diesel", "1.AB")


def test_only_stock_change_may_be_negative(vocabulary):
    negative = [q for q in vocabulary.quantities.index if not vocabulary.nonnegative(q)]
    assert negative == ["stock_change"]


def test_items_quantities_and_pairs_are_consistent(vocabulary):
    items, quantities = vocabulary.items, vocabulary.quantities
    assert not items.index.duplicated().any()
    assert not quantities.index.duplicated().any()
    pair_groups = {group for group, _ in vocabulary.item_quantities}
    # every item group takes at least one quantity, every pair names a known group and quantity
    assert set(items["group"]) - pair_groups == set()
    assert pair_groups - set(items["group"]) == set()
    assert {q for _, q in vocabulary.item_quantities} - set(quantities.index) == set()
    assert set(quantities["nonnegative"]) <= {"true", "false"}
    for item, row in items.iterrows():
        parse_unit(row["canonical_unit"])  # readable
        for prefix in row["categories"].split(";"):
            assert prefix in vocabulary.categories.index, (item, prefix)
        assert row["name_zh"] and row["name_en"], item
    for unit in vocabulary.item_quantities.values():
        if unit != "item":
            parse_unit(unit)


def test_fuels_by_volume_and_by_mass(vocabulary):
    # gaseous fuels are recorded by volume (万立方米), the others by mass (万吨)
    for fuel in FUELS:
        unit = vocabulary.canonical_unit(fuel, "consumption")
        expected = "m^3" if fuel in ("coke_oven_gas", "other_gas", "natural_gas") else "t"
        assert same_dimension(unit, expected), fuel
