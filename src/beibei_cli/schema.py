"""The report schema (version 2): the typed records and their validation.

The ``TypedDict`` classes below are the one schema. mypy checks field access
against them, and ``validate`` reads the same classes (through their annotations
and the ``Choice``/``Ref``/``Iso``/``Derived``/``Pin`` markers) to check a parsed
document and return cleaned records, with every problem and the path of the field
at fault. The choices a field offers are the plain tuples of ``models``, which
the command line offers too.

This module imports ``typing`` and builds the classes (~5 ms): it is loaded when
a report is validated (a cache miss), never on the cached query path.
"""

# No `from __future__ import annotations` here: TypedDict would compile every annotation string
# into a ForwardRef at import (~25 ms); real annotations cost a fraction of that.

import math
import re
from typing import TYPE_CHECKING, Annotated, Any, TypedDict, Union, get_args, get_origin, get_type_hints

from beibei_cli import quantity
from beibei_cli.about import SCHEMA_VERSION
from beibei_cli.dates import check_date, precision
from beibei_cli.models import (
    ENTITY_TYPES,
    KINDS,
    METRIC_KINDS,
    METRIC_STATUSES,
    PILLAR_KINDS,
    QUALIFIERS,
    SECTION_KINDS,
)

if TYPE_CHECKING:
    from beibei_cli.yamlload import Path


# -- field markers ----------------------------------------------------------


class Choice:
    def __init__(self, choices: tuple[str, ...]) -> None:
        self.choices = choices


class Ref:
    """The id of a record of ``kind``."""

    def __init__(self, kind: str) -> None:
        self.kind = kind


class Iso:
    """An ISO date text at the precision known: 2021, 2021-12, 2021-12-27."""


class Derived:
    """Computed when the report is built; never written in the YAML."""


class Pin:
    """May be written in the YAML (to choose); otherwise computed."""


# -- the records --------------------------------------------------------------


class Date(TypedDict):
    iso: Annotated[str, Iso()]
    inferred: bool
    note: str | None
    note_zh: str | None
    precision: Annotated[str, Derived()]


class CaseDate(TypedDict):
    iso: Annotated[str, Iso()]
    label: str
    label_en: str | None
    inferred: bool
    note: str | None
    note_zh: str | None
    precision: Annotated[str, Derived()]


class Meta(TypedDict):
    key: str | None
    title: str
    title_en: str | None
    region: str
    region_en: str | None
    source: str | None
    date: Date | None
    note: str | None
    note_zh: str | None
    line_joins: list[str]


class Section(TypedDict):
    id: str
    kind: Annotated[str, Choice(SECTION_KINDS)]
    heading: str | None
    title: str
    title_en: str | None
    pillar: Annotated[str | None, Ref("pillar")]
    note: str | None
    note_zh: str | None
    inferred_fields: list[str]
    inferred_reason: str | None
    inferred_reason_zh: str | None
    draft: bool | None
    para: Annotated[int | None, Derived()]
    _kind: Annotated[str, Derived()]


class Pillar(TypedDict):
    id: str
    kind: Annotated[str, Choice(PILLAR_KINDS)]
    name: str
    name_en: str | None
    heading: str | None
    heading_en: str | None
    section: Annotated[str | None, Ref("section")]
    summary: str | None
    summary_en: str | None
    quote: str
    note: str | None
    note_zh: str | None
    inferred_fields: list[str]
    inferred_reason: str | None
    inferred_reason_zh: str | None
    para: Annotated[int | None, Pin()]
    draft: bool | None
    paras: Annotated[list[int], Derived()]
    _kind: Annotated[str, Derived()]


class Goal(TypedDict):
    id: str
    pillar: Annotated[str | None, Ref("pillar")]
    text: str
    text_en: str | None
    quote: str
    note: str | None
    note_zh: str | None
    inferred_fields: list[str]
    inferred_reason: str | None
    inferred_reason_zh: str | None
    para: Annotated[int | None, Pin()]
    draft: bool | None
    paras: Annotated[list[int], Derived()]
    _kind: Annotated[str, Derived()]


