"""Pure functions from the report to rows: no printing, no I/O.

Rows are dicts whose keys are the JSON contract (``id`` first). With
``lang="en"`` the curated English goes in ``name``/``title``/``summary``/...
and the Chinese moves to ``name_zh``/``title_zh``/...; quotes stay Chinese.
"""

from __future__ import annotations

from beibei_cli.errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from beibei_cli.models import Record
    from beibei_cli.report import Report

TRANSLATED = ("name", "title", "summary", "heading", "text")
PRIVATE = ("_kind",)


def localize(rec: Record, lang: str) -> Record:
    """A copy of ``rec`` for output in ``lang`` (zh: as curated; en: English first)."""
    out = {k: v for k, v in rec.items() if k not in PRIVATE}
    if lang != "en":
        return out
    for field in TRANSLATED:
        en = f"{field}_en"
        if en in out:
            zh = out.get(field)  # a caption has title_en but no title (its quote is the text)
            english = out.pop(en)
            out[field] = english if english else zh
            if zh is not None:
                out[f"{field}_zh"] = zh
    return out


# -- pillars ---------------------------------------------------------------


def find_pillar(report: Report, key: str) -> Record:
    """A pillar by id, Chinese name, heading or English name (case-insensitive)."""
    wanted = key.strip().casefold()
    pillars = report.pillars()
    for p in pillars:
        names = [p["id"], p["name"], p.get("heading") or "", p.get("name_en") or ""]
        if wanted in (n.casefold() for n in names if n):
            return p
    # a unique prefix of an id or a name (科技, tech) is enough
    prefixed = [p for p in pillars if wanted and (p["id"].startswith(wanted) or p["name"].startswith(key.strip()))]
    if len(prefixed) == 1:
        return prefixed[0]
    valid = ", ".join(f"{p['id']} ({p['name']})" for p in pillars)
    raise UsageError(f"unknown pillar {key!r}; valid pillars: {valid}")


def pillar_rows(report: Report, *, detail: bool, lang: str) -> list[Record]:
    recs = report.records
    rows = []
    for p in report.pillars():
        row = localize(p, lang)
        if detail:
            pid = p["id"]
            row["goals"] = [
                _brief(g, lang, ("id", "text", "quote", "para")) for g in recs["goal"] if g["pillar"] == pid
            ]
            row["plans"] = [
                _brief(g, lang, ("id", "text", "year", "quote", "para")) for g in recs["plan"] if g["pillar"] == pid
            ]
            row["cases"] = [
                _brief(c, lang, ("id", "title", "dates", "summary", "quote", "para"))
                for c in recs["case"]
                if c["pillar"] == pid
            ]
            row["metrics"] = [
                _brief(m, lang, ("id", "name", "value", "unit", "text", "qualifier", "as_of", "quote", "para"))
                for m in recs["metric"]
                if m["pillar"] == pid
            ]
        rows.append(row)
    return rows


def _brief(rec: Record, lang: str, keys: tuple[str, ...]) -> Record:
    full = localize(rec, lang)
    out = {k: full.get(k) for k in keys}
    for k in keys:
        if f"{k}_zh" in full:
            out[f"{k}_zh"] = full[f"{k}_zh"]
    return out


# -- metrics ---------------------------------------------------------------

METRIC_SORTS = ("report", "value", "name", "pillar")
# --section narrative: every figure stated in the body of the article, not in the data list
NARRATIVE = ("narrative", "正文", "叙述")


def metric_rows(
    report: Report,
    *,
    pillar: str | None = None,
    section: str | None = None,
    sort: str = "report",
    reverse: bool = False,
    lang: str = "zh",
) -> list[Record]:
    metrics = list(report.records["metric"])
    if pillar:
        pid = find_pillar(report, pillar)["id"]
        metrics = [m for m in metrics if m["pillar"] == pid]
    if section and section.strip().casefold() in NARRATIVE:
        data_sections = {s["id"] for s in report.records["section"] if s["kind"] == "data"}
        metrics = [m for m in metrics if m["section"] not in data_sections]
    elif section:
        sid = find_section(report, section)["id"]
        metrics = [m for m in metrics if m["section"] == sid]
    if sort == "value":
        metrics.sort(key=lambda m: m["value"], reverse=True)
    elif sort == "name":
        metrics.sort(key=lambda m: m["name"])
    elif sort == "pillar":
        order = {p["id"]: i for i, p in enumerate(report.pillars())}
        metrics.sort(key=lambda m: order.get(m["pillar"], len(order)))
    if reverse:
        metrics.reverse()
    fields = ("id", "name", "value", "unit", "pillar", "quote")
    names = pillar_names(report, lang)
    rows = []
    for m in metrics:
        full = localize(m, lang)
        row = {k: full[k] for k in fields}
        row.update({k: v for k, v in full.items() if k not in row})
        row["pillar_name"] = names.get(m["pillar"])
        rows.append(row)
    return rows


