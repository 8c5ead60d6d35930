"""Pure functions from the report to rows: no printing, no I/O.

Rows are dicts whose keys are the JSON contract (``id`` first): the same keys
in the same order whatever the interface language. ``name``/``title``/
``summary``/... are in the interface language (with ``lang="en"`` the curated
English, or the Chinese where there is none); ``name_en``/... are always the
curated English (or null) and ``name_zh``/... always the Chinese; quotes stay
Chinese.
"""

from __future__ import annotations

from beibei_cli.about import GENERAL
from beibei_cli.dates import date_bounds, date_key, in_bounds
from beibei_cli.errors import UsageError
from beibei_cli.models import METRIC_SORTS as METRIC_SORTS
from beibei_cli.models import METRIC_STATUSES
from beibei_cli.rows import Encoded, json_item, names, shape
from beibei_cli.shelf import SEPARATOR, Shelf

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

    from beibei_cli.report import Report
    from beibei_cli.schema import Date, Metric, Pillar, Record

TRANSLATED = ("name", "title", "summary", "heading", "text", "label")
# The curator's words: written in English (``note``) with the Chinese beside them (``note_zh``).
NOTES = ("note", "inferred_reason")
DATES = ("date", "year", "as_of")  # the fields of a record that hold a date mapping
PRIVATE = ("_kind",)


def localize(rec: Record, lang: str, translated: tuple[str, ...] = TRANSLATED) -> Record:
    """A copy of ``rec`` for output in ``lang``: each translated field in the interface language
    (en: the curated English, or the Chinese where there is none), beside its ``_en`` (always the
    English) and ``_zh`` (always the Chinese), so that the keys and their order are the same in
    every language (``--fields name_en`` and ``cut -f N`` mean one thing).

    A figure's ``text`` is the figure as written and is never replaced: its English is ``figure``.
    """
    out = {k: v for k, v in rec.items() if k not in PRIVATE}
    if rec.get("_kind") == "metric":
        translated = tuple(f for f in translated if f != "text")
    for field in translated:
        en = f"{field}_en"
        if en in out:
            zh = out.get(field)  # a caption has title_en but no title (its quote is the text)
            english = out[en]
            out[field] = (english or zh) if lang == "en" else zh
            out[f"{field}_zh"] = zh  # null too: every row of a kind has the same keys
    for field in NOTES:
        if field in out:
            english, chinese = out[field], out.get(f"{field}_zh")
            out[field] = note_in(english, chinese, lang)
            out[f"{field}_en"] = english
            out[f"{field}_zh"] = chinese
    for field in DATES:
        if isinstance(out.get(field), dict):
            out[field] = localize(dict(out[field]), lang, ())
    return out


def note_in(english: str | None, chinese: str | None, lang: str) -> str | None:
    """A curated note in the interface language (the English where a file has no Chinese for it)."""
    return english if lang == "en" else (chinese or english)


# -- pillars ---------------------------------------------------------------


def find_pillar(report: Report, key: str) -> Pillar:
    """A pillar by id, Chinese name, heading or English name (case-insensitive; traditional
    characters read as simplified)."""
    found = pillar_id(report, key)
    if found is None:
        raise UsageError(f"{key!r} is the report as a whole, not a pillar")
    return next(p for p in report.pillars() if p["id"] == found)


def pillar_id(report: Report, key: str) -> str | None:
    """The id of the pillar ``key`` names, or None for the report as a whole (``general``, 总体).

    Accepts an id, a Chinese name, a heading, an English name (case-insensitive) or a unique
    prefix of an id or name (科技, tech); traditional characters read as simplified (科技創新).
    """
    pillars = report.pillars()
    general = general_group("zh")
    wholes = (GENERAL, general["name"], general["name_en"])
    for text in (key.strip(), _simplified(report, key.strip())):
        wanted = text.casefold()
        if not wanted:
            break
        if wanted in (n.casefold() for n in wholes):
            return None
        for p in pillars:
            names = [p["id"], p["name"], p.get("heading") or "", p.get("name_en") or ""]
            if wanted in (n.casefold() for n in names if n):
                return p["id"]
        # a unique prefix of an id or a name (科技, tech) is enough
        prefixed = [p for p in pillars if p["id"].startswith(wanted) or p["name"].startswith(text)]
        if len(prefixed) == 1:
            return prefixed[0]["id"]
    # pinyin, as search reads it: kejichuangxin, kjcx, or the start of a name (minying)
    by_pinyin = _pinyin_names(report, key, "pillar")
    if len(by_pinyin) == 1 or (by_pinyin and by_pinyin[0][1] and not by_pinyin[1][1]):
        return by_pinyin[0][0]
    if not by_pinyin and _read_as(report, key, "general"):  # zongti
        return None
    valid = ", ".join(f"{p['id']} ({p['name']})" for p in pillars) + f", {GENERAL} ({general['name']})"
    if not key.strip():
        raise UsageError(f"the pillar is empty; valid pillars: {valid}")
    simplified = _simplified(report, key.strip())
    candidates = [p for p in pillars if simplified and p["name"].startswith(simplified)]
    candidates = candidates or [p for p in pillars if p["id"] in {pid for pid, _ in by_pinyin}]
    if len(candidates) > 1:
        shown = ", ".join(f"{p['id']} ({p['name']})" for p in candidates)
        raise UsageError(f"pillar {key!r} could be any of {shown}; give one")
    raise UsageError(f"unknown pillar {key!r}; valid pillars: {valid}")


def _pinyin_names(report: Report, key: str, kind: str) -> list[tuple[str, bool]]:
    """The records of ``kind`` whose name reads as ``key`` in pinyin (see ``search.query.names_by_pinyin``)."""
    latin = _latin(key)
    if latin is None:
        return []
    from beibei_cli.search.query import Index, names_by_pinyin

    return names_by_pinyin(Index(report.index()), latin, kind)


def _latin(typed: str) -> str | None:
    """``typed`` as plain Latin letters if it is pinyin however typed: full-width (ＫＪＣＸ), with
    tone marks (kē jì, qǐyè); None when it holds anything else."""
    text = typed.strip()
    if not text.isascii():
        import unicodedata

        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    if not text or not text.isascii() or not any(c.isalpha() for c in text):
        return None
    return text


def _read_as(report: Report, typed: str, vocabulary: str) -> list[str]:
    """The names of ``vocabulary`` that ``typed`` reads as in pinyin (``search.query.names_read_as``)."""
    latin = _latin(typed)
    if latin is None:
        return []
    from beibei_cli.search.query import Index, names_read_as

    return names_read_as(Index(report.index()), latin, vocabulary)


def _simplified(report: Report, text: str) -> str:
    """``text`` with traditional characters made simplified (科技創新 -> 科技创新), as search reads them."""
    if text.isascii():
        return text
    t2s = report.t2s()
    return "".join(t2s.get(ch, ch) for ch in text)


