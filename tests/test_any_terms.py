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


def test_exact_says_that_looser_matches_were_not_tried(run, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from beibei_cli import output

    monkeypatch.setattr(output, "stdout_is_tty", lambda: True)
    exact = run("search", "GDP增长", "--exact", "-f", "json")
    assert exact.code == 1 and "--exact：未尝试部分匹配与模糊拼音" in exact.err and "没有提到" not in exact.err
    absent = run("search", "人口", "-f", "json")
    assert "报告中没有提到“人口”" in absent.err


def test_a_question_is_answered_for_its_words_and_says_so(run, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """北碚有多少所大学 finds 西南大学: the words are there, the count asked for is not. The answer
    says which words were searched and that the results may not answer the question (trial)."""
    from beibei_cli import commands
    from beibei_cli.mcp_server import search_status

    monkeypatch.setattr(commands, "_stderr_is_tty", lambda: True)
    done = run("search", "北碚有多少所大学", "-f", "json")
    assert done.code == 0 and "按“北碚”、“大学”查找（问句中的“有多少所”不在原文中）" in done.err, done.err
    hits = beibei_cli.load().search("北碚有多少所大学")
    status, sentence = search_status("北碚有多少所大学", list(hits))
    assert status == "found" and "question words, 有多少所, are in no passage" in sentence
    assert "say that the report does not state it" in sentence and "The report states" not in sentence
    plain = search_status("招商", list(beibei_cli.load().search("招商")))[1]
    assert plain.startswith("The report states “招商”")  # no question: as before
