"""Product carbon intensity (产品碳排放强度): t CO2e per t of product (per MWh for power), in parts.

For each key product of a region-year:

* **process** — the product's IPPU emissions [t CO2e] / its production;
* **energy** — the fuel-combustion CO2e of the industry that makes it (1.A.2.f non-metallic minerals
  for cement, lime and flat glass; 1.A.2.c chemicals for ammonia, carbide, methanol and ethylene;
  1.A.2.a iron and steel; 1.A.1.a for power) / the production, *only where that product is the one
  listed product of the industry in the region-year* — an upper bound, since the industry makes other
  things too (no allocation key is invented: where several listed products share an industry, the
  part is "shared, not allocated");
* **electricity** — the indirect CO2 of the electricity the product's key enterprises used (their
  ``consumption`` of ``electricity`` × the grid factor) / those enterprises' production; the
  statistics give no electricity by industry at county level.

Each part is shown; the total adds the parts that exist. Benchmarks are given where a source was
found (cited), else "none found".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Product", "PRODUCTS", "BENCHMARKS", "process_intensity", "product_intensity"]


@dataclass(frozen=True)
class Product:
    key: str
    name_zh: str
    name_en: str
    #: IPPU category of its process emissions ("" for none)
    category: str
    #: items whose production is the denominator, in order of preference (records of the category)
    items: tuple[str, ...]
    #: the 1.A category of the industry's fuel combustion
    energy_category: str


PRODUCTS = (
    Product("electricity", "电力", "power", "", ("electricity",), "1.A.1.a"),
    Product("cement", "水泥", "cement", "2.A.1", ("cement", "clinker"), "1.A.2.f"),
    Product("lime", "石灰", "lime", "2.A.2", ("lime",), "1.A.2.f"),
    Product("flat_glass", "平板玻璃", "flat glass", "2.A.3", ("flat_glass",), "1.A.2.f"),
    Product("refining", "炼油", "oil refining", "", (), "1.A.1.b"),
    Product("ethylene", "乙烯", "ethylene", "2.B.8.b", ("ethylene",), "1.A.2.c"),
    Product("ammonia", "合成氨", "ammonia", "2.B.1", ("ammonia",), "1.A.2.c"),
    Product("calcium_carbide", "电石", "calcium carbide", "2.B.5", ("calcium_carbide",), "1.A.2.c"),
    Product("methanol", "甲醇", "methanol", "2.B.8.a", ("methanol",), "1.A.2.c"),
    Product("steel", "粗钢", "crude steel", "2.C.1", ("steel",), "1.A.2.a"),
)

#: product → (value, unit, what it measures, source); products without one say "none found"
BENCHMARKS = {
    "electricity": (0.5366, "t CO₂/MWh", "全国电网平均排放因子 2022 / national grid average 2022",
                    "MEE/NBS 公告2024年第33号 (reference grid_ef.csv, verified)"),
    "cement": (0.2906, "t CO₂/t cement", "水泥过程排放（每吨水泥）/ cement process CO₂ per t cement",
               "Liu Z. et al. (2015) Nature 524:335, as used by CEADs (reference ippu-0042, memory grade)"),
}


def process_intensity(emissions_co2e, production):
    """Intensity of one part [t CO2e per unit of product]: emissions / production (NaN without production).

    Parameters
    ----------
    emissions_co2e : array_like
        Emissions of the part [t CO2e].
    production : array_like
        Product made [t], or electricity generated [MWh].
    """
    production = np.asarray(production, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(production > 0, np.asarray(emissions_co2e, dtype=float) / production, np.nan)


def _base(item: str) -> str:
    return item.partition(".")[0]


def _production(records: pd.DataFrame, product: Product) -> tuple[float, str]:
    if product.key == "electricity":  # generated: primary (hydro, wind, solar) and thermal
        power = records[(records["item"] == "electricity") & records["value"].notna()]
        rows = power[((power["category"] == "EB") & (power["quantity"] == "production"))
                     | ((power["category"] == "EB.T.power") & (power["quantity"] == "transformation_output"))]
        return (float(rows["value"].sum()), "MWh") if len(rows) else (np.nan, "")
    produced = records[(records["category"] == product.category) & (records["quantity"] == "production")
                       & records["value"].notna()]
    for item in product.items:
        rows = produced[produced["item"].map(_base) == item]
        if len(rows):
            return float(rows["value"].sum()), item
    return np.nan, ""


def product_intensity(emissions: pd.DataFrame, energy: pd.DataFrame, records: pd.DataFrame,
                      enterprises: pd.DataFrame, grid_factor: float, lang: str = "zh") -> pd.DataFrame:
    """The intensity table of a region-year (module docstring).

    Parameters
    ----------
    emissions : DataFrame
        The region-year's IPPU emissions (``co2e_t``).
    energy : DataFrame
        The region-year's energy emissions (``co2e_t``; memo items are skipped).
    records : DataFrame
        Every activity record of the region-year (production of products, electricity generated).
    enterprises : DataFrame
        The region-year's key-enterprise records (:mod:`inventory.sectors.ippu.enterprises`).
    grid_factor : float
        Grid CO2 factor [t CO2/MWh] for the electricity of the enterprises (NaN: not estimated).
    """
    zh = lang == "zh"
    outputs = {p.key: _production(records, p) for p in PRODUCTS}
    combustion = energy[~energy["category"].str.startswith("M.")] if len(energy) else energy
    rows = []
    for product in PRODUCTS:
        production, denominator = outputs[product.key]
        own = emissions.loc[emissions["category"] == product.category, "co2e_t"] if product.category else ()
        process = float(own.sum()) if len(own) else np.nan
        sharing = [p.key for p in PRODUCTS if p.energy_category == product.energy_category
                   and not np.isnan(outputs[p.key][0])]
        industry = combustion.loc[combustion["category"].str.startswith(product.energy_category), "co2e_t"].sum() \
            if len(combustion) else 0.0
        if np.isnan(production):
            energy_part, note = np.nan, ("无产量记录 / no production filed" if product.key != "refining" else
                                         "需炼厂原油加工量（能源平衡表）/ needs refinery throughput (energy balance)")
        elif sharing == [product.key]:
            energy_part, note = float(industry), ""
        else:
            energy_part, note = np.nan, (f"{product.energy_category} 由多种产品共用，未分摊 / shared by "
                                         f"{', '.join(sharing)}: not allocated")
        electricity = np.nan
        covered = enterprises[(enterprises["item"].map(_base) == denominator)
                              & (enterprises["quantity"] == "production")] if len(enterprises) else enterprises
        used = enterprises[(enterprises["item"] == "electricity")
                           & enterprises["enterprise"].isin(covered["enterprise"])] if len(covered) else covered
        if len(used) and not np.isnan(grid_factor):
            with_power = covered[covered["enterprise"].isin(used["enterprise"])]
            electricity = float(process_intensity(used["value"].sum() * grid_factor, with_power["value"].sum()))
        parts = [float(process_intensity(process, production)),
                 float(process_intensity(energy_part, production)), electricity]
        benchmark = BENCHMARKS.get(product.key)
        rows.append({
            ("产品" if zh else "product"): product.name_zh if zh else product.name_en,
            ("产量" if zh else "production"): production,
            ("产量口径" if zh else "per"): denominator,
            ("过程排放 t CO₂e" if zh else "process t CO₂e"): process,
            ("过程强度" if zh else "process intensity"): parts[0],
            ("行业能源燃烧 t CO₂e" if zh else "industry combustion t CO₂e"): energy_part,
            ("能源强度（上限）" if zh else "energy intensity (upper bound)"): parts[1],
            ("用电间接强度（重点企业）" if zh else "electricity intensity (key enterprises)"): parts[2],
            ("合计强度" if zh else "total intensity"): float(np.nansum(parts)) if not all(np.isnan(parts)) else np.nan,
            ("对标值" if zh else "benchmark"): f"{benchmark[0]:g} {benchmark[1]}（{benchmark[2]}）" if benchmark
            else ("未找到可引用的对标值 / none found"),
            ("对标来源" if zh else "benchmark source"): benchmark[3] if benchmark else "",
            ("说明" if zh else "note"): note,
        })
    return pd.DataFrame(rows)
