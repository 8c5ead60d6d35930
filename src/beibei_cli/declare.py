"""Every query of the tool, declared once: its parameters and the row type it returns.

This table is the one source of the command line (the Typer app in ``cli.py``
and the start-up parser in ``fastpath.py``), of the Python API's methods
(``api.py``), of the MCP tools' input schemas (``mcp_server.py``) and of
``--fields`` checking and completion; the rows' fields are declared in
``rows.py``. To add an option to a command, add one ``param`` to its query
below and take the value in the query function of ``queries.py`` (see
docs/architecture.md). Nothing else spells a name, a default or a choice.

Plain data, cheap to import: the fast path reads it on every run.

A parameter is a dict:

- ``name``: the keyword the query function (and the Typer callback) takes;
- ``api``: its name in the Python API and the MCP tools (None: command line only);
- ``kind``: ``option`` or ``argument``; ``opts``: its flags (``--min``; ``-f``);
- ``type``: str, int, float, path, choice or boolean; ``flag``: takes no value;
- ``choices``, ``min``, ``max``, ``default``, ``nargs`` (-1: any number of words);
  ``multiple``: the option may be given more than once (its value is the list);
- ``help``: one line, shown by ``--help`` and given to the MCP tools' schemas;
- ``role``: ``filter`` (passed to the query), ``limit``, ``output`` (how the
  command line prints), ``mode`` (what a command prints instead of rows) or
  ``alias`` (an old name of another parameter);
- ``mcp``: whether the MCP tool has it.
"""

from __future__ import annotations

from beibei_cli.models import ENTITY_TYPES, METRIC_KINDS, METRIC_SORTS, METRIC_STATUSES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    Param = dict[str, Any]
    Query = dict[str, Any]

FORMATS = ("table", "plain", "tsv", "csv", "json", "jsonl", "yaml", "md", "xlsx")
RECORD_FORMATS = ("table", "plain", "json", "yaml")
COLOR_CHOICES = ("auto", "always", "never")
LANGS = ("zh", "en")
CITE_FORMATS = ("plain", "md")
EXPORT_FORMATS = ("md", "html", "sqlite")


def param(
    name: str,
    *opts: str,
    type: str = "str",  # noqa: A002 - the declaration's word for it
    default: Any = None,
    help: str = "",  # noqa: A002
    api: str | None = "",
    choices: tuple[str, ...] = (),
    case_sensitive: bool = True,
    min: int | None = None,  # noqa: A002
    max: int | None = None,  # noqa: A002
    metavar: str | None = None,
    envvar: str | None = None,
    role: str = "filter",
    mcp: bool = True,
    hidden: bool = False,
    complete: str | None = None,
    required: bool = False,
    nargs: int = 1,
    multiple: bool = False,
    action: str | None = None,
    schema: dict[str, Any] | None = None,
) -> Param:
    """One parameter. ``opts`` empty: a positional argument. ``api=""``: the same name as ``name``."""
    flag = type == "boolean"
    if flag and default is None:
        default = False
    return {
        "name": name,
        "api": name if api == "" else api,
        "kind": "option" if opts else "argument",
        "opts": list(opts),
        "secondary": [],
        "flag": flag,
        "type": "choice" if choices else type,
        "min": min,
        "max": max,
        "choices": list(choices),
        "case_sensitive": case_sensitive,
        "nargs": nargs,
        "multiple": multiple,
        "required": required,
        "envvar": envvar,
        "expose": action is None,
        "eager": action is not None,
        "action": action,
        "default": default,
        "help": help,
        "metavar": metavar,
        "role": role,
        "mcp": mcp and api is not None,
        "hidden": hidden,
        "complete": complete,
        "schema": schema,
    }


# -- what every listing shares (each declared once) ---------------------------