class Plan(TypedDict):
    id: str
    pillar: Annotated[str | None, Ref("pillar")]
    text: str
    text_en: str | None
    year: Date | None
    quote: str
    note: str | None
    note_zh: str | None
    inferred_fields: list[str]
    inferred_reason: str | None
    inferred_reason_zh: str | None
    para: Annotated[int | None, Pin()]
    draft: bool | None
    paras: Annotated[list[int], Derived()]
    _kind: Annotated[str, Derived()]


class Case(TypedDict):
    id: str
    pillar: Annotated[str | None, Ref("pillar")]
    title: str
    title_en: str | None
    dates: list[CaseDate]
    organisations: list[Annotated[str, Ref("entity")]]
    places: list[Annotated[str, Ref("entity")]]
    people: list[Annotated[str, Ref("entity")]]
    summary: str | None
    summary_en: str | None
    quote: str
    more_quotes: list[str]
    note: str | None
    note_zh: str | None
    inferred_fields: list[str]
    inferred_reason: str | None
    inferred_reason_zh: str | None
    para: Annotated[int | None, Pin()]
    draft: bool | None
    paras: Annotated[list[int], Derived()]
    _kind: Annotated[str, Derived()]


class Metric(TypedDict):
    id: str
    name: str
    name_en: str | None
    text: str
    value: float
    unit: str | None
    qualifier: Annotated[str | None, Choice(QUALIFIERS)]
    kind: Annotated[str, Choice(METRIC_KINDS)]
    status: Annotated[str, Choice(METRIC_STATUSES)]
    unit_en: str | None
    pillar: Annotated[str | None, Ref("pillar")]
    case: Annotated[str | None, Ref("case")]
    section: Annotated[str, Ref("section")]
    as_of: Date | None
    quote: str
    note: str | None
    note_zh: str | None
    inferred_fields: list[str]
    inferred_reason: str | None
    inferred_reason_zh: str | None
    para: Annotated[int | None, Pin()]
    draft: bool | None
    paras: Annotated[list[int], Derived()]
    qualifier_meaning: Annotated[str | None, Derived()]
    amount: Annotated[float, Derived()]
    base_unit: Annotated[str, Derived()]
    _kind: Annotated[str, Derived()]


class Event(TypedDict):
    id: str
    date: Date
    title: str
    title_en: str | None
    pillar: Annotated[str | None, Ref("pillar")]
    case: Annotated[str | None, Ref("case")]
    quote: str
    note: str | None
    note_zh: str | None
    inferred_fields: list[str]
    inferred_reason: str | None
    inferred_reason_zh: str | None
    para: Annotated[int | None, Pin()]
    draft: bool | None
    paras: Annotated[list[int], Derived()]
    _kind: Annotated[str, Derived()]


class Entity(TypedDict):
    id: str
    name: str
    name_en: str | None
    type: Annotated[str, Choice(ENTITY_TYPES)]
    aliases: list[str]
    quote: str
    note: str | None
    note_zh: str | None
    inferred_fields: list[str]
    inferred_reason: str | None
    inferred_reason_zh: str | None
    para: Annotated[int | None, Pin()]
    draft: bool | None
    paras: Annotated[list[int], Derived()]
    _kind: Annotated[str, Derived()]


class Caption(TypedDict):
    id: str
    title_en: str | None
    quote: str
    note: str | None
    note_zh: str | None
    inferred_fields: list[str]
    inferred_reason: str | None
    inferred_reason_zh: str | None
    para: Annotated[int | None, Pin()]
    draft: bool | None
    paras: Annotated[list[int], Derived()]
    _kind: Annotated[str, Derived()]


class Honour(TypedDict):
    id: str
    title: str
    title_en: str | None
    year: Date | None
    pillar: Annotated[str | None, Ref("pillar")]
    quote: str
    note: str | None
    note_zh: str | None
    inferred_fields: list[str]
    inferred_reason: str | None
    inferred_reason_zh: str | None
    para: Annotated[int | None, Pin()]
    draft: bool | None
    paras: Annotated[list[int], Derived()]
    _kind: Annotated[str, Derived()]


