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

# No answer of a tool is longer than this many characters of JSON text (about 3,000 tokens of
# Chinese), whatever the arguments: a listing stops there and says where to go on (``next``).
ANSWER_CHARS = 8000
MAX_LIMIT = 200  # results an assistant may ask for in one answer
NOT_STATED = "the report does not state it"

QUOTE_RULE = (
    "Every result carries `quote`, the verbatim words of the article, and `para`, the number of the "
    "paragraph they come from. When you state a fact from this report, quote `quote` verbatim in "
    "quotation marks and cite the paragraph (e.g. ¶52); do not paraphrase figures or round them."
)
PAGING = (
    "Answers are paged: at most `limit` results and about 8,000 characters each; `total` counts all the "
    "results and `next`, when it is not null, is the `offset` to pass for the next page."
)

INSTRUCTIONS = (
    "Facts from one policy report, 聚焦“两大定位” 做好“四篇文章” 全力以赴建设社会主义现代化美丽北碚 "
    "(Beibei district, Chongqing). Use `search` to find records and paragraphs, `get_record` for one "
    "in full, `list_metrics` for figures, `cite` for a ready-made citation. " + QUOTE_RULE + " A search "
    "answer's `status` says whether the report has the words asked (found), only passages that share some "
    f"of them (related) or nothing (not-stated). When the tools find nothing that answers a question, say "
    f"that {NOT_STATED}; do not answer from elsewhere."
)

# Parameters whose command-line help speaks of printing, in the words of a tool (the rest keep
# the declared help). Keyed by name, or by (query, name) for one query's parameter.
PARAM_HELP: dict[Any, str] = {
    "limit": f"At most this many results in this answer (1 to {MAX_LIMIT}); an answer also stops at about "
    "8,000 characters, and `next` then gives the offset of the rest.",
    "offset": "Skip this many results: pass the previous answer's `next` to get the next page (0: from the start).",
    ("pillars", "detail"): "With no `pillar`: each pillar's counts of goals, plans, cases and figures. With a "
    "`pillar`: that pillar's goals, plans, cases and figures, each as id, text or title and para (list_goals, "
    "list_plans, list_cases and list_metrics with the same `pillar` give them in full).",
    ("pillars", "pillar"): "Only this pillar: its id or name (e.g. 科技创新 or tech-innovation), or general (the "
    "report as a whole); with detail=true the ids and titles of its goals, plans, cases and figures.",
}

# A search answer's status, at the top level, and the sentence that tells a model what it may do with it.
FOUND, RELATED, ABSENT = "found", "related", "not-stated"


def search_status(query: Any, hits: list[dict[str, Any]], unstated: list[str] | None = None) -> tuple[str, str]:
    """(status, sentence) of a search answer: the CLI's answer kind (``search.query.answer_of``:
    found when a hit matched the words as asked or an exact reading of them, related when only the
    looser tiers matched, not-stated when nothing did) and what it means, for the model. With
    ``any_term``, ``unstated`` are the words the report does not state: the sentence names them."""
    from beibei_cli.search.query import answer_of, parse_terms, question_words

    asked = " ".join(map(str, query)) if isinstance(query, list) else str(query or "").strip()
    status = answer_of(hits)
    typed = [str(q) for q in query] if isinstance(query, list) else [asked]
    set_aside = question_words(typed)
    if status == FOUND and set_aside and not unstated:
        # a question: the words are there; whether the passages answer it (a count, a date) is not known
        words = ", ".join(f"“{t}”" for t in parse_terms(typed))
        return status, ANSWER_NOTES["question"].format(q=words, aside="、".join(set_aside))
    if status == FOUND and unstated:
        stated = [w for w in asked.split() if w not in unstated]
        return status, ANSWER_NOTES["partly"].format(
            q=", ".join(f"“{w}”" for w in stated) or f"“{asked}”", missing=", ".join(f"“{w}”" for w in unstated)
        )
    return status, ANSWER_NOTES[status].format(q=f"“{asked}”")


