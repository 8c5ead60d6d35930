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
    return {
        "type": "object",
        "properties": {
            "count": {"type": "integer", "description": "how many results follow"},
            "results": {"type": "array", "items": item},
            "how_to_use": {"type": "string", "description": "how to quote these results"},
        },
        "required": ["count", "results", "how_to_use"],
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
                found = [_grounded(report, dict(h)) for h in found]
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
        if not (n.isascii() and n.isdigit() and len(n) <= 9 and 1 <= int(n) <= last):
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
    import anyio

    anyio.run(_serve_stdio, build_server(report))
    return 0


# -- the wire: every request gets an answer ------------------------------------------
#
# The SDK's stdio transport drops a line it cannot validate (invalid JSON, a lone
# surrogate, ``"params": "search"``, deep nesting) without answering it, stops with
# pending calls unanswered when stdin closes, and fails with an ExceptionGroup when
# the client stops reading. So the server reads and writes the wire itself: each
# line is checked first (and answered with a JSON-RPC error if it is refused), at
# end of input the calls already read are answered before the server stops, and a
# closed stdout ends the server quietly.

LINE_LIMIT = 1 << 20  # bytes in one message (a query is capped far lower, see api.py)
DEPTH_LIMIT = 32  # nesting of arrays and objects in one message
DRAIN_SECONDS = 30.0  # at end of input, how long the calls already read may take
PARSE_ERROR, INVALID_REQUEST, INVALID_PARAMS = -32700, -32600, -32602


def _error_line(ident: Any, code: int, message: str) -> str:
    return json.dumps({"jsonrpc": "2.0", "id": ident, "error": {"code": code, "message": message}})


def _refusal(obj: Any) -> tuple[int, str] | None:
    """Why a parsed message is refused (code, message), or None: nesting too deep, or a
    text that is not Unicode (a lone surrogate cannot be encoded, or answered)."""
    stack: list[tuple[Any, int, str]] = [(obj, 1, "")]
    while stack:
        value, depth, where = stack.pop()
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                bad = f"\\u{ord(value[exc.start]):04x}"
                return INVALID_PARAMS, f"{where or 'a text'} holds the lone surrogate {bad}: not Unicode text"
        elif isinstance(value, (list, dict)):
            if depth > DEPTH_LIMIT:
                return INVALID_REQUEST, f"nested deeper than {DEPTH_LIMIT} levels"
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str):
                    stack.append((key, depth, where))
                stack.append((item, depth + 1, f"{where}.{key}" if where else str(key)))
    return None


def _ident(obj: Any) -> Any:
    ident = obj.get("id") if isinstance(obj, dict) else None
    return ident if isinstance(ident, (str, int)) and not isinstance(ident, bool) else None


def check_line(raw: bytes) -> tuple[Any, str | None]:
    """A line from the client: (its message, None) if it may go to the SDK, or
    (None, the JSON-RPC error line that answers it)."""
    from mcp.types import jsonrpc_message_adapter

    if len(raw) > LINE_LIMIT:
        return None, _error_line(None, INVALID_REQUEST, f"a message may have at most {LINE_LIMIT} bytes")
    try:
        obj = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None, _error_line(None, PARSE_ERROR, "parse error: not one JSON-RPC message in UTF-8 JSON")
    ident = _ident(obj)
    refused = _refusal(obj)
    if refused is not None:
        return None, _error_line(ident, *refused)
    try:
        jsonrpc_message_adapter.validate_python(obj, by_name=False)
    except Exception:  # the SDK's own check of the shape, answered here instead of dropped
        return None, _error_line(
            ident, INVALID_REQUEST, "invalid request: not a JSON-RPC 2.0 request, notification or response"
        )
    return obj, None


