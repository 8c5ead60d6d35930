"""Commands, formats, the JSON contract and exit codes, in-process."""

from __future__ import annotations

import csv
import io
import json

import pytest
import yaml

MACHINE = ["plain", "tsv", "csv", "json", "jsonl", "yaml"]


def test_metrics_json_contract(run) -> None:  # type: ignore[no-untyped-def]
    r = run("metrics", "--format", "json")
    assert r.code == 0 and r.err == ""
    rows = json.loads(r.out)
    assert len(rows) >= 30
    for row in rows:
        assert list(row)[:6] == ["id", "name", "value", "unit", "pillar", "quote"]
        assert isinstance(row["value"], (int, float)) and not isinstance(row["value"], bool)
    forest = next(row for row in rows if row["value"] == 53.16)
    assert forest["unit"] == "%" and forest["pillar"] == "eco-culture"
    assert "\\u" not in r.out and "森林覆盖率" in r.out


def test_pillars_json_contract(run) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(run("pillars", "--format", "json").out)
    assert [(p["id"], p["kind"], p["name"]) for p in rows][2:] == [
        ("eco-culture", "article", "生态人文"),
        ("tech-innovation", "article", "科技创新"),
        ("private-economy", "article", "民营经济"),
        ("urban-rural", "article", "城乡融合"),
    ]
    assert "cases" not in rows[0]
    detail = json.loads(run("pillars", "--detail", "--format", "json").out)
    tech = next(p for p in detail if p["id"] == "tech-innovation")
    assert any("斯太宝" in c["title"] + c["quote"] for c in tech["cases"])
    assert any(m["value"] == 2854 for m in tech["metrics"])
    assert all("quote" in c for c in tech["cases"])


@pytest.mark.parametrize("fmt", MACHINE)
def test_every_machine_format_round_trips(run, fmt: str) -> None:  # type: ignore[no-untyped-def]
    fields = "id,name,value,unit,pillar"
    expected = json.loads(run("metrics", "--format", "json", "--fields", fields).out)
    out = run("metrics", "--format", fmt, "--fields", fields).out
    if fmt == "json":
        back = json.loads(out)
    elif fmt == "jsonl":
        back = [json.loads(line) for line in out.splitlines()]
    elif fmt == "yaml":
        back = yaml.safe_load(out)
    else:
        if fmt == "csv":
            table = list(csv.reader(io.StringIO(out)))
        else:
            table = [line.split("\t") for line in out.splitlines()]
        if fmt != "plain":
            assert table[0] == fields.split(",")
            table = table[1:]
        as_text = [
            [
                ("" if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)))
                for v in row.values()
            ]
            for row in expected
        ]
        assert table == as_text
        return
    assert back == expected


def test_no_header_drops_the_header(run) -> None:  # type: ignore[no-untyped-def]
    with_header = run("metrics", "--format", "tsv").out.splitlines()
    without = run("metrics", "--format", "tsv", "--no-header").out.splitlines()
    assert with_header[1:] == without
    assert with_header[0].startswith("id\tname\tvalue\tunit\tpillar\tquote")


def test_plain_is_the_default_when_piped(run) -> None:  # type: ignore[no-untyped-def]
    out = run("metrics").out
    lines = out.splitlines()
    assert len(lines) == len(json.loads(run("metrics", "-f", "json").out))
    assert all(line.startswith("metric-") for line in lines)
    assert "\x1b[" not in out and "┃" not in out


def test_fields_selects_and_orders(run) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(run("metrics", "-f", "json", "--fields", "value,id").out)
    assert all(list(r) == ["value", "id"] for r in rows)


def test_unknown_field_lists_the_available_ones(run) -> None:  # type: ignore[no-untyped-def]
    r = run("metrics", "--fields", "id,nope")
    assert r.code == 2
    assert "unknown field 'nope'" in r.err and "available fields: id, name, value" in r.err
    assert len(r.err.strip().splitlines()) == 1


