"""`beibei mcp`: the server run as a subprocess and driven by the MCP SDK's own stdio client."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import jsonschema
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.shared.exceptions import MCPError

from tests.conftest import DATA, PYTHON, ROOT, SOURCE, python_env

TOOLS = {
    "search",
    "get_record",
    "list_metrics",
    "list_pillars",
    "list_goals",
    "list_plans",
    "list_cases",
    "list_honours",
    "list_sections",
    "list_captions",
    "timeline",
    "list_entities",
    "cite",
    "figure_series",
    "term_trend",
    "list_reports",
}


def server(*global_args: str) -> StdioServerParameters:
    # The SDK gives the child only a few variables (PATH, HOME...): pass the test cache on.
    env = {"BEIBEI_CACHE_DIR": os.environ["BEIBEI_CACHE_DIR"], "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    return StdioServerParameters(command=PYTHON, args=["-m", "beibei_cli", *global_args, "mcp"], env=env)


def session(script: Callable[[Client], Awaitable[Any]], *global_args: str) -> Any:
    async def main() -> Any:
        async with Client(server(*global_args), read_timeout_seconds=60) as client:
            return await script(client)

    return asyncio.run(main())


def answer(result: Any) -> Any:
    """A tool's answer: its JSON text, which must equal the structured content."""
    assert not result.is_error, result.content
    data = json.loads(result.content[0].text)
    assert data == result.structured_content
    return data


GOOD: dict[str, tuple[str, dict[str, Any]]] = {
    "search": ("search", {"query": "招商", "limit": 5}),
    "search-pinyin": ("search", {"query": "zhaoshang", "kinds": ["case", "metric"]}),
    "search-any": ("search", {"query": "招商 生态", "any_term": True, "limit": 20}),
    "get": ("get_record", {"id": "metric-rd-intensity"}),
    "get-para": ("get_record", {"id": "para-31"}),
    "metrics": ("list_metrics", {"pillar": "科技创新", "sort": "value"}),
    "metrics-all": ("list_metrics", {}),
    "pillars": ("list_pillars", {"detail": True}),
    "pillar detail": ("list_pillars", {"detail": True, "pillar": "科技创新"}),
    "metrics-page-2": ("list_metrics", {"offset": 11}),
    "timeline": ("timeline", {"since": "2022"}),
    "entities": ("list_entities", {"type": "company"}),
    "cite": ("cite", {"id": "metric-rd-intensity"}),
    "cite-md": ("cite", {"id": "para-31", "format": "md"}),
    "metrics-money": ("list_metrics", {"kind": "money", "min": "1亿", "sort": "value"}),
    "search-fallback": ("search", {"query": "斯太宝芯片"}),
    "search-exact": ("search", {"query": "斯太宝芯片", "exact": True}),
    "search-related": ("search", {"query": "GDP增长"}),
    "search-absent": ("search", {"query": "population"}),
}

BAD: dict[str, tuple[str, dict[str, Any], str]] = {
    "empty query": ("search", {"query": ""}, "the search query is empty"),
    "blank query": ("search", {"query": "   "}, "the search query is empty"),
    "no query": ("search", {}, "query"),
    "bad kind": ("search", {"query": "招商", "kinds": ["widget"]}, "widget"),
    "bad regex": ("search", {"query": "(", "regex": True}, "invalid regular expression"),
    "zero limit": ("search", {"query": "招商", "limit": 0}, "greater than or equal to 1"),
    "limit not a number": ("list_metrics", {"limit": "many"}, "limit"),
    "unknown id": ("get_record", {"id": "metric-nope"}, "get_record: no record with id 'metric-nope'"),
    "unknown id, nothing close": ("get_record", {"id": "zzzz"}, "list ids with the `search` tool"),
    "unknown id to cite": ("cite", {"id": "nope"}, "no record with id 'nope'"),
    "bad cite format": ("cite", {"id": "para-31", "format": "html"}, "format"),
    "unknown pillar": ("list_metrics", {"pillar": "nowhere"}, "unknown pillar 'nowhere'"),
    "bad sort": ("list_metrics", {"sort": "size"}, "sort"),
    "bad date": ("timeline", {"since": "2022-13"}, "timeline: `since`: month out of range"),
    "bad entity type": ("list_entities", {"type": "club"}, "type"),
    "bad metric kind": ("list_metrics", {"kind": "weight"}, "kind"),
    "min without kind": ("list_metrics", {"min": "1亿"}, "add `kind` (money"),
    "unknown tool": ("delete_everything", {}, "unknown tool 'delete_everything'; the tools are list_pillars"),
    "unknown argument": ("search", {"query": "招商", "words": "x"}, "search: unknown argument 'words'; it takes query"),
    "negative offset": ("list_metrics", {"offset": -1}, "argument `offset`"),
}


