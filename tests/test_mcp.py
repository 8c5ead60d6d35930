"""`beibei mcp`: the server run as a subprocess and driven by the MCP SDK's own stdio client."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
from collections.abc import Awaitable, Callable
from typing import Any

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
    "timeline": ("timeline", {"since": "2022"}),
    "entities": ("list_entities", {"type": "company"}),
    "cite": ("cite", {"id": "metric-rd-intensity"}),
    "cite-md": ("cite", {"id": "para-31", "format": "md"}),
    "metrics-money": ("list_metrics", {"kind": "money", "min": "1亿", "sort": "value"}),
    "search-fallback": ("search", {"query": "斯太宝芯片"}),
    "search-exact": ("search", {"query": "斯太宝芯片", "exact": True}),
}

BAD: dict[str, tuple[str, dict[str, Any], str]] = {
    "empty query": ("search", {"query": ""}, "the search query is empty"),
    "blank query": ("search", {"query": "   "}, "the search query is empty"),
    "no query": ("search", {}, "query"),
    "bad kind": ("search", {"query": "招商", "kinds": ["widget"]}, "widget"),
    "bad regex": ("search", {"query": "(", "regex": True}, "invalid regular expression"),
    "zero limit": ("search", {"query": "招商", "limit": 0}, "greater than or equal to 1"),
    "limit not a number": ("list_metrics", {"limit": "many"}, "limit"),
    "unknown id": ("get_record", {"id": "metric-nope"}, "no record with id 'metric-nope'"),
    "unknown id to cite": ("cite", {"id": "nope"}, "no record with id 'nope'"),
    "bad cite format": ("cite", {"id": "para-31", "format": "html"}, "format"),
    "unknown pillar": ("list_metrics", {"pillar": "nowhere"}, "unknown pillar 'nowhere'"),
    "bad sort": ("list_metrics", {"sort": "size"}, "sort"),
    "bad date": ("timeline", {"since": "2022-13"}, "--since"),
    "bad entity type": ("list_entities", {"type": "club"}, "type"),
    "bad metric kind": ("list_metrics", {"kind": "weight"}, "kind"),
    "min without kind": ("list_metrics", {"min": "1亿"}, "--kind"),
    "unknown tool": ("delete_everything", {}, "delete_everything"),
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
    return out


@pytest.fixture(scope="module")
def exchange() -> dict[str, Any]:
    return session(_script)  # type: ignore[no-any-return]


def cli(run, *args: str) -> Any:  # type: ignore[no-untyped-def]
    done = run(*args, "--format", "json")
    assert done.code == 0, done.err
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


def test_answers_are_the_cli_json(exchange: dict[str, Any], run) -> None:  # type: ignore[no-untyped-def]
    def hits(*args: str) -> list[dict[str, Any]]:
        return [{k: v for k, v in h.items() if k != "matches"} for h in cli(run, "search", *args)]

    def strip(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: v for k, v in h.items() if k not in ("quote", "para")} for h in rows]

    assert strip(answer(exchange["search"])["results"]) == hits("招商", "-n", "5")
    assert strip(answer(exchange["search-pinyin"])["results"]) == hits("zhaoshang", "--in", "cases,metrics")
    assert strip(answer(exchange["search-any"])["results"]) == hits("招商", "生态", "--any", "-n", "20")
    assert answer(exchange["get"]) == cli(run, "show", "metric-rd-intensity")
    assert answer(exchange["get-para"]) == cli(run, "show", "para-31")
    assert answer(exchange["metrics"])["results"] == cli(run, "metrics", "--pillar", "科技创新", "--sort", "value")
    assert answer(exchange["metrics-all"])["results"] == cli(run, "metrics")
    assert answer(exchange["pillars"])["results"] == cli(run, "pillars", "--detail")
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


def test_every_result_carries_its_verbatim_quote_and_paragraph(exchange: dict[str, Any]) -> None:
    for label in ("search", "search-pinyin", "search-any", "metrics-all", "pillars", "timeline", "entities"):
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
    assert answer(pillars)["results"] == cli(run, "--lang", "en", "pillars")
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
    block = text.split("## Use from an AI assistant (MCP)", 1)[1].split("## ", 1)[0]
    lines = [line for part in block.split("```json")[2:] for line in part.split("```", 1)[0].strip().splitlines()]
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
