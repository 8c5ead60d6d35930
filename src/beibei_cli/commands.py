"""What each command does, given its already-parsed parameters.

The Typer app (``cli.py``) and the start-up fast path (``fastpath.py``) both
call these functions with the same keyword arguments, so a command behaves
identically whichever way it was parsed. Each returns an exit code.
"""

from __future__ import annotations

from beibei_cli import output
from beibei_cli.errors import ExitCode, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from beibei_cli.models import Record
    from beibei_cli.report import Report


class Ctx:
    """The global options, and the report, loaded on first use."""

    def __init__(
        self,
        data: str | None = None,
        no_cache: bool = False,
        color: str = "auto",
        lang: str = "zh",
    ) -> None:
        self.data = data
        self.no_cache = no_cache
        self.color = color
        self.lang = lang
        self._report: Report | None = None

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


def emit_rows(
    ctx: Ctx,
    rows: list[Record],
    *,
    format: str | None,
    fields: str | None,
    no_header: bool,
    columns: list[str],
    fallback_fields: list[str],
) -> None:
    """The one way a listing command prints its rows."""
    fmt = output.default_format(format)
    rows = output.select_fields(rows, fields, _available(rows, fallback_fields))
    if fmt == "table":
        if not rows:
            output.write_err("no matching records")
            return
        if fields:
            columns = list(rows[0])
        from beibei_cli.output import rich_render

        text = rich_render.table(rows, columns, lang=ctx.lang, width=output.terminal_width(), color=ctx.use_color())
        output.write(text)
        return
    text = output.render(rows, fmt, header=not no_header)
    if text:
        output.write(text)


def emit_record(ctx: Ctx, rec: Record, fmt: str | None) -> None:
    """The one way a single record (show, info) is printed."""
    if fmt == "json":
        output.write(output.to_json(rec))
    elif fmt == "yaml":
        output.write(output.to_yaml(rec))
    elif fmt == "table" or (fmt is None and output.stdout_is_tty()):
        from beibei_cli.output import rich_render

        output.write(rich_render.record(rec, lang=ctx.lang, width=output.terminal_width(), color=ctx.use_color()))
    else:
        output.write(output.plain_record(rec))


# -- the commands ----------------------------------------------------------


def pillars(
    ctx: Ctx, *, detail: bool = False, format: str | None = None, fields: str | None = None, no_header: bool = False
) -> int:
    from beibei_cli import queries

    rows = queries.pillar_rows(ctx.report, detail=detail, lang=ctx.lang)
    fmt = output.default_format(format)
    if fmt == "table" and not fields:
        from beibei_cli.output import rich_render

        output.write(
            rich_render.briefing(
                rows, detail=detail, lang=ctx.lang, width=output.terminal_width(), color=ctx.use_color()
            )
        )
        return ExitCode.OK
    emit_rows(
        ctx,
        rows,
        format=fmt,
        fields=fields,
        no_header=no_header,
        columns=["id", "kind", "name", "heading"],
        fallback_fields=["id", "kind", "name"],
    )
    return ExitCode.OK


def metrics(
    ctx: Ctx,
    *,
    pillar: str | None = None,
    section: str | None = None,
    sort: str = "report",
    reverse: bool = False,
    limit: int | None = None,
    format: str | None = None,
    fields: str | None = None,
    no_header: bool = False,
) -> int:
    from beibei_cli import queries

    rows = queries.metric_rows(
        ctx.report, pillar=pillar, section=section, sort=sort, reverse=reverse, limit=limit, lang=ctx.lang
    )
    emit_rows(
        ctx,
        rows,
        format=format,
        fields=fields,
        no_header=no_header,
        columns=["name", "figure", "bar", "pillar_name", "as_of", "id"],
        fallback_fields=["id", "name", "value", "unit", "pillar", "quote"],
    )
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
SEARCH_FIELDS = ["id", "kind", "pillar", "title", "snippet", "score", "text", "matches"]


def parse_scope(scope: str | None) -> set[str] | None:
    """``--in cases,metrics`` -> {"case", "metric"} (singular kind names work too)."""
    if not scope:
        return None
    from beibei_cli.models import KINDS
    from beibei_cli.search.build import KIND_ORDER

    scopes = {KINDS.get(kind, kind + "s"): kind for kind in KIND_ORDER}
    kinds = set()
    for part in scope.split(","):
        name = part.strip().lower()
        if not name:
            continue
        kind = scopes.get(name) or (name if name in KIND_ORDER else None)
        if kind is None:
            raise UsageError(f"unknown scope {part.strip()!r} in --in; choose from {', '.join(scopes)}")
        kinds.add(kind)
    return kinds or None


