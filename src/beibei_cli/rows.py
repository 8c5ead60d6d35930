"""The row contract: every kind of row the queries return, its fields in order, each typed and described.

The query layer shapes its rows by these lists (``shape``), so a row has exactly
these keys in this order whatever its values or the interface language; ``--fields``
is checked against them (also when a filter leaves no rows); the MCP tools'
output schemas, the Python API's row types and the field tables of docs/fields.md
are made from them. Adding a field is one line here and its value in the query.

A type is a JSON Schema type: ``string``, ``integer``, ``number``, ``boolean``,
``object``, ``array:T`` (a list of T); ``?`` after it: may be null.

Plain data, cheap to import.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    Field = tuple[str, str, str]

_TWIN = "in the interface language (--lang); {f}_en is always the English, {f}_zh always the Chinese"


def _twins(field: str, what: str, required: bool = False) -> list[Field]:
    """A translated field and its English and Chinese twins."""
    t = "string" if required else "string?"
    return [
        (field, t, f"{what}, {_TWIN.format(f=field)}"),
        (f"{field}_en", "string?", f"{what}: the curated English (null where there is none)"),
        (f"{field}_zh", t, f"{what}: the Chinese, as the report writes it"),
    ]


def _date(key: str, what: str) -> list[Field]:
    return [
        (key, "string?", f"{what}: ISO text at the precision the article gives (2022, 2022-04, 2022-04-01)"),
        (f"{key}_precision", "string?", f"precision of {key}: year, month or day"),
        (f"{key}_inferred", "boolean?", f"true when the article only implies {key}"),
        (f"{key}_note", "string?", f"how {key} is known, when it needs saying, in the interface language"),
    ]


_NOTE = "the curator's note, in the interface language (--lang; the English where there is no Chinese)"


def _notes(*dates: str, readings: bool = True) -> list[Field]:
    """The English and Chinese of a row's notes (and of its date notes), and what of it is a reading.

    Added at the end of each row kind: the fields before them keep their places (``cut -f N``)."""
    out: list[Field] = [
        ("note_en", "string?", "the curator's note in English"),
        ("note_zh", "string?", "the curator's note in Chinese (written from the article only)"),
    ]
    for key in dates:
        out += [
            (f"{key}_note_en", "string?", f"how {key} is known, in English"),
            (f"{key}_note_zh", "string?", f"how {key} is known, in Chinese"),
        ]
    if readings:
        out += [
            (
                "inferred_fields",
                "array:string",
                "the fields that are the curator's reading, not the article's statement (say pillar)",
            ),
            ("inferred_reason", "string?", "why they are a reading, in the interface language"),
            ("inferred_reason_en", "string?", "why they are a reading, in English"),
            ("inferred_reason_zh", "string?", "why they are a reading, in Chinese"),
        ]
    return out


QUOTE: list[Field] = [
    ("quote", "string", "the verbatim words of the article this record comes from"),
    ("para", "integer?", "the number of the paragraph the quote is in (beibei source --para N)"),
]

METRIC: list[Field] = [
    ("id", "string", "the figure's id (beibei show ID)"),
    ("name", "string", f"what the figure measures, {_TWIN.format(f='name')}"),
    ("value", "number", "the number as written (10 for 10余倍)"),
    ("unit", "string", "the unit as written (亿元, 家, %)"),
    ("pillar", "string?", "the id of the pillar it belongs to (null: the report as a whole)"),
    ("quote", "string", "the verbatim words of the article that state it"),
    ("text", "string", "the figure exactly as written (超过6亿元)"),
    ("qualifier", "string?", "the qualifier as written (超过, 余, 约, 以上...)"),
    ("qualifier_meaning", "string?", "what the qualifier means: more-than, at-least, about, nearly..."),
    ("kind", "string", "kind of quantity: money, count, share, rate-of-change, ..."),
    ("status", "string", "stated (done), forecast (预计) or target (力争, 目标)"),
    ("amount", "number", "the value in base units (元, 户, 1 for a share of 100%)"),
    ("base_unit", "string", "the unit of amount"),
    ("figure", "string", "the figure for people: as written, or in English under --lang en"),
    ("name_en", "string?", "the curated English name"),
    ("unit_en", "string?", "the unit in English"),
    ("case", "string?", "the id of the case it belongs to"),
    ("section", "string?", "the id of the section it is stated in"),
    ("as_of", "string?", "the date the figure is for (ISO text)"),
    ("note", "string?", _NOTE),
    ("para", "integer?", "the paragraph the quote is in"),
    ("paras", "array:integer", "every paragraph the figure is stated in"),
    ("name_zh", "string", "the Chinese name"),
    ("as_of_precision", "string?", "precision of as_of: year, month or day"),
    ("as_of_inferred", "boolean?", "true when the article only implies as_of"),
    ("as_of_note", "string?", "how as_of is known, in the interface language"),
    ("pillar_name", "string?", "the pillar's name in the interface language"),
    *_notes("as_of"),
]

PILLAR: list[Field] = [
    ("id", "string", "the pillar's id"),
    ("kind", "string", "positioning (两大定位) or article (四篇文章); general for the report as a whole"),
    ("name", "string", f"its name, {_TWIN.format(f='name')}"),
    ("name_en", "string?", "the curated English name"),
    ("heading", "string?", "the article's heading for it (以科技创新带动转型)"),
    ("heading_en", "string?", "the heading in English"),
    ("section", "string?", "the id of its section"),
    ("summary", "string?", "a curated summary, in the interface language"),
    ("summary_en", "string?", "the summary in English"),
    ("quote", "string?", "the verbatim words of the article that name it"),
    ("note", "string?", _NOTE),
    ("para", "integer?", "the paragraph the quote is in"),
    ("paras", "array:integer", "every paragraph that states it"),
    ("name_zh", "string", "the Chinese name"),
    ("summary_zh", "string?", "the summary in Chinese"),
    ("heading_zh", "string?", "the heading in Chinese"),
]
PILLAR_DETAIL: list[Field] = [
    *PILLAR,
    ("goals", "array:object", "its goals: id, text, quote, para"),
    ("plans", "array:object", "its plans: id, text, year, quote, para"),
    ("cases", "array:object", "its cases: id, title, dates, summary, quote, para"),
    ("metrics", "array:object", "its figures: id, name, value, unit, text, kind, status, amount, quote, para"),
    *_notes(),
]
PILLAR += _notes()

# ``list_pillars(detail=true)`` of the MCP server without a pillar: what each pillar holds, counted
# (its goals, plans, cases and figures in full come with ``pillar``).
PILLAR_COUNTS: list[Field] = [
    ("id", "string", "the pillar's id (general: the report as a whole)"),
    ("kind", "string", "positioning (两大定位) or article (四篇文章); general for the report as a whole"),
    ("name", "string", "its name, in the interface language"),
    ("name_en", "string?", "the curated English name"),
    ("name_zh", "string", "the Chinese name"),
    ("heading", "string?", "the article's heading for it (以科技创新带动转型)"),
    ("quote", "string?", "the verbatim words of the article that name it"),
    ("para", "integer?", "the paragraph the quote is in"),
    ("goals", "integer", "how many goals it has"),
    ("plans", "integer", "how many plans it has"),
    ("cases", "integer", "how many cases it has"),
    ("metrics", "integer", "how many figures it has"),
]

HIT: list[Field] = [
    ("id", "string", "the record's id (beibei show ID)"),
    (
        "kind",
        "string",
        "the record's kind: case, pillar, goal, plan, metric, honour, event, entity, caption, paragraph",
    ),
    ("pillar", "string?", "the id of its pillar"),
    ("title", "string", "its title or name, in the interface language"),
    ("snippet", "string", "the words around the first match (never cut inside a figure)"),
    ("score", "number", "the text's relevance to the words (BM25, titles weigh more); one part of rank"),
    ("text", "string", "the text searched"),
    ("matches", "array:array:integer", "[start, end) character offsets of the matches in text"),
    ("match", "string", "how it was found: exact, parts, partial or fuzzy-pinyin"),
    ("title_en", "string?", "its English title or name"),
    ("title_zh", "string", "its Chinese title or name"),
    (
        "rank",
        "integer",
        "1 for the best hit; hits come in this order: how they were found (match), a title or name "
        "holding the words (cases first among those), then score",
    ),
]

EVENT: list[Field] = [
    ("id", "string", "the event's id"),
    ("date", "string", "ISO text at the precision the article gives"),
    ("precision", "string", "year, month or day"),
    ("title", "string", "what happened, in the interface language"),
    ("quote", "string", "the verbatim words of the article"),
    ("inferred", "boolean", "true when the article only implies the date"),
    ("date_note", "string?", "how the date is known, in the interface language"),
    ("title_en", "string?", "the title in English"),
    ("pillar", "string?", "the id of its pillar"),
    ("case", "string?", "the id of its case"),
    ("note", "string?", _NOTE),
    ("para", "integer?", "the paragraph the quote is in"),
    ("paras", "array:integer", "every paragraph that states it"),
    ("title_zh", "string", "the title in Chinese"),
    *_notes("date"),
]

ENTITY: list[Field] = [
    ("id", "string", "the entity's id"),
    ("name", "string", "its name, in the interface language"),
    ("name_en", "string?", "the name in English"),
    (
        "type",
        "string",
        "government, party, company, university, institution, person, place, project, programme or concept",
    ),
    ("aliases", "array:string", "other names the article uses"),
    ("quote", "string", "the verbatim words of the article that name it"),
    ("note", "string?", _NOTE),
    ("para", "integer?", "the paragraph the quote is in"),
    ("paras", "array:integer", "every paragraph that names it"),
    ("name_zh", "string", "the name in Chinese"),
    ("mentions", "array:string", "ids of the records that name it"),
    *_notes(),
]

PARAGRAPH: list[Field] = [
    ("id", "string", "para-N"),
    ("n", "integer", "its number, from 1"),
    ("type", "string", "title, lead, heading, body or caption"),
    ("section", "string?", "the id of its section"),
    ("text", "string", "the paragraph, verbatim"),
]

INFO: list[Field] = [
    *_twins("title", "the report's title", required=True),
    *_twins("region", "the region it is about", required=True),
    ("date", "string?", "the report's date (ISO text)"),
    ("date_inferred", "boolean?", "true when the article only implies the date"),
    ("date_precision", "string?", "year, month or day"),
    ("date_note", "string?", "how the date is known, in the interface language"),
    ("data_file", "string", "the report file loaded"),
    ("source_file", "string", "the article text its quotes are checked against"),
    ("schema_version", "integer", "the version of the report file format"),
    ("version", "string", "the version of beibei"),
    ("counts", "object", "the number of records of each kind"),
    ("date_note_en", "string?", "how the date is known, in English"),
    ("date_note_zh", "string?", "how the date is known, in Chinese"),
]

_PILLAR_OF: list[Field] = [
    ("pillar", "string?", "the id of its pillar (null: the report as a whole)"),
    ("pillar_name", "string?", "the pillar's name in the interface language"),
]
_END: list[Field] = [
    ("note", "string?", _NOTE),
    ("para", "integer?", "the paragraph the quote is in"),
    ("paras", "array:integer", "every paragraph that states it"),
]

GOAL: list[Field] = [
    ("id", "string", "the goal's id (beibei show ID)"),
    *_twins("text", "the goal", required=True),
    *_PILLAR_OF,
    ("quote", "string", "the verbatim words of the article"),
    *_END,
    *_notes(),
]

PLAN: list[Field] = [
    ("id", "string", "the plan's id (beibei show ID)"),
    *_twins("text", "what is planned", required=True),
    *_PILLAR_OF,
    *_date("year", "the year it is planned for"),
    ("quote", "string", "the verbatim words of the article"),
    *_END,
    *_notes("year"),
]

CASE: list[Field] = [
    ("id", "string", "the case's id (beibei show ID)"),
    *_twins("title", "the case's title", required=True),
    *_PILLAR_OF,
    ("date", "string?", "its first date (ISO text; the others are in dates)"),
    ("dates", "array:string", "every date of the case (ISO text)"),
    *_twins("summary", "what happened"),
    ("organisations", "array:string", "ids of the organisations and companies in it"),
    ("places", "array:string", "ids of its places"),
    ("people", "array:string", "ids of its people"),
    ("quote", "string", "the verbatim words of the article"),
    *_END,
    *_notes(),
]

HONOUR: list[Field] = [
    ("id", "string", "the honour's id (beibei show ID)"),
    *_twins("title", "what was won or claimed", required=True),
    *_PILLAR_OF,
    *_date("year", "the year of the honour"),
    ("quote", "string", "the verbatim words of the article"),
    *_END,
    *_notes("year"),
]

SECTION: list[Field] = [
    ("id", "string", "the section's id (metrics --section ID)"),
    ("kind", "string", "what the section is: lead, highlights, article or data"),
    ("heading", "string?", "the article's heading, as written"),
    *_twins("title", "the section's title", required=True),
    ("pillar", "string?", "the id of the pillar it is about"),
    ("note", "string?", _NOTE),
    ("para", "integer?", "the paragraph it starts at"),
    *_notes(),
]

CAPTION: list[Field] = [
    ("id", "string", "the caption's id"),
    ("title", "string", "the caption in the interface language (the Chinese is its quote)"),
    ("title_en", "string?", "the caption in English"),
    ("quote", "string", "the caption, verbatim"),
    *_END,
    *_notes(),
]

REPORT: list[Field] = [
    ("key", "string", "the report's key on a shelf: report.key, else its file name"),
    *_twins("title", "the report's title"),
    *_twins("region", "the region it is about"),
    ("date", "string?", "the report's date (ISO text)"),
    ("data_file", "string", "the report file"),
    ("records", "integer?", "its records of every kind (paragraphs not counted)"),
    ("counts", "object?", "the number of records of each kind"),
    ("drafts", "integer?", "how many of its records are still drafts (draft: true, from beibei draft)"),
    ("error", "string?", "why the report did not load (null: it loaded and answers)"),
]
SERIES: list[Field] = [
    ("report", "string", "the key of the report that states it"),
    ("date", "string?", "the report's date (ISO text): rows are in this order"),
    ("id", "string", "the figure's id (KEY:ID on a shelf)"),
    ("name", "string", f"what the figure measures, {_TWIN.format(f='name')}"),
    ("figure", "string", "the figure for people: as written, or in English under --lang en"),
    ("value", "number", "the number as written"),
    ("unit", "string", "the unit as written"),
    ("amount", "number", "the value in base units"),
    ("base_unit", "string", "the unit of amount: bars compare rows whose base units agree"),
    ("status", "string", "stated, forecast or target"),
    ("quote", "string", "the verbatim words of the article that state it"),
    ("para", "integer?", "the paragraph the quote is in"),
]
TREND: list[Field] = [
    ("report", "string", "the report's key"),
    ("date", "string?", "the report's date (ISO text): rows are in this order"),
    ("term", "string", "the term counted, as given"),
    ("count", "integer", "its occurrences in the report's paragraphs"),
    ("per_10k", "number", "occurrences per 10,000 characters of the report's text"),
    ("chars", "integer", "the characters of the report's text (whitespace not counted)"),
    ("paras", "array:integer", "the paragraphs it occurs in"),
]
COUNT: list[Field] = [("kind", "string", "a kind of record"), ("count", "integer", "hits of that kind")]
ID: list[Field] = [("id", "string", "a record's id")]

ROWS: dict[str, list[Field]] = {
    "metric": METRIC,
    "pillar": PILLAR,
    "pillar-detail": PILLAR_DETAIL,
    "pillar-counts": PILLAR_COUNTS,
    "hit": HIT,
    "event": EVENT,
    "entity": ENTITY,
    "paragraph": PARAGRAPH,
    "goal": GOAL,
    "plan": PLAN,
    "case": CASE,
    "honour": HONOUR,
    "section": SECTION,
    "caption": CAPTION,
    "info": INFO,
    "report": REPORT,
    "series": SERIES,
    "trend": TREND,
    "count": COUNT,
    "id": ID,
}


def names(kind: str) -> list[str]:
    """The fields of a row kind, in order."""
    return [f[0] for f in ROWS[kind]]


def shape(row: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """``row`` with exactly ``fields``, in order (null where it has none)."""
    return {f: row.get(f) for f in fields}


def json_schema(kind: str, *, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON Schema of one row of ``kind`` (or of its ``fields``)."""
    props: dict[str, Any] = {}
    wanted = None if fields is None else set(fields)
    for name, typ, doc in ROWS[kind]:
        if wanted is None or name in wanted:
            props[name] = {**type_schema(typ), "description": doc}
    return {"type": "object", "properties": props, "required": list(props)}