class Paragraph(TypedDict):
    id: str
    n: int
    type: str
    section: str | None
    text: str
    _kind: str


class Records(TypedDict):
    section: list[Section]
    pillar: list[Pillar]
    goal: list[Goal]
    plan: list[Plan]
    case: list[Case]
    metric: list[Metric]
    event: list[Event]
    entity: list[Entity]
    caption: list[Caption]
    honour: list[Honour]


# A record of any kind, as generic code (output, search) sees it.
Record = dict[str, Any]
Problem = tuple["Path", str]

# What a version-1 file must change to be read (validate says this, on one line).
CHANGES_SINCE = {
    1: "v2 makes every figure a quantity (kind, status, unit_en; amount computed), every date a mapping "
    "{iso, inferred, note}, case dates labelled, pillar optional (null = the report as a whole) and "
    "report.date_inferred part of report.date; see docs/schema.md",
}

RECORD_TYPES: dict[str, type] = {
    "section": Section,
    "pillar": Pillar,
    "goal": Goal,
    "plan": Plan,
    "case": Case,
    "metric": Metric,
    "event": Event,
    "entity": Entity,
    "caption": Caption,
    "honour": Honour,
}
TOP_LEVEL = {"schema_version", "report", *KINDS.values()}

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NUMBER_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?")
MAX_VALUE = 1e15  # a figure's value: far above any in a report, far below float's overflow
# A field's text (a name, a quote, a summary): the longest in the shipped report is 687 characters.
# A text field longer than this is refused with its position, so no record makes a cost without
# bound later (the pinyin of a 1 MB name took a minute to index, its table layout longer).
MAX_FIELD_CHARS = 20_000
PLAIN_KEY_RE = re.compile(r"^[A-Za-z0-9_-]+$")


# -- field types, read from the classes above ---------------------------------


class Field:
    """One field of a record type, as the validator needs it."""

    def __init__(self, hint: Any) -> None:
        self.marks: list[Any] = []
        if get_origin(hint) is Annotated:
            self.marks = list(hint.__metadata__)
            hint = get_args(hint)[0]
        self.optional = False
        if _is_union(hint):
            args = [a for a in get_args(hint) if a is not type(None)]
            self.optional = len(args) < len(get_args(hint))
            hint = args[0]
        self.is_list = get_origin(hint) is list
        self.item: Field | None = Field(get_args(hint)[0]) if self.is_list else None
        self.base: Any = hint
        self.derived = any(isinstance(m, Derived) for m in self.marks)
        self.pinnable = any(isinstance(m, Pin) for m in self.marks)

    def mark(self, cls: type) -> Any:
        return next((m for m in self.marks if isinstance(m, cls)), None)

    @property
    def nested(self) -> "dict[str, Field] | None":
        return fields_of(self.base) if _is_typeddict(self.base) else None


def _is_union(hint: Any) -> bool:
    import types

    return get_origin(hint) in (Union, types.UnionType)


def _is_typeddict(hint: Any) -> bool:
    return isinstance(hint, type) and issubclass(hint, dict) and hasattr(hint, "__required_keys__")


_FIELDS: dict[type, dict[str, Field]] = {}


def fields_of(cls: type) -> dict[str, Field]:
    """The fields of a record type, in order."""
    if cls not in _FIELDS:
        hints = get_type_hints(cls, include_extras=True)
        _FIELDS[cls] = {name: Field(hint) for name, hint in hints.items()}
    return _FIELDS[cls]


def yaml_fields(cls: type) -> list[str]:
    """The fields a YAML record of this type may have."""
    return [n for n, f in fields_of(cls).items() if not f.derived]


# -- checking values ------------------------------------------------------------


def path_text(path: "Path") -> str:
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


def _yaml_key(key: Any) -> str:
    """A mapping key as the YAML author wrote it: ``null``, ``true``, ``3`` (not ``None``, ``True``)."""
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    return key if isinstance(key, str) else str(key)


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


