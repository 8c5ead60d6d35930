"""``beibei draft``: a first, checked report file from a plain-text Chinese article.

Every record it writes is ``draft: true`` and lists the fields it guessed in ``inferred``;
what it cannot know (pillars, English names, links between records) is left empty.
"""

from __future__ import annotations

import re

from beibei_cli.draft import scan

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# A line that was broken by the layout: it holds sentence punctuation but stops mid-sentence.
LINE_END_OK = "。！？；：”’）)」』】》…!?;:>"
HEADING_NUMBERED = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十百]+[章节部分篇]|\d+[、.．])"
)
HEADING_MAX = 30
PUNCT = "，。；：！？、,;:!?"

# Entity names by their last word (the type is a guess: inferred).
ENTITY_SUFFIXES: list[tuple[str, str]] = [
    ("有限责任公司", "company"),
    ("股份有限公司", "company"),
    ("有限公司", "company"),
    ("集团", "company"),
    ("大学", "university"),
    ("学院", "university"),
    ("研究院", "institution"),
    ("实验室", "institution"),
    ("人民政府", "government"),
    ("委员会", "government"),
    ("管委会", "government"),
    ("试验区", "project"),
    ("示范区", "project"),
    ("先行区", "project"),
    ("园区", "project"),
    ("高铁", "project"),
    ("号线", "project"),
    ("街道", "place"),
    ("水库", "place"),
    ("区", "place"),
    ("县", "place"),
    ("镇", "place"),
    ("村", "place"),
]
ENTITY_STOPS = set("的与和及在对于是了将把被由向从为等让使获到位跟随这那其此该去年今年原本如今随即")
ENTITY_RE = re.compile("|".join(re.escape(s) for s, _ in ENTITY_SUFFIXES))


def line_joins(lines: list[str]) -> list[str]:
    """The lines that the layout broke mid-sentence: each is re-joined with the next one."""
    joins: list[str] = []
    for i, line in enumerate(lines[:-1]):
        if i == 0 or line[-1] in LINE_END_OK or not any(p in line for p in "，。；"):
            continue
        nxt = lines[i + 1]
        if _is_heading_like(nxt):
            continue
        joins.append(line)
    return joins


def _is_heading_like(line: str) -> bool:
    return bool(HEADING_NUMBERED.match(line)) or (
        len(line) <= HEADING_MAX and not any(p in line for p in PUNCT) and not line.startswith(("●", "•"))
    )


def _is_body(line: str) -> bool:
    return any(p in line for p in "。；！？") or len(line) > HEADING_MAX


def headings(paras: list[str]) -> tuple[list[int], list[int]]:
    """(paragraph numbers of headings, of captions): short lines without punctuation are headings when
    body text follows them (or they are numbered, or end in >>>), else captions of a photo."""
    heads, captions = [], []
    for i, text in enumerate(paras):
        if i == 0 or not _is_heading_like(text):
            continue
        nxt = paras[i + 1] if i + 1 < len(paras) else ""
        marked = bool(HEADING_NUMBERED.match(text)) or text.rstrip().endswith((">>>", "》》", "：", ":"))
        if marked or _is_body(nxt) or nxt.startswith(("●", "•")):
            heads.append(i + 1)
        else:
            captions.append(i + 1)
    return heads, captions


def _slug(n: int, k: int, kind: str) -> str:
    return f"{kind}-p{n}-{k}"


def entities(paras: list[str]) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for n, text in enumerate(paras, 1):
        quoted = scan._quoted_spans(text)
        for match in ENTITY_RE.finditer(text):
            end = match.end()
            if any(a <= match.start() < b for a, b in quoted):
                continue
            kind = dict(ENTITY_SUFFIXES)[match.group()]
            reach = 4 if kind == "place" else 16  # a place is a short name (北碚区); a firm's is long
            start = match.start()
            while start > 0:
                ch = text[start - 1]
                if not ("\u4e00" <= ch <= "\u9fff" or ch in "（）()") or ch in ENTITY_STOPS:
                    break
                start -= 1
            if match.start() - start > reach:
                continue  # no boundary in reach: the name's start is unknown
            name = text[start:end].strip("（）()")
            if len(name) - len(match.group()) < 2 or name in found:
                continue
            if any(ch in scan.CN_CHARS for ch in name[:1]):
                continue  # 三区, 两大…区: a numbered phrase, not a name
            c_start, c_end = scan._strip_quote(text, *scan.clause(text, match.start()))
            found[name] = {
                "id": f"entity-{len(found) + 1}",
                "name": name,
                "name_en": None,
                "type": kind,
                "aliases": [],
                "quote": text[c_start:c_end],
                "para": n,
                "draft": True,
                "inferred": ["type"],
            }
    return list(found.values())