def search(
    ctx: Ctx,
    *,
    query: list[str],
    in_: str | None = None,
    or_: bool = False,
    regex: bool = False,
    limit: int | None = None,
    context: int = 20,
    count: bool = False,
    ids: bool = False,
    quiet: bool = False,
    format: str | None = None,
    fields: str | None = None,
    no_header: bool = False,
) -> int:
    from beibei_cli.report import index_blob
    from beibei_cli.search.query import Index
    from beibei_cli.search.query import search as run_search

    if context < 0:
        raise UsageError("--context must not be negative")
    if limit is not None and limit < 0:
        raise UsageError("--limit must not be negative")
    kinds = parse_scope(in_)
    index = Index(index_blob(ctx.report))
    hits = run_search(index, query, kinds=kinds, any_term=or_, regex=regex, context=context)
    if limit is not None:
        hits = hits[:limit]
    if ctx.lang == "en":
        from beibei_cli.queries import english_titles

        english_titles(ctx.report, hits)
    code = ExitCode.OK if hits else ExitCode.NO_MATCH
    if quiet:
        return code
    if ids:
        if hits:
            output.write("".join(h["id"] + "\n" for h in hits))
        return code
    if count:
        tally: dict[str, int] = {}
        for h in hits:
            tally[h["kind"]] = tally.get(h["kind"], 0) + 1
        if format in ("json", "yaml"):
            emit_record(ctx, tally, format)
        elif tally:
            output.write("".join(f"{k}\t{n}\n" for k, n in tally.items()))
        return code
    table_rows = hits
    fmt = output.default_format(format)
    if fmt != "table" or fields:
        table_rows = [{k: v for k, v in h.items() if k != "snippet_matches"} for h in hits]
    if not hits and fmt == "table":
        return code
    emit_rows(
        ctx,
        table_rows,
        format=fmt,
        fields=fields,
        no_header=no_header,
        columns=["id", "title", "snippet"],
        fallback_fields=SEARCH_FIELDS,
    )
    return code


def timeline(
    ctx: Ctx,
    *,
    since: str | None = None,
    until: str | None = None,
    format: str | None = None,
    fields: str | None = None,
    no_header: bool = False,
) -> int:
    from beibei_cli import queries

    rows = queries.timeline_rows(ctx.report, since=since, until=until, lang=ctx.lang)
    emit_rows(
        ctx,
        rows,
        format=format,
        fields=fields,
        no_header=no_header,
        columns=["date", "inferred", "title", "id"],
        fallback_fields=["id", "date", "precision", "title", "quote"],
    )
    return ExitCode.OK


def entities(
    ctx: Ctx,
    *,
    type: str | None = None,
    format: str | None = None,
    fields: str | None = None,
    no_header: bool = False,
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
    )
    return ExitCode.OK


def source(
    ctx: Ctx,
    *,
    para: int | None = None,
    grep: str | None = None,
    format: str | None = None,
    fields: str | None = None,
    no_header: bool = False,
) -> int:
    from beibei_cli import queries

    rows = queries.paragraph_rows(ctx.report, para=para, grep=grep)
    fmt = output.default_format(format)
    if fmt in ("plain", "table") and not fields:
        output.write("".join(f"{r['n']}\t{r['text']}\n" for r in rows) if rows else "")
        return ExitCode.OK if rows else ExitCode.NO_MATCH
    emit_rows(
        ctx,
        rows,
        format=fmt,
        fields=fields,
        no_header=no_header,
        columns=["n", "text"],
        fallback_fields=["id", "n", "type", "section", "text"],
    )
    return ExitCode.OK if rows else ExitCode.NO_MATCH


def cite(ctx: Ctx, *, id: str, format: str | None = None) -> int:
    from beibei_cli import queries

    if format not in (None, "plain", "md"):
        raise UsageError(f"cite prints plain or md, not {format!r}")
    output.write(queries.cite(ctx.report, id.strip(), format or "plain"))
    return ExitCode.OK


def validate(ctx: Ctx, *, path: str | None = None, source: str | None = None, format: str | None = None) -> int:
    from beibei_cli.report import check, problem_line, resolve_data_path

    data_path = path or resolve_data_path(ctx.data)
    _, problems = check(data_path, source)
    if format == "json":
        output.write(output.to_json(problems))
    elif problems:
        output.write("".join(problem_line(p) + "\n" for p in problems))
    if problems:
        if format != "json":
            output.write_err(f"{data_path}: {len(problems)} problem{'s' if len(problems) != 1 else ''}")
        return ExitCode.USAGE
    if format != "json":
        output.write_err(f"{data_path}: ok")
    return ExitCode.OK


def cache_clear(ctx: Ctx) -> int:
    from beibei_cli import cache

    removed = cache.clear()
    output.write_err(f"removed {removed} cache file{'s' if removed != 1 else ''} from {cache.cache_dir()}")
    return ExitCode.OK


def export(ctx: Ctx, *, format: str = "md", output_path: str | None = None) -> int:
    from beibei_cli.output import export as exporter

    if format not in ("md", "html"):
        raise UsageError(f"export writes md or html, not {format!r}")
    text = exporter.markdown(ctx.report, ctx.lang) if format == "md" else exporter.html(ctx.report, ctx.lang)
    if output_path and output_path != "-":
        from beibei_cli.files import write_atomic

        try:
            write_atomic(output_path, text.encode("utf-8"))
        except OSError as exc:
            raise UsageError(f"{output_path}: cannot write: {exc.strerror}") from None
        output.write_err(f"wrote {output_path}")
    else:
        output.write(text)
    return ExitCode.OK