def pillar_rows(report: Report, *, detail: bool, lang: str, pillar: str | None = None) -> list[Record]:
    """The pillars; with ``detail`` their goals, plans, cases and figures, and one more
    group (id ``general``) for what belongs to the report as a whole (pillar null).
    ``pillar`` (an id or a name, as ``--pillar`` of metrics) keeps that one (general: the group)."""
    rows = []
    groups: list[tuple[str | None, Record]] = [(p["id"], localize(dict(p), lang)) for p in report.pillars()]
    wanted = pillar_id(report, pillar) if pillar is not None else None  # None: the report as a whole
    if detail or (pillar is not None and wanted is None):
        groups.append((None, general_group(lang, report)))
    if pillar is not None:
        groups = [g for g in groups if g[0] == wanted]
    fields = names("pillar-detail" if detail else "pillar")
    for pid, row in groups:
        if detail:
            row.update(pillar_detail(report, pid, lang))
        rows.append(shape(row, fields))
    return rows


def general_group(lang: str, report: Report | None = None) -> Record:
    """The pseudo-pillar that holds the report's general aims; its quote is the report's title."""
    from beibei_cli.models import GENERAL_ZH

    name, name_en = GENERAL_ZH, "The report as a whole"
    summary = "不专属某一定位或某篇文章、针对全篇的目标、部署和案例。"
    summary_en = "Aims, plans and cases of the whole report, tied to no one positioning or article."
    quote, para = None, None
    if report is not None:
        title = next((p for p in report.paragraphs if p["type"] == "title"), None)
        quote, para = (title["text"], title["n"]) if title else (None, None)
    # the keys of a pillar, in the schema's order, so that the group's row is shaped like the others
    row: Record = {
        "id": GENERAL,
        "kind": GENERAL,
        "name": name,
        "name_en": name_en,
        "heading": None,
        "heading_en": None,
        "section": None,
        "summary": summary,
        "summary_en": summary_en,
        "quote": quote,
        "note": None,
        "note_zh": None,
        "inferred_fields": [],
        "inferred_reason": None,
        "inferred_reason_zh": None,
        "para": para,
        "paras": [para] if para else [],
    }
    return localize(row, lang)


def pillar_detail(report: Report, pid: str | None, lang: str) -> Record:
    """What the article ties to pillar ``pid`` (None: to the report as a whole)."""
    recs = report.by_pillar()
    plans = []
    for g in recs["plan"].get(pid, []):
        row = _brief(g, lang, ("id", "text", "year", "quote", "para"))
        row.update(flat_date("year", g["year"], lang))
        plans.append(row)
    cases = []
    for c in recs["case"].get(pid, []):
        row = _brief(c, lang, ("id", "title", "dates", "summary", "quote", "para"))
        row["dates"] = [d["iso"] for d in c["dates"]]
        row["date_details"] = [localize(dict(d), lang, ("label",)) for d in c["dates"]]
        cases.append(row)
    metric_keys = ("id", "name", "value", "unit", "text", "qualifier", "kind", "status", "amount", "as_of")
    return {
        "goals": [_brief(g, lang, ("id", "text", "quote", "para")) for g in recs["goal"].get(pid, [])],
        "plans": plans,
        "cases": cases,
        "metrics": [
            {
                **_brief(m, lang, (*metric_keys, "quote", "para")),
                **flat_date("as_of", m["as_of"], lang),
                "figure": figure(m, lang),
            }
            for m in recs["metric"].get(pid, [])
        ],
    }


def flat_date(key: str, date: Date | None, lang: str) -> Record:
    """A date as flat row fields: ``year`` (ISO text), ``year_precision``, ``year_inferred``, ``year_note``
    (in the interface language) with ``year_note_en`` and ``year_note_zh`` (all null for no date: a
    row's keys never depend on its values)."""
    if date is None:
        return {
            key: None,
            f"{key}_precision": None,
            f"{key}_inferred": None,
            f"{key}_note": None,
            f"{key}_note_en": None,
            f"{key}_note_zh": None,
        }
    return {
        key: date["iso"],
        f"{key}_precision": date["precision"],
        f"{key}_inferred": date["inferred"],
        f"{key}_note": note_in(date["note"], date.get("note_zh"), lang),
        f"{key}_note_en": date["note"],
        f"{key}_note_zh": date.get("note_zh"),
    }


def figure(m: Metric, lang: str) -> str:
    """The figure for people: as written (超过6亿元), or in English under ``--lang en``."""
    if lang != "en":
        return m["text"]
    from beibei_cli.quantity import english

    return english(m["value"], m["unit"], m["qualifier"], kind=m["kind"], unit_en=m["unit_en"])


def _brief(rec: Mapping[str, Any], lang: str, keys: tuple[str, ...]) -> Record:
    """``keys`` of ``rec`` as ``localize`` gives them, then the English and Chinese twins of each
    translated one (without copying the whole record: pillars --detail makes many of these)."""
    out = {k: rec.get(k) for k in keys}
    metric = rec.get("_kind") == "metric"
    for k in keys:
        en = f"{k}_en"
        if en not in rec:
            continue
        out[en] = rec[en]
        if k in TRANSLATED and not (metric and k == "text"):  # a figure's text is as written
            zh = rec.get(k)
            if lang == "en":
                out[k] = rec[en] or zh
            out[f"{k}_zh"] = zh
    return out


# -- metrics ---------------------------------------------------------------

# --section narrative: every figure stated in the body of the article, not in the data list
NARRATIVE = ("narrative", "正文", "叙述")
# The fields every metric row starts with, in this order (the rest follow as curated).
METRIC_FIELDS = (
    "id",
    "name",
    "value",
    "unit",
    "pillar",
    "quote",
    "text",
    "qualifier",
    "qualifier_meaning",
    "kind",
    "status",
    "amount",
    "base_unit",
    "figure",
)


