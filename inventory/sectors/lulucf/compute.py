"""The LULUCF sector's compute function: the biomass carbon stock change of forest land (3.B.1.a),
land converted to forest (3.B.1.b) and forest converted to other land (3.B.x.b.i, with the CH4 and
N2O of burning) for any set of region-years in one pass.

Activity (CONTRACTS §3/§4a; ``docs/VOCABULARY.md``):

* 3.B.1.a ``arbor_forest.<species>``: ``volume_growth`` and ``volume_loss`` [m³/yr], ``area`` [ha]
  (the area method); ``open_forest``, ``scattered_trees`` filed as volume take the stock-volume chain;
* 3.B.1.a ``bamboo``, ``economic_forest``, ``shrub_forest`` (and ``open_forest`` filed by area):
  ``area`` [ha] at the end of each year — the stock difference needs the year before as well;
* 3.B.1.a ``scattered_trees`` filed only as ``count``: flagged, not estimated (NE);
* 3.B.1.b.* ``arbor_forest.<species>``: ``area`` in conversion [ha] (land converted to forest within
  the 20-year transition period);
* forest converted to other land (3.B.2.b.i, 3.B.3.b.i, 3.B.5.b.i, 3.B.6.b.i, and 3.B.4.b):
  ``arbor_forest.<species>`` ``volume_loss`` [m³] cleared and ``volume_burned`` [m³] burnt on site;
* land other than forest converted to cropland, grassland, wetlands or settlements (3.B.2.b,
  3.B.3.b, 3.B.4.b, 3.B.5.b): the land type converted from (``cropland``, ``orchard``,
  ``tea_garden``, ``grassland``, ``wetland``, ``settlement``, ``other_land``) ``area_converted``
  [ha], with ``B_before`` and ``B_after`` (:mod:`.land_use`); the item must be the origin the
  sub-category names (3.B.5.b.ii: cropland …), else flagged and not estimated;
* 3.B.2.a ``orchard``, ``tea_garden`` (perennial woody crops): ``area`` and ``area_removed`` [ha];
* 3.B.5.a ``urban_trees``: ``crown_cover_area`` [ha];
* records under grassland, wetlands or other land remaining (3.B.3.a, 3.B.4.a, 3.B.6.a): no
  method here, flagged as not estimated (NE).

Every row returned is CO2 (``-ΔC × 44/12``: removals negative) or the CH4/N2O of burning, with its
links (role → factor id). A computation missing a factor is flagged ``missing_factor`` (error) and
not returned: not estimated, never zero. The intermediate quantities (volumes, areas, factors, gain,
loss, ΔC) are returned as ``extras["stock_change"]`` for the notebook.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from inventory.core.factors import FactorDatabase
from inventory.core.method import FLAG_COLUMNS, KEYS, empty_flags, missing_factor_flags
from inventory.core.provenance import links_of
from inventory.core.schema import RESULT_COLUMNS, empty_result
from inventory.sectors.contract import SectorResult, Settings
from inventory.sectors.lulucf.conversion import biomass_loss_on_conversion, dry_matter_of_volume, fire_non_co2
from inventory.sectors.lulucf.forest import (
    FOREST_METHODS,
    biomass_carbon_of_volume,
    co2_of_stock_change,
    gain_from_area,
    gain_from_increment,
    loss_from_volume,
    stock_change,
)
from inventory.sectors.lulucf.land_use import (
    conversion_stock_change,
    perennial_crop_stock_change,
    urban_tree_gain,
)
from inventory.sectors.lulucf.other_wooded import stock_difference_by_area

__all__ = ["compute_lulucf", "AREA_STRATA", "DEFORESTATION", "STOCK_COLUMNS"]

#: strata of 3.B.1.a measured by area only (no growing stock)
AREA_STRATA = ("bamboo", "economic_forest", "shrub_forest", "open_forest")
#: strata with a growing-stock volume besides arbor forest (stock-volume chain whatever the method)
VOLUME_STRATA = ("open_forest", "scattered_trees")
#: categories of forest land converted to another use
DEFORESTATION = ("3.B.2.b.i", "3.B.3.b.i", "3.B.4.b", "3.B.5.b.i", "3.B.6.b.i")
#: land-use category (IPCC code of level 3) → the land type it is
LAND_OF = {"3.B.1": "forest", "3.B.2": "cropland", "3.B.3": "grassland", "3.B.4": "wetland", "3.B.5": "settlement",
           "3.B.6": "other_land"}
#: land converted to these (from land other than forest) is estimated by Eq. 2.16
CONVERTED_TO = ("3.B.2.b", "3.B.3.b", "3.B.4.b", "3.B.5.b")
#: the origin each sub-category of land converted names (IPCC 2006 Vol.1 Ch.8 Table 8.2); forest land
#: converted (.i) is filed as growing stock cleared, never as a land item; 3.B.4.b's sub-categories
#: are kinds of wetland, not origins
ORIGIN_OF = {"i": {"3.B.2.b": "forest", "3.B.3.b": "forest", "3.B.5.b": "forest"},
             "ii": {"3.B.2.b": "grassland", "3.B.3.b": "cropland", "3.B.5.b": "cropland"},
             "iii": {"3.B.2.b": "wetland", "3.B.3.b": "wetland", "3.B.5.b": "grassland"},
             "iv": {"3.B.2.b": "settlement", "3.B.3.b": "settlement", "3.B.5.b": "wetland"},
             "v": {"3.B.2.b": "other_land", "3.B.3.b": "other_land", "3.B.5.b": "other_land"}}
#: perennial woody crops, cropland by land type
PERENNIAL = ("orchard", "tea_garden")
#: remaining-land categories without a method here: records there are flagged NE
NO_METHOD = ("3.B.3.a", "3.B.4.a", "3.B.6.a")
#: the columns of ``extras["stock_change"]``
ACTIVITY_COLUMNS = ["volume_growth", "volume_loss", "area", "area_before", "area_converted", "area_removed",
                    "crown_cover_area"]
PARAMETER_COLUMNS = ["BEF", "D", "R", "CF", "BCEF_I", "BCEF_R", "G_W", "B_W", "B_before", "B_after", "G_C", "L_C",
                     "CRW"]
STOCK_COLUMNS = (["region", "year", "category", "item", "method"] + ACTIVITY_COLUMNS + PARAMETER_COLUMNS
                 + ["gain_tC", "loss_tC", "delta_tC", "co2_t"])
FIRE_GASES = ("CH4", "N2O")

METHOD_TEXT = {
    "stock_volume": "蓄积量法 stock-volume: V × BEF × D × (1+R) × CF × 44/12 "
                    "(省级指南 第四章; IPCC Vol.4 Eq. 2.7, 2.10, 2.12)",
    "gain_loss_volume": "IPCC gain–loss by volume: I_V × BCEF_I − H × BCEF_R, × (1+R) × CF × 44/12 "
                        "(Vol.4 Eq. 2.7, 2.9–2.12)",
    "gain_loss_area": "IPCC gain–loss by area: A × G_W − H × BCEF_R, × (1+R) × CF × 44/12 (Vol.4 Eq. 2.7, 2.9–2.12)",
    "area_stock_difference": "stock difference by area: ΔA × B_W × (1+R) × CF × 44/12 "
                             "(省级指南 第四章; IPCC Vol.4 Eq. 2.8)",
    "afforestation": "land converted to forest: A × G_W × (1+R) × CF × 44/12 (IPCC Vol.4 Ch.4 §4.3; Eq. 2.9, 2.10)",
    "deforestation": "forest converted: V × BEF × D × (1+R) × CF × 44/12 lost "
                     "(IPCC Vol.4 Eq. 2.16, B_after = 0; 省级指南 森林转化)",
    "fire": "burning on site: V × BEF × D × C_f × G_ef × 10⁻³ (IPCC Vol.4 Eq. 2.27; 省级指南 森林转化 现地燃烧)",
    "land_conversion": "land converted: ΔA × (B_after − B_before) × CF × 44/12 (IPCC Vol.4 Eq. 2.16; Tier 1 of "
                       "Ch.5–8)",
    "perennial_crops": "perennial woody crops: A × G − A_removed × L, × 44/12 (IPCC Vol.4 Eq. 2.7; Ch.5 Table 5.1)",
    "urban_trees": "urban trees: crown cover × CRW × 44/12, gains only (IPCC Vol.4 Ch.8 §8.2.1.1)",
}


def _quantity(records: pd.DataFrame, quantity: str, name: str) -> pd.DataFrame:
    """Per (region, year, category, item): the sum of ``quantity`` as column ``name`` and the
    records' places as ``<name>_records``."""
    chosen = records[records["quantity"] == quantity]
    if chosen.empty:
        return pd.DataFrame(columns=KEYS + [name, f"{name}_records"])
    located = chosen.assign(where=chosen["file"] + ":" + chosen["line"].astype(str))
    return (located.groupby(KEYS, sort=True)
            .agg(**{name: ("value", "sum"), f"{name}_records": ("where", "; ".join)}).reset_index())