def _check_value(field: Field, value: Any, path: "Path", problems: list[Problem]) -> Any:
    """Check one value against its field; return the clean value (None when it is wrong)."""
    if value is None:
        if field.is_list:
            return []
        if not field.optional:
            problems.append((path, "a value is required"))
        return None
    if field.is_list:
        assert field.item is not None
        if not isinstance(value, list):
            problems.append((path, f"expected a list, got {_describe(value)}"))
            return []
        return [_check_value(field.item, item, (*path, i), problems) for i, item in enumerate(value)]
    nested = field.nested
    if nested is not None:
        return _check_mapping(value, nested, path, problems)
    base = field.base
    if base is str:
        if not isinstance(value, str):
            iso = field.mark(Iso) is not None
            hint = " (quote it)" if iso or not isinstance(value, (list, dict)) else ""
            problems.append((path, f"expected text{hint}, got {_describe(value)}"))
            return None
        if not value.strip():
            problems.append((path, "must not be empty"))
            return None
        if len(value) > MAX_FIELD_CHARS:
            problems.append((path, f"is {len(value):,} characters long; the limit for a field is {MAX_FIELD_CHARS:,}"))
            return None
        choice = field.mark(Choice)
        if choice is not None and value not in choice.choices:
            problems.append((path, f"expected one of {', '.join(choice.choices)}, got {value!r}"))
            return None
        if field.mark(Iso) is not None:
            problem = check_date(value)
            if problem:
                problems.append((path, problem))
                return None
        return value
    if base is float or base is int:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append((path, f"expected a number, got {_describe(value)}"))
            return None
        if value != value or value in (float("inf"), float("-inf")):
            problems.append((path, "expected a finite number"))
            return None
        if base is int and (not isinstance(value, int) or value < 1):
            problems.append((path, f"expected a whole number from 1, got {_describe(value)}"))
            return None
        return value
    if base is bool:
        if not isinstance(value, bool):
            problems.append((path, f"expected true or false, got {_describe(value)}"))
            return None
        return value
    raise AssertionError(f"unsupported field type {base!r}")  # pragma: no cover


def _check_mapping(value: Any, fields: dict[str, Field], path: "Path", problems: list[Problem]) -> Record | None:
    if not isinstance(value, dict):
        problems.append((path, f"expected a mapping, got {_describe(value)}"))
        return None
    allowed = [n for n, f in fields.items() if not f.derived]
    for key in value:
        if key not in allowed:
            why = "it is computed, not written" if key in fields else f"known fields: {', '.join(allowed)}"
            if not isinstance(key, str):  # null, true, 3: YAML reads them as other types
                problems.append(((*path, _yaml_key(key)), f"a field name must be text, got {_yaml_key(key)}"))
                continue
            problems.append(((*path, key), f"unknown field {key!r} ({why})"))
    clean: Record = {}
    for name, field in fields.items():
        if field.derived:
            continue
        if name not in value and not (field.optional or field.is_list):
            problems.append(((*path, name), "required field is missing"))
            clean[name] = None
            continue
        clean[name] = _check_value(field, value.get(name), (*path, name), problems)
    if "iso" in fields and isinstance(clean.get("iso"), str):
        clean["precision"] = precision(clean["iso"])
        if clean.get("inferred") and not clean.get("note"):
            problems.append(((*path, "note"), "an inferred date needs a note saying what it is inferred from"))
    return clean


