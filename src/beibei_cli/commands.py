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


class Ctx:
    """The global options, and the report, loaded on first use."""

    def __init__(
        self,
        data: str | None,
        no_cache: bool,
        color: str,
        lang: str,
        debug: bool,
        raw_cells: bool = False,
    ) -> None:
        self.data = data
        self.raw_cells = raw_cells
        self.no_cache = no_cache
        self.color = color
        self.lang = lang
        self.debug = debug
        self._report: Report | None = None

    @property
    def report(self) -> Report:
        if self._report is None:
            from beibei_cli.report import load_report  # the loader's imports are off --version's path

            self._report = load_report(self.data, use_cache=not self.no_cache)
        return self._report

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
EXPORT_FORMAT_OF_SUFFIX = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}


def suffix(output_path: str | None) -> str:
    """The -o file's extension, lower-cased ("" for stdout or a name without one)."""
    if not output_path or output_path == "-":
        return ""
    return os.path.splitext(output_path)[1].lower()


def output_format(format: str | None, output_path: str | None) -> str:
    """The format to print in: the flag, else the -o file's extension, else table at a terminal and plain piped."""
    if format is None and output_path and output_path != "-":
        return FORMAT_OF_SUFFIX.get(suffix(output_path), "plain")
    return output.default_format(format)


def write_output(ctx: Ctx, data: bytes, output_path: str | None, *, binary: bool = False) -> None:
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
            raise UsageError("xlsx is a binary format: give -o FILE, or redirect the output to a file")
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
    rows = output.select_fields(rows, fields, declared_fields(kind))
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
        )
        write_output(ctx, text.encode("utf-8"), output_path)
        return
    if fmt == "xlsx":
        from beibei_cli.output.xlsx import workbook  # xlsxwriter: only for this format

        rows = [{k: v for k, v in row.items() if k != "snippet_matches"} for row in rows]
        write_output(ctx, workbook(rows, header=not no_header), output_path, binary=True)
        return
    wanted = [f.strip() for f in fields.split(",") if f.strip()] if fields else None
    text = output.render(rows, fmt, header=not no_header, fields=wanted, raw_cells=ctx.raw_cells)
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


def _listing(ctx: Ctx, query: dict[str, Any], kind: str, found: list[Record], printing: dict[str, Any]) -> None:
    emit_rows(
        ctx,
        found,
        kind=kind,
        format=printing["format"],
        fields=printing["fields"],
        no_header=printing["no_header"],
        columns=query["columns"],
        limit=printing["limit"],
        output_path=printing["output_path"],
    )


def pillars(ctx: Ctx, **values: Any) -> int:
    filters, printing = _split(declare.PILLARS, values)
    found = queries.pillar_rows(ctx.report, lang=ctx.lang, **filters)
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
    found = queries.metric_rows(ctx.report, lang=ctx.lang, **filters)
    _listing(ctx, declare.METRICS, "metric", found, printing)
    limit = printing["limit"]
    note = output.hidden_qualifiers(found if limit is None else found[:limit], printing["fields"], ctx.lang)
    if note:
        output.write_err(note)
    return ExitCode.OK


def timeline(ctx: Ctx, **values: Any) -> int:
    filters, printing = _split(declare.TIMELINE, values)
    _listing(ctx, declare.TIMELINE, "event", queries.timeline_rows(ctx.report, lang=ctx.lang, **filters), printing)
    return ExitCode.OK


def entities(ctx: Ctx, **values: Any) -> int:
    filters, printing = _split(declare.ENTITIES, values)
    _listing(ctx, declare.ENTITIES, "entity", queries.entity_rows(ctx.report, lang=ctx.lang, **filters), printing)
    return ExitCode.OK


def source(ctx: Ctx, **values: Any) -> int:
    filters, printing = _split(declare.SOURCE, values)
    found = queries.paragraph_rows(ctx.report, **filters)
    code = ExitCode.OK if found else ExitCode.NO_MATCH
    fmt = output_format(printing["format"], printing["output_path"])
    if fmt == "plain" and printing["fields"] is None:
        limit = printing["limit"]
        shown = found if limit is None else found[:limit]
        text = "".join(f"{r['n']}\t{output.cell(r['text'])}\n" for r in shown)
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
    hits, note = queries.search_outcome(ctx.report, lang=ctx.lang, **filters)
    code = ExitCode.OK if hits else ExitCode.NO_MATCH
    if quiet:
        return code
    if note and _stderr_is_tty():
        # for the person at the terminal; a pipeline reads each hit's "match" instead
        output.write_err(note)
    if not hits and output.stdout_is_tty():
        output.write_err(label("no_hits_hint", ctx.lang))
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