def _strata(records: pd.DataFrame, quantities: dict[str, str]) -> pd.DataFrame:
    """One row per (region, year, category, item) with a column per quantity (NaN where not filed)."""
    frame = None
    for quantity, name in quantities.items():
        part = _quantity(records, quantity, name)
        frame = part if frame is None else frame.merge(part, on=KEYS, how="outer")
    frame = frame.sort_values(KEYS).reset_index(drop=True)
    places = [c for c in frame.columns if c.endswith("_records")]
    frame["records"] = frame[places].apply(lambda r: "; ".join(p for p in r if isinstance(p, str) and p), axis=1) \
        if len(frame) else pd.Series(dtype=object)
    frame["year"] = frame["year"].astype(int)
    return frame.drop(columns=places)


class _Parameters:
    """The parameters of one set of cells, resolved once each: value in the unit needed and row id."""

    def __init__(self, factors: FactorDatabase, cells: pd.DataFrame, factor_sets):
        self.factors, self.cells, self.factor_sets = factors, cells[KEYS], list(factor_sets)
        self.ids: dict[str, np.ndarray] = {}

    def __call__(self, parameter: str, unit: str, gas: str = "", role: str = "") -> np.ndarray:
        resolved = self.factors.resolve_to(parameter, self.cells, unit, gas=gas, factor_sets=self.factor_sets)
        self.ids[role or parameter] = resolved["factor_id"].to_numpy(dtype=object)
        return resolved["value"].to_numpy(dtype=float)

    def links(self, roles: tuple[str, ...]) -> np.ndarray:
        return links_of(roles, *(self.ids[r] for r in roles))


