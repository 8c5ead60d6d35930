"""Finding figures and dates in a paragraph of Chinese text, by rules that hold for any article.

The rules are about how Chinese writes quantities, not about one article's wording:

- a figure is a number (Arabic, full-width or Chinese numerals, with 万/亿 multipliers) followed by
  a unit of ``quantity.UNITS`` (元, %, 倍, 个月, measure words such as 个, 家, 栋 ...); a bare number
  with no unit is no figure (15号线, 1+4+9+N);
- a number is part of a name, not a figure, when it stands inside a short quotation
  (“三个一”, “1+4+9+N”: a slogan or a name is quoted; reported speech is long and keeps its figures)
  or inside 《》, after 第 (an ordinal), after 届 or before 全会 (a party session: 六届二次全会);
- 一 alone before a measure word is the indefinite article (一位, 一批, 一个), unless a 半 follows
  (一个半月 is 1.5 months);
- a four-digit year before 年 (2022年) is a date, not a duration; 5年 is a duration;
- qualifiers (超过 6亿元, 10余倍, 2000万元以上) are read from ``quantity.QUALIFIERS``;
- kind follows the base unit, with the words just before the figure deciding between a share,
  a rate of change (增长, 下降: negative) and an intensity (强度); status is ``forecast`` after
  预计 and ``target`` after 力争, 目标, 计划, 下一步 or 将 ... 达到 in the same sentence.

Standard library only, and linear in the text: one regular-expression pass per paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from beibei_cli import quantity

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_SMALL = {"十": 10, "百": 100, "千": 1000}
CN_LARGE = {"万": 10**4, "亿": 10**8}
CN_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL)

# Every unit the tables read, longest first, so that 个百分点 wins over 个 and 个月 over 个.
UNIT_WORDS = sorted({u for u in quantity.UNITS if u}, key=len, reverse=True)
MULT_WORDS = sorted(quantity.MULTIPLIERS, key=len, reverse=True)
PREFIX_QUALS = sorted(
    (q for q, (place, _, _) in quantity.QUALIFIERS.items() if place == "prefix"), key=len, reverse=True
)
SUFFIX_QUALS = sorted(
    (q for q, (place, _, _) in quantity.QUALIFIERS.items() if place == "suffix"), key=len, reverse=True
)
INFIX_QUALS = [q for q, (place, _, _) in quantity.QUALIFIERS.items() if place == "infix"]


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in words)


ARABIC = r"[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?"
CHINESE = rf"[{CN_CHARS}]+(?:点[{''.join(CN_DIGITS)}]+)?"  # 一点二: a decimal point
FIGURE_RE = re.compile(
    rf"(?P<pre>{_alt(PREFIX_QUALS)})?"
    rf"(?P<pct>百分之)?"
    rf"(?P<num>{ARABIC}|{CHINESE})"
    rf"(?P<mult1>{_alt(MULT_WORDS)})?"
    rf"(?P<infix>{_alt(INFIX_QUALS)})?"
    rf"(?P<mult2>{_alt(MULT_WORDS)})?"
    rf"(?P<half>个半)?"
    rf"(?P<unit>{_alt(UNIT_WORDS)})?"
    rf"(?P<suf>{_alt(SUFFIX_QUALS)})?"
)
DATE_RE = re.compile(
    r"(?P<y>(?:19|20)[0-9]{2})年(?:度)?(?:(?P<m>1[0-2]|0?[1-9])月(?:(?P<d>3[01]|[12][0-9]|0?[1-9])[日号])?)?"
    r"|(?<![0-9年])(?P<m2>1[0-2]|0?[1-9])月(?P<d2>3[01]|[12][0-9]|0?[1-9])[日号]"
)

RISE = ("同比增长", "增长", "增速", "提高", "上升", "增加", "提升", "增幅")
FALL = ("同比下降", "下降", "降低", "减少", "回落", "下滑", "降幅")
FORECAST = ("预计", "预期", "预测", "有望")
TARGET = ("力争", "目标", "计划", "规划", "下一步", "确保", "争取")
TARGET_WILL = re.compile(r"将[^，。；]*?(?:达到|实现|突破|建成|完成|新增|打造|新建|建设|提升|增长)")
SENTENCE_END = "。！？；!?;"
CLAUSE_END = SENTENCE_END + "，,：:"
NAME_TRIM = "●•达为是共计约近超过逾累计已有了和及与、：:（(“”\"' "
QUOTE_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", '"': '"'}
SHORT_QUOTE = 12  # a quotation this short is a name or a slogan, not reported speech


@dataclass
class Figure:
    start: int  # where the figure's text starts and ends in the paragraph
    end: int
    text: str
    value: float | int
    unit: str | None
    qualifier: str | None
    kind: str
    status: str
    name: str
    quote: str
    year: str | None = None  # a year written in the same sentence (or else the same paragraph)
    year_from: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class DateMention:
    start: int
    end: int
    text: str
    iso: str | None  # None: a day and month with no year in reach
    quote: str
    year_inferred: bool = False


def to_number(text: str) -> float | int | None:
    """``36.55`` -> 36.55; ``２８５４`` -> 2854; ``二十九`` -> 29; ``一百零五`` -> 105; None if unreadable."""
    import unicodedata

    plain = unicodedata.normalize("NFKC", text).replace(",", "").replace("，", "")
    if plain and plain[0].isdigit():
        try:
            return float(plain) if "." in plain else int(plain)
        except ValueError:
            return None
    if "点" in plain:  # 一点二 -> 1.2: the whole part, then one digit at a time
        whole, _, decimals = plain.partition("点")
        head = to_number(whole)
        if head is None or not decimals or any(ch not in CN_DIGITS for ch in decimals):
            return None
        return float(f"{head}." + "".join(str(CN_DIGITS[ch]) for ch in decimals))
    total, section, digit = 0, 0, None
    for ch in plain:
        if ch in CN_DIGITS:
            if digit is not None and digit != 0:  # 二三 is not a number (a list of digits: read no further)
                return None
            digit = CN_DIGITS[ch]
        elif ch in CN_SMALL:
            section += (1 if digit is None else digit) * CN_SMALL[ch]
            digit = None
        elif ch in CN_LARGE:
            total += (section + (digit or 0)) * CN_LARGE[ch]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """The short quotations (“…” of at most SHORT_QUOTE characters) and every 《…》 title."""
    spans: list[tuple[int, int]] = []
    for opening, closing in (*QUOTE_PAIRS.items(), ("《", "》")):
        start = text.find(opening)
        while start != -1:
            end = text.find(closing, start + 1)
            if end == -1:
                break
            if opening == "《" or end - start - 1 <= SHORT_QUOTE:
                spans.append((start, end + 1))
            start = text.find(opening, end + 1)
    return spans


def _bounds(text: str, pos: int, stops: str) -> tuple[int, int]:
    start = pos
    while start > 0 and text[start - 1] not in stops:
        start -= 1
    end = pos
    while end < len(text) and text[end] not in stops:
        end += 1
    if end < len(text) and text[end] in SENTENCE_END:
        end += 1  # the sentence keeps its full stop
    return start, end


def sentence(text: str, pos: int) -> tuple[int, int]:
    return _bounds(text, pos, SENTENCE_END)


def clause(text: str, pos: int) -> tuple[int, int]:
    return _bounds(text, pos, CLAUSE_END)


def _strip_quote(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in "●•·-—“”‘’"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _kind_and_value(base: str, value: float | int, before: str, clause_text: str) -> tuple[str, float | int, str]:
    """(kind, signed value, the word of change before it) from the base unit and the words before."""
    near = before[-6:]
    if base in ("%", "个百分点"):
        for word in FALL:
            if near.rstrip("了达为至到").endswith(word):
                return "rate-of-change", -value, word
        for word in RISE:
            if near.rstrip("了达为至到").endswith(word):
                return "rate-of-change", value, word
        if base == "个百分点":
            return "rate-of-change", value, ""
        if "强度" in clause_text:
            return "intensity", value, ""
        return "share", value, ""
    if base == "倍":
        return "multiple", value, ""
    if base in ("月", "天", "小时", "分钟"):
        return "duration", value, ""
    if base == "元":
        return "money", value, ""
    if base == "平方米":
        return ("area-per-person" if "人均" in clause_text else "area"), value, ""
    if base == "亩":
        return "area", value, ""
    if base == "米":
        return "length", value, ""
    if base == "吨":
        return "mass", value, ""
    if base in ("千瓦", "千瓦时"):
        return "energy", value, ""
    return "count", value, ""


def _status(before_in_sentence: str) -> str:
    if any(word in before_in_sentence for word in FORECAST):
        return "forecast"
    if any(word in before_in_sentence for word in TARGET) or TARGET_WILL.search(before_in_sentence):
        return "target"
    return "stated"


def _name(text: str, start: int, end: int, unit: str | None) -> str:
    """The words before the figure in its clause (and, for a count, the noun after it)."""
    c_start, c_end = clause(text, start)
    before = text[c_start:start].strip()
    for word in (*RISE, *FALL):
        if before.endswith(word):
            before = before[: -len(word)] + word  # keep 增长: it says what the figure measures
            break
    before = before.strip(NAME_TRIM)
    after = ""
    if unit and quantity.base_unit(unit) in quantity.KINDS["count"][1]:
        tail = text[end:c_end]
        match = re.match(r"[\u4e00-\u9fff]{1,4}", tail)
        after = re.split(r"[的是曾为在和与及等将已由被]", match.group())[0] if match else ""
    name = (before + after).strip(NAME_TRIM) or text[start:end]
    return name if len(name) <= 24 else "…" + name[-23:]


def figures(text: str) -> list[Figure]:
    """Every figure of one paragraph, in order."""
    quoted = _quoted_spans(text)
    date_spans = [(d.start, d.end) for d in dates(text)]
    out: list[Figure] = []
    for match in FIGURE_RE.finditer(text):
        num = match.group("num")
        unit_word = match.group("unit")
        mult = match.group("mult1") or match.group("mult2")
        if match.group("mult1") and match.group("mult2"):
            continue
        half = match.group("half")
        pct = match.group("pct")
        n_start = match.start("pct") if pct else match.start("num")
        if pct:
            if unit_word or mult or half:
                continue  # 百分之 takes a bare number
            unit_word = "%"
        if not unit_word and not half:
            continue  # a bare number (15号线, 1+4+9+N) or a bare 万 is no figure we can type
        if unit_word == "月" and not mult and not half:
            continue  # 4月 is a month (April); a span of months is written 4个月
        if any(a <= n_start < b for a, b in date_spans):
            continue
        if any(a <= n_start < b for a, b in quoted):
            continue
        prev = text[n_start - 1] if n_start else ""
        if prev in "第届每" or prev.isdigit() or prev in ".．+-－/":
            continue
        following = text[match.end() : match.end() + 4]
        if following.startswith(("全会", "全体会议")):
            continue
        is_chinese = not num[0].isdigit() and num[0] not in "０１２３４５６７８９"
        if is_chinese and num == "一" and not half and not mult:
            continue  # the indefinite article: 一位, 一批, 一个
        if is_chinese and prev in CN_CHARS + "几数" + "万亿":
            continue
        value = to_number(num)
        if value is None:
            continue
        if isinstance(value, float) and not mult and unit_word == "个" and not half:
            continue  # 0.5个工作日: half a 个 is no count; the unit is a longer word the tables lack
        unit = (mult or "") + ("个月" if half else unit_word or "")
        if half:
            if unit_word not in (None, "月"):
                continue
            value = value + 0.5
        if unit_word == "年" and not mult:
            if not is_chinese and len(num) == 4:
                continue  # a year (2022年): a date
            unit = "年"
        if not unit or unit not in quantity.UNITS and not _known(unit):
            continue
        pre, suf, infix = match.group("pre"), match.group("suf"), match.group("infix")
        if pre == "近" and n_start >= 2 and text[match.start() - 1 : match.start()] in "最将附":
            pre = None
        qualifier = pre or infix or suf
        extra_note = ""
        if sum(1 for q in (pre, infix, suf) if q) > 1:
            qualifier = pre or infix
            extra_note = f"Also qualified by {suf or infix} (one qualifier is kept)."
        start = match.start() if pre else n_start
        if match.group("unit"):
            end = match.end("unit")
        elif half:
            end = match.end("half")
        else:
            end = match.end("num")
        if suf and suf == qualifier:
            end = match.end()
        figure_text = text[start:end]
        s_start, s_end = sentence(text, start)
        c_start, c_end = clause(text, start)
        before = text[c_start:start]
        kind, signed, _ = _kind_and_value(quantity.base_unit(unit), value, before, text[c_start:c_end])
        if signed != value:
            value = signed
        q_start, q_end = _strip_quote(text, c_start, c_end)
        quote = text[q_start:q_end]
        if figure_text not in quote:  # pragma: no cover - the clause holds its figure
            q_start, q_end = _strip_quote(text, s_start, s_end)
            quote = text[q_start:q_end]
        fig = Figure(
            start=start,
            end=end,
            text=figure_text,
            value=value,
            unit=unit,
            qualifier=qualifier,
            kind=kind,
            status=_status(text[s_start:start]),
            name=_name(text, start, end, unit),
            quote=quote,
        )
        year = _year_in(text[s_start:s_end])
        fig.year, fig.year_from = (year, "sentence") if year else (_year_in(text), "paragraph")
        if fig.year is None:
            fig.year_from = ""
        if extra_note:
            fig.notes.append(extra_note)
        if is_chinese:
            fig.notes.append(f"Written in Chinese numerals ({figure_text}).")
        out.append(fig)
    return out


def _known(unit: str) -> bool:
    try:
        quantity.split_unit(unit)
    except quantity.QuantityError:
        return False
    return True


def _year_in(text: str) -> str | None:
    match = re.search(r"((?:19|20)[0-9]{2})年", text)
    return match.group(1) if match else None


def dates(text: str, default_year: str | None = None) -> list[DateMention]:
    """Every date of one paragraph: 2021年12月27日, 2022年4月, 2023年, 2022年度, 1月9日 (year from the
    paragraph, else ``default_year``: inferred)."""
    quoted = [(a, b) for a, b in _quoted_spans(text) if text[a] == "《"]
    out: list[DateMention] = []
    for match in DATE_RE.finditer(text):
        if any(a <= match.start() < b for a, b in quoted):
            continue
        if match.start() and text[match.start() - 1].isdigit():
            continue
        s_start, s_end = _strip_quote(text, *clause(text, match.start()))
        quote = text[s_start:s_end]
        if match.group("y"):
            year, month, day = match.group("y"), match.group("m"), match.group("d")
            inferred = False
        else:
            month, day = match.group("m2"), match.group("d2")
            year = _year_in(text) or default_year
            inferred = True
        iso = None
        if year:
            iso = year + (f"-{int(month):02d}" if month else "") + (f"-{int(day):02d}" if day else "")
        out.append(DateMention(match.start(), match.end(), match.group(), iso, quote, inferred))
    return out
