"""search --any: found for one word is not found for the others (trial of 0.4.0). The words the
report does not state are named at the terminal, in the Python API (Hits.unstated) and in MCP."""

from __future__ import annotations

import asyncio
import os
from typing import Any

import beibei_cli
from tests.conftest import PYTHON

QUERY = "人口 失业率 GDP增长 招商"
UNSTATED = ["人口", "失业率", "GDP增长"]


def test_the_terminal_names_the_words_not_stated(run, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from beibei_cli import commands

    monkeypatch.setattr(commands, "_stderr_is_tty", lambda: True)
    done = run("search", "--any", *QUERY.split(), "-f", "json")
    assert done.code == 0  # 招商 is stated: the exit code says found, as for --any it always did
    assert "报告中没有“人口”、“失业率”、“GDP增长”这样的说法" in done.err, done.err
    en = run("--lang", "en", "search", "--any", *QUERY.split(), "-f", "json")
    assert "does not state 人口, 失业率, GDP增长 as asked" in en.err, en.err
    every = run("search", "--any", "招商", "科技", "-f", "json")
    assert "没有" not in every.err


def test_the_api_says_which_words_are_not_stated() -> None:
    report = beibei_cli.load()
    hits = report.search(QUERY, any_term=True)
    assert hits.answer == "found" and hits.unstated == UNSTATED
    assert hits[:1].unstated == UNSTATED
    assert report.search("招商 科技", any_term=True).unstated == []
    assert report.search("招商", limit=0).answer == "found"  # the answer is of every hit, not the page


def test_mcp_tells_the_model_which_words_are_not_stated() -> None:
    from mcp import Client
    from mcp.client.stdio import StdioServerParameters

    env = {"BEIBEI_CACHE_DIR": os.environ["BEIBEI_CACHE_DIR"], "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    params = StdioServerParameters(command=PYTHON, args=["-m", "beibei_cli", "mcp"], env=env)

    async def script() -> Any:
        async with Client(params, read_timeout_seconds=60) as client:
            return await client.call_tool("search", {"query": QUERY, "any_term": True})

    got = asyncio.run(script()).structured_content
    assert got["status"] == "found"
    assert "does not state “人口”, “失业率”, “GDP增长”" in got["answer"] and "states “招商”" in got["answer"]