# A question the report answers, one it has only passages related to, and one it is silent on.
STATUS = {
    "招商": "found",
    "斯太宝芯片": "related",
    "GDP增长": "related",
    "人口": "not-stated",
    "population": "not-stated",
}
PROMPTS = {
    "answer_from_report": {"question": "2022年北碚的研发投入强度是多少？"},
    "report_on_topic": {"topic": "缙云山"},
}


async def _script(client: Client) -> dict[str, Any]:
    out: dict[str, Any] = {"tools": (await client.list_tools()).tools}
    for label, (name, args) in GOOD.items():
        out[label] = await client.call_tool(name, args)
    for label, (name, args, _) in BAD.items():
        out[label] = await client.call_tool(name, args)
    out["after"] = await client.call_tool("get_record", {"id": "para-1"})  # still alive after the bad calls
    out["resources"] = (await client.list_resources()).resources
    out["templates"] = (await client.list_resource_templates()).resource_templates
    for uri in ("beibei://report", "beibei://article", "beibei://paragraph/31"):
        out[uri] = (await client.read_resource(uri)).contents[0].text
    for uri in ("beibei://paragraph/0", "beibei://paragraph/56", "beibei://paragraph/x"):
        try:
            await client.read_resource(uri)
        except MCPError as exc:
            out[uri] = exc
    out["last"] = await client.call_tool("search", {"query": "北碚", "limit": 1})
    out["pages"] = {}  # every listing with its defaults, page after page
    for tool in out["tools"]:
        if "offset" in tool.input_schema["properties"]:
            args = NEEDS.get(tool.name, ({}, []))[0]
            pages = out["pages"][tool.name] = [await client.call_tool(tool.name, args)]
            while not pages[-1].is_error and pages[-1].structured_content["next"] is not None and len(pages) < 50:
                pages.append(
                    await client.call_tool(tool.name, {**args, "offset": pages[-1].structured_content["next"]})
                )
    for question in STATUS:
        out[question] = await client.call_tool("search", {"query": question})
    out["prompts"] = (await client.list_prompts()).prompts
    for name, args in PROMPTS.items():
        out[name] = await client.get_prompt(name, args)
    for label, name, args in (
        ("prompt without its argument", "answer_from_report", {}),
        ("prompt with a blank argument", "report_on_topic", {"topic": ""}),
        ("unknown prompt", "write_a_poem", {}),
    ):
        try:
            await client.get_prompt(name, args)
        except MCPError as exc:
            out[label] = exc
    return out


@pytest.fixture(scope="module")
def exchange() -> dict[str, Any]:
    return session(_script)  # type: ignore[no-any-return]


def cli(run, *args: str) -> Any:  # type: ignore[no-untyped-def]
    done = run(*args, "--format", "json")
    # a search that finds only related passages exits 1 (not found), with its hits on stdout
    assert done.code == 0 or (args[0] == "search" and done.code == 1 and done.out.strip() != "[]"), done.err
    return json.loads(done.out)


def squash(text: str) -> str:
    return "".join(text.split())


PARAGRAPHS = [line.strip() for line in SOURCE.read_text(encoding="utf-8").splitlines() if line.strip()]


def assert_grounded(row: dict[str, Any]) -> None:
    """``quote`` is verbatim in the article, and in paragraph ``para`` of it."""
    from beibei_cli import load

    assert row["quote"] and isinstance(row["para"], int), row
    paragraph = load().get(f"para-{row['para']}")["text"]
    assert squash(row["quote"]) in squash(paragraph), row["id"]


