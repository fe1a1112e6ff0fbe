#!/usr/bin/env python
"""Build the shipped default factors of agriculture (IPCC 3.A, 3.C) deterministically.

Reads the project's reference collection (``agriculture.csv``, see that folder's README.md) and
writes ``inventory/data/factors/agriculture.csv`` (fixed row order and number formatting, UTF-8,
``\\n`` line endings), in the parameters of CONTRACTS §4a:

* ``factor_set = ipcc2006``: IPCC 2006 Vol.4 Tier 1 defaults for Asia / developing countries
  (Tables 5.11–5.14, 10.10, 10.11, 10.14, 10.15, 10.21, 11.1, 11.3);
* ``factor_set = cn_guideline``: 《省级温室气体清单编制指南（试行）》第三章 农业, the 中南区 rows
  (Hunan), region ``430000``: every one recalled (``memory``) and flagged wherever used.

A few IPCC defaults the reference collection does not hold (urea and liming carbon, EF3PRP for
sheep and other animals, N excretion rates and typical masses) are written from the table named
in ``source_table`` with ``confidence = memory`` (recalled, not seen here): reports flag them.

Usage (from the repository root)::

    python scripts/build_agriculture_factors.py [REFERENCE_DIR] [--out DIR] [--check]

``REFERENCE_DIR`` defaults to ``../shared/reference/factors``; ``--check`` writes nothing and
exits 1 if the file on disk differs from what would be written. Standard library only.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import factor_build  # noqa: E402

DEFAULT_REFERENCE = factor_build.DEFAULT_REFERENCE
DEFAULT_OUT = factor_build.DEFAULT_OUT
OUT_NAME = "agriculture.csv"

COLUMNS = ["id", "parameter", "category", "item", "gas", "value", "unit", "region", "year_from", "year_to",
           "source", "source_table", "confidence", "uncertainty", "factor_set", "note"]

IPCC = "2006 IPCC Guidelines, Vol.4 AFOLU"
GUIDELINE = "省级温室气体清单编制指南（试行） (NDRC 2011) 第三章 农业"
#: the province whose guideline region (中南区; N2O region IV) the cn_guideline rows are for
HUNAN = "430000"

# (reference id, parameter, category, item, gas, unit, note). Per-head factors are annual: kg/head
# means kg per head (annual average population) and year. The value, range, source table and
# confidence come from the reference row; ``unit`` is the unit of CONTRACTS §4a the value is in.
FROM_REFERENCE: list[tuple[str, str, str, str, str, str, str]] = [
    # enteric fermentation, Tier 1 (Table 10.10 developing countries; 10.11 Asia cattle)
    ("agriculture-0010", "ef", "3.A.1", "dairy_cattle", "CH4", "kg/head", "Table 10.11, Asia, dairy cows"),
    ("agriculture-0011", "ef", "3.A.1", "non_dairy_cattle", "CH4", "kg/head", "Table 10.11, Asia, other cattle"),
    ("agriculture-0001", "ef", "3.A.1", "buffalo", "CH4", "kg/head", "Table 10.10, developing countries"),
    ("agriculture-0002", "ef", "3.A.1", "sheep", "CH4", "kg/head", "Table 10.10, developing countries"),
    ("agriculture-0003", "ef", "3.A.1", "goats", "CH4", "kg/head", "Table 10.10, developing countries"),
    ("agriculture-0004", "ef", "3.A.1", "camels", "CH4", "kg/head", "Table 10.10, developing countries"),
    ("agriculture-0005", "ef", "3.A.1", "horses", "CH4", "kg/head", "Table 10.10, developing countries"),
    ("agriculture-0006", "ef", "3.A.1", "mules", "CH4", "kg/head", "Table 10.10, mules and asses"),
    ("agriculture-0006", "ef", "3.A.1", "donkeys", "CH4", "kg/head", "Table 10.10, mules and asses"),
    ("agriculture-0009", "ef", "3.A.1", "swine", "CH4", "kg/head", "Table 10.10"),
    # manure CH4, Tier 1: Asia at Shaoyang's annual mean temperature of about 17 °C (Table 10.14);
    # developing countries, temperate climate 15-25 °C (Table 10.15)
    ("agriculture-0014", "ef", "3.A.2", "dairy_cattle", "CH4", "kg/head", "Table 10.14, Asia, 17 °C"),
    ("agriculture-0020", "ef", "3.A.2", "non_dairy_cattle", "CH4", "kg/head", "Table 10.14, Asia, 17 °C"),
    ("agriculture-0025", "ef", "3.A.2", "sheep", "CH4", "kg/head", "Table 10.15, developing, temperate"),
    ("agriculture-0028", "ef", "3.A.2", "goats", "CH4", "kg/head", "Table 10.15, developing, temperate"),
    ("agriculture-0031", "ef", "3.A.2", "camels", "CH4", "kg/head", "Table 10.15, developing, temperate"),
    ("agriculture-0034", "ef", "3.A.2", "horses", "CH4", "kg/head", "Table 10.15, developing, temperate"),
    ("agriculture-0037", "ef", "3.A.2", "mules", "CH4", "kg/head", "Table 10.15, mules and asses, temperate"),
    ("agriculture-0037", "ef", "3.A.2", "donkeys", "CH4", "kg/head", "Table 10.15, mules and asses, temperate"),
    ("agriculture-0055", "ef", "3.A.2", "poultry", "CH4", "kg/head", "Table 10.15, poultry, temperate"),
    # direct N2O of manure management systems (Table 10.21)
    ("agriculture-0057", "EF3", "3.A.2", "daily_spread", "", "kg/kg", "kg N2O-N/kg N"),
    ("agriculture-0058", "EF3", "3.A.2", "solid_storage", "", "kg/kg", "kg N2O-N/kg N"),
    ("agriculture-0059", "EF3", "3.A.2", "dry_lot", "", "kg/kg", "kg N2O-N/kg N"),
    ("agriculture-0060", "EF3", "3.A.2", "liquid_slurry", "", "kg/kg",
     "kg N2O-N/kg N; with natural crust cover (0 without: supply a local row where slurry has no crust)"),
    ("agriculture-0063", "EF3", "3.A.2", "pit_storage", "", "kg/kg", "kg N2O-N/kg N; pit storage below animal "
                                                                     "confinements"),
    ("agriculture-0064", "EF3", "3.A.2", "anaerobic_digester", "", "kg/kg", "kg N2O-N/kg N"),
    # managed soils (Tables 11.1 and 11.3); EF4 and EF5 serve 3.C.5 and 3.C.6 alike (category 3.C)
    ("agriculture-0075", "EF1", "3.C.4", "*", "", "kg/kg", "kg N2O-N/kg N"),
    ("agriculture-0076", "EF1FR", "3.C.4", "*", "", "kg/kg", "kg N2O-N/kg N, flooded rice"),
    ("agriculture-0077", "EF3PRP", "3.C.4", "prp_n_cpp", "", "kg/kg", "kg N2O-N/kg N; cattle, poultry, pigs"),
    ("agriculture-0078", "EF4", "3.C", "*", "", "kg/kg", "kg N2O-N/kg N volatilised; 3.C.5 and 3.C.6"),
    ("agriculture-0079", "EF5", "3.C", "*", "", "kg/kg", "kg N2O-N/kg N leached; 3.C.5 and 3.C.6"),
    ("agriculture-0080", "Frac_GASF", "3.C.5", "*", "", "1", "kg N volatilised/kg N applied"),
    ("agriculture-0081", "Frac_GASM", "3.C.5", "*", "", "1", "kg N volatilised/kg N applied or deposited"),
    ("agriculture-0082", "Frac_LEACH", "3.C.5", "*", "", "1", "Frac_LEACH-(H), wet climate / irrigated"),
    # rice (Tables 5.11-5.14)
    ("agriculture-0083", "EFc", "3.C.7", "*", "", "kg/ha/d",
     "baseline: continuously flooded, no flooding < 180 d before, no organic amendment"),
    ("agriculture-0091", "SFw", "3.C.7", "*", "", "1",
     "aggregated case, irrigated (Table 5.12); a local row per season gives the water regime (continuously "
     "flooded 1, single aeration 0.60, multiple aeration 0.52, regular rainfed 0.28)"),
    ("agriculture-0096", "SFp", "3.C.7", "*", "", "1",
     "aggregated case, pre-season water regime unknown (Table 5.13); non-flooded < 180 d 1.00, > 180 d 0.68, "
     "flooded > 30 d 1.90"),
    ("agriculture-0097", "CFOA", "3.C.7", "straw_short", "", "1", "straw incorporated < 30 days before cultivation"),
    ("agriculture-0098", "CFOA", "3.C.7", "straw_long", "", "1", "straw incorporated > 30 days before cultivation"),
    ("agriculture-0099", "CFOA", "3.C.7", "compost", "", "1", ""),
    ("agriculture-0100", "CFOA", "3.C.7", "farmyard_manure", "", "1", ""),
    ("agriculture-0101", "CFOA", "3.C.7", "green_manure", "", "1", ""),
]

#: reference rows whose value was seen but whose region / temperature column was assigned from the
#: order of the EFDB export (the reference's own note): shipped as ``derived``
ORDER_ASSIGNED = {f"agriculture-{n:04d}" for n in range(12, 57)}

# the provincial guideline (中南区 / region IV rows; enteric: 农户散养, the common practice in Hunan)
FROM_GUIDELINE: list[tuple[str, str, str, str, str, str, str]] = [
    ("agriculture-0103", "ef", "3.A.1", "dairy_cattle", "CH4", "kg/head", "农户散养 household"),
    ("agriculture-0106", "ef", "3.A.1", "non_dairy_cattle", "CH4", "kg/head", "农户散养 household"),
    ("agriculture-0109", "ef", "3.A.1", "buffalo", "CH4", "kg/head", "农户散养 household"),
    ("agriculture-0111", "ef", "3.A.1", "sheep", "CH4", "kg/head", "农户散养 household"),
    ("agriculture-0114", "ef", "3.A.1", "goats", "CH4", "kg/head", "农户散养 household"),
    ("agriculture-0116", "ef", "3.A.1", "swine", "CH4", "kg/head", ""),
    ("agriculture-0117", "ef", "3.A.1", "horses", "CH4", "kg/head", ""),
    ("agriculture-0118", "ef", "3.A.1", "donkeys", "CH4", "kg/head", ""),
    ("agriculture-0119", "ef", "3.A.1", "mules", "CH4", "kg/head", ""),
    ("agriculture-0120", "ef", "3.A.1", "camels", "CH4", "kg/head", ""),
    ("agriculture-0121", "ef", "3.A.2", "dairy_cattle", "CH4", "kg/head", "中南区"),
    ("agriculture-0122", "ef", "3.A.2", "dairy_cattle", "N2O", "kg/head", "中南区"),
    ("agriculture-0123", "ef", "3.A.2", "non_dairy_cattle", "CH4", "kg/head", "中南区"),
    ("agriculture-0124", "ef", "3.A.2", "non_dairy_cattle", "N2O", "kg/head", "中南区"),
    ("agriculture-0125", "ef", "3.A.2", "buffalo", "CH4", "kg/head", "中南区"),
    ("agriculture-0126", "ef", "3.A.2", "buffalo", "N2O", "kg/head", "中南区"),
    ("agriculture-0127", "ef", "3.A.2", "sheep", "CH4", "kg/head", "中南区"),
    ("agriculture-0128", "ef", "3.A.2", "sheep", "N2O", "kg/head", "中南区"),
    ("agriculture-0129", "ef", "3.A.2", "goats", "CH4", "kg/head", "中南区"),
    ("agriculture-0130", "ef", "3.A.2", "goats", "N2O", "kg/head", "中南区"),
    ("agriculture-0131", "ef", "3.A.2", "swine", "CH4", "kg/head", "中南区"),
    ("agriculture-0132", "ef", "3.A.2", "swine", "N2O", "kg/head", "中南区"),
    ("agriculture-0133", "ef", "3.A.2", "poultry", "CH4", "kg/head", "中南区"),
    ("agriculture-0134", "ef", "3.A.2", "poultry", "N2O", "kg/head", "中南区"),
    ("agriculture-0135", "ef", "3.A.2", "horses", "CH4", "kg/head", "中南区"),
    ("agriculture-0136", "ef", "3.A.2", "horses", "N2O", "kg/head", "中南区"),
    ("agriculture-0137", "ef", "3.A.2", "mules", "CH4", "kg/head", "中南区, 驴/骡"),
    ("agriculture-0137", "ef", "3.A.2", "donkeys", "CH4", "kg/head", "中南区, 驴/骡"),
    ("agriculture-0138", "ef", "3.A.2", "mules", "N2O", "kg/head", "中南区, 驴/骡"),
    ("agriculture-0138", "ef", "3.A.2", "donkeys", "N2O", "kg/head", "中南区, 驴/骡"),
    ("agriculture-0139", "ef", "3.A.2", "camels", "CH4", "kg/head", "中南区"),
    ("agriculture-0140", "ef", "3.A.2", "camels", "N2O", "kg/head", "中南区"),
    ("agriculture-0143", "ef", "3.C.7", "single_rice", "CH4", "kg/ha", "中南区 seasonal factor"),
    ("agriculture-0148", "ef", "3.C.7", "early_rice", "CH4", "kg/ha", "中南区 seasonal factor"),
    ("agriculture-0151", "ef", "3.C.7", "late_rice", "CH4", "kg/ha", "中南区 seasonal factor"),
    ("agriculture-0156", "EF1", "3.C.4", "*", "", "kg/kg", "region IV (浙江 上海 江苏 安徽 江西 湖南 湖北 四川 重庆)"),
    ("agriculture-0159", "EF4", "3.C", "*", "", "kg/kg", "大气氮沉降"),
    ("agriculture-0160", "EF5", "3.C", "*", "", "kg/kg", "淋溶径流"),
]

# IPCC defaults not in the reference collection, recalled (memory): (id, parameter, category, item,
# value, unit, source table, note)
RECALLED: list[tuple[str, str, str, str, str, str, str, str]] = [
    ("agri-ipcc-urea", "EF_urea", "3.C.3", "urea", "0.20", "tC/t", "Vol.4 Ch.11 §11.4.2 (Eq. 11.13)",
     "carbon content of urea CO(NH2)2: 12/60 = 0.20"),
    ("agri-ipcc-limestone", "EF_liming", "3.C.2", "limestone", "0.12", "tC/t", "Vol.4 Ch.11 §11.3.2 (Eq. 11.12)",
     "carbon content of CaCO3: 12/100 = 0.12"),
    ("agri-ipcc-dolomite", "EF_liming", "3.C.2", "dolomite", "0.13", "tC/t", "Vol.4 Ch.11 §11.3.2 (Eq. 11.12)",
     "carbon content of CaMg(CO3)2: 24/184.4 = 0.13"),
    ("agri-ipcc-ef3prp-so", "EF3PRP", "3.C.4", "prp_n_so", "0.01", "kg/kg", "Vol.4 Table 11.1",
     "kg N2O-N/kg N; sheep and other animals"),
    ("agri-ipcc-nrate-dairy", "Nrate", "3.A.2", "dairy_cattle", "0.47", "kg/t/d", "Vol.4 Table 10.19 (Asia)",
     "kg N/(1000 kg animal mass·d)"),
    ("agri-ipcc-nrate-other-cattle", "Nrate", "3.A.2", "non_dairy_cattle", "0.34", "kg/t/d",
     "Vol.4 Table 10.19 (Asia)", "kg N/(1000 kg animal mass·d)"),
    ("agri-ipcc-nrate-buffalo", "Nrate", "3.A.2", "buffalo", "0.32", "kg/t/d", "Vol.4 Table 10.19 (Asia)",
     "kg N/(1000 kg animal mass·d)"),
    ("agri-ipcc-nrate-swine", "Nrate", "3.A.2", "swine", "0.50", "kg/t/d", "Vol.4 Table 10.19 (Asia)",
     "kg N/(1000 kg animal mass·d)"),
    ("agri-ipcc-nrate-sheep", "Nrate", "3.A.2", "sheep", "1.17", "kg/t/d", "Vol.4 Table 10.19 (Asia)",
     "kg N/(1000 kg animal mass·d)"),
    ("agri-ipcc-nrate-goats", "Nrate", "3.A.2", "goats", "1.37", "kg/t/d", "Vol.4 Table 10.19 (Asia)",
     "kg N/(1000 kg animal mass·d)"),
    ("agri-ipcc-nrate-poultry", "Nrate", "3.A.2", "poultry", "0.82", "kg/t/d", "Vol.4 Table 10.19 (Asia)",
     "kg N/(1000 kg animal mass·d)"),
    ("agri-ipcc-tam-dairy", "TAM", "3.A.2", "dairy_cattle", "350", "kg", "Vol.4 Table 10A-1 / 10.11 (Asia)",
     "typical animal mass"),
    ("agri-ipcc-tam-other-cattle", "TAM", "3.A.2", "non_dairy_cattle", "319", "kg",
     "Vol.4 Table 10A-2 / 10.11 (Asia)", "typical animal mass"),
    ("agri-ipcc-tam-swine", "TAM", "3.A.2", "swine", "28", "kg", "Vol.4 Table 10A-7 (Asia)", "typical animal mass"),
    ("agri-ipcc-tam-poultry", "TAM", "3.A.2", "poultry", "1.8", "kg", "Vol.4 Table 10A-9", "typical animal mass"),
    ("agri-ipcc-fracgasms-swine-liquid-slurry", "Frac_GasMS", "3.C.6", "swine.liquid_slurry", "0.48", "1",
     "Vol.4 Table 10.22", "N volatilised as NH3 and NOx / N managed"),
    ("agri-ipcc-fracgasms-swine-pit-storage", "Frac_GasMS", "3.C.6", "swine.pit_storage", "0.25", "1",
     "Vol.4 Table 10.22", "N volatilised as NH3 and NOx / N managed"),
    ("agri-ipcc-fracgasms-swine-solid-storage", "Frac_GasMS", "3.C.6", "swine.solid_storage", "0.45", "1",
     "Vol.4 Table 10.22", "N volatilised as NH3 and NOx / N managed"),
    ("agri-ipcc-fracgasms-dairy-cattle-daily-spread", "Frac_GasMS", "3.C.6", "dairy_cattle.daily_spread", "0.07", "1",
     "Vol.4 Table 10.22", "N volatilised as NH3 and NOx / N managed"),
    ("agri-ipcc-fracgasms-dairy-cattle-solid-storage", "Frac_GasMS", "3.C.6", "dairy_cattle.solid_storage", "0.30", "1",
     "Vol.4 Table 10.22", "N volatilised as NH3 and NOx / N managed"),
    ("agri-ipcc-fracgasms-dairy-cattle-dry-lot", "Frac_GasMS", "3.C.6", "dairy_cattle.dry_lot", "0.20", "1",
     "Vol.4 Table 10.22", "N volatilised as NH3 and NOx / N managed"),
    ("agri-ipcc-fracgasms-dairy-cattle-liquid-slurry", "Frac_GasMS", "3.C.6", "dairy_cattle.liquid_slurry", "0.40", "1",
     "Vol.4 Table 10.22", "N volatilised as NH3 and NOx / N managed"),
    ("agri-ipcc-fracgasms-dairy-cattle-pit-storage", "Frac_GasMS", "3.C.6", "dairy_cattle.pit_storage", "0.28", "1",
     "Vol.4 Table 10.22", "N volatilised as NH3 and NOx / N managed"),
    ("agri-ipcc-fracgasms-non-dairy-cattle-solid-storage", "Frac_GasMS", "3.C.6", "non_dairy_cattle.solid_storage",
     "0.45", "1",
     "Vol.4 Table 10.22", "N volatilised as NH3 and NOx / N managed"),
    ("agri-ipcc-fracgasms-non-dairy-cattle-dry-lot", "Frac_GasMS", "3.C.6", "non_dairy_cattle.dry_lot", "0.30", "1",
     "Vol.4 Table 10.22", "N volatilised as NH3 and NOx / N managed"),
    ("agri-ipcc-fracgasms-poultry-solid-storage", "Frac_GasMS", "3.C.6", "poultry.solid_storage", "0.40", "1",
     "Vol.4 Table 10.22", "N volatilised as NH3 and NOx / N managed; poultry manure with litter"),
]

# typical masses read from the live weights that label the verified Table 10.10 rows (derived)
TAM_FROM_LABELS: list[tuple[str, str, str]] = [
    ("agriculture-0001", "buffalo", "300"), ("agriculture-0002", "sheep", "45"), ("agriculture-0003", "goats", "40"),
]


def _number(text: str) -> str:
    value = float(text)
    return f"{value:g}" if abs(value) >= 1e-4 or value == 0 else repr(value)


def _range(row: dict) -> str:
    low, high = row["value_min"].strip(), row["value_max"].strip()
    return f"{_number(low)}..{_number(high)}" if low and high else ""


def build(reference_dir: Path) -> str:
    with (reference_dir / "agriculture.csv").open(encoding="utf-8", newline="") as handle:
        reference = {row["id"]: row for row in csv.DictReader(handle)}
    rows: list[dict[str, str]] = []
    used_ids: dict[str, int] = {}

    def unique(base: str, item: str, gas: str) -> str:
        used_ids[base] = used_ids.get(base, 0) + 1
        return base if used_ids[base] == 1 else f"{base}:{item}" + (f":{gas}" if gas else "")

    for table, factor_set in ((FROM_REFERENCE, "ipcc2006"), (FROM_GUIDELINE, "cn_guideline")):
        for ref_id, parameter, category, item, gas, unit, note in table:
            ref = reference[ref_id]
            confidence = ref["confidence"]
            if ref_id in ORDER_ASSIGNED:
                confidence = "derived"
                note = (note + "; " if note else "") + ("value seen in the EFDB export; its region/temperature "
                                                        "column assigned from row order (reference note): check "
                                                        "against the table")
            ipcc = factor_set == "ipcc2006"
            rows.append({
                "id": ref_id, "parameter": parameter, "category": category, "item": item, "gas": gas,
                "value": _number(ref["value"]), "unit": unit, "region": "*" if ipcc else HUNAN,
                "year_from": "", "year_to": "", "source": IPCC if ipcc else GUIDELINE,
                "source_table": _table(ref["source_table"]) if ipcc else ref["source_table"] or "",
                "confidence": confidence, "uncertainty": _range(ref), "factor_set": factor_set,
                "note": "; ".join(p for p in (note, ref["item_zh"], ref["notes"]) if p),
            })
    for ref_id, item, value in TAM_FROM_LABELS:
        ref = reference[ref_id]
        rows.append({"id": f"derived-tam-{item}", "parameter": "TAM", "category": "3.A.2", "item": item, "gas": "",
                     "value": value, "unit": "kg", "region": "*", "year_from": "", "year_to": "", "source": IPCC,
                     "source_table": "Vol.4 Table 10.10 (live weight of the Tier 1 factor)", "confidence": "derived",
                     "uncertainty": "", "factor_set": "ipcc2006",
                     "note": f"live weight in the label of {ref_id} ({ref['item']})"})
    for factor_id, parameter, category, item, value, unit, source_table, note in RECALLED:
        rows.append({"id": factor_id, "parameter": parameter, "category": category, "item": item, "gas": "",
                     "value": value, "unit": unit, "region": "*", "year_from": "", "year_to": "", "source": IPCC,
                     "source_table": source_table, "confidence": "memory", "uncertainty": "",
                     "factor_set": "ipcc2006",
                     "note": note + "; not in the reference collection: recalled, check against the table"})
    for row in rows:
        row["id"] = unique(row["id"], row["item"], row["gas"])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _table(text: str) -> str:
    """``Volume 4, Table 10.10 - …`` → ``Vol.4 Table 10.10``."""
    for part in text.split(","):
        part = part.strip()
        if part.startswith("Table") or part.startswith("Volume 4, Table"):
            return "Vol.4 " + part.split(" - ")[0].replace("Volume 4, ", "")
    marker = text.find("Table ")
    return "Vol.4 " + text[marker:].split(" - ")[0].split(" (")[0] if marker >= 0 else text


def main(argv: list[str] | None = None) -> int:
    return factor_build.main(argv, __doc__, OUT_NAME, build)


if __name__ == "__main__":
    sys.exit(main())
