"""The shelf (or the one report) as a SQLite database (``beibei export --format sqlite -o shelf.db``).

One table per listing, its rows exactly as the listing gives them (``commands.export`` hands
them over), typed by their declared fields (``rows.py``): ``string`` is TEXT, ``integer`` and
``boolean`` INTEGER, ``number`` REAL, an object or a list JSON text. Every table starts with
``report`` (the report's key, also when only one is loaded) and has the primary key
(report, id), paragraphs (report, n); ``id`` is the record's id in its report (the command
line's ``KEY:ID`` is ``report || ':' || id``). The ``reports`` table has one row per report.

Full-text search is set up as ``sqlite-utils enable-fts --create-triggers`` does it, so that
``datasette shelf.db`` offers a search box on every table: an FTS5 table ``<table>_fts`` with
``content=[<table>]`` (the index only; the text stays in the table), filled from the table's
rowids, and the three triggers that keep it in step when a row is inserted, changed or deleted.

Chinese: FTS5's tokenizers do not cut Chinese into words. ``unicode61`` reads a whole run of
Chinese characters as one word (招商 would find no row that says 招商引资), and ``trigram``
matches no query of fewer than three characters (招商). So each table has one more column,
``zh_ngrams``: every piece of 1 to ``NGRAM`` characters of each run of the row's text that
holds a Chinese character, separated by spaces, and the index reads it with ``unicode61``.
Datasette's search box sends the words typed as one quoted phrase each (``"招商"``), which is
then one token, and it finds exactly the rows whose text holds it: a query of up to ``NGRAM``
characters; a longer one is given in parts with spaces between (rows holding every part).
English text is indexed as words by ``unicode61`` in the text columns themselves.

The standard library's ``sqlite3`` is imported here, and only for this format.
"""

from __future__ import annotations

import json
import os
import re

from beibei_cli import rows as contract

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from typing import Any

# (table, the listing whose rows it holds, their row kind in rows.py)
TABLES: tuple[tuple[str, str, str], ...] = (
    ("pillars", "pillars", "pillar"),
    ("metrics", "metrics", "metric"),
    ("goals", "goals", "goal"),
    ("plans", "plans", "plan"),
    ("cases", "cases", "case"),
    ("honours", "honours", "honour"),
    ("timeline", "timeline", "event"),
    ("entities", "entities", "entity"),
    ("sections", "sections", "section"),
    ("captions", "captions", "caption"),
    ("paragraphs", "source", "paragraph"),
)
REPORTS = "reports"
NGRAMS = "zh_ngrams"
NGRAM = 8  # the longest query found as typed: 研发经费投入强度 is 8 characters
TOKENIZER = "unicode61"

# the fields a person reads, whose words are searched (ids, kinds, units and dates are not)
TEXT_FIELD = re.compile(r"(name|title|text|summary|heading|quote|note|figure|region|aliases)(_en|_zh)?$")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
WORD_RUN = re.compile(r"\w+")

SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "boolean": "INTEGER", "number": "REAL"}


def sql_type(typ: str) -> str:
    """The column type of a declared field type (``string?``, ``array:integer``, …)."""
    return SQL_TYPES.get(typ.rstrip("?"), "TEXT")  # an object or a list: JSON text


def ngrams(texts: list[str]) -> str:
    """Every piece of 1 to NGRAM characters of each word run that holds a Chinese character, once,
    separated by spaces (in the order first met)."""
    seen: dict[str, None] = {}
    for text in texts:
        for run in WORD_RUN.findall(text):
            if not HAN.search(run):
                continue  # a word of Latin letters or digits: unicode61 reads it as it is
            for i in range(len(run)):
                for j in range(i + 1, min(i + NGRAM, len(run)) + 1):
                    seen.setdefault(run[i:j], None)
    return " ".join(seen)


