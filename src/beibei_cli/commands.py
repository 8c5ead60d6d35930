"""What each command does, given its parsed parameters.

The Typer app (``cli.py``) and the start-up fast path (``fastpath.py``) both
parse argv by the declarations of ``declare.py`` and call the handler of
``HANDLERS`` with every parameter by name, so a command behaves identically
whichever way it was parsed. A handler gets its rows from ``queries``, hands
them to ``output`` and returns an exit code.
"""

from __future__ import annotations

import os
import sys

from beibei_cli import declare, files, output, queries
from beibei_cli import rows as contract
from beibei_cli.errors import ExitCode, OutputError, UsageError
from beibei_cli.output.labels import label

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from beibei_cli.report import Report
    from beibei_cli.schema import Record
    from beibei_cli.shelf import Shelf


class Ctx:
    """The global options, and the report (or the shelf of reports), loaded on first use."""

    def __init__(
        self,
        data: str | list[str] | None,
        no_cache: bool,
        color: str,
        lang: str,
        debug: bool,
        only: list[str] | None = None,
        raw_cells: bool = False,
        reports_since: str | None = None,
        reports_until: str | None = None,
    ) -> None:
        # --data may be given more than once; once (the common case) is the path as before
        self.data = data[0] if isinstance(data, list) and len(data) == 1 else (data or None)
        self.only = [only] if isinstance(only, str) else list(only or [])  # --report KEY (globs)
        self.dated = (reports_since, reports_until)  # --reports-since/--reports-until: by report date
        self.raw_cells = raw_cells
        self.no_cache = no_cache
        self.color = color
        self.lang = lang
        self.debug = debug
        self._report: Report | None = None
        self._shelf: Shelf | None = None

    @property
    def loaded(self) -> Report | Shelf:
        """The one report --data names, as always; a shelf where it names more than one."""
        if self._report is None and self._shelf is None:
            from beibei_cli import shelf  # cheap: os and the error types

            if shelf.is_shelf(self.data):
                progress = output.progress_bar(self.lang)  # a bar on stderr for a slow build at a terminal
                self._shelf = shelf.load(
                    self.data, use_cache=not self.no_cache, progress=progress, extras=queries.shelf_extras
                )
                for _path, error in self._shelf.failed:  # the others answer; each failure is said once
                    output.write_err(label("report_failed", self.lang).format(error=error))
                if not self._shelf.entries:
                    raise UsageError(f"no report of the shelf loaded ({len(self._shelf.failed)} failed)")
                if self.only:
                    self._shelf = self._shelf.only(self.only)
                if self.dated != (None, None):
                    self._shelf = self._shelf.dated(*self.dated)
            else:
                from beibei_cli.report import load_report  # the loader's imports are off --version's path

                self._report = load_report(shelf.single(self.data), use_cache=not self.no_cache)
                if self.only:
                    shelf.Shelf([(shelf.own_key(self._report), self._report)], []).only(self.only)
                if self.dated != (None, None):  # one report outside the dates: refused, as a key that is not its own
                    shelf.Shelf([(shelf.own_key(self._report), self._report)], []).dated(*self.dated)
        return self._shelf if self._shelf is not None else self._report  # type: ignore[return-value]

    @property
    def report(self) -> Report:
        """The one report; a command that reads only one refuses a shelf."""
        loaded = self.loaded
        if self._shelf is not None and len(self._shelf.entries) == 1:  # --report picked one of the shelf
            return self._shelf.entries[0][1]
        if self._shelf is not None:
            raise UsageError(
                f"this command reads one report and --data names {len(self._shelf.entries)}: give one report file"
            )
        return loaded  # type: ignore[return-value]

    @property
    def on_shelf(self) -> bool:
        return self._shelf is not None

    def use_color(self) -> bool:
        return output.use_color(self.color)


# ``-o FILE`` without ``--format``: the format its extension names, else plain.
FORMAT_OF_SUFFIX = {
    ".xlsx": "xlsx",
    ".csv": "csv",
    ".tsv": "tsv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".md": "md",
}


# ``export -o FILE`` without ``--format``: the same, among the formats export writes.
EXPORT_FORMAT_OF_SUFFIX = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".db": "sqlite",
    ".sqlite": "sqlite",
    ".sqlite3": "sqlite",
}


# ``series``/``trend`` -o names that write the page with a chart (the other listings draw none)
HTML_SUFFIXES = (".html", ".htm")