def metric_rows(
    report: Report,
    *,
    pillar: str | None,
    section: str | None,
    kind: str | None,
    status: str | None,
    since: str | None,
    until: str | None,
    minimum: str | float | None,
    maximum: str | float | None,
    sort: str,
    reverse: bool,
    lang: str,
) -> list[Record]:
    """The figures, filtered and sorted.

    ``kind`` keeps one kind of figure (money, count, share, ...); ``minimum`` and
    ``maximum`` bound its ``amount`` in base units (a number, or text with a
    Chinese unit: ``1亿``, ``2000万元``) and need ``kind``. ``sort="value"``
    groups the kinds (in the order of ``quantity.KINDS``) and sorts each group by
    amount, largest first; ``sort="name"`` orders by the pinyin of the name.
    """
    from beibei_cli import quantity

    metrics = list(report.typed["metric"])
    if pillar is not None:
        pid = pillar_id(report, pillar)
        metrics = [m for m in metrics if m["pillar"] == pid]
    if section and section.strip().casefold() in NARRATIVE:
        data_sections = {s["id"] for s in report.typed["section"] if s["kind"] == "data"}
        metrics = [m for m in metrics if m["section"] not in data_sections]
    elif section is not None:
        sid = find_section(report, section)["id"]
        metrics = [m for m in metrics if m["section"] == sid]
    if kind is not None:
        if kind not in quantity.KINDS:
            raise UsageError(f"unknown kind {kind!r}; choose one of {', '.join(quantity.KINDS)}")
        metrics = [m for m in metrics if m["kind"] == kind]
    if status is not None:
        if status not in METRIC_STATUSES:
            raise UsageError(f"unknown status {status!r}; choose one of {', '.join(METRIC_STATUSES)}")
        metrics = [m for m in metrics if m["status"] == status]
    if since is not None or until is not None:
        low, high = date_bounds(since, until)
        metrics = [m for m in metrics if m["as_of"] is not None and in_bounds(m["as_of"]["iso"], low, high)]
    if (minimum is not None or maximum is not None) and kind is None:
        raise UsageError(
            f"--min and --max compare amounts within one kind of figure: add --kind ({', '.join(quantity.KINDS)})"
        )
    import operator

    amounts: dict[str, float] = {}
    for label, bound, keep in (("--min", minimum, operator.ge), ("--max", maximum, operator.le)):
        if bound is None:
            continue
        if isinstance(bound, bool) or not isinstance(bound, (int, float, str)):
            raise UsageError(f"{label}: expected a number or text such as 1亿, got {bound!r}")
        if isinstance(bound, float) and not (-float("inf") < bound < float("inf")):
            raise UsageError(
                f"{label}: expected a finite number, got {bound!r}"
            )  # nan compares false: no rows, silently
        try:
            limit_amount = bound if isinstance(bound, (int, float)) else quantity.parse_amount(bound, kind)
        except quantity.QuantityError as exc:
            raise UsageError(f"{label}: {exc}") from None
        amounts[label] = limit_amount
        metrics = [m for m in metrics if keep(m["amount"], limit_amount)]
    if len(amounts) == 2 and amounts["--min"] > amounts["--max"]:
        raise UsageError(f"--min {minimum} is more than --max {maximum}: no amount can be between them")
    if sort == "value":
        order = {k: i for i, k in enumerate(quantity.KINDS)}
        metrics.sort(key=lambda m: -m["amount"])
        metrics.sort(key=lambda m: order.get(m["kind"], len(order)))
    elif sort == "name":
        readings = report.name_readings() if lang != "en" else {}
        metrics.sort(key=lambda m: readings.get(m["id"]) or (m["name_en"] or m["name"]).casefold())
    elif sort == "pillar":
        pillar_order = {p["id"]: i for i, p in enumerate(report.pillars())}
        metrics.sort(key=lambda m: pillar_order.get(m["pillar"] or "", len(pillar_order)))
    if reverse:
        metrics.reverse()
    pillar_of = pillar_names(report, lang)
    fields = names("metric")
    rows = []
    for m in metrics:
        full = localize(dict(m), lang)
        full["figure"] = figure(m, lang)
        row = {k: full.get(k) for k in METRIC_FIELDS}
        row.update({k: v for k, v in full.items() if k not in row})
        row.update(flat_date("as_of", m["as_of"], lang))
        row["pillar_name"] = pillar_of.get(m["pillar"])
        rows.append(shape(row, fields))
    return rows


def pillar_names(report: Report, lang: str) -> dict[str | None, str]:
    out: dict[str | None, str] = {
        p["id"]: (p["name_en"] if lang == "en" else None) or p["name"] for p in report.pillars()
    }
    out[None] = general_group(lang)["name"]
    return out


def find_section(report: Report, key: str) -> Record:
    wanted = _simplified(report, key.strip()).casefold()  # traditional characters as search reads them
    for s in report.records["section"] if wanted else []:
        names = [s["id"], s["id"].removeprefix("section-"), s.get("heading") or "", s["title"], s.get("title_en") or ""]
        names += [n.rstrip(">") for n in names]
        if wanted in (n.casefold() for n in names if n):
            return s
    read_as = _read_as(report, key, "section")  # pinyin, as search reads it: shushuochengxiao, sscx
    if not read_as and len(wanted) >= 2 and not wanted.isascii():  # 科技创新 in 以科技创新带动转型
        read_as = [
            s["id"] for s in report.records["section"] if wanted in (s["title"] + "\n" + (s.get("heading") or ""))
        ]
    if len(read_as) == 1:
        return next(s for s in report.records["section"] if s["id"] == read_as[0])
    valid = ", ".join(f"{s['id'].removeprefix('section-')} ({s['title']})" for s in report.records["section"])
    valid += ", narrative (every section but the data list)"
    if len(read_as) > 1:
        shown = ", ".join(r.removeprefix("section-") for r in read_as)
        raise UsageError(f"section {key!r} could be any of {shown}; give one")
    if not wanted:
        raise UsageError(f"the section is empty; valid sections: {valid}")
    raise UsageError(f"unknown section {key!r}; valid sections: {valid}")


# -- one record ------------------------------------------------------------


def kind_of(rec: Record) -> str:
    return str(rec.get("_kind", "paragraph"))


def find_record(report: Report, rid: str) -> Record:
    """A record by id, or by exact name; else a usage error with suggestions."""
    if not rid.strip():
        raise UsageError(
            "the record id is empty; give one such as metric-rd-intensity or para-31 (find ids with 'beibei search -l WORD')"
        )
    rec = report.get(rid) or _by_name(report, rid)
    if rec is None:
        import difflib

        ids = list(report.by_id())
        close = difflib.get_close_matches(rid, ids, n=3, cutoff=0.5)
        if not close:
            close = [i for i in ids if rid.casefold() in i][:3]
        hint = f"; did you mean {', '.join(close)}?" if close else "; list ids with 'beibei search -l WORD'"
        raise UsageError(f"no record with id {rid!r}{hint}")
    return rec


def show_record(report: Report, rid: str, lang: str) -> Record:
    rec = find_record(report, rid)
    rid = rec["id"]
    kind = kind_of(rec)
    out: Record = {"id": rec["id"], "record": kind}
    out.update({k: v for k, v in localize(rec, lang).items() if k != "id"})
    para = rec.get("para") if kind != "paragraph" else None
    if para:
        out["paragraph"] = report.paragraphs[para - 1]["text"]
    recs = report.records
    if kind == "metric":
        out["figure"] = figure(report.typed["metric"][_index(report, "metric", rid)], lang)
    if kind == "pillar":
        out.update(pillar_detail(report, rid, lang))
    elif kind == "case":
        out["dates"] = [localize(dict(d), lang, ("label",)) for d in rec["dates"]]
        out["metrics"] = [
            _brief(m, lang, ("id", "name", "value", "unit", "text")) for m in recs["metric"] if m["case"] == rid
        ]
        out["events"] = [
            {**_brief(e, lang, ("id", "title")), **flat_date("date", e["date"], lang)}
            for e in report.typed["event"]
            if e["case"] == rid
        ]
    elif kind == "entity":
        out["mentions"] = [_with_title(report, m, lang) for m in entity_mentions(report, rec)]
    elif kind == "paragraph":
        out["quoted_by"] = [
            {"id": r["id"], "record": kind_of(r)}
            for rs in recs.values()
            for r in rs
            if rec["n"] in (r.get("paras") or [r.get("para")])
        ]
    elif kind == "section":
        out["paragraphs"] = [p["n"] for p in report.paragraphs if p["section"] == rid]
    return out


def _with_title(report: Report, mention: Record, lang: str) -> Record:
    """A mention with the title (or name, or text) of the record that makes it, for people to read."""
    rec = localize(report.get(mention["id"]) or {}, lang)
    title = next((rec[k] for k in ("title", "name", "text") if rec.get(k)), None)
    return {"id": mention["id"], "record": mention["record"], "title": title, "para": mention.get("para")}


def _index(report: Report, kind: str, rid: str) -> int:
    return next(i for i, r in enumerate(report.records[kind]) if r["id"] == rid)


def _by_name(report: Report, name: str) -> Record | None:
    """A pillar, entity or metric whose name (or a pillar's heading) is exactly ``name``."""
    for kind in ("pillar", "entity", "metric", "case"):
        for rec in report.records[kind]:
            names = [rec.get("name"), rec.get("title"), rec.get("heading"), *(rec.get("aliases") or [])]
            if name in names:
                return rec
    return None