def _records(report: Report, ids: list[str], lang: str) -> list[Record]:
    """Every record asked for, or a usage error naming the first unknown id (nothing printed)."""
    return [queries.show_record(report, rid, lang) for rid in ids]


def show(ctx: Ctx, *, id: list[str], format: str | None) -> int:
    found = _records(ctx.report, read_ids(id), ctx.lang)
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
    emit_record(ctx, queries.info_record(ctx.report, ctx.lang), format)
    return ExitCode.OK


def cite(ctx: Ctx, *, id: list[str], format: str | None) -> int:
    cited = [queries.citation(ctx.report, rid) for rid in read_ids(id)]
    text = "".join(output.citation(c, format or "plain", ctx.lang) + "\n" for c in cited)
    output.write(text.removesuffix("\n"))
    return ExitCode.OK


def validate(ctx: Ctx, *, path: str | None, source: str | None, format: str | None) -> int:
    from beibei_cli.report import check, problem_line, resolve_data_path  # the checker: only this command

    data_path = path or resolve_data_path(ctx.data)
    problems: list[Record] = []
    # The cache holds only reports that passed, keyed on the exact file, source and code:
    # a fresh entry is that same check already done (and keeps validate linear at scale).
    if source is not None or ctx.no_cache or _cached(data_path) is None:
        _, problems = check(data_path, source)
    if format == "json":
        output.write(output.to_json(problems))
    elif problems:
        output.write("".join(problem_line(p) + "\n" for p in problems))
    if problems:
        if format != "json":
            n = len(problems)
            output.write_err(label("invalid", ctx.lang).format(path=data_path, n=n, s="s" if n != 1 else ""))
        return ExitCode.USAGE
    if format != "json":
        output.write_err(label("valid", ctx.lang).format(path=data_path))
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
    from beibei_cli.output import export as exporter  # the document renderers: only this command

    if format is None:  # as the listing commands: the -o file's extension, else md
        ext = suffix(output_path)
        if ext and ext not in EXPORT_FORMAT_OF_SUFFIX:
            raise UsageError(
                f"export writes md (.md, .markdown) or html (.html, .htm), and {output_path} names neither: "
                "give --format md or --format html"
            )
        format = EXPORT_FORMAT_OF_SUFFIX.get(ext, "md")
    document = queries.document(ctx.report, ctx.lang)  # the rows of every listing, as they print
    text = exporter.markdown(document, ctx.lang) if format == "md" else exporter.html(document, ctx.lang)
    if output_path and output_path != "-":
        write_output(ctx, text.encode("utf-8"), output_path)
    else:
        output.write(text)
    return ExitCode.OK


def mcp(ctx: Ctx) -> int:
    from beibei_cli.mcp_server import serve  # the MCP SDK (and pydantic): only this command

    return serve(data=ctx.data, lang=ctx.lang, use_cache=not ctx.no_cache)


# Each declared command's handler (declare.QUERIES), for both parsers.
HANDLERS: dict[str, Callable[..., int]] = {
    "pillars": pillars,
    "metrics": metrics,
    "show": show,
    "info": info,
    "search": search,
    "timeline": timeline,
    "entities": entities,
    "source": source,
    "cite": cite,
    "export": export,
    "validate": validate,
    "mcp": mcp,
    "cache clear": cache_clear,
}


def listing(query: dict[str, Any]) -> Callable[..., int]:
    """The handler of a declared listing that needs nothing of its own: its rows from
    ``queries.run``, printed by the shared listing options (a new kind of record is a declaration)."""

    def handler(ctx: Ctx, **values: Any) -> int:
        filters, printing = _split(query, values)
        _listing(ctx, query, query["rows"], queries.run(ctx.report, query["name"], filters, ctx.lang), printing)
        return ExitCode.OK

    handler.__name__ = query["name"]
    return handler


for _q in declare.QUERIES:
    if _q["name"] not in HANDLERS and _q["name"] in queries.LISTINGS:
        HANDLERS[_q["name"]] = listing(_q)

# What an eager option runs (--version).
ACTIONS: dict[str, Callable[[], int]] = {"version": version}
