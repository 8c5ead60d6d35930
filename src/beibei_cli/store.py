"""The store of a shelf: one SQLite database per shelf in the cache folder (issue 27).

A warm command on a shelf of many reports should read what it answers, not every report.
The store keeps, for each report file of the shelf, what the shelf needs without loading
the report: its signature and its source's (``cache.stamp``: device, inode, size, mtime_ns,
ctime_ns), its ``meta`` (key and date: the shelf's order), its counts, the ids it holds
(``KEY:ID`` and bare ids resolved without a load), its paragraphs squashed (``trend``
counts them in SQL) and its traditional -> simplified table. A ``StoredReport`` stands for
a report of the store: ``reports``, ``trend`` and the shelf's order read only the store;
anything else it is asked (``show``, ``series``, ``search``) loads that report, and only
that one, from its own cache (``report.load_report``).

Incremental: a report whose file and source signatures are unchanged is not read again; a
file that left the shelf leaves the store; a report that fails to load is not stored (it is
tried again next time, and said each time). Many changed reports are read in parallel
(processes, at most ``MAX_WORKERS``). Reports are read outside any transaction, then
written in one short ``BEGIN IMMEDIATE`` transaction: a second process building at once
waits for it (``BUSY_SECONDS``) or, failing that, answers from what it read itself; a reader
sees the old state or the new one (WAL), never a half-built one.

Nothing read from the folder is trusted (the rules of ``cache`` and docs/hostile-inputs.md):
the database is created with mode 0600 (``O_CREAT|O_EXCL|O_NOFOLLOW``) in the private cache
folder, never opened through a symlink or when it is not a regular file of ours; one whose
``application_id``, ``user_version``, schema or code stamp is not this build's, or that
SQLite finds damaged, is removed and built again, never served. A cache folder that cannot
be used means no store: the shelf loads every report, as before.
"""

from __future__ import annotations

import json
import os
import stat

from beibei_cli import cache
from beibei_cli.about import __version__
from beibei_cli.errors import BeibeiError
from beibei_cli.report import Report

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable, Iterable
    from typing import Any

    Extras = Callable[[Report], dict[str, str | bytes]]

APPLICATION_ID = 0x62656962  # "beib"
SCHEMA = 2  # PRAGMA user_version: bump with any change to the tables below
MAX_WORKERS = 8
PARALLEL_FROM = 8  # fewer changed reports than this are read in this process
BUSY_SECONDS = 30.0
CACHE_KIB = 512  # SQLite's page cache: a warm command reads a few pages; the memory is the budget's
SIDECARS = ("-wal", "-shm", "-journal")

TABLES = {
    "stamp": "CREATE TABLE stamp (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "reports": (
        "CREATE TABLE reports (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, sig TEXT NOT NULL, "
        "source_path TEXT NOT NULL, source_sig TEXT NOT NULL, key TEXT, date TEXT NOT NULL)"
    ),
    # apart, so that the shelf's order and freshness read a narrow table
    "details": (
        "CREATE TABLE details (report INTEGER PRIMARY KEY, meta TEXT NOT NULL, counts TEXT NOT NULL, "
        "chars INTEGER NOT NULL, drafts INTEGER NOT NULL)"
    ),
    "records": "CREATE TABLE records (report INTEGER NOT NULL, rid TEXT NOT NULL)",
    "paragraphs": (
        "CREATE TABLE paragraphs (report INTEGER NOT NULL, seq INTEGER NOT NULL, n INTEGER NOT NULL, "
        "text TEXT NOT NULL, PRIMARY KEY (report, seq)) WITHOUT ROWID"
    ),
    "t2s": "CREATE TABLE t2s (report INTEGER NOT NULL, trad TEXT NOT NULL, simp TEXT NOT NULL)",
    # what the layers above keep of each report (``refresh``'s ``extras``: rows made ready, by name)
    "derived": (
        "CREATE TABLE derived (name TEXT NOT NULL, report INTEGER NOT NULL, value TEXT NOT NULL, "
        "PRIMARY KEY (name, report)) WITHOUT ROWID"
    ),
}
INDEXES = {
    "records_rid": "CREATE INDEX records_rid ON records (rid)",
    "records_report": "CREATE INDEX records_report ON records (report)",
    "t2s_trad": "CREATE INDEX t2s_trad ON t2s (trad)",
    "t2s_report": "CREATE INDEX t2s_report ON t2s (report)",
}