# -- entities, timeline, source --------------------------------------------


def entity_mentions(report: Report, entity: Record) -> list[Record]:
    """The records that name ``entity`` (by its name or an alias) or link to it."""
    return list(report.mentions().get(entity["id"], []))


def entity_type(name: str, report: Report | None = None) -> str:
    """An entity type by its name (company), the Chinese the tables show (企业), with a report
    also in traditional characters (企業) or pinyin (qiye)."""
    from beibei_cli.models import ENTITY_TYPE_ZH, ENTITY_TYPES

    if not isinstance(name, str):
        raise UsageError(f"type: expected text such as company, got {name!r}")
    typed = name.strip()
    if typed.casefold() in ENTITY_TYPES:
        return typed.casefold()
    zh = {v: k for k, v in ENTITY_TYPE_ZH.items()}
    simplified = _simplified(report, typed) if report is not None else typed
    if simplified in zh:
        return zh[simplified]
    read_as = _read_as(report, typed, "entity_type") if report is not None else []
    if len(read_as) == 1:
        return read_as[0]
    valid = ", ".join(f"{t} ({ENTITY_TYPE_ZH[t]})" for t in ENTITY_TYPES)
    raise UsageError(f"unknown entity type {name!r}; choose from {valid}")


def entity_rows(report: Report, *, type: str | None, lang: str) -> list[Record]:  # noqa: A002 - --type
    wanted = entity_type(type, report) if type is not None else None
    fields = names("entity")
    rows = []
    for e in report.records["entity"]:
        if wanted and e["type"] != wanted:
            continue
        row = localize(e, lang)
        row["mentions"] = [m["id"] for m in entity_mentions(report, e)]
        rows.append(shape(row, fields))
    return rows


def timeline_rows(report: Report, *, since: str | None, until: str | None, lang: str) -> list[Record]:
    """Dated events in date order; ``inferred`` and ``date_note`` say how a date is known."""
    low, high = date_bounds(since, until)
    events = sorted(report.typed["event"], key=lambda e: date_key(e["date"]["iso"], False))
    fields = names("event")
    rows = []
    for e in events:
        iso = e["date"]["iso"]
        if not in_bounds(iso, low, high):
            continue
        full = localize(dict(e), lang)
        full.update(
            date=iso,
            precision=e["date"]["precision"],
            inferred=e["date"]["inferred"],
            date_note=note_in(e["date"]["note"], e["date"].get("note_zh"), lang),
            date_note_en=e["date"]["note"],
            date_note_zh=e["date"].get("note_zh"),
        )
        rows.append(shape(full, fields))
    return rows


def _paragraphs_by_pinyin(report: Report, text: str) -> set[int]:
    """The numbers of the paragraphs whose pinyin holds ``text`` (a word typed in Latin letters)."""
    from beibei_cli.search.query import Index, parse_terms
    from beibei_cli.search.query import run as run_search

    if not parse_terms([text]):
        return set()
    found = run_search(Index(report.index()), [text], kinds={"paragraph"}, exact=True)
    return {int(h["id"].removeprefix("para-")) for h in found.hits if h["id"].startswith("para-")}


def paragraph_rows(report: Report, *, para: int | None, grep: str | None) -> list[Record]:
    paras = report.paragraphs
    if para is not None:
        if para > len(paras):
            raise UsageError(f"--para must be between 1 and {len(paras)}")
        paras = [paras[para - 1]]
    if grep is not None:
        if not grep.strip():
            raise UsageError("--grep is empty; give the text a paragraph must contain")
        check_words([grep], "--grep text")
        # the same normalisation as search: full-width, case, traditional characters
        from beibei_cli.search.normalize import normalize_query

        t2s = report.t2s()
        needle = normalize_query(grep, t2s)
        # pinyin too, as search reads it (zhaoshang, zs): the paragraphs search finds for it exactly
        latin = _latin(grep)  # zhaoshang, zhāoshāng, ＺＨＡＯＳＨＡＮＧ
        by_pinyin = _paragraphs_by_pinyin(report, latin) if latin is not None else set()
        paras = [p for p in paras if needle in normalize_query(p["text"], t2s) or p["n"] in by_pinyin]
    return [{k: v for k, v in p.items() if k not in PRIVATE} for p in paras]


def info_record(report: Report, lang: str) -> Record:
    """What is loaded: the report's title, region and date, its files, versions and counts."""
    from beibei_cli.about import SCHEMA_VERSION, __version__
    from beibei_cli.files import os_text

    meta = localize(report.meta, lang)
    region, region_en = report.meta["region"], report.meta.get("region_en")
    info = {
        "title": meta["title"],
        "title_en": meta.get("title_en"),
        "title_zh": meta.get("title_zh"),
        "region": region_en if lang == "en" and region_en else region,
        "region_en": region_en,
        "region_zh": region,
        **_report_date(report, lang),
        "data_file": os_text(report.data_path),
        "source_file": os_text(report.source_path),
        "schema_version": SCHEMA_VERSION,
        "version": __version__,
        "counts": counts(report),
    }
    return shape(info, names("info"))


def _date_iso(report: Report) -> str | None:
    """The report's date (ISO), as the store keeps it where it holds the report (its meta unread)."""
    stored: str | None = report.__dict__.get("stored_date")
    if stored is not None:
        return stored or None
    return _report_date(report, "zh")["date"]  # type: ignore[no-any-return]


def _report_date(report: Report, lang: str) -> Record:
    date = report.meta.get("date")
    if not date:
        return {"date": None, "date_inferred": None}
    return {
        "date": date["iso"],
        "date_inferred": date["inferred"],
        "date_precision": date["precision"],
        "date_note": note_in(date["note"], date.get("note_zh"), lang),
        "date_note_en": date["note"],
        "date_note_zh": date.get("note_zh"),
    }


def english_titles(report: Report, hits: list[Record], lang: str) -> None:
    """In every language a hit carries ``title_en`` (its record's English name, or null) and
    ``title_zh`` (its Chinese title); its ``title`` is in the interface language."""
    kept = _kept(report, ENGLISH_TITLES) if hits else None  # a report of the store: not loaded for it
    for hit in hits:
        english = kept.get(hit["id"]) if kept is not None else _english_title(report.get(hit["id"]) or {})
        hit["title_en"] = english
        hit["title_zh"] = hit["title"]
        if lang == "en" and english:
            hit["title"] = english


def _english_title(rec: Mapping[str, Any]) -> str | None:
    return next((rec[k] for k in ("title_en", "name_en", "text_en") if rec.get(k)), None)


def counts(report: Report) -> dict[str, int]:
    stored: dict[str, int] | None = getattr(report, "stored_counts", None)  # a report of the shelf's store
    if stored is not None:
        return dict(stored)
    out = {kind: len(recs) for kind, recs in report.records.items()}
    out["paragraph"] = len(report.paragraphs)
    return out