def _rows(frame: pd.DataFrame, emissions: np.ndarray, gas: str, activity: np.ndarray, unit: str, method: str,
          links: np.ndarray) -> pd.DataFrame:
    out = frame[KEYS + ["records"]].copy()
    out["gas"] = gas
    out["emissions_t"] = emissions
    out["activity_value"] = activity
    out["activity_unit"] = unit
    out["energy_tj"] = np.nan
    out["method"] = METHOD_TEXT[method]
    out["links"] = links
    return out[RESULT_COLUMNS]


def _split(frame: pd.DataFrame, emissions: np.ndarray, links: np.ndarray, gas: str):
    """The rows with every factor found, and the missing-factor flags of the others."""
    found = ~np.isnan(emissions)
    missing = frame.loc[~found, KEYS].assign(links=links[~found])
    return found, missing_factor_flags(missing, gas, "error")


def _stock_table(frame: pd.DataFrame, method: str, values: dict, gain, loss, delta) -> pd.DataFrame:
    table = frame.reindex(columns=KEYS + ACTIVITY_COLUMNS)
    table.insert(4, "method", method)
    for name in PARAMETER_COLUMNS:
        table[name] = values.get(name, np.nan)
    table["gain_tC"], table["loss_tC"], table["delta_tC"] = gain, loss, delta
    table["co2_t"] = co2_of_stock_change(np.asarray(delta, dtype=float))
    return table[STOCK_COLUMNS]


def _flag(frame: pd.DataFrame, check: str, severity: str, message) -> pd.DataFrame:
    if frame.empty:
        return empty_flags()
    rows = [{**{k: r[k] for k in KEYS}, "gas": "CO2", "check": check, "severity": severity, "message": message(r)}
            for r in frame.to_dict("records")]
    return pd.DataFrame(rows, columns=FLAG_COLUMNS)


