"""The report schema (version 1) and its strict validation.

Records are plain dicts (they are what the JSON contract prints) whose shape is
declared once here, in ``SCHEMA``. ``validate`` checks a parsed document against
it and returns cleaned records (optional fields filled with ``None``/``[]``)
and every problem found, each with the path of the field at fault.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from beibei_cli.yamlload import Path

    Record = dict[str, Any]
    Problem = tuple[Path, str]

SCHEMA_VERSION = 1

# kind name -> the top-level YAML key that lists records of that kind
KINDS: dict[str, str] = {
    "section": "sections",
    "pillar": "pillars",
    "goal": "goals",
    "plan": "plans",
    "case": "cases",
    "metric": "metrics",
    "event": "events",
    "entity": "entities",
    "caption": "captions",
    "honour": "honours",
}

# Field types: str (required text), str? (optional text), num (a number),
# bool? (optional true/false), date / date? (ISO text: 2021, 2021-12,
# 2021-12-27), ref:<kind> / ref:<kind>? (the id of a record of that kind),
# refs:<kind> (a list of ids), strs (a list of texts), choice:a|b (one of).
SCHEMA: dict[str, dict[str, str]] = {
    "section": {
        "id": "str",
        "kind": "choice:lead|highlights|article|data",
        "heading": "str?",
        "title": "str",
        "title_en": "str?",
        "pillar": "ref:pillar?",
        "note": "str?",
    },
    "pillar": {
        "id": "str",
        "kind": "choice:positioning|article",
        "name": "str",
        "name_en": "str?",
        "heading": "str?",
        "heading_en": "str?",
        "section": "ref:section?",
        "summary": "str?",
        "summary_en": "str?",
        "quote": "str",
        "note": "str?",
    },
    "goal": {
        "id": "str",
        "pillar": "ref:pillar",
        "text": "str",
        "text_en": "str?",
        "quote": "str",
        "note": "str?",
    },
    "plan": {
        "id": "str",
        "pillar": "ref:pillar",
        "text": "str",
        "text_en": "str?",
        "year": "date?",
        "quote": "str",
        "note": "str?",
    },
    "case": {
        "id": "str",
        "pillar": "ref:pillar",
        "title": "str",
        "title_en": "str?",
        "dates": "dates",
        "organisations": "refs:entity",
        "places": "refs:entity",
        "people": "refs:entity",
        "summary": "str?",
        "summary_en": "str?",
        "quote": "str",
        "note": "str?",
    },
    "metric": {
        "id": "str",
        "name": "str",
        "name_en": "str?",
        "value": "num",
        "unit": "str?",
        "text": "str",
        "qualifier": "str?",
        "pillar": "ref:pillar?",
        "case": "ref:case?",
        "section": "ref:section",
        "as_of": "date?",
        "quote": "str",
        "note": "str?",
    },
    "event": {
        "id": "str",
        "date": "date",
        "precision": "choice:year|month|day",
        "inferred": "bool?",
        "title": "str",
        "title_en": "str?",
        "pillar": "ref:pillar?",
        "case": "ref:case?",
        "quote": "str",
        "note": "str?",
    },
    "entity": {
        "id": "str",
        "name": "str",
        "name_en": "str?",
        "type": "choice:government|party|company|university|institution|person|place|project|programme",
        "aliases": "strs",
        "quote": "str",
        "note": "str?",
    },
    "caption": {
        "id": "str",
        "title_en": "str?",
        "quote": "str",
        "note": "str?",
    },
    "honour": {
        "id": "str",
        "title": "str",
        "title_en": "str?",
        "year": "date?",
        "pillar": "ref:pillar?",
        "quote": "str",
        "note": "str?",
    },
}

REPORT_FIELDS: dict[str, str] = {
    "title": "str",
    "title_en": "str?",
    "region": "str",
    "region_en": "str?",
    "source": "str?",
    "date": "date?",
    "date_inferred": "bool?",
    "note": "str?",
    "line_joins": "strs",
}

# The order record kinds are listed in, and search ties broken in:
# cases first, the article's own paragraphs last.
KIND_ORDER = ("case", "pillar", "goal", "plan", "metric", "honour", "event", "entity", "caption", "paragraph")

TOP_LEVEL = {"schema_version", "report", *KINDS.values()}

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
PLAIN_KEY_RE = re.compile(r"^[A-Za-z0-9_-]+$")


def path_text(path: Path) -> str:
    """``("metrics", 3, "value")`` -> ``metrics[3].value``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not PLAIN_KEY_RE.match(part):
            out += f"[{part!r}]"  # keep odd keys (spaces, newlines, empty) on one readable line
        else:
            out += f".{part}" if out else part
    return out or "(document)"