def test_metrics_filters(run) -> None:  # type: ignore[no-untyped-def]
    by_name = json.loads(run("metrics", "-f", "json", "--pillar", "科技创新").out)
    by_id = json.loads(run("metrics", "-f", "json", "--pillar", "tech-innovation").out)
    assert by_name == by_id and by_name and all(m["pillar"] == "tech-innovation" for m in by_name)
    results = json.loads(run("metrics", "-f", "json", "--section", "results").out)
    assert results and all(m["section"] == "section-results" for m in results)
    assert {m["section"] for m in json.loads(run("metrics", "-f", "json", "--section", "数说成效").out)} == {
        "section-results"
    }
    top = json.loads(run("metrics", "-f", "json", "--sort", "value", "--limit", "3").out)
    assert [m["amount"] for m in top] == sorted((m["amount"] for m in top), reverse=True) and len(top) == 3
    money = [m for m in json.loads(run("metrics", "-f", "json").out) if m["kind"] == "money"]
    assert top[0]["amount"] == max(m["amount"] for m in money) and top[0]["text"] == "428亿元"


def test_unknown_pillar_lists_the_valid_ones(run) -> None:  # type: ignore[no-untyped-def]
    r = run("metrics", "--pillar", "旅游")
    assert r.code == 2 and "unknown pillar '旅游'" in r.err and "tech-innovation (科技创新)" in r.err


def test_show_any_kind(run) -> None:  # type: ignore[no-untyped-def]
    metrics = json.loads(run("metrics", "-f", "json").out)
    rec = json.loads(run("show", metrics[0]["id"], "--format", "json").out)
    assert rec["id"] == metrics[0]["id"] and rec["record"] == "metric"
    assert rec["quote"] and isinstance(rec["para"], int) and rec["quote"].replace(" ", "") in rec["paragraph"]
    pillar = json.loads(run("show", "tech-innovation", "-f", "json").out)
    assert pillar["record"] == "pillar" and pillar["cases"] and pillar["metrics"]
    para = json.loads(run("show", "para-1", "-f", "json").out)
    assert para["text"].startswith("聚焦")
    as_yaml = yaml.safe_load(run("show", "tech-innovation", "-f", "yaml").out)
    assert as_yaml == pillar


def test_show_unknown_id_suggests(run) -> None:  # type: ignore[no-untyped-def]
    r = run("show", "tech-inovation")
    assert r.code == 2
    assert "no record with id 'tech-inovation'" in r.err and "tech-innovation" in r.err
    assert "Traceback" not in r.err


def test_show_plain_when_piped(run) -> None:  # type: ignore[no-untyped-def]
    out = run("show", "tech-innovation").out
    assert "\x1b[" not in out and "name: 科技创新" in out


def test_info(run) -> None:  # type: ignore[no-untyped-def]
    info = json.loads(run("info", "-f", "json").out)
    assert info["title"].startswith("聚焦“两大定位”")
    assert info["schema_version"] == 2 and info["counts"]["pillar"] == 6 and info["counts"]["paragraph"] == 55


def test_timeline(run) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(run("timeline", "-f", "json").out)
    dates = [r["date"] for r in rows]
    assert dates[0] == "1949-12-08" and "2021-12-27" in dates
    assert all(list(r)[:5] == ["id", "date", "precision", "title", "quote"] for r in rows)
    inferred = next(r for r in rows if r["date"] == "2023-01-09")
    assert inferred["inferred"] is True
    since = json.loads(run("timeline", "-f", "json", "--since", "2022", "--until", "2022-06").out)
    assert since and all("2022" <= r["date"] <= "2022-06-99" for r in since)
    assert run("timeline", "--since", "2022-13").code == 2


def test_entities_and_mentions(run) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(run("entities", "-f", "json").out)
    swu = next(e for e in rows if e["name"] == "西南大学")
    assert swu["mentions"]
    shown = json.loads(run("show", swu["id"], "-f", "json").out)
    assert {m["id"] for m in shown["mentions"]} == set(swu["mentions"])
    companies = json.loads(run("entities", "-f", "json", "--type", "company").out)
    assert companies and all(e["type"] == "company" for e in companies)


def test_source_and_cite(run) -> None:  # type: ignore[no-untyped-def]
    out = run("source", "--para", "31").out
    assert out.startswith("31\t") and "市值已增长10余倍" in out
    assert run("source", "--grep", "不存在的词").code == 1
    assert run("source", "--para", "999").code == 2
    cite = run("cite", "para-31").out
    assert cite.startswith("“") and "第31段" in cite and "聚焦“两大定位”" in cite
    md = run("cite", "para-31", "--format", "md").out
    assert md.startswith("> ") and "第31段" in md