# -o names whose format is plain text when --format is not given (none: a bare name, out.txt)
PLAIN_SUFFIXES = ("", ".txt", ".text", ".out", ".log")


def suffix(output_path: str | None) -> str:
    """The -o file's extension, lower-cased ("" for stdout or a name without one)."""
    if not output_path or output_path == "-":
        return ""
    return os.path.splitext(output_path)[1].lower()


def output_format(format: str | None, output_path: str | None) -> str:
    """The format to print in: the flag, else the -o file's extension, else table at a terminal and plain piped."""
    if format is None and output_path and output_path != "-":
        ext = suffix(output_path)
        if ext not in FORMAT_OF_SUFFIX and ext not in PLAIN_SUFFIXES:
            known = " ".join(sorted(FORMAT_OF_SUFFIX))
            raise UsageError(
                f"-o {output_path}: no format is written as {ext}; give --format, or a name ending in {known} or .txt"
            )
        return FORMAT_OF_SUFFIX.get(ext, "plain")
    return output.default_format(format)


def write_output(ctx: Ctx, data: bytes, output_path: str | None, *, binary: bool = False, name: str = "xlsx") -> None:
    """Data to the -o file or to stdout; a binary format is refused at a terminal.

    A file is written by ``files.write_output``: atomically over a regular file, through
    a symlink, in place to a FIFO or device, never over a directory (docs/hostile-inputs.md).
    """
    if data and not binary and not data.endswith(b"\n"):
        data += b"\n"  # text ends with a newline, in a file as on stdout
    if output_path and output_path != "-":
        try:
            files.write_output(output_path, data)
        except OSError as exc:
            raise OutputError.from_os(exc, output_path) from None
        output.write_err(label("wrote", ctx.lang).format(path=output_path))
        return
    if binary:
        if output.stdout_is_tty():
            raise UsageError(f"{name} is a binary format: give -o FILE, or redirect the output to a file")
        output.write_binary(data)
        return
    if data:
        output.write(data.decode("utf-8"))


def emit_rows(
    ctx: Ctx,
    rows: list[Record],
    *,
    kind: str,
    format: str | None,
    fields: str | None,
    no_header: bool,
    columns: list[str],
    limit: int | None = None,
    output_path: str | None = None,
) -> None:
    """The one way a listing command prints its rows (at most ``limit`` of them).

    ``--fields`` is checked against the declared fields of ``kind`` (``rows.py``),
    whatever the rows: a filter that leaves none still knows its fields.
    """
    fmt = output_format(format, output_path)
    on_shelf = ctx.on_shelf and kind not in ("count", "id", "report", "series", "trend")
    if on_shelf:
        columns = ["report", *columns]
    rows = output.select_fields(rows, fields, (["report"] if on_shelf else []) + declared_fields(kind))
    if fmt == "table" and not rows:
        output.write_err(label("no_records", ctx.lang))
        return
    if limit is not None:
        rows = rows[:limit]
    if fmt == "table":
        if not rows:
            return
        if fields is not None:
            columns = list(rows[0])
        from beibei_cli.output import terminal  # draws with Rich: machine formats never import it

        to_file = bool(output_path and output_path != "-")
        width = 100 if to_file else output.terminal_width()
        text = terminal.table(
            rows,
            columns,
            lang=ctx.lang,
            width=width,
            color=ctx.use_color() and not to_file,
            droppable=fields is None,
            **(terminal.HIT_LAYOUT if kind == "hit" else {}),
        )
        write_output(ctx, text.encode("utf-8"), output_path)
        return
    if fmt == "xlsx":
        from beibei_cli.output.xlsx import workbook  # xlsxwriter: only for this format

        rows = [{k: v for k, v in row.items() if k != "snippet_matches"} for row in rows]
        write_output(ctx, workbook(rows, header=not no_header, lang=ctx.lang), output_path, binary=True)
        return
    wanted = [f.strip() for f in fields.split(",") if f.strip()] if fields else None
    text = output.render(rows, fmt, header=not no_header, fields=wanted, lang=ctx.lang, raw_cells=ctx.raw_cells)
    write_output(ctx, text.encode("utf-8"), output_path)


def declared_fields(kind: str) -> list[str]:
    return contract.names(kind)


