"""QA/QC checks every sector's compilation runs; each returns a table of what fails, where and by
how much (never a bare boolean), in the spirit of pyam's ``check_aggregate``.

Each check returns a DataFrame with the columns :data:`FLAG_COLUMNS` (empty when all is well).
Checks of one sector's own (the implied CO2 factors of combustion) live with that sector.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from inventory.core.method import FLAG_COLUMNS
from inventory.core.provenance import UNVERIFIED

__all__ = ["FLAG_COLUMNS", "YOY_THRESHOLD", "YOY_MINIMUM_SHARE", "flag_table",
           "check_year_on_year", "check_unverified_factors", "check_notation_keys",
           "CHECK_NAMES_ZH", "SEVERITY_NAMES", "flag_labels"]

#: the one year-on-year threshold [fraction of the year before] of the sectors' and the document's checks
YOY_THRESHOLD = 0.3
#: series below this share of their total in both years are not checked year on year
YOY_MINIMUM_SHARE = 0.005


def flag_table(rows: list[dict]) -> pd.DataFrame:
    """Flag rows (dicts with the :data:`FLAG_COLUMNS`) as a table."""
    return pd.DataFrame(rows, columns=FLAG_COLUMNS)


def check_year_on_year(current: pd.DataFrame, previous: pd.DataFrame, threshold: float = YOY_THRESHOLD,
                       minimum_share: float = YOY_MINIMUM_SHARE) -> pd.DataFrame:
    """Flag categories whose CO2e changed by more than ``threshold`` (fraction) from the year before.

    Categories below ``minimum_share`` of the region's total in both years are ignored (small
    numbers jump without meaning).
    """
    if previous.empty or current.empty:
        return flag_table([])
    keys = ["region", "category"]
    inventory_now = current[~current["category"].str.startswith("M.")]
    inventory_before = previous[~previous["category"].str.startswith("M.")]
    now = inventory_now.groupby(keys)["co2e_t"].sum()
    before = inventory_before.groupby(keys)["co2e_t"].sum()
    # by size: a sink (negative) changes and matters as much as a source of the same size
    total = max(float(now.abs().sum()), float(before.abs().sum()), 1e-9)
    both = pd.concat({"now": now, "before": before}, axis=1).fillna(0.0)
    year = int(current["year"].iloc[0])
    flags = []
    for (region, category), row in both.iterrows():
        if max(abs(row["now"]), abs(row["before"])) < minimum_share * total:
            continue
        change = (row["now"] - row["before"]) / abs(row["before"]) if row["before"] else np.inf
        if abs(change) > threshold:
            text = "new" if not np.isfinite(change) else f"{change:+.0%}"
            flags.append({"region": region, "year": year, "category": category, "item": "", "gas": "CO2e",
                          "check": "year_on_year", "severity": "warning",
                          "message": f"{text} against {year - 1} ({row['before']:,.0f} → {row['now']:,.0f} t CO2e)"})
    return flag_table(flags)


def check_unverified_factors(emissions: pd.DataFrame, factor_rows: pd.DataFrame) -> pd.DataFrame:
    """One flag per factor row of unverified provenance (derived, secondary, memory) that a
    region-year's emissions use, saying how much of its total rests on it — a join of the
    emissions' links on the factor rows. A link without a row is flagged as a missing factor by
    the sector itself."""
    ids = factor_rows["id"].to_numpy(dtype=object)
    weak = set(ids[np.isin(factor_rows["confidence"].to_numpy(dtype=object), list(UNVERIFIED))])
    if emissions.empty or not weak:
        return flag_table([])
    # a plain pass over the rows: a region-year has a few hundred, each with a few links
    used: dict[tuple, list] = {}
    totals: dict[tuple, float] = {}
    columns = [emissions[c].tolist() for c in ("region", "year", "category", "co2e_t", "links")]
    for region, year, category, co2e, links in zip(*columns):
        inventory = not category.startswith("M.")
        if inventory:
            totals[(region, year)] = totals.get((region, year), 0.0) + abs(co2e)  # removals count by size
        for factor_id in dict.fromkeys(factor_id for _, factor_id in links if factor_id in weak):
            entry = used.setdefault((region, year, factor_id), [0, 0.0, 0.0])
            entry[0] += 1
            entry[1] += co2e if inventory else 0.0
            entry[2] += abs(co2e) if inventory else 0.0
    wanted = np.flatnonzero(np.isin(ids, list({factor_id for _, _, factor_id in used})))
    described = {row["id"]: row for row in factor_rows.iloc[wanted].to_dict("records")}
    flags = []
    for (region, year, factor_id), (rows, co2e, gross) in sorted(used.items()):
        factor = described[factor_id]
        total = totals.get((region, year), 0.0)
        share = f" ({gross / total:.1%} of the total)" if total else ""
        flags.append({"region": region, "year": int(year), "category": factor["category"], "item": factor["item"],
                      "gas": factor["gas"], "check": "unverified_factor", "severity": "warning",
                      "message": f"因子未核实 unverified factor {factor_id} ({factor['parameter']} = "
                                 f"{factor['value']:g} {factor['unit']}, {factor['factor_set']}, "
                                 f"{factor['confidence']}; {factor['source']}): {rows} emission row(s), "
                                 f"{co2e:,.0f} t CO2e{share} rest on it"})
    return flag_table(flags)


def check_notation_keys(records: pd.DataFrame) -> pd.DataFrame:
    """List the notation keys reported (information for reviewers, not errors)."""
    keyed = records[records["notation"] != ""]
    rows = [{"region": r["region"], "year": r["year"], "category": r["category"], "item": r["item"], "gas": "",
             "check": "notation_key", "severity": "info",
             "message": f"{r['quantity']} reported as {r['notation']} ({r['file']}:{r['line']})"}
            for r in keyed.to_dict("records")]
    return flag_table(rows)


#: each check's name in Chinese, for the flag tables of Chinese reports (the check's key stays after it)
CHECK_NAMES_ZH = {
    "year_on_year": "年际变化", "unverified_factor": "因子未核实", "notation_key": "注释符号",
    "missing_factor": "缺少因子", "no_method": "无计算方法", "record_not_read": "记录未被读取",
    "balance_closure": "能源平衡闭合", "reference_approach": "参考方法对比", "implied_factor_range": "隐含排放因子范围",
    "quarters_vs_year": "季度与年度对比", "tce_from_ncv": "折标系数由热值推算", "factor_year": "因子年份",
    "factor_series": "因子序列", "electricity": "电力折标", "correction_not_applied": "校正未应用",
    "enterprise_gap": "重点企业与县级数据差异", "feedstock_carbon": "原料碳",
    "feedstock_not_in_energy": "原料用能未在能源中", "flooded_rice_share": "淹水稻田施用比例",
    "manure_shares": "粪便管理方式比例", "population_derivation": "年平均数量推算",
    "backcast": "回推估算", "deposit_gap": "填埋量缺年", "deposit_notation": "填埋量注释符号",
    "lulucf_area_before_missing": "缺上年面积", "lulucf_area_missing": "缺面积",
    "lulucf_area_removed_missing": "缺转出面积", "lulucf_conversion_origin": "转化前地类",
    "lulucf_count_not_estimated": "株数未估算", "lulucf_no_method": "无计算方法（土地利用）",
    "lulucf_urban_tree_loss_not_estimated": "城市树木损失未估算", "lulucf_volume_incomplete": "蓄积量不全",
}
#: severities, Chinese first
SEVERITY_NAMES = {"error": ("错误", "error"), "warning": ("警告", "warning"), "info": ("提示", "info")}


def flag_labels(flags: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """``flags`` (:data:`FLAG_COLUMNS`) for reading: in Chinese the check and the severity in Chinese
    first (``因子未核实 unverified_factor``, ``警告 warning``; a row stays red while its severity says
    ``error``); in English as they are. The flags files keep the keys (only tables read by people change)."""
    if lang != "zh" or flags.empty:
        return flags.copy()
    labelled = flags.copy()
    labelled["check"] = [f"{CHECK_NAMES_ZH[c]} {c}" if c in CHECK_NAMES_ZH else c for c in labelled["check"]]
    labelled["severity"] = [" ".join(SEVERITY_NAMES[s]) if s in SEVERITY_NAMES else s for s in labelled["severity"]]
    return labelled
