"""The command-line interface: the one definition of every command and option.

This module only parses arguments and delegates to ``commands``; errors are
turned into messages and exit codes in ``entry.main``. The start-up fast path
(``fastpath.py``) reads a parameter spec generated from this app, so the two
can never disagree about what the options are.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from beibei_cli import __version__, commands
from beibei_cli.models import ENTITY_TYPES
from beibei_cli.output import FORMATS

EPILOG = """\b
Exit codes: 0 ok, 1 a search found nothing, 2 usage or data error, 130 interrupted.
\b
Environment:
  BEIBEI_DATA       report file to load (like --data)
  BEIBEI_LANG       zh (default) or en (like --lang)
  BEIBEI_CACHE_DIR  cache folder (default $XDG_CACHE_HOME/beibei or ~/.cache/beibei)
  BEIBEI_MAX_BYTES  largest report file accepted (default 32 MiB)
  NO_COLOR, CLICOLOR, CLICOLOR_FORCE, TERM=dumb   colour, as usual
"""

app = typer.Typer(
    name="beibei",
    help="Query the Beibei district report 聚焦“两大定位” 做好“四篇文章” from the command line.\n\n"
    "Every figure, case, plan and date of the report, with the verbatim quote it comes from.",
    epilog=EPILOG,
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
cache_app = typer.Typer(help="Manage the cache of the parsed report.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(cache_app, name="cache")


class Format(str, Enum):
    table = "table"
    plain = "plain"
    tsv = "tsv"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    yaml = "yaml"
    md = "md"


assert tuple(f.value for f in Format) == FORMATS


class RecordFormat(str, Enum):
    table = "table"
    plain = "plain"
    json = "json"
    yaml = "yaml"


class CiteFormat(str, Enum):
    plain = "plain"
    md = "md"


class ExportFormat(str, Enum):
    md = "md"
    html = "html"


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


class Sort(str, Enum):
    report = "report"
    value = "value"
    name = "name"
    pillar = "pillar"


# The choices come from the schema (models.py), defined there once.
EntityType = Enum("EntityType", {t: t for t in ENTITY_TYPES}, type=str)  # type: ignore[misc]

# -- dynamic completion ----------------------------------------------------


def _complete(kind: str, incomplete: str) -> list[str]:
    try:
        from beibei_cli.report import load_report

        report = load_report(None)
    except Exception:  # completion must never fail loudly
        return []
    if kind == "ids":
        return [i for i in report.by_id() if i.startswith(incomplete)]
    if kind == "pillars":
        names = [n for p in report.pillars() for n in (p["id"], p["name"])]
        return [n for n in names if n.startswith(incomplete)]
    return []


def complete_ids(incomplete: str) -> list[str]:
    return _complete("ids", incomplete)


def complete_pillars(incomplete: str) -> list[str]:
    return _complete("pillars", incomplete)


def complete_fields(ctx: typer.Context, incomplete: str) -> list[str]:
    """Field names of the command being completed, taken from the rows it prints."""
    try:
        from beibei_cli import queries
        from beibei_cli.report import load_report

        report = load_report(None)
        rows = {
            "metrics": lambda: queries.metric_rows(report),
            "pillars": lambda: queries.pillar_rows(report, detail=True, lang="zh"),
            "timeline": lambda: queries.timeline_rows(report, since=None, until=None, lang="zh"),
            "entities": lambda: queries.entity_rows(report, type_=None, lang="zh"),
            "source": lambda: queries.paragraph_rows(report, para=None, grep=None),
        }
        name = ctx.info_name or ""
        known = commands.SEARCH_FIELDS if name == "search" else queries.any_fields(rows[name]()) if name in rows else []
    except Exception:  # completion must never fail loudly
        return []
    head, _, last = incomplete.rpartition(",")
    prefix = head + "," if head else ""
    return [prefix + f for f in known if f.startswith(last)]


# -- shared options (defined once) -----------------------------------------

FormatOpt = Annotated[
    Optional[Format],
    typer.Option(
        "--format", "-f", help="Output format. Default: table on a terminal, plain (tab-separated) when piped."
    ),
]
FieldsOpt = Annotated[
    Optional[str],
    typer.Option(
        "--fields",
        help="Comma-separated fields to print, in this order (e.g. id,name,value).",
        autocompletion=complete_fields,
    ),
]
NoHeaderOpt = Annotated[bool, typer.Option("--no-header", help="Leave out the header row of tsv and csv.")]


def _v(value: Enum | None) -> str | None:
    return None if value is None else str(value.value)


def _version(value: bool) -> None:
    if value:
        from beibei_cli import output

        output.write(f"beibei {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    data: Annotated[
        Optional[str],
        typer.Option(
            "--data", envvar="BEIBEI_DATA", help="Report YAML to load (default: the packaged report).", show_envvar=True
        ),
    ] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")] = False,
    color: Annotated[
        Color, typer.Option("--color", help="Colour: auto, always or never.", case_sensitive=False)
    ] = Color.auto,
    lang: Annotated[
        Lang,
        typer.Option(
            "--lang", envvar="BEIBEI_LANG", help="Labels and names: zh or en.", show_envvar=True, case_sensitive=False
        ),
    ] = Lang.zh,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks instead of one-line errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    ctx.obj = commands.Ctx(data=data, no_cache=no_cache, color=color.value, lang=lang.value)


def _ctx(ctx: typer.Context) -> commands.Ctx:
    obj = ctx.find_root().obj
    assert isinstance(obj, commands.Ctx)
    return obj


@app.command(
    epilog="""\b