class _Wire:
    """The stdin and stdout the SDK's stdio transport is given (``async for line in stdin``,
    ``await stdout.write(text)``, ``await stdout.flush()``)."""

    def __init__(self, stdin: Any, stdout: Any) -> None:
        import anyio

        self._in, self._out = stdin, stdout
        self._send, self._receive = anyio.create_memory_object_stream[Any](64)
        self._pending: set[Any] = set()
        self._answered = anyio.Event()
        self.closed = False

    # reading: a daemon thread, so that a read blocked on a silent client never keeps
    # the process alive once the server is done
    def start(self) -> None:
        import threading

        import anyio.lowlevel

        token = anyio.lowlevel.current_token()
        threading.Thread(target=self._read, args=(token,), daemon=True).start()

    def _read(self, token: Any) -> None:
        import time

        import anyio
        import anyio.from_thread

        while True:
            try:
                raw = self._in.readline(LINE_LIMIT + 1)
            except (OSError, ValueError):
                raw = b""
            if len(raw) > LINE_LIMIT and not raw.endswith(b"\n"):
                while (more := self._in.readline(LINE_LIMIT)) and not more.endswith(b"\n"):
                    pass  # the rest of a line too long to take: skipped, then answered
            while True:  # handed over without a task of the loop's, so none is left at shutdown
                try:
                    anyio.from_thread.run_sync(self._send.send_nowait, raw, token=token)
                    break
                except anyio.WouldBlock:
                    time.sleep(0.005)  # the server is busy: wait for room
                except BaseException:  # the server is gone
                    return
            if not raw:
                return

    def __aiter__(self) -> "_Wire":
        return self

    async def __anext__(self) -> str:
        import anyio

        while not self.closed:
            raw = await self._receive.receive()
            if not raw:  # end of input: answer what was asked, then stop
                with anyio.move_on_after(DRAIN_SECONDS):
                    while self._pending and not self.closed:
                        await self._answered.wait()
                        self._answered = anyio.Event()
                for ident in sorted(self._pending, key=str):
                    self._emit(_error_line(ident, -32000, "the server stopped: input closed before the answer"))
                break
            if not raw.strip():
                continue
            obj, refusal = check_line(raw.rstrip(b"\r\n"))
            if refusal is not None:
                self._emit(refusal)
                continue
            ident = _ident(obj)
            if ident is not None and "method" in obj:
                self._pending.add(ident)
            elif obj.get("method") == "notifications/cancelled" and isinstance(obj.get("params"), dict):
                self._pending.discard(obj["params"].get("requestId"))
            return json.dumps(obj)
        raise StopAsyncIteration

    def _emit(self, line: str) -> None:
        if self.closed:
            return
        try:
            self._out.write(line.encode("utf-8", "backslashreplace") + b"\n")
            self._out.flush()
        except (OSError, ValueError):  # the client stopped reading: stop quietly
            import anyio

            from beibei_cli.output import discard_stdout

            discard_stdout()  # the bytes left in stdout's buffer then flush into the null device
            self.closed = True
            try:
                self._send.send_nowait(b"")  # wakes the reader, which then stops
            except anyio.WouldBlock:
                pass  # the reader is busy with lines already read: it sees ``closed`` next

    async def write(self, text: str) -> None:
        try:
            ident = json.loads(text).get("id")
        except (ValueError, AttributeError):
            ident = None
        self._emit(text.rstrip("\n"))
        if ident in self._pending:
            self._pending.discard(ident)
            self._answered.set()

    async def flush(self) -> None:
        return None

    def close(self) -> None:
        """Close both ends of the hand-over stream (the reading thread then stops at its next line)."""
        self._send.close()
        self._receive.close()


async def _serve_stdio(server: "MCPServer") -> None:
    import sys

    from mcp.server.stdio import stdio_server

    wire = _Wire(sys.stdin.buffer, sys.stdout.buffer)
    wire.start()
    try:
        async with stdio_server(stdin=wire, stdout=wire) as (read_stream, write_stream):  # type: ignore[arg-type]
            lowlevel = server._lowlevel_server
            await lowlevel.run(read_stream, write_stream, lowlevel.create_initialization_options())
    finally:
        wire.close()