LIMIT = param(
    "limit",
    "--limit",
    "-n",
    type="int",
    min=0,
    metavar="N",
    role="limit",
    help="Print at most N rows (0 prints none; the exit code is unchanged).",
)
FORMAT = param(
    "format",
    "--format",
    "-f",
    choices=FORMATS,
    api=None,
    role="output",
    help="Output format. Default: table on a terminal, plain (tab-separated) when piped. "
    "xlsx is an Excel workbook (with -o FILE).",
)
FIELDS = param(
    "fields",
    "--fields",
    metavar="FIELDS",
    api=None,
    role="output",
    complete="fields",
    help="Comma-separated fields to print, in this order (e.g. id,name,text).",
)
NO_HEADER = param(
    "no_header",
    "--no-header",
    type="boolean",
    api=None,
    role="output",
    help="Leave out the header row of tsv, csv and xlsx.",
)
OUTPUT = param(
    "output_path",
    "--output",
    "-o",
    type="path",
    api=None,
    role="output",
    help="Write to FILE instead of stdout ('-' is stdout). Without --format, the format its extension "
    "names (.csv .tsv .json .jsonl .yaml .md .xlsx), else plain. xlsx needs -o or a redirect.",
)
LISTING = [LIMIT, FORMAT, FIELDS, NO_HEADER, OUTPUT]
# series and trend also write a page with a chart (html); the other listings have no chart to draw
ACROSS_FORMATS = (*FORMATS, "html")
ACROSS_LISTING = [
    LIMIT,
    param(
        "format",
        "--format",
        "-f",
        choices=ACROSS_FORMATS,
        api=None,
        role="output",
        help="Output format. Default: table on a terminal, plain (tab-separated) when piped. "
        "xlsx is an Excel workbook (with -o FILE); html a self-contained page with a chart (-o FILE.html picks it).",
    ),
    FIELDS,
    NO_HEADER,
    OUTPUT,
]
RECORD_FORMAT = param(
    "format", "--format", "-f", choices=RECORD_FORMATS, api=None, role="output", help="table, plain, json or yaml."
)
SINCE = param("since", "--since", help="From this date (2022, 2022-04 or 2022-04-01).")
UNTIL = param("until", "--until", help="Up to this date, inclusive (2022, 2022-04 or 2022-04-01).")
PILLAR = param(
    "pillar",
    "--pillar",
    "-p",
    complete="pillars",
    help="Only this pillar: its id or name (e.g. 科技创新), or general (the report as a whole).",
)


def query(
    name: str,
    help: str,  # noqa: A002
    params: list[Param],
    *,
    rows: str | None = None,
    epilog: str = "",
    columns: tuple[str, ...] = (),
    mcp: str | None = None,
    mcp_title: str | None = None,
    mcp_help: str = "",
    mcp_limit: int | None = None,
    group: str | None = None,
) -> Query:
    """One query: a command of the command line and, with ``rows``, a method of the API."""
    return {
        "name": name,
        "help": help,
        "params": params,
        "rows": rows,
        "epilog": epilog,
        "columns": list(columns),
        "mcp": mcp,
        "mcp_title": mcp_title,
        "mcp_help": mcp_help,
        "mcp_limit": mcp_limit,
        "group": group,
    }


GLOBALS = [
    param(
        "data",
        "--data",
        type="path",
        metavar="PATH",
        envvar="BEIBEI_DATA",
        multiple=True,
        help="Report YAML to load, or a folder of them (a shelf); repeat for more (default: the packaged report).",
    ),
    param(
        "only",
        "--report",
        metavar="KEY",
        multiple=True,
        help="Only the reports whose key matches KEY (a glob, e.g. beibei-202*); repeatable.",
    ),
    param(
        "reports_since",
        "--reports-since",
        metavar="DATE",
        help="Only the reports dated on or after DATE (2022, 2022-04 or 2022-04-01); a report with no date is left out.",
    ),
    param(
        "reports_until",
        "--reports-until",
        metavar="DATE",
        help="Only the reports dated on or before DATE; a report with no date is left out.",
    ),
    param("no_cache", "--no-cache", type="boolean", help="Neither read nor write the cache."),
    param(
        "color",
        "--color",
        choices=COLOR_CHOICES,
        default="auto",
        case_sensitive=False,
        help="Colour: auto, always or never.",
    ),
    param(
        "lang",
        "--lang",
        choices=LANGS,
        default="zh",
        case_sensitive=False,
        envvar="BEIBEI_LANG",
        help="Labels and names: zh or en.",
    ),
    param(
        "raw_cells",
        "--raw-cells",
        type="boolean",
        envvar="BEIBEI_RAW_CELLS",
        help="CSV and TSV: write cells as they are (by default a cell that a spreadsheet would "
        "run as a formula, starting with = + - @ tab or CR, gets a leading ').",
    ),
    param("debug", "--debug", type="boolean", envvar="BEIBEI_DEBUG", help="Show the traceback of an internal error."),
    param("version", "--version", type="boolean", action="version", help="Print the version and exit."),
]

