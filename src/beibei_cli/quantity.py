"""Figures as quantities: Chinese units, qualifiers, kinds, amounts and English.

One table of units (``UNITS`` and ``MULTIPLIERS``) turns a figure's ``value``
and ``unit`` as the article writes them (6, 亿元) into an ``amount`` in base
units (600000000, 元); one table of qualifiers (``QUALIFIERS``) gives each
qualifying word (超过, 以上, 余, 约, 近, ...) a machine meaning and its English;
``KINDS`` is the taxonomy of what a figure measures, in the order listings
group them. Nothing here imports more than the standard library's ``decimal``,
and only when an amount is computed.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from decimal import Decimal

# Measure words that count things as they stand (3所, 12人, 5项): each its own base unit.
COUNTERS = ("人", "人次", "名", "位", "项", "所", "条", "座", "处", "件", "次", "辆", "套", "台", "种", "场", "部", "支", "只", "头", "间", "篇", "张", "枚", "宗")  # fmt: skip

# What a figure measures -> (what it is, the base units it may be stated in).
# The order is the order `metrics --sort value` groups kinds in.
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "money": ("an amount of money", ("元",)),
    "count": (
        "a number of things (firms, households, buildings, villages, people, ...)",
        ("家", "户", "个", "栋", *COUNTERS),
    ),
    "share": ("a part of a whole, in per cent (coverage, a share of GDP, ...)", ("%",)),
    "rate-of-change": ("growth or decline over a period, in per cent (同比增长; 下降 is negative)", ("%", "个百分点")),
    "multiple": ("how many times over something grew (增长10余倍)", ("倍",)),
    "intensity": ("a ratio of an input to the economy, in per cent (R&D intensity)", ("%",)),
    "area-per-person": ("an area per inhabitant (人均 ... 平方米)", ("平方米",)),
    "duration": ("a span of time, in months (or days, hours, minutes)", ("月", "天", "小时", "分钟")),
    "area": ("an area (land, floor space)", ("平方米", "亩")),
    "length": ("a length (roads, rivers, lines)", ("米",)),
    "mass": ("a weight (tonnes)", ("吨",)),
    "energy": ("an amount of energy or power", ("千瓦时", "千瓦")),
}

# A unit as the article writes it -> (base unit, factor, English for the base unit).
UNITS: dict[str, tuple[str, int, str]] = {
    "元": ("元", 1, "yuan"),
    "户": ("户", 1, "households"),
    "家": ("家", 1, "firms"),
    "个": ("个", 1, ""),
    "栋": ("栋", 1, "buildings"),
    "平方米": ("平方米", 1, "square metres"),
    "%": ("%", 1, "%"),
    "倍": ("倍", 1, "times"),
    "个月": ("月", 1, "months"),
    "月": ("月", 1, "months"),
    "年": ("月", 12, "years"),
    "天": ("天", 1, "days"),
    "小时": ("小时", 1, "hours"),
    "分钟": ("分钟", 1, "minutes"),
    "个百分点": ("个百分点", 1, "percentage points"),
    "公顷": ("平方米", 10000, "square metres"),
    "平方公里": ("平方米", 1000000, "square metres"),
    "亩": ("亩", 1, "mu"),
    "米": ("米", 1, "metres"),
    "公里": ("米", 1000, "metres"),
    "千米": ("米", 1000, "metres"),
    "吨": ("吨", 1, "tonnes"),
    "千瓦": ("千瓦", 1, "kilowatts"),
    "千瓦时": ("千瓦时", 1, "kilowatt-hours"),
    **{word: (word, 1, "") for word in COUNTERS if word not in ("人", "人次")},
    "人": ("人", 1, "people"),
    "人次": ("人次", 1, "person-times"),
}

# Chinese multipliers that may precede a unit of the table (万户, 亿元) or stand alone (8.63万).
MULTIPLIERS: dict[str, int] = {"万亿": 10**12, "亿": 10**8, "千万": 10**7, "百万": 10**6, "万": 10**4}

# A qualifying word -> (where the article puts it, its meaning, its English).
# prefix: 超过6亿元; infix: 10余倍 (between the number and the unit); suffix: 2000万元以上.
QUALIFIERS: dict[str, tuple[str, str, str]] = {
    "超过": ("prefix", "more-than", "over"),
    "逾": ("prefix", "more-than", "over"),
    "余": ("infix", "more-than", "more than"),
    "多": ("infix", "more-than", "more than"),
    "以上": ("suffix", "at-least", "at least"),
    "约": ("prefix", "about", "about"),
    "左右": ("suffix", "about", "about"),
    "近": ("prefix", "nearly", "nearly"),
    "不到": ("prefix", "less-than", "less than"),
    "不足": ("prefix", "less-than", "less than"),
    "不超过": ("prefix", "at-most", "at most"),
    "以下": ("suffix", "at-most", "at most"),
}

# The machine meanings, for the schema and its documentation.
MEANINGS = ("more-than", "at-least", "about", "nearly", "less-than", "at-most")


class QuantityError(ValueError):
    """A unit, qualifier or figure text that the tables cannot read."""


def split_unit(unit: str | None) -> tuple[int, str, str, str]:
    """``亿元`` -> (10**8, "元", base unit, English of the base); ``None`` is a bare number."""
    if unit is None or unit == "":
        return 1, "", "", ""
    if unit in UNITS:
        base, factor, english = UNITS[unit]
        return factor, unit, base, english
    for prefix, mult in MULTIPLIERS.items():
        if unit.startswith(prefix):
            rest = unit[len(prefix) :]
            if rest == "":
                return mult, "", "", ""
            if rest in UNITS:
                base, factor, english = UNITS[rest]
                return mult * factor, rest, base, english
    raise QuantityError(f"unknown unit {unit!r}; known: {', '.join(known_units())}")


def known_units() -> list[str]:
    return list(UNITS) + [m + u for m in MULTIPLIERS for u in ("", "元", "户")]


def base_unit(unit: str | None) -> str:
    return split_unit(unit)[2]


def _decimal(value: float | int) -> Decimal:
    from decimal import Decimal

    return Decimal(str(value))


def amount(value: float | int, unit: str | None) -> int | float:
    """The value in base units: ``amount(6, "亿元") == 600000000``; whole amounts are ints."""
    factor = split_unit(unit)[0]
    exact = _decimal(value) * factor
    return int(exact) if exact == exact.to_integral_value() else float(exact)


def parse_amount(text: str, kind: str | None = None) -> int | float:
    """A bound typed by a user: ``1e8``, ``86300``, ``1,000``, ``1亿``, ``2000万元``, ``8.63万户`` -> base units.

    Full-width digits and commas (１，０００) read as their ASCII forms; commas must
    group thousands. With ``kind``, a unit must be one that kind is stated in (no 元 for a count).
    """
    import re
    import unicodedata
    from decimal import Decimal, InvalidOperation

    typed = unicodedata.normalize("NFKC", text)
    match = re.fullmatch(r"\s*([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*(\S*)\s*", typed)
    if not match:
        if re.match(r"\s*[+-]?[\d,]*,", typed):
            raise QuantityError(f"commas must group thousands (1,000 or 1000), got {text!r}")
        raise QuantityError(f"expected a number, optionally with a unit (1e8, 1亿, 2000万元, 1,000), got {text!r}")
    number, unit = match.groups()
    if unit.startswith((",", ".")):
        raise QuantityError(f"commas must group thousands (1,000 or 1000), got {text!r}")
    try:
        exact = Decimal(number.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimal numbers
        raise QuantityError(f"expected a number, got {text!r}") from None
    if exact and not -30 <= exact.adjusted() <= 30:
        raise QuantityError(f"{text!r} is out of range: amounts run from 1e-30 to 1e30")
    base = base_unit(unit or None)
    if kind in KINDS and base and base not in KINDS[kind][1]:
        raise QuantityError(f"{text!r} is in {base}, but {kind} figures are in {', '.join(KINDS[kind][1])}")
    exact *= split_unit(unit or None)[0]
    return int(exact) if exact == exact.to_integral_value() else float(exact)


def meaning(qualifier: str | None) -> str | None:
    """超过 -> more-than; None -> None (the figure is stated as exact)."""
    if qualifier is None:
        return None
    if qualifier not in QUALIFIERS:
        raise QuantityError(f"unknown qualifier {qualifier!r}; known: {', '.join(QUALIFIERS)}")
    return QUALIFIERS[qualifier][1]


def compose(number: str, unit: str | None, qualifier: str | None) -> str:
    """The figure as the article would write it: (6, 亿元, 超过) -> 超过6亿元; (10, 倍, 余) -> 10余倍."""
    unit = unit or ""
    if qualifier is None:
        return number + unit
    place = QUALIFIERS[qualifier][0] if qualifier in QUALIFIERS else "prefix"
    if place == "prefix":
        return qualifier + number + unit
    if place == "suffix":
        return number + unit + qualifier
    return number + qualifier + unit


def compositions(number: str, unit: str | None, qualifier: str | None) -> tuple[str, ...]:
    """Every way the article may write the figure: ``compose``, and an infix qualifier after
    the multiplier (3万余户 beside 3余万户)."""
    first = compose(number, unit, qualifier)
    if qualifier is None or QUALIFIERS.get(qualifier, ("",))[0] != "infix" or not unit:
        return (first,)
    for prefix in MULTIPLIERS:
        if unit.startswith(prefix) and unit != prefix:
            return first, number + prefix + qualifier + unit[len(prefix) :]
    return (first,)


def number_text(value: float | int) -> str:
    """6.0 -> "6"; 8.63 -> "8.63" (the number as the article writes it)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _grouped(value: Decimal) -> str:
    whole = value == value.to_integral_value()
    text = f"{int(value):,}" if whole else f"{value:,f}".rstrip("0").rstrip(".")
    return text