def test_english(run) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(run("--lang", "en", "pillars", "-f", "json").out)
    tech = next(p for p in rows if p["id"] == "tech-innovation")
    assert tech["name_zh"] == "科技创新" and tech["name"].isascii()
    env_rows = json.loads(run("pillars", "-f", "json", env={"BEIBEI_LANG": "en"}).out)
    assert env_rows == rows
    metric = json.loads(run("--lang", "en", "metrics", "-f", "json").out)[0]
    assert metric["name_zh"] and any("\u4e00" <= ch <= "\u9fff" for ch in metric["quote"])


def test_export_markdown_and_html(run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    md = run("export").out
    assert md.startswith("# 聚焦") and "| 森林覆盖率" in md.replace("全区", "")
    page = tmp_path / "r.html"
    r = run("export", "--format", "html", "-o", str(page))
    assert r.code == 0 and r.out == ""
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<table>" in html and "http" not in html


def test_version(run) -> None:  # type: ignore[no-untyped-def]
    from beibei_cli import __version__

    assert run("--version").out.strip() == f"beibei {__version__}"


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["metrics", "--frmat", "json"], "No such option"),
        (["nosuchcommand"], "No such command"),
        (["metrics", "--format", "xml"], "xml"),
        (["metrics", "--limit", "x"], "x"),
        (["show"], "Missing argument"),
    ],
)
def test_usage_errors_are_one_line_exit_2(run, args: list[str], fragment: str) -> None:  # type: ignore[no-untyped-def]
    r = run(*args)
    assert r.code == 2
    assert fragment in r.err
    assert len(r.err.strip().splitlines()) == 1 and "Traceback" not in r.err


def test_help_lists_exit_codes_and_environment(run) -> None:  # type: ignore[no-untyped-def]
    out = run("--help").out
    assert "Exit codes" in out and "BEIBEI_DATA" in out and "NO_COLOR" in out
    for command in ("pillars", "metrics", "show", "search", "info", "timeline", "entities", "source", "cite"):
        sub = run(command, "--help")
        assert sub.code == 0 and "Examples" in sub.out, command


def test_colour_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    from beibei_cli import output

    monkeypatch.setattr(output, "stdout_is_tty", lambda: True)
    for var in ("NO_COLOR", "CLICOLOR_FORCE", "CLICOLOR", "TERM"):
        monkeypatch.delenv(var, raising=False)
    assert output.use_color("auto") is True
    assert output.use_color("never") is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert output.use_color("auto") is False and output.use_color("always") is True
    monkeypatch.setenv("CLICOLOR_FORCE", "1")
    assert output.use_color("auto") is False  # NO_COLOR wins over CLICOLOR_FORCE
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setattr(output, "stdout_is_tty", lambda: False)
    assert output.use_color("auto") is True  # forced even when piped
    monkeypatch.delenv("CLICOLOR_FORCE")
    assert output.use_color("auto") is False
    monkeypatch.setattr(output, "stdout_is_tty", lambda: True)
    monkeypatch.setenv("TERM", "dumb")
    assert output.use_color("auto") is False
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("CLICOLOR", "0")
    assert output.use_color("auto") is False


def test_table_format_renders_and_colour_only_when_asked(run) -> None:  # type: ignore[no-untyped-def]
    plain_table = run("metrics", "-f", "table", env={"COLUMNS": "100"}).out
    assert "森林覆盖率" in plain_table and "\x1b[" not in plain_table
    coloured = run("--color", "always", "metrics", "-f", "table", env={"COLUMNS": "100"}).out
    assert "\x1b[" in coloured
    for line in plain_table.splitlines():
        assert _cells(line) <= 100