def validate(doc: Any) -> tuple[Record, dict[str, list[Record]], list[Problem]]:
    """Check a parsed document; return (report metadata, records by kind, problems)."""
    problems: list[Problem] = []
    records: dict[str, list[Record]] = {kind: [] for kind in KINDS}
    if not isinstance(doc, dict):
        problems.append(((), f"the document must be a mapping, got {_describe(doc)}"))
        return {}, records, problems
    version = doc.get("schema_version")
    if type(version) is not int or version != SCHEMA_VERSION:  # true is not 1, 2.0 is not 2
        if type(version) is int and version in CHANGES_SINCE:
            problems.append(
                (
                    ("schema_version",),
                    f"this file is schema version {version}; beibei reads version {SCHEMA_VERSION}: "
                    f"{CHANGES_SINCE[version]}",
                )
            )
            return {}, records, problems  # every other message would only repeat the migration
        problems.append((("schema_version",), f"expected schema_version: {SCHEMA_VERSION}, got {_describe(version)}"))
    for key in doc:
        if key not in TOP_LEVEL:
            known = ", ".join(sorted(TOP_LEVEL))
            shown = repr(key) if isinstance(key, str) else _yaml_key(key)
            problems.append(((_yaml_key(key),), f"unknown top-level key {shown} (known: {known})"))
    meta = _check_mapping(doc.get("report"), fields_of(Meta), ("report",), problems) or {}
    if isinstance(meta.get("key"), str) and not ID_RE.match(meta["key"]):
        problems.append((("report", "key"), f"key {meta['key']!r} must be lower-case ASCII kebab-case"))

    ids: dict[str, Path] = {}
    paths: dict[str, list[Path]] = {kind: [] for kind in KINDS}
    for kind, key in KINDS.items():
        raw = doc.get(key)
        if raw is None:
            continue
        if not isinstance(raw, list):
            problems.append(((key,), f"expected a list of records, got {_describe(raw)}"))
            continue
        fields = fields_of(RECORD_TYPES[kind])
        for i, item in enumerate(raw):
            path: Path = (key, i)
            clean = _check_mapping(item, fields, path, problems)
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
    by_id = {rec["id"]: rec for recs in records.values() for rec in recs if isinstance(rec.get("id"), str)}
    for kind in KINDS:
        fields = fields_of(RECORD_TYPES[kind])
        for rec, path in zip(records[kind], paths[kind], strict=True):
            _check_refs(fields, rec, path, kind_of, problems)
            _check_case_pillar(kind, rec, path, by_id, kind_of, problems)
    return meta, records, problems


def _check_record(kind: str, rec: Record, path: "Path", problems: list[Problem]) -> None:
    """Rules that tie fields of one record together; fills the computed quantity fields."""
    if kind == "pillar" and rec.get("kind") == "article":
        for name in ("heading", "section"):
            if not rec.get(name):
                problems.append(((*path, name), "an article pillar needs a heading and a section"))
    if kind == "section" and rec.get("kind") != "lead" and not rec.get("heading"):
        problems.append(((*path, "heading"), "only the lead section may have no heading"))
    if kind == "metric":
        _check_quantity(rec, path, problems)
    _check_inferred(kind, rec, path, problems)


# What ``inferred_fields`` may not name: the record's identity, its quotes and the notes on it.
NOT_INFERABLE = frozenset(
    {
        "id",
        "quote",
        "more_quotes",
        "para",
        "note",
        "note_zh",
        "inferred_fields",
        "inferred_reason",
        "inferred_reason_zh",
    }
)


def inferable_fields(kind: str) -> list[str]:
    """The fields of a record of ``kind`` that ``inferred_fields`` may name."""
    return [n for n in yaml_fields(RECORD_TYPES[kind]) if n not in NOT_INFERABLE]


def _check_inferred(kind: str, rec: Record, path: "Path", problems: list[Problem]) -> None:
    """``inferred_fields`` names set fields of the record; a reason in both languages says why."""
    named = rec.get("inferred_fields") or []
    allowed = inferable_fields(kind)
    seen: set[str] = set()
    for i, name in enumerate(named):
        if not isinstance(name, str):
            continue
        where = (*path, "inferred_fields", i)
        if name not in allowed:
            problems.append((where, f"{name!r} is not a field a {kind} may mark inferred ({', '.join(allowed)})"))
        elif name in seen:
            problems.append((where, f"{name!r} is named twice"))
        elif rec.get(name) in (None, []):
            problems.append((where, f"{name!r} is not set on this record, so it cannot be inferred"))
        seen.add(name)
    for reason in ("inferred_reason", "inferred_reason_zh"):
        if named and not rec.get(reason):
            problems.append(
                ((*path, reason), "inferred_fields needs a reason (inferred_reason and inferred_reason_zh)")
            )
        elif rec.get(reason) and not named:
            problems.append(((*path, reason), f"{reason} without inferred_fields: name the fields it explains"))