def test_lists_the_tools_and_tells_the_assistant_to_quote(exchange: dict[str, Any]) -> None:
    tools = {t.name: t for t in exchange["tools"]}
    assert set(tools) == TOOLS
    for tool in tools.values():
        assert tool.description and "quote" in tool.description, tool.name
        assert tool.input_schema["type"] == "object"
    assert tools["search"].input_schema["required"] == ["query"]
    sort = tools["list_metrics"].input_schema["properties"]["sort"]
    assert sort["enum"] == ["report", "value", "name", "pillar"]
    kind = json.dumps(tools["list_metrics"].input_schema["properties"]["kind"])
    assert all(f'"{k}"' in kind for k in ("money", "share", "rate-of-change"))


def test_tools_are_declared_for_assistants(exchange: dict[str, Any]) -> None:
    """Read-only hints (no approval asked for a call that only reads), a title, a description that
    says when to use the tool, every argument described, and an output schema with typed fields."""
    for tool in exchange["tools"]:
        hints = tool.annotations
        assert hints is not None and hints.title == tool.title and tool.title, tool.name
        assert (hints.read_only_hint, hints.idempotent_hint, hints.open_world_hint) == (True, True, False), tool.name
        assert hints.destructive_hint is False, tool.name
        assert tool.description.startswith("Use "), tool.name
        for arg, prop in tool.input_schema["properties"].items():
            assert len(prop.get("description", "")) > 15, (tool.name, arg)
        schema = tool.output_schema
        assert schema and schema["type"] == "object" and schema["properties"], tool.name
        jsonschema.Draft202012Validator.check_schema(schema)
        for field, prop in schema["properties"].items():
            assert prop.get("description") or field == "results", (tool.name, field)


def test_output_schemas_are_the_row_contract(exchange: dict[str, Any]) -> None:
    from beibei_cli import declare, rows

    tools = {t.name: t for t in exchange["tools"]}
    for q in declare.QUERIES:
        if not q["mcp"]:
            continue
        items = tools[q["mcp"]].output_schema["properties"]["results"]["items"]
        kinds = [items] if "anyOf" not in items else items["anyOf"]
        fields = rows.names(q["rows"])
        if q["name"] == "search":
            fields = [f for f in fields if f != "matches"] + ["quote", "para"]
        assert list(kinds[0]["properties"]) == fields, q["mcp"]
        for kind in kinds:
            assert kind["additionalProperties"] is False
            assert all(p.get("description") for p in kind["properties"].values()), q["mcp"]
    assert tools["search"].output_schema["properties"]["status"]["enum"] == ["found", "related", "not-stated"]


def valid(tool: Any, result: Any) -> None:
    assert not result.is_error, result.content
    jsonschema.validate(result.structured_content, tool.output_schema, cls=jsonschema.Draft202012Validator)


def test_every_answer_validates_against_its_output_schema(exchange: dict[str, Any]) -> None:
    tools = {t.name: t for t in exchange["tools"]}
    for label, (name, _) in GOOD.items():
        valid(tools[name], exchange[label])
    for name, pages in exchange["pages"].items():
        for page in pages:
            valid(tools[name], page)
    for question in STATUS:
        valid(tools["search"], exchange[question])
    broken = dict(answer(exchange["metrics"]), count="11")  # the validator is not blind
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, tools["list_metrics"].output_schema)
    extra = answer(exchange["metrics"])
    extra["results"][0]["colour"] = "red"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(extra, tools["list_metrics"].output_schema)


# the tools that need an argument: what the paging walk gives them, and the same on the command line
NEEDS: dict[str, tuple[dict[str, Any], list[str]]] = {
    "search": ({"query": "北碚"}, ["北碚"]),
    "figure_series": ({"query": "研发经费"}, ["研发经费"]),
    "term_trend": ({"terms": ["招商", "科技"]}, ["招商", "科技"]),
}


