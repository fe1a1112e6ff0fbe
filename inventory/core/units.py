"""Units: one pint registry for the whole workbench, with Chinese statistical units.

Chinese energy and agricultural statistics report quantities in units such as 万吨 (10^4 t),
万立方米 (10^4 m^3), 万千瓦时 (10^4 kWh), 吨标准煤 (tonne of standard coal equivalent), 万头
(10^4 head) and 亩 (1/15 ha). They are first-class here: every unit string in an activity or
factor file is parsed by :func:`parse_unit`, which accepts them next to the usual SI/pint strings.

Standard coal: 1 kgce = 7000 kcal (thermochemical calorie... in Chinese statistics the 20 °C
calorie, 4.1868 J is *not* used; GB/T 2589-2020 defines 1 kgce = 29 307.6 kJ), so
1 tce = 29.3076 GJ.
"""

from __future__ import annotations

import functools
import re

import pint

__all__ = ["ureg", "parse_unit", "conversion_factor", "same_dimension", "UnitError"]

ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True, on_redefinition="ignore")
ureg.formatter.default_format = "~"

_DEFINITIONS = [
    # pint reads "kt" as knot and "Mt" as a megatonne only by accident of prefixes: mass here
    "kt = 1e3 t",
    "Mt = 1e6 t",
    # counts of living and other things are their own dimensions: a head is not a person
    "head = [livestock] = hd",
    "person = [population] = capita",
    "CNY = [currency] = yuan",
    # standard coal equivalent, GB/T 2589-2020: 1 kgce = 29 307.6 kJ
    "kgce = 29307.6 kJ",
    "tce = 1000 kgce",
    "gce = 0.001 kgce",
    # normal cubic metre: statistics quote gas volumes at reference conditions
    "Nm3 = m ** 3",
    # Chinese statistical units (CONTRACTS §3)
    "吨 = t",
    "千吨 = 1e3 t",
    "万吨 = 1e4 t",
    "亿吨 = 1e8 t",
    "千克 = kg",
    "公斤 = kg",
    "立方米 = m ** 3",
    "万立方米 = 1e4 m ** 3",
    "亿立方米 = 1e8 m ** 3",
    "千瓦时 = kWh",
    "度 = kWh",
    "万千瓦时 = 1e4 kWh",
    "亿千瓦时 = 1e8 kWh",
    "吨标准煤 = tce",
    "万吨标准煤 = 1e4 tce",
    "千焦 = kJ",
    "吉焦 = GJ",
    "百万千焦 = GJ",
    "万吉焦 = 1e4 GJ",
    "头 = head",
    "万头 = 1e4 head",
    "只 = head",
    "万只 = 1e4 head",
    "羽 = head",
    "万羽 = 1e4 head",
    "公顷 = ha",
    "千公顷 = 1e3 ha",
    "亩 = ha / 15",
    "万亩 = 1e4 亩",
    "元 = CNY",
    "万元 = 1e4 CNY",
    "亿元 = 1e8 CNY",
    "株 = 1",
    "万株 = 1e4",
    "人 = person",
    "万人 = 1e4 person",
]
for _definition in _DEFINITIONS:
    ureg.define(_definition)

# "tC/TJ", "tCO2/MWh", "kg CO2e/kg": the chemical label after a mass unit names what is weighed;
# it carries no dimension of its own, so it is removed before parsing.
_GAS_LABEL = re.compile(r"(?<=[a-zA-Z])\s*(?:CO2e|CO2-eq|CO2|CH4|N2O|C)(?![a-zA-Z0-9])")
_POWER_OF_TEN = re.compile(r"10\s*\^\s*(-?\d+)")
_ALLOWED = re.compile(r"^[\w\s^*/().%-]+$")


class UnitError(ValueError):
    """A unit string that cannot be read."""


@functools.lru_cache(maxsize=4096)
def parse_unit(text: str) -> pint.Quantity:
    """Read a unit string into a pint quantity of magnitude 1 or a scaled unit.

    Parameters
    ----------
    text : str
        ``"t"``, ``"万吨"``, ``"kJ/kg"``, ``"GJ/(10^4 m^3)"``, ``"tC/TJ"``, ``"%"``; empty or ``"1"``
        means dimensionless.

    Returns
    -------
    pint.Quantity
        The unit as a quantity (``10^4 m^3`` keeps its factor 10 000).

    Raises
    ------
    UnitError
        The string names no known unit.
    """
    cleaned = text.strip().replace("³", "^3").replace("²", "^2")
    if cleaned in ("", "1", "-", "fraction"):
        return ureg.Quantity(1.0, "dimensionless")
    if cleaned == "%":
        return ureg.Quantity(0.01, "dimensionless")
    if not _ALLOWED.match(cleaned):
        raise UnitError(f"unknown unit {text!r}")
    cleaned = _GAS_LABEL.sub("", cleaned)
    cleaned = _POWER_OF_TEN.sub(lambda m: f"(10**{m.group(1)})", cleaned)
    try:
        parsed = ureg.parse_expression(cleaned)
    except Exception as exc:  # pint raises several exception types for bad strings
        raise UnitError(f"unknown unit {text!r}") from exc
    if not isinstance(parsed, pint.Quantity) or parsed.dimensionless and parsed.magnitude != 1:
        # a bare number such as "1000" is not a unit
        raise UnitError(f"unknown unit {text!r}")
    return parsed


def conversion_factor(from_unit: str, to_unit: str) -> float:
    """Multiplier turning a magnitude in ``from_unit`` into one in ``to_unit``.

    Raises
    ------
    UnitError
        Either string is unreadable or the two are of different dimensions.
    """
    source = parse_unit(from_unit)
    target = parse_unit(to_unit)
    try:
        return float((source / target).to("dimensionless").magnitude)
    except pint.DimensionalityError as exc:
        raise UnitError(
            f"unit {from_unit!r} ({source.dimensionality}) cannot be converted to {to_unit!r} "
            f"({target.dimensionality})"
        ) from exc


def same_dimension(unit_a: str, unit_b: str) -> bool:
    """Whether two unit strings measure the same kind of quantity."""
    return parse_unit(unit_a).dimensionality == parse_unit(unit_b).dimensionality