def _cells(line: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


@pytest.mark.parametrize("width", [60, 80, 160])
def test_tables_fit_the_terminal(run, width: int) -> None:  # type: ignore[no-untyped-def]
    for args in (["metrics"], ["pillars", "--detail"], ["search", "招商"], ["timeline"]):
        out = run(*args, "-f", "table", env={"COLUMNS": str(width)}).out
        assert out.strip(), args
        assert max(_cells(line) for line in out.splitlines()) <= width, (args, width)


def test_forty_column_terminal(run) -> None:  # type: ignore[no-untyped-def]
    for args in (["metrics"], ["pillars"], ["show", "tech-innovation"], ["search", "招商"], ["entities"]):
        r = run(*args, "-f", "table", env={"COLUMNS": "40"})
        assert r.code == 0 and r.out.strip(), args
        assert max(_cells(line) for line in r.out.splitlines()) <= 40, args


def test_english_labels_in_tables(run) -> None:  # type: ignore[no-untyped-def]
    zh = run("metrics", "-f", "table", env={"COLUMNS": "120"}).out
    en = run("--lang", "en", "metrics", "-f", "table", env={"COLUMNS": "120"}).out
    assert "名称" in zh and "Name" in en and "Forest" in en and "名称" not in en


def test_section_narrative_is_the_complement_of_results(run) -> None:  # type: ignore[no-untyped-def]
    every = {m["id"] for m in json.loads(run("metrics", "-f", "json").out)}
    results = {m["id"] for m in json.loads(run("metrics", "-f", "json", "--section", "results").out)}
    narrative = {m["id"] for m in json.loads(run("metrics", "-f", "json", "--section", "narrative").out)}
    assert results and narrative and results | narrative == every and not results & narrative
    assert any(m for m in narrative if "investment" in m or "tenghai" in m)


def test_show_accepts_an_exact_name(run) -> None:  # type: ignore[no-untyped-def]
    by_name = json.loads(run("show", "科技创新", "-f", "json").out)
    assert by_name["id"] == "tech-innovation"
    assert json.loads(run("show", "西南大学", "-f", "json").out)["record"] == "entity"


def test_info_and_show_render_as_tables(run) -> None:  # type: ignore[no-untyped-def]
    """A record without an id (info) renders as a panel too (a crash found in a new-user trial)."""
    for args in (["info"], ["show", "tech-innovation"], ["--lang", "en", "info"]):
        r = run(*args, "-f", "table", env={"COLUMNS": "80"})
        assert r.code == 0 and "╭" in r.out, args


def test_rows_with_different_fields_print_in_every_format(run) -> None:  # type: ignore[no-untyped-def]
    """Timeline rows differ (inferred dates carry notes); every format keeps one column per field."""
    for fmt in ("plain", "tsv", "csv", "md", "table"):
        r = run("timeline", "--since", "2022", "--until", "2022-06", "-f", fmt)
        assert r.code == 0 and r.out, fmt
    tsv = run("timeline", "-f", "tsv").out.splitlines()
    header = tsv[0].split("\t")
    assert "inferred" in header and all(len(line.split("\t")) == len(header) for line in tsv)
    assert {line.split("\t")[header.index("inferred")] for line in tsv[1:]} == {"true", "false"}


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (["--lang", "en", "metrics", "-f", "json"], ["metrics", "-f", "json", "--lang", "en"]),
        (["--lang=en", "search", "招商", "-f", "json"], ["search", "招商", "--lang=en", "-f", "json"]),
        (["--color", "never", "metrics", "-n", "2"], ["metrics", "-n", "2", "--color", "never"]),
        (["--no-cache", "timeline", "-f", "json"], ["timeline", "--no-cache", "-f", "json"]),
    ],
)
@pytest.mark.parametrize("fast", [True, False])
def test_global_options_work_after_the_command(run, before: list[str], after: list[str], fast: bool) -> None:  # type: ignore[no-untyped-def]
    first, second = run(*before, fast=fast), run(*after, fast=fast)
    assert first.code == 0 and (second.code, second.out, second.err) == (first.code, first.out, first.err)


def test_global_option_after_a_double_dash_is_a_search_term(run) -> None:  # type: ignore[no-untyped-def]
    assert run("search", "--", "--lang").code == 1  # a query, not an option: nothing matches


def test_search_titles_in_english(run) -> None:  # type: ignore[no-untyped-def]
    hits = json.loads(run("--lang", "en", "search", "招商", "-f", "json").out)
    case = next(h for h in hits if h["id"] == "case-investment-system")
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in case["title"]) and "招商" in case["title_zh"]


def test_empty_table_says_so(run) -> None:  # type: ignore[no-untyped-def]
    r = run("metrics", "--pillar", "eco-metropolis", "-f", "table")
    assert r.code == 0 and r.out == "" and r.err == "没有符合条件的记录\n"
    r = run("--lang", "en", "metrics", "--pillar", "eco-metropolis", "-f", "table")
    assert r.code == 0 and r.out == "" and r.err == "no matching records\n"