ID_HELP = "A record id from search or a listing, e.g. metric-rd-intensity, case-tenghai-land or para-31."


def _flag_names() -> dict[str, str]:
    """Each declared command-line flag (``--min``) and the tool argument it is (``min``)."""
    out: dict[str, str] = {}
    for q in declare.QUERIES:
        for p in q["params"]:
            if p["api"] is not None:
                for opt in p["opts"]:
                    if opt.startswith("--"):
                        out.setdefault(opt, p["api"])
    return out


def for_model(message: str) -> str:
    """A query layer's one-line error in the words of the tools: the argument for a command-line flag
    (``--since`` is `since`), the tool for a shell command (``'beibei search -l WORD'`` is the
    `search` tool). The query layer speaks to the command line, the one place words are made for it;
    this is the one place they are made for a model."""
    import re

    tools = {q["name"]: q["mcp"] for q in declare.QUERIES if q["mcp"]} | {"show": "get_record", "cite": "cite"}
    flags = _flag_names()

    def command(m: re.Match[str]) -> str:
        return f"the `{tools.get(m.group(1), 'search')}` tool"

    def flag(m: re.Match[str]) -> str:
        return f"`{flags.get(m.group(0), m.group(0).lstrip('-'))}`"

    message = re.sub(r"'beibei (\w+)[^']*'", command, message)
    message = re.sub(r"(?<![\w-])--[a-z][a-z-]*", flag, message)
    message = re.sub(r"\b(\w+)\(\): ", lambda m: f"{tools.get(m.group(1), m.group(1))}: ", message)
    return message.rstrip("\n")


@contextmanager
def _tool_errors() -> Iterator[None]:
    """A user's mistake (unknown id, empty query...) becomes a tool error the assistant can read."""
    from mcp.server.mcpserver.exceptions import ToolError

    try:
        yield
    except BeibeiError as exc:
        raise ToolError(for_model(exc.message)) from None


def _validation_message(tool: str, exc: Any) -> str:
    """Pydantic's report on a tool's arguments, one line, naming each argument and what it takes."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(x) for x in err["loc"]) or "arguments"
        if err["type"] == "missing":
            parts.append(f"argument `{where}` is required")
        else:
            parts.append(f"argument `{where}`: {err['msg']}, got {err.get('input')!r}")
    return f"{tool}: " + "; ".join(parts) + " (tools/list gives each argument's schema)"


def _grounded(report: "Report", hit: dict[str, Any]) -> dict[str, Any]:
    """A search hit with the verbatim quote and the paragraph number of its record (read from the
    record itself: ``get_record``'s whole record, with a paragraph's every quoting record, costs
    more than the search)."""
    from beibei_cli.queries import find_record, kind_of
    from beibei_cli.shelf import Shelf

    loaded, rid = report._report, hit["id"]
    if isinstance(loaded, Shelf):  # KEY:ID: the record of that report
        _, loaded, rid = loaded.resolve(rid)
    rec = find_record(loaded, rid)
    out = {k: v for k, v in hit.items() if k != "matches"}  # character offsets mean little to a model
    if kind_of(rec) == "paragraph":
        out["quote"], out["para"] = rec["text"], rec["n"]
    else:
        # a section has no quote of its own: its heading's paragraph stands for it
        para = rec.get("para")
        out["quote"] = rec.get("quote") or (loaded.paragraphs[para - 1]["text"] if para else None)
        out["para"] = para
    return out


def _text(answer: dict[str, Any]) -> str:
    return json.dumps(answer, ensure_ascii=False)


def _page(window: list[Any], total: int, offset: int, head: dict[str, Any] | None = None) -> dict[str, Any]:
    """One page of a listing: from ``window`` (the rows from ``offset``), as many as fit in
    ANSWER_CHARS characters (at least one), with the offset of the next page; ``head`` (a search's
    status) comes first."""
    answer: dict[str, Any] = {
        **(head or {}),
        "count": total,  # the widest numbers the page can hold, so that the room is never overstated
        "total": total,
        "offset": offset,
        "next": total,
        "results": [],
        "how_to_use": QUOTE_RULE,
    }
    room = ANSWER_CHARS - len(_text(answer))
    kept: list[Any] = []
    for row in window:
        room -= len(_text(row)) + (2 if kept else 0)  # ", " between results
        if room < 0 and kept:
            break
        kept.append(row)
    end = offset + len(kept)
    answer.update(count=len(kept), results=kept, next=end if end < total else None)
    return answer


def _counts(row: dict[str, Any]) -> dict[str, Any]:
    """A pillar's detail row, compact: who it is and how many goals, plans, cases and figures it has."""
    counted = {k: len(row[k]) for k in ("goals", "plans", "cases", "metrics")}
    shelved = {"report": row["report"]} if "report" in row else {}  # a shelf's rows name their report
    return shelved | {f: counted[f] if f in counted else row.get(f) for f in rows.names("pillar-counts")}


