"""The command-line interface: the one definition of every command and option.

Each option is declared once, below, and shared by every command that takes it.
The command functions here are declarations only: ``@command`` registers them
with Typer and hands the parsed values, unchanged and by name, to the function
of the same name in ``commands``. The global options are parameters of the app's
callback and reach ``commands.Ctx`` the same way, by name.

The start-up fast path (``fastpath.py``) parses argv with ``_cli_spec.SPEC``,
which is generated from this app by ``python scripts/gen_cli_spec.py`` and
committed; ``tests/test_fastpath.py`` fails when it is stale and runs both
parsers side by side on generated argument vectors.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional, TypeVar

import typer
from typer.models import TyperPath

from beibei_cli import commands
from beibei_cli.models import ENTITY_TYPES, METRIC_KINDS, METRIC_SORTS
from beibei_cli.output import COLOR_CHOICES, FORMATS
from beibei_cli.output.labels import from_zh

EPILOG = """\b
Global options (--data, --lang, --color, --no-cache, --debug) may come before
or after the command: 'beibei --lang en metrics' = 'beibei metrics --lang en'.
\b
Exit codes: 0 ok, 1 a search found nothing, 2 usage or data error,
70 a bug in beibei (one line; the traceback with --debug), 130 interrupted.
Output that cannot be written (stdout closed, disk full, I/O error) is exit 2,
"beibei: cannot write output: ..."; a closed pipe (| head) is a quiet exit 0;
a closed stderr never changes the exit code. An empty path (--data "",
BEIBEI_DATA="", -o "") is exit 2, never a silent default.
\b
Environment:
  BEIBEI_DATA       report file to load (like --data)
  BEIBEI_LANG       zh (default) or en (like --lang)
  BEIBEI_DEBUG      1 to show tracebacks of internal errors (like --debug)
  BEIBEI_CACHE_DIR  cache folder (default $XDG_CACHE_HOME/beibei or ~/.cache/beibei)
  BEIBEI_MAX_BYTES  largest report file accepted (default 32 MiB)
  NO_COLOR, CLICOLOR, CLICOLOR_FORCE, TERM=dumb   colour, as usual
"""


class NonEmptyPath(TyperPath):
    """A path parameter that refuses "" (Path("") would silently be the current folder)."""

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        if isinstance(value, str) and value == "":
            self.fail("empty path", param, ctx)
        return super().convert(value, param, ctx)


PathType = NonEmptyPath()

GLOBAL_HINT = "\b\nGlobal options (--data, --lang, --color, --no-cache, --debug): see 'beibei --help'.\n"

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


def _choice(name: str, values: tuple[str, ...] | list[str]) -> Any:
    """A str Enum of ``values`` (Typer offers Enum members as choices)."""
    return Enum(name, {v: v for v in values}, type=str)


# The choices come from where they are defined: the output layer, the queries, the schema.
Format = _choice("Format", FORMATS)
RecordFormat = _choice("RecordFormat", ("table", "plain", "json", "yaml"))
CiteFormat = _choice("CiteFormat", ("plain", "md"))
ExportFormat = _choice("ExportFormat", ("md", "html"))
Color = _choice("Color", COLOR_CHOICES)
Lang = _choice("Lang", ("zh", "en"))
Sort = _choice("Sort", METRIC_SORTS)
# --type takes the Chinese names the tables show too (企业 for company)
EntityType = _choice("EntityType", (*ENTITY_TYPES, *from_zh(ENTITY_TYPES)))
MetricKind = _choice("MetricKind", METRIC_KINDS)

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


# -- options shared by every listing command (each declared once) -----------

FormatOpt = Annotated[
    Optional[Format],  # type: ignore[valid-type]
    typer.Option(
        "--format",
        "-f",
        help="Output format. Default: table on a terminal, plain (tab-separated) when piped. "
        "xlsx is an Excel workbook (with -o FILE).",
    ),
]
FieldsOpt = Annotated[
    Optional[str],
    typer.Option(
        "--fields",
        metavar="FIELDS",
        help="Comma-separated fields to print, in this order (e.g. id,name,text).",
        autocompletion=complete_fields,
    ),
]
NoHeaderOpt = Annotated[bool, typer.Option("--no-header", help="Leave out the header row of tsv, csv and xlsx.")]
OutputOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--output",
        "-o",
        help="Write to FILE instead of stdout ('-' is stdout). Without --format, the format its extension "
        "names (.csv .tsv .json .jsonl .yaml .md .xlsx), else plain. xlsx needs -o or a redirect.",
        click_type=PathType,
    ),
]
LimitOpt = Annotated[
    Optional[int],
    typer.Option(
        "--limit", "-n", min=0, metavar="N", help="Print at most N rows (0 prints none; the exit code is unchanged)."
    ),
]
RecordFormatOpt = Annotated[
    Optional[RecordFormat],  # type: ignore[valid-type]
    typer.Option("--format", "-f", help="table, plain, json or yaml."),
]
IdArg = Annotated[
    str,
    typer.Argument(
        help="The record's id (any kind: pillar, case, metric, event, para-N...).", autocompletion=complete_ids
    ),
]

F = TypeVar("F", bound=Callable[..., Any])


def _plain(value: Any) -> Any:
    """Parsed values as the core takes them: choices as their text, paths as OS strings."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    return value


