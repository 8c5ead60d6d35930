"""What each command does, given its already-parsed parameters.

The Typer app (``cli.py``) and the start-up fast path (``fastpath.py``) both
call these functions with the same keyword arguments, so a command behaves
identically whichever way it was parsed. Each returns an exit code.
"""

from __future__ import annotations

import sys

from beibei_cli import output
from beibei_cli.errors import ExitCode, OutputError, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from beibei_cli.models import Record
    from beibei_cli.report import Report


class Ctx:
    """The global options, and the report, loaded on first use.

    Both parsers build it from the app callback's parameters, by name; the one
    made last is ``Ctx.current``, where ``entry`` reads ``debug`` when a command fails.
    """

    current: Ctx | None = None

    def __init__(
        self,
        data: str | None = None,
        no_cache: bool = False,
        color: str = "auto",
        lang: str = "zh",
        debug: bool = False,
    ) -> None:
        self.data = data
        self.no_cache = no_cache
        self.color = color
        self.lang = lang
        self.debug = debug
        self._report: Report | None = None
        Ctx.current = self

    @property
    def report(self) -> Report:
        if self._report is None:
            from beibei_cli.report import load_report

            self._report = load_report(self.data, use_cache=not self.no_cache)
        return self._report

    def use_color(self) -> bool:
        return output.use_color(self.color)


def _available(rows: list[Record], fallback: list[str]) -> list[str]:
    from beibei_cli.queries import any_fields

    return any_fields(rows) or fallback


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
    import os

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
        from beibei_cli import files

        try:
            files.write_output(output_path, data)
        except OSError as exc:
            raise OutputError.from_os(exc, output_path) from None
        from beibei_cli.output.labels import label

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
    format: str | None,
    fields: str | None,
    no_header: bool,
    columns: list[str],
    fallback_fields: list[str],
    limit: int | None = None,
    output_path: str | None = None,
) -> None:
    """The one way a listing command prints its rows (at most ``limit`` of them)."""
    fmt = output_format(format, output_path)
    rows = output.select_fields(rows, fields, _available(rows, fallback_fields))
    if fmt == "table" and not rows:
        from beibei_cli.output.labels import label

        output.write_err(label("no_records", ctx.lang))
        return
    if limit is not None:
        rows = rows[:limit]
    if fmt == "table":
        if not rows:
            return
        if fields is not None:
            columns = list(rows[0])
        from beibei_cli.output import terminal

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
        from beibei_cli.output.xlsx import workbook

        rows = [{k: v for k, v in row.items() if k != "snippet_matches"} for row in rows]
        write_output(ctx, workbook(rows, header=not no_header), output_path, binary=True)
        return
    write_output(ctx, output.render(rows, fmt, header=not no_header).encode("utf-8"), output_path)


def emit_record(ctx: Ctx, rec: Record, fmt: str | None) -> None:
    """The one way a single record (show, info) is printed."""
    if fmt == "json":
        output.write(output.to_json(rec))
    elif fmt == "yaml":
        output.write(output.to_yaml(rec))
    elif fmt == "table" or (fmt is None and output.stdout_is_tty()):
        from beibei_cli.output import terminal

        output.write(terminal.record(rec, lang=ctx.lang, width=output.terminal_width(), color=ctx.use_color()))
    else:
        output.write(output.plain_record(rec))


# -- the commands ----------------------------------------------------------


def pillars(
    ctx: Ctx,
    *,
    detail: bool = False,
    limit: int | None = None,
    format: str | None = None,
    fields: str | None = None,
    no_header: bool = False,
    output_path: str | None = None,
) -> int:
    from beibei_cli import queries

    rows = queries.pillar_rows(ctx.report, detail=detail, lang=ctx.lang)
    fmt = output_format(format, output_path)
    if fmt == "table" and fields is None:
        rows = rows if limit is None else rows[:limit]
        from beibei_cli.output import terminal

        to_file = bool(output_path and output_path != "-")
        text = terminal.briefing(
            rows,
            detail=detail,
            lang=ctx.lang,
            width=100 if to_file else output.terminal_width(),
            color=ctx.use_color() and not to_file,
        )
        write_output(ctx, text.encode("utf-8"), output_path)
        return ExitCode.OK
    emit_rows(
        ctx,
        rows,
        format=fmt,
        fields=fields,
        no_header=no_header,
        columns=["id", "kind", "name", "heading"],
        fallback_fields=["id", "kind", "name"],
        limit=limit,
        output_path=output_path,
    )
    return ExitCode.OK