BRIEF = ("id", "record", "title", "name", "text", "date", "para")


def _brief_lists(record: dict[str, Any]) -> dict[str, Any]:
    """A record with each list of related records cut to their id, title and paragraph: a pillar
    names some sixty records, each one ``get_record`` away."""
    out = {}
    for key, value in record.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) and "id" in v for v in value):
            value = [{k: v[k] for k in BRIEF if k in v} for v in value]
        out[key] = value
    return out


def _tool_params(q: dict[str, Any]) -> list[inspect.Parameter]:
    """The MCP tool's parameters: the query's declared API parameters that MCP has, described,
    and ``offset`` (every listing is paged)."""
    from pydantic import Field

    out = []
    kind = inspect.Parameter.KEYWORD_ONLY
    for p in api_params(q):
        if not p["mcp"]:
            continue
        default = q["mcp_limit"] if p["role"] == "limit" and q["mcp_limit"] is not None else p["default"]
        limit = p["role"] == "limit"  # an assistant asks for at least one result, at most MAX_LIMIT
        described = PARAM_HELP.get((q["name"], p["api"])) or PARAM_HELP.get(p["api"]) or p["help"]
        field = Field(description=described, ge=1 if limit else p["min"], le=MAX_LIMIT if limit else None)
        annotation: Any = Annotated[_python_type(p), field]
        out.append(
            inspect.Parameter(
                p["api"], kind, annotation=annotation, default=default if not p["required"] else inspect.Parameter.empty
            )
        )
    offset: Any = Annotated[int, Field(description=PARAM_HELP["offset"], ge=0)]
    out.append(inspect.Parameter("offset", kind, annotation=offset, default=0))
    return out


ANSWER_NOTES = {
    "found": "The report states {q}: the results below hold the words asked (or an exact reading of them: "
    "traditional characters, pinyin, the report's Chinese for an English word). Quote them as they stand.",
    "related": "The report does not state {q}. The passages below only share words with the question (parts "
    "of it, or a similar-sounding pinyin); do not present them as the answer. Say that the report does not "
    "give it.",
    "question": "The report holds the words {q} of the question (its question words, {aside}, are in no "
    "passage and were set aside); the results below contain them. State only what they say, quoted: if they "
    "do not answer the question itself (the count, figure or date it asks for), say that the report does not "
    "state it.",
    "partly": "The report states {q} (the results below), but it does not state {missing}: no passage "
    "holds those words as asked. Say that the report does not state {missing}; do not read the results as "
    "being about them.",
    "not-stated": "The report does not mention {q}: no passage holds these words, their pinyin, traditional "
    "characters or English equivalents. Tell the user that " + NOT_STATED + "; do not answer from elsewhere "
    "as if it were the report's.",
}


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


# The row kinds a listing's results may be, where it has more than its declared one.
RESULT_KINDS = {"pillars": ("pillar", "pillar-detail", "pillar-counts")}


REPORT_FIELD = {"type": "string", "description": "the key of the report the row is of (a shelf of reports)"}