def _describe(value: Any) -> str:
    kind = {str: "text", bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "a mapping"}
    name = kind.get(type(value), type(value).__name__)
    if value is None:
        return "nothing (null)"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:29] + "…"
        return f"text {shown!r}"
    if isinstance(value, (list, dict)):
        return name
    return f"{name} {value!r}"


def check_date(value: str) -> str | None:
    """The problem with an ISO date text, or None if it is fine."""
    match = DATE_RE.match(value)
    if not match:
        return f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}"
    _, month, day = match.groups()
    if month and not 1 <= int(month) <= 12:
        return f"month out of range in {value!r}"
    if day:
        import datetime

        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return f"day out of range in {value!r}"
    return None


def _check_field(ftype: str, value: Any) -> tuple[Any, str | None]:
    """Check one value against its field type; return (clean value, problem)."""
    optional = ftype.endswith("?")
    base = ftype.rstrip("?")
    if value is None:
        if optional:
            return None, None
        if base in ("strs", "dates") or base.startswith("refs:"):
            return [], None
        return None, "a value is required"
    if base == "str" or base.startswith("ref:") or base.startswith("choice:") or base == "date":
        if not isinstance(value, str):
            hint = " (quote it)" if base == "date" or not isinstance(value, (list, dict)) else ""
            return None, f"expected text{hint}, got {_describe(value)}"
        if not value.strip():
            return None, "must not be empty"
        if base.startswith("choice:"):
            choices = base[len("choice:") :].split("|")
            if value not in choices:
                return None, f"expected one of {', '.join(choices)}, got {value!r}"
        if base == "date":
            problem = check_date(value)
            if problem:
                return None, problem
        return value, None
    if base == "num":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None, f"expected a number, got {_describe(value)}"
        if value != value or value in (float("inf"), float("-inf")):
            return None, "expected a finite number"
        return value, None
    if base == "bool":
        if not isinstance(value, bool):
            return None, f"expected true or false, got {_describe(value)}"
        return value, None
    if base in ("strs", "dates") or base.startswith("refs:"):
        if not isinstance(value, list):
            return None, f"expected a list, got {_describe(value)}"
        for item in value:
            if not isinstance(item, str) or not item.strip():
                return None, f"expected a list of texts, found {_describe(item)}"
            if base == "dates":
                problem = check_date(item)
                if problem:
                    return None, problem
        return list(value), None
    raise AssertionError(f"unknown field type {ftype}")  # pragma: no cover


def _check_mapping(value: Any, fields: dict[str, str], path: Path, problems: list[Problem]) -> Record | None:
    if not isinstance(value, dict):
        problems.append((path, f"expected a mapping, got {_describe(value)}"))
        return None
    clean: Record = {}
    for key in value:
        if key not in fields:
            known = ", ".join(fields)
            problems.append(((*path, str(key)), f"unknown field {key!r} (known fields: {known})"))
    for name, ftype in fields.items():
        raw = value.get(name)
        if name not in value and not (ftype.endswith("?") or ftype in ("strs", "dates") or ftype.startswith("refs:")):
            problems.append(((*path, name), "required field is missing"))
            clean[name] = None
            continue
        checked, problem = _check_field(ftype, raw)
        if problem:
            problems.append(((*path, name), problem))
        clean[name] = checked
    return clean


