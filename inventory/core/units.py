"""Units: one pint registry for the whole workbench, with Chinese statistical units.

Chinese energy and agricultural statistics report quantities in units such as 万吨 (10^4 t),
万立方米 (10^4 m^3), 万千瓦时 (10^4 kWh), 吨标准煤 (tonne of standard coal equivalent), 万头
(10^4 head) and 亩 (1/15 ha). They are first-class here: every unit string in an activity or
factor file is parsed by :func:`parse_unit`, which accepts them next to the usual SI/pint strings.

Calories: Chinese energy statistics (GB/T 2589) count in the international-table calorie,
1 cal = 4.1868 J, so 1 kcal (大卡, 千卡) = 4.1868 kJ. pint's own ``calorie`` (and so ``kcal``) is the
thermochemical calorie, 4.184 J — 0.07 % less; here every calorie is the international one, and the
thermochemical calorie is there only by its own names (``thermochemical_calorie``, ``cal_th``).

Standard coal: 1 kgce = 7000 kcal = 7000 × 4.1868 kJ = 29 307.6 kJ (GB/T 2589-2020), so
1 tce = 29.3076 GJ.

:func:`suggest_unit` turns a unit string typed the common wrong way (``万m3``, ``m3``, ``万kWh``,
``吨标煤``, ``万屯``) into the one it meant, for error messages.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
import unicodedata

import pint

__all__ = ["ureg", "parse_unit", "conversion_factor", "same_dimension", "suggest_unit", "display_unit", "UnitError",
           "UnitMagnitudeError", "unit_magnitude_message"]

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
    # the international-table calorie of GB/T 2589 (pint's default is the thermochemical 4.184 J):
    # cal, kcal, Mcal, Gcal, kilocalorie ... all 4.1868 J per calorie; the thermochemical calorie
    # keeps its own names, and the units pint derives from it are redefined on it
    "calorie = 4.1868 J = cal",
    "thermochemical_calorie = 4.184 J = cal_th",
    "ton_TNT = 1e9 * thermochemical_calorie = tTNT",
    "thermochemical_british_thermal_unit = 1e3 * pound / kilogram * degR / kelvin * thermochemical_calorie = Btu_th",
    "clausius = thermochemical_calorie / kelvin = Cl",
    "entropy_unit = thermochemical_calorie / kelvin / mole = eu",
    "大卡 = kcal",
    "千卡 = kcal",
    "卡 = cal",
    "百万千卡 = Gcal",
    "吉卡 = Gcal",
    # standard coal equivalent, GB/T 2589-2020: 1 kgce = 7000 kcal = 29 307.6 kJ
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


class UnitMagnitudeError(UnitError):
    """A unit string that reads, but whose number is not a positive finite one (``-1 t``, ``0 t``,
    ``1e-400 t``): a unit scales a value, it never turns its sign or makes it zero. ``magnitude`` is the
    number."""

    def __init__(self, text: str, magnitude: float):
        super().__init__(f"unit {text!r} has the number {magnitude:g}: the number in a unit must be positive "
                         "and finite")
        self.text, self.magnitude = text, magnitude


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
    UnitMagnitudeError
        The unit's number is zero, negative or not finite (``-1 t``, ``0 GJ/t``).
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
    magnitude = float(parsed.magnitude)
    if not (math.isfinite(magnitude) and magnitude > 0):
        raise UnitMagnitudeError(text, magnitude)
    return parsed


def unit_magnitude_message(error: UnitMagnitudeError) -> str:
    """A unit whose number is not positive, in Chinese and English, with the unit meant."""
    text, magnitude = error.text, error.magnitude
    rest = re.sub(r"^\s*[-+]?[\d.]+(?:e[-+]?\d+)?\s*\*?\s*", "", text.strip())
    zh = en = ""
    if rest and rest != text.strip():
        zh = f"——单位填 {rest}，数值的正负写在 value 列"
        en = f" — write the unit {rest}; a sign belongs in the value column"
    return (f"单位“{text}”中的数 {magnitude:g} 不是正数：单位只能放大或缩小数值，不能改变正负或变为零{zh} / "
            f"unit {text!r} has the number {magnitude:g}: the number in a unit must be positive{en}")


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


#: unit strings that pint reads, but not as a statistician means them: in activity data they are
#: refused with the unit they almost surely stand for (``mWh`` is a milliwatt-hour, ``mt`` a millitonne)
LOOKALIKES = {
    "mWh": ("MWh", "毫瓦时", "milliwatt-hour"),
    "mt": ("t", "毫吨（= 1 千克）", "millitonne (= 1 kg)"),
}

#: unit strings typed the common wrong way → the unit meant (keys compared without case and spaces)
MISSPELLINGS = {
    "m3": "m^3", "nm^3": "Nm3", "km3": "10^3 m^3",
    "万m3": "万立方米", "万m^3": "万立方米", "万nm3": "万立方米", "万nm^3": "万立方米", "万方": "万立方米",
    "万立方": "万立方米", "亿m3": "亿立方米", "亿m^3": "亿立方米", "亿nm3": "亿立方米", "亿方": "亿立方米",
    "亿立方": "亿立方米", "方": "立方米", "立方": "立方米", "立米": "立方米", "标方": "Nm3", "标准立方米": "Nm3",
    "万kwh": "万千瓦时", "万kw.h": "万千瓦时", "万千瓦小时": "万千瓦时", "万度": "万千瓦时", "万度电": "万千瓦时",
    "亿kwh": "亿千瓦时", "亿kw.h": "亿千瓦时", "亿千瓦小时": "亿千瓦时", "亿度": "亿千瓦时", "千瓦小时": "千瓦时",
    "度电": "千瓦时", "kw.h": "kWh", "mw.h": "MWh", "gw.h": "GWh",
    "吨标煤": "吨标准煤", "万吨标煤": "万吨标准煤", "t标煤": "吨标准煤", "t标准煤": "吨标准煤", "万t标煤": "万吨标准煤",
    "万tce": "万吨标准煤", "标煤": "吨标准煤", "标准煤": "吨标准煤", "吨标准煤当量": "吨标准煤",
    "千克标煤": "kgce", "千克标准煤": "kgce", "公斤标煤": "kgce", "公斤标准煤": "kgce", "kg标煤": "kgce",
    "kg标准煤": "kgce", "克标煤": "gce", "克标准煤": "gce",
    "万t": "万吨", "千t": "千吨", "亿t": "亿吨", "公吨": "吨", "万公吨": "万吨", "tonne": "t", "tonnes": "t",
    "tons": "t", "ton": "t",
    "万gj": "万吉焦", "兆焦": "MJ", "兆焦耳": "MJ", "千焦耳": "千焦", "吉焦耳": "吉焦", "百万焦": "MJ",
    "万元人民币": "万元", "亿元人民币": "亿元", "元人民币": "元", "人民币": "元", "rmb": "CNY", "万rmb": "万元",
    "万公顷": "10^4 ha", "平方公里": "km^2", "平方千米": "km^2", "km2": "km^2", "平方米": "m^2", "m2": "m^2",
    "万头（只）": "万头", "头（只）": "头", "万口": "万人", "口": "人",
}
#: a wrong character that sounds like the right one (万屯 for 万吨)
_HOMOPHONES = {"屯": "吨", "砘": "吨", "顿": "吨", "仟": "千"}
#: units a clerk may mean, for case-insensitive and close matches
_COMMON = ["t", "kt", "Mt", "kg", "m^3", "Nm3", "kWh", "MWh", "GWh", "kJ", "MJ", "GJ", "TJ", "tce", "kgce", "ha",
           "head", "person", "CNY", "toe", "kcal", "Gcal"]
_CHINESE = [d.split("=")[0].strip() for d in _DEFINITIONS if not d.split("=")[0].strip().isascii()]
_SCALES = {"万": "10^4", "亿": "10^8", "千": "10^3", "百万": "10^6"}


def _parses(text: str) -> pint.Quantity | None:
    try:
        return parse_unit(text)
    except UnitError:
        return None


@functools.lru_cache(maxsize=1024)
def suggest_unit(text: str, wanted: str = "") -> str | None:
    """The unit a clerk most likely meant by an unreadable ``text`` (``万m3`` → ``万立方米``), or None.

    Candidates come from :data:`MISSPELLINGS`, case (``kwh`` → ``kWh``), ``m3`` → ``m^3``, a sound-alike
    character (``万屯`` → ``万吨``), ``万``/``亿`` before a unit pint reads (``万MWh`` → ``10^4 MWh``) and close
    matches among the accepted units; each one must parse. With ``wanted`` (the canonical unit of the
    record), a candidate of its dimension is preferred.
    """
    raw = text.strip().replace("³", "^3").replace("²", "^2")
    normal = unicodedata.normalize("NFKC", raw)
    for dot in ("·", "・", "•", "∙"):
        normal = normal.replace(dot, ".")
    squeezed = re.sub(r"\s+", "", normal)
    key = squeezed.casefold()
    candidates = []
    table = {k.casefold(): v for k, v in MISSPELLINGS.items()}
    if key in table:
        candidates.append(table[key])
    if key.replace(".", "") in table:
        candidates.append(table[key.replace(".", "")])
    candidates.append(squeezed.replace(".", "") if re.fullmatch(r"[A-Za-z]+\.[A-Za-z]+", squeezed) else squeezed)
    known = {u.casefold(): u for u in _COMMON + _CHINESE}
    if key in known:
        candidates.append(known[key])
    candidates.append(re.sub(r"(?<=[A-Za-z])([23])(?![\d^])", r"^\1", normal))
    candidates.append("".join(_HOMOPHONES.get(c, c) for c in squeezed))
    for scale, power in _SCALES.items():
        rest = squeezed[len(scale):]
        if squeezed.startswith(scale) and rest:
            fixed = known.get(rest.casefold(), rest)
            if _parses(fixed) is not None:
                candidates.append(f"{scale}{fixed}" if f"{scale}{fixed}" in _CHINESE else f"{power} {fixed}")
    candidates += difflib.get_close_matches(squeezed, _CHINESE if not squeezed.isascii() else _COMMON, n=3,
                                            cutoff=0.6)
    found = []
    for candidate in candidates:
        parsed = _parses(candidate) if candidate and candidate != text.strip() else None
        if parsed is not None and candidate not in found:
            found.append(candidate)
    if wanted and found:
        dimension = parse_unit(wanted).dimensionality
        matching = [c for c in found if parse_unit(c).dimensionality == dimension]
        found = matching or found
    return found[0] if found else None


#: the kinds of quantity activity data comes in, by dimension: (Chinese, English, units to write)
_DIMENSIONS = [
    ("t", "质量", "mass", "吨、万吨、t"),
    ("m^3", "体积", "volume", "立方米、万立方米、m^3"),
    ("GJ", "能量", "energy", "千瓦时、万千瓦时、吉焦、GJ"),
    ("ha", "面积", "area", "公顷、亩、ha"),
    ("head", "头数", "head count", "头、万头、只"),
    ("person", "人数", "persons", "人、万人"),
    ("CNY", "货币", "money", "元、万元、亿元"),
    ("", "无量纲", "dimensionless", "1、%"),
]


def dimension_name(unit: str) -> tuple[str, str, str]:
    """The kind of quantity ``unit`` measures: (Chinese name, English name, units of that kind to write)."""
    dimensionality = parse_unit(unit).dimensionality
    for example, zh, en, units in _DIMENSIONS:
        if parse_unit(example).dimensionality == dimensionality:
            return zh, en, units
    return str(dimensionality), str(dimensionality), unit


#: a whole unit as Chinese tables write it (keys: the unit as :func:`_display_key` spells it)
_DISPLAY_ZH = {
    "t": "吨", "10^3 t": "千吨", "10^4 t": "万吨", "10^8 t": "亿吨", "kg": "千克",
    "m^3": "立方米", "Nm3": "标准立方米", "10^4 m^3": "万立方米", "10^8 m^3": "亿立方米",
    "kWh": "千瓦时", "10^4 kWh": "万千瓦时", "10 MWh": "万千瓦时", "10^8 kWh": "亿千瓦时",
    "tce": "吨标准煤", "10^4 tce": "万吨标准煤", "kgce": "千克标准煤",
    "ha": "公顷", "10^4 ha": "万公顷", "head": "头", "10^4 head": "万头", "person": "人", "10^4 person": "万人",
    "CNY": "元", "10^4 CNY": "万元", "10^8 CNY": "亿元", "yr": "年", "d": "天",
}
#: a symbol inside a compound unit or an English table (pint's long names → the symbol people write)
_SYMBOLS = {
    "meter": "m", "metre": "m", "kilometer": "km", "tonne": "t", "metric_ton": "t", "kilogram": "kg", "gram": "g",
    "hectare": "ha", "kilowatt_hour": "kWh", "megawatt_hour": "MWh", "gigawatt_hour": "GWh", "joule": "J",
    "kilojoule": "kJ", "megajoule": "MJ", "gigajoule": "GJ", "terajoule": "TJ", "year": "yr", "a": "yr",
    "day": "d", "hd": "head", "capita": "person", "yuan": "CNY", "dimensionless": "1",
}
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_TOKEN = re.compile(r"[A-Za-z_]+")


def _display_key(unit: str) -> str:
    """``unit`` in one spelling: pint's long names as symbols, ``**`` as ``^``, ``10000 *`` / ``1e4`` as
    ``10^4``, single spaces (``meter ** 3`` → ``m^3``, ``10000 * t`` → ``10^4 t``)."""
    text = re.sub(r"\s*\*\*\s*", "^", unit.strip())
    text = _TOKEN.sub(lambda m: _SYMBOLS.get(m.group(0), m.group(0)), text)
    text = re.sub(r"^(?:10000|1e4|1e\+04|1\.0e4|10\^4)\s*\*?\s*", "10^4 ", text)
    text = re.sub(r"^(?:100000000|1e8|1e\+08|10\^8)\s*\*?\s*", "10^8 ", text)
    text = re.sub(r"^(?:1000|1e3|1e\+03|10\^3)\s*\*?\s*", "10^3 ", text)
    text = re.sub(r"^10\s*\*\s*", "10 ", text)
    text = re.sub(r"\s*\*\s*", "·", text)
    return re.sub(r"\s+", " ", text).strip()


def _symbols(key: str) -> str:
    """A unit key (:func:`_display_key`) in symbols: powers as superscripts, ``a/b/c`` as ``a/(b·c)``
    (``kg/t/d`` → ``kg/(t·d)``, ``m^3`` → ``m³``, ``10^4 t`` → ``10⁴ t``)."""
    text = re.sub(r"\^(-?\d+)", lambda m: m.group(1).translate(_SUPERSCRIPT), key)
    parts = text.split("/")
    if len(parts) > 2:
        text = parts[0] + "/(" + "·".join(parts[1:]) + ")"
    return text


@functools.lru_cache(maxsize=1024)
def display_unit(unit: str, lang: str = "zh") -> str:
    """A unit string as people write it in a table (never used to compute: :func:`parse_unit` reads units).

    Parameters
    ----------
    unit : str
        A unit as the workbench stores it (``t``, ``m^3``, ``t/TJ``, ``kg/t/d``) or as pint prints it
        (``meter ** 3``, ``10000 * t``, ``hectare``).
    lang : str
        ``zh``: a whole unit Chinese statistics name is written in Chinese (``t`` → 吨, ``10000 * t`` →
        万吨, ``m^3`` → 立方米, ``10 MWh`` → 万千瓦时, ``ha`` → 公顷, ``head`` → 头, ``tce`` → 吨标准煤);
        ``en`` and every compound unit: symbols (``m³``, ``10⁴ t``, ``kJ/m³``, ``t/(ha·yr)``).

    Returns
    -------
    str
        ``—`` for a dimensionless unit (``1``, ``fraction``), the empty string for none; a string it
        does not know is returned as it came.
    """
    text = str(unit).strip()
    if not text:
        return ""
    key = _display_key(text)
    if key in ("1", "fraction", "-"):
        return "—"
    if lang == "zh" and key in _DISPLAY_ZH:
        return _DISPLAY_ZH[key]
    return _symbols(key)