def answer_schema(
    kind: str, *, grounded: bool = False, query: str | None = None, shelf: bool = False
) -> dict[str, Any]:
    """The JSON Schema of a listing tool's answer: its rows are those of the row contract (rows.py);
    on a ``shelf``, each row also names its report (``report``, first)."""
    item = rows.json_schema(kind)
    if shelf and kind != "report" and "report" not in item["properties"]:  # reports rows have their key
        item["properties"] = {"report": REPORT_FIELD, **item["properties"]}
        item["required"] = ["report", *item.get("required", [])]
    if grounded:  # search hits carry their record's quote and paragraph, not the offsets
        item["properties"].pop("matches", None)
        item["properties"]["quote"] = {"type": ["string", "null"], "description": "the verbatim words of the article"}
        item["properties"]["para"] = {"type": ["integer", "null"], "description": "the paragraph they are in"}
        item["required"] = list(item["properties"])
    item["additionalProperties"] = False  # a field the row contract does not list is an error
    if query in RESULT_KINDS:
        item = {"anyOf": [answer_schema(k, shelf=shelf)["properties"]["results"]["items"] for k in RESULT_KINDS[query]]}
    head: dict[str, Any] = {}
    if grounded:
        head = {
            "status": {
                "type": "string",
                "enum": [FOUND, RELATED, ABSENT],
                "description": "found: passages with the words as asked; related: only looser matches "
                "(not an answer); not-stated: nothing matches",
            },
            "answer": {"type": "string", "description": "what the status means for the answer, for the model"},
        }
    return {
        "type": "object",
        "properties": {
            **head,
            "count": {"type": "integer", "description": "how many results this answer holds"},
            "total": {"type": "integer", "description": "how many results there are in all pages"},
            "offset": {"type": "integer", "description": "the offset of this answer's first result"},
            "next": {
                "type": ["integer", "null"],
                "description": "the offset to pass for the next page; null: this is the last page",
            },
            "results": {"type": "array", "items": item},
            "how_to_use": {"type": "string", "description": "how to quote these results"},
        },
        "required": [*head, "count", "total", "offset", "next", "results", "how_to_use"],
    }


RECORD_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "A record's fields (as `beibei show ID --format json`); related records as id, title and para",
    "properties": {
        "id": {"type": "string", "description": "the record's id"},
        "record": {
            "type": "string",
            "description": "its kind: pillar, case, goal, plan, metric, honour, event, entity, caption, section, "
            "paragraph",
        },
        "quote": {"type": ["string", "null"], "description": "the verbatim words of the article it comes from"},
        "para": {"type": ["integer", "null"], "description": "the paragraph the quote is in"},
        "paragraph": {"type": "string", "description": "that paragraph, verbatim"},
    },
    "required": ["id", "record"],
    "additionalProperties": True,
}

CITE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "description": "the record cited"},
        "citation": {"type": "string", "description": "the quote, the report's title and the paragraph, to paste"},
        "quote": {"type": ["string", "null"], "description": "the verbatim words of the article"},
        "para": {"type": ["integer", "null"], "description": "the paragraph they are in"},
    },
    "required": ["id", "citation", "quote", "para"],
}


def _result(answer: dict[str, Any]) -> Any:
    from mcp.types import CallToolResult, TextContent

    return CallToolResult(content=[TextContent(type="text", text=_text(answer))], structured_content=answer)


def _annotations(title: str) -> Any:
    """Every tool only reads the loaded report: no approval needed, the same answer twice, no network."""
    from mcp.types import ToolAnnotations

    return ToolAnnotations(
        title=title, read_only_hint=True, idempotent_hint=True, open_world_hint=False, destructive_hint=False
    )