def _arbor(records: pd.DataFrame, factors: FactorDatabase, settings: Settings, method: str):
    """3.B.1.a strata with a growing stock: arbor forest by species (the chosen method) and open forest
    and scattered trees filed as volume (the stock-volume chain)."""
    stocked = records[(records["category"] == "3.B.1.a")
                      & (records["item"].str.startswith("arbor_forest") | records["item"].isin(VOLUME_STRATA))]
    if stocked.empty:
        return [], [], []
    frame = _strata(stocked, {"volume_growth": "volume_growth", "volume_loss": "volume_loss", "area": "area"})
    frame = frame[frame["volume_growth"].notna() | frame["volume_loss"].notna()].reset_index(drop=True)
    if frame.empty:
        return [], [], []

    def incomplete(r) -> str:
        filed = "消耗" if pd.isna(r["volume_growth"]) else "生长"
        return (f"只填报了蓄积{filed}量，另一项按 0 计；请核实 / only one of volume_growth and volume_loss is filed "
                f"for {r['item']}: the other is taken as none — check")

    emissions, tables = [], []
    all_flags = [_flag(frame[frame["volume_growth"].isna() | frame["volume_loss"].isna()],
                       "lulucf_volume_incomplete", "warning", incomplete)]
    growth = frame["volume_growth"].fillna(0.0).to_numpy(dtype=float)
    lost = frame["volume_loss"].fillna(0.0).to_numpy(dtype=float)
    arbor = frame["item"].str.startswith("arbor_forest").to_numpy()
    chosen = np.where(arbor, method, "stock_volume")
    if method == "gain_loss_area":  # the area method needs the area: without it, flagged and not estimated
        no_area = (chosen == method) & frame["area"].isna().to_numpy()
        all_flags.append(_flag(frame[no_area], "lulucf_area_missing", "error",
                               lambda r: f"面积法需要面积，未估算（NE）/ the area method needs the area of "
                                         f"{r['item']}: CO2 not estimated (NE)"))
        chosen = np.where(no_area, "", chosen)
    for name in FOREST_METHODS:
        part = frame[chosen == name].reset_index(drop=True)
        if part.empty:
            continue
        g, v = growth[chosen == name], lost[chosen == name]
        p = _Parameters(factors, part, settings.factor_sets)
        values = {"R": p("R", "1"), "CF": p("CF", "1")}
        if name == "stock_volume":
            values.update(BEF=p("BEF", "1"), D=p("D", "t/m^3"))
            gain = biomass_carbon_of_volume(g, values["BEF"], values["D"], values["R"], values["CF"])
            loss = biomass_carbon_of_volume(v, values["BEF"], values["D"], values["R"], values["CF"])
            roles = ("BEF", "D", "R", "CF")
        else:
            values["BCEF_R"] = p("BCEF_R", "t/m^3")
            loss = loss_from_volume(v, values["BCEF_R"], values["R"], values["CF"])
            if name == "gain_loss_volume":
                values["BCEF_I"] = p("BCEF_I", "t/m^3")
                gain = gain_from_increment(g, values["BCEF_I"], values["R"], values["CF"])
                roles = ("BCEF_I", "BCEF_R", "R", "CF")
            else:
                values["G_W"] = p("G_W", "t/ha/yr")
                gain = gain_from_area(part["area"].to_numpy(dtype=float), values["G_W"], values["R"], values["CF"])
                roles = ("G_W", "BCEF_R", "R", "CF")
        delta = stock_change(gain, loss)
        co2 = co2_of_stock_change(delta)
        links = p.links(roles)
        found, missing = _split(part, co2, links, "CO2")
        all_flags.append(missing)
        emissions.append(_rows(part[found], co2[found], "CO2", g[found], "m^3", name, links[found]))
        tables.append(_stock_table(part, name, values, gain, loss, delta))
    return emissions, all_flags, tables