def command(app_: typer.Typer = app, name: str | None = None, **settings: Any) -> Callable[[F], F]:
    """Register a declaration with Typer; its values go by name to the ``commands`` function of its name."""

    def register(declaration: F) -> F:
        function = declaration.__name__
        signature = inspect.signature(declaration, eval_str=True)
        ctx_param = inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)

        def delegate(ctx: typer.Context, **params: Any) -> int:
            target = getattr(commands, function)
            return int(target(_ctx(ctx), **{key: _plain(value) for key, value in params.items()}))

        delegate.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[ctx_param, *signature.parameters.values()]
        )
        delegate.__annotations__ = {p.name: p.annotation for p in delegate.__signature__.parameters.values()}  # type: ignore[attr-defined]
        delegate.__annotations__["return"] = int
        delegate.__name__ = delegate.__qualname__ = declaration.__name__
        delegate.__doc__ = declaration.__doc__
        settings["epilog"] = (settings.get("epilog") or "") + GLOBAL_HINT
        app_.command(name, **settings)(delegate)
        return declaration

    return register


def eager(action: str) -> Callable[[bool], None]:
    """The callback of an eager option: run ``commands.<action>()`` and exit (the fast path does the same)."""

    def callback(value: bool) -> None:
        if value:
            raise typer.Exit(getattr(commands, action)())

    callback.beibei_action = action  # type: ignore[attr-defined]  # read by fastpath.build_spec
    return callback


