"""``beibei export --format sqlite``: a database that datasette searches and any SQLite client reads.

The datasette tests open the exported file with datasette itself (a test dependency, in the
``[test]`` extras) and search it as its search box does (``?_search=``).
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest

from beibei_cli import rows as contract
from beibei_cli.output import sqlite as exporter
from tests.conftest import DATA, PYTHON, python_env
from tests.test_shelf import copy_report

LISTINGS = [(table, listing) for table, listing, _ in exporter.TABLES]


def shelf(tmp_path: Path) -> Path:
    """Two reports: the shipped one twice, as 2023 and 2024 (distinct keys)."""
    copy_report(tmp_path / "shelf", "beibei-2023.yaml")
    copy_report(tmp_path / "shelf" / "later", "beibei-2024.yaml")
    return tmp_path / "shelf"


def export(run, data: Path, out: Path, *args: str) -> None:  # type: ignore[no-untyped-def]
    done = run("--data", str(data), "export", *args, "-o", str(out))
    assert done.code == 0, done.err
    assert out.read_bytes()[:16] == b"SQLite format 3\x00"


def datasette_get(db: Path, path: str) -> Any:
    """``path`` of datasette serving ``db`` (its in-process test client)."""
    app = pytest.importorskip("datasette.app", reason="datasette is not installed (pip install '.[test]')")

    async def get() -> Any:
        ds = app.Datasette([str(db)])
        response = await ds.client.get(path)
        assert response.status_code == 200, response.text[:500]
        return response.json() if ".json" in path else response.text

    return asyncio.run(get())


def texts(row: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in row.items() if exporter.TEXT_FIELD.match(k)}, ensure_ascii=False)


@pytest.mark.parametrize("query", ["招商", "研发经费投入强度", "森林"])
def test_datasette_finds_a_chinese_query_in_every_report(run, tmp_path: Path, query: str) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "shelf.db"
    export(run, shelf(tmp_path), db)
    for table, listing in (("metrics", "metrics"), ("paragraphs", "source"), ("cases", "cases")):
        listed = json.loads(run("--data", str(DATA), listing, "-f", "json").out)
        # the rows whose words hold the query, in each of the two reports
        expected = sorted(
            (key, r["n" if table == "paragraphs" else "id"])
            for key in ("beibei-2023", "beibei-2024")
            for r in listed
            if query in texts(r)
        )
        found = datasette_get(db, f"/shelf/{table}.json?_search={query}&_shape=array&_size=max")
        got = sorted((r["report"], r["n" if table == "paragraphs" else "id"]) for r in found)
        assert got == expected, (table, query)
    assert any(query in texts(r) for r in json.loads(run("--data", str(DATA), "source", "-f", "json").out))


def test_datasette_offers_the_search_box_and_finds_english_words(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "report.db"
    export(run, DATA, db)
    for table, _ in LISTINGS:
        page = datasette_get(db, f"/report/{table}")
        assert 'name="_search"' in page, table  # datasette found the table's FTS index
    found = datasette_get(db, "/report/metrics.json?_search=forest&_shape=array")
    assert found and all("forest" in texts(r).lower() for r in found)
    assert "metric-forest-coverage" in {r["id"] for r in found}


def _tables(db: Path) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: con.execute(f"SELECT count(*) FROM [{n}]").fetchone()[0] for n in names}
    finally:
        con.close()


@pytest.mark.parametrize("on_shelf", [False, True], ids=["one-report", "shelf"])
def test_each_table_holds_its_listing_row_for_row(run, tmp_path: Path, on_shelf: bool) -> None:  # type: ignore[no-untyped-def]
    data = shelf(tmp_path) if on_shelf else DATA
    db = tmp_path / "out.sqlite"
    export(run, data, db)
    counts = _tables(db)
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        for table, listing in LISTINGS:
            listed = json.loads(run("--data", str(data), listing, "-f", "json").out)
            assert counts[table] == len(listed) > 0, table
            assert counts[f"{table}_fts"] == len(listed)
            kind = next(k for t, _, k in exporter.TABLES if t == table)
            columns = [r[1] for r in con.execute(f"PRAGMA table_info([{table}])")]
            assert columns == ["report", *contract.names(kind), exporter.NGRAMS]
            pk = [r[1] for r in sorted(con.execute(f"PRAGMA table_info([{table}])"), key=lambda r: r[5]) if r[5]]
            assert pk == (["report", "n"] if table == "paragraphs" else ["report", "id"])
            # row for row the listing's values (each report's as it lists alone): ids bare beside
            # their report, lists and objects as JSON, booleans 0 and 1
            alone = json.loads(run("--data", str(DATA), listing, "-f", "json").out)
            keys = ["beibei-2023", "beibei-2024"] if on_shelf else ["report"]
            stored = [dict(r) for r in con.execute(f"SELECT * FROM [{table}] ORDER BY rowid")]
            assert [(r["report"], r["id"]) for r in stored] == [(k, r["id"]) for k in keys for r in alone]
            for want, got in zip([r for _ in keys for r in alone], stored, strict=True):
                for field, typ, _ in contract.ROWS[kind]:
                    value = want[field]
                    if isinstance(value, (list, dict)):
                        assert json.loads(got[field]) == value, (table, field)
                    else:
                        assert got[field] == (int(value) if isinstance(value, bool) else value), (table, field)
                    if typ.rstrip("?") == "number" and value is not None:
                        assert isinstance(got[field], float)
        reports = json.loads(run("--data", str(data), "reports", "-f", "json").out)
        assert counts["reports"] == len(reports) == (2 if on_shelf else 1)
        assert [r["report"] for r in con.execute("SELECT report FROM reports")] == [r["key"] for r in reports]
    finally:
        con.close()


def test_the_types_of_the_columns_are_the_declared_ones(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "report.db"
    export(run, DATA, db)
    con = sqlite3.connect(db)
    try:
        types = {r[1]: r[2] for r in con.execute("PRAGMA table_info(metrics)")}
        assert (types["value"], types["amount"], types["para"], types["paras"], types["name"]) == (
            "REAL",
            "REAL",
            "INTEGER",
            "TEXT",
            "TEXT",
        )
        value, paras = con.execute("SELECT value, paras FROM metrics WHERE id = 'metric-rd-intensity'").fetchone()
        assert isinstance(value, float) and isinstance(json.loads(paras), list)
        inferred = {r[1]: r[2] for r in con.execute("PRAGMA table_info(timeline)")}["inferred"]
        assert inferred == "INTEGER"
        assert {r[0] for r in con.execute("SELECT DISTINCT inferred FROM timeline")} <= {0, 1}
    finally:
        con.close()


def test_the_search_index_is_set_up_as_sqlite_utils_sets_it_and_follows_edits(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "report.db"
    export(run, DATA, db)
    con = sqlite3.connect(db)
    try:
        sql = con.execute("SELECT sql FROM sqlite_master WHERE name = 'metrics_fts'").fetchone()[0]
        assert "USING FTS5" in sql and "content=[metrics]" in sql and "tokenize='unicode61'" in sql
        triggers = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert {"metrics_ai", "metrics_ad", "metrics_au"} <= triggers

        def hits(word: str) -> int:
            return int(
                con.execute(
                    "SELECT count(*) FROM metrics WHERE rowid IN (SELECT rowid FROM metrics_fts WHERE metrics_fts MATCH ?)",
                    (f'"{word}"',),
                ).fetchone()[0]
            )

        before = hits("招商")
        assert before > 0
        con.execute("UPDATE metrics SET zh_ngrams = '', quote = '', name = '', name_zh = '', text = '', figure = ''")
        assert hits("招商") == 0  # the update trigger took the words out of the index
        con.execute("DELETE FROM metrics")
        con.execute("INSERT INTO metrics (report, id, zh_ngrams) VALUES ('report', 'x', '招 招商 商')")
        assert hits("招商") == 1  # and the insert trigger put the new row's in
        assert con.execute("INSERT INTO metrics_fts(metrics_fts) VALUES('integrity-check')").fetchall() == []
    finally:
        con.close()


def test_ngrams_hold_every_piece_of_chinese_up_to_the_longest_query() -> None:
    grams = exporter.ngrams(["招商引资，R&D 经费2.5%"]).split()
    assert {"招", "招商", "招商引资", "商引", "资", "经费2", "经费"} <= set(grams)
    assert "R" not in grams and "资，" not in grams  # Latin words are read as words; punctuation cuts runs
    assert len(grams) == len(set(grams))
    long = "一二三四五六七八九十"
    assert long[:8] in exporter.ngrams([long]).split() and long not in exporter.ngrams([long]).split()


def test_the_format_follows_the_extension_and_a_terminal_is_refused(run, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from beibei_cli import output

    for name in ("a.db", "b.sqlite", "c.sqlite3"):
        export(run, DATA, tmp_path / name)
    monkeypatch.setattr(output, "stdout_is_tty", lambda: True)
    done = run("export", "--format", "sqlite")
    assert done.code == 2 and done.out == ""
    assert "sqlite is a binary format: give -o FILE" in done.err and "Traceback" not in done.err
    with open(tmp_path / "piped.db", "wb") as handle:  # redirected to a file: written
        piped = subprocess.run(
            [PYTHON, "-m", "beibei_cli", "export", "--format", "sqlite"], stdout=handle, env=python_env(), check=False
        )
    assert piped.returncode == 0 and (tmp_path / "piped.db").read_bytes()[:16] == b"SQLite format 3\x00"
    bad = run("export", "-o", str(tmp_path / "x.sqlitedb"))
    assert bad.code == 2 and "sqlite (.db, .sqlite, .sqlite3)" in bad.err
    assert not (tmp_path / "x.sqlitedb").exists()


def test_the_file_is_replaced_atomically_with_the_usual_permissions(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "shelf.db"
    db.write_bytes(b"the user's old file")
    os.chmod(db, 0o640)
    export(run, DATA, db)
    assert stat.S_IMODE(db.stat().st_mode) == 0o640  # a file replaced keeps its mode, as every -o does
    new = tmp_path / "new.db"
    export(run, DATA, new)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~umask
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary file left
    folder = tmp_path / "dir.db"
    folder.mkdir()
    done = run("export", "-o", str(folder))
    assert done.code != 0 and "is a directory" in done.err and "Traceback" not in done.err


def test_datasette_never_reaches_the_command_line_nor_the_export_a_listing(tmp_path: Path) -> None:
    """Fresh interpreters: the export imports no datasette, a listing neither the export nor the pages."""
    code = (
        "import sys, io, contextlib\n"
        "from beibei_cli.entry import run\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        "    run(sys.argv[1:])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'datasette'"
        " or m in ('beibei_cli.output.sqlite', 'beibei_cli.output.charts')))\n"
    )
    cases = [
        (["export", "-o", str(tmp_path / "x.db")], ["beibei_cli.output.sqlite"]),
        (["metrics", "-f", "json"], []),
        (["trend", "招商", "-f", "json"], []),
    ]
    for args, expected in cases:
        for extra in ({}, {"BEIBEI_NO_FASTPATH": "1"}):
            done = subprocess.run(
                [PYTHON, "-c", code, *args], capture_output=True, text=True, env=python_env(**extra), check=True
            )
            assert done.stdout.strip().splitlines()[-1] == repr(expected), (args, extra, done.stderr)


def test_a_report_that_failed_to_load_is_a_row_of_reports_with_its_error(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = shelf(tmp_path)
    (data / "broken.yaml").write_text("report: [unclosed\n", encoding="utf-8")
    db = tmp_path / "shelf.db"
    done = run("--data", str(data), "export", "-o", str(db))
    assert done.code == 0 and "broken" in done.err  # the others are exported; the failure is said
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT report, error IS NOT NULL FROM reports ORDER BY rowid").fetchall()
        assert rows == [("beibei-2023", 0), ("beibei-2024", 0), ("broken", 1)]
        assert con.execute("SELECT count(DISTINCT report) FROM metrics").fetchone()[0] == 2
    finally:
        con.close()


def test_without_serialize_the_database_is_copied_through_a_file_all_the_same(tmp_path: Path) -> None:
    """Python 3.10 has no Connection.serialize: the database is backed up into a temporary file."""
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE t (x TEXT)")
    con.execute("INSERT INTO t VALUES ('招商')")
    con.commit()

    class Old:  # a connection as 3.10 has it: backup, no serialize
        backup = con.backup

    data = exporter._file_bytes(Old())  # type: ignore[arg-type]
    assert data[:16] == b"SQLite format 3\x00"
    (tmp_path / "copy.db").write_bytes(data)
    copy = sqlite3.connect(tmp_path / "copy.db")
    try:
        assert copy.execute("SELECT x FROM t").fetchall() == [("招商",)]
    finally:
        copy.close()
        con.close()