def citation(report: Report, rid: str) -> Record:
    """What a citation of record ``rid`` holds: its id, quote and paragraph, and the report's title.

    (``output.citation`` writes it out; a record with no quote of its own is a usage error.)
    """
    rec = find_record(report, rid)
    if kind_of(rec) == "paragraph":
        quote, para = rec["text"], rec["n"]
    elif not rec.get("quote"):
        quoted = [k for k, recs in report.records.items() if any(r.get("quote") for r in recs)] + ["paragraph"]
        raise UsageError(
            f"{rid} is a {kind_of(rec)}, which has no quote to cite; records of these kinds have one: "
            f"{', '.join(quoted)} (a section's text: its paragraphs, para-N)"
        )
    else:
        quote, para = rec["quote"], rec["para"]
    return {
        "id": rec["id"],
        "quote": quote,
        "para": para,
        "title": report.meta["title"],
        "title_en": report.meta.get("title_en"),
    }


def document(report: Report, lang: str) -> Record:
    """The whole report for ``export``: its meta and the rows of pillars --detail, metrics and timeline."""
    return {
        "meta": report.meta,
        "localized": localize(report.meta, lang),
        "sections": [
            ("pillars", pillar_rows(report, detail=True, lang=lang)),
            ("metrics", run(report, "metrics", {}, lang)),
            ("timeline", run(report, "timeline", {}, lang)),
        ],
    }


def any_fields(rows: list[dict[str, Any]]) -> list[str]:
    keys: list[str] = []
    for row in rows:
        for k in row:
            if k not in keys:
                keys.append(k)
    return keys


# -- search ----------------------------------------------------------------


def parse_kinds(scope: str | list[str] | None, option: str = "--in", report: Report | None = None) -> set[str] | None:
    """``"cases,metrics"`` or ``["case", "metrics"]`` -> ``{"case", "metric"}`` (None: every kind).
    The Chinese names of the kinds are accepted too (案例,数据), with ``report`` also in traditional
    characters (數據) and pinyin (anli, shuju)."""
    if scope is None:
        return None
    from beibei_cli.models import KIND_ORDER, KIND_ZH, KINDS

    def split(text: str) -> list[str]:  # the Chinese keyboard's commas too: 案例，数据 and 案例、数据
        return text.replace("，", ",").replace("、", ",").split(",")

    parts = split(scope) if isinstance(scope, str) else [p for item in scope for p in split(str(item))]
    scopes = {KINDS.get(kind, kind + "s"): kind for kind in KIND_ORDER}
    chinese = {KIND_ZH[kind]: kind for kind in KIND_ORDER if kind in KIND_ZH}
    kinds = set()
    for part in parts:
        name = part.strip().lower()
        if not name:
            continue
        simplified = _simplified(report, name) if report is not None else name
        kind = scopes.get(name) or (name if name in KIND_ORDER else None) or chinese.get(simplified)
        if kind is None and report is not None:
            read_as = _read_as(report, name, "kind")
            kind = read_as[0] if len(read_as) == 1 else None
        if kind is None:
            raise UsageError(f"unknown scope {part.strip()!r} in {option}; choose from {', '.join(scopes)}")
        kinds.add(kind)
    if not kinds:
        raise UsageError(f"{option} is empty; choose from {', '.join(scopes)}")
    return kinds


# Each term is matched against every record, so the cost is terms x report: 256
# terms take ~0.2 s on the report, 10,000 took 4.5 s. Documented in the README.
MAX_TERMS = 256
MAX_QUERY_CHARS = 2000  # characters in a search query or pattern


def unstated_terms(loaded: Report | Shelf, query: str | list[str], **options: Any) -> list[str]:
    """With ``any_term`` and more than one term, the terms the report does not state: each one
    that, searched alone, would not be answered ``found`` (so an answer found for 招商 does not
    pass for 人口 too). Empty otherwise."""
    from beibei_cli.search.query import FOUND, answer_of, parse_terms

    if not options.get("any_term") or options.get("regex"):
        return []
    terms = parse_terms([query] if isinstance(query, str) else query)
    if len(terms) < 2:
        return []
    alone = {**options, "any_term": False}
    missing = []
    for term in terms:
        word = f'"{term}"' if " " in term else term
        if isinstance(loaded, Shelf):
            hits = shelf_search(loaded, [word], limit=1, **alone)[0]  # found or not: the first hit says
        else:
            hits = search_outcome(loaded, [word], **alone)[0]
        if answer_of(hits) != FOUND:
            missing.append(term)
    return missing


def check_words(words: list[str], what: str) -> None:
    """The bounds every typed text shares (search, series, trend, source --grep), in the CLI, the
    API and MCP alike: at most MAX_QUERY_CHARS characters in all, and valid text (an undecodable
    byte of the command line, or a lone surrogate of JSON, is refused with its position)."""
    length = sum(len(w) for w in words)
    if length > MAX_QUERY_CHARS:  # cost stays bounded
        raise UsageError(f"the {what} has {length} characters; the limit is {MAX_QUERY_CHARS}")
    for w in words:
        try:
            w.encode("utf-8")
        except UnicodeEncodeError as exc:
            ch = w[exc.start]
            bad = f"byte 0x{ord(ch) - 0xDC00:02x}" if "\udc80" <= ch <= "\udcff" else f"lone surrogate \\u{ord(ch):04x}"
            raise UsageError(f"the {what} is not valid text: {bad} at character {exc.start + 1}") from None


def search_hits(report: Report, query: str | list[str], **options: Any) -> list[Record]:
    """Every ranked hit of ``beibei search`` (``snippet_matches`` included): ``search_outcome``'s
    hits, with its keyword options."""
    return search_outcome(report, query, **options)[0]


DEFAULT_CONTEXT = 20  # characters each side of a snippet's match, unless asked (a terminal table fits it)


def search_outcome(
    report: Report,
    query: str | list[str],
    *,
    kinds: str | list[str] | set[str] | None,
    any_term: bool,
    regex: bool,
    context: int | None,
    lang: str,
    exact: bool,
    finish: bool = True,
) -> tuple[list[Record], str | None]:
    """The hits of ``search_hits`` and a one-line note, in the interface language, on the
    looser matching that found them (``no exact match for 斯太宝芯片; showing records that
    contain 斯太宝 and 芯片``), or None when every term matched exactly."""
    from beibei_cli.search.query import Index, parse_terms
    from beibei_cli.search.query import run as run_search

    if isinstance(query, str):
        query = [query]
    elif not isinstance(query, list) or not all(isinstance(q, str) for q in query):
        raise UsageError(f"the search query must be text (or a list of words), got {query!r}")
    if not isinstance(kinds, set):
        kinds = parse_kinds(kinds, "--in", report)
    if not regex and len(terms := parse_terms(query)) > MAX_TERMS:
        raise UsageError(
            f"too many search terms ({len(terms)}); the limit is {MAX_TERMS} (each term is matched against every record)"
        )
    check_words(query, "search pattern" if regex else "search query")
    if context is None:
        context = DEFAULT_CONTEXT
    index = Index(report.index())
    found = run_search(index, query, kinds=kinds, any_term=any_term, regex=regex, context=context, exact=exact)
    if finish:
        finish_hits(report, found.hits, lang, context)
    for n, hit in enumerate(found.hits, 1):  # the order is the ranking; score is one part of it
        hit["rank"] = n
    from beibei_cli.search.fallback import Note

    note = found.note.say(lang) if isinstance(found.note, Note) else found.note
    return found.hits, note