def _by_area(records: pd.DataFrame, factors: FactorDatabase, settings: Settings):
    """Bamboo, economic forest, shrub forest and open forest filed by area: the stock difference
    between this year's area and the year before's."""
    chosen = records[(records["category"] == "3.B.1.a") & records["item"].isin(AREA_STRATA)]
    frame = _strata(chosen, {"area": "area", "volume_growth": "volume_growth"}) if len(chosen) else None
    if frame is None:
        return [], [], []
    frame = frame[frame["area"].notna() & frame["volume_growth"].isna()].drop(columns="volume_growth")
    if frame.empty:
        return [], [], []
    before = frame[KEYS + ["area"]].assign(year=frame["year"] + 1).rename(columns={"area": "area_before"})
    frame = frame.merge(before, on=KEYS, how="left")
    first = frame["area_before"].isna()
    flags = [_flag(frame[first], "lulucf_area_before_missing", "warning",
                   lambda r: f"缺上年面积，{r['item']} 碳储量变化未估算（NE）/ no area of {r['year'] - 1}: "
                             f"the stock change of {r['item']} is not estimated (NE)")]
    frame = frame[~first].reset_index(drop=True)
    if frame.empty:
        return [], flags, []
    p = _Parameters(factors, frame, settings.factor_sets)
    values = {"B_W": p("B_W", "t/ha"), "R": p("R", "1"), "CF": p("CF", "1")}
    area, area_before = frame["area"].to_numpy(dtype=float), frame["area_before"].to_numpy(dtype=float)
    delta = stock_difference_by_area(area, area_before, values["B_W"], values["R"], values["CF"])
    co2 = co2_of_stock_change(delta)
    links = p.links(("B_W", "R", "CF"))
    found, missing = _split(frame, co2, links, "CO2")
    gain, loss = np.clip(delta, 0, None), np.clip(-delta, 0, None)
    return ([_rows(frame[found], co2[found], "CO2", area[found], "ha", "area_stock_difference", links[found])],
            flags + [missing], [_stock_table(frame, "area_stock_difference", values, gain, loss, delta)])


def _afforestation(records: pd.DataFrame, factors: FactorDatabase, settings: Settings):
    chosen = records[records["category"].str.startswith("3.B.1.b") & (records["quantity"] == "area")]
    if chosen.empty:
        return [], [], []
    frame = _strata(chosen, {"area": "area"})
    p = _Parameters(factors, frame, settings.factor_sets)
    values = {"G_W": p("G_W", "t/ha/yr"), "R": p("R", "1"), "CF": p("CF", "1")}
    area = frame["area"].to_numpy(dtype=float)
    gain = gain_from_area(area, values["G_W"], values["R"], values["CF"])
    co2 = co2_of_stock_change(gain)
    links = p.links(("G_W", "R", "CF"))
    found, missing = _split(frame, co2, links, "CO2")
    return ([_rows(frame[found], co2[found], "CO2", area[found], "ha", "afforestation", links[found])], [missing],
            [_stock_table(frame, "afforestation", values, gain, np.zeros(len(frame)), gain)])


def _deforestation(records: pd.DataFrame, factors: FactorDatabase, settings: Settings):
    chosen = records[records["category"].isin(DEFORESTATION)]
    if chosen.empty:
        return [], [], []
    frame = _strata(chosen, {"volume_loss": "volume_loss", "volume_burned": "volume_burned"})
    emissions, flags, tables = [], [], []
    cleared = frame[frame["volume_loss"].notna()].reset_index(drop=True)
    if len(cleared):
        p = _Parameters(factors, cleared, settings.factor_sets)
        values = {"BEF": p("BEF", "1"), "D": p("D", "t/m^3"), "R": p("R", "1"), "CF": p("CF", "1")}
        volume = cleared["volume_loss"].to_numpy(dtype=float)
        loss = biomass_loss_on_conversion(volume, values["BEF"], values["D"], values["R"], values["CF"])
        co2 = co2_of_stock_change(-loss)
        links = p.links(("BEF", "D", "R", "CF"))
        found, missing = _split(cleared, co2, links, "CO2")
        emissions.append(_rows(cleared[found], co2[found], "CO2", volume[found], "m^3", "deforestation", links[found]))
        flags.append(missing)
        tables.append(_stock_table(cleared, "deforestation", values, np.zeros(len(cleared)), loss, -loss))
    burnt = frame[frame["volume_burned"].notna()].reset_index(drop=True)
    if len(burnt):
        p = _Parameters(factors, burnt, settings.factor_sets)
        volume = burnt["volume_burned"].to_numpy(dtype=float)
        matter = dry_matter_of_volume(volume, p("BEF", "1"), p("D", "t/m^3"))
        combusted = p("C_f", "1")
        for gas in FIRE_GASES:
            emitted = fire_non_co2(matter, combusted, p("G_ef", "g/kg", gas=gas, role="G_ef"))
            links = p.links(("BEF", "D", "C_f", "G_ef"))
            found, missing = _split(burnt, emitted, links, gas)
            emissions.append(_rows(burnt[found], emitted[found], gas, volume[found], "m^3", "fire", links[found]))
            flags.append(missing)
    return emissions, flags, tables