def _listing_tool(server: "MCPServer", report: "Report", q: dict[str, Any]) -> None:
    """The declared listing ``q`` as an MCP tool: its parameters, rows and schemas from the declarations."""
    from mcp.types import CallToolResult

    name = q["name"]
    grounded = name == "search"

    async def tool(**arguments: Any) -> CallToolResult:
        with _tool_errors():
            offset = arguments.pop("offset", 0)
            limit = arguments.pop("limit", None) or MAX_LIMIT
            found = report._rows(name, arguments)
            window = found[offset : offset + limit]
            head = None
            if grounded:
                window = [_grounded(report, dict(h)) for h in window]
                unstated: list[str] = []
                if arguments.get("any_term"):
                    unstated = report._unstated(arguments)
                status, sentence = search_status(arguments.get("query"), found, unstated)
                if report.failed:  # an unread report is not a report that is silent
                    files = ", ".join(f["file"] for f in report.failed[:5])
                    sentence += (
                        f" {len(report.failed)} report file(s) of the shelf could not be read ({files}): their "
                        "text was not searched; say so if the answer may be in them (list_reports gives the errors)."
                    )
                head = {"status": status, "answer": sentence}
            if name == "pillars" and arguments.get("detail"):
                # all of it is some 60,000 characters: counts, and by pillar the ids and titles
                window = [_counts(r) if arguments.get("pillar") is None else _brief_lists(r) for r in window]
            return _result(_page(window, len(found), offset, head))  # type: ignore[no-any-return]

    params = _tool_params(q)
    tool.__signature__ = inspect.Signature(params, return_annotation=CallToolResult)  # type: ignore[attr-defined]
    tool.__annotations__ = {p.name: p.annotation for p in params} | {"return": CallToolResult}
    tool.__name__ = q["mcp"]
    server.add_tool(
        tool,
        name=q["mcp"],
        title=q["mcp_title"],
        # the rule on quotes where the rows carry them (term_trend and list_reports rows do not)
        description=f"{q['mcp_help']} {PAGING}" + (f" {QUOTE_RULE}" if _quoted(q["rows"]) else ""),
        annotations=_annotations(q["mcp_title"]),
    )
    schema = answer_schema(q["rows"], grounded=grounded, query=name, shelf=report.is_shelf)
    _set_output_schema(server, q["mcp"], schema)


def _quoted(kind: str) -> bool:
    """Whether rows of ``kind`` carry a verbatim ``quote`` (or a search hit's, added by _grounded)."""
    return kind == "hit" or "quote" in rows.names(kind)


