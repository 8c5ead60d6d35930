"""`beibei mcp` driven by a second, independent client: the official MCP Inspector in CLI mode
(TypeScript, from npm), one process per request, as an assistant integrator tries a server.

Skipped, not failed, where node is missing or npm cannot fetch the Inspector (.ci/run installs
node); run once with the network to fill npm's cache, later runs use the cached copy.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import jsonschema
import pytest

from tests.conftest import PYTHON, python_env
from tests.test_mcp import TOOLS

INSPECTOR = os.environ.get("BEIBEI_INSPECTOR", "@modelcontextprotocol/inspector@2.12.0")
NPX = shutil.which("npx")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(NPX is None, reason="npx (node) is not installed (.ci/run installs it)"),
]

# One call of every tool, with arguments an assistant would send.
CALLS: dict[str, dict[str, Any]] = {
    "search": {"query": "GDP增长", "limit": 3},
    "get_record": {"id": "metric-rd-intensity"},
    "cite": {"id": "metric-rd-intensity"},
    "list_metrics": {"pillar": "科技创新", "sort": "value"},
    "list_pillars": {"detail": True},
    "list_goals": {"pillar": "民营经济"},
    "list_plans": {"year": 2023},
    "list_cases": {},
    "list_honours": {"since": "2022"},
    "list_sections": {},
    "list_captions": {},
    "timeline": {"since": "2022"},
    "list_entities": {"type": "company"},
    "figure_series": {"query": "研发经费投入强度"},
    "term_trend": {"terms": ["招商", "科技创新"]},
    "list_reports": {},
}


@dataclass
class Answer:
    code: int
    result: Any  # the JSON-RPC result, or None
    error: Any  # the Inspector's error envelope, or None
    raw: str


def inspector(*args: str) -> Answer:
    assert NPX is not None
    # the Inspector gives the server only a few variables (PATH, HOME...): pass the test cache on
    env = {k: v for k in ("BEIBEI_CACHE_DIR", "PYTHONPATH") if (v := os.environ.get(k))}
    server = [*(arg for k, v in env.items() for arg in ("-e", f"{k}={v}")), PYTHON, "-m", "beibei_cli", "mcp"]
    done = subprocess.run(
        [NPX, "--prefer-offline", "--yes", INSPECTOR, "--cli", "--format", "json", "-q", "--connect-timeout", "60000"]
        + server
        + list(args),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        env=python_env(),
        stdin=subprocess.DEVNULL,
    )
    out = json.loads(done.stdout) if done.stdout.strip() else {}
    err = json.loads(done.stderr.strip().splitlines()[-1]) if done.stderr.strip().startswith("{") else None
    return Answer(done.returncode, out.get("result"), (err or {}).get("error"), done.stdout + done.stderr)


REQUESTS: dict[str, list[str]] = {
    "tools": ["--strict", "--method", "tools/list"],  # --strict: exit 6 on a schema clients cannot port
    "resources": ["--method", "resources/list"],
    "report": ["--method", "resources/read", "--uri", "beibei://report"],
    "paragraph": ["--method", "resources/read", "--uri", "beibei://paragraph/31"],
    "prompts": ["--method", "prompts/list"],
    "prompt": ["--method", "prompts/get", "--prompt-name", "report_on_topic", "--prompt-args", "topic=缙云山"],
    "prompt without its argument": ["--method", "prompts/get", "--prompt-name", "answer_from_report"],
    "unknown tool": ["--method", "tools/call", "--tool-name", "delete_everything"],
    "bad argument": ["--method", "tools/call", "--tool-name", "list_metrics", "--tool-args-json", '{"sort": "size"}'],
    "unknown id": ["--method", "tools/call", "--tool-name", "get_record", "--tool-arg", "id=metric-nope"],
}
for _tool, _args in CALLS.items():
    REQUESTS[_tool] = ["--method", "tools/call", "--tool-name", _tool, "--tool-args-json", json.dumps(_args)]


@pytest.fixture(scope="module")
def answers() -> dict[str, Answer]:
    assert NPX is not None
    probe = subprocess.run(
        [NPX, "--prefer-offline", "--yes", INSPECTOR, "--cli", "--version"],
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["no output"])[-1]
        pytest.skip(f"npm could not fetch or run {INSPECTOR}: {last}")
    with ThreadPoolExecutor(max_workers=4) as pool:
        done = dict(zip(REQUESTS, pool.map(lambda args: inspector(*args), REQUESTS.values()), strict=True))
    return done


def ok(answers: dict[str, Answer], label: str) -> Any:
    got = answers[label]
    assert got.code == 0 and got.error is None and got.result is not None, got.raw[-2000:]
    return got.result


def test_lists_the_tools_with_hints_and_portable_schemas(answers: dict[str, Answer]) -> None:
    tools = {t["name"]: t for t in ok(answers, "tools")["tools"]}
    assert set(tools) == TOOLS == set(CALLS)
    for name, tool in tools.items():
        hints = tool["annotations"]
        assert (hints["readOnlyHint"], hints["idempotentHint"], hints["openWorldHint"]) == (True, True, False), name
        assert hints["title"] == tool["title"]
        assert all(p["description"] for p in tool["inputSchema"]["properties"].values()), name
        jsonschema.Draft202012Validator.check_schema(tool["outputSchema"])
        assert tool["outputSchema"]["properties"], name


@pytest.mark.parametrize("tool", list(CALLS))
def test_every_tool_answers_within_its_schema(answers: dict[str, Answer], tool: str) -> None:
    schema = {t["name"]: t for t in ok(answers, "tools")["tools"]}[tool]["outputSchema"]
    result = ok(answers, tool)
    assert result.get("isError") is not True
    (content,) = result["content"]
    assert json.loads(content["text"]) == result["structuredContent"]
    assert len(content["text"]) <= 8000
    jsonschema.validate(result["structuredContent"], schema, cls=jsonschema.Draft202012Validator)


def test_answers_hold_what_the_cli_prints(answers: dict[str, Answer], run) -> None:  # type: ignore[no-untyped-def]
    def data(label: str) -> Any:
        return ok(answers, label)["structuredContent"]

    searched = data("search")
    assert searched["status"] == "related" and "do not present them as the answer" in searched["answer"]
    assert data("cite")["citation"] + "\n" == run("cite", "metric-rd-intensity").out
    assert data("get_record")["para"] == 52
    plans = json.loads(run("plans", "--year", "2023", "-f", "json").out)
    assert data("list_plans")["results"] == plans and plans
    counts = [p["plans"] for p in data("list_pillars")["results"]]
    assert sum(counts) == len(json.loads(run("plans", "-f", "json").out))


def test_resources_and_prompts(answers: dict[str, Answer], run) -> None:  # type: ignore[no-untyped-def]
    uris = {r["uri"] for r in ok(answers, "resources")["resources"]}
    assert uris == {"beibei://report", "beibei://article"}
    (report,) = ok(answers, "report")["contents"]
    assert json.loads(report["text"]) == json.loads(run("info", "-f", "json").out)
    (paragraph,) = ok(answers, "paragraph")["contents"]
    assert paragraph["text"] == json.loads(run("source", "--para", "31", "-f", "json").out)[0]["text"]
    assert {p["name"] for p in ok(answers, "prompts")["prompts"]} == {"answer_from_report", "report_on_topic"}
    (message,) = ok(answers, "prompt")["messages"]
    text = message["content"]["text"]
    assert "缙云山" in text and "`search`" in text and "the report does not state it" in text


def test_bad_calls_get_errors_a_model_can_act_on(answers: dict[str, Answer]) -> None:
    missing = answers["prompt without its argument"]
    assert missing.code != 0 and "argument `question` is required" in missing.error["message"]
    # the Inspector checks a tool's name against tools/list itself, and does not send the call
    unknown = answers["unknown tool"]
    assert unknown.code != 0 and unknown.error["code"] == "tool_not_found"
    for label, says in (
        ("bad argument", "list_metrics: argument `sort`: Input should be 'report', 'value', 'name' or 'pillar'"),
        ("unknown id", "get_record: no record with id 'metric-nope'; did you mean metric-rd-spending"),
    ):
        got = answers[label]
        assert got.code != 0 and got.error["code"] == "tool_is_error", got.raw
        assert got.result["isError"] is True and says in got.result["content"][0]["text"], got.raw
        assert "beibei " not in got.result["content"][0]["text"]