def _origin(category: str) -> str:
    """The land type a sub-category of land converted names as its origin ('' where it names none)."""
    parts = category.split(".")
    return ORIGIN_OF.get(parts[4], {}).get(".".join(parts[:4]), "") if len(parts) > 4 else ""


def _land_conversion(records: pd.DataFrame, factors: FactorDatabase, settings: Settings):
    """Land other than forest converted to cropland, grassland, wetlands or settlements (Eq. 2.16)."""
    chosen = records[records["category"].str[:7].isin(CONVERTED_TO) & (records["quantity"] == "area_converted")]
    if chosen.empty:
        return [], [], []
    frame = _strata(chosen, {"area_converted": "area_converted"})
    land = frame["item"].map(lambda i: "cropland" if i in PERENNIAL else i)
    destination = frame["category"].str[:5].map(LAND_OF)
    expected = frame["category"].map(_origin)
    wrong = (land == destination) | ((expected != "") & (land != expected))
    flags = [_flag(frame[wrong].assign(expected=expected[wrong]), "lulucf_conversion_origin", "error",
                   lambda r: f"{r['category']} 的原地类应为 {r['expected'] or '其他地类'}，填报为 {r['item']}："
                             f"未估算（NE）；请核对类别或条目 / {r['category']} converts from "
                             f"{r['expected'] or 'another land type'}, not {r['item']}: not estimated (NE); check the "
                             f"category or the item (records {r['records']})")]
    frame = frame[~wrong].reset_index(drop=True)
    if frame.empty:
        return [], flags, []
    p = _Parameters(factors, frame, settings.factor_sets)
    values = {"B_before": p("B_before", "t/ha"), "B_after": p("B_after", "t/ha"), "CF": p("CF", "1")}
    area = frame["area_converted"].to_numpy(dtype=float)
    delta = conversion_stock_change(area, values["B_before"], values["B_after"], values["CF"])
    co2 = co2_of_stock_change(delta)
    links = p.links(("B_before", "B_after", "CF"))
    found, missing = _split(frame, co2, links, "CO2")
    gain, loss = np.clip(delta, 0, None), np.clip(-delta, 0, None)
    return ([_rows(frame[found], co2[found], "CO2", area[found], "ha", "land_conversion", links[found])],
            flags + [missing], [_stock_table(frame, "land_conversion", values, gain, loss, delta)])


def _perennial_crops(records: pd.DataFrame, factors: FactorDatabase, settings: Settings):
    """Perennial woody crops on cropland remaining cropland (3.B.2.a): gain by area, loss by area cleared."""
    chosen = records[(records["category"] == "3.B.2.a") & records["item"].isin(PERENNIAL)]
    if chosen.empty:
        return [], [], []
    frame = _strata(chosen, {"area": "area", "area_removed": "area_removed"})
    no_area = frame["area"].isna()
    flags = [_flag(frame[no_area], "lulucf_area_missing", "error",
                   lambda r: f"{r['item']} 只填报了清除面积，缺面积：未估算（NE）/ only the area removed of "
                             f"{r['item']} is filed, not its area: not estimated (NE)"),
             _flag(frame[~no_area & frame["area_removed"].isna()], "lulucf_area_removed_missing", "warning",
                   lambda r: f"{r['item']} 未填报当年清除（更新）面积，按 0 计；请核实 / no area_removed filed for "
                             f"{r['item']}: taken as none cleared — check")]
    frame = frame[~no_area].reset_index(drop=True)
    if frame.empty:
        return [], flags, []
    p = _Parameters(factors, frame, settings.factor_sets)
    values = {"G_C": p("G_C", "t/ha/yr"), "L_C": p("L_C", "t/ha")}
    area = frame["area"].to_numpy(dtype=float)
    removed = frame["area_removed"].fillna(0.0).to_numpy(dtype=float)
    delta = perennial_crop_stock_change(area, removed, values["G_C"], values["L_C"])
    co2 = co2_of_stock_change(delta)
    links = p.links(("G_C", "L_C"))
    found, missing = _split(frame, co2, links, "CO2")
    return ([_rows(frame[found], co2[found], "CO2", area[found], "ha", "perennial_crops", links[found])],
            flags + [missing], [_stock_table(frame.assign(area_removed=removed), "perennial_crops", values,
                                             area * values["G_C"], removed * values["L_C"], delta)])


