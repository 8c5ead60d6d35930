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

import inspect
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from beibei_cli import declare
from beibei_cli import rows as rows
from beibei_cli.about import __version__
from beibei_cli.declare import api_params
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


ANSWER_NOTES = {
    "found": "The report states {q}: the results below hold the words asked (or an exact reading of them: "
    "traditional characters, pinyin, the report's Chinese for an English word). Quote them as they stand.",
    "related": "The report does not state {q}. The passages below only share words with the question (parts "
    "of it, or a similar-sounding pinyin); do not present them as the answer. Say that the report does not "
    "give it.",
    "not-stated": "The report does not mention {q}: no passage holds these words, their pinyin, traditional "
    "characters or English equivalents. Say that the report does not give it; do not answer from elsewhere "
    "as if it were the report's.",
}


def _search_answer(answer: str, query: Any) -> dict[str, str]:
    """What kind of answer a search is (found, related, not-stated), and a sentence for the model."""
    asked = " ".join(map(str, query)) if isinstance(query, list) else str(query or "")
    return {"answer": answer, "answer_note": ANSWER_NOTES[answer].format(q=f"“{asked}”")}


def _python_type(p: dict[str, Any]) -> Any:
    """The type the SDK's argument model checks for declared parameter ``p``."""
    if p["schema"] is not None:
        kinds = p["schema"].get("type") or [t.get("type") for t in p["schema"].get("anyOf", [])]
        kinds = [kinds] if isinstance(kinds, str) else kinds
        options = {"string": str, "number": float, "array": list[str], "null": type(None)}
        members = tuple(options[k] for k in kinds if k in options)
        return Union[members] if len(members) > 1 else members[0]  # noqa: UP007 - a runtime tuple
    if p["choices"]:
        base: Any = Literal[tuple(p["choices"])]
    else:
        base = {"int": int, "boolean": bool}.get(p["type"], str)
    return base | None if p["default"] is None and p["type"] != "boolean" else base


def _tool_params(q: dict[str, Any]) -> list[inspect.Parameter]:
    """The MCP tool's parameters: the query's declared API parameters that MCP has, described."""
    from pydantic import Field

    out = []
    for p in api_params(q):
        if not p["mcp"]:
            continue
        default = q["mcp_limit"] if p["role"] == "limit" and q["mcp_limit"] is not None else p["default"]
        limit = p["role"] == "limit"  # an assistant asks for at least one result, at most 200
        field = Field(description=p["help"], ge=1 if limit else p["min"], le=200 if limit else None)
        annotation: Any = Annotated[_python_type(p), field]
        kind = inspect.Parameter.KEYWORD_ONLY
        out.append(
            inspect.Parameter(
                p["api"], kind, annotation=annotation, default=default if not p["required"] else inspect.Parameter.empty
            )
        )
    return out


def answer_schema(kind: str, *, grounded: bool = False) -> dict[str, Any]:
    """The JSON Schema of a listing tool's answer: its rows are those of the row contract (rows.py)."""
    item = rows.json_schema(kind)
    if grounded:  # search hits carry their record's quote and paragraph, not the offsets
        item["properties"].pop("matches", None)
        item["properties"]["quote"] = {"type": ["string", "null"], "description": "the verbatim words of the article"}
        item["properties"]["para"] = {"type": ["integer", "null"], "description": "the paragraph they are in"}
        item["required"] = list(item["properties"])
    search = {
        "answer": {
            "type": "string",
            "enum": list(ANSWER_NOTES),
            "description": "found: the report states what was asked; related: the results only share words with "
            "it and are not an answer; not-stated: the report does not mention it",
        },
        "answer_note": {"type": "string", "description": "what the answer kind means for this question, for you"},
    }
    return {
        "type": "object",
        "properties": {
            "count": {"type": "integer", "description": "how many results follow"},
            "results": {"type": "array", "items": item},
            "how_to_use": {"type": "string", "description": "how to quote these results"},
            **(search if grounded else {}),
        },
        "required": ["count", "results", "how_to_use", *(search if grounded else ())],
    }


def _result(answer: dict[str, Any]) -> Any:
    from mcp.types import CallToolResult, TextContent

    text = json.dumps(answer, ensure_ascii=False, indent=2)
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=answer)


def _listing_tool(server: "MCPServer", report: "Report", q: dict[str, Any]) -> None:
    """The declared listing ``q`` as an MCP tool: its parameters, rows and schemas from the declarations."""
    from mcp.types import CallToolResult, ToolAnnotations

    name = q["name"]
    grounded = name == "search"

    def tool(**arguments: Any) -> CallToolResult:
        with _tool_errors():
            found = report._rows(name, arguments)
            if grounded:
                from beibei_cli.search.query import answer_of

                answer = answer_of(found)  # ranked exact first: the first hits tell
                found = [_grounded(report, dict(h)) for h in found]
                return _result(_answer(found) | _search_answer(answer, arguments.get("query")))  # type: ignore[no-any-return]
            return _result(_answer(found))  # type: ignore[no-any-return]

    params = _tool_params(q)
    tool.__signature__ = inspect.Signature(params, return_annotation=CallToolResult)  # type: ignore[attr-defined]
    tool.__annotations__ = {p.name: p.annotation for p in params} | {"return": CallToolResult}
    tool.__name__ = q["mcp"]
    server.add_tool(
        tool,
        name=q["mcp"],
        title=q["mcp_title"],
        description=f"{q['mcp_help']} {QUOTE_RULE}",
        annotations=ToolAnnotations(
            title=q["mcp_title"],
            read_only_hint=True,
            idempotent_hint=True,
            open_world_hint=False,
            destructive_hint=False,
        ),
    )
    registered = server._tool_manager.get_tool(q["mcp"])  # the SDK's own record of the tool
    assert registered is not None
    registered.fn_metadata.output_schema = answer_schema(q["rows"], grounded=grounded)


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
    for q in declare.QUERIES:
        if q["mcp"]:
            _listing_tool(server, report, q)

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
        return str(report.source(para=int(n))[0]["text"])

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
