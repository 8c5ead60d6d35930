"""A shelf: more than one report loaded at once (``--data FOLDER``, ``--data A --data B``).

``report_files`` turns the ``--data`` values into report files (a folder gives every
``*.yaml`` under it, symlinked folders not followed, so a symlink loop ends nothing);
``load`` loads each with ``report.load_report`` (its own cache, as one report has) and
gives each a key: ``report.key`` if the file sets one, else the file name without its
extension, ``FOLDER/NAME`` where two names collide. A report that fails to load is kept
with its error and the others answer.

With exactly one report file nothing of this is used: ``load_report`` loads it as before.
Ids on a shelf are ``KEY:ID``; ``resolve`` accepts a bare id where it is unique.
"""

from __future__ import annotations

import os

from beibei_cli.errors import BeibeiError, DataError, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from beibei_cli.report import Report
    from beibei_cli.store import Store

REPORT_SUFFIXES = (".yaml", ".yml")
SEPARATOR = ":"  # record ids are kebab-case ASCII and keys may not hold it: KEY:ID splits once


def data_options(data: str | list[str] | None) -> list[str | None]:
    """``--data`` as a list: one None (``BEIBEI_DATA``, then the packaged report) when not given."""
    if data is None or data == []:
        return [None]
    return [data] if isinstance(data, str) else list(data)


def _walk(folder: str, links: set[str]) -> list[str]:
    """Every report file under ``folder``, in name order; folders reached through a symlink
    are not entered (no loop), files that are symlinks are taken as the files they name (and
    added to ``links``). One ``scandir`` per folder: no stat of each file."""
    found: list[str] = []
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return found  # an unreadable folder holds nothing to read (as os.walk skipped it)
    subdirs: list[str] = []
    for entry in entries:
        name = entry.name
        try:
            if entry.is_dir(follow_symlinks=False):
                subdirs.append(entry.path)
                continue
            link = entry.is_symlink()
            if link and entry.is_dir():
                continue  # a folder reached through a symlink: not entered, not a file
        except OSError:
            continue
        if name.endswith(REPORT_SUFFIXES) and not name.startswith("."):
            found.append(entry.path)
            if link:
                links.add(entry.path)
    for sub in subdirs:  # os.walk's order: a folder's files, then each subfolder's, in name order
        found.extend(_walk(sub, links))
    return found


# the listing ``is_shelf`` found, taken (once) by the ``load`` that follows it: one walk a command
_LISTED: dict[tuple[str, ...], list[str]] = {}


def report_files(options: list[str]) -> list[str]:
    """The report files the ``--data`` values name, each once, in the order given: a file named
    twice (``--data . --data ../shelf``, or a symlink beside the file it names) is kept under its
    first name that is no symlink."""
    listed: dict[str, None] = {}
    links: set[str] = set()
    for path in options:
        if path == "":
            raise UsageError("--data: empty path (leave --data out for the packaged report)")
        if os.path.isdir(path):
            files = _walk(path, links)
            if not files:
                raise DataError.at(path, "the folder holds no report file (*.yaml)")
            listed.update(dict.fromkeys(files))
        else:
            listed[path] = None
            if os.path.islink(path):
                links.add(path)
    names = list(listed)
    if len(options) == 1 and not links:
        return names  # one folder's walk names each file once: no realpath to pay for
    seen: set[str] = set()
    out: list[str] = []
    for path in [p for p in names if p not in links] + [p for p in names if p in links]:
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            out.append(path)
    order = {p: n for n, p in enumerate(names)}
    out.sort(key=order.__getitem__)
    return out


def is_shelf(data: str | list[str] | None) -> bool:
    """Whether ``--data`` names more than one report file (a folder of one is one report)."""
    from beibei_cli.report import resolve_data_path

    options = [resolve_data_path(o) for o in data_options(data)]
    if len(options) == 1 and not os.path.isdir(options[0]):
        return False  # the common case costs one stat
    files = report_files(options)
    if len(files) > 1:
        _LISTED[tuple(options)] = files  # for the load that follows
        return True
    return False


