"""The SQLite store of a shelf (issue 27, item 4): the same answers as the shelf loaded in
memory (``--no-cache``), byte for byte, from a store that loads only what a query needs,
kept up to date incrementally, and never served when it is damaged, foreign or planted.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.test_shelf import copy_report, dated

QUERIES = [
    ["reports"],
    ["show", "keyed:metric-rd-intensity"],
    ["show", "early:para-3", "metric-rd-intensity-b"],
    ["show", "metric-rd-intensity"],  # in two reports: refused with the candidates
    ["show", "late:no-such-id"],
    ["series", "研发经费投入强度"],
    ["series", "R&D intensity"],
    ["series", "yanfajingfei", "--lang", "en"],
    ["trend", "招商", "科技創新", "GDP"],
    ["search", "招商", "--limit", "20"],
    ["search", "zhaoshang"],
    ["search", "investment promotion"],
    ["search", "招商引資"],
    ["search", "再招商", "--limit", "1"],  # exact in the latest report only: the others' hits are looser
    ["search", "investment", "--limit", "3", "--lang", "en"],
    ["reports", "--lang", "en"],
    ["metrics"],
    ["info"],
]


@pytest.fixture
def shelf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three reports: one dated earlier, one with a figure's id of its own and one more
    paragraph, one keyed by report.key with a draft record; each test with a cache folder of its own."""
    monkeypatch.setenv("BEIBEI_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "s"
    dated(copy_report(folder, "early.yaml"), "2021-01")
    copy_report(folder / "b", "late.yaml", rename=True)
    with open(folder / "b" / "source.txt", "a", encoding="utf-8") as handle:
        handle.write("\n招商引资，再招商。\n")
    third = copy_report(folder / "c", "third.yaml", key="keyed")
    text = third.read_text(encoding="utf-8")  # a record still in draft: reports counts it
    third.write_text(
        text.replace("  - id: metric-rd-intensity\n", "  - id: metric-rd-intensity\n    draft: true\n", 1),
        encoding="utf-8",
    )
    return folder


def answers(run, folder: Path, *extra: str) -> list[tuple[int, str, str]]:  # type: ignore[no-untyped-def]
    out = []
    for args in QUERIES:
        result = run(*extra, "--data", str(folder), *args, "-f", "json")
        out.append((result.code, result.out, result.err))
    return out


def database(tmp_path: Path) -> Path:
    (found,) = (tmp_path / "cache").glob("shelf-*.sqlite3")
    return found


def test_the_store_answers_as_the_shelf_in_memory(run, shelf: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    memory = answers(run, shelf, "--no-cache")
    assert not list((tmp_path / "cache").glob("shelf-*"))  # --no-cache: no store
    cold = answers(run, shelf)
    warm = answers(run, shelf)
    assert [a[0] for a in memory][:3] == [0, 0, 0]
    for query, a, b, c in zip(QUERIES, memory, cold, warm, strict=True):
        assert a == b == c, query


def test_a_warm_command_loads_only_the_reports_it_answers(run, shelf: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from beibei_cli import report

    assert run("--data", str(shelf), "reports").code == 0  # the store is built
    loaded: list[str] = []
    real = report.load_report

    def counted(path: str | None = None, **kw: object) -> report.Report:
        loaded.append(os.path.basename(str(path)))
        return real(path, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(report, "load_report", counted)
    for args, wanted in (
        (["reports"], []),
        (["trend", "招商"], []),
        (["show", "keyed:metric-rd-intensity"], ["third.yaml"]),
        (["show", "metric-rd-intensity-b"], ["late.yaml"]),  # a bare id found in the store
        (["search", "招商", "--limit", "2"], []),  # each report's index read alone, its titles kept
        (["reports", "--lang", "en"], []),
        (["series", "研发经费投入强度"], []),  # the figures' names searched, their rows read, from the store
    ):
        loaded.clear()
        assert run("--data", str(shelf), *args, "-f", "json").code == 0, args
        assert loaded == wanted, args


def test_only_a_changed_report_is_read_again_and_a_removed_one_leaves(
    run, shelf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from beibei_cli import store

    assert run("--data", str(shelf), "reports").code == 0
    read: list[str] = []
    real = store._extract
    monkeypatch.setattr(store, "_extract", lambda p, e=None: (read.append(os.path.basename(p)), real(p, e))[1])
    assert run("--data", str(shelf), "reports").code == 0
    assert read == []
    late = shelf / "b" / "late.yaml"
    late.write_text(late.read_text(encoding="utf-8").replace("title: ", "title: 新", 1), encoding="utf-8")
    result = run("--data", str(shelf), "reports", "-f", "json")
    assert read == ["late.yaml"]
    assert [r["title"].startswith("新") for r in json.loads(result.out)] == [False, False, True]
    (shelf / "c" / "third.yaml").unlink()
    result = run("--data", str(shelf), "reports", "-f", "json")
    assert [r["key"] for r in json.loads(result.out)] == ["early", "late"]
    conn = sqlite3.connect(database(shelf.parent))
    assert sorted(p for (p,) in conn.execute("SELECT path FROM reports")) == [str(late), str(shelf / "early.yaml")]
    assert conn.execute("SELECT count(DISTINCT report) FROM paragraphs").fetchone()[0] == 2
    conn.close()


def test_the_database_is_private(run, shelf: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run("--data", str(shelf), "reports").code == 0
    db = database(tmp_path)
    for path in (db, *db.parent.glob(db.name + "-*")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700


def _garbage(db: Path) -> None:
    db.write_bytes(b"not a database at all" * 100)


def _truncated(db: Path) -> None:
    raw = db.read_bytes()
    db.write_bytes(raw[: len(raw) // 3])


def _foreign(db: Path) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA application_id = 12345")
    conn.close()


def _stale_schema(db: Path) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DROP TABLE t2s")
    conn.close()


def _wrong_rows(db: Path) -> None:
    """Rows that still look right but are another build's: the code stamp differs."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("UPDATE stamp SET value = 'another build'")
    conn.execute("UPDATE details SET counts = '{\"metric\": 999}'")
    conn.close()


@pytest.mark.parametrize("damage", [_garbage, _truncated, _foreign, _stale_schema, _wrong_rows])
def test_a_damaged_or_foreign_database_is_rebuilt_never_served(run, shelf: Path, tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    first = run("--data", str(shelf), "reports", "-f", "json")
    db = database(tmp_path)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file, then damage it
    conn.close()
    for sidecar in db.parent.glob(db.name + "-*"):
        sidecar.unlink()
    damage(db)
    again = run("--data", str(shelf), "reports", "-f", "json")
    assert (again.code, again.out, again.err) == (first.code, first.out, first.err)
    assert run("--data", str(shelf), "reports", "-f", "json").out == first.out


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_a_symlink_in_place_of_the_database_is_not_followed(run, shelf: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = run("--data", str(shelf), "reports", "-f", "json")
    db = database(tmp_path)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    victim = tmp_path / "victim.db"  # a valid store elsewhere: through the link it would be written
    victim.write_bytes(db.read_bytes())
    for path in (db, *db.parent.glob(db.name + "-*")):
        path.unlink()
    db.symlink_to(victim)
    late = shelf / "b" / "late.yaml"
    late.write_text(late.read_text(encoding="utf-8"), encoding="utf-8")  # a change to write
    before = victim.read_bytes()
    again = run("--data", str(shelf), "reports", "-f", "json")
    assert again.out == first.out and again.code == 0
    assert victim.read_bytes() == before and not list(tmp_path.glob("victim.db-*"))
    assert not db.is_symlink() and db.is_file()


def test_a_locked_database_still_answers(run, shelf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from beibei_cli import report, store

    first = run("--data", str(shelf), "trend", "招商", "-f", "json")
    loaded: list[str] = []
    real = report.load_report
    monkeypatch.setattr(
        report, "load_report", lambda p=None, **kw: (loaded.append(os.path.basename(str(p))), real(p, **kw))[1]
    )
    late = shelf / "b" / "late.yaml"
    late.write_text(late.read_text(encoding="utf-8"), encoding="utf-8")  # changed: the store must be written
    monkeypatch.setattr(store, "BUSY_SECONDS", 0.1)
    other = sqlite3.connect(database(tmp_path), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another builder holds the write lock
    try:
        again = run("--data", str(shelf), "trend", "招商", "-f", "json")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert (again.code, again.out) == (first.code, first.out)
    assert loaded == ["late.yaml"]  # only the changed one read, and answered as read: the store kept the rest
    assert run("--data", str(shelf), "trend", "招商", "-f", "json").out == first.out


def test_a_broken_report_is_said_each_time_and_the_others_answer(run, shelf: Path) -> None:  # type: ignore[no-untyped-def]
    (shelf / "broken.yaml").write_text("report: [not, a, mapping\n", encoding="utf-8")
    for _ in range(2):  # a failure is not stored: said again, and tried again once mended
        result = run("--data", str(shelf), "reports", "-f", "json")
        assert result.code != 0 and result.err.count("broken.yaml") == 1
        assert "Traceback" not in result.err
        assert len([r for r in json.loads(result.out) if r["error"] is None]) == 3
    copy_report(shelf, "broken.yaml", key="mended")
    result = run("--data", str(shelf), "reports", "-f", "json")
    assert result.code == 0 and "mended" in result.out


def test_one_report_file_keeps_its_own_cache_and_no_store(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BEIBEI_CACHE_DIR", str(tmp_path / "cache"))
    one = copy_report(tmp_path / "one", "only.yaml")
    assert run("--data", str(one), "reports").code == 0
    assert run("--data", str(one.parent), "reports").code == 0
    assert not list((tmp_path / "cache").glob("shelf-*"))


def test_a_report_changed_while_the_store_is_built_is_read_again_next_time(
    run, shelf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from beibei_cli import store

    late = shelf / "b" / "late.yaml"
    real = store.load_one

    def edited_meanwhile(path: str):  # type: ignore[no-untyped-def]
        found = real(path)  # read as it was; then the user saves an edit
        if path.endswith("late.yaml"):
            late.write_text(late.read_text(encoding="utf-8").replace("title: ", "title: 新", 1), encoding="utf-8")
        return found

    monkeypatch.setattr(store, "load_one", edited_meanwhile)
    first = json.loads(run("--data", str(shelf), "reports", "-f", "json").out)
    assert not first[2]["title"].startswith("新")  # what was read
    monkeypatch.setattr(store, "load_one", real)
    after = json.loads(run("--data", str(shelf), "reports", "-f", "json").out)
    assert after[2]["title"].startswith("新")  # the stamp taken before the read did not hide the edit


def test_two_processes_building_at_once_both_answer(shelf: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.conftest import python_env

    env = python_env(BEIBEI_CACHE_DIR=str(tmp_path / "cache"))
    cmd = [
        sys.executable,
        "-c",
        "from beibei_cli.entry import main; main()",
        "--data",
        str(shelf),
        "reports",
        "-f",
        "json",
    ]
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [e for _, e in outs]
    assert outs[0][0] == outs[1][0] and b"Traceback" not in outs[0][1] + outs[1][1]
    assert len(json.loads(outs[0][0])) == 3
    conn = sqlite3.connect(database(tmp_path))
    assert conn.execute("SELECT count(*), count(DISTINCT path) FROM reports").fetchone() == (3, 3)
    assert conn.execute("SELECT count(DISTINCT report) FROM paragraphs").fetchone()[0] == 3
    conn.close()


def test_cache_clear_removes_the_store_and_nothing_else(run, shelf: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run("--data", str(shelf), "reports").code == 0
    mine = tmp_path / "cache" / "shelf-notours.sqlite3"
    mine.write_bytes(b"SQLite format 3\x00 the user's")
    assert run("cache", "clear").code == 0
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [mine.name]


def test_a_builder_that_finishes_first_is_replaced_not_doubled(
    shelf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two builders at once, made deterministic: the second finishes while the first is reading."""
    from beibei_cli import shelf as shelves
    from beibei_cli import store

    real = store._read_all
    nested: list[int] = []
    discarded: list[str] = []

    def meanwhile(paths, progress, extras=None):  # type: ignore[no-untyped-def]
        found = list(real(paths, progress, extras))
        if not nested:
            nested.append(1)
            shelves.load(str(shelf))  # another builder, done first
        return found

    monkeypatch.setattr(store, "_read_all", meanwhile)
    real_discard = store.discard
    monkeypatch.setattr(
        store, "discard", lambda path: (os.path.exists(path) and discarded.append(path), real_discard(path))
    )
    loaded = shelves.load(str(shelf))
    assert [k for k, _ in loaded] == ["early", "keyed", "late"]
    assert discarded == []  # the store was written, not thrown away
    conn = sqlite3.connect(database(tmp_path))
    assert conn.execute("SELECT count(*), count(DISTINCT path) FROM reports").fetchone() == (3, 3)
    assert conn.execute("SELECT count(*) FROM records").fetchone()[0] == len(
        {r for (r,) in conn.execute("SELECT report || ':' || rid FROM records")}
    )
    conn.close()


@pytest.mark.parametrize(
    "args", [["series", "研发经费投入强度"], ["trend", "招商"], ["show", "metric-rd-intensity"], ["reports"]]
)
def test_one_report_never_imports_the_store(args: list[str]) -> None:
    import subprocess
    import sys

    from tests.conftest import DATA, python_env

    code = (
        "import sys; from beibei_cli.entry import run; "
        f"code = run(['--data', {str(DATA)!r}, *{args!r}, '-f', 'json']); "
        "sys.stderr.write(repr(('beibei_cli.store' in sys.modules, 'sqlite3' in sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], env=python_env(), capture_output=True, text=True, check=False)
    assert done.stderr.endswith("(False, False)"), done.stderr


def test_a_full_disk_while_writing_the_store_still_answers(run, shelf: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from beibei_cli import store

    memory = run("--no-cache", "--data", str(shelf), "reports", "-f", "json")

    def full(*args: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store, "_write", full)
    result = run("--data", str(shelf), "reports", "-f", "json")
    assert (result.code, result.out, result.err) == (memory.code, memory.out, memory.err)
    monkeypatch.undo()
    assert run("--data", str(shelf), "reports", "-f", "json").out == memory.out  # the next run builds it


def test_the_progress_bar_only_at_a_terminal_and_only_for_a_slow_build(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    from beibei_cli import output

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert output.progress_bar("en") is None  # piped: nothing drawn
    term = Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    quick = output.progress_bar("en")
    assert quick is not None
    quick(1, 2)
    quick(2, 2)
    assert term.getvalue() == ""  # done within a second: no bar
    monkeypatch.setattr(output, "PROGRESS_AFTER", 0.0)
    slow = output.progress_bar("en")
    assert slow is not None
    slow(1, 2)
    slow(2, 2)
    assert "reading the shelf's reports" in term.getvalue()


def keyed_copies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int) -> Path:
    """A shelf of ``count`` copies of the shipped report keyed r0, r1, ..., with a cache of its own."""
    monkeypatch.setenv("BEIBEI_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "copies"
    for k in range(count):
        copy_report(folder, f"r{k}.yaml", key=f"r{k}")
    return folder


def test_a_search_with_a_limit_searches_only_the_reports_it_needs(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from beibei_cli import queries

    folder = keyed_copies(tmp_path, monkeypatch, 6)
    every = json.loads(run("--data", str(folder), "search", "招商", "-f", "json").out)
    searched: list[str] = []
    real = queries.search_outcome

    def counted(report, *args, **kw):  # type: ignore[no-untyped-def]
        searched.append(report.data_path)
        return real(report, *args, **kw)

    monkeypatch.setattr(queries, "search_outcome", counted)
    some = json.loads(run("--data", str(folder), "search", "招商", "--limit", "2", "-f", "json").out)
    assert len(searched) == 2  # each of the first two reports' best hit is exact: no later one comes first
    assert some == every[:2]
    assert [h["report"] for h in every[:6]] == [f"r{k}" for k in range(6)]  # every report's best hit first


@pytest.mark.parametrize("query", ["再招商", "招商", "zaizhaoshang", "investment promotion"])
def test_a_limited_search_of_the_shelf_is_the_first_hits_of_the_whole_one(run, shelf: Path, query: str) -> None:  # type: ignore[no-untyped-def]
    every = json.loads(run("--data", str(shelf), "search", query, "-f", "json").out)
    for limit in (1, 2, 5):
        some = json.loads(run("--data", str(shelf), "search", query, "--limit", str(limit), "-f", "json").out)
        assert some == every[:limit], (query, limit)
    if query == "再招商":  # only the latest report states it: its hit first, whatever the shelf order
        assert every[0]["report"] == "late" and every[0]["match"] == "exact"


def test_rows_that_carry_their_json_print_as_the_rows_do() -> None:
    from beibei_cli.output import to_json
    from beibei_cli.rows import Encoded, json_item

    plain = [{"key": "a", "n": 1, "x": [1, {"b": None}], "t": "招商\u202e"}, {"key": "b", "e": {}, "l": []}]
    rows = [Encoded(r, json_item(r)) for r in plain]
    assert to_json(rows) == to_json([dict(r) for r in plain])
    rows[1]["key"] = "changed"  # a row changed after its text was made prints as it is now
    assert json.loads(to_json(rows))[1]["key"] == "changed"
    assert rows[1].json_item is None


def test_reports_whose_figures_are_named_alike_are_searched_once(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from beibei_cli import queries

    folder = keyed_copies(tmp_path, monkeypatch, 3)
    other = copy_report(folder, "r3.yaml", key="r3")  # one figure named otherwise
    other.write_text(
        other.read_text(encoding="utf-8").replace(
            "name_en: Economy-wide R&D expenditure intensity", "name_en: R&D intensity, whole economy", 1
        ),
        encoding="utf-8",
    )
    assert run("--data", str(folder), "reports").code == 0
    searched: list[bytes] = []
    real = queries._figures_named
    monkeypatch.setattr(queries, "_figures_named", lambda blob, q: (searched.append(blob), real(blob, q))[1])
    for extra in ([], ["--no-cache"]):
        searched.clear()
        done = run(*extra, "--data", str(folder), "series", "投入强度", "-f", "json")
        assert [r["report"] for r in json.loads(done.out)] == ["r0", "r1", "r2", "r3"]
        assert len(searched) == 2, extra  # the three alike once, the fourth once


def test_a_report_is_read_with_the_cyclic_collector_paused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each full collection walks every object alive: with it on, a report 10x the size took up to
    45x as long to read (shelf_bench's loading phases). It is on again afterwards."""
    import gc

    from beibei_cli import cache, report

    monkeypatch.setenv("BEIBEI_CACHE_DIR", str(tmp_path / "cache"))
    path = copy_report(tmp_path / "one", "r.yaml")
    seen: list[bool] = []
    for name in ("check", "load"):
        module = report if name == "check" else cache
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _real=real, **k: (seen.append(gc.isenabled()), _real(*a, **k))[1])
    assert gc.isenabled()
    report.load_report(str(path))  # cold: parsed, checked, built, cached
    report.load_report(str(path))  # warm: read from the cache
    assert seen and not any(seen), seen
    assert gc.isenabled()


def test_a_key_made_of_a_folder_name_prints_escaped_from_the_store(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Two files named alike take their folders' names as keys: a bidi override or a quote in a
    folder's name is escaped in the rows the store keeps, as in the rows made anew."""
    monkeypatch.setenv("BEIBEI_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "s"
    copy_report(folder / 'a\u202e"x', "r.yaml")
    copy_report(folder / "b", "r.yaml")
    for args in (["reports"], ["series", "研发经费投入强度"]):
        out = {}
        for name, extra in (("memory", ["--no-cache"]), ("built", []), ("read", [])):
            target = tmp_path / f"{name}.json"  # a file: what is written there is not escaped again
            assert run(*extra, "--data", str(folder), *args, "-o", str(target)).code == 0
            out[name] = target.read_text(encoding="utf-8")
        assert out["read"] == out["built"] == out["memory"] and "\u202e" not in out["read"], args
        assert json.loads(out["read"])[0]["key" if args == ["reports"] else "report"] == 'a\u202e"x/r'


def test_a_database_another_process_is_making_is_never_removed(
    shelf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two processes at once: the second opened the first's database while it was being made,
    found it empty, so invalid, and removed it; the rows the first then wrote went with it (seen
    once in CI: both answered, the store held no report). A database is now built under a private
    name and linked into place whole."""
    from beibei_cli import shelf as shelves
    from beibei_cli import store

    real = store.code_stamp
    other: list[object] = []
    started: list[bool] = []

    def meanwhile() -> str:  # called while the first process makes its database
        if not started:
            started.append(True)
            other.append(store.open_db(store.path_for([str(shelf)])))  # the second process, at that moment
        return real()

    monkeypatch.setattr(store, "code_stamp", meanwhile)
    loaded = shelves.load(str(shelf))
    assert other and other[0] is not None and len(loaded.entries) == 3
    conn = sqlite3.connect(database(tmp_path))
    assert conn.execute("SELECT count(*) FROM reports").fetchone() == (3,)
    conn.close()
