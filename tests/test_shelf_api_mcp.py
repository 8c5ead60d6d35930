"""A shelf through the Python API and the MCP server: the command line's rows, KEY:ID, one schema."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import beibei_cli
from beibei_cli.errors import DataError, UsageError
from tests.conftest import DATA, PYTHON
from tests.test_shelf import copy_report


@pytest.fixture
def shelf(tmp_path: Path) -> Path:
    copy_report(tmp_path / "shelf", "beibei-2023.yaml")
    copy_report(tmp_path / "shelf" / "later", "beibei-2024.yaml")
    return tmp_path / "shelf"


def cli(run, *args: str) -> Any:  # type: ignore[no-untyped-def]
    done = run(*args, "-f", "json")
    assert done.code in (0, 1), done.err
    return json.loads(done.out)


@pytest.mark.parametrize(
    ("method", "options", "args"),
    [
        ("metrics", {"pillar": "tech-innovation"}, ["metrics", "--pillar", "tech-innovation"]),
        ("cases", {}, ["cases"]),
        ("timeline", {"until": "2021"}, ["timeline", "--until", "2021"]),
        ("search", {"query": "招商"}, ["search", "招商"]),
        ("search", {"query": "zhaoshang"}, ["search", "zhaoshang"]),
        ("series", {"query": "研发经费投入强度"}, ["series", "研发经费投入强度"]),
        ("trend", {"terms": ["招商"]}, ["trend", "招商"]),
        ("reports", {}, ["reports"]),
    ],
)
def test_the_api_on_a_shelf_gives_the_command_lines_rows(
    run, shelf: Path, method: str, options: dict, args: list[str]
) -> None:  # type: ignore[no-untyped-def,type-arg]
    report = beibei_cli.load(str(shelf))
    assert report.is_shelf
    rows = getattr(report, method)(**options)
    assert rows == cli(run, "--data", str(shelf), *args)
    if method not in ("reports", "series", "trend"):
        assert rows and {r["report"] for r in rows} == {"beibei-2023", "beibei-2024"}
        assert all(r["id"].startswith(r["report"] + ":") for r in rows)


def test_the_api_takes_a_list_of_paths_and_key_ids(run, shelf: Path) -> None:  # type: ignore[no-untyped-def]
    files = [str(shelf / "beibei-2023.yaml"), str(shelf / "later" / "beibei-2024.yaml")]
    report = beibei_cli.load(files)
    got = report.get("beibei-2024:metric-rd-intensity")
    assert got == cli(run, "--data", files[0], "--data", files[1], "show", "beibei-2024:metric-rd-intensity")
    assert (
        got["report"] == "beibei-2024"
        and got["quote"] == beibei_cli.load(str(DATA)).get("metric-rd-intensity")["quote"]
    )
    assert "第52段" in report.cite("beibei-2023:metric-rd-intensity")
    with pytest.raises(UsageError, match="is in 2 reports of the shelf"):
        report.get("metric-rd-intensity")
    assert [r["report"] for r in report.info()["reports"]] == ["beibei-2023", "beibei-2024"]
    assert report.only("beibei-2023").get("metric-rd-intensity")["id"] == "metric-rd-intensity"
    kept = beibei_cli.load(str(shelf), reports=["*2024"])
    assert {r["report"] for r in kept.metrics()} == {"beibei-2024"}
    with pytest.raises(UsageError, match="matches no report"):
        beibei_cli.load(str(shelf), reports=["nope*"])


def test_a_shelf_where_nothing_loads_is_a_data_error(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("schema_version: [\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("schema_version: [\n", encoding="utf-8")
    with pytest.raises(DataError, match="no report of the shelf loaded"):
        beibei_cli.load(str(tmp_path))


def test_mcp_serves_a_shelf_with_key_ids_and_schemas_that_hold(shelf: Path) -> None:
    from mcp import Client
    from mcp.client.stdio import StdioServerParameters

    env = {"BEIBEI_CACHE_DIR": os.environ["BEIBEI_CACHE_DIR"], "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    params = StdioServerParameters(command=PYTHON, args=["-m", "beibei_cli", "--data", str(shelf), "mcp"], env=env)

    async def script() -> dict[str, Any]:
        async with Client(params, read_timeout_seconds=60) as client:
            tools = {t.name: t for t in (await client.list_tools()).tools}
            out: dict[str, Any] = {"tools": tools}
            for name, args in [
                ("search", {"query": "招商"}),
                ("list_metrics", {"pillar": "tech-innovation"}),
                ("get_record", {"id": "beibei-2024:metric-rd-intensity"}),
                ("cite", {"id": "beibei-2023:case-investment-system"}),
                ("figure_series", {"query": "研发经费投入强度"}),
                ("list_pillars", {"detail": True}),
            ]:
                out[name] = await client.call_tool(name, args)
            out["bare"] = await client.call_tool("get_record", {"id": "metric-rd-intensity"})
            out["para"] = await client.read_resource("beibei://paragraph/beibei-2024:52")
            out["article"] = await client.read_resource("beibei://article")
            return out

    got = asyncio.run(script())
    tools = got["tools"]
    for name in ("search", "list_metrics", "figure_series", "list_pillars"):
        result = got[name]
        assert not result.is_error, result.content
        jsonschema.validate(result.structured_content, tools[name].output_schema, cls=jsonschema.Draft202012Validator)
        rows = result.structured_content["results"]
        assert rows and all(r["report"] in ("beibei-2023", "beibei-2024") for r in rows)
    hits = got["search"].structured_content
    assert hits["status"] == "found" and hits["results"][0]["id"].startswith("beibei-2023:")
    assert all(h["quote"] and h["para"] for h in hits["results"])
    assert got["get_record"].structured_content["report"] == "beibei-2024"
    assert got["cite"].structured_content["para"] and "第" in got["cite"].structured_content["citation"]
    assert got["bare"].is_error and "beibei-2023:metric-rd-intensity" in got["bare"].content[0].text
    assert "5.09%" in got["para"].contents[0].text
    assert got["article"].contents[0].text.startswith("beibei-2023\t1\t")


def test_a_report_that_failed_is_said_in_the_api_and_mcp(tmp_path: Path) -> None:
    from mcp import Client
    from mcp.client.stdio import StdioServerParameters

    copy_report(tmp_path / "shelf", "good.yaml")
    (tmp_path / "shelf" / "broken.yaml").write_text("schema_version: [\n", encoding="utf-8")
    with pytest.warns(UserWarning, match="a report of the shelf did not load"):
        report = beibei_cli.load(str(tmp_path / "shelf"))
    assert [f["file"].endswith("broken.yaml") for f in report.failed] == [True]
    assert report.info()["failed"] == report.failed
    env = {"BEIBEI_CACHE_DIR": os.environ["BEIBEI_CACHE_DIR"], "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    params = StdioServerParameters(
        command=PYTHON, args=["-m", "beibei_cli", "--data", str(tmp_path / "shelf"), "mcp"], env=env
    )

    async def script() -> tuple[Any, Any]:
        async with Client(params, read_timeout_seconds=60) as client:
            return (
                await client.call_tool("search", {"query": "人口"}),
                await client.call_tool("list_reports", {}),
            )

    searched, listed = asyncio.run(script())
    assert searched.structured_content["status"] == "not-stated"
    assert (
        "could not be read" in searched.structured_content["answer"]
        and "broken.yaml" in searched.structured_content["answer"]
    )
    errors = [r for r in listed.structured_content["results"] if r["error"]]
    assert len(errors) == 1 and errors[0]["key"] == "broken"


def test_the_api_keeps_reports_by_date(tmp_path: Path) -> None:
    from tests.test_shelf import _dated_shelf

    shelf = _dated_shelf(tmp_path / "shelf")
    kept = beibei_cli.load(str(shelf), reports_since="2022")
    assert [r["key"] for r in kept.reports()] == ["r2022", "r2023"]
    with pytest.raises(UsageError, match="dated within"):
        beibei_cli.load(str(shelf / "r2021.yaml"), reports_since="2022")
