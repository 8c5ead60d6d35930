"""Labels, column headers and kind names in Chinese (the default) and English (``--lang en``).

One interface language at a time: every word the tool itself adds to its
terminal and export output (not the report's own text) comes from here.
"""

from __future__ import annotations

from beibei_cli.models import ENTITY_TYPE_ZH, KIND_ZH

LABELS: dict[str, tuple[str, str]] = {
    "id": ("编号", "ID"),
    "report": ("报告", "Report"),
    "scale": ("对比", "Scale"),
    "term": ("词语", "Term"),
    "per_10k": ("每万字", "Per 10k chars"),
    "key": ("报告键", "Key"),
    "chars": ("字数", "Characters"),
    "records": ("记录数", "Records"),
    "drafts": ("草稿数", "Drafts"),
    "report_files": ("{n} 个报告文件", "{n} report files"),
    "error": ("错误", "Error"),
    "name": ("名称", "Name"),
    "value": ("数字", "Value"),  # the number alone (its unit is a field of its own)
    "figure": ("数值", "Figure"),
    "unit": ("单位", "Unit"),
    "pillar": ("篇章编号", "Pillar id"),
    "pillar_name": ("篇章", "Pillar"),
    "as_of": ("时间", "As of"),
    "bar": ("比例", "Share"),
    "kind": ("类别", "Kind"),
    "heading": ("章节标题", "Heading"),
    "summary": ("要义", "Summary"),
    "title": ("标题", "Title"),
    "date": ("日期", "Date"),
    "precision": ("精度", "Precision"),
    "quote": ("原文", "Quote"),
    "para": ("段落", "Paragraph"),
    "paragraph": ("所在段落", "Paragraph text"),
    "type": ("类型", "Type"),
    "mentions": ("提及", "Mentioned in"),
    "snippet": ("摘录", "Snippet"),
    "score": ("得分", "Score"),
    "rank": ("排名", "Rank"),
    "n": ("段", "¶"),
    "text": ("内容", "Text"),
    "section": ("部分", "Section"),
    "note": ("注", "Note"),
    "goals": ("目标", "Goals"),
    "plans": ("下一步", "Plans"),
    "cases": ("案例", "Cases"),
    "metrics": ("数据", "Figures"),
    "positioning": ("两大定位", "Two positionings"),
    "article": ("四篇文章", "Four articles"),
    "base_unit": ("基本单位", "Base unit"),
    "paras": ("所引段落", "Paragraphs quoted"),
    "qualifier_meaning": ("限定含义", "Qualifier meaning"),
    "unit_en": ("英文单位", "English unit"),
    "more_quotes": ("其他引文", "More quotes"),
    "general": ("总体（不属某一篇章）", "The report as a whole"),
    "status": ("状态", "Status"),
    "amount": ("折合数", "Amount"),
    "date_note": ("日期说明", "Date note"),
    "inferred": ("推断", "inferred"),
    "case": ("案例", "Case"),
    "record": ("记录类别", "Record kind"),
    "dates": ("日期", "Dates"),
    "organisations": ("机构", "Organisations"),
    "places": ("地点", "Places"),
    "people": ("人物", "People"),
    "aliases": ("别名", "Aliases"),
    "qualifier": ("限定", "Qualifier"),
    "year": ("年份", "Year"),
    "events": ("事件", "Events"),
    "quoted_by": ("引用记录", "Quoted by"),
    "paragraphs": ("所含段落", "Paragraphs"),
    "name_en": ("英文名称", "English name"),
    "title_en": ("英文标题", "English title"),
    "summary_en": ("英文摘要", "English summary"),
    "heading_en": ("英文标题", "English heading"),
    "text_en": ("英文", "English"),
    "name_zh": ("中文名称", "Chinese name"),
    "title_zh": ("中文标题", "Chinese title"),
    "summary_zh": ("中文摘要", "Chinese summary"),
    "heading_zh": ("中文标题", "Chinese heading"),
    "text_zh": ("中文", "Chinese"),
    "region": ("地区", "Region"),
    "region_en": ("英文地区名", "Region in English"),
    "region_zh": ("中文地区名", "Region in Chinese"),
    "date_inferred": ("日期为推断", "Date inferred"),
    "data_file": ("数据文件", "Data file"),
    "source_file": ("原文文件", "Source file"),
    "schema_version": ("数据格式版本", "Schema version"),
    "version": ("版本", "Version"),
    "counts": ("记录数", "Counts"),
    "scope": ("范围", "Scope"),
    "case_": ("所属案例", "Case"),
    "source": ("来源", "Source"),
    "source_note": ("原文照录，结构由 beibei 项目整理", "quotes verbatim; structure curated by the beibei project"),
    "timeline": ("时间线", "Timeline"),
    "more": ("…等，另有{n}项", "… and {n} more"),
    "count_of": ("{n}处", "{n}"),
    "count": ("数量", "Count"),
    "match": ("匹配方式", "Match"),
    "matches": ("匹配位置", "Matches"),
    "wrote": ("已写入 {path}", "wrote {path}"),
    "report_failed": (
        "beibei: 警告：未载入（其余报告照常回答）{error}",
        "beibei: warning: not loaded (the other reports answer): {error}",
    ),
    "shelf_building": ("正在读取书架上的报告", "reading the shelf's reports"),
    "no_records": ("没有符合条件的记录", "no matching records"),
    "valid": ("{path}：校验通过", "{path}: ok"),
    "invalid": ("{path}：{n} 处问题", "{path}: {n} problem{s}"),
    "still_draft": (
        "注意：{n} 条记录仍为草稿（{mark}），请逐条核对后删除该标记",
        "warning: {n} record{s} still in draft ({mark}): check each against the article, then remove the mark",
    ),
    "uncovered": ("{n} 处数字或日期没有记录覆盖", "{n} figure{s} or date{s} no record covers"),
    "drafted": ("已从 {path} 起草 {n} 条记录（其中数字 {m} 个）", "drafted {n} records ({m} figures) from {path}"),
    "cache_cleared": ("已从 {dir} 删除 {n} 个缓存文件", "removed {n} cache file{s} from {dir}"),
    "not_stated_answer": (
        "报告中没有提到“{q}”（未找到这些词，也未找到它们的拼音、繁体或英文对应词）",
        "the report does not mention {q} (not as typed, nor by pinyin, traditional characters or English)",
    ),
    "question_words": (
        "按{terms}查找（问句中的“{aside}”不在原文中）；请核对结果是否回答了所问的问题",
        "searched for {terms} (the question words {aside} are in no passage): check that the results answer the question",
    ),
    "unstated_terms": (
        "报告中没有{terms}这样的说法；以下只是其余词语的结果",
        "the report does not state {terms} as asked; what follows is for the other words only",
    ),
    "not_exact_answer": (
        "报告中没有与“{q}”完全一致的文字（--exact：未尝试部分匹配与模糊拼音）",
        "the report has no exact match for {q} (--exact: parts and fuzzy pinyin were not tried)",
    ),
    "related_answer": (
        "报告中没有“{q}”这样的说法；以下只是相关内容（与所问词语部分相同），并非答案",
        "the report does not contain {q} as asked; what follows is only related (it shares words with it)",
    ),
    "honours": ("荣誉", "Honours"),
    # the pages of series and trend (--format html)
    "series_page": ("“{q}”在各报告中的数值", "{q} across the reports"),
    "series_scale": ("条形按数额比较（单位：{unit}）", "Bars compare the amounts (in {unit})"),
    "units_differ": (
        "这些数值的单位不一（{units}），无法在同一坐标上比较，故不作图，见下表",
        "The figures' units differ ({units}), so they cannot share one axis: no chart, see the table",
    ),
    "trend_page": ("各报告中的词语：{terms}", "Terms across the reports: {terms}"),
    "trend_scale": (
        "条形为每万字出现次数（括号内为次数）",
        "Bars are occurrences per 10,000 characters (in brackets: occurrences)",
    ),
    "as_of_inferred": ("时间为推断", "As-of inferred"),
    "as_of_note": ("时间说明", "As-of note"),
    "as_of_precision": ("时间精度", "As-of precision"),
    "date_precision": ("日期精度", "Date precision"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "events_": ("事件", "Events"),
    # the English and Chinese of the curator's notes, and the readings (issue 22)
    "note_en": ("英文注", "Note in English"),
    "note_zh": ("中文注", "Note in Chinese"),
    "date_note_en": ("英文日期说明", "Date note in English"),
    "date_note_zh": ("中文日期说明", "Date note in Chinese"),
    "year_note": ("年份说明", "Year note"),
    "year_note_en": ("英文年份说明", "Year note in English"),
    "year_note_zh": ("中文年份说明", "Year note in Chinese"),
    "year_inferred": ("年份为推断", "Year inferred"),
    "year_precision": ("年份精度", "Year precision"),
    "as_of_note_en": ("英文时间说明", "As-of note in English"),
    "as_of_note_zh": ("中文时间说明", "As-of note in Chinese"),
    "inferred_fields": ("推断所得", "Inferred fields"),
    "inferred_reason": ("推断理由", "Why inferred"),
    "inferred_reason_en": ("英文推断理由", "Why inferred, in English"),
    "inferred_reason_zh": ("中文推断理由", "Why inferred, in Chinese"),
}

# The names of record kinds, entity types, date precisions and figure kinds.
VALUES: dict[str, tuple[str, str]] = {
    # record kinds
    **{kind: (zh, "figure" if kind == "metric" else kind) for kind, zh in KIND_ZH.items()},
    # pillar kinds
    "positioning": ("定位", "positioning"),
    "article": ("文章", "article"),
    # entity types (their Chinese names are the vocabulary's: models.ENTITY_TYPE_ZH)
    **{t: (zh, t) for t, zh in ENTITY_TYPE_ZH.items()},
    # date precisions
    "day": ("日", "day"),
    "month": ("月", "month"),
    "year": ("年", "year"),
    # section kinds
    "data": ("数据", "data"),
    "narrative": ("正文", "narrative"),
    # figure kinds and statuses (schema 2)
    "count": ("数量", "count"),
    "money": ("金额", "money"),
    "share": ("占比", "share"),
    "rate": ("增长率", "rate of change"),
    "rate-of-change": ("增长率", "rate of change"),
    "change": ("变化", "change"),
    "intensity": ("强度", "intensity"),
    "area": ("面积", "area"),
    "area-per-person": ("人均面积", "area per person"),
    "duration": ("时长", "duration"),
    "length": ("长度", "length"),
    "mass": ("重量", "weight"),
    "energy": ("能源", "energy"),
    "multiple": ("倍数", "multiple"),
    "rank": ("排名", "rank"),
    "ratio": ("比率", "ratio"),
    "index": ("指数", "index"),
    "stated": ("已实现", "stated"),
    "forecast": ("预计", "forecast"),
    "target": ("目标", "target"),
    # what a qualifier means (超过 -> more-than)
    "more-than": ("超过", "more than"),
    "at-least": ("不少于", "at least"),
    "about": ("约", "about"),
    "nearly": ("接近", "nearly"),
    "less-than": ("不到", "less than"),
    "at-most": ("不超过", "at most"),
    # how a search hit matched
    "exact": ("精确", "exact"),
    "parts": ("拆分", "parts"),
    "partial": ("部分", "partial"),
    "fuzzy-pinyin": ("模糊拼音", "fuzzy pinyin"),
}

# Fields whose values are words of the interface, named with ``value_name`` in tables and records.
WORD_FIELDS = frozenset({"record", "kind", "type", "status", "precision", "qualifier_meaning", "match"})


def from_zh(values: tuple[str, ...]) -> dict[str, str]:
    """The Chinese names the tables show for ``values`` -> the values (企业 -> company),
    so that options take what the interface displays (read from this one table)."""
    return {VALUES[v][0]: v for v in values if v in VALUES}


def label(key: str, lang: str) -> str:
    pair = LABELS.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]


def value_name(value: str, lang: str) -> str:
    """A kind, type, precision or status value in the interface language (unknown values as they are)."""
    pair = VALUES.get(value)
    if pair is None:
        return value
    return pair[1] if lang == "en" else pair[0]


def date_text(iso: str, inferred: bool | None, lang: str) -> str:
    """A date for people: 2022年（推断）, 2022年4月, 2023年1月9日; in English the ISO text, 2022 (inferred)."""
    if lang == "en":
        shown = iso
    else:
        parts = iso.split("-")  # a checked ISO text: year, then month and day if given
        units = "年月日"[: len(parts)]
        shown = "".join(f"{int(p) if i else p}{u}" for i, (p, u) in enumerate(zip(parts, units, strict=True)))
    if inferred:
        shown += f" ({label('inferred', lang)})" if lang == "en" else f"（{label('inferred', lang)}）"
    return shown


def more(n: int, lang: str) -> str:
    """The marker closing a capped list: "… and 3 more"."""
    return label("more", lang).format(n=n)