def test_no_default_answer_is_long_and_the_pages_hold_everything(exchange: dict[str, Any], run) -> None:  # type: ignore[no-untyped-def]
    from beibei_cli import declare
    from beibei_cli.mcp_server import ANSWER_CHARS

    assert ANSWER_CHARS <= 8000
    names = {q["mcp"]: q["name"] for q in declare.QUERIES if q["mcp"]}
    assert set(exchange["pages"]) == {n for n in names if n not in ("get_record", "cite")}
    for tool, pages in exchange["pages"].items():
        results = []
        for page in pages:
            data = answer(page)
            assert len(page.content[0].text) <= ANSWER_CHARS, (tool, data["offset"])
            assert data["offset"] == len(results) and data["total"] == pages[0].structured_content["total"]
            results += data["results"]
        assert pages[-1].structured_content["next"] is None, tool
        if tool == "search":
            assert len(results) == len(cli(run, "search", "北碚", "-n", "1000")) == data["total"] > 10
        else:  # the listing, whole, in order
            assert results == cli(run, names[tool], *NEEDS.get(tool, ({}, []))[1]), tool
    assert len(exchange["pages"]["list_metrics"]) > 1  # a listing that is paged
    for label in ("get", "get-para", "pillars", "pillar detail", "metrics", "cite"):
        assert len(exchange[label].content[0].text) <= ANSWER_CHARS, label


@pytest.mark.parametrize("question", list(STATUS))
def test_a_search_says_what_kind_of_answer_it_is(exchange: dict[str, Any], question: str) -> None:
    data = answer(exchange[question])
    assert list(data)[:2] == ["status", "answer"]  # first, before the results
    assert data["status"] == STATUS[question]
    assert question in data["answer"]
    if data["status"] == "not-stated":
        assert data["results"] == [] and "the report does not state it" in data["answer"]
    elif data["status"] == "related":
        assert data["results"] and all(h["match"] != "exact" for h in data["results"])
        assert "do not present them as the answer" in data["answer"]
    else:
        assert data["results"][0]["match"] == "exact"


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def test_no_string_ends_in_a_newline(exchange: dict[str, Any]) -> None:
    texts = [answer(exchange[label]) for label in GOOD] + [exchange[n].messages[0].content.text for n in PROMPTS]
    texts += [t.description for t in exchange["tools"]]
    found = [s for s in strings(texts) if s != s.rstrip()]
    assert not found and any("\n" in s for s in strings(texts[-len(exchange["tools"]) - 2 :]))


def test_prompts_lead_the_model_to_the_tools_and_to_say_not_stated(exchange: dict[str, Any]) -> None:
    prompts = {p.name: p for p in exchange["prompts"]}
    assert set(prompts) == set(PROMPTS)
    for name, args in PROMPTS.items():
        prompt = prompts[name]
        assert prompt.title and prompt.description
        assert [(a.name, a.required) for a in prompt.arguments] == [(k, True) for k in args]
        assert all(a.description for a in prompt.arguments)
        (message,) = exchange[name].messages
        text = message.content.text
        assert message.role == "user" and next(iter(args.values())) in text
        for needed in ("`search`", "`cite`", "not-stated", "the report does not state it", "verbatim", "¶"):
            assert needed in text, (name, needed)
    for label, says in (
        ("prompt without its argument", "answer_from_report: argument `question` is required; it takes question"),
        ("prompt with a blank argument", "report_on_topic: argument `topic` is required"),
        ("unknown prompt", "unknown prompt 'write_a_poem'; the prompts are answer_from_report, report_on_topic"),
    ):
        error = exchange[label]
        assert isinstance(error, MCPError) and error.code == -32602 and says in str(error), label


def test_errors_speak_to_a_model(exchange: dict[str, Any]) -> None:
    for label, (name, _, _) in BAD.items():
        text = exchange[label].content[0].text
        assert "beibei " not in text and not re.search(r"(?<![\w-])--?[a-z]", text), (label, text)
        assert "\n" not in text and text.startswith((f"{name}: ", "unknown tool")), (label, text)