def test_pillar_by_unique_prefix(run) -> None:  # type: ignore[no-untyped-def]
    full = run("metrics", "-f", "json", "--pillar", "tech-innovation").out
    assert run("metrics", "-f", "json", "--pillar", "科技").out == full
    assert run("metrics", "-f", "json", "--pillar", "tech").out == full
    assert run("metrics", "--pillar", "e").code == 2  # eco-metropolis or eco-culture: ambiguous


def test_source_grep_normalises_like_search(run) -> None:  # type: ignore[no-untyped-def]
    simplified = run("source", "--grep", "经济").out
    assert simplified and run("source", "--grep", "經濟").out == simplified
    assert run("source", "--grep", "４２８").out == run("source", "--grep", "428").out != ""


def test_lang_is_case_insensitive(run) -> None:  # type: ignore[no-untyped-def]
    assert run("--lang", "EN", "pillars", "-f", "json").out == run("--lang", "en", "pillars", "-f", "json").out


# -- one command line: the same flag means the same thing everywhere ---------------

LISTING = [
    ["pillars"],
    ["metrics"],
    ["search", "招商"],
    ["timeline"],
    ["entities"],
    ["source"],
]


@pytest.mark.parametrize("command", LISTING, ids=" ".join)
def test_limit_on_every_listing_command(run, command: list[str]) -> None:  # type: ignore[no-untyped-def]
    full = json.loads(run(*command, "-f", "json").out)
    assert len(full) > 2
    two = run(*command, "-n", "2", "-f", "json")
    assert two.code == 0 and json.loads(two.out) == full[:2]
    none = run(*command, "--limit", "0", "-f", "json")
    assert (none.code, json.loads(none.out)) == (0, [])  # 0 prints no rows; the exit code says it matched


def test_limit_zero_keeps_the_no_match_exit_code(run) -> None:  # type: ignore[no-untyped-def]
    assert run("search", "不存在的词", "-n", "0").code == 1


@pytest.mark.parametrize("option", ["--fields", "--in"])
@pytest.mark.parametrize("value", ["", ",", " , "])
def test_empty_list_options_are_one_error(run, option: str, value: str) -> None:  # type: ignore[no-untyped-def]
    r = run("search", "招商", option, value)
    assert r.code == 2 and len(r.err.strip().splitlines()) == 1
    assert "is empty" in r.err and ("cases" in r.err or "snippet" in r.err)  # names the valid values


def test_search_ids_and_counts_honour_format(run) -> None:  # type: ignore[no-untyped-def]
    hits = json.loads(run("search", "招商", "-f", "json").out)
    ids = json.loads(run("search", "招商", "-l", "-f", "json").out)
    assert ids == [h["id"] for h in hits]
    counts = json.loads(run("search", "招商", "--count", "-f", "json").out)
    expected: dict[str, int] = {}
    for h in hits:
        expected[h["kind"]] = expected.get(h["kind"], 0) + 1
    assert counts == expected
    assert run("search", "招商", "-l").out == "".join(i + "\n" for i in ids)
    rows = list(csv.reader(io.StringIO(run("search", "招商", "--count", "-f", "csv").out)))
    assert rows[0] == ["kind", "count"] and {r[0]: int(r[1]) for r in rows[1:]} == expected


def test_source_formats(run) -> None:  # type: ignore[no-untyped-def]
    paras = json.loads(run("source", "-f", "json").out)
    assert paras[30]["n"] == 31 and paras[30]["id"] == "para-31" and paras[30]["text"]
    table = run("source", "--para", "31", "-f", "table", env={"COLUMNS": "80"})
    assert table.code == 0 and ("│" in table.out or "┃" in table.out)  # a real table, not plain lines


def test_any_replaces_or(run) -> None:  # type: ignore[no-untyped-def]
    both = run("search", "斯太宝", "腾海工贸", "-l")
    either = run("search", "斯太宝", "腾海工贸", "--any", "-l")
    old = run("search", "斯太宝", "腾海工贸", "--or", "-l")
    assert both.code == 1 and either.code == 0 and old.out == either.out
    assert run("search", "斯太宝", "-o").code == 2  # -o is gone (grep and rg use it for only-matching)
    assert "--or" not in run("search", "--help").out