PILLARS = query(
    "pillars",
    "The two positionings (两大定位) and the four articles (四篇文章).",
    [param("detail", "--detail", "-d", type="boolean", help="Add goals, plans, cases and figures."), PILLAR, *LISTING],
    rows="pillar",
    columns=("id", "kind", "name", "heading"),
    mcp="list_pillars",
    mcp_title="List the report's pillars",
    mcp_help="Use to see how the report is organised, or what it says under one of its themes. Returns its "
    "two positionings (两大定位) and four articles (四篇文章), each with summary, verbatim `quote` and paragraph "
    "`para`; detail=true adds how many goals, plans, cases and figures each has, and with `pillar` their "
    "ids and titles (list_goals, list_plans, list_cases and list_metrics give them in full).",
    epilog="""\
beibei pillars
beibei pillars --detail
beibei pillars --detail --pillar 科技创新
beibei pillars --detail --format json | jq '.[2].metrics'""",
)

METRICS = query(
    "metrics",
    "Every figure of the report: value, unit, pillar, as-of, quote.",
    [
        PILLAR,
        param(
            "section",
            "--section",
            "-s",
            help="Only figures stated in this section: results (数说成效), narrative (the body), or a section id.",
        ),
        param(
            "kind",
            "--kind",
            "-k",
            choices=METRIC_KINDS,
            help="Only figures of this kind (money, count, share, rate-of-change, ...).",
        ),
        param(
            "status",
            "--status",
            choices=METRIC_STATUSES,
            help="Only figures stated as done (stated), forecast (预计) or set as a target (力争, 目标).",
        ),
        SINCE,
        UNTIL,
        param(
            "minimum",
            "--min",
            api="min",
            help="Only amounts of at least this, in base units (1e8, or with a unit: 1亿, 2000万元); needs --kind.",
            schema={"type": ["string", "number", "null"]},
        ),
        param(
            "maximum",
            "--max",
            api="max",
            help="Only amounts of at most this (as --min); needs --kind.",
            schema={"type": ["string", "number", "null"]},
        ),
        param(
            "sort",
            "--sort",
            choices=METRIC_SORTS,
            default="report",
            help="Order: report (as in the article), value (kinds grouped, each by amount), name (pinyin), pillar.",
        ),
        param("reverse", "--reverse", "-r", type="boolean", help="Reverse the order."),
        *LISTING,
    ],
    rows="metric",
    columns=("name", "figure", "bar", "pillar_name", "as_of", "quote", "id"),
    mcp="list_metrics",
    mcp_title="List the report's figures",
    mcp_help="Use for any number the report gives (money, counts, shares, growth rates, targets). Returns "
    "its figures (metrics): name, value, unit, the figure as written (`text`), pillar, verbatim `quote` and "
    "paragraph `para`. Filter by pillar (id or name, e.g. 科技创新 or tech-innovation) "
    "or section (results, narrative), by kind (money, count, share, ...), by status (stated, forecast, "
    "target), by the as-of date (since, until) and, within one kind, by `amount` (base units: 元, 户, ...) "
    "with min/max.",
    epilog="""\
beibei metrics
beibei metrics --pillar 科技创新 --sort value
beibei metrics --kind money --min 1亿 --sort value
beibei metrics --status target
beibei metrics --since 2022 --until 2022
beibei metrics --section results --format csv > figures.csv
beibei metrics -o figures.xlsx
beibei metrics --format json | jq '.[] | select(.kind == "money") | .amount'""",
)