def _db() -> Any:
    """SQLite: the standard library's C module itself where it is there (``sqlite3``'s package
    adds ``datetime`` and its adapters to every shelf command's start-up, and the store stores
    no dates as objects), else ``sqlite3``."""
    try:
        import _sqlite3

        if hasattr(_sqlite3, "connect"):
            return _sqlite3
    except ImportError:
        pass
    import sqlite3

    return sqlite3


def digest(data: bytes) -> str:
    """SHA-256 of ``data`` in hex, from the interpreter's built-in module where it has one
    (``hashlib`` loads OpenSSL: a few ms of a shelf command's start-up)."""
    try:
        from _sha256 import sha256  # type: ignore[import-not-found,unused-ignore]  # CPython <= 3.11
    except ImportError:
        try:
            from _sha2 import sha256  # type: ignore[import-not-found,no-redef,unused-ignore]  # CPython >= 3.12
        except ImportError:
            from hashlib import sha256  # type: ignore[assignment,unused-ignore]
    return str(sha256(data).hexdigest())


def code_stamp() -> str:
    """What the stored data was made by (the cache's code files and this one): a change to
    any of it makes the store stale."""
    here = os.path.dirname(os.path.abspath(__file__))
    mine = []
    for name in (__file__, *(os.path.join(here, n) for n in DERIVED_CODE)):
        try:
            st = os.stat(name)
            mine.append([st.st_size, st.st_mtime_ns])
        except OSError:
            mine.append([0, 0])
    return json.dumps([__version__, list(cache.PYTHON_KEY), [list(k) for k in cache.code_key()], mine, SCHEMA])


# besides the cache's code files: what shapes the rows the layers above keep in ``derived``
DERIVED_CODE = ("rows.py", "declare.py", "snippets.py")


def path_for(options: list[str]) -> str:
    """The store of the shelf the (resolved) ``--data`` values name, in the cache folder."""
    joined = "\0".join(os.path.abspath(o) for o in options).encode("utf-8", "surrogateescape")
    return os.path.join(cache.cache_dir(), f"shelf-{digest(joined)[:20]}.sqlite3")