def draft_count(records: dict[str, list[Record]]) -> int:
    """How many records are still marked ``draft: true`` (written by ``beibei draft``, not yet curated)."""
    return sum(1 for recs in records.values() for rec in recs if rec.get("draft"))


def _check_quantity(rec: Record, path: "Path", problems: list[Problem]) -> None:
    """value, unit, qualifier and kind agree with the figure as written; compute amount and meaning."""
    value, unit, qualifier, kind = rec.get("value"), rec.get("unit"), rec.get("qualifier"), rec.get("kind")
    rec["qualifier_meaning"] = quantity.meaning(qualifier) if qualifier in quantity.QUALIFIERS else None
    rec["amount"] = None
    rec["base_unit"] = None
    try:
        base = quantity.base_unit(unit)
    except quantity.QuantityError as exc:
        problems.append(((*path, "unit"), str(exc)))
        return
    rec["base_unit"] = base
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not (math.isfinite(value) if isinstance(value, float) else True) or abs(value) > MAX_VALUE:
            problems.append(((*path, "value"), f"value must be a finite number of at most {MAX_VALUE:.0e}"))
            return
        rec["amount"] = quantity.amount(value, unit)
    if kind in quantity.KINDS and base not in quantity.KINDS[kind][1]:
        allowed = ", ".join(quantity.KINDS[kind][1])
        problems.append(((*path, "kind"), f"a {kind} figure is stated in {allowed}, not in {unit or 'a bare number'}"))
    text = rec.get("text")
    quote = rec.get("quote")
    if isinstance(text, str) and isinstance(quote, str):
        squashed = "".join(text.split())
        if squashed not in "".join(quote.split()):
            problems.append(((*path, "text"), f"the figure text {text!r} is not in the quote"))
        numbers = NUMBER_RE.findall(squashed)
        if numbers and isinstance(value, (int, float)):
            # a decline is written as a positive number after 下降 and kept as a negative value
            written_value = -float(value) if kind == "rate-of-change" and value < 0 else float(value)
            if float(numbers[0]) != written_value:
                problems.append(((*path, "value"), f"value {value!r} differs from the figure as written ({text!r})"))
            elif squashed not in quantity.compositions(numbers[0], unit, qualifier):
                written = quantity.compose(numbers[0], unit, qualifier)
                problems.append(
                    ((*path, "text"), f"unit and qualifier read {written!r}, but the figure is written {text!r}")
                )


def _check_refs(
    fields: dict[str, Field], rec: Record, path: "Path", kind_of: dict[str, str], problems: list[Problem]
) -> None:
    for name, field in fields.items():
        ref = (field.item or field).mark(Ref)
        if ref is None:
            continue
        value = rec.get(name)
        refs = value if isinstance(value, list) else [value] if isinstance(value, str) else []
        for target in refs:
            if not isinstance(target, str):
                continue
            found = kind_of.get(target)
            if found is None:
                problems.append(((*path, name), f"{target!r} is not the id of any {ref.kind}"))
            elif found != ref.kind:
                problems.append(((*path, name), f"{target!r} is a {found}, expected a {ref.kind}"))


def _check_case_pillar(
    kind: str, rec: Record, path: "Path", by_id: dict[str, Record], kind_of: dict[str, str], problems: list[Problem]
) -> None:
    """A figure or event of a case belongs where its case belongs (both may be the report as a whole)."""
    case_id = rec.get("case") if kind in ("metric", "event") else None
    if not isinstance(case_id, str) or kind_of.get(case_id) != "case":
        return
    case_pillar = by_id[case_id].get("pillar")
    if rec.get("pillar") != case_pillar:
        where = case_pillar or "null (the report as a whole)"
        problems.append(((*path, "pillar"), f"its case {case_id} belongs to {where}; so must it"))