def draft_document(source: str, source_name: str) -> tuple[dict[str, Any], str]:
    """The report document for ``source`` (the article text), and the text to write beside it."""
    from beibei_cli.report import split_paragraphs

    lines = [line.strip() for line in source.splitlines() if line.strip()]
    joins = line_joins(lines)
    paras, _ = split_paragraphs(source, joins)
    heads, caption_paras = headings(paras)
    title = paras[0] if paras else ""

    sections: list[dict[str, Any]] = [
        {
            "id": "section-lead",
            "kind": "lead",
            "heading": None,
            "title": "导语",
            "title_en": None,
            "pillar": None,
            "draft": True,
            "inferred": ["title"],
        }
    ]
    section_of: list[str] = []
    current = "section-lead"
    for n in range(1, len(paras) + 1):
        if n in heads:
            current = f"section-{len(sections)}"
            heading = paras[n - 1]
            sections.append(
                {
                    "id": current,
                    "kind": "article",
                    "heading": heading,
                    "title": heading.rstrip(">》：: ") or heading,
                    "title_en": None,
                    "pillar": None,
                    "draft": True,
                    "inferred": ["kind"],
                }
            )
        section_of.append(current)

    years = [y for p in paras for y in re.findall(r"((?:19|20)[0-9]{2})年", p)]
    metrics: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    last_year: str | None = None
    for n, text in enumerate(paras, 1):
        for k, fig in enumerate(scan.figures(text), 1):
            guessed = ["name", "kind", "status", "section"]
            rec: dict[str, Any] = {
                "id": _slug(n, k, "metric"),
                "name": fig.name,
                "name_en": None,
                "text": fig.text,
                "value": fig.value,
                "unit": fig.unit,
                "qualifier": fig.qualifier,
                "kind": fig.kind,
                "status": fig.status,
                "unit_en": None,
                "pillar": None,
                "case": None,
                "section": section_of[n - 1],
                "as_of": None,
                "quote": fig.quote,
                "para": n,
                "draft": True,
            }
            if fig.year:
                rec["as_of"] = {
                    "iso": fig.year,
                    "inferred": True,
                    "note": f"the year {fig.year} written in the same {fig.year_from}; check that the figure is of it",
                }
                guessed.append("as_of")
            if fig.notes:
                rec["note"] = " ".join(fig.notes)
            rec["inferred"] = guessed
            metrics.append(rec)
        for k, date in enumerate(scan.dates(text, last_year), 1):
            if date.iso is None:
                continue
            note = None
            if date.year_inferred:
                where = "this paragraph" if re.search(r"(?:19|20)[0-9]{2}年", text) else "an earlier paragraph"
                note = f"{date.text} has no year; {date.iso[:4]} is taken from {where}"
            events.append(
                {
                    "id": _slug(n, k, "event"),
                    "date": {"iso": date.iso, "inferred": date.year_inferred, "note": note},
                    "title": date.quote,
                    "title_en": None,
                    "pillar": None,
                    "case": None,
                    "quote": date.quote,
                    "para": n,
                    "draft": True,
                    "inferred": ["title", *(["date"] if date.year_inferred else [])],
                }
            )
        found = re.findall(r"((?:19|20)[0-9]{2})年", text)
        if found:
            last_year = found[-1]

    captions: list[dict[str, Any]] = [
        {"id": f"caption-p{n}", "title_en": None, "quote": paras[n - 1], "para": n, "draft": True, "inferred": []}
        for n in caption_paras
    ]
    ents = entities(paras)
    region = _region(ents)
    meta: dict[str, Any] = {
        "title": title,
        "title_en": None,
        "region": region or "（待填）",
        "region_en": None,
        "source": source_name,
        "date": None,
        "note": (
            "Drafted by beibei draft: every record is marked draft: true and lists the fields it guessed "
            "under inferred. "
            + (f"The region ({region}) is the most named place; check it. " if region else "Fill in the region. ")
            + (f"The article names the years {min(years)}-{max(years)}; fill in its date. " if years else "")
        ).strip(),
        "line_joins": joins,
    }
    for recs in (sections, metrics, events, ents, captions):
        for rec in recs:
            _mark_guesses(rec)
    doc: dict[str, Any] = {
        "schema_version": 2,
        "report": meta,
        "sections": sections,
        "metrics": metrics,
        "events": events,
        "entities": ents,
        "captions": captions,
    }
    return doc, source


GUESS_REASON = "Guessed by beibei draft from the words around it; check it against the article."
GUESS_REASON_ZH = "由 beibei draft 根据上下文猜测，请对照原文核实。"


def _mark_guesses(rec: dict[str, Any]) -> None:
    """The fields the draft guessed, as the schema's ``inferred_fields`` with a reason in both
    languages (only fields that have a value: an empty one is left to the curator, not guessed)."""
    guessed = [name for name in rec.pop("inferred", []) if rec.get(name) not in (None, [])]
    if guessed:
        rec["inferred_fields"] = guessed
        rec["inferred_reason"] = GUESS_REASON
        rec["inferred_reason_zh"] = GUESS_REASON_ZH


def _region(ents: list[dict[str, Any]]) -> str | None:
    places = [e["name"] for e in ents if e["type"] == "place" and e["name"].endswith(("区", "县", "市"))]
    return places[0] if places else None


def dump(doc: dict[str, Any]) -> str:
    import yaml  # the writer: only this command

    header = (
        "# Drafted by `beibei draft`: check every record marked draft: true against the article,\n"
        "# fill in what is empty, then remove draft and inferred_fields (see README, 'Your own report').\n"
    )
    return header + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10000)


def read_article(path: str) -> tuple[str, str | None]:
    """The article's text, and a note when it was not UTF-8 (GB18030 is read when it decodes cleanly)."""
    from beibei_cli.errors import DataError
    from beibei_cli.report import read_text

    try:
        return read_text(path, "text file"), None
    except DataError as exc:
        if "GB18030" not in exc.message:
            raise
    with open(path, "rb") as handle:  # read_text has checked the size and the permissions
        text = handle.read().decode("gb18030")
    return text, f"{path} is GB18030, not UTF-8: read as GB18030 (the copy beside the report is UTF-8)"