def validate(doc: Any) -> tuple[Record, dict[str, list[Record]], list[Problem]]:
    """Check a parsed document; return (report metadata, records by kind, problems)."""
    problems: list[Problem] = []
    records: dict[str, list[Record]] = {kind: [] for kind in KINDS}
    if not isinstance(doc, dict):
        problems.append(((), f"the document must be a mapping, got {_describe(doc)}"))
        return {}, records, problems
    for key in doc:
        if key not in TOP_LEVEL:
            known = ", ".join(sorted(TOP_LEVEL))
            problems.append(((str(key),), f"unknown top-level key {key!r} (known: {known})"))
    version = doc.get("schema_version")
    if version != SCHEMA_VERSION:
        problems.append((("schema_version",), f"expected schema_version: {SCHEMA_VERSION}, got {_describe(version)}"))
    meta = _check_mapping(doc.get("report"), REPORT_FIELDS, ("report",), problems) or {}

    ids: dict[str, Path] = {}
    paths: dict[str, list[Path]] = {kind: [] for kind in KINDS}
    for kind, key in KINDS.items():
        raw = doc.get(key)
        if raw is None:
            continue
        if not isinstance(raw, list):
            problems.append(((key,), f"expected a list of records, got {_describe(raw)}"))
            continue
        for i, item in enumerate(raw):
            path: Path = (key, i)
            clean = _check_mapping(item, SCHEMA[kind], path, problems)
            if clean is None:
                continue
            rid = clean.get("id")
            if isinstance(rid, str):
                if not ID_RE.match(rid):
                    problems.append(((*path, "id"), f"id {rid!r} must be lower-case ASCII kebab-case"))
                elif rid in ids:
                    problems.append(((*path, "id"), f"duplicate id {rid!r} (first at {path_text(ids[rid])})"))
                else:
                    ids[rid] = path
            clean["_kind"] = kind
            records[kind].append(clean)
            paths[kind].append(path)
            _check_record(kind, clean, path, problems)

    kind_of = {rec["id"]: kind for kind, recs in records.items() for rec in recs if isinstance(rec.get("id"), str)}
    for kind in KINDS:
        for rec, path in zip(records[kind], paths[kind], strict=True):
            _check_refs(kind, rec, path, kind_of, problems)
    return meta, records, problems


def _check_record(kind: str, rec: Record, path: Path, problems: list[Problem]) -> None:
    """Rules that tie fields of one record together."""
    if kind == "pillar" and rec.get("kind") == "article":
        for name in ("heading", "section"):
            if not rec.get(name):
                problems.append(((*path, name), "an article pillar needs a heading and a section"))
    if kind == "section" and rec.get("kind") != "lead" and not rec.get("heading"):
        problems.append(((*path, "heading"), "only the lead section may have no heading"))
    if kind == "event" and isinstance(rec.get("date"), str) and rec.get("precision"):
        expected = {4: "year", 7: "month", 10: "day"}.get(len(rec["date"]))
        if expected != rec["precision"]:
            problems.append(((*path, "precision"), f"date {rec['date']!r} has precision {expected}"))
    if kind == "metric" and isinstance(rec.get("text"), str) and isinstance(rec.get("quote"), str):
        text = "".join(rec["text"].split())
        if text not in "".join(rec["quote"].split()):
            problems.append(((*path, "text"), f"the figure text {rec['text']!r} is not in the quote"))
        numbers = NUMBER_RE.findall(text)
        value = rec.get("value")
        if numbers and isinstance(value, (int, float)) and not isinstance(value, bool):
            if float(numbers[0]) != float(value):
                problems.append(
                    ((*path, "value"), f"value {value!r} differs from the figure as written ({rec['text']!r})")
                )


def _check_refs(kind: str, rec: Record, path: Path, kind_of: dict[str, str], problems: list[Problem]) -> None:
    for name, ftype in SCHEMA[kind].items():
        base = ftype.rstrip("?")
        if not (base.startswith("ref:") or base.startswith("refs:")):
            continue
        target = base.split(":", 1)[1]
        value = rec.get(name)
        refs = value if isinstance(value, list) else [value] if isinstance(value, str) else []
        for ref in refs:
            found = kind_of.get(ref)
            if found is None:
                problems.append(((*path, name), f"{ref!r} is not the id of any {target}"))
            elif found != target:
                problems.append(((*path, name), f"{ref!r} is a {found}, expected a {target}"))