def single(data: str | list[str] | None) -> str | None:
    """The ``--data`` value to load one report by, where ``is_shelf`` says there is one: the
    value itself (errors as before), or the one report file of a folder or of repeated paths."""
    options = data_options(data)
    if len(options) == 1:
        from beibei_cli.report import resolve_data_path

        if options[0] is None or not os.path.isdir(resolve_data_path(options[0])):
            return options[0]
    from beibei_cli.report import resolve_data_path

    return report_files([resolve_data_path(o) for o in options])[0]


class Shelf:
    """The reports of a shelf by key, in report-date order (then key), and those that failed."""

    def __init__(
        self, entries: list[tuple[str, Report]], failed: list[tuple[str, str]], store: Store | None = None
    ) -> None:
        # by report date, then key; a report with no date (a draft's) last, not first
        dated = [(_date_of(r), k, r) for k, r in entries]
        dated.sort(key=lambda e: (not e[0], e[0], e[1]))
        self.entries = [(k, r) for _, k, r in dated]
        self.failed = failed  # (file, the one-line error)
        self.by_key = dict(self.entries)
        self.store = store  # the shelf's SQLite store (store.py), when its reports come from one
        self._owners: dict[str, list[str]] | None = None

    def only(self, patterns: list[str]) -> Shelf:
        """The reports whose key matches one of ``patterns`` (globs); none is a usage error."""
        from fnmatch import fnmatchcase

        kept = [(k, r) for k, r in self.entries if any(fnmatchcase(k, p) for p in patterns)]
        if not kept:
            known = ", ".join(k for k, _ in self.entries[:20])
            raise UsageError(f"--report {' '.join(patterns)} matches no report of the shelf (keys: {known})")
        return Shelf(kept, self.failed, self.store)

    def dated(self, since: str | None, until: str | None) -> Shelf:
        """The reports dated within ``since``..``until`` (ISO, either may be None), compared at
        the precision given (2022 holds 2022-04); a report with no date is left out; none is a
        usage error."""
        from beibei_cli.dates import date_bounds, in_bounds

        low, high = date_bounds(since, until, ("--reports-since", "--reports-until"))
        kept = [(k, r) for k, r in self.entries if _date_of(r) and in_bounds(_date_of(r), low, high)]
        if not kept:
            shown = ", ".join(f"{k} ({_date_of(r) or 'no date'})" for k, r in self.entries[:20])
            raise UsageError(f"no report of the shelf is dated within the bounds given (reports: {shown})")
        return Shelf(kept, self.failed, self.store)

    def __iter__(self) -> Iterator[tuple[str, Report]]:
        return iter(self.entries)

    def holders(self, rid: str) -> list[str]:
        """The keys of the reports that hold id ``rid``, in shelf order: the store answers for
        the reports it holds (none is loaded), each other report by its records."""
        from beibei_cli.store import StoredReport, is_stored

        stored = {r.stored_id: k for k, r in self.entries if is_stored(r) and isinstance(r, StoredReport)}
        held = self.store.holders(rid, stored) if self.store is not None and stored else set()
        if held is None:  # the store found damaged now: every report by its records
            return [k for k, r in self.entries if rid in r.by_id()]
        found = {stored[i] for i in held}
        return [k for k, r in self.entries if k in found or (k not in stored.values() and rid in r.by_id())]

    def owners(self) -> dict[str, list[str]]:
        """Bare id -> the keys of the reports that hold it."""
        if self._owners is None:
            table: dict[str, list[str]] = {}
            for key, report in self.entries:
                for rid in report.by_id():
                    table.setdefault(rid, []).append(key)
            self._owners = table
        return self._owners

    def resolve(self, rid: str) -> tuple[str, Report, str]:
        """(key, report, bare id) of ``KEY:ID``, or of a bare id unique on the shelf."""
        key, sep, bare = rid.partition(SEPARATOR)
        if sep:
            if key not in self.by_key:
                known = ", ".join(k for k, _ in self.entries)
                raise UsageError(f"no report with key {key!r} on the shelf (keys: {known})")
            return key, self.by_key[key], bare
        holders = self.holders(rid)
        if len(holders) == 1:
            return holders[0], self.by_key[holders[0]], rid
        if holders:
            shown = ", ".join(f"{k}{SEPARATOR}{rid}" for k in holders[:10])
            more = f" and {len(holders) - 10} more" if len(holders) > 10 else ""
            raise UsageError(f"id {rid!r} is in {len(holders)} reports of the shelf: give one of {shown}{more}")
        # unknown everywhere: the first report's error (with its suggestions) says so
        if not self.entries:
            raise UsageError(f"no record with id {rid!r}: no report of the shelf loaded")
        return self.entries[0][0], self.entries[0][1], rid