def emit_record(ctx: Ctx, rec: Record, fmt: str | None) -> None:
    """The one way a single record (show, info) is printed."""
    if fmt == "json":
        output.write(output.to_json(rec))
    elif fmt == "yaml":
        output.write(output.to_yaml(rec))
    elif fmt == "table" or (fmt is None and output.stdout_is_tty()):
        from beibei_cli.output import terminal  # draws with Rich

        output.write(terminal.record(rec, lang=ctx.lang, width=output.terminal_width(), color=ctx.use_color()))
    else:
        output.write(output.plain_record(rec))


def _split(query: dict[str, Any], values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A command's values as (the query's filters, how to print them), by the declared roles."""
    filters: dict[str, Any] = {}
    printing: dict[str, Any] = {}
    for p in query["params"]:
        if p["name"] in values:
            (filters if p["role"] == "filter" else printing)[p["name"]] = values[p["name"]]
    return filters, printing


# -- the listings ------------------------------------------------------------


def _listing(
    ctx: Ctx,
    query: dict[str, Any],
    kind: str,
    found: list[Record],
    printing: dict[str, Any],
    columns: list[str] | None = None,
) -> None:
    emit_rows(
        ctx,
        found,
        kind=kind,
        format=printing["format"],
        fields=printing["fields"],
        no_header=printing["no_header"],
        columns=query["columns"] if columns is None else columns,
        limit=printing["limit"],
        output_path=printing["output_path"],
    )


def pillars(ctx: Ctx, **values: Any) -> int:
    filters, printing = _split(declare.PILLARS, values)
    found = queries.over(ctx.loaded, queries.pillar_rows, lang=ctx.lang, **filters)
    fmt = output_format(printing["format"], printing["output_path"])
    if fmt == "table" and printing["fields"] is None:
        limit, output_path = printing["limit"], printing["output_path"]
        found = found if limit is None else found[:limit]
        from beibei_cli.output import terminal  # draws with Rich

        to_file = bool(output_path and output_path != "-")
        text = terminal.briefing(
            found,
            detail=filters["detail"],
            lang=ctx.lang,
            width=100 if to_file else output.terminal_width(),
            color=ctx.use_color() and not to_file,
        )
        write_output(ctx, text.encode("utf-8"), output_path)
        return ExitCode.OK
    _listing(ctx, declare.PILLARS, "pillar-detail" if filters["detail"] else "pillar", found, printing)
    return ExitCode.OK


def metrics(ctx: Ctx, **values: Any) -> int:
    filters, printing = _split(declare.METRICS, values)
    found = queries.over(ctx.loaded, queries.metric_rows, lang=ctx.lang, **filters)
    columns = list(declare.METRICS["columns"])
    if filters.get("sort") == "value":  # sorted by amount within each kind: the table shows the kinds
        columns.insert(columns.index("figure") + 1, "kind")
    _listing(ctx, declare.METRICS, "metric", found, printing, columns)
    limit = printing["limit"]
    note = output.hidden_qualifiers(found if limit is None else found[:limit], printing["fields"], ctx.lang)
    if note:
        output.write_err(note)
    return ExitCode.OK


def timeline(ctx: Ctx, **values: Any) -> int:
    filters, printing = _split(declare.TIMELINE, values)
    _listing(
        ctx,
        declare.TIMELINE,
        "event",
        queries.over(ctx.loaded, queries.timeline_rows, lang=ctx.lang, **filters),
        printing,
    )
    return ExitCode.OK


def entities(ctx: Ctx, **values: Any) -> int:
    filters, printing = _split(declare.ENTITIES, values)
    _listing(
        ctx,
        declare.ENTITIES,
        "entity",
        queries.over(ctx.loaded, queries.entity_rows, lang=ctx.lang, **filters),
        printing,
    )
    return ExitCode.OK


def source(ctx: Ctx, **values: Any) -> int:
    filters, printing = _split(declare.SOURCE, values)
    found = queries.over(ctx.loaded, queries.paragraph_rows, **filters)
    code = ExitCode.OK if found else ExitCode.NO_MATCH
    fmt = output_format(printing["format"], printing["output_path"])
    if fmt == "plain" and printing["fields"] is None:
        limit = printing["limit"]
        shown = found if limit is None else found[:limit]
        on_shelf = ctx.on_shelf  # which report each paragraph is of, first
        text = "".join(
            (f"{output.cell(r['report'])}\t" if on_shelf else "") + f"{r['n']}\t{output.cell(r['text'])}\n"
            for r in shown
        )
        write_output(ctx, text.encode("utf-8"), printing["output_path"])
        return code
    _listing(ctx, declare.SOURCE, "paragraph", found, printing)
    return code


def search(ctx: Ctx, **values: Any) -> int:
    filters, printing = _split(declare.SEARCH, values)
    ids, count, quiet = printing["ids"], printing["count"], printing["quiet"]
    if ids and count:  # each prints instead of the hits; which one was meant?
        raise UsageError(
            "--ids (-l) and --count (-c) cannot be used together: -l prints the ids of the hits, "
            "--count the number of hits of each kind"
        )
    filters["any_term"] = printing.pop("or_") or filters["any_term"]
    if filters.get("context") is None and output_format(printing["format"], printing["output_path"]) == "table":
        filters["context"] = table_context(printing["output_path"])
    loaded = ctx.loaded
    if ctx.on_shelf:
        # the shelf searches only as many reports as the hits printed need
        hits, note = queries.shelf_search(loaded, lang=ctx.lang, limit=printing["limit"], **filters)  # type: ignore[arg-type]
    else:
        hits, note = queries.search_outcome(loaded, lang=ctx.lang, **filters)  # type: ignore[arg-type]
    from beibei_cli.search.query import FOUND, NOT_STATED, RELATED, answer_of

    # found: exit 0; related (only parts of the words, fuzzy pinyin) and not-stated: exit 1,
    # so that `beibei search X && ...` means the report says X
    answer = answer_of(hits)
    code = ExitCode.OK if answer == FOUND else ExitCode.NO_MATCH
    if quiet:
        return code
    from beibei_cli.textsafety import visible

    # the words as typed go to the terminal escaped: a colour sequence in a query is shown, not run
    asked = visible(" ".join(filters["query"]) if isinstance(filters["query"], list) else str(filters["query"]))
    note = visible(note) if note else note
    if answer == RELATED and _stderr_is_tty():
        # for the person at the terminal; a pipeline reads the exit code and each hit's "match"
        output.write_err(label("related_answer", ctx.lang).format(q=asked))
    if note and _stderr_is_tty():
        output.write_err(note)
    if answer == NOT_STATED and output.stdout_is_tty():
        said = "not_exact_answer" if filters.get("exact") else "not_stated_answer"
        output.write_err(label(said, ctx.lang).format(q=asked))
    if answer == FOUND and _stderr_is_tty() and not filters.get("regex"):
        from beibei_cli.search.query import parse_terms, question_words

        typed = filters["query"] if isinstance(filters["query"], list) else [str(filters["query"])]
        aside = question_words(typed)
        if aside:  # a question: the words are there, the answer to it may not be
            terms = "、".join(f"“{visible(t)}”" for t in parse_terms(typed))
            output.write_err(label("question_words", ctx.lang).format(terms=terms, aside=visible("、".join(aside))))
    if answer == FOUND and filters.get("any_term") and _stderr_is_tty():
        # --any: found for one word is not found for all of them; say which the report does not state
        missing = queries.unstated_terms(loaded, lang=ctx.lang, **filters)
        if missing:
            quoted = (
                "、".join(f"“{visible(t)}”" for t in missing)
                if ctx.lang == "zh"
                else ", ".join(visible(t) for t in missing)
            )
            output.write_err(label("unstated_terms", ctx.lang).format(terms=quoted))
    limit, fields, no_header, output_path = (printing[k] for k in ("limit", "fields", "no_header", "output_path"))
    if limit is not None:
        hits = hits[:limit]
    fmt = output_format(printing["format"], output_path)
    if ids:
        _emit_values(ctx, [h["id"] for h in hits], fmt, fields=fields, no_header=no_header, output_path=output_path)
    elif count:
        tally: dict[str, int] = {}
        for h in hits:
            tally[h["kind"]] = tally.get(h["kind"], 0) + 1
        if fmt in ("json", "yaml"):
            text = output.to_json(tally) if fmt == "json" else output.to_yaml(tally)
            write_output(ctx, (text if text.endswith("\n") else text + "\n").encode("utf-8"), output_path)
        else:
            tallied = [{"kind": kind, "count": n} for kind, n in tally.items()]
            emit_rows(
                ctx,
                tallied,
                kind="count",
                format=fmt,
                fields=fields,
                no_header=no_header,
                columns=contract.names("count"),
                output_path=output_path,
            )
    elif fmt == "plain" and ctx.use_color() and not (output_path and output_path != "-"):
        # --color always: the matches coloured in piped plain output too, as rg does
        from beibei_cli.output.hits import plain_lines

        bare = [{k: v for k, v in h.items() if k != "snippet_matches"} for h in hits]
        shown = output.select_fields(bare, fields, contract.names("hit"))
        spans = [{"snippet": h["snippet_matches"], "text": h["matches"]} for h in hits]
        if shown:
            output.write(plain_lines(shown, list(shown[0]), spans, color=True))
    elif hits or fmt != "table":
        if fmt != "table" or fields is not None:
            hits = [{k: v for k, v in h.items() if k != "snippet_matches"} for h in hits]
        emit_rows(
            ctx,
            hits,
            kind="hit",
            format=fmt,
            fields=fields,
            no_header=no_header,
            columns=declare.SEARCH["columns"],
            output_path=output_path,
        )
    return code


def table_context(output_path: str | None) -> int:
    """Characters of context each side of a match that fill a terminal table's snippet column
    about twice (the snippet gets what the kind and the title with its id leave): 20 at 100
    columns, 70 at 200."""
    width = 100 if output_path and output_path != "-" else output.terminal_width()
    return max(queries.DEFAULT_CONTEXT, (width - 50) // 2 - 5)


def _stderr_is_tty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _emit_values(
    ctx: Ctx,
    values: list[str],
    fmt: str,
    *,
    fields: str | None,
    no_header: bool,
    output_path: str | None = None,
) -> None:
    """A bare list of ids (``search -l``): a JSON/YAML list of strings, otherwise one per line."""
    if fmt in ("json", "yaml"):
        text = output.to_json(values) if fmt == "json" else output.to_yaml(values)
        write_output(ctx, (text if text.endswith("\n") else text + "\n").encode("utf-8"), output_path)
    elif fmt == "jsonl":
        write_output(ctx, "".join(output.to_json(v, indent=None) + "\n" for v in values).encode("utf-8"), output_path)
    elif fmt in ("plain", "table") and fields is None:
        write_output(ctx, "".join(v + "\n" for v in values).encode("utf-8"), output_path)
    else:
        emit_rows(
            ctx,
            [{"id": v} for v in values],
            kind="id",
            format=fmt,
            fields=fields,
            no_header=no_header,
            columns=["id"],
            output_path=output_path,
        )


# -- one record, many records ------------------------------------------------


def read_ids(given: list[str]) -> list[str]:
    """The ids given, in order; ``-`` stands for the ids on stdin (one per line or separated by spaces)."""
    ids: list[str] = []
    for item in given:
        if item == "-":
            try:
                text = sys.stdin.read() if sys.stdin is not None else ""
            except (OSError, ValueError, UnicodeDecodeError) as exc:
                raise UsageError(f"cannot read ids from stdin: {exc}") from None
            ids.extend(text.split())
        else:
            ids.append(item.strip())
    if not ids:
        raise UsageError("no record id given; give one such as metric-rd-intensity or para-31")
    return ids


def _records(loaded: Report | Shelf, ids: list[str], lang: str) -> list[Record]:
    """Every record asked for, or a usage error naming the first unknown id (nothing printed)."""
    return [queries.shelf_record(loaded, rid, queries.show_record, lang) for rid in ids]


def show(ctx: Ctx, *, id: list[str], format: str | None) -> int:
    found = _records(ctx.loaded, read_ids(id), ctx.lang)
    if format == "json" and len(found) > 1:
        output.write(output.to_json(found))
        return ExitCode.OK
    if format == "yaml" and len(found) > 1:
        output.write(output.to_yaml(found))
        return ExitCode.OK
    for i, rec in enumerate(found):
        if i and format not in ("json", "yaml"):
            output.write("")  # a blank line between records
        emit_record(ctx, rec, format)
    return ExitCode.OK


def info(ctx: Ctx, *, format: str | None) -> int:
    loaded = ctx.loaded
    if not ctx.on_shelf:
        emit_record(ctx, queries.info_record(loaded, ctx.lang), format)  # type: ignore[arg-type]
        return ExitCode.OK
    # a shelf: each report's info, as show prints several records
    found = [queries.on_shelf(key, queries.info_record(report, ctx.lang)) for key, report in loaded]  # type: ignore[union-attr]
    if format in ("json", "yaml"):
        output.write(output.to_json(found) if format == "json" else output.to_yaml(found))
        return ExitCode.OK
    for i, rec in enumerate(found):
        if i:
            output.write("")
        emit_record(ctx, rec, format)
    return ExitCode.OK


def reports(ctx: Ctx, **values: Any) -> int:
    _, printing = _split(declare.REPORTS, values)
    found = queries.report_rows(ctx.loaded, lang=ctx.lang)
    _listing(ctx, declare.REPORTS, "report", found, printing)
    return ExitCode.USAGE if any(r["error"] for r in found) else ExitCode.OK  # some did not load


def series(ctx: Ctx, **values: Any) -> int:
    filters, printing = _split(declare.SERIES, values)
    found = queries.series_rows(ctx.loaded, lang=ctx.lang, **filters)
    asked = filters["query"] if isinstance(filters["query"], list) else [filters["query"]]
    _across(ctx, declare.SERIES, "series", found, printing, "amount", "base_unit", asked)
    return ExitCode.OK if found else ExitCode.NO_MATCH


def trend(ctx: Ctx, **values: Any) -> int:
    filters, printing = _split(declare.TREND, values)
    found = queries.trend_rows(ctx.loaded, lang=ctx.lang, **filters)
    _across(ctx, declare.TREND, "trend", found, printing, "per_10k", "term", list(filters["terms"]))
    return ExitCode.OK if any(r["count"] for r in found) else ExitCode.NO_MATCH


def _across(
    ctx: Ctx,
    query: dict[str, Any],
    kind: str,
    found: list[Record],
    printing: dict[str, Any],
    size: str,
    group: str,
    asked: list[str],
) -> None:
    """A listing across reports; in a terminal table each row has a bar (``scale``), its
    ``size`` against the largest among the rows of the same ``group`` (a bar compares only
    figures whose units agree)."""
    if printing["format"] == "html" or (
        printing["format"] is None and suffix(printing["output_path"]) in HTML_SUFFIXES
    ):
        _across_page(ctx, query, kind, found, printing, asked)
        return
    fmt = output_format(printing["format"], printing["output_path"])
    if fmt != "table" or printing["fields"] is not None:
        _listing(ctx, query, kind, found, printing)
        return
    top: dict[Any, float] = {}
    for r in found:
        top[r[group]] = max(top.get(r[group], 0.0), float(r[size] or 0))
    shown = [{**r, "scale": float(r[size] or 0) / top[r[group]] if top[r[group]] > 0 else None} for r in found]
    emit_rows(
        ctx,
        shown,
        kind=kind,
        format=fmt,
        fields=None,
        no_header=printing["no_header"],
        columns=[*query["columns"], "scale"],
        limit=printing["limit"],
        output_path=printing["output_path"],
    )


def _across_page(
    ctx: Ctx, query: dict[str, Any], kind: str, found: list[Record], printing: dict[str, Any], asked: list[str]
) -> None:
    """``series`` or ``trend`` as a self-contained page: a chart of the rows and their table
    (the declared columns, or ``--fields``)."""
    from beibei_cli.output import charts  # the page: only this format

    limit, fields = printing["limit"], printing["fields"]
    shown = found if limit is None else found[:limit]
    table = output.select_fields(shown, fields, declared_fields(kind))
    if fields is None:
        columns = [*query["columns"], *(["quote"] if kind == "series" else [])]
        table = [{k: r.get(k) for k in columns} for r in shown]
    if kind == "series":
        page = charts.series_page(shown, table, " ".join(asked), ctx.lang)
    else:
        page = charts.trend_page(shown, table, asked, ctx.lang)
    output_path = printing["output_path"]
    if output_path and output_path != "-":
        write_output(ctx, page.encode("utf-8"), output_path)
    else:
        output.write(page.removesuffix("\n"))


def cite(ctx: Ctx, *, id: list[str], format: str | None) -> int:
    loaded = ctx.loaded
    cited = [queries.shelf_record(loaded, rid, queries.citation) for rid in read_ids(id)]
    text = "".join(output.citation(c, format or "plain", ctx.lang) + "\n" for c in cited)
    output.write(text.removesuffix("\n"))
    return ExitCode.OK


def validate(ctx: Ctx, *, path: str | None, source: str | None, coverage: bool = False, format: str | None) -> int:
    from beibei_cli import shelf
    from beibei_cli.report import check, problem_line, resolve_data_path  # the checker: only this command

    given = path if path is not None else ctx.data
    problems: list[Record] = []
    gaps: list[Record] = []
    drafts = 0
    if shelf.is_shelf(given):  # a folder or several --data: every report file of the shelf
        if source is not None:
            raise UsageError("--source names the text of one report; a shelf's reports each name their own")
        paths = shelf.report_files([resolve_data_path(o) for o in shelf.data_options(given)])
        data_path = label("report_files", ctx.lang).format(n=len(paths))
    else:
        paths = [resolve_data_path(shelf.single(given))]
        data_path = paths[0]
    for one in paths:
        data: Any = None
        # The cache holds only reports that passed, keyed on the exact file, source and code:
        # a fresh entry is that same check already done (and keeps validate linear at scale).
        if source is not None or ctx.no_cache or (data := _cached(one)) is None:
            data, found = check(one, source)
            problems += found
        if data is not None:
            drafts += sum(1 for recs in data["records"].values() for rec in recs if rec.get("draft"))
            if coverage:
                from beibei_cli.draft.coverage import uncovered  # the figure scanner: only --coverage

                gaps += uncovered(data)
    if format == "json":
        output.write(output.to_json(problems if not coverage else {"problems": problems, "uncovered": gaps}))
    elif problems:
        output.write("".join(problem_line(p) + "\n" for p in problems))
    if problems:
        if format != "json":
            n = len(problems)
            output.write_err(label("invalid", ctx.lang).format(path=data_path, n=n, s="s" if n != 1 else ""))
        return ExitCode.USAGE
    if format != "json":
        output.write("".join(problem_line(g) + "\n" for g in gaps))
        output.write_err(label("valid", ctx.lang).format(path=data_path))
        if drafts:
            output.write_err(
                label("still_draft", ctx.lang).format(n=drafts, s="s" if drafts != 1 else "", mark="draft: true")
            )
        if gaps:
            n = len(gaps)
            output.write_err(label("uncovered", ctx.lang).format(n=n, s="s" if n != 1 else ""))
    return ExitCode.NO_MATCH if gaps else ExitCode.OK


def _check_draft_targets(article: str, output_path: str, source_path: str, source: str) -> None:
    """Nothing is written unless all of it can be, and nothing is overwritten: not a report file
    (a curated one is hours of work), not the article, not another text beside it."""
    if os.path.isdir(output_path):
        raise UsageError(f"cannot write the draft to {output_path}: is a directory; give a file name (report.yaml)")
    if os.path.lexists(output_path):
        raise UsageError(
            f"{output_path} exists: beibei draft does not overwrite a report file; remove it or choose another -o"
        )
    if os.path.lexists(source_path):  # the article itself (read as GB18030) or another text
        try:
            with open(source_path, encoding="utf-8", newline="") as handle:
                held: str | None = handle.read()
        except (OSError, UnicodeDecodeError):
            held = None
        if held != source:
            raise UsageError(
                f"{source_path} exists and is not this article's text as UTF-8: beibei draft would overwrite it; "
                "choose another -o"
            )


def draft(ctx: Ctx, *, article: str, output_path: str | None) -> int:
    from beibei_cli.draft.write import draft_document, dump, read_article  # drafting: only this command

    text, note = read_article(article)
    if note:
        output.write_err(f"note: {note}")
    if output_path and output_path != "-":
        stem = os.path.splitext(os.path.basename(output_path))[0]
        source_name = stem + ".source.txt"
        doc, source = draft_document(text, source_name)
        source_path = os.path.join(os.path.dirname(output_path), source_name)
        _check_draft_targets(article, output_path, source_path, source)
        if not os.path.exists(source_path):  # the same text already there is kept as it is
            try:
                files.write_output(source_path, source.encode("utf-8"))
            except OSError as exc:
                raise OutputError.from_os(exc, source_path) from None
        write_output(ctx, dump(doc).encode("utf-8"), output_path)
    else:
        # to stdout the report file's folder is not known: the article's absolute path loads from anywhere
        doc, _ = draft_document(text, os.path.abspath(article))
        output.write(dump(doc).removesuffix("\n"))
    n = sum(len(v) for k, v in doc.items() if isinstance(v, list))
    output.write_err(label("drafted", ctx.lang).format(n=n, m=len(doc["metrics"]), path=article))
    return ExitCode.OK


def _cached(data_path: str) -> object:
    from beibei_cli import cache

    return cache.load(data_path)


def version() -> int:
    from beibei_cli.about import __version__

    output.write(f"beibei {__version__}")
    return ExitCode.OK


def cache_clear(ctx: Ctx) -> int:
    from beibei_cli import cache

    removed = cache.clear()
    text = label("cache_cleared", ctx.lang)
    output.write_err(text.format(n=removed, s="s" if removed != 1 else "", dir=cache.cache_dir()))
    return ExitCode.OK


def export(ctx: Ctx, *, format: str | None, output_path: str | None) -> int:
    if format is None:  # as the listing commands: the -o file's extension, else md
        ext = suffix(output_path)
        if ext and ext not in EXPORT_FORMAT_OF_SUFFIX:
            raise UsageError(
                f"export writes md (.md, .markdown), html (.html, .htm) or sqlite (.db, .sqlite, .sqlite3), "
                f"and {output_path} names none of them: give --format md, html or sqlite"
            )
        format = EXPORT_FORMAT_OF_SUFFIX.get(ext, "md")
    if format == "sqlite":
        return _export_sqlite(ctx, output_path)
    from beibei_cli.output import export as exporter  # the document renderers: only this command

    loaded = ctx.loaded
    if ctx.on_shelf and len(queries.entries(loaded)) > 1:
        raise UsageError(
            f"export --format {format} writes one report and --data names {len(queries.entries(loaded))}: "
            "give one report file, or --format sqlite for the whole shelf"
        )
    document = queries.document(ctx.report, ctx.lang)  # the rows of every listing, as they print
    text = exporter.markdown(document, ctx.lang) if format == "md" else exporter.html(document, ctx.lang)
    if output_path and output_path != "-":
        write_output(ctx, text.encode("utf-8"), output_path)
    else:
        output.write(text)
    return ExitCode.OK


def _export_sqlite(ctx: Ctx, output_path: str | None) -> int:
    """The shelf (or the one report) as a SQLite database: each listing's rows, report by report."""
    if not (output_path and output_path != "-") and output.stdout_is_tty():
        raise UsageError("sqlite is a binary format: give -o FILE, or redirect the output to a file")
    from beibei_cli.output import sqlite  # sqlite3: only this format

    loaded = ctx.loaded
    entries = queries.entries(loaded)
    listings = {
        listing: [(key, queries.run(report, listing, {}, ctx.lang)) for key, report in entries]
        for _, listing, _ in sqlite.TABLES
    }
    data = sqlite.database(listings, queries.report_rows(loaded, lang=ctx.lang))
    write_output(ctx, data, output_path, binary=True, name="sqlite")
    return ExitCode.OK