def portable(schema: Any) -> Any:
    """``schema`` with each nullable ``"type": [T, "null"]`` written as ``anyOf`` of single types, the
    form clients that map tool schemas onto a one-type dialect (Gemini's OpenAPI subset) can read."""
    if isinstance(schema, list):
        return [portable(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: portable(v) for k, v in schema.items()}
    kinds = out.get("type")
    if isinstance(kinds, list):
        branch = {k: out.pop(k) for k in ("type", "items") if k in out}
        out["anyOf"] = [{**branch, "type": k} if k != "null" else {"type": "null"} for k in kinds]
        for b in out["anyOf"]:
            if b["type"] != "array":
                b.pop("items", None)
    return out


def _set_output_schema(server: "MCPServer", name: str, schema: dict[str, Any]) -> None:
    registered = server._tool_manager.get_tool(name)  # the SDK's own record of the tool
    assert registered is not None
    registered.fn_metadata.output_schema = registered.output_schema = portable(schema)


def _server_class() -> Any:
    """The SDK's server, with errors of a call (an unknown tool or argument, a wrong type) in one line
    that names what to use instead."""
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
    from mcp.shared.exceptions import MCPError
    from mcp.types import INVALID_PARAMS
    from pydantic import ValidationError

    class Server(MCPServer):
        async def call_tool(self, name: str, arguments: dict[str, Any], context: Any = None) -> Any:
            tool = self._tool_manager.get_tool(name)
            if tool is None:
                known = ", ".join(t.name for t in self._tool_manager.list_tools())
                raise ToolError(f"unknown tool {name!r}; the tools are {known} (tools/list describes them)")
            takes = list(tool.parameters.get("properties", {}))
            unknown = [k for k in arguments if k not in takes]
            if unknown:
                raise ToolError(
                    f"{name}: unknown argument {unknown[0]!r}; it takes {', '.join(takes) or 'no arguments'}"
                )
            try:
                return await super().call_tool(name, arguments, context)
            except UnexpectedToolError:
                raise
            except ToolError as exc:
                cause = exc.__cause__
                if isinstance(cause, ValidationError):
                    raise ToolError(_validation_message(name, cause)) from None
                if isinstance(cause, ToolError):  # ours, from _tool_errors: already in a model's words
                    raise ToolError(f"{name}: {cause}") from None
                raise

        async def get_prompt(self, name: str, arguments: dict[str, Any] | None = None, context: Any = None) -> Any:
            # the SDK answers a missing argument with "Internal server error": say which, as invalid params
            prompts = {p.name: p for p in self._prompt_manager.list_prompts()}
            if name not in prompts:
                raise MCPError(INVALID_PARAMS, f"unknown prompt {name!r}; the prompts are {', '.join(prompts)}")
            takes = [a.name for a in prompts[name].arguments or []]
            missing = [
                a.name for a in prompts[name].arguments or [] if a.required and not (arguments or {}).get(a.name)
            ]
            unknown = [k for k in arguments or {} if k not in takes]
            if missing or unknown:
                wrong = f"argument `{missing[0]}` is required" if missing else f"unknown argument {unknown[0]!r}"
                raise MCPError(INVALID_PARAMS, f"{name}: {wrong}; it takes {', '.join(takes)}")
            return await super().get_prompt(name, arguments, context)

    return Server


ANSWER_STEPS = (
    "1. Call the `search` tool with the key words (Chinese works best; pinyin works too); try other words "
    "or `any_term=true` if nothing comes back. Use `list_metrics` for figures, `timeline` for dates, "
    "`list_plans`, `list_goals`, `list_cases` and `list_honours` for those records, and `get_record` for one "
    "record in full.\n"
    "2. Read the search answer's `status` and `answer`: when it is not-stated, or when no result answers "
    "the question, say "
    f'"{NOT_STATED}" and do not answer from anywhere else. When it is related, say that the report has '
    "only related passages, and quote them as such.\n"
    "3. State each fact with its `quote` verbatim in quotation marks and its paragraph number (¶ and "
    "`para`, e.g. ¶52); call `cite` for a citation to paste. Do not round or paraphrase figures."
)


def _prompts(server: "MCPServer", report: "Report") -> None:
    """The prompts an assistant offers its user: each leads the model to the tools, to quotes with their
    paragraph numbers, and to say so when the report does not state something."""
    from pydantic import Field

    info = report.info()
    shelved = info.get("reports")
    title = info["title"] if shelved is None else "; ".join(f"{r['report']}: {r['title']}" for r in shelved)

    @server.prompt(
        name="answer_from_report",
        title="Answer a question from this report",
        description="Answer a question from the report only, with verbatim quotes and paragraph numbers.",
    )
    def answer_from_report(
        question: Annotated[str, Field(description="The question to answer from the report.")],
    ) -> str:
        return (
            f"Answer this question from the report 《{title}》 alone, using the beibei tools: {question.strip()}\n\n"
            + ANSWER_STEPS
        )

    @server.prompt(
        name="report_on_topic",
        title="What does the report say about a topic",
        description="Everything the report says about one topic (a place, a company, a policy, a figure), "
        "quoted with paragraph numbers.",
    )
    def report_on_topic(
        topic: Annotated[str, Field(description="The topic, e.g. 招商, 缙云山 or industrial parks.")],
    ) -> str:
        return (
            f"What does the report 《{title}》 say about {topic.strip()}? Gather what it states with the beibei "
            "tools and give a short, structured summary.\n\n" + ANSWER_STEPS
        )


def build_server(report: "Report") -> "MCPServer":
    """The server, its tools, prompts and resources bound to ``report`` (a loaded ``beibei_cli.Report``)."""
    from mcp.server.mcpserver.exceptions import ResourceNotFoundError
    from mcp.types import CallToolResult
    from pydantic import Field

    server: MCPServer = _server_class()(
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
        title="Get one record in full",
        description="Use when you have an id (from search or a listing) and need the record itself. Returns "
        "all its fields, its verbatim `quote`, the paragraph number `para` and the whole `paragraph` text; "
        "the records it lists (a pillar's cases, an entity's mentions...) come as id, title and para, each "
        "one get_record away. " + QUOTE_RULE,
        annotations=_annotations("Get one record in full"),
    )
    async def get_record(id: Annotated[str, Field(description=ID_HELP)]) -> CallToolResult:
        with _tool_errors():
            return _result(_brief_lists(dict(report.get(id))))  # type: ignore[no-any-return]

    @server.tool(
        title="Cite one record",
        description="Use when you quote the report to your user. Returns a ready-to-paste `citation` of one "
        "record (its verbatim quote, the report's title and the paragraph number), with the `quote` and "
        "`para` it is made of. Use the citation as given.",
        annotations=_annotations("Cite one record"),
    )
    async def cite(
        id: Annotated[str, Field(description=ID_HELP)],
        format: Annotated[
            Literal["plain", "md"], Field(description="plain: the citation as text; md: as a Markdown block quote.")
        ] = "plain",
    ) -> CallToolResult:
        with _tool_errors():
            citation = report.cite(id, format=format)
            grounded = _grounded(report, {"id": id.strip()})
            found = {"id": grounded["id"], "citation": citation, "quote": grounded["quote"], "para": grounded["para"]}
            return _result(found)  # type: ignore[no-any-return]

    _set_output_schema(server, "get_record", RECORD_SCHEMA)
    _set_output_schema(server, "cite", CITE_SCHEMA)
    _prompts(server, report)

    @server.resource(
        "beibei://report",
        name="report",
        description="What report is loaded: title, region, date, files, versions, counts of each kind of record.",
        mime_type="application/json",
    )
    def report_info() -> str:
        return json.dumps(report.info(), ensure_ascii=False, indent=2)

    shelf = report.is_shelf

    @server.resource(
        "beibei://article",
        name="article",
        description="The whole article, one numbered paragraph per line (N<TAB>text)"
        + (
            "; on this shelf of reports, each line starts with its report's key (KEY<TAB>N<TAB>text)." if shelf else "."
        ),
        mime_type="text/plain",
    )
    def article() -> str:
        return "".join((f"{p['report']}\t" if shelf else "") + f"{p['n']}\t{p['text']}\n" for p in report.source())

    @server.resource(
        "beibei://paragraph/{n}",
        name="paragraph",
        description="Paragraph N of the article, verbatim (N from 1; records give it as `para`)"
        + ("; on this shelf of reports, KEY:N (the report's key, then N)." if shelf else "."),
        mime_type="text/plain",
    )
    def paragraph(n: str) -> str:
        one, key, number = report, "", n
        if shelf:
            key, _, number = n.rpartition(":")
            keys = [r["report"] for r in report.info()["reports"]]
            if key not in keys:
                raise ResourceNotFoundError(f"no paragraph {n!r}: give KEY:N, KEY one of {', '.join(keys[:20])}")
            one = report.only(key)
        last = one.info()["counts"]["paragraph"]
        if not (number.isascii() and number.isdigit() and len(number) <= 9 and 1 <= int(number) <= last):
            raise ResourceNotFoundError(f"no paragraph {n!r}: the article has paragraphs 1 to {last}")
        return str(one.source(para=int(number))[0]["text"])

    return server


def serve(
    *,
    data: str | list[str] | None = None,
    lang: str = "zh",
    use_cache: bool = True,
    reports: list[str] | None = None,
    dated: tuple[str | None, str | None] = (None, None),
) -> int:
    """Load the report, then answer MCP requests on stdin/stdout until stdin closes."""
    try:
        import mcp.server.mcpserver  # noqa: F401
    except ImportError:
        raise UsageError(f"'beibei mcp' needs the MCP SDK, an optional extra: {INSTALL}") from None
    from beibei_cli import api

    since, until = dated
    # a bad --data fails here, before serving
    report = api.load(data, lang=lang, cache=use_cache, reports=reports, reports_since=since, reports_until=until)
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