Examples:
  beibei pillars
  beibei pillars --detail
  beibei pillars --detail --format json | jq '.[2].metrics'
"""
)
def pillars(
    ctx: typer.Context,
    detail: Annotated[bool, typer.Option("--detail", "-d", help="Add goals, plans, cases and figures.")] = False,
    format: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
) -> int:
    """The two positionings (两大定位) and the four articles (四篇文章)."""
    return commands.pillars(_ctx(ctx), detail=detail, format=_v(format), fields=fields, no_header=no_header)


@app.command(
    epilog="""\b
Examples:
  beibei metrics
  beibei metrics --pillar 科技创新 --sort value
  beibei metrics --section results --format csv > figures.csv
  beibei metrics --format json | jq '.[] | select(.unit == "亿元")'
"""
)
def metrics(
    ctx: typer.Context,
    pillar: Annotated[
        Optional[str],
        typer.Option(
            "--pillar", "-p", help="Only this pillar: its id or name (e.g. 科技创新).", autocompletion=complete_pillars
        ),
    ] = None,
    section: Annotated[
        Optional[str],
        typer.Option(
            "--section",
            "-s",
            help="Only figures stated in this section: results (数说成效), narrative (the body), or a section id.",
        ),
    ] = None,
    sort: Annotated[
        Sort, typer.Option("--sort", help="Order: report (as in the article), value, name, pillar.")
    ] = Sort.report,
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order.")] = False,
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", help="Print at most N figures.")] = None,
    format: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
) -> int:
    """Every figure of the report: value, unit, pillar, as-of, quote."""
    return commands.metrics(
        _ctx(ctx),
        pillar=pillar,
        section=section,
        sort=sort.value,
        reverse=reverse,
        limit=limit,
        format=_v(format),
        fields=fields,
        no_header=no_header,
    )


@app.command(
    epilog="""\b
Examples:
  beibei show metric-forest-coverage
  beibei show case-tenghai-land --format json
  beibei search -l 招商 | xargs -n1 beibei show
"""
)
def show(
    ctx: typer.Context,
    id: Annotated[
        str,
        typer.Argument(
            help="The record's id (any kind: pillar, case, metric, event, para-N...).", autocompletion=complete_ids
        ),
    ],
    format: Annotated[
        Optional[RecordFormat], typer.Option("--format", "-f", help="table, plain, json or yaml.")
    ] = None,
) -> int:
    """One record in full, with its quote and the paragraph it comes from."""
    return commands.show(_ctx(ctx), id=id, format=_v(format))


@app.command(
    epilog="""\b
Examples:
  beibei info
  beibei info --format json
"""
)
def info(
    ctx: typer.Context,
    format: Annotated[
        Optional[RecordFormat], typer.Option("--format", "-f", help="table, plain, json or yaml.")
    ] = None,
) -> int:
    """What report is loaded: title, files, counts of each kind of record."""
    return commands.info(_ctx(ctx), format=_v(format))


@app.command(
    epilog="""\b
Examples:
  beibei search 招商
  beibei search zhaoshang            (pinyin; initials work too: zs)
  beibei search 經濟                  (traditional characters)
  beibei search 招商 2022             (all terms must match; -o for any)
  beibei search '"老旧小区"' --in cases,metrics
  beibei search -l 招商 | xargs -n1 beibei show
  beibei search 招商 --format json | jq '.[0].matches'