def mcp(ctx: Ctx) -> int:
    from beibei_cli.mcp_server import serve  # the MCP SDK (and pydantic): only this command

    # one report, or a shelf (--report keeps some of it)
    return serve(data=ctx.data, lang=ctx.lang, use_cache=not ctx.no_cache, reports=ctx.only or None, dated=ctx.dated)


# Each declared command's handler (declare.QUERIES), for both parsers.
HANDLERS: dict[str, Callable[..., int]] = {
    "pillars": pillars,
    "metrics": metrics,
    "show": show,
    "info": info,
    "reports": reports,
    "series": series,
    "trend": trend,
    "search": search,
    "timeline": timeline,
    "entities": entities,
    "source": source,
    "cite": cite,
    "export": export,
    "validate": validate,
    "draft": draft,
    "mcp": mcp,
    "cache clear": cache_clear,
}


def listing(query: dict[str, Any]) -> Callable[..., int]:
    """The handler of a declared listing that needs nothing of its own: its rows from
    ``queries.run``, printed by the shared listing options (a new kind of record is a declaration)."""

    def handler(ctx: Ctx, **values: Any) -> int:
        filters, printing = _split(query, values)
        found = queries.over(ctx.loaded, queries.run, name=query["name"], filters=filters, lang=ctx.lang)
        _listing(ctx, query, query["rows"], found, printing)
        return ExitCode.OK

    handler.__name__ = query["name"]
    return handler


for _q in declare.QUERIES:
    if _q["name"] not in HANDLERS and _q["name"] in queries.LISTINGS:
        HANDLERS[_q["name"]] = listing(_q)

# What an eager option runs (--version).
ACTIONS: dict[str, Callable[[], int]] = {"version": version}