def _sig(path: str) -> str | None:
    """The identity and content stamp of ``path`` (as ``cache.stamp``: symlinks followed)."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


# -- a report of the store -------------------------------------------------------------------


class StoredReport(Report):
    """A report of the store: its key, date and files at hand; its meta and counts read from
    the store when asked (for every report of the shelf at once); the rest (records,
    paragraphs, the index) loaded from its own cache on first use, and only then."""

    def __init__(self, store: Store, store_id: int, path: str, source_path: str, key: str | None, date: str) -> None:
        # not Report.__init__: every attribute it sets is looked up (and loaded) on first use
        self.__dict__.update(
            data_path=path,
            source_path=source_path,
            stored_store=store,
            stored_id=store_id,
            stored_key=key,
            stored_date=date,
        )

    def __getattr__(self, name: str) -> Any:
        if name == "stored_chars":  # trend's: a narrow read, no report's meta decoded
            chars = self.__dict__["stored_store"].chars().get(self.__dict__["stored_id"])
            if chars is not None:
                self.__dict__["stored_chars"] = chars
                return chars
        if name in ("meta", "stored_counts", "stored_chars", "stored_drafts"):
            found = self.__dict__["stored_store"].details().get(self.__dict__["stored_id"])
            if found is not None:
                meta, counts, chars, drafts = found
                self.__dict__.update(
                    meta=json.loads(meta), stored_counts=json.loads(counts), stored_chars=chars, stored_drafts=drafts
                )
                return self.__dict__[name]
            # the store was lost under us (damaged): the report itself answers
            from beibei_cli.report import squash

            self.__getattr__("records")  # loads the report
            state = self.__dict__
            counts = {kind: len(recs) for kind, recs in state["records"].items()}
            counts["paragraph"] = len(state["paragraphs"])
            chars = sum(len(squash(p["text"])) for p in state["paragraphs"])
            drafts = sum(1 for recs in state["records"].values() for rec in recs if rec.get("draft"))
            self.__dict__.update(stored_counts=counts, stored_chars=chars, stored_drafts=drafts)
            return self.__dict__[name]
        if name.startswith("stored_") or name.startswith("__"):
            raise AttributeError(name)
        from beibei_cli.report import load_report

        loaded = load_report(self.__dict__["data_path"])
        for attr, value in loaded.__dict__.items():
            if attr not in ("data_path",):
                self.__dict__[attr] = value
        self.__dict__["stored_loaded"] = True
        return object.__getattribute__(self, name)

    def index(self) -> bytes:
        """The search index: read alone from the cache where the store names it (the records
        are not loaded for a search); else as ``Report.index`` has it."""
        if "stored_loaded" not in self.__dict__:
            ref = self.derived(INDEX_REF)
            blob = cache.read_index(json.loads(ref)) if isinstance(ref, str) else None
            if blob is not None:
                return blob
        return Report.index(self)

    def derived(self, name: str) -> str | bytes | None:
        """What the layers above kept of this report under ``name`` (``refresh``'s extras)."""
        store: Store = self.__dict__["stored_store"]
        return store.derived(name, self.__dict__["stored_id"])

    def release(self) -> None:
        """Drop what was loaded (a query over many reports holds one at a time)."""
        kept = {k: v for k, v in self.__dict__.items() if k.startswith("stored_") or k in STORED}
        kept.pop("stored_loaded", None)
        self.__dict__.clear()
        self.__dict__.update(kept)


STORED = ("meta", "data_path", "source_path")


def release(report: Report) -> None:
    """Let a report of the store go once a query over the shelf is done with it."""
    if isinstance(report, StoredReport):
        report.release()


def is_stored(report: Report) -> bool:
    """Whether ``report`` is a report of the store not yet loaded (the store answers for it)."""
    return isinstance(report, StoredReport) and "stored_loaded" not in report.__dict__


# -- reading one report (in this process or a worker) -----------------------------------------


def load_one(path: str) -> Report | str:
    """The report of ``path`` (from its own cache), or the one-line error that stops it."""
    from beibei_cli.report import load_report, problem_line

    try:
        return load_report(path)
    except BeibeiError as exc:
        return exc.message
    except (OSError, RecursionError, MemoryError) as exc:  # an unreadable file is one failure, not a stop
        return problem_line({"file": path, "line": None, "path": "", "message": str(exc)})


def _extract(path: str, extras: Extras | None = None) -> tuple[str, dict[str, Any] | str]:
    """What the store keeps of ``path``: the stamps taken before it was read (an edit made
    meanwhile shows next time), or its error; and what ``extras`` makes of the report."""
    from beibei_cli.report import squash, trend_form

    sig = _sig(path)
    loaded = load_one(path)
    if isinstance(loaded, str):
        return path, loaded
    source_sig = _sig(loaded.source_path)
    if sig is None or source_sig is None:
        return path, {"report": loaded}  # answered, not kept
    t2s = loaded.t2s()
    key, date = loaded.meta.get("key"), loaded.meta.get("date")
    return path, {
        "key": key if isinstance(key, str) and key else None,
        "date": date["iso"] if date else "",
        "sig": sig,
        "source_path": loaded.source_path,
        "source_sig": source_sig,
        "meta": json.dumps(loaded.meta, ensure_ascii=False),
        "counts": json.dumps(
            {kind: len(recs) for kind, recs in loaded.records.items()} | {"paragraph": len(loaded.paragraphs)}
        ),
        "paragraphs": [(p["n"], trend_form(p["text"])) for p in loaded.paragraphs],
        "chars": sum(len(squash(p["text"])) for p in loaded.paragraphs),
        "drafts": sum(1 for recs in loaded.records.values() for rec in recs if rec.get("draft")),
        "ids": list(loaded.by_id()),
        "t2s": [(a, b) for a, b in t2s.items() if a != b],
        "derived": {**(extras(loaded) if extras else {}), **_index_ref(path)},
        "report": loaded,
    }


def _index_ref(path: str) -> dict[str, str]:
    """Where the report's search index lies in the cache (its file, token and checksum): a search
    of the shelf reads the index alone, not the report's records (``StoredReport.index``)."""
    ref = cache.index_ref(path)
    return {INDEX_REF: json.dumps(ref)} if ref is not None else {}


INDEX_REF = "index-ref"


def _extract_remote(path: str, extras: Extras | None = None) -> tuple[str, dict[str, Any] | str]:
    """``_extract`` in a worker process: the report itself stays there (its cache is written)."""
    found = _extract(path, extras)
    if isinstance(found[1], dict) and "sig" in found[1]:
        found[1].pop("report", None)
    return found


# -- the database ------------------------------------------------------------------------------


def _own_regular(path: str) -> bool | None:
    """True: a regular file of ours; False: something else is there; None: nothing is."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return False
    getuid = getattr(os, "geteuid", None)
    return stat.S_ISREG(st.st_mode) and (getuid is None or st.st_uid == getuid())


def discard(path: str) -> None:
    """Remove the database and its sidecars (a symlink itself, never what it names)."""
    for name in (path, *(path + s for s in SIDECARS)):
        try:
            os.unlink(name)
        except FileNotFoundError:
            pass
        except OSError:
            pass


def _valid(conn: sqlite3.Connection) -> bool:
    if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        return False
    if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:
        return False
    schema = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'index') AND sql NOT NULL"))
    if schema != {**TABLES, **INDEXES}:
        return False
    row = conn.execute("SELECT value FROM stamp WHERE name = 'code'").fetchone()
    return row is not None and row[0] == code_stamp()


def _create(path: str) -> sqlite3.Connection | None:
    """A new database at ``path``, built whole under a private name and then linked into place,
    so that another process never opens one half made (it found an empty file invalid, removed
    it, and the rows the first wrote went with it). None when the cache folder cannot be used,
    or when another process put its database there first (the caller opens that one)."""
    import tempfile

    sqlite3 = _db()
    try:
        fd, made = tempfile.mkstemp(prefix=".shelf-", suffix=".new", dir=os.path.dirname(path))  # mode 0600
        os.close(fd)
    except OSError:
        return None
    try:
        conn = sqlite3.connect(made, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA journal_mode = WAL")  # kept in the file: the linked one is in WAL too
            conn.execute("BEGIN IMMEDIATE")
            for sql in (*TABLES.values(), *INDEXES.values()):
                conn.execute(sql)
            conn.execute("INSERT INTO stamp VALUES ('code', ?)", (code_stamp(),))
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA}")
            conn.execute("COMMIT")
        finally:
            conn.close()
        try:
            os.link(made, path)  # never over a file: another process's database stays theirs
        except FileExistsError:
            return None
        except OSError:  # a file system with no hard links: in place, atomically
            os.replace(made, path)
        conn = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
        return conn  # type: ignore[no-any-return]  # (the module is _db()'s: untyped)
    except (OSError, sqlite3.Error):
        return None
    finally:
        for name in (made, *(made + s for s in SIDECARS)):  # the private name, linked or not
            try:
                os.unlink(name)
            except OSError:
                pass


def open_db(path: str) -> sqlite3.Connection | None:
    """The shelf's database, valid and this build's (made anew if it was not), or None
    when the cache folder cannot be used."""
    sqlite3 = _db()

    folder = os.path.dirname(path)
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except (OSError, ValueError):
        return None
    if not cache._safe_folder(folder) or not os.access(folder, os.W_OK):
        return None
    for attempt in range(2):
        mine = [_own_regular(p) for p in (path, *(path + s for s in SIDECARS))]
        if mine[0] is None or False in mine:
            discard(path)  # nothing there, or a symlink, FIFO or stranger's file in its place
            conn = _create(path)
            if conn is not None or attempt:
                return conn
            continue  # another process made it meanwhile: open theirs
        try:
            conn = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
            if _valid(conn):
                conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
                return conn  # type: ignore[no-any-return]
            conn.close()
        except sqlite3.Error:
            pass
        discard(path)  # damaged, truncated, foreign or stale: built again, never served
    return None


# -- the shelf from the store ------------------------------------------------------------------


class Store:
    """The open database of a shelf, and what it answers without loading a report."""

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        self.path = path
        self._details: dict[int, tuple[str, str, int, int]] | None = None
        self._chars: dict[int, int] | None = None
        self.gone = False

    def derived(self, name: str, report: int) -> str | bytes | None:
        """The value the layers above kept under ``name`` for one report (None: none, or the
        store found damaged now)."""
        sqlite3 = _db()

        try:
            row = self.conn.execute(
                "SELECT value FROM derived WHERE name = ? AND report = ?", (name, report)
            ).fetchone()
        except sqlite3.DatabaseError:
            return None
        return row[0] if row else None

    def derived_all(self, name: str) -> dict[int, str | bytes]:
        """Report id -> the value kept under ``name``, for every report that has one."""
        sqlite3 = _db()

        try:
            return dict(self.conn.execute("SELECT report, value FROM derived WHERE name = ?", (name,)))
        except sqlite3.DatabaseError:
            return {}

    def chars(self) -> dict[int, int]:
        """Report id -> the characters of its text (whitespace not counted), for every report."""
        if self._chars is None:
            sqlite3 = _db()

            try:
                self._chars = dict(self.conn.execute("SELECT report, chars FROM details"))
            except sqlite3.DatabaseError:
                self._chars = {}
        return self._chars

    def details(self) -> dict[int, tuple[str, str, int, int]]:
        """Report id -> its meta and counts (JSON) and its characters, for every report at once
        (none when the store is found damaged now: each report then answers for itself)."""
        if self._details is None:
            sqlite3 = _db()  # (a shelf's only: one report never imports it)

            try:
                rows = self.conn.execute("SELECT report, meta, counts, chars, drafts FROM details").fetchall()
            except sqlite3.DatabaseError:
                rows = self.lost()
            self._details = {r[0]: r[1:] for r in rows}
        return self._details

    def lost(self) -> list[Any]:
        """The database found damaged in the middle of a command: it is removed (built anew by
        the next), and this command is answered by the reports themselves."""
        self.conn.close()
        discard(self.path)
        self.gone = True
        return []

    def holders(self, rid: str, ids: Iterable[int]) -> set[int] | None:
        """The store ids (among ``ids``) of the reports that hold record ``rid`` (None when the
        store is found damaged now)."""
        sqlite3 = _db()

        wanted = set(ids)
        try:
            found = self.conn.execute("SELECT report FROM records WHERE rid = ?", (rid,)).fetchall()
        except sqlite3.DatabaseError:
            return None
        return {r for (r,) in found if r in wanted}

    def trend(self, ids: list[int], terms: list[str]) -> dict[tuple[int, str], list[tuple[int, int]]]:
        """(report, term) -> (paragraph n, occurrences) of each paragraph holding the term, as
        ``trend_rows`` counts them: the term in ``trend_form``, then made simplified by each report's table."""
        sqlite3 = _db()

        try:
            return self._trend(ids, terms)
        except sqlite3.DatabaseError:
            self.lost()
            return {}  # each report counts for itself

    def _trend(self, ids: list[int], terms: list[str]) -> dict[tuple[int, str], list[tuple[int, int]]]:
        from beibei_cli.report import trend_form

        wanted = set(ids)
        out: dict[tuple[int, str], list[tuple[int, int]]] = {}
        for term in terms:
            needle = trend_form(term)
            by_needle: dict[str, list[int]] = {}
            if needle.isascii():
                by_needle[needle] = list(wanted)
            else:
                chars = sorted(set(needle))
                tables: dict[int, dict[str, str]] = {}
                marks = ",".join("?" * len(chars))
                for report, trad, simp in self.conn.execute(
                    f"SELECT report, trad, simp FROM t2s WHERE trad IN ({marks})", chars
                ):
                    if report in wanted:
                        tables.setdefault(report, {})[trad] = simp
                for report in wanted:
                    table = tables.get(report, {})
                    by_needle.setdefault("".join(table.get(ch, ch) for ch in needle), []).append(report)
            for text, reports in by_needle.items():
                for report in reports:
                    out[(report, term)] = []
                keep = set(reports)
                rows = self.conn.execute(
                    "SELECT report, n, (length(text) - length(replace(text, ?1, ''))) / length(?1) "
                    "FROM paragraphs WHERE instr(text, ?1) > 0 ORDER BY report, seq",
                    (text,),
                )
                for report, n, count in rows:
                    if report in keep:
                        out[(report, term)].append((n, count))
        return out


def refresh(
    options: list[str],
    paths: list[str],
    progress: Callable[[int, int], None] | None = None,
    extras: Extras | None = None,
) -> tuple[Store, dict[str, Report], list[tuple[str, str]]] | None:
    """The store of the shelf, brought up to date with ``paths``: each path's report (a
    ``StoredReport`` where the store holds it), and the reports that failed with their
    error. None when there can be no store (the caller loads every report)."""
    sqlite3 = _db()

    db = path_for(options)
    for attempt in range(2):
        conn = open_db(db)
        if conn is None:
            return None
        try:
            return _refresh(Store(conn, db), paths, progress, extras)
        except sqlite3.OperationalError:  # locked, busy or the disk full: not the store's fault
            conn.close()
            return None
        except sqlite3.DatabaseError:  # damaged under our feet: once more from nothing
            conn.close()
            discard(db)
            if attempt:
                return None
    return None


def _refresh(
    store: Store, paths: list[str], progress: Callable[[int, int], None] | None, extras: Extras | None
) -> tuple[Store, dict[str, Report], list[tuple[str, str]]]:
    sqlite3 = _db()

    conn = store.conn
    columns = "SELECT id, path, sig, source_sig, source_path, key, date FROM reports"
    known = {row[1]: row for row in conn.execute(columns)}
    source_sigs: dict[str, str | None] = {}

    stat = os.stat
    changed = []
    for path in paths:  # (one loop, no call a file: this is every warm command's fixed cost)
        row = known.get(path)
        try:
            st = stat(path)
        except (OSError, ValueError):
            changed.append(path)
            continue
        if row is None or row[2] != f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}":
            changed.append(path)
            continue
        src = row[4]
        if src not in source_sigs:
            source_sigs[src] = _sig(src)
        if row[3] != source_sigs[src]:
            changed.append(path)
    present = set(paths)
    gone = [path for path in known if path not in present]
    found: dict[str, dict[str, Any] | str] = dict(_read_all(changed, progress, extras)) if changed else {}
    failed: list[tuple[str, str]] = [(p, e) for p in changed if isinstance(e := found[p], str)]
    answered: dict[str, Report] = {}
    if changed or gone:
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                _write(conn, changed, found, gone)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError:
            # locked past BUSY_SECONDS, or the disk is full: answer from what was read here
            for p in changed:
                got = found[p]
                if isinstance(got, dict) and "report" in got:
                    answered[p] = got["report"]
                elif isinstance(got, dict):
                    answered[p] = _load_or_fail(p, failed)
        else:
            try:  # the written pages into the database, the WAL file emptied (it keeps its largest size)
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass
    rows = {row[1]: row for row in conn.execute(columns)} if changed or gone else known
    out: dict[str, Report] = {}
    bad = {p for p, _ in failed}
    for path in paths:
        if path in answered:
            out[path] = answered[path]
        elif path in bad:
            continue
        elif path in rows:
            rid, _, _, _, source, key, date = rows[path]
            out[path] = StoredReport(store, rid, path, source, key, date)
        else:  # read but not kept (a stamp could not be taken): answered as it was read
            kept = found.get(path)
            if isinstance(kept, dict) and "report" in kept:
                out[path] = kept["report"]
            else:
                out[path] = _load_or_fail(path, failed)
    order = {p: i for i, p in enumerate(paths)}
    failed.sort(key=lambda f: order.get(f[0], 0))
    failed_paths = {p for p, _ in failed}
    return store, {p: r for p, r in out.items() if p not in failed_paths}, failed