def pillar_names(report: Report, lang: str) -> dict[str | None, str]:
    key = "name_en" if lang == "en" else "name"
    return {p["id"]: p.get(key) or p["name"] for p in report.pillars()}


def find_section(report: Report, key: str) -> Record:
    wanted = key.strip().casefold()
    for s in report.records["section"]:
        names = [s["id"], s["id"].removeprefix("section-"), s.get("heading") or "", s["title"], s.get("title_en") or ""]
        names += [n.rstrip(">") for n in names]
        if wanted in (n.casefold() for n in names if n):
            return s
    valid = ", ".join(f"{s['id'].removeprefix('section-')} ({s['title']})" for s in report.records["section"])
    valid += ", narrative (every section but the data list)"
    raise UsageError(f"unknown section {key!r}; valid sections: {valid}")


# -- one record ------------------------------------------------------------


def kind_of(rec: Record) -> str:
    return str(rec.get("_kind", "paragraph"))


def find_record(report: Report, rid: str) -> Record:
    """A record by id, or by exact name; else a usage error with suggestions."""
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
    if kind == "pillar":
        detail = pillar_rows(report, detail=True, lang=lang)
        row = next(r for r in detail if r["id"] == rid)
        for key in ("goals", "plans", "cases", "metrics"):
            out[key] = row[key]
    elif kind == "case":
        out["metrics"] = [
            _brief(m, lang, ("id", "name", "value", "unit", "text")) for m in recs["metric"] if m["case"] == rid
        ]
        out["events"] = [_brief(e, lang, ("id", "date", "title")) for e in recs["event"] if e["case"] == rid]
    elif kind == "entity":
        out["mentions"] = [_with_title(report, m, lang) for m in entity_mentions(report, rec)]
    elif kind == "paragraph":
        out["quoted_by"] = [
            {"id": r["id"], "record": kind_of(r)} for rs in recs.values() for r in rs if r.get("para") == rec["n"]
        ]
    elif kind == "section":
        out["paragraphs"] = [p["n"] for p in report.paragraphs if p["section"] == rid]
    return out


def _with_title(report: Report, mention: Record, lang: str) -> Record:
    """A mention with the title (or name, or text) of the record that makes it, for people to read."""
    rec = localize(report.get(mention["id"]) or {}, lang)
    title = next((rec[k] for k in ("title", "name", "text") if rec.get(k)), None)
    return {"id": mention["id"], "record": mention["record"], "title": title, "para": mention.get("para")}


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
    names = [entity["name"], *entity.get("aliases", [])]
    out = []
    for kind, recs in report.records.items():
        for r in recs:
            if r is entity or kind == "entity":
                continue
            linked = entity["id"] in (r.get("organisations") or []) + (r.get("places") or []) + (r.get("people") or [])
            text = r.get("quote") or ""
            if linked or any(n in text for n in names):
                out.append({"id": r["id"], "record": kind, "para": r.get("para")})
    return out


def entity_rows(report: Report, *, type_: str | None, lang: str) -> list[Record]:
    rows = []
    for e in report.records["entity"]:
        if type_ and e["type"] != type_:
            continue
        row = localize(e, lang)
        row["mentions"] = [m["id"] for m in entity_mentions(report, e)]
        rows.append(row)
    return rows


def _date_key(date: str, high: bool) -> str:
    pad = "-99-99" if high else "-00-00"
    return date + pad[len(date) - 4 :]


def timeline_rows(report: Report, *, since: str | None, until: str | None, lang: str) -> list[Record]:
    from beibei_cli.models import check_date

    for label, value in (("--since", since), ("--until", until)):
        if value is not None:
            problem = check_date(value)
            if problem:
                raise UsageError(f"{label}: {problem}")
    events = sorted(report.records["event"], key=lambda e: _date_key(e["date"], False))
    rows = []
    for e in events:
        if since and _date_key(e["date"], True) < _date_key(since, False):
            continue
        if until and _date_key(e["date"], False) > _date_key(until, True):
            continue
        full = localize(e, lang)
        row = {k: full.get(k) for k in ("id", "date", "precision", "title", "quote")}
        row["inferred"] = bool(e.get("inferred"))
        row.update({k: v for k, v in full.items() if k not in row and k != "inferred"})
        rows.append(row)
    return rows