def metrics(
    ctx: Ctx,
    *,
    pillar: str | None = None,
    section: str | None = None,
    kind: str | None = None,
    minimum: str | None = None,
    maximum: str | None = None,
    sort: str = "report",
    reverse: bool = False,
    limit: int | None = None,
    format: str | None = None,
    fields: str | None = None,
    no_header: bool = False,
    output_path: str | None = None,
) -> int:
    from beibei_cli import queries

    rows = queries.metric_rows(
        ctx.report,
        pillar=pillar,
        section=section,
        kind=kind,
        minimum=minimum,
        maximum=maximum,
        sort=sort,
        reverse=reverse,
        lang=ctx.lang,
    )
    emit_rows(
        ctx,
        rows,
        format=format,
        fields=fields,
        no_header=no_header,
        columns=["name", "figure", "bar", "pillar_name", "as_of", "quote", "id"],
        fallback_fields=["id", "name", "value", "unit", "pillar", "quote"],
        limit=limit,
        output_path=output_path,
    )
    note = queries.hidden_qualifiers(rows if limit is None else rows[:limit], fields, ctx.lang)
    if note:
        output.write_err(note)
    return ExitCode.OK


def show(ctx: Ctx, *, id: str, format: str | None = None) -> int:
    from beibei_cli import queries

    rec = queries.show_record(ctx.report, id.strip(), ctx.lang)
    emit_record(ctx, rec, format)
    return ExitCode.OK


def info(ctx: Ctx, *, format: str | None = None) -> int:
    from beibei_cli import queries

    emit_record(ctx, queries.info_record(ctx.report, ctx.lang), format)
    return ExitCode.OK


# The JSON contract of a search hit.
# ``match`` says how a hit was found: exact, parts, partial or fuzzy-pinyin.
SEARCH_FIELDS = ["id", "kind", "pillar", "title", "snippet", "score", "text", "matches", "match"]


def search(
    ctx: Ctx,
    *,
    query: list[str],
    in_: str | None = None,
    any_: bool = False,
    or_: bool = False,
    regex: bool = False,
    exact: bool = False,
    context: int = 20,
    count: bool = False,
    ids: bool = False,
    quiet: bool = False,
    limit: int | None = None,
    format: str | None = None,
    fields: str | None = None,
    no_header: bool = False,
    output_path: str | None = None,
) -> int:
    from beibei_cli import queries

    if ids and count:  # each prints instead of the hits; which one was meant?
        raise UsageError(
            "--ids (-l) and --count (-c) cannot be used together: -l prints the ids of the hits, "
            "--count the number of hits of each kind"
        )
    kinds = queries.parse_kinds(in_)
    hits, note = queries.search_outcome(
        ctx.report, query, kinds=kinds, any_term=any_ or or_, regex=regex, context=context, lang=ctx.lang, exact=exact
    )
    code = ExitCode.OK if hits else ExitCode.NO_MATCH
    if quiet:
        return code
    if note and _stderr_is_tty():
        # for the person at the terminal; a pipeline reads each hit's "match" instead
        output.write_err(note)
    if not hits and output.stdout_is_tty():
        from beibei_cli.output.labels import label

        output.write_err(label("no_hits_hint", ctx.lang))
    if limit is not None:
        hits = hits[:limit]
    fmt = output_format(format, output_path)
    if ids:
        _emit_values(
            ctx, [h["id"] for h in hits], "id", fmt, fields=fields, no_header=no_header, output_path=output_path
        )
    elif count:
        tally: dict[str, int] = {}
        for h in hits:
            tally[h["kind"]] = tally.get(h["kind"], 0) + 1
        if fmt in ("json", "yaml"):
            text = output.to_json(tally) if fmt == "json" else output.to_yaml(tally)
            write_output(ctx, (text if text.endswith("\n") else text + "\n").encode("utf-8"), output_path)
        else:
            rows = [{"kind": kind, "count": n} for kind, n in tally.items()]
            emit_rows(
                ctx,
                rows,
                format=fmt,
                fields=fields,
                no_header=no_header,
                columns=["kind", "count"],
                fallback_fields=["kind", "count"],
                output_path=output_path,
            )
    elif fmt == "plain" and ctx.use_color() and not (output_path and output_path != "-"):
        # --color always: the matches coloured in piped plain output too, as rg does
        from beibei_cli.output.hits import plain_lines
        from beibei_cli.queries import any_fields

        bare = [{k: v for k, v in h.items() if k != "snippet_matches"} for h in hits]
        rows = output.select_fields(bare, fields, _available(bare, SEARCH_FIELDS))
        spans = [{"snippet": h["snippet_matches"], "text": h["matches"]} for h in hits]
        if rows:
            output.write(plain_lines(rows, any_fields(rows), spans, color=True))
    elif hits or fmt != "table":
        if fmt != "table" or fields is not None:
            hits = [{k: v for k, v in h.items() if k != "snippet_matches"} for h in hits]
        emit_rows(
            ctx,
            hits,
            format=fmt,
            fields=fields,
            no_header=no_header,
            columns=["id", "kind", "title", "snippet"],
            fallback_fields=SEARCH_FIELDS,
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
    name: str,
    fmt: str,
    *,
    fields: str | None,
    no_header: bool,
    output_path: str | None = None,
) -> None:
    """A bare list (``search -l``): a JSON/YAML list of strings, otherwise one per line."""
    if fmt in ("json", "yaml"):
        text = output.to_json(values) if fmt == "json" else output.to_yaml(values)
        write_output(ctx, (text if text.endswith("\n") else text + "\n").encode("utf-8"), output_path)
    elif fmt == "jsonl":
        write_output(ctx, "".join(output.to_json(v, indent=None) + "\n" for v in values).encode("utf-8"), output_path)
    elif fmt in ("plain", "table") and fields is None:
        write_output(ctx, "".join(v + "\n" for v in values).encode("utf-8"), output_path)
    else:
        rows = [{name: v} for v in values]
        emit_rows(
            ctx,
            rows,
            format=fmt,
            fields=fields,
            no_header=no_header,
            columns=[name],
            fallback_fields=[name],
            output_path=output_path,
        )