def _load_or_fail(path: str, failed: list[tuple[str, str]]) -> Report:
    loaded = load_one(path)
    if isinstance(loaded, str):
        failed.append((path, loaded))
        return None  # type: ignore[return-value]  # dropped by the caller: the path is in failed
    return loaded


def _read_all(
    paths: list[str], progress: Callable[[int, int], None] | None, extras: Extras | None
) -> Iterable[tuple[str, dict[str, Any] | str]]:
    """Each changed report read: in worker processes when there are many and cores to share."""
    workers = min(MAX_WORKERS, os.cpu_count() or 1, len(paths))
    done = 0
    if workers > 1 and len(paths) >= PARALLEL_FROM:
        try:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(max_workers=workers) as pool:
                from functools import partial

                for found in pool.map(
                    partial(_extract_remote, extras=extras), paths, chunksize=max(1, len(paths) // (workers * 8))
                ):
                    done += 1
                    if progress:
                        progress(done, len(paths))
                    yield found
            return
        except (OSError, RuntimeError, ImportError):
            pass  # no processes to be had (a sandbox): read them here
    for path in paths:
        found = (
            _extract_remote(path, extras) if len(paths) >= PARALLEL_FROM else _extract(path, extras)
        )  # memory stays flat
        done += 1
        if progress:
            progress(done, len(paths))
        yield found


def _write(
    conn: sqlite3.Connection,
    changed: list[str],
    found: dict[str, dict[str, Any] | str],
    gone: list[str],
) -> None:
    for path in (*gone, *changed):  # read again inside the transaction: another builder may have written it
        for (rid,) in conn.execute("SELECT id FROM reports WHERE path = ?", (path,)).fetchall():
            for table in ("records", "paragraphs", "t2s", "details", "derived"):
                conn.execute(f"DELETE FROM {table} WHERE report = ?", (rid,))
            conn.execute("DELETE FROM reports WHERE id = ?", (rid,))
    for path in changed:
        got = found[path]
        if not isinstance(got, dict) or "sig" not in got:
            continue
        cur = conn.execute(
            "INSERT INTO reports (path, sig, source_path, source_sig, key, date) VALUES (?, ?, ?, ?, ?, ?)",
            (path, got["sig"], got["source_path"], got["source_sig"], got["key"], got["date"]),
        )
        rid = cur.lastrowid
        chars = got["chars"]
        conn.execute(
            "INSERT INTO details VALUES (?, ?, ?, ?, ?)", (rid, got["meta"], got["counts"], chars, got["drafts"])
        )
        conn.executemany("INSERT INTO records VALUES (?, ?)", ((rid, i) for i in got["ids"]))
        conn.executemany(
            "INSERT INTO paragraphs VALUES (?, ?, ?, ?)", ((rid, s, n, t) for s, (n, t) in enumerate(got["paragraphs"]))
        )
        conn.executemany("INSERT INTO t2s VALUES (?, ?, ?)", ((rid, a, b) for a, b in got["t2s"]))
        conn.executemany("INSERT INTO derived VALUES (?, ?, ?)", ((n, rid, v) for n, v in got["derived"].items()))