def paragraph_rows(report: Report, *, para: int | None, grep: str | None) -> list[Record]:
    paras = report.paragraphs
    if para is not None:
        if para > len(paras):
            raise UsageError(f"--para must be between 1 and {len(paras)}")
        paras = [paras[para - 1]]
    if grep is not None:
        # the same normalisation as search: full-width, case, traditional characters
        from beibei_cli.search.normalize import normalize_query

        t2s = report.t2s()
        needle = normalize_query(grep, t2s)
        paras = [p for p in paras if needle in normalize_query(p["text"], t2s)]
    return [{k: v for k, v in p.items() if k not in PRIVATE} for p in paras]


def info_record(report: Report, lang: str) -> Record:
    """What is loaded: the report's title, region and date, its files, versions and counts."""
    from beibei_cli import SCHEMA_VERSION, __version__

    meta = localize(report.meta, lang)
    return {
        "title": meta["title"],
        "region": meta.get("region_en") if lang == "en" and meta.get("region_en") else meta["region"],
        "date": report.meta.get("date"),
        "date_inferred": report.meta.get("date_inferred"),
        "data_file": report.data_path,
        "source_file": report.source_path,
        "schema_version": SCHEMA_VERSION,
        "version": __version__,
        "counts": counts(report),
    }


def english_titles(report: Report, hits: list[Record]) -> None:
    """Under --lang en a hit's title is its record's English name (the Chinese goes to title_zh)."""
    for hit in hits:
        rec = report.get(hit["id"]) or {}
        english = next((rec[k] for k in ("title_en", "name_en", "text_en") if rec.get(k)), None)
        hit["title_zh"] = hit["title"]
        if english:
            hit["title"] = english


def counts(report: Report) -> dict[str, int]:
    out = {kind: len(recs) for kind, recs in report.records.items()}
    out["paragraph"] = len(report.paragraphs)
    return out


def cite(report: Report, rid: str, fmt: str) -> str:
    rec = find_record(report, rid)
    title = report.meta["title"]
    if kind_of(rec) == "paragraph":
        quote, para = rec["text"], rec["n"]
    else:
        quote, para = rec.get("quote") or "", rec.get("para")
    if fmt == "md":
        return f"> {quote}\n>\n> — 《{title}》，第{para}段\n"
    return f"“{quote}”（《{title}》，第{para}段）\n"


def any_fields(rows: list[dict[str, Any]]) -> list[str]:
    keys: list[str] = []
    for row in rows:
        for k in row:
            if k not in keys:
                keys.append(k)
    return keys


# -- search ----------------------------------------------------------------


def parse_kinds(scope: str | list[str] | None, option: str = "--in") -> set[str] | None:
    """``"cases,metrics"`` or ``["case", "metrics"]`` -> ``{"case", "metric"}`` (None: every kind)."""
    if scope is None:
        return None
    from beibei_cli.models import KIND_ORDER, KINDS

    parts = scope.split(",") if isinstance(scope, str) else [p for item in scope for p in str(item).split(",")]
    scopes = {KINDS.get(kind, kind + "s"): kind for kind in KIND_ORDER}
    kinds = set()
    for part in parts:
        name = part.strip().lower()
        if not name:
            continue
        kind = scopes.get(name) or (name if name in KIND_ORDER else None)
        if kind is None:
            raise UsageError(f"unknown scope {part.strip()!r} in {option}; choose from {', '.join(scopes)}")
        kinds.add(kind)
    if not kinds:
        raise UsageError(f"{option} is empty; choose from {', '.join(scopes)}")
    return kinds


def search_hits(
    report: Report,
    query: list[str],
    *,
    kinds: set[str] | None = None,
    any_term: bool = False,
    regex: bool = False,
    context: int = 20,
    lang: str = "zh",
    **options: Any,
) -> list[Record]:
    """Every ranked hit of ``beibei search`` (``snippet_matches`` included); ``options``
    go to the search engine unchanged (its newer switches)."""
    from beibei_cli.search.query import Index
    from beibei_cli.search.query import search as run_search

    index = Index(report.index())
    hits = run_search(index, query, kinds=kinds, any_term=any_term, regex=regex, context=context, **options)
    if lang == "en":
        english_titles(report, hits)
    from beibei_cli.snippets import localize_snippets

    localize_snippets(hits, lang, context)  # cut from the interface language's lines only
    return hits
