"""Problems a new-user trial found: numeric bounds, stable columns, empty values,
filters that take what the interface shows, one-line data errors, API keywords."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import beibei_cli
from beibei_cli import quantity

# -- 1. --min/--max take any number a user may type ---------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1e16", 10**16),
        ("1e-5", 1e-5),
        ("-1e20", -(10**20)),
        ("1e20", 10**20),
        ("1e15", 10**15),
        ("1,000", 1000),
        ("１，０００", 1000),
        ("1,000万元", 10**7),
        ("1.5e3", 1500),
        ("１亿", 10**8),
    ],
)
def test_parse_amount_reads_exponents_and_separators(text: str, expected: float) -> None:
    assert quantity.parse_amount(text, "money") == expected


@pytest.mark.parametrize("text", ["1,00", "1,0000", ",100", "1e999999999", "nan", "inf", "1.2.3"])
def test_parse_amount_refuses_nonsense_in_one_line(text: str) -> None:
    with pytest.raises(quantity.QuantityError) as info:
        quantity.parse_amount(text, "money")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("option", "value", "count"),
    [("--min", "1e16", 0), ("--min", "1e-5", None), ("--min", "-1e20", None), ("--max", "1e20", None)],
)
def test_min_max_with_exponents(run, option: str, value: str, count: int | None) -> None:  # type: ignore[no-untyped-def]
    every = json.loads(run("metrics", "--kind", "money", "-f", "json").out)
    result = run("metrics", "--kind", "money", f"{option}={value}", "-f", "json")
    assert result.code == 0, result.err
    assert len(json.loads(result.out)) == (len(every) if count is None else count)


def test_min_with_thousands_separators(run) -> None:  # type: ignore[no-untyped-def]
    plain = run("metrics", "--kind", "count", "--min", "1000", "-f", "json").out
    assert run("metrics", "--kind", "count", "--min", "1,000", "-f", "json").out == plain
    assert run("metrics", "--kind", "count", "--min", "１，０００", "-f", "json").out == plain


def test_api_minimum_with_exponent() -> None:
    assert beibei_cli.load().metrics(kind="money", minimum="1e20") == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.floats().map(str), st.floats().map(repr), st.text(max_size=20)))
def test_any_min_text_never_crashes(run, text: str) -> None:  # type: ignore[no-untyped-def]
    text = text.replace("\x00", "")  # an argv cannot hold NUL
    result = run("metrics", "--kind", "money", f"--min={text}", "-f", "json")
    assert result.code in (0, 2), result.err
    if result.code == 2:
        assert result.err.count("\n") == 1, result.err


# -- 2. every listing's rows have one set and order of keys, whatever the filters --

LISTINGS = {
    "metrics": [
        ["--kind", "money", "--sort", "value"],
        ["--section", "results"],
        ["--section", "narrative"],
        ["--pillar", "科技创新"],
        ["--pillar", "general"],
        ["--sort", "name"],
        ["--sort", "pillar", "--reverse"],
        ["--kind", "count", "--min", "1000"],
        ["--kind", "duration"],
    ],
    "pillars": [["-n", "1"]],
    "timeline": [["--since", "2023"], ["--until", "2021"], ["--since", "2022-04", "--until", "2022-06"]],
    "entities": [["--type", "company"], ["--type", "place"], ["--type", "person"]],
    "source": [["--grep", "北碚"], ["--para", "1"], ["--para", "31"]],
    "search": [["--in", "metrics"], ["--in", "cases"], ["--in", "paragraphs"], ["--in", "events"]],
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("command", list(LISTINGS))
def test_listing_header_does_not_depend_on_filters(run, command: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    base = [command, "北碚"] if command == "search" else [command]
    every = run(*base, "--lang", lang, "-f", "tsv")
    assert every.code == 0, every.err
    header = every.out.split("\n", 1)[0]
    for extra in LISTINGS[command]:
        result = run(*base, *extra, "--lang", lang, "-f", "tsv")
        assert result.code == 0, (extra, result.err)
        assert result.out.split("\n", 1)[0] == header, extra


@pytest.mark.parametrize(
    "args",
    [
        ["metrics"],
        ["pillars"],
        ["pillars", "--detail"],
        ["timeline"],
        ["entities"],
        ["source"],
        ["search", "北碚"],
        ["search", "科技 生态", "--any"],
    ],
)
def test_every_row_has_the_same_keys(run, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(run(*args, "-f", "json").out)
    assert rows
    first = list(rows[0])
    assert all(list(row) == first for row in rows), [list(r) for r in rows if list(r) != first][:1]


# -- 3. an empty value is a one-line usage error, never "everything" ------------


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["metrics", "--pillar", ""], "valid pillars: eco-metropolis"),
        (["metrics", "--pillar", "  "], "valid pillars: eco-metropolis"),
        (["metrics", "--section", ""], "valid sections: lead"),
        (["source", "--grep", ""], "--grep is empty"),
        (["source", "--grep", " "], "--grep is empty"),
        (["show", ""], "the record id is empty"),
        (["cite", ""], "the record id is empty"),
    ],
)
def test_empty_values_are_usage_errors(run, args: list[str], fragment: str) -> None:  # type: ignore[no-untyped-def]
    result = run(*args)
    assert result.code == 2
    assert result.out == ""
    assert result.err.count("\n") == 1 and fragment in result.err, result.err


def test_empty_values_in_the_api() -> None:
    report = beibei_cli.load()
    for call in (
        lambda: report.metrics(pillar=""),
        lambda: report.metrics(section=""),
        lambda: report.source(grep=""),
        lambda: report.get(""),
        lambda: report.cite(""),
    ):
        with pytest.raises(beibei_cli.UsageError):
            call()


# -- 4. filters take what the interface shows ---------------------------------


@pytest.mark.parametrize("name", ["总体", "general", "GENERAL", "The report as a whole"])
def test_pillar_general_by_any_name(run, name: str) -> None:  # type: ignore[no-untyped-def]
    expected = run("metrics", "--pillar", "general", "-f", "json").out
    assert json.loads(expected)
    assert run("metrics", "--pillar", name, "-f", "json").out == expected


def test_pillar_in_traditional_characters(run) -> None:  # type: ignore[no-untyped-def]
    expected = run("metrics", "--pillar", "科技创新", "-f", "json").out
    assert json.loads(expected)
    assert run("metrics", "--pillar", "科技創新", "-f", "json").out == expected


def test_unknown_pillar_lists_general(run) -> None:  # type: ignore[no-untyped-def]
    result = run("metrics", "--pillar", "nope")
    assert result.code == 2 and "general (总体)" in result.err


# -- 5. a bad data file is one line; validate lists every problem --------------


def test_bad_data_is_one_line_naming_how_many_more(run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import DATA, SOURCE

    broken = (
        DATA.read_text(encoding="utf-8")
        .replace("value: 53.16", 'value: "abc"', 1)
        .replace("pillar: tech-innovation", "pillar: nowhere", 1)
        .replace("id: metric-rd-spending", "id: metric-rd-intensity", 1)
        .replace("    value: 53.16\n", "    value: 53.16\n    colour: red\n", 1)
    )
    path = tmp_path / "bad.yaml"
    path.write_text(broken, encoding="utf-8")
    (tmp_path / "source.txt").write_bytes(SOURCE.read_bytes())
    listed = run("validate", str(path))
    assert listed.code == 2
    problems = listed.out.splitlines()
    assert len(problems) >= 3
    result = run("--data", str(path), "metrics")
    assert result.code == 2 and result.out == ""
    assert result.err.count("\n") == 1, result.err
    assert result.err.startswith("beibei: " + problems[0])
    assert f"(and {len(problems) - 1} more: run 'beibei validate {path}')" in result.err


# -- 6. the API's keywords are the CLI's names; an unknown one is a UsageError ---


def test_api_metrics_takes_kind_min_max() -> None:
    report = beibei_cli.load()
    big = report.metrics(kind="money", min="1亿")
    assert big and all(m["kind"] == "money" and m["amount"] >= 10**8 for m in big)
    small = report.metrics(kind="money", max=10**8)
    assert small and all(m["amount"] <= 10**8 for m in small)
    assert report.metrics(kind="money", minimum="1亿") == big  # the query layer's name still works


@pytest.mark.parametrize(
    ("method", "args"),
    [("metrics", ()), ("pillars", ()), ("search", ("北碚",)), ("timeline", ()), ("entities", ()), ("source", ())],
)
def test_api_unknown_keyword_is_a_usage_error(method: str, args: tuple[str, ...]) -> None:
    from beibei_cli.declare import api_params, by_name

    accepted = ", ".join(p["api"] for p in api_params(by_name(method)))  # as declared
    with pytest.raises(beibei_cli.UsageError) as info:
        getattr(beibei_cli.load(), method)(*args, colour="red")
    assert f"{method}() got unknown keyword argument 'colour'; it takes {accepted}" == info.value.message


@pytest.mark.parametrize("fast", [True, False])
def test_entity_type_by_the_chinese_the_tables_show(run, fast: bool) -> None:  # type: ignore[no-untyped-def]
    from beibei_cli.output.labels import value_name

    expected = run("entities", "--type", "company", "-f", "json").out
    assert json.loads(expected)
    assert run("entities", "--type", value_name("company", "zh"), "-f", "json", fast=fast).out == expected
    assert beibei_cli.load().entities(type=value_name("university", "zh")) == beibei_cli.load().entities(
        type="university"
    )


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("args", [["metrics", "--fields", "id,id"], ["search", "招商", "--fields", "id,title, id"]])
def test_a_field_named_twice_is_refused_not_dropped(run, args: list[str], fast: bool) -> None:  # type: ignore[no-untyped-def]
    done = run(*args, "-f", "tsv", fast=fast)
    assert done.code == 2 and "--fields names 'id' twice" in done.err and done.out == "", done.err
