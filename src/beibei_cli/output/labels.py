"""Labels and column headers in Chinese (the default) and English (``--lang en``)."""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "id": ("编号", "ID"),
    "name": ("名称", "Name"),
    "value": ("数值", "Value"),
    "figure": ("数值", "Figure"),
    "unit": ("单位", "Unit"),
    "pillar": ("篇章", "Pillar"),
    "pillar_name": ("篇章", "Pillar"),
    "as_of": ("时间", "As of"),
    "bar": ("比例", "Share"),
    "kind": ("类别", "Kind"),
    "heading": ("标题", "Heading"),
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
    "inferred": ("推断", "inferred"),
    "case": ("案例", "Case"),
    "record": ("记录类别", "Record kind"),
}


def label(key: str, lang: str) -> str:
    pair = LABELS.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]
