"""Every kind of record has a listing: CLI, Python API and MCP, from one declaration each."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from beibei_cli import api
from beibei_cli.declare import QUERIES
from tests.conftest import DATA

RAW: dict[str, Any] = yaml.safe_load(DATA.read_text(encoding="utf-8"))

# command -> the top-level list of data/report.yaml that it lists
KINDS = {
    "goals": "goals",
    "plans": "plans",
    "cases": "cases",
    "honours": "honours",
    "sections": "sections",
    "captions": "captions",
}


@pytest.fixture(scope="module")
def report() -> api.Report:
    return api.load()


def _json(run: Any, *args: str) -> list[dict[str, Any]]:
    result = run(*args, "-f", "json")
    assert result.code == 0, result.err
    rows: list[dict[str, Any]] = json.loads(result.out)
    return rows


@pytest.mark.parametrize("command", sorted(KINDS))
@pytest.mark.parametrize("fast", [True, False])
def test_listing_lists_every_record_of_its_kind(run, command: str, fast: bool) -> None:  # type: ignore[no-untyped-def]
    rows = _json(run, command) if fast else _json(run, command, "--lang", "zh")
    want = [record["id"] for record in RAW[KINDS[command]]]
    assert sorted(row["id"] for row in rows) == sorted(want)


def test_issue_counts() -> None:
    # The counts the issue gives for the report: 19 plans, 14 cases, 22 goals, 14 honours.
    assert [len(RAW[k]) for k in ("plans", "cases", "goals", "honours")] == [19, 14, 22, 14]


def test_plans_for_2023_are_all_seven(run) -> None:  # type: ignore[no-untyped-def]
    rows = _json(run, "plans", "--year", "2023")
    assert len(rows) == 7
    assert {row["year"] for row in rows} == {"2023"}  # an ISO date, as as_of is
    assert len(_json(run, "plans", "-y", "2023")) == 7


def test_plans_since_until_bound_by_year(run) -> None:  # type: ignore[no-untyped-def]
    every = _json(run, "plans")
    since = _json(run, "plans", "--since", "2024")
    until = _json(run, "plans", "--until", "2023")
    dated = [row for row in every if row.get("year") is not None]
    assert all(int(row["year"][:4]) >= 2024 for row in since)
    assert all(int(row["year"][:4]) <= 2023 for row in until)
    assert len(since) + len(until) == len(dated)


@pytest.mark.parametrize("command", ["goals", "plans", "cases", "honours"])
def test_pillar_filter_takes_name_or_id(run, command: str) -> None:  # type: ignore[no-untyped-def]
    by_name = _json(run, command, "--pillar", "科技创新")
    by_id = _json(run, command, "--pillar", "tech-innovation")
    assert by_name == by_id
    assert by_name, f"{command} has records under 科技创新"
    assert {row["pillar"] for row in by_name} == {"tech-innovation"}
    assert len(by_name) < len(_json(run, command))


def test_unknown_pillar_is_a_usage_error(run) -> None:  # type: ignore[no-untyped-def]
    result = run("plans", "--pillar", "没有这个")
    assert result.code == 2
    assert result.out == ""
    assert len(result.err.strip().splitlines()) == 1


def test_fields_on_an_empty_result_are_checked_against_the_kind(run) -> None:  # type: ignore[no-untyped-def]
    # --fields is judged by the declared row kind, not by the rows that came back.
    empty = run("plans", "--year", "1900", "--fields", "id,quote", "-f", "tsv")
    assert (empty.code, empty.out, empty.err) == (0, "id\tquote\n", "")


@pytest.mark.parametrize("command", sorted(KINDS))
def test_unknown_field_is_refused(run, command: str) -> None:  # type: ignore[no-untyped-def]
    bad = run(command, "--fields", "id,nonsense", "-f", "tsv")
    assert bad.code == 2 and "nonsense" in bad.err and bad.out == ""


@pytest.mark.parametrize("command", sorted(KINDS))
def test_api_method_is_the_cli_json(run, report: api.Report, command: str) -> None:  # type: ignore[no-untyped-def]
    assert getattr(report, command)() == _json(run, command)


def test_api_listing_takes_the_declared_filters(report: api.Report) -> None:
    assert len(report.plans(year=2023)) == 7
    with pytest.raises(api.UsageError):
        report.plans(colour="red")


@pytest.mark.parametrize("command", sorted(KINDS))
def test_every_listing_is_declared_once_with_an_mcp_tool(command: str) -> None:
    named = [q for q in QUERIES if q["name"] == command]
    assert len(named) == 1
    assert named[0]["mcp"] == f"list_{command}"


@pytest.mark.parametrize("command", sorted(set(KINDS) - {"sections"}))
def test_rows_carry_their_quote_and_paragraph(run, command: str) -> None:  # type: ignore[no-untyped-def]
    source = "".join((DATA.parent / "source.txt").read_text(encoding="utf-8").split())
    for row in _json(run, command):
        assert row["quote"] and "".join(row["quote"].split()) in source, row["id"]
        assert isinstance(row["para"], int)


def test_honours_take_a_year(run) -> None:  # type: ignore[no-untyped-def]
    rows = _json(run, "honours", "--year", "2022")
    assert rows and {row["year"] for row in rows} == {"2022"}
    every = [row for row in _json(run, "honours") if (row["year"] or "").startswith("2022")]
    assert [row["id"] for row in rows] == [row["id"] for row in every]