def test_answers_are_the_cli_json(exchange: dict[str, Any], run) -> None:  # type: ignore[no-untyped-def]
    def hits(*args: str) -> list[dict[str, Any]]:
        return [{k: v for k, v in h.items() if k != "matches"} for h in cli(run, "search", *args)]

    def strip(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: v for k, v in h.items() if k not in ("quote", "para")} for h in rows]

    assert strip(answer(exchange["search"])["results"]) == hits("招商", "-n", "5")
    assert strip(answer(exchange["search-pinyin"])["results"]) == hits("zhaoshang", "--in", "cases,metrics")
    wide = answer(exchange["search-any"])  # 20 asked for; as many as fit in one answer came
    assert 0 < wide["count"] < 20 and wide["next"] == wide["count"]
    assert strip(wide["results"]) == hits("招商", "生态", "--any", "-n", str(wide["count"]))
    assert answer(exchange["get"]) == cli(run, "show", "metric-rd-intensity")
    assert answer(exchange["get-para"]) == cli(run, "show", "para-31")
    tech = cli(run, "metrics", "--pillar", "科技创新", "--sort", "value")  # paged at ANSWER_CHARS
    got = answer(exchange["metrics"])
    assert got["results"] == tech[: got["count"]] and got["total"] == len(tech) and got["count"] >= 5
    everything = cli(run, "metrics")  # the first two pages, each at most ANSWER_CHARS long
    first, second = answer(exchange["metrics-all"]), answer(exchange["metrics-page-2"])
    assert first["total"] == second["total"] == len(everything)
    n = first["count"]  # as many as fit in ANSWER_CHARS
    assert first["next"] == n and 5 <= n < len(everything) and first["results"] == everything[:n]
    assert second["offset"] == 11 and second["results"] == everything[11 : 11 + second["count"]]
    detail = cli(run, "pillars", "--detail")  # compact: each pillar with its counts
    counted = ("goals", "plans", "cases", "metrics")
    counts = [(p["id"], len(p["goals"]), len(p["plans"]), len(p["cases"]), len(p["metrics"])) for p in detail]
    got = answer(exchange["pillars"])["results"]
    assert [(p["id"], p["goals"], p["plans"], p["cases"], p["metrics"]) for p in got] == counts
    (tech,) = (p for p in detail if p["id"] == "tech-innovation")  # by pillar: its records, id and title
    (briefed,) = answer(exchange["pillar detail"])["results"]
    assert {k: v for k, v in briefed.items() if k not in counted} == {k: v for k, v in tech.items() if k not in counted}
    for key in counted:
        assert [r["id"] for r in briefed[key]] == [r["id"] for r in tech[key]] and tech[key]
        assert all(set(r) <= {"id", "title", "name", "text", "date", "para"} and r["para"] for r in briefed[key])
    assert answer(exchange["timeline"])["results"] == cli(run, "timeline", "--since", "2022")
    assert answer(exchange["entities"])["results"] == cli(run, "entities", "--type", "company")
    cited = answer(exchange["cite"])
    assert cited["citation"] + "\n" == run("cite", "metric-rd-intensity").out  # no trailing newline
    assert (cited["quote"], cited["para"]) == (cli(run, "show", "metric-rd-intensity")["quote"], 52)
    assert answer(exchange["cite-md"])["citation"] + "\n" == run("cite", "para-31", "--format", "md").out
    assert answer(exchange["search"])["count"] == 5
    money = cli(run, "metrics", "--kind", "money", "--min", "1亿", "--sort", "value")
    assert answer(exchange["metrics-money"])["results"] == money and money
    assert strip(answer(exchange["search-fallback"])["results"]) == hits("斯太宝芯片", "-n", "10")
    assert {h["match"] for h in answer(exchange["search-fallback"])["results"]} == {"parts"}
    assert answer(exchange["search-exact"])["results"] == []


def test_search_says_what_kind_of_answer_it_is(exchange: dict[str, Any], run) -> None:  # type: ignore[no-untyped-def]
    """found, related or not-stated at the top level, with a sentence for the model, as the CLI's exit code."""
    kinds = {label: answer(exchange[label])["status"] for label in GOOD if GOOD[label][0] == "search"}
    assert kinds == {
        "search": "found",
        "search-pinyin": "found",
        "search-any": "found",
        "search-fallback": "related",
        "search-exact": "not-stated",
        "search-related": "related",
        "search-absent": "not-stated",
    }
    related = answer(exchange["search-related"])
    assert related["results"] and "does not state “GDP增长”" in related["answer"]
    assert "do not present them as the answer" in related["answer"]
    assert "does not mention “population”" in answer(exchange["search-absent"])["answer"]
    assert run("search", "GDP增长", "-q").code == 1 and run("search", "招商", "-q").code == 0