def type_schema(typ: str) -> dict[str, Any]:
    nullable = typ.endswith("?")
    typ = typ.rstrip("?")
    if typ.startswith("array:"):
        out: dict[str, Any] = {"type": "array", "items": type_schema(typ[6:])}
    else:
        out = {"type": typ}
    if nullable:
        out["type"] = [out["type"], "null"]
    return out


class Encoded(dict):  # type: ignore[type-arg]
    """A row that carries its own JSON text as an item of ``to_json``'s list (indented two
    spaces, one level in), made once where the row was made (the shelf's store keeps each
    report's ``reports`` row so): a list of them prints without being encoded again. Any change
    to the row drops the text, so what is printed is always the row."""

    __slots__ = ("json_item",)

    def __init__(self, row: dict[str, Any], json_item: str | None) -> None:
        super().__init__(row)
        self.json_item = json_item

    def _changed(self) -> None:
        self.json_item = None

    def __setitem__(self, key: Any, value: Any) -> None:
        self._changed()
        super().__setitem__(key, value)

    def __delitem__(self, key: Any) -> None:
        self._changed()
        super().__delitem__(key)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self._changed()
        super().update(*args, **kwargs)

    def pop(self, *args: Any) -> Any:
        self._changed()
        return super().pop(*args)

    def popitem(self) -> Any:
        self._changed()
        return super().popitem()

    def setdefault(self, *args: Any) -> Any:
        self._changed()
        return super().setdefault(*args)

    def clear(self) -> None:
        self._changed()
        super().clear()


def json_item(row: dict[str, Any]) -> str:
    """``row`` as an item of ``to_json``'s list: its JSON, indented one level in, its refused
    characters already escaped (``textsafety.json_escape``, as ``to_json`` escapes its text)."""
    import json

    from beibei_cli.textsafety import json_escape

    return "  " + json_escape(json.dumps(row, ensure_ascii=False, indent=2)).replace("\n", "\n  ")