def _quote(name: str) -> str:
    return "[" + name.replace("]", "]]") + "]"


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def _table(
    db: sqlite3.Connection,
    name: str,
    fields: list[tuple[str, str]],
    rows: list[dict[str, Any]],
    key: tuple[str, ...],
) -> None:
    """Table ``name`` of ``fields`` (name, declared type) with ``rows``, its key, and its search index."""
    searched = [f for f, _ in fields if TEXT_FIELD.match(f)]
    columns = [*fields, (NGRAMS, "string")]
    body = ",\n".join(f"   {_quote(f)} {sql_type(t)}" for f, t in columns)
    db.execute(f"CREATE TABLE {_quote(name)} (\n{body},\n   PRIMARY KEY ({', '.join(_quote(k) for k in key)})\n)")
    marks = ", ".join("?" for _ in columns)
    db.executemany(
        f"INSERT INTO {_quote(name)} VALUES ({marks})",
        (
            [*(_cell(row.get(f)) for f, _ in fields), ngrams([t for f in searched for t in _texts(row.get(f))])]
            for row in rows
        ),
    )
    _enable_fts(db, name, [*searched, NGRAMS])


def _enable_fts(db: sqlite3.Connection, table: str, columns: list[str]) -> None:
    """What ``sqlite-utils enable-fts TABLE COLUMNS --fts5 --create-triggers --tokenize unicode61``
    creates: the FTS5 table over the table's text, filled, and its triggers."""
    fts = _quote(f"{table}_fts")
    t = _quote(table)
    cols = ", ".join(_quote(c) for c in columns)
    old = ", ".join(f"old.{_quote(c)}" for c in columns)
    new = ", ".join(f"new.{_quote(c)}" for c in columns)
    db.execute(f"CREATE VIRTUAL TABLE {fts} USING FTS5 (\n    {cols},\n    tokenize='{TOKENIZER}',\n    content={t}\n)")
    db.execute(f"INSERT INTO {fts} (rowid, {cols}) SELECT rowid, {cols} FROM {t}")
    ai, ad, au = (_quote(f"{table}_{s}") for s in ("ai", "ad", "au"))
    db.executescript(
        f"""
CREATE TRIGGER {ai} AFTER INSERT ON {t} BEGIN
  INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {new});
END;
CREATE TRIGGER {ad} AFTER DELETE ON {t} BEGIN
  INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES('delete', old.rowid, {old});
END;
CREATE TRIGGER {au} AFTER UPDATE ON {t} BEGIN
  INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES('delete', old.rowid, {old});
  INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {new});
END;
"""
    )


def database(
    listings: dict[str, list[tuple[str, list[dict[str, Any]]]]],
    reports: list[dict[str, Any]],
) -> bytes:
    """The bytes of the database file.

    ``listings``: for each listing of ``TABLES``, (report key, its rows) for each report in shelf
    order; ``reports``: the ``reports`` listing's rows (their ``key`` is the table's ``report``).
    """
    import sqlite3  # only for this format

    db = sqlite3.connect(":memory:")
    try:
        with db:
            for table, listing, kind in TABLES:
                fields = [(f, t) for f, t, _ in contract.ROWS[kind]]
                rows = [{**row, "report": key} for key, found in listings[listing] for row in found]
                pk = ("report", "n") if kind == "paragraph" else ("report", "id")
                _table(db, table, [("report", "string"), *fields], rows, pk)
            fields = [(f, t) for f, t, _ in contract.ROWS["report"] if f != "key"]
            shelf = [{**row, "report": row["key"]} for row in reports]
            _table(db, REPORTS, [("report", "string"), *fields], _unique_keys(shelf), ("report",))
        return _file_bytes(db)
    finally:
        db.close()


def _unique_keys(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A report that failed to load is named by its file: where that name is a key already taken,
    it is made unique (``name~2``), so that the table keeps every report and its error."""
    taken: set[str] = set()
    out = []
    for row in rows:
        key, n = row["report"], 1
        while key in taken:
            n += 1
            key = f"{row['report']}~{n}"
        taken.add(key)
        out.append({**row, "report": key})
    return out


def _file_bytes(db: sqlite3.Connection) -> bytes:
    """The in-memory database as the bytes of a database file."""
    serialize = getattr(db, "serialize", None)  # Python 3.11+
    if serialize is not None:
        return bytes(serialize())
    import sqlite3
    import tempfile

    with tempfile.TemporaryDirectory(prefix="beibei-") as folder:
        path = os.path.join(folder, "export.db")
        target = sqlite3.connect(path)
        try:
            db.backup(target)
        finally:
            target.close()
        with open(path, "rb") as handle:
            return handle.read()