def _scaled(value: Decimal) -> str:
    """600000000 -> "600 million"; 42800000000 -> "42.8 billion"; 86300 -> "86,300"."""
    from decimal import Decimal

    for size, word in ((Decimal(10**12), "trillion"), (Decimal(10**9), "billion"), (Decimal(10**6), "million")):
        if abs(value) >= size:
            return f"{_grouped((value / size).normalize())} {word}"
    return _grouped(value)


def english(
    value: float | int,
    unit: str | None,
    qualifier: str | None = None,
    *,
    kind: str | None = None,
    unit_en: str | None = None,
) -> str:
    """The figure in English: over 600 million yuan; 86,300 market entities; more than 10 times.

    ``unit_en`` names what is counted where the unit alone cannot (户 -> market entities).
    """
    factor, written, base, base_en = split_unit(unit)
    if base == "%":
        body = f"{number_text(value)}%"
        if kind == "rate-of-change":
            body = f"down {number_text(-value)}%" if value < 0 else f"up {body}"
        if unit_en:
            body += f" {unit_en}"
    elif base in ("倍", "月"):
        body = f"{_grouped(_decimal(value))} {unit_en or UNITS[written][2]}"
    else:
        noun = base_en if unit_en is None else unit_en
        body = f"{_scaled(_decimal(value) * factor)} {noun}".strip()
    if qualifier:
        body = f"{QUALIFIERS[qualifier][2]} {body}"
    return body