def test_every_result_carries_its_verbatim_quote_and_paragraph(exchange: dict[str, Any]) -> None:
    for label in ("search", "search-pinyin", "search-any", "metrics-all", "pillars", "pillar detail", "timeline"):
        data = answer(exchange[label])
        assert data["results"] and "verbatim" in data["how_to_use"]
        for row in data["results"]:
            assert_grounded(row)
    for label in ("get", "cite"):
        assert_grounded(answer(exchange[label]))
    assert answer(exchange["cite-md"])["para"] == 31


@pytest.mark.parametrize("label", list(BAD))
def test_bad_arguments_are_tool_errors(exchange: dict[str, Any], label: str) -> None:
    result = exchange[label]
    assert result.is_error
    assert BAD[label][2] in result.content[0].text
    assert "Traceback" not in result.content[0].text


def test_the_server_survives_bad_calls(exchange: dict[str, Any]) -> None:
    assert answer(exchange["after"])["id"] == "para-1"
    assert answer(exchange["last"])["count"] == 1


def test_resources(exchange: dict[str, Any], run) -> None:  # type: ignore[no-untyped-def]
    assert {str(r.uri) for r in exchange["resources"]} == {"beibei://report", "beibei://article"}
    assert [t.uri_template for t in exchange["templates"]] == ["beibei://paragraph/{n}"]
    assert json.loads(exchange["beibei://report"]) == cli(run, "info")
    assert exchange["beibei://paragraph/31"] == cli(run, "source", "--para", "31")[0]["text"]
    assert exchange["beibei://article"] == run("source").out
    for uri in ("beibei://paragraph/0", "beibei://paragraph/56", "beibei://paragraph/x"):
        assert isinstance(exchange[uri], MCPError)
        assert exchange[uri].code == -32602  # invalid params: no such resource
        assert "the article has paragraphs 1 to 55" in str(exchange[uri])


def test_respects_lang_and_data(run) -> None:  # type: ignore[no-untyped-def]
    async def script(client: Client) -> tuple[Any, str]:
        pillars = await client.call_tool("list_pillars", {})
        return pillars, (await client.read_resource("beibei://report")).contents[0].text

    pillars, info = session(script, "--lang", "en", "--data", str(DATA))
    english = cli(run, "--lang", "en", "pillars")
    assert answer(pillars)["results"] == english[: answer(pillars)["count"]] and answer(pillars)["total"] == 6
    first = answer(pillars)["results"][0]
    assert first["name_zh"] == "生态田园都市区" and first["name"].isascii()
    assert json.loads(info)["data_file"] == str(DATA)