SEARCH = query(
    "search",
    "Find any passage: cases, plans, figures, events, names and the article's paragraphs.",
    [
        param(
            "query",
            nargs=-1,
            required=True,
            help="Words to find (Chinese, traditional, pinyin or initials).",
            schema={"type": "string", "description": "Words to find, e.g. 招商 or 老旧小区 2022."},
        ),
        param(
            "kinds",
            "--in",
            metavar="KINDS",
            help="Only these kinds: cases,pillars,goals,plans,metrics,honours,events,entities,captions,paragraphs.",
            schema={"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}, {"type": "null"}]},
        ),
        param("any_term", "--any", type="boolean", help="Match any term instead of all."),
        param("or_", "--or", type="boolean", api=None, role="alias", hidden=True, help="Old name of --any."),
        param(
            "regex",
            "--regex",
            "-e",
            type="boolean",
            help="Treat the query as a regular expression (RE2 syntax: linear time, no backreferences or lookaround).",
        ),
        param(
            "exact",
            "--exact",
            type="boolean",
            help="Exact matches only: no parts of a compound, no partial or fuzzy-pinyin matches.",
        ),
        param(
            "context",
            "--context",
            "-C",
            type="int",
            min=0,
            metavar="N",
            help="Characters of context on each side (default 20; a terminal table fits it to the width).",
        ),
        param(
            "count",
            "--count",
            "-c",
            type="boolean",
            api=None,
            role="mode",
            help="Print only the number of hits of each kind.",
        ),
        param("ids", "--ids", "-l", type="boolean", api=None, role="mode", help="Print only the ids of the hits."),
        param(
            "quiet",
            "--quiet",
            "-q",
            type="boolean",
            api=None,
            role="mode",
            help="Print nothing; exit 0 when the words are found, 1 otherwise.",
        ),
        *LISTING,
    ],
    rows="hit",
    columns=("id", "kind", "title", "snippet"),
    mcp="search",
    mcp_limit=10,
    mcp_title="Search the report",
    mcp_help="Use first for any question about the report. Full-text search of its cases, plans, goals, "
    "figures, events, names and the article's paragraphs; returns ranked hits (id, kind, title, snippet, how "
    "it matched) with their verbatim `quote` and paragraph `para`, and at the top a `status` (found, "
    "related or not-stated) with a sentence on what it means for the answer. Chinese, traditional characters or pinyin (zhaoshang, zs). All words must match unless "
    "any_term. When a word has no exact match, looser matches follow, each hit labelled by `match`; "
    "exact=true turns that off.",
    epilog="""\
beibei search 招商
beibei search zhaoshang            (pinyin; initials work too: zs)
beibei search 經濟                  (traditional characters)
beibei search 招商 2022             (all terms must match; --any for any)
beibei search 斯太宝芯片            (no exact match: records with 斯太宝 and 芯片)
beibei search zhaosang             (fuzzy pinyin: z/zh c/ch s/sh n/l an/ang en/eng in/ing)
beibei search '"老旧小区"' --in cases,metrics
beibei search -l 招商 | xargs beibei show
beibei search 招商 --format json | jq '.[0].matches'""",
)

TIMELINE = query(
    "timeline",
    "Every dated event, in date order, at the precision the article gives.",
    [SINCE, UNTIL, *LISTING],
    rows="event",
    columns=("date", "title", "date_note", "id"),
    mcp="timeline",
    mcp_title="List the report's dated events",
    mcp_help="Use for when something happened or what happened in a period. Returns the report's dated "
    "events in date order (date precision year, month or day; `inferred` marks a date the article only "
    "implies), with verbatim `quote` and paragraph `para`; since and until narrow the period.",
    epilog="""\
beibei timeline
beibei timeline --since 2022 --format json""",
)

ENTITIES = query(
    "entities",
    "Organisations, companies, people, places and projects the article names.",
    [
        param(
            "type",
            "--type",
            "-t",
            metavar="TYPE",
            complete="entity_types",
            schema={"type": "string", "examples": list(ENTITY_TYPES)},
            help="Only this type of entity: "
            + ", ".join(ENTITY_TYPES)
            + "; or its Chinese name (企业, 企業) or pinyin (qiye).",
        ),
        *LISTING,
    ],
    rows="entity",
    columns=("name", "type", "mentions", "id"),
    mcp="list_entities",
    mcp_title="List the organisations, companies, places and projects",
    mcp_help="Use to find who and where: returns the organisations, companies, people, places and projects "
    "the article names, each with its type, aliases, verbatim `quote`, paragraph `para` and the ids of the "
    "records that mention them (get_record gives one with those records' titles).",
    epilog="""\
beibei entities
beibei entities --type company
beibei show org-swu""",
)

GOALS = query(
    "goals",
    "Every goal the article sets (建设…, 打造…), by pillar.",
    [PILLAR, *LISTING],
    rows="goal",
    columns=("text", "pillar_name", "id"),
    mcp="list_goals",
    mcp_title="List the report's goals",
    mcp_help="Use for what the report aims at (建设…, 打造…). Returns the goals the article sets, each with its pillar, verbatim `quote` and paragraph `para`. "
    "Filter by pillar (id or name).",
    epilog="""\
beibei goals
beibei goals --pillar 科技创新""",
)

YEAR = param(
    "year",
    "--year",
    "-y",
    type="int",
    min=1,
    max=9999,
    metavar="YEAR",
    help="Only this year (as --since YEAR --until YEAR).",
)

PLANS = query(
    "plans",
    "Every plan: what the article says will be done, and the year it names.",
    [
        PILLAR,
        YEAR,
        SINCE,
        UNTIL,
        *LISTING,
    ],
    rows="plan",
    columns=("year", "text", "pillar_name", "id"),
    mcp="list_plans",
    mcp_title="List the report's plans",
    mcp_help="Use for what is planned, or planned for a year. Returns what the article says will be done, with the year it names (null where it names none), its "
    "pillar, verbatim `quote` and paragraph `para`. Filter by pillar and year (year, since, until): a plan "
    "with no year is left out once a year filter is given.",
    epilog="""\
beibei plans --year 2023
beibei plans --pillar 民营经济 --format json""",
)

CASES = query(
    "cases",
    "The narrative cases: companies, projects and events the article tells as examples.",
    [PILLAR, SINCE, UNTIL, *LISTING],
    rows="case",
    columns=("date", "title", "pillar_name", "id"),
    mcp="list_cases",
    mcp_title="List the report's narrative cases",
    mcp_help="Use for concrete examples: a company, a project, what happened. Returns the examples the article tells (companies, projects, events), each with its dates, pillar, "
    "summary, the ids of its organisations, places and people, verbatim `quote` and paragraph `para`.",
    epilog="""\
beibei cases
beibei cases --pillar 生态人文
beibei cases --since 2022 -f json | jq -r '.[].title'""",
)

HONOURS = query(
    "honours",
    "Awards, titles and firsts the article claims.",
    [PILLAR, YEAR, SINCE, UNTIL, *LISTING],
    rows="honour",
    columns=("year", "title", "pillar_name", "id"),
    mcp="list_honours",
    mcp_title="List the report's honours and firsts",
    mcp_help="Use for awards, titles and firsts. Returns the awards, titles and records the article claims, with the year where the article gives one, "
    "pillar, verbatim `quote` and paragraph `para`.",
    epilog="""\
beibei honours
beibei honours --since 2022""",
)

SECTIONS = query(
    "sections",
    "The article's sections, with their headings and the paragraph each starts at.",
    [*LISTING],
    rows="section",
    columns=("id", "heading", "title", "para"),
    mcp="list_sections",
    mcp_title="List the article's sections",
    mcp_help="Use to see how the article is laid out. Returns its sections (lead, highlights, the four articles, the data list) with their headings; "
    "a section id filters list_metrics.",
    epilog="""\
beibei sections
beibei metrics --section results""",
)

CAPTIONS = query(
    "captions",
    "The photo captions of the article.",
    [*LISTING],
    rows="caption",
    columns=("title", "para", "id"),
    mcp="list_captions",
    mcp_title="List the article's photo captions",
    mcp_help="Use for the article's photos. Returns their captions, verbatim, with their English and paragraph.",
    epilog="beibei captions",
)

SOURCE = query(
    "source",
    "The article, with numbered paragraphs.",
    [
        param("para", "--para", type="int", min=1, metavar="N", help="Only paragraph N."),
        param("grep", "--grep", "-g", help="Only paragraphs containing this text."),
        *LISTING,
    ],
    rows="paragraph",
    columns=("n", "text"),
    epilog="""\
beibei source
beibei source --para 37
beibei source --grep 招商""",
)

SHOW = query(
    "show",
    "One record in full, with its quote and the paragraph it comes from.",
    [
        param(
            "id",
            nargs=-1,
            required=True,
            complete="ids",
            help="The records' ids (any kind: pillar, case, metric, event, para-N...); - reads them from stdin.",
        ),
        RECORD_FORMAT,
    ],
    epilog="""\
beibei show metric-forest-coverage
beibei show case-tenghai-land --format json
beibei search -l 招商 | xargs beibei show""",
)

INFO = query(
    "info",
    "What report is loaded: title, files, counts of each kind of record.",
    [RECORD_FORMAT],
    epilog="""\
beibei info
beibei info --format json""",
)

REPORTS = query(
    "reports",
    "The reports loaded (a shelf: --data FOLDER): key, title, date, records, and any that failed.",
    [*LISTING],
    rows="report",
    columns=("key", "title", "region", "date", "records", "drafts", "error"),
    mcp="list_reports",
    mcp_title="List the reports loaded",
    mcp_help="Use first on a shelf of reports, and whenever an answer may depend on which reports were read: "
    "returns each report's `key` (ids on a shelf are KEY:ID), title, region, date, records and drafts, and "
    "every report that failed to load with its `error` (those were not searched: say so if one of them may "
    "hold the answer).",
    epilog="""\
beibei --data reports/ reports
beibei --data a.yaml --data b.yaml reports --format json""",
)

SERIES = query(
    "series",
    "A figure across the reports: every figure whose name matches, one row per report, by report date.",
    [
        param(
            "query",
            nargs=-1,
            required=True,
            help="The figure's name (Chinese, pinyin or English, matched as search does).",
            schema={"type": "string", "description": "A figure's name, e.g. 研发经费投入强度."},
        ),
        *ACROSS_LISTING,
    ],
    rows="series",
    columns=("report", "date", "name", "figure", "status", "para"),
    mcp="figure_series",
    mcp_title="A figure across the reports",
    mcp_help="Use to follow one figure across the loaded reports (with one report: that figure). Returns every "
    "figure whose name matches the query (as search matches), with the report's key and date, the figure as "
    "written, value, unit, amount in base units, status, verbatim `quote` and paragraph `para`.",
    epilog="""\
beibei --data reports/ series 研发经费投入强度
beibei series yanfa --format json
beibei --data reports/ series 研发经费投入强度 -o rd.html""",
)

TREND = query(
    "trend",
    "Terms across the reports: occurrences per report and per 10,000 characters, by report date.",
    [
        param(
            "terms",
            nargs=-1,
            required=True,
            help="The terms to count (each as written; traditional characters read as simplified).",
            schema={"type": "array", "items": {"type": "string"}, "description": "Terms, e.g. [招商, 科技创新]."},
        ),
        *ACROSS_LISTING,
    ],
    rows="trend",
    columns=("report", "date", "term", "count", "per_10k", "paras"),
    mcp="term_trend",
    mcp_title="Terms across the reports",
    mcp_help="Use to see how often the reports use words (with one report: how often it does). Returns, for "
    "each report (in date order) and each term, its occurrences in the article's paragraphs, per 10,000 "
    "characters, and the paragraphs it occurs in.",
    epilog="""\
beibei --data reports/ trend 招商 科技创新
beibei trend 招商 --format json
beibei --data reports/ trend 招商 科技创新 -o trend.html""",
)

CITE = query(
    "cite",
    "A record's quote with its paragraph number and the report's title, ready to paste.",
    [
        param("id", nargs=-1, required=True, complete="ids", help="The records to cite; - reads ids from stdin."),
        param("format", "--format", "-f", choices=CITE_FORMATS, api=None, role="output", help="plain or md."),
    ],
    epilog="""\
beibei cite metric-rd-intensity
beibei cite case-tenghai-land --format md""",
)

EXPORT = query(
    "export",
    "The whole report as one Markdown document or one self-contained HTML page; the shelf as a SQLite database.",
    [
        param(
            "format",
            "--format",
            "-f",
            choices=EXPORT_FORMATS,
            api=None,
            role="output",
            help="md, html or sqlite (every listing as a table, searchable in datasette; needs -o or a redirect). "
            "Default: the one the -o file's extension names (.md .markdown .html .htm .db .sqlite .sqlite3), else md.",
        ),
        param(
            "output_path",
            "--output",
            "-o",
            type="path",
            metavar="FILE",
            api=None,
            role="output",
            help="Write to FILE instead of stdout ('-' is stdout). A regular file is replaced atomically, a "
            "symlink's target is written, a FIFO or device is written in place; a directory is refused.",
        ),
    ],
    epilog="""\
beibei export > report.md
beibei export -o report.html
beibei --data reports/ export -o shelf.db""",
)

VALIDATE = query(
    "validate",
    "Check a report file and print every problem, one per line.",
    [
        param("path", type="path", help="Report file to check (default: the loaded one)."),
        param("source", "--source", type="path", metavar="FILE", help="The article text to check quotes against."),
        param(
            "coverage",
            "--coverage",
            type="boolean",
            api=None,
            help="Also list every figure and date of the article that no record covers (exit 1 if any).",
        ),
        param(
            "format",
            "--format",
            "-f",
            choices=RECORD_FORMATS,
            api=None,
            role="output",
            help="plain (file:line:col: path: message) or json.",
        ),
    ],
    epilog="""\
beibei validate
beibei validate my-report.yaml --source article.txt
beibei validate my-report.yaml --format json
beibei validate --coverage draft.yaml""",
)

DRAFT = query(
    "draft",
    "Draft a report file from a plain-text Chinese article: every figure, date and name, marked draft.",
    [
        param("article", type="path", required=True, help="The article: a UTF-8 (or GB18030) text file."),
        param(
            "output_path",
            "--output",
            "-o",
            type="path",
            metavar="FILE",
            api=None,
            role="output",
            help="Write the report to FILE and the article's text beside it (FILE's name .source.txt); "
            "default: the YAML to stdout.",
        ),
    ],
    epilog="""\
beibei draft article.txt -o my-report.yaml
beibei validate my-report.yaml
beibei validate --coverage my-report.yaml
beibei --data my-report.yaml metrics""",
)

MCP = query(
    "mcp",
    "Serve the report to an AI assistant: a Model Context Protocol server on stdin/stdout.",
    [],
    epilog="""\
Needs the optional MCP SDK: pip install 'beibei[mcp]' (from a checkout:
pip install '.[mcp]'). Every tool's answer carries the verbatim quote and its
paragraph number. Set-up for Claude Desktop, Claude Code, VS Code and Cursor:
see the README.""",
)

CACHE_CLEAR = query("clear", "Remove the cached report and search index.", [], group="cache")

QUERIES = [
    PILLARS,
    METRICS,
    GOALS,
    PLANS,
    CASES,
    HONOURS,
    SHOW,
    INFO,
    REPORTS,
    SERIES,
    TREND,
    SEARCH,
    TIMELINE,
    ENTITIES,
    SECTIONS,
    CAPTIONS,
    SOURCE,
    CITE,
    EXPORT,
    VALIDATE,
    DRAFT,
    MCP,
    CACHE_CLEAR,
]
GROUPS = {"cache": "Manage the cache of the parsed report."}
HELP_OPTIONS = ("-h", "--help")


def commands() -> dict[str, Query]:
    """The top-level commands by name (a group's subcommands are not among them)."""
    return {q["name"]: q for q in QUERIES if q["group"] is None}


def by_name(name: str) -> Query:
    return next(q for q in QUERIES if q["name"] == name and q["group"] is None)


def api_params(q: Query) -> list[Param]:
    """The parameters the Python API takes for ``q`` (filters and the limit)."""
    return [p for p in q["params"] if p["api"] is not None and not p["eager"]]