def timeline(
    ctx: Ctx,
    *,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
    format: str | None = None,
    fields: str | None = None,
    no_header: bool = False,
    output_path: str | None = None,
) -> int:
    from beibei_cli import queries

    rows = queries.timeline_rows(ctx.report, since=since, until=until, lang=ctx.lang)
    emit_rows(
        ctx,
        rows,
        format=format,
        fields=fields,
        no_header=no_header,
        columns=["date", "title", "date_note", "id"],
        fallback_fields=["id", "date", "precision", "title", "quote"],
        limit=limit,
        output_path=output_path,
    )
    return ExitCode.OK


def entities(
    ctx: Ctx,
    *,
    type: str | None = None,
    limit: int | None = None,
    format: str | None = None,
    fields: str | None = None,
    no_header: bool = False,
    output_path: str | None = None,
) -> int:
    from beibei_cli import queries

    rows = queries.entity_rows(ctx.report, type_=type, lang=ctx.lang)
    emit_rows(
        ctx,
        rows,
        format=format,
        fields=fields,
        no_header=no_header,
        columns=["name", "type", "mentions", "id"],
        fallback_fields=["id", "name", "type", "aliases", "mentions"],
        limit=limit,
        output_path=output_path,
    )
    return ExitCode.OK


def source(
    ctx: Ctx,
    *,
    para: int | None = None,
    grep: str | None = None,
    limit: int | None = None,
    format: str | None = None,
    fields: str | None = None,
    no_header: bool = False,
    output_path: str | None = None,
) -> int:
    from beibei_cli import queries

    rows = queries.paragraph_rows(ctx.report, para=para, grep=grep)
    code = ExitCode.OK if rows else ExitCode.NO_MATCH
    fmt = output_format(format, output_path)
    if fmt == "plain" and fields is None:
        shown = rows if limit is None else rows[:limit]
        write_output(ctx, "".join(f"{r['n']}\t{output.cell(r['text'])}\n" for r in shown).encode("utf-8"), output_path)
        return code
    emit_rows(
        ctx,
        rows,
        format=fmt,
        fields=fields,
        no_header=no_header,
        columns=["n", "text"],
        fallback_fields=["id", "n", "type", "section", "text"],
        limit=limit,
        output_path=output_path,
    )
    return code


def cite(ctx: Ctx, *, id: str, format: str | None = None) -> int:
    from beibei_cli import queries

    output.write(queries.cite(ctx.report, id.strip(), format or "plain"))
    return ExitCode.OK


def validate(ctx: Ctx, *, path: str | None = None, source: str | None = None, format: str | None = None) -> int:
    from beibei_cli.report import check, problem_line, resolve_data_path

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
    from beibei_cli.output.labels import label

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
    from beibei_cli import __version__

    output.write(f"beibei {__version__}")
    return ExitCode.OK


def cache_clear(ctx: Ctx) -> int:
    from beibei_cli import cache
    from beibei_cli.output.labels import label

    removed = cache.clear()
    text = label("cache_cleared", ctx.lang)
    output.write_err(text.format(n=removed, s="s" if removed != 1 else "", dir=cache.cache_dir()))
    return ExitCode.OK


def export(ctx: Ctx, *, format: str | None = None, output_path: str | None = None) -> int:
    from beibei_cli.output import export as exporter

    if format is None:  # as the listing commands: the -o file's extension, else md
        ext = suffix(output_path)
        if ext and ext not in EXPORT_FORMAT_OF_SUFFIX:
            raise UsageError(
                f"export writes md (.md, .markdown) or html (.html, .htm), and {output_path} names neither: "
                "give --format md or --format html"
            )
        format = EXPORT_FORMAT_OF_SUFFIX.get(ext, "md")

    text = exporter.markdown(ctx.report, ctx.lang) if format == "md" else exporter.html(ctx.report, ctx.lang)
    if output_path and output_path != "-":
        write_output(ctx, text.encode("utf-8"), output_path)
    else:
        output.write(text)
    return ExitCode.OK


def mcp(ctx: Ctx) -> int:
    from beibei_cli.mcp_server import serve

    return serve(data=ctx.data, lang=ctx.lang, use_cache=not ctx.no_cache)