def test_bad_data_fails_before_serving(tmp_path) -> None:  # type: ignore[no-untyped-def]
    done = subprocess.run(
        [PYTHON, "-m", "beibei_cli", "--data", str(tmp_path / "missing.yaml"), "mcp"],
        capture_output=True,
        text=True,
        env=python_env(),
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.count("\n") == 1 and "no such report file" in done.stderr


def test_without_the_sdk_exits_2_with_the_install_command(run, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    for name in [m for m in sys.modules if m == "mcp" or m.startswith("mcp.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "mcp", None)  # what an install without the extra looks like
    done = run("mcp")
    assert done.code == 2 and done.out == ""
    assert done.err == (
        "beibei: 'beibei mcp' needs the MCP SDK, an optional extra: "
        "pip install 'beibei[mcp]' (from a checkout: pip install '.[mcp]')\n"
    )


def test_help_names_both_install_commands(run) -> None:  # type: ignore[no-untyped-def]
    out = " ".join(run("mcp", "--help").out.split())
    assert "pip install 'beibei[mcp]' (from a checkout: pip install '.[mcp]')" in out


PROBE = """
import sys
from beibei_cli.entry import run
code = run(sys.argv[1:])
sys.stderr.write('SDK=' + ','.join(sorted({m.split('.')[0] for m in sys.modules} & {'mcp', 'pydantic', 'anyio'})) + '\\n')
sys.exit(code)
"""


@pytest.mark.parametrize(
    "args",
    [
        ["metrics", "--format", "json"],
        ["metrics", "--format", "table"],
        ["search", "招商"],
        ["show", "para-31"],
        ["pillars", "--detail", "--format", "table"],
        ["export"],
        ["validate"],
        ["--help"],
        ["mcp", "--help"],
        ["search", "--help"],
    ],
)
def test_no_other_command_imports_the_sdk(args: list[str]) -> None:
    done = subprocess.run([PYTHON, "-c", PROBE, *args], capture_output=True, env=python_env(), timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr.decode().rsplit("SDK=", 1)[1].strip() == "", args


def readme_exchange() -> tuple[dict[str, Any], dict[str, Any]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Use from an AI assistant (MCP)", 1)[1].split("### One exchange", 1)[1].split("## ", 1)[0]
    lines = [line for part in block.split("```json")[1:] for line in part.split("```", 1)[0].strip().splitlines()]
    request, response = (json.loads(line) for line in lines)
    return request, response


def test_readme_exchange_is_real() -> None:
    """The README's request, sent as raw JSON-RPC on stdin, gets the README's answer."""
    request, response = readme_exchange()
    messages = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "t", "version": "0"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        request,
    ]
    # stdin stays open until the answer is in: at end of input the server stops, dropping pending calls
    proc = subprocess.Popen(
        [PYTHON, "-m", "beibei_cli", "mcp"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=python_env(),
    )
    watchdog = threading.Timer(60, proc.kill)
    watchdog.start()
    try:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write("".join(json.dumps(m, ensure_ascii=False) + "\n" for m in messages))
        proc.stdin.flush()
        answers = [json.loads(proc.stdout.readline()) for _ in range(2)]
        proc.stdin.close()
        assert proc.wait() == 0
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pipe in (proc.stdin, proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
    assert [a["id"] for a in answers] == [1, request["id"]]
    assert answers[1] == response


def test_readme_client_set_ups_start_the_server_and_its_error_is_real(exchange: dict[str, Any]) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("### Set it up in your assistant", 1)[1].split("### One exchange", 1)[0]
    configs = [json.loads(part.split("```", 1)[0]) for part in block.split("```json")[1:]]
    assert len(configs) == 3  # Claude Desktop, VS Code, Cursor
    for config in configs:
        (entry,) = (config.get("mcpServers") or config["servers"]).values()
        assert (entry["command"], entry["args"]) == ("beibei", ["mcp"])
    assert configs[1]["servers"]["beibei"]["type"] == "stdio"  # VS Code's form
    assert "claude mcp add beibei -- beibei mcp" in block
    said = text.split('"arguments": {"query": ""}}`: `', 1)[1].split("`", 1)[0]
    assert said == exchange["empty query"].content[0].text
    flat = " ".join(text.split())  # the errors the README quotes, as the server says them
    for label in ("bad date", "unknown id, nothing close"):
        assert f"``{exchange[label].content[0].text}``" in flat, label


def test_stdin_that_is_not_a_pipe_gets_the_sdks_own_transport(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """On a pipe the event loop reads stdin itself; on anything else (a file here) the SDK's
    threaded transport serves, and answers the same."""
    requests = tmp_path / "requests.jsonl"
    initialize = {
        "jsonrpc": "2.0",
        "id": 0,
        "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}},
    }
    requests.write_text(json.dumps(initialize) + "\n", encoding="utf-8")
    with requests.open("rb") as stdin:
        done = subprocess.run(
            [PYTHON, "-m", "beibei_cli", "mcp"], stdin=stdin, capture_output=True, env=python_env(), timeout=60
        )
    assert done.returncode == 0, done.stderr
    (line,) = done.stdout.decode().splitlines()
    assert json.loads(line)["result"]["serverInfo"]["name"] == "beibei"