def finish_hits(report: Report, hits: list[Record], lang: str, context: int | None) -> None:
    """The hits of ``report`` as printed: their English titles, their snippets in the interface
    language (cut from its lines only). A shelf finishes only the hits it keeps."""
    english_titles(report, hits, lang)
    from beibei_cli.snippets import localize_snippets

    localize_snippets(hits, lang, DEFAULT_CONTEXT if context is None else context)


# -- every listing by its declared name (declare.py) ----------------------------


# -- the other kinds: goals, plans, cases, honours, sections, captions -------------------------


def _pillar_filter(report: Report, pillar: str | None) -> tuple[bool, str | None]:
    """(whether to filter, the pillar id or None for the report as a whole)."""
    if pillar is None:
        return False, None
    return True, pillar_id(report, pillar)


def _record_rows(
    report: Report, kind: str, rows_kind: str, lang: str, pillar: str | None, date_of: Any = None, **dates: Any
) -> list[Record]:
    """Records of ``kind`` in the report's order, filtered by pillar and (with ``date_of``, the
    record's ISO dates) by ``since``/``until``: a record with no date is left out once a bound is given."""
    by_pillar, pid = _pillar_filter(report, pillar)
    low, high = date_bounds(dates.get("since"), dates.get("until"))
    year = dates.get("year")
    if year is not None:
        low, high = date_bounds(str(year), str(year))
    bounded = low is not None or high is not None
    names_of = pillar_names(report, lang)
    fields = names(rows_kind)
    rows = []
    for rec in report.records[kind]:
        if by_pillar and rec.get("pillar") != pid:
            continue
        if bounded and not any(in_bounds(iso, low, high) for iso in date_of(rec)):
            continue
        row = localize(rec, lang)
        if "pillar" in rec:
            row["pillar_name"] = names_of.get(rec["pillar"])
        if "year" in rec:
            row.update(flat_date("year", rec["year"], lang))
        if kind == "case":
            row["dates"] = [d["iso"] for d in rec["dates"]]
            row["date"] = row["dates"][0] if row["dates"] else None
        rows.append(shape(row, fields))
    return rows


def _year_of(rec: Record) -> list[str]:
    return [rec["year"]["iso"]] if rec.get("year") else []


def _case_dates(rec: Record) -> list[str]:
    return [d["iso"] for d in rec["dates"]]


def goal_rows(report: Report, *, pillar: str | None, lang: str) -> list[Record]:
    return _record_rows(report, "goal", "goal", lang, pillar)


def plan_rows(
    report: Report, *, pillar: str | None, year: int | None, since: str | None, until: str | None, lang: str
) -> list[Record]:
    return _record_rows(report, "plan", "plan", lang, pillar, _year_of, year=year, since=since, until=until)


def case_rows(report: Report, *, pillar: str | None, since: str | None, until: str | None, lang: str) -> list[Record]:
    return _record_rows(report, "case", "case", lang, pillar, _case_dates, since=since, until=until)


def honour_rows(
    report: Report, *, pillar: str | None, year: int | None, since: str | None, until: str | None, lang: str
) -> list[Record]:
    return _record_rows(report, "honour", "honour", lang, pillar, _year_of, year=year, since=since, until=until)


def section_rows(report: Report, *, lang: str) -> list[Record]:
    return [shape(localize(s, lang), names("section")) for s in report.records["section"]]


def caption_rows(report: Report, *, lang: str) -> list[Record]:
    rows = []
    for c in report.records["caption"]:
        row = localize(c, lang)
        # a caption's Chinese is its quote: the title in Chinese is the caption itself
        row["title"] = (c["title_en"] or c["quote"]) if lang == "en" else c["quote"]
        rows.append(shape(row, names("caption")))
    return rows


def _metric_rows(report: Report, lang: str, **filters: Any) -> list[Record]:
    return metric_rows(report, lang=lang, **filters)


LISTINGS: dict[str, Any] = {
    "pillars": lambda report, lang, **f: pillar_rows(report, lang=lang, **f),
    "metrics": _metric_rows,
    "search": lambda report, lang, **f: [
        {k: v for k, v in h.items() if k != "snippet_matches"} for h in search_hits(report, lang=lang, **f)
    ],
    "timeline": lambda report, lang, **f: timeline_rows(report, lang=lang, **f),
    "entities": lambda report, lang, **f: entity_rows(report, lang=lang, **f),
    "source": lambda report, lang, **f: paragraph_rows(report, **f),
    "goals": lambda report, lang, **f: goal_rows(report, lang=lang, **f),
    "plans": lambda report, lang, **f: plan_rows(report, lang=lang, **f),
    "cases": lambda report, lang, **f: case_rows(report, lang=lang, **f),
    "honours": lambda report, lang, **f: honour_rows(report, lang=lang, **f),
    "sections": lambda report, lang, **f: section_rows(report, lang=lang, **f),
    "captions": lambda report, lang, **f: caption_rows(report, lang=lang, **f),
    "reports": lambda report, lang, **f: report_rows(report, lang=lang),
    "series": lambda report, lang, **f: series_rows(report, lang=lang, **f),
    "trend": lambda report, lang, **f: trend_rows(report, lang=lang, **f),
}


# the listings whose rows function takes the report or the shelf itself (each row names its report)
ACROSS = ("reports", "series", "trend")


def run(loaded: Report | Shelf, name: str, filters: Mapping[str, Any], lang: str) -> list[Record]:
    """The rows of listing ``name`` with ``filters`` (the declared defaults fill the rest); on a
    shelf, as the command line gives them: each report's rows by ``over`` (search ranked across
    the shelf by ``shelf_search``), ``report`` first and ids ``KEY:ID``."""
    from beibei_cli.declare import by_name

    values = {p["name"]: p["default"] for p in by_name(name)["params"] if p["role"] == "filter" and not p["required"]}
    values.update(filters)
    rows: list[Record]
    if isinstance(loaded, Shelf) and name == "search":
        hits = shelf_search(loaded, lang=lang, **values)[0]
        rows = [{k: v for k, v in h.items() if k != "snippet_matches"} for h in hits]
    elif isinstance(loaded, Shelf) and name not in ACROSS:
        rows = over(loaded, lambda report, **f: LISTINGS[name](report, lang, **f), **values)
    else:
        rows = LISTINGS[name](loaded, lang, **values)
    return rows


# -- a shelf: the same queries over every report ----------------------------------------------


def on_shelf(key: str, row: Record) -> Record:
    """``row`` of report ``key`` as a shelf gives it: ``report`` first, every ``id`` (nested too) ``KEY:ID``."""
    out: Record = {"report": key}
    out.update(_prefixed(key, row))
    return out


