"""``beibei mcp``: the report as a Model Context Protocol server over stdio.

An AI assistant gets the report's facts with their provenance: every result
carries the verbatim ``quote`` from the article and its paragraph number
``para``, and the tool descriptions ask the assistant to quote them.

The tools are thin wrappers of the Python API (``beibei_cli.api``), which is a
thin typed layer over the query functions the command line uses: an answer
here holds the same rows as ``beibei … --format json`` (search hits add
``quote`` and ``para`` and leave out the character offsets ``matches``). Bad arguments come back as a tool error
(``isError``); the server keeps running.

Only this module imports the MCP SDK (``pip install 'beibei[mcp]'``), and only
when ``serve`` runs. (No ``from __future__ import annotations`` here: the SDK
reads the tools' annotations, which name types local to ``build_server``.)
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from beibei_cli import __version__, models
from beibei_cli.errors import BeibeiError, UsageError

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

    from beibei_cli.api import Report

INSTALL = "pip install 'beibei[mcp]' (from a checkout: pip install '.[mcp]')"

QUOTE_RULE = (
    "Every result carries `quote`, the verbatim words of the article, and `para`, the number of the "
    "paragraph they come from. When you state a fact from this report, quote `quote` verbatim in "
    "quotation marks and cite the paragraph (e.g. ¶52); do not paraphrase figures or round them."
)

INSTRUCTIONS = (
    "Facts from one policy report, 聚焦“两大定位” 做好“四篇文章” 全力以赴建设社会主义现代化美丽北碚 "
    "(Beibei district, Chongqing). Use `search` to find records and paragraphs, `get_record` for one "
    "in full, `list_metrics` for figures, `cite` for a ready-made citation. " + QUOTE_RULE
)

# The choices come from the schema (models), as the command line's do; the SDK
# turns each Literal into an enum in the tool's input schema.
if TYPE_CHECKING:
    Kind: TypeAlias = str
    Sort: TypeAlias = str
    EntityType: TypeAlias = str
    MetricKind: TypeAlias = str
else:
    Kind = Literal[models.KIND_ORDER[:-1] + ("section", "paragraph")]
    Sort = Literal[models.METRIC_SORTS]
    EntityType = Literal[models.ENTITY_TYPES]
    MetricKind = Literal[models.METRIC_KINDS]


@contextmanager
def _tool_errors() -> Iterator[None]:
    """A user's mistake (unknown id, empty query...) becomes a tool error the assistant can read."""
    from mcp.server.mcpserver.exceptions import ToolError

    try:
        yield
    except BeibeiError as exc:
        raise ToolError(exc.message) from None


def _grounded(report: "Report", hit: dict[str, Any]) -> dict[str, Any]:
    """A search hit with the verbatim quote and the paragraph number of its record."""
    rec: dict[str, Any] = dict(report.get(hit["id"]))
    out = {k: v for k, v in hit.items() if k != "matches"}  # character offsets mean little to a model
    if rec.get("record") == "paragraph":
        out["quote"], out["para"] = rec["text"], rec["n"]
    else:
        # a section has no quote of its own: its heading's paragraph stands for it
        out["quote"] = rec.get("quote") or rec.get("paragraph")
        out["para"] = rec.get("para")
    return out


def _answer(rows: list[Any]) -> dict[str, Any]:
    return {"count": len(rows), "results": rows, "how_to_use": QUOTE_RULE}


