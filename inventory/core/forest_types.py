"""The forest (or land) type of a LULUCF stratum, as carbon-sink reports and the provincial reporting
tables name it (乔木林, 竹林, 经济林, 灌木林 …, 新造林, 森林转化).

Kept in ``core`` so that both the LULUCF sector's report (:mod:`inventory.sectors.lulucf.compilation`)
and the reporting tables (:mod:`inventory.present.reporting_tables`) label a row the same way.
"""

from __future__ import annotations

__all__ = ["FOREST_TYPES", "forest_type"]

#: the stratum's item (before any ``.species``) → (Chinese, English) name of its forest type
FOREST_TYPES = {
    "arbor_forest": ("乔木林", "Arbor forest"), "bamboo": ("竹林", "Bamboo forest"),
    "economic_forest": ("经济林", "Economic forest"), "shrub_forest": ("灌木林", "Shrub forest"),
    "open_forest": ("疏林", "Open forest"), "scattered_trees": ("散生木、四旁树", "Scattered and four-side trees"),
}


def forest_type(category: str, item: str, lang: str = "zh") -> str:
    """The forest (or land) type of a stratum as a carbon-sink report names it: 乔木林, 竹林 … for
    3.B.1.a; 新造林 (afforestation) for 3.B.1.b; 森林转化 (deforestation) for forest converted to other
    land; 多年生木本作物 for orchards and tea on cropland (3.B.2.a); 城市树木 for urban trees (3.B.5.a);
    其他土地转化 for land other than forest converted (3.B.2.b–3.B.5.b)."""
    if category.startswith("3.B.1.b"):
        return "新造林" if lang == "zh" else "Afforestation"
    if not category.startswith("3.B.1"):
        if item.startswith("arbor_forest"):
            zh, en = "森林转化", "Deforestation"
        elif category.startswith("3.B.2.a"):
            zh, en = "多年生木本作物（园地）", "Perennial woody crops"
        elif category.startswith("3.B.5.a"):
            zh, en = "城市树木", "Urban trees"
        else:
            zh, en = "其他土地转化", "Land converted (not forest)"
        return zh if lang == "zh" else en
    zh, en = FOREST_TYPES.get(item.split(".", 1)[0], (item, item))
    return zh if lang == "zh" else en