def _date_of(report: Report) -> str:
    stored: str | None = report.__dict__.get("stored_date")  # a report of the store: its meta unread
    if stored is not None:
        return stored
    date = report.meta.get("date")
    return date["iso"] if date else ""


def key_of(report: Report, path: str) -> str | None:
    if "stored_key" in report.__dict__:  # a report of the store: its meta unread
        stored: str | None = report.__dict__["stored_key"]
        return stored
    key = report.meta.get("key")
    return key if isinstance(key, str) and key else None


def own_key(report: Report) -> str:
    """The key of a report loaded alone: report.key, else its file name without the extension."""
    return key_of(report, report.data_path) or os.path.splitext(os.path.basename(report.data_path))[0]


def assign_keys(paths: list[str], set_keys: dict[str, str | None]) -> dict[str, str]:
    """File -> its key: ``report.key``, else the file's name; ``FOLDER/NAME`` where names collide.

    Two files that still share a key are a usage error naming both.
    """
    stems = {p: os.path.splitext(os.path.basename(p))[0] for p in paths if not set_keys.get(p)}  # keyed: no stem
    count: dict[str, int] = {}
    for p in paths:
        if not set_keys.get(p):
            count[stems[p]] = count.get(stems[p], 0) + 1
    keys: dict[str, str] = {}
    seen: dict[str, str] = {}
    for p in paths:
        key = set_keys.get(p)
        if not key:
            stem = stems[p]
            folder = os.path.basename(os.path.dirname(os.path.abspath(p)))
            key = f"{folder}/{stem}" if count[stem] > 1 else stem
        if SEPARATOR in key:
            raise DataError.at(p, f"the report's key {key!r} may not hold {SEPARATOR!r}: set report.key")
        if key in seen:
            raise DataError(
                f"two reports of the shelf have the key {key!r}: {seen[key]} and {p} (set report.key in one)"
            )
        seen[key] = p
        keys[p] = key
    return keys


def load(
    data: str | list[str] | None,
    *,
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
    extras: Callable[[Report], dict[str, str | bytes]] | None = None,
) -> Shelf:
    """Every report of the shelf; those that fail are kept with their error. With the cache,
    from the shelf's store (store.py): a report is loaded only when a query needs it, and what
    ``extras`` makes of each report is kept in the store beside it (rows made ready)."""
    from beibei_cli.report import load_report, problem_line, resolve_data_path

    options = [resolve_data_path(o) for o in data_options(data)]
    paths = _LISTED.pop(tuple(options), None) or report_files(options)
    if use_cache and len(paths) > 1:
        from beibei_cli import store

        opened = store.refresh(options, paths, progress, extras)
        if opened is not None:
            db, reports, failed_here = opened
            keys = assign_keys(list(reports), {p: key_of(r, p) for p, r in reports.items()})
            return Shelf([(keys[p], r) for p, r in reports.items()], failed_here, db)
    loaded: dict[str, Report] = {}
    failed: list[tuple[str, str]] = []
    for path in paths:
        try:
            loaded[path] = load_report(path, use_cache=use_cache)
        except BeibeiError as exc:
            failed.append((path, exc.message))
        except (OSError, RecursionError, MemoryError) as exc:  # an unreadable file is one failure, not a stop
            failed.append((path, problem_line({"file": path, "line": None, "path": "", "message": str(exc)})))
    keys = assign_keys(list(loaded), {p: key_of(r, p) for p, r in loaded.items()})
    return Shelf([(keys[p], r) for p, r in loaded.items()], failed)