def _urban_trees(records: pd.DataFrame, factors: FactorDatabase, settings: Settings):
    """Urban trees on settlements remaining settlements (3.B.5.a) by crown cover: gains only."""
    chosen = records[(records["category"] == "3.B.5.a") & (records["item"] == "urban_trees")
                     & (records["quantity"] == "crown_cover_area")]
    if chosen.empty:
        return [], [], []
    frame = _strata(chosen, {"crown_cover_area": "crown_cover_area"})
    p = _Parameters(factors, frame, settings.factor_sets)
    values = {"CRW": p("CRW", "t/ha/yr")}
    area = frame["crown_cover_area"].to_numpy(dtype=float)
    gain = urban_tree_gain(area, values["CRW"])
    co2 = co2_of_stock_change(gain)
    links = p.links(("CRW",))
    found, missing = _split(frame, co2, links, "CO2")
    flags = [missing, _flag(frame[found], "lulucf_urban_tree_loss_not_estimated", "info",
                            lambda r: "城市树木只计生长，移除（砍伐、死亡）的损失未估算（NE）/ urban trees: gains "
                                      "only; the loss of trees removed is not estimated (NE)")]
    return ([_rows(frame[found], co2[found], "CO2", area[found], "ha", "urban_trees", links[found])], flags,
            [_stock_table(frame, "urban_trees", values, gain, np.zeros(len(frame)), gain)])


def compute_lulucf(records: pd.DataFrame, factors: FactorDatabase, settings: Settings | None = None) -> SectorResult:
    """LULUCF (3.B) of any set of records: one row per stratum and gas, removals negative.

    Parameters
    ----------
    records : DataFrame
        Validated activity records (the year before is needed for the strata measured by area).
    factors : FactorDatabase
    settings : Settings
        ``factor_sets`` preferred; parameter ``forest_method``: one of
        :data:`inventory.sectors.lulucf.forest.FOREST_METHODS` (default ``stock_volume``).

    Raises
    ------
    ValueError
        ``forest_method`` is not one of the methods.
    """
    settings = settings or Settings()
    method = str(settings.get("forest_method") or "stock_volume")
    if method not in FOREST_METHODS:
        raise ValueError(f"未知森林方法 unknown forest_method {method!r}: one of {', '.join(FOREST_METHODS)}")
    annual = records[(records["period"] == "") & records["value"].notna() & records["category"].str.startswith("3.B")]
    emissions, flags, tables = [], [], []
    for part in (_arbor(annual, factors, settings, method), _by_area(annual, factors, settings),
                 _afforestation(annual, factors, settings), _deforestation(annual, factors, settings),
                 _land_conversion(annual, factors, settings), _perennial_crops(annual, factors, settings),
                 _urban_trees(annual, factors, settings)):
        emissions += part[0]
        flags += part[1]
        tables += part[2]
    counted = annual[(annual["item"] == "scattered_trees") & (annual["quantity"] == "count")]
    flags.append(_flag(counted[KEYS].drop_duplicates(), "lulucf_count_not_estimated", "info",
                       lambda r: "散生木、四旁树只有株数，无按株数的方法：未估算（NE）；请填报蓄积生长量和消耗量 / "
                                 "scattered trees filed as a count only: no method by count, not estimated (NE); "
                                 "file their volume growth and loss"))
    unmethodical = annual[annual["category"].str[:7].isin(NO_METHOD)]
    flags.append(_flag(unmethodical[KEYS].drop_duplicates(), "lulucf_no_method", "info",
                       lambda r: f"{r['category']} 的 {r['item']} 没有估算方法，未估算（NE）/ no method for "
                                 f"{r['item']} under {r['category']}: not estimated (NE)"))
    emissions = [e for e in emissions if len(e)]
    flags = [f for f in flags if len(f)]
    tables = [t for t in tables if len(t)]
    return SectorResult(
        emissions=pd.concat(emissions, ignore_index=True) if emissions else empty_result(),
        flags=pd.concat(flags, ignore_index=True) if flags else empty_flags(),
        extras={"stock_change": pd.concat(tables, ignore_index=True) if tables
                else pd.DataFrame(columns=STOCK_COLUMNS)})