def _prefixed(key: str, value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: (f"{key}{SEPARATOR}{v}" if k == "id" and isinstance(v, str) else _prefixed(key, v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_prefixed(key, v) for v in value]
    return value


def over(loaded: Report | Shelf, rows_of: Callable[..., list[Record]], **options: Any) -> list[Record]:
    """The rows of ``rows_of`` for one report, as they are; on a shelf, each report's rows in
    shelf order (report date, then key) by ``on_shelf``.

    A filter that names nothing in one report of a shelf (say a pillar only some reports have)
    leaves that report out; it is an error only when it names nothing in every report.
    """
    if not isinstance(loaded, Shelf):
        return rows_of(loaded, **options)
    out: list[Record] = []
    first_error: UsageError | None = None
    answered = False
    from beibei_cli.store import release

    for key, report in loaded:
        try:
            rows = rows_of(report, **options)
        except UsageError as exc:
            first_error = first_error or exc
            continue
        finally:
            release(report)  # one report in memory at a time
        answered = True
        out.extend(on_shelf(key, row) for row in rows)
    if not answered and first_error is not None:
        raise first_error
    return out


def report_rows(loaded: Report | Shelf, *, lang: str) -> list[Record]:
    """One row per report loaded (shelf order), then one per report that failed, with its error.
    A report of the shelf's store gives the row the store keeps (``shelf_extras``), read, not made."""
    from beibei_cli.files import os_text

    out: list[Record] = []
    kept = _kept_all(loaded, f"{REPORT_ROW}:{lang}")
    for key, report in entries(loaded):
        text = kept.pop(report.__dict__.get("stored_id", -1), None) if kept else None  # let it go once used
        if isinstance(text, str):
            import json

            item = text.replace(KEY_HOLDER, _json_text(key), 1)
            out.append(Encoded(json.loads(item), item))
            continue
        out.append(_report_row(report, key, lang))
    for path, error in loaded.failed if isinstance(loaded, Shelf) else []:
        import os

        stem = os.path.splitext(os.path.basename(path))[0]
        out.append(shape({"key": stem, "data_file": os_text(path), "error": error}, names("report")))
    return out


def _report_row(report: Report, key: str, lang: str) -> Record:
    info = info_record(report, lang)
    tally = counts(report)
    drafts = draft_count(report)
    records = sum(n for k, n in tally.items() if k != "paragraph")
    row = {**info, "key": key, "records": records, "drafts": drafts, "error": None}
    return shape(row, names("report"))


# -- what the shelf's store keeps of each report, made once when the report is read -------------

REPORT_ROW = "report-row"  # its ``reports`` row (JSON, as to_json prints it), by language
SERIES_ROW = "series-row"  # each figure's ``series`` row on a shelf, by language and id
FIGURE_INDEX = "figure-index"  # the index of its figures' names (bytes), and its hash
FIGURE_HASH = "figure-hash"
ENGLISH_TITLES = "english-titles"  # id -> the record's English name, for search hits
KEY_HOLDER = '"\\u0000key\\u0000"'  # the row's key, as JSON: the shelf gives the key when it loads


def shelf_extras(report: Report) -> dict[str, str | bytes]:
    """What the shelf's store keeps of ``report`` beside it (``store.refresh``'s extras), so
    that a warm command on a shelf reads rows rather than loading reports."""
    import json

    out: dict[str, str | bytes] = {}
    for lang in ("zh", "en"):
        row = _report_row(report, "\0key\0", lang)
        out[f"{REPORT_ROW}:{lang}"] = json_item(row)
    blob = report.figure_index()
    out[FIGURE_INDEX] = blob  # bytes: a BLOB in the store
    from beibei_cli.store import digest

    out[FIGURE_HASH] = digest(blob)  # reports whose names index alike are searched once
    date = _date_iso(report)
    for m in report.typed["metric"]:
        for lang in ("zh", "en"):
            out[f"{SERIES_ROW}:{lang}:{m['id']}"] = json_item(series_row(m, "\0key\0", date, lang, True))
    out[ENGLISH_TITLES] = json.dumps(
        {rid: _english_title(rec) for rid, rec in report.by_id().items() if _english_title(rec)}, ensure_ascii=False
    )
    return out


def _json_text(text: str) -> str:
    """``text`` as a JSON string, its refused characters escaped as the kept rows' are (a key
    made of a folder's name may hold any)."""
    from json.encoder import encode_basestring

    from beibei_cli.textsafety import json_escape

    return json_escape(encode_basestring(text))


def _kept_all(loaded: Report | Shelf, name: str) -> dict[int, str | bytes]:
    """Store id -> what the store keeps under ``name``, for a shelf of the store (else empty)."""
    if not isinstance(loaded, Shelf) or loaded.store is None:
        return {}
    return loaded.store.derived_all(name)


def _kept(report: Report, name: str) -> Any:
    """What the shelf's store keeps of ``report`` under ``name`` (JSON read), or None: a report
    loaded alone, or one of the store already loaded, answers from its records."""
    derived = report.__dict__.get("stored_store") and "stored_loaded" not in report.__dict__
    if not derived:
        return None
    text = report.derived(name)  # type: ignore[attr-defined]  # a StoredReport's
    if text is None:
        return None
    import json

    return json.loads(text)


def draft_count(report: Report) -> int:
    """How many of the report's records are still drafts (``draft: true``)."""
    stored: int | None = getattr(report, "stored_drafts", None)  # a report of the shelf's store
    if stored is not None:
        return stored
    return sum(1 for recs in report.records.values() for rec in recs if rec.get("draft"))


def entries(loaded: Report | Shelf) -> list[tuple[str, Report]]:
    """(key, report) of each report loaded, in shelf order (one report: its own key)."""
    from beibei_cli.shelf import own_key

    return list(loaded) if isinstance(loaded, Shelf) else [(own_key(loaded), loaded)]


def series_rows(loaded: Report | Shelf, *, query: str | list[str], lang: str) -> list[Record]:
    """The figures whose name matches ``query`` (search's matching, among the figures' names),
    one row per report and figure: reports by date, within a report in the report's order.

    Only a name that holds the words as asked counts (search's ``exact`` tier: as typed, traditional
    characters, pinyin, the report's Chinese for an English word), in Chinese or in English: a figure
    whose quote merely mentions them (研发经费 36.55亿元 beside 研发经费投入强度 5.09%) or whose name
    shares only part of them (到位资金同比增长 for GDP增长) is not a series of what was asked.

    Each report's figure names have an index of their own (``Report.figure_index``); reports whose
    indexes are the same bytes (the same figures, named alike) are searched once. On a shelf of the
    store, the index and each row are read from the store, and no report is loaded."""
    shelf = isinstance(loaded, Shelf)
    store = loaded.store if isinstance(loaded, Shelf) else None
    hashes = store.derived_all(FIGURE_HASH) if store is not None else {}
    matched: dict[Any, list[str]] = {}  # an index (its bytes, or its hash in the store) -> the ids it matches
    wanted: list[tuple[str, Report, list[str]]] = []
    for key, report in entries(loaded):
        stored_id = report.__dict__.get("stored_id")
        digest = hashes.get(stored_id) if stored_id is not None and "stored_loaded" not in report.__dict__ else None
        if digest is not None and store is not None:
            if digest not in matched:
                blob = store.derived(FIGURE_INDEX, stored_id)  # type: ignore[arg-type]
                matched[digest] = _figures_named(blob, query) if isinstance(blob, bytes) else None  # type: ignore[assignment]
            if matched[digest] is not None:
                wanted.append((key, report, matched[digest]))
                continue
        blob = report.figure_index()
        if blob not in matched:
            matched[blob] = _figures_named(blob, query)
        wanted.append((key, report, matched[blob]))
    ids = {rid for _, _, found in wanted for rid in found}
    kept = {rid: store.derived_all(f"{SERIES_ROW}:{lang}:{rid}") for rid in ids} if store is not None else {}
    out: list[Record] = []
    for key, report, found in wanted:
        stored_id = report.__dict__.get("stored_id", -1)
        for rid in found:
            item = kept.get(rid, {}).get(stored_id)
            if isinstance(item, str):
                import json

                item = item.replace(KEY_HOLDER[1:-1], _json_text(key)[1:-1])
                out.append(Encoded(json.loads(item), item))
                continue
            metric = next(m for m in report.typed["metric"] if m["id"] == rid)
            out.append(series_row(metric, key, _date_iso(report), lang, shelf))
        if shelf:  # one report never imports the store (nor sqlite3)
            from beibei_cli.store import release

            release(report)  # one report in memory at a time
    return out


def series_row(m: Mapping[str, Any], key: str, date: str | None, lang: str, shelf: bool) -> Record:
    """One row of ``series``: the figure as its report gives it, with the report's key and date."""
    row = localize(dict(m), lang)
    row.update(report=key, date=date, figure=figure(m, lang))  # type: ignore[arg-type]
    if shelf:
        row["id"] = f"{key}{SEPARATOR}{m['id']}"
    return shape(row, names("series"))


def _figures_named(blob: bytes, query: str | list[str]) -> list[str]:
    """The ids of the figures (in the report's order) whose names hold ``query``, by the index
    of their names: every word matched exactly, and only inside a name."""
    from beibei_cli.search.fallback import EXACT
    from beibei_cli.search.query import Index
    from beibei_cli.search.query import run as run_search

    words = [query] if isinstance(query, str) else query
    index = Index(blob)
    found = run_search(index, words, kinds={"metric"}, any_term=False, regex=False, context=0, exact=False)
    named = {h["id"] for h in found.hits if h.get("match") == EXACT and _in_name(h)}
    return [d[0] for d in index.docs if d[0] in named]


def _in_name(hit: Record) -> bool:
    """Whether every word a figure's hit matched is matched inside one of its names (the text
    searched is its Chinese name, a line break, its English name): R&D intensity is not the name
    R&D spending, and a span across the two names is no name."""
    cut = len(hit.get("title") or "")
    spans = [(start, end) for start, end in hit.get("matches") or []]
    return bool(spans) and all(end <= cut or start > cut for start, end in spans)


def trend_rows(loaded: Report | Shelf, *, terms: list[str], lang: str) -> list[Record]:
    """For each report (by date) and each term: its occurrences in the paragraphs, per 10,000
    characters of the text (whitespace not counted), and the paragraphs it is in. A term is
    counted as written, whatever its case or width and in traditional characters too (GDP, gdp
    and ＧＤＰ alike); pinyin is not read (search reads it)."""
    from beibei_cli.report import squash, trend_form

    wanted = [t for t in terms if isinstance(t, str)] if isinstance(terms, list) else []
    if not wanted or not all(squash(t) for t in wanted):
        raise UsageError("trend needs terms to count, none of them empty (e.g. beibei trend 招商 科技创新)")
    if len(wanted) > MAX_TERMS:
        raise UsageError(f"too many trend terms ({len(wanted)}); the limit is {MAX_TERMS}")
    check_words(wanted, "trend query")
    listed = entries(loaded)
    store = loaded.store if isinstance(loaded, Shelf) else None
    stored: list[int] = []
    if store is not None:  # one report never imports the store (nor sqlite3)
        from beibei_cli.store import StoredReport, is_stored

        stored = [r.stored_id for _, r in listed if is_stored(r) and isinstance(r, StoredReport)]
    # the store counts in SQL for the reports it holds, none of them loaded
    counted = store.trend(stored, wanted) if store is not None and stored else {}
    out: list[Record] = []
    for key, report in listed:
        date = _date_iso(report)
        if counted and (report.__dict__.get("stored_id"), wanted[0]) in counted:
            chars: int = getattr(report, "stored_chars")  # noqa: B009  (a StoredReport's)
            for term in wanted:
                found = counted[(report.__dict__["stored_id"], term)]
                count = sum(c for _, c in found)
                per_10k = round(count * 10000 / chars, 2) if chars else 0.0
                row = {"report": key, "date": date, "term": term, "count": count, "per_10k": per_10k}
                out.append(shape({**row, "chars": chars, "paras": [n for n, _ in found]}, names("trend")))
            continue
        texts = [(p["n"], trend_form(p["text"])) for p in report.paragraphs]
        chars = sum(len(squash(p["text"])) for p in report.paragraphs)
        for term in wanted:
            needle = _simplified(report, trend_form(term))
            found = [(n, text.count(needle)) for n, text in texts if needle in text]
            count = sum(c for _, c in found)
            per_10k = round(count * 10000 / chars, 2) if chars else 0.0
            row = {"report": key, "date": date, "term": term, "count": count, "per_10k": per_10k}
            out.append(shape({**row, "chars": chars, "paras": [n for n, _ in found]}, names("trend")))
    return out


def shelf_search(
    shelf: Shelf, query: str | list[str], *, limit: int | None = None, **options: Any
) -> tuple[list[Record], str | None]:
    """``search_outcome`` on the reports of the shelf, and the first report's note. The hits of
    all in one ranking: by how they were found (``match``), then each report's own rank (every
    report's best hit before any report's second), then shelf order (report date, then key).
    Scores are not compared across reports: each is its own report's BM25. ``rank`` is then the
    place on the shelf, so a shelf of one report ranks as the report does.

    With ``limit``, only the first ``limit`` hits are wanted, and the reports are searched in
    shelf order until no report left could place a hit among them: once ``limit`` reports gave
    an exact best hit, the rest cannot (``search 招商 --limit 20`` searches 20 reports of a
    thousand, not all of them)."""
    from beibei_cli.search.fallback import EXACT, TIERS

    hits: list[Record] = []
    note: str | None = None
    from beibei_cli.store import release

    need = None if limit is None else max(limit, 1)  # limit 0 still answers found or not
    firsts = 0  # the reports whose best hit is exact: no later report's hit goes before theirs
    found_in: list[tuple[str, Report, Record]] = []
    for key, report in shelf:
        if need is not None and firsts >= need:
            break
        try:
            found, said = search_outcome(report, query, finish=False, **options)
        finally:
            release(report)  # one report in memory at a time
        note = note or said
        if found and found[0].get("match") == EXACT:
            firsts += 1
        found_in.extend((key, report, h) for h in found)
    tier = {t: n for n, t in enumerate(TIERS)}
    found_in.sort(key=lambda f: (tier.get(str(f[2].get("match")), len(tier)), f[2]["rank"]))  # stable: shelf order
    if need is not None:
        del found_in[need:]
    by_report: dict[str, list[Record]] = {}
    for key, _report, hit in found_in:  # only the hits kept are finished (titles, snippets)
        by_report.setdefault(key, []).append(hit)
    lang, context = options.get("lang", "zh"), options.get("context")
    for key, report, _ in {f[0]: f for f in found_in}.values():
        try:
            finish_hits(report, by_report[key], lang, context)
        finally:
            release(report)
    for n, (key, _, hit) in enumerate(found_in, 1):
        hits.append(on_shelf(key, {**hit, "rank": n}))
    return hits, note


def shelf_record(loaded: Report | Shelf, rid: str, rows_of: Callable[..., Record], *args: Any) -> Record:
    """``rows_of(report, id, ...)`` for one record: on a shelf, of the report ``KEY:ID`` names
    (a bare id where it is unique on the shelf), by ``on_shelf``."""
    if not isinstance(loaded, Shelf):
        return rows_of(loaded, rid, *args)
    key, report, bare = loaded.resolve(rid)
    return on_shelf(key, rows_of(report, bare, *args))