@pytest.mark.parametrize("fast", [True, False])
def test_internal_error_is_one_line_and_debug_shows_the_traceback(run, monkeypatch, fast: bool) -> None:  # type: ignore[no-untyped-def]
    from beibei_cli import queries

    def broken(report, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    monkeypatch.setattr(queries, "metric_rows", broken)
    quiet = run("metrics", "-f", "json", fast=fast)
    assert quiet.code == 70 and quiet.err.count("\n") == 1 and "internal error: RuntimeError: boom" in quiet.err
    for args, env in (
        (["metrics", "--debug"], None),
        (["--debug", "metrics"], None),
        (["metrics"], {"BEIBEI_DEBUG": "1"}),
    ):
        loud = run(*args, env=env, fast=fast)
        assert loud.code == 70 and "Traceback (most recent call last)" in loud.err and "boom" in loud.err


@pytest.mark.parametrize(
    "args", [["metrics", "--debug", "--frob"], ["--debug", "metrics", "--limit", "x"], ["--debug", "show", "nope"]]
)
def test_usage_errors_never_print_a_traceback(run, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    r = run(*args)
    assert r.code == 2 and "Traceback" not in r.err and len(r.err.strip().splitlines()) == 1


def test_version_is_the_fast_path(run) -> None:  # type: ignore[no-untyped-def]
    from beibei_cli import __version__

    assert run("--version", fast=True).out == run("--version", fast=False).out == f"beibei {__version__}\n"


def test_cite_takes_a_name_like_show(run) -> None:  # type: ignore[no-untyped-def]
    """Found by the differential test: `cite 科技创新` was an internal error (exit 70)."""
    r = run("cite", "科技创新")
    assert r.code == 0 and r.out.startswith("“") and "第" in r.out


@pytest.mark.parametrize("args", [("-l", "--count"), ("--ids", "-c"), ("-lc",)])
@pytest.mark.parametrize("fast", [True, False])
def test_search_ids_with_count_is_a_usage_error(run, args: tuple[str, ...], fast: bool) -> None:  # type: ignore[no-untyped-def]
    done = run("search", "招商", *args, fast=fast)
    assert done.code == 2 and done.out == ""
    assert done.err.count("\n") == 1 and "--ids" in done.err and "--count" in done.err


@pytest.mark.parametrize(
    "argv",
    [
        ["metrics"],
        ["pillars", "--detail"],
        ["timeline"],
        ["entities"],
        ["search", "北碚", "-n", "50"],
        ["show", "eco-culture"],
    ],
)
def test_the_fields_are_the_same_in_every_language(run, argv: list[str]) -> None:  # type: ignore[no-untyped-def]
    """`name` is in the interface language, `name_en` always English, `name_zh` always Chinese: the
    keys and their order do not depend on --lang (under en, name_en once vanished and name_zh moved,
    so `--fields id,name_en` failed and `cut -f N` changed meaning)."""

    def keys(value):  # type: ignore[no-untyped-def]
        if isinstance(value, dict):
            return [(k, keys(v)) for k, v in value.items()]
        if isinstance(value, list):
            return [keys(v) for v in value]
        return None

    zh = json.loads(run(*argv, "-f", "json").out)
    en = json.loads(run(*argv, "-f", "json", "--lang", "en").out)
    assert keys(zh) == keys(en)
    assert run("metrics", "--fields", "id,name_en,name_zh", "--lang", "en", "-f", "tsv").code == 0
    assert run("metrics", "--fields", "id,name_en,name_zh", "-f", "tsv").code == 0


def test_english_and_chinese_twins_in_every_language(run) -> None:  # type: ignore[no-untyped-def]
    """Search hits and nested rows carry both twins too (hits had title_zh only, nested goals,
    cases and figures only their _zh twin, so their English was out of reach under Chinese)."""
    for lang in ("zh", "en"):
        hits = run("search", "招商", "--fields", "id,title,title_en,title_zh", "-f", "json", "--lang", lang)
        assert hits.code == 0 and any(h["title_en"] for h in json.loads(hits.out))
        pillars = json.loads(run("pillars", "--detail", "-f", "json", "--lang", lang).out)
        tech = next(p for p in pillars if p["id"] == "tech-innovation")
        assert tech["goals"][0]["text_en"] and tech["goals"][0]["text_zh"]
        assert tech["metrics"][0]["name_en"] and tech["metrics"][0]["name_zh"]
        info = json.loads(run("info", "-f", "json", "--lang", lang).out)
        assert info["region_en"] == "Beibei District, Chongqing" and info["region_zh"] == "重庆市北碚区"