def build_server(report: "Report") -> "MCPServer":
    """The server, its tools and resources bound to ``report`` (a loaded ``beibei_cli.Report``)."""
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ResourceNotFoundError
    from pydantic import Field

    server: MCPServer = MCPServer(
        "beibei",
        title="Beibei district report (北碚)",
        instructions=INSTRUCTIONS,
        version=__version__,
        log_level="WARNING",
    )
    Limit = Annotated[int, Field(ge=1, le=200, description="At most this many results.")]

    @server.tool(
        description="Full-text search of the report: cases, plans, goals, figures, events, names and the "
        "article's paragraphs. Chinese, traditional characters or pinyin (zhaoshang, zs). All words must match "
        "unless any_term. When a word has no exact match, looser matches follow (parts of a compound, partial, "
        "fuzzy pinyin), each hit labelled by `match`; exact=true turns that off. Hits are ranked; each has id, "
        "kind, title, snippet, match, and the record's verbatim `quote` and paragraph number `para`. " + QUOTE_RULE
    )
    def search(
        query: Annotated[str, Field(description="Words to find, e.g. 招商 or 老旧小区 2022.")],
        kinds: Annotated[list[Kind] | None, Field(description="Only these kinds of record.")] = None,
        any_term: Annotated[bool, Field(description="Match any word instead of all.")] = False,
        regex: Annotated[bool, Field(description="Treat the query as a regular expression.")] = False,
        exact: Annotated[bool, Field(description="Exact matches only: no looser fallback.")] = False,
        limit: Limit = 10,
    ) -> dict[str, Any]:
        with _tool_errors():
            hits = report.search(query, kinds=kinds, any_term=any_term, regex=regex, limit=limit, exact=exact)
            return _answer([_grounded(report, dict(h)) for h in hits])

    @server.tool(
        description="One record in full by its id (from search or a listing; paragraphs are para-N): all its "
        "fields, its verbatim `quote`, the paragraph number `para` and the whole `paragraph` text. " + QUOTE_RULE
    )
    def get_record(
        id: Annotated[str, Field(description="A record id, e.g. metric-rd-intensity or para-31.")],
    ) -> dict[str, Any]:
        with _tool_errors():
            return dict(report.get(id))

    @server.tool(
        description="The report's figures (metrics): name, value, unit, the figure as written (`text`), pillar, "
        "verbatim `quote` and paragraph `para`. Filter by pillar (id or name, e.g. 科技创新 or tech-innovation) "
        "or section (results, narrative), by kind (money, count, share, …) and, within one kind, by `amount` "
        "(base units: 元, 户, …) with min/max; sort by report order, value (grouped by kind), name or pillar. "
        "Each figure has `kind`, `status` (stated, forecast, target) and the `qualifier` as written. " + QUOTE_RULE
    )
    def list_metrics(
        pillar: Annotated[str | None, Field(description="Only this pillar: id, name or unique prefix.")] = None,
        section: Annotated[str | None, Field(description="results (数说成效), narrative, or a section id.")] = None,
        kind: Annotated[MetricKind | None, Field(description="Only this kind of figure.")] = None,
        min: Annotated[  # noqa: A002 - the name the assistant sees
            str | None, Field(description="Only amounts of at least this (1e8, 1亿, 2000万元); needs kind.")
        ] = None,
        max: Annotated[  # noqa: A002
            str | None, Field(description="Only amounts of at most this; needs kind.")
        ] = None,
        sort: Sort = "report",
        reverse: bool = False,
        limit: Limit | None = None,
    ) -> dict[str, Any]:
        with _tool_errors():
            rows = report.metrics(
                pillar=pillar,
                section=section,
                kind=kind,
                min=min,
                max=max,
                sort=sort,
                reverse=reverse,
                limit=limit,
            )
            return _answer(list(rows))

    @server.tool(
        description="The report's structure: its two positionings (两大定位) and four articles (四篇文章), each "
        "with summary, verbatim `quote` and paragraph `para`; detail=true adds their goals, plans, cases and "
        "figures, each with its quote and para. " + QUOTE_RULE
    )
    def list_pillars(detail: bool = False) -> dict[str, Any]:
        with _tool_errors():
            return _answer(list(report.pillars(detail=detail)))

    @server.tool(
        description="Dated events in date order (date precision year, month or day; `inferred` marks a date the "
        "article only implies), each with verbatim `quote` and paragraph `para`. " + QUOTE_RULE
    )
    def timeline(
        since: Annotated[str | None, Field(description="From this date: 2022, 2022-04 or 2022-04-01.")] = None,
        until: Annotated[str | None, Field(description="Up to this date, inclusive.")] = None,
    ) -> dict[str, Any]:
        with _tool_errors():
            return _answer(list(report.timeline(since=since, until=until)))

    @server.tool(
        description="Organisations, companies, people, places and projects the article names, with the ids of "
        "the records that mention them, verbatim `quote` and paragraph `para`. " + QUOTE_RULE
    )
    def list_entities(type: EntityType | None = None) -> dict[str, Any]:
        with _tool_errors():
            return _answer(list(report.entities(type=type)))

    @server.tool(
        description="A ready-to-paste citation of one record: its verbatim quote, the report's title and the "
        "paragraph number. Use it as given when you quote the report."
    )
    def cite(
        id: Annotated[str, Field(description="A record id, e.g. metric-rd-intensity or para-31.")],
        format: Literal["plain", "md"] = "plain",
    ) -> dict[str, Any]:
        with _tool_errors():
            citation = report.cite(id, format=format)
            grounded = _grounded(report, {"id": id.strip()})
            return {"id": grounded["id"], "citation": citation, "quote": grounded["quote"], "para": grounded["para"]}

    @server.resource(
        "beibei://report",
        name="report",
        description="What report is loaded: title, region, date, files, versions, counts of each kind of record.",
        mime_type="application/json",
    )
    def report_info() -> str:
        return json.dumps(report.info(), ensure_ascii=False, indent=2)

    @server.resource(
        "beibei://article",
        name="article",
        description="The whole article, one numbered paragraph per line (N<TAB>text).",
        mime_type="text/plain",
    )
    def article() -> str:
        return "".join(f"{p['n']}\t{p['text']}\n" for p in report.source())

    @server.resource(
        "beibei://paragraph/{n}",
        name="paragraph",
        description="Paragraph N of the article, verbatim (N from 1; records give it as `para`).",
        mime_type="text/plain",
    )
    def paragraph(n: str) -> str:
        last = report.info()["counts"]["paragraph"]
        if not (n.isascii() and n.isdigit() and 1 <= int(n) <= last):
            raise ResourceNotFoundError(f"no paragraph {n!r}: the article has paragraphs 1 to {last}")
        return report.source(para=int(n))[0]["text"]

    return server


def serve(*, data: str | None = None, lang: str = "zh", use_cache: bool = True) -> int:
    """Load the report, then answer MCP requests on stdin/stdout until stdin closes."""
    try:
        import mcp.server.mcpserver  # noqa: F401
    except ImportError:
        raise UsageError(f"'beibei mcp' needs the MCP SDK, an optional extra: {INSTALL}") from None
    from beibei_cli import api

    report = api.load(data, lang=lang, cache=use_cache)  # a bad --data fails here, before serving
    build_server(report).run("stdio")
    return 0