"""
)
def search(
    ctx: typer.Context,
    query: Annotated[list[str], typer.Argument(help="Words to find (Chinese, traditional, pinyin or initials).")],
    in_: Annotated[
        Optional[str],
        typer.Option(
            "--in",
            help="Only these kinds: cases,pillars,goals,plans,metrics,honours,events,entities,captions,paragraphs.",
        ),
    ] = None,
    or_: Annotated[bool, typer.Option("--or", "-o", help="Match any term instead of all.")] = False,
    regex: Annotated[bool, typer.Option("--regex", "-e", help="Treat the query as a regular expression.")] = False,
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", help="Print at most N hits.")] = None,
    context: Annotated[int, typer.Option("--context", "-C", help="Characters of context on each side.")] = 20,
    count: Annotated[bool, typer.Option("--count", "-c", help="Print only the number of hits of each kind.")] = False,
    ids: Annotated[bool, typer.Option("--ids", "-l", help="Print only the ids of the hits.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing; exit 0 on a hit, 1 on none.")] = False,
    format: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
) -> int:
    """Find any passage: cases, plans, figures, events, names and the article's paragraphs."""
    return commands.search(
        _ctx(ctx),
        query=query,
        in_=in_,
        or_=or_,
        regex=regex,
        limit=limit,
        context=context,
        count=count,
        ids=ids,
        quiet=quiet,
        format=_v(format),
        fields=fields,
        no_header=no_header,
    )


@app.command(
    epilog="""\b
Examples:
  beibei timeline
  beibei timeline --since 2022 --format json
"""
)
def timeline(
    ctx: typer.Context,
    since: Annotated[
        Optional[str], typer.Option("--since", help="From this date (2022, 2022-04 or 2022-04-01).")
    ] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Up to this date (inclusive).")] = None,
    format: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
) -> int:
    """Every dated event, in date order, at the precision the article gives."""
    return commands.timeline(_ctx(ctx), since=since, until=until, format=_v(format), fields=fields, no_header=no_header)


@app.command(
    epilog="""\b
Examples:
  beibei entities
  beibei entities --type company
  beibei show org-swu
"""
)
def entities(
    ctx: typer.Context,
    type: Annotated[Optional[EntityType], typer.Option("--type", "-t", help="Only this type.")] = None,
    format: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
) -> int:
    """Organisations, companies, people, places and projects the article names."""
    return commands.entities(_ctx(ctx), type=_v(type), format=_v(format), fields=fields, no_header=no_header)


@app.command(
    epilog="""\b
Examples:
  beibei source
  beibei source --para 37
  beibei source --grep 招商
"""
)
def source(
    ctx: typer.Context,
    para: Annotated[Optional[int], typer.Option("--para", help="Only paragraph N.")] = None,
    grep: Annotated[Optional[str], typer.Option("--grep", "-g", help="Only paragraphs containing this text.")] = None,
    format: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
) -> int:
    """The article, with numbered paragraphs."""
    return commands.source(_ctx(ctx), para=para, grep=grep, format=_v(format), fields=fields, no_header=no_header)


@app.command(
    epilog="""\b
Examples:
  beibei cite metric-rd-intensity
  beibei cite case-tenghai-land --format md
"""
)
def cite(
    ctx: typer.Context,
    id: Annotated[str, typer.Argument(help="The record to cite.", autocompletion=complete_ids)],
    format: Annotated[Optional[CiteFormat], typer.Option("--format", "-f", help="plain or md.")] = None,
) -> int:
    """A record's quote with its paragraph number and the report's title, ready to paste."""
    return commands.cite(_ctx(ctx), id=id, format=_v(format))


@app.command(
    epilog="""\b
Examples:
  beibei export > report.md
  beibei export --format html -o report.html
"""
)
def export(
    ctx: typer.Context,
    format: Annotated[ExportFormat, typer.Option("--format", "-f", help="md or html.")] = ExportFormat.md,
    output_path: Annotated[
        Optional[str], typer.Option("--output", "-o", help="Write to FILE instead of stdout.")
    ] = None,
) -> int:
    """The whole report as one Markdown document or one self-contained HTML page."""
    return commands.export(_ctx(ctx), format=format.value, output_path=output_path)


@app.command(
    epilog="""\b
Examples:
  beibei validate
  beibei validate my-report.yaml --source article.txt
  beibei validate my-report.yaml --format json
"""
)
def validate(
    ctx: typer.Context,
    path: Annotated[Optional[str], typer.Argument(help="Report file to check (default: the loaded one).")] = None,
    source: Annotated[Optional[str], typer.Option("--source", help="The article text to check quotes against.")] = None,
    format: Annotated[
        Optional[RecordFormat], typer.Option("--format", "-f", help="plain (file:line:col: path: message) or json.")
    ] = None,
) -> int:
    """Check a report file and print every problem, one per line."""
    return commands.validate(_ctx(ctx), path=path, source=source, format=_v(format))


@cache_app.command("clear")
def cache_clear(ctx: typer.Context) -> int:
    """Remove the cached report and search index."""
    return commands.cache_clear(_ctx(ctx))