@app.callback()
def main(
    ctx: typer.Context,
    data: Annotated[
        Optional[Path],
        typer.Option(
            "--data",
            metavar="FILE",
            envvar="BEIBEI_DATA",
            help="Report YAML to load (default: the packaged report).",
            show_envvar=True,
            click_type=PathType,
        ),
    ] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")] = False,
    color: Annotated[
        Color,  # type: ignore[valid-type]
        typer.Option("--color", help="Colour: auto, always or never.", case_sensitive=False),
    ] = "auto",
    lang: Annotated[
        Lang,  # type: ignore[valid-type]
        typer.Option(
            "--lang", envvar="BEIBEI_LANG", help="Labels and names: zh or en.", show_envvar=True, case_sensitive=False
        ),
    ] = "zh",
    debug: Annotated[
        bool,
        typer.Option(
            "--debug", envvar="BEIBEI_DEBUG", help="Show the traceback of an internal error.", show_envvar=True
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=eager("version"),
            is_eager=True,
            expose_value=False,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    ctx.obj = commands.Ctx(**{key: _plain(value) for key, value in ctx.params.items()})


def _ctx(ctx: typer.Context) -> commands.Ctx:
    obj = ctx.find_root().obj
    if not isinstance(obj, commands.Ctx):  # pragma: no cover - the callback always runs first
        raise TypeError("the app's callback did not run")
    return obj


@command(
    epilog="""\b
Examples:
  beibei pillars
  beibei pillars --detail
  beibei pillars --detail --format json | jq '.[2].metrics'
"""
)
def pillars(
    detail: Annotated[bool, typer.Option("--detail", "-d", help="Add goals, plans, cases and figures.")] = False,
    limit: LimitOpt = None,
    format: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    output_path: OutputOpt = None,
) -> None:
    """The two positionings (两大定位) and the four articles (四篇文章)."""


@command(
    epilog="""\b
Examples:
  beibei metrics
  beibei metrics --pillar 科技创新 --sort value
  beibei metrics --kind money --min 1亿 --sort value
  beibei metrics --section results --format csv > figures.csv
  beibei metrics -o figures.xlsx
  beibei metrics --format json | jq '.[] | select(.kind == "money") | .amount'
"""
)
def metrics(
    pillar: Annotated[
        Optional[str],
        typer.Option(
            "--pillar",
            "-p",
            help="Only this pillar: its id or name (e.g. 科技创新), or general (the report as a whole).",
            autocompletion=complete_pillars,
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
    kind: Annotated[
        Optional[MetricKind],  # type: ignore[valid-type]
        typer.Option("--kind", "-k", help="Only figures of this kind (money, count, share, rate-of-change, ...)."),
    ] = None,
    minimum: Annotated[
        Optional[str],
        typer.Option(
            "--min",
            help="Only amounts of at least this, in base units (1e8, or with a unit: 1亿, 2000万元); needs --kind.",
        ),
    ] = None,
    maximum: Annotated[
        Optional[str], typer.Option("--max", help="Only amounts of at most this (as --min); needs --kind.")
    ] = None,
    sort: Annotated[
        Sort,  # type: ignore[valid-type]
        typer.Option(
            "--sort",
            help="Order: report (as in the article), value (kinds grouped, each by amount), name (pinyin), pillar.",
        ),
    ] = "report",
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order.")] = False,
    limit: LimitOpt = None,
    format: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    output_path: OutputOpt = None,
) -> None:
    """Every figure of the report: value, unit, pillar, as-of, quote."""


@command(
    epilog="""\b
Examples:
  beibei show metric-forest-coverage
  beibei show case-tenghai-land --format json
  beibei search -l 招商 | xargs -n1 beibei show
"""
)
def show(id: IdArg, format: RecordFormatOpt = None) -> None:
    """One record in full, with its quote and the paragraph it comes from."""


@command(
    epilog="""\b
Examples:
  beibei info
  beibei info --format json
"""
)
def info(format: RecordFormatOpt = None) -> None:
    """What report is loaded: title, files, counts of each kind of record."""


@command(
    epilog="""\b
Examples:
  beibei search 招商
  beibei search zhaoshang            (pinyin; initials work too: zs)
  beibei search 經濟                  (traditional characters)
  beibei search 招商 2022             (all terms must match; --any for any)
  beibei search 斯太宝芯片            (no exact match: records with 斯太宝 and 芯片)
  beibei search zhaosang             (fuzzy pinyin: z/zh c/ch s/sh n/l an/ang en/eng in/ing)
  beibei search '"老旧小区"' --in cases,metrics
  beibei search -l 招商 | xargs -n1 beibei show
  beibei search 招商 --format json | jq '.[0].matches'
"""
)
def search(
    query: Annotated[list[str], typer.Argument(help="Words to find (Chinese, traditional, pinyin or initials).")],
    in_: Annotated[
        Optional[str],
        typer.Option(
            "--in",
            metavar="KINDS",
            help="Only these kinds: cases,pillars,goals,plans,metrics,honours,events,entities,captions,paragraphs.",
        ),
    ] = None,
    any_: Annotated[bool, typer.Option("--any", help="Match any term instead of all.")] = False,
    or_: Annotated[bool, typer.Option("--or", hidden=True, help="Old name of --any.")] = False,
    regex: Annotated[
        bool,
        typer.Option(
            "--regex",
            "-e",
            help="Treat the query as a regular expression (RE2 syntax: linear time, no backreferences or lookaround).",
        ),
    ] = False,
    exact: Annotated[
        bool,
        typer.Option(
            "--exact",
            help="Exact matches only: no parts of a compound, no partial or fuzzy-pinyin matches.",
        ),
    ] = False,
    context: Annotated[
        int, typer.Option("--context", "-C", min=0, metavar="N", help="Characters of context on each side.")
    ] = 20,
    count: Annotated[bool, typer.Option("--count", "-c", help="Print only the number of hits of each kind.")] = False,
    ids: Annotated[bool, typer.Option("--ids", "-l", help="Print only the ids of the hits.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing; exit 0 on a hit, 1 on none.")] = False,
    limit: LimitOpt = None,
    format: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    output_path: OutputOpt = None,
) -> None:
    """Find any passage: cases, plans, figures, events, names and the article's paragraphs."""


@command(
    epilog="""\b
Examples:
  beibei timeline
  beibei timeline --since 2022 --format json
"""
)
def timeline(
    since: Annotated[
        Optional[str], typer.Option("--since", help="From this date (2022, 2022-04 or 2022-04-01).")
    ] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Up to this date (inclusive).")] = None,
    limit: LimitOpt = None,
    format: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    output_path: OutputOpt = None,
) -> None:
    """Every dated event, in date order, at the precision the article gives."""


@command(
    epilog="""\b
Examples:
  beibei entities
  beibei entities --type company
  beibei show org-swu
"""
)
def entities(
    type: Annotated[
        Optional[EntityType],  # type: ignore[valid-type]
        typer.Option("--type", "-t", help="Only this type."),
    ] = None,
    limit: LimitOpt = None,
    format: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    output_path: OutputOpt = None,
) -> None:
    """Organisations, companies, people, places and projects the article names."""


@command(
    epilog="""\b
Examples:
  beibei source
  beibei source --para 37
  beibei source --grep 招商
"""
)
def source(
    para: Annotated[Optional[int], typer.Option("--para", min=1, metavar="N", help="Only paragraph N.")] = None,
    grep: Annotated[Optional[str], typer.Option("--grep", "-g", help="Only paragraphs containing this text.")] = None,
    limit: LimitOpt = None,
    format: FormatOpt = None,
    fields: FieldsOpt = None,
    no_header: NoHeaderOpt = False,
    output_path: OutputOpt = None,
) -> None:
    """The article, with numbered paragraphs."""


@command(
    epilog="""\b
Examples:
  beibei cite metric-rd-intensity
  beibei cite case-tenghai-land --format md
"""
)
def cite(
    id: Annotated[str, typer.Argument(help="The record to cite.", autocompletion=complete_ids)],
    format: Annotated[
        Optional[CiteFormat],  # type: ignore[valid-type]
        typer.Option("--format", "-f", help="plain or md."),
    ] = None,
) -> None:
    """A record's quote with its paragraph number and the report's title, ready to paste."""


@command(
    epilog="""\b
Examples:
  beibei export > report.md
  beibei export -o report.html
"""
)
def export(
    format: Annotated[
        Optional[ExportFormat],  # type: ignore[valid-type]
        typer.Option(
            "--format",
            "-f",
            help="md or html. Default: the one the -o file's extension names (.md .markdown .html .htm), else md.",
        ),
    ] = None,
    output_path: Annotated[
        Optional[Path],
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE instead of stdout ('-' is stdout). A regular file is replaced atomically, a "
            "symlink's target is written, a FIFO or device is written in place; a directory is refused.",
            click_type=PathType,
        ),
    ] = None,
) -> None:
    """The whole report as one Markdown document or one self-contained HTML page."""


@command(
    epilog="""\b
Examples:
  beibei validate
  beibei validate my-report.yaml --source article.txt
  beibei validate my-report.yaml --format json
"""
)
def validate(
    path: Annotated[
        Optional[Path], typer.Argument(help="Report file to check (default: the loaded one).", click_type=PathType)
    ] = None,
    source: Annotated[
        Optional[Path],
        typer.Option("--source", metavar="FILE", help="The article text to check quotes against.", click_type=PathType),
    ] = None,
    format: Annotated[
        Optional[RecordFormat],  # type: ignore[valid-type]
        typer.Option("--format", "-f", help="plain (file:line:col: path: message) or json."),
    ] = None,
) -> None:
    """Check a report file and print every problem, one per line."""


@command(
    epilog="""\b
Needs the optional MCP SDK: pip install 'beibei[mcp]' (from a checkout:
pip install '.[mcp]'). Every tool's answer carries the verbatim quote and its
paragraph number.
\b
Register it with a desktop assistant (e.g. claude_desktop_config.json):
  {"mcpServers": {"beibei": {"command": "beibei", "args": ["--lang", "en", "mcp"]}}}
"""
)
def mcp() -> None:
    """Serve the report to an AI assistant: a Model Context Protocol server on stdin/stdout."""


@command(cache_app, "clear")
def cache_clear() -> None:
    """Remove the cached report and search index."""
