"""A shelf: --data given a folder, or more than once (issue 27).

With one report nothing changes; with more, every row carries ``report`` and ids are ``KEY:ID``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import DATA, SOURCE


def copy_report(folder: Path, name: str = "report.yaml", *, key: str | None = None, rename: bool = False) -> Path:
    """The shipped report (and its source) in ``folder``; ``key`` sets report.key, ``rename``
    gives its R&D figure an id of its own (metric-rd-intensity-b)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = DATA.read_text(encoding="utf-8")
    if key is not None:
        text = text.replace("report:\n", f"report:\n  key: {key}\n", 1)
    if rename:
        text = text.replace("  - id: metric-rd-intensity\n", "  - id: metric-rd-intensity-b\n", 1)
    (folder / name).write_text(text, encoding="utf-8")
    (folder / "source.txt").write_bytes(SOURCE.read_bytes())
    return folder / name


def rows(out: str) -> list[dict]:  # type: ignore[type-arg]
    return json.loads(out)


@pytest.fixture(params=[True, False], ids=["fast", "typer"])
def fast(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


def test_a_folder_of_two_reports_is_one_shelf(run, tmp_path: Path, fast: bool) -> None:  # type: ignore[no-untyped-def]
    copy_report(tmp_path / "shelf", "beibei-2023.yaml")
    copy_report(tmp_path / "shelf" / "later", "beibei-2024.yaml")
    single = run("--data", str(DATA), "metrics", "-f", "json", fast=fast)
    shelf = run("--data", str(tmp_path / "shelf"), "metrics", "-f", "json", fast=fast)
    assert shelf.code == single.code == 0, shelf.err
    one, both = rows(single.out), rows(shelf.out)
    assert len(both) == 2 * len(one)
    assert {r["report"] for r in both} == {"beibei-2023", "beibei-2024"}
    for key in ("beibei-2023", "beibei-2024"):
        mine = [r for r in both if r["report"] == key]
        assert [r["id"] for r in mine] == [f"{key}:{r['id']}" for r in one]
        # apart from report and the ids, each report's rows are the single report's rows
        assert [{k: v for k, v in r.items() if k not in ("report", "id")} for r in mine] == [
            {k: v for k, v in r.items() if k != "id"} for r in one
        ]
        assert all(list(r)[0] == "report" for r in mine)


def test_data_given_twice_is_the_same_shelf_as_the_folder(run, tmp_path: Path, fast: bool) -> None:  # type: ignore[no-untyped-def]
    a = copy_report(tmp_path / "shelf", "first.yaml")
    b = copy_report(tmp_path / "shelf" / "more", "second.yaml")
    folder = run("--data", str(tmp_path / "shelf"), "search", "招商", "-f", "json", fast=fast)
    twice = run("--data", str(a), "--data", str(b), "search", "招商", "-f", "json", fast=fast)
    assert folder.code == twice.code == 0
    assert rows(folder.out) == rows(twice.out)
    assert {h["report"] for h in rows(twice.out)} == {"first", "second"}


@pytest.mark.parametrize(
    "args",
    [
        ["metrics", "-f", "tsv"],
        ["search", "招商", "-f", "json"],
        ["search", "不存在的词语", "-f", "json"],
        ["show", "metric-rd-intensity", "-f", "json"],
        ["show", "no-such-id"],
        ["cite", "metric-rd-intensity"],
        ["info", "-f", "json"],
        ["goals", "-f", "json"],
    ],
)
def test_one_report_in_a_folder_answers_as_the_file_does(run, tmp_path: Path, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    path = copy_report(tmp_path / "one")
    by_file = run("--data", str(path), *args)
    by_folder = run("--data", str(tmp_path / "one"), *args)
    twice = run("--data", str(path), "--data", str(path), *args)
    assert (by_folder.code, by_folder.out, by_folder.err) == (by_file.code, by_file.out, by_file.err)
    assert (twice.code, twice.out) == (by_file.code, by_file.out)


def test_keys_from_report_key_and_from_folders(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    copy_report(tmp_path / "s" / "x", key="beibei-2023")
    copy_report(tmp_path / "s" / "y")  # report.yaml too: its folder makes it unique
    copy_report(tmp_path / "s" / "z")
    result = run("--data", str(tmp_path / "s"), "sections", "-f", "json")
    assert result.code == 0, result.err
    assert sorted({r["report"] for r in rows(result.out)}) == ["beibei-2023", "y/report", "z/report"]


def test_two_reports_with_one_key_are_an_error_naming_both(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a = copy_report(tmp_path / "s" / "x", key="same")
    b = copy_report(tmp_path / "s" / "y", key="same")
    result = run("--data", str(tmp_path / "s"), "metrics")
    assert result.code == 2
    assert str(a) in result.err and str(b) in result.err
    assert "Traceback" not in result.err and len(result.err.strip().splitlines()) == 1


def test_a_key_must_be_kebab_case(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = copy_report(tmp_path / "k", key="Bad:Key")
    result = run("validate", str(path))
    assert result.code == 2
    assert "report.key" in result.out and "kebab-case" in result.out


def test_bare_ids_unique_on_the_shelf_or_refused_with_the_candidates(run, tmp_path: Path, fast: bool) -> None:  # type: ignore[no-untyped-def]
    copy_report(tmp_path / "s", "a.yaml")
    copy_report(tmp_path / "s" / "b", "b.yaml", rename=True)
    data = ["--data", str(tmp_path / "s")]
    unique = run(*data, "show", "metric-rd-intensity-b", "-f", "json", fast=fast)
    assert unique.code == 0, unique.err
    assert rows(unique.out)["id"] == "b:metric-rd-intensity-b" and rows(unique.out)["report"] == "b"
    keyed = run(*data, "show", "a:metric-rd-intensity", "-f", "json", fast=fast)
    assert rows(keyed.out)["id"] == "a:metric-rd-intensity"
    ambiguous = run(*data, "show", "para-3", fast=fast)
    assert ambiguous.code == 2
    assert "a:para-3" in ambiguous.err and "b:para-3" in ambiguous.err
    assert run(*data, "show", "nokey:para-3", fast=fast).code == 2
    cited = run(*data, "cite", "b:metric-rd-intensity-b", fast=fast)
    assert cited.code == 0 and "5.09%" in cited.out


def test_a_broken_report_is_named_and_the_others_answer(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    copy_report(tmp_path / "s", "good.yaml")
    copy_report(tmp_path / "s" / "more", "also.yaml")
    (tmp_path / "s" / "bad.yaml").write_text("schema_version: [unclosed\n", encoding="utf-8")
    result = run("--data", str(tmp_path / "s"), "metrics", "-f", "json")
    assert result.code == 0
    assert {r["report"] for r in rows(result.out)} == {"good", "also"}
    assert "bad.yaml" in result.err and "Traceback" not in result.err
    assert run("validate", str(tmp_path / "s")).code == 2  # validate says which file is bad


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_a_symlink_loop_in_the_folder_ends(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    copy_report(tmp_path / "s", "a.yaml")
    copy_report(tmp_path / "s" / "b", "b.yaml")
    os.symlink(tmp_path / "s", tmp_path / "s" / "b" / "loop")
    result = run("--data", str(tmp_path / "s"), "sections", "-f", "json")
    assert result.code == 0
    assert {r["report"] for r in rows(result.out)} == {"a", "b"}


def test_a_folder_with_no_report_is_a_clear_error(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("x", encoding="utf-8")
    result = run("--data", str(tmp_path / "empty"), "metrics")
    assert result.code == 2 and "no report file" in result.err


def test_commands_of_one_report_refuse_a_shelf(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    copy_report(tmp_path / "s", "a.yaml")
    copy_report(tmp_path / "s" / "b", "b.yaml")
    result = run("--data", str(tmp_path / "s"), "export")
    assert result.code == 2 and "one report" in result.err


def test_reports_lists_the_shelf_and_the_reports_that_failed(run, tmp_path: Path, fast: bool) -> None:  # type: ignore[no-untyped-def]
    copy_report(tmp_path / "s", "a.yaml", key="beibei-2023")
    copy_report(tmp_path / "s" / "b", "b.yaml")
    ok = run("--data", str(tmp_path / "s"), "reports", "-f", "json", fast=fast)
    assert ok.code == 0, ok.err
    listed = rows(ok.out)
    assert [r["key"] for r in listed] == ["b", "beibei-2023"]  # same date: by key
    single = rows(run("--data", str(DATA), "info", "-f", "json").out)
    for r in listed:
        assert r["title"] == single["title"] and r["date"] == single["date"] and r["error"] is None
        assert r["counts"] == single["counts"]
        assert r["records"] == sum(n for k, n in single["counts"].items() if k != "paragraph")
    (tmp_path / "s" / "broken.yaml").write_text("schema_version: [unclosed\n", encoding="utf-8")
    failed = run("--data", str(tmp_path / "s"), "reports", "-f", "json", fast=fast)
    assert failed.code == 2  # some report did not load: the exit code says so
    bad = [r for r in rows(failed.out) if r["error"]]
    assert [r["key"] for r in bad] == ["broken"] and "YAML" in bad[0]["error"]
    assert len(rows(failed.out)) == 3


def test_reports_of_one_report_is_one_row(run) -> None:  # type: ignore[no-untyped-def]
    result = run("--data", str(DATA), "reports", "-f", "json")
    assert result.code == 0
    assert [r["key"] for r in rows(result.out)] == ["report"]


def dated(path: Path, iso: str) -> None:
    """The report of ``path`` dated ``iso`` instead (a shelf needs reports of different dates)."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('    iso: "2023-01"\n', f'    iso: "{iso}"\n', 1), encoding="utf-8")


def test_series_one_row_per_report_and_figure_by_report_date(run, tmp_path: Path, fast: bool) -> None:  # type: ignore[no-untyped-def]
    later = copy_report(tmp_path / "s", "beibei-later.yaml")
    dated(copy_report(tmp_path / "s" / "old", "beibei-early.yaml"), "2021-01")
    single = run("--data", str(DATA), "series", "研发经费投入强度", "-f", "json", fast=fast)
    assert single.code == 0, single.err
    one = rows(single.out)
    assert one[0]["id"] == "metric-rd-intensity" and one[0]["figure"] == "5.09%" and one[0]["report"] == "report"
    assert all(r["quote"] in SOURCE.read_text(encoding="utf-8").replace("\n", "") for r in one)
    shelf = run("--data", str(tmp_path / "s"), "series", "研发经费投入强度", "-f", "json", fast=fast)
    both = rows(shelf.out)
    assert [r["report"] for r in both] == ["beibei-early"] * len(one) + ["beibei-later"] * len(one)
    assert [r["date"] for r in both] == ["2021-01"] * len(one) + ["2023-01"] * len(one)
    assert both[0]["id"] == "beibei-early:metric-rd-intensity"
    assert [r["figure"] for r in both] == [r["figure"] for r in one] * 2
    assert later.exists()
    none = run("--data", str(tmp_path / "s"), "series", "没有这个数字的名字", "-f", "json", fast=fast)
    assert none.code == 1 and rows(none.out) == []


def test_trend_counts_each_term_per_report(run, tmp_path: Path, fast: bool) -> None:  # type: ignore[no-untyped-def]
    from beibei_cli.report import squash

    copy_report(tmp_path / "s", "a.yaml")
    copy_report(tmp_path / "s" / "b", "b.yaml")
    dated(tmp_path / "s" / "a.yaml", "2021-01")
    with open(tmp_path / "s" / "b" / "source.txt", "a", encoding="utf-8") as handle:
        handle.write("\n招商引资，再招商。\n")  # a last paragraph of b's own: two more 招商
    result = run("--data", str(tmp_path / "s"), "trend", "招商", "科技创新", "-f", "json", fast=fast)
    assert result.code == 0, result.err
    got = {(r["report"], r["term"]): r for r in rows(result.out)}
    assert [(r["report"], r["term"]) for r in rows(result.out)] == [
        ("a", "招商"),
        ("a", "科技创新"),
        ("b", "招商"),
        ("b", "科技创新"),
    ]
    text = squash(SOURCE.read_text(encoding="utf-8"))
    a, b = got[("a", "招商")], got[("b", "招商")]
    assert a["count"] == text.count("招商") > 0
    assert b["count"] == a["count"] + 2
    assert a["chars"] == len(text) and b["chars"] == a["chars"] + len("招商引资，再招商。")
    assert a["per_10k"] == round(a["count"] * 10000 / a["chars"], 2)
    assert b["paras"][:-1] == a["paras"] and b["paras"][-1] > max(a["paras"])
    assert got[("a", "科技创新")]["count"] == text.count("科技创新")
    nothing = run("--data", str(tmp_path / "s"), "trend", "没有的词", "-f", "json", fast=fast)
    assert nothing.code == 1
    assert run("--data", str(tmp_path / "s"), "trend", " ", fast=fast).code == 2


def test_series_and_trend_in_the_python_api() -> None:
    import beibei_cli

    report = beibei_cli.load(str(DATA))
    series = report.series(query="研发经费投入强度")
    assert series[0]["id"] == "metric-rd-intensity" and series[0]["value"] == 5.09
    trend = report.trend(terms=["招商"])
    assert trend[0]["term"] == "招商" and trend[0]["count"] > 0


def test_report_option_keeps_the_reports_whose_key_matches(run, tmp_path: Path, fast: bool) -> None:  # type: ignore[no-untyped-def]
    copy_report(tmp_path / "s", "beibei-2023.yaml")
    copy_report(tmp_path / "s" / "x", "beibei-2024.yaml")
    copy_report(tmp_path / "s" / "y", "other.yaml")
    data = ["--data", str(tmp_path / "s")]
    globbed = run(*data, "--report", "beibei-*", "sections", "-f", "json", fast=fast)
    assert globbed.code == 0, globbed.err
    assert sorted({r["report"] for r in rows(globbed.out)}) == ["beibei-2023", "beibei-2024"]
    after = run(*data, "sections", "--report", "other", "--report", "beibei-2024", "-f", "json", fast=fast)
    assert sorted({r["report"] for r in rows(after.out)}) == ["beibei-2024", "other"]
    none = run(*data, "--report", "nothing-*", "sections", fast=fast)
    assert none.code == 2 and "matches no report" in none.err
    # one report: its own key (the file name) matches, or nothing does
    assert run("--data", str(DATA), "--report", "report", "sections", "-f", "json", fast=fast).code == 0
    assert run("--data", str(DATA), "--report", "other", "sections", fast=fast).code == 2


def test_source_on_a_shelf_says_which_report(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    copy_report(tmp_path / "s", "a.yaml")
    copy_report(tmp_path / "s" / "b", "b.yaml")
    result = run("--data", str(tmp_path / "s"), "source", "--para", "31", "-f", "plain")
    assert [line.split("\t")[:2] for line in result.out.splitlines()] == [["a", "31"], ["b", "31"]]


@pytest.mark.parametrize("query", ["招商", "zhaoshang", "private enterprises", "GDP增长"])
def test_search_on_a_shelf_ranks_as_each_report_does(run, tmp_path: Path, query: str) -> None:  # type: ignore[no-untyped-def]
    """The order is the ranking, printed as rank 1, 2, …: a report's hits in its own order, and on
    a shelf of two copies each report's best hit before either's second (not one score for all)."""
    single = rows(run("--data", str(DATA), "search", query, "-f", "json").out)
    assert [h["rank"] for h in single] == list(range(1, len(single) + 1))
    copy_report(tmp_path / "shelf", "a.yaml")
    copy_report(tmp_path / "shelf" / "b", "b.yaml")
    shelf = rows(run("--data", str(tmp_path / "shelf"), "search", query, "-f", "json").out)
    assert [h["rank"] for h in shelf] == list(range(1, len(shelf) + 1))
    assert [h["id"] for h in shelf[::2]] == [f"a:{h['id']}" for h in single]
    assert [h["id"] for h in shelf[1::2]] == [f"b:{h['id']}" for h in single]


def test_reports_counts_the_records_still_in_draft(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import ROOT

    copy_report(tmp_path / "shelf", "curated.yaml")
    article = ROOT.parent / "shared" / "source" / "beibei-report.txt"
    if not article.exists():
        article = SOURCE
    assert run("draft", str(article), "-o", str(tmp_path / "shelf" / "drafted.yaml")).code == 0
    listed = {r["key"]: r for r in rows(run("--data", str(tmp_path / "shelf"), "reports", "-f", "json").out)}
    assert listed["curated"]["drafts"] == 0
    assert listed["drafted"]["drafts"] == listed["drafted"]["records"] > 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("研发经费投入强度", ["metric-rd-intensity"]),  # not 研发经费 36.55亿元, whose quote holds the words
        ("R&D intensity", ["metric-rd-intensity"]),
        ("yanfajingfei", ["metric-rd-intensity", "metric-rd-spending"]),  # in the report's order
        ("GDP增长", []),  # 到位资金同比增长 shares only 增长: not a series of GDP growth
        ("人口增长", []),
        ("zaoshang", []),  # a fuzzy reading of 招商 is not what was asked
    ],
)
def test_series_takes_the_figures_whose_name_holds_the_words(run, query: str, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    done = run("series", query, "-f", "json")
    assert [r["id"] for r in rows(done.out)] == expected
    assert done.code == (0 if expected else 1)


def test_export_of_the_one_report_report_picks_is_written(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    copy_report(tmp_path / "shelf", "a.yaml")
    copy_report(tmp_path / "shelf" / "b", "b.yaml")
    out = tmp_path / "a.md"
    done = run("--data", str(tmp_path / "shelf"), "--report", "a", "export", "-o", str(out))
    assert done.code == 0, done.err
    assert out.read_text(encoding="utf-8") == run("--data", str(DATA), "export").out
    assert run("--data", str(tmp_path / "shelf"), "export", "-o", str(out)).code == 2  # two reports: refused


def test_trend_counts_a_term_whatever_its_case_or_width(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    copy_report(tmp_path / "shelf", "a.yaml")
    copy_report(tmp_path / "shelf" / "b", "b.yaml")
    for data in (str(DATA), str(tmp_path / "shelf")):  # one report, and a shelf counted by its store
        counted = rows(run("--data", data, "trend", "GDP", "gdp", "ＧＤＰ", "-f", "json").out)
        by_term: dict[str, list[int]] = {}
        for r in counted:
            by_term.setdefault(r["term"], []).append(r["count"])
        assert by_term["GDP"] == by_term["gdp"] == by_term["ＧＤＰ"] and all(by_term["GDP"]), by_term


def test_a_file_named_twice_is_one_report(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    copy_report(tmp_path / "shelf", "a.yaml")
    copy_report(tmp_path / "shelf" / "b", "b.yaml")
    monkeypatch.chdir(tmp_path / "shelf")
    twice = run("--data", ".", "--data", str(tmp_path / "shelf"), "reports", "-f", "json")
    assert twice.code == 0, twice.err
    assert [r["key"] for r in rows(twice.out)] == ["a", "b"]
    os.symlink("a.yaml", tmp_path / "shelf" / "alias.yaml")
    linked = run("--data", ".", "reports", "-f", "json")
    assert linked.code == 0 and [r["key"] for r in rows(linked.out)] == ["a", "b"], linked.err


def test_a_report_with_no_date_comes_last(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import yaml

    copy_report(tmp_path / "shelf", "dated.yaml")
    doc = yaml.safe_load((tmp_path / "shelf" / "dated.yaml").read_text(encoding="utf-8"))
    del doc["report"]["date"]
    (tmp_path / "shelf" / "undated.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    listed = rows(run("--data", str(tmp_path / "shelf"), "reports", "-f", "json").out)
    assert [(r["key"], r["date"]) for r in listed] == [("dated", "2023-01"), ("undated", None)]


def _dated_shelf(folder: Path) -> Path:
    """Three copies of the shipped report dated 2021-01, 2022-01 and 2023-01, keyed r2021…"""
    folder.mkdir(parents=True)
    (folder / "source.txt").write_bytes(SOURCE.read_bytes())
    text = DATA.read_text(encoding="utf-8")
    assert '    iso: "2023-01"\n' in text
    for year in (2021, 2022, 2023):
        dated = text.replace("report:\n", f"report:\n  key: r{year}\n", 1).replace(
            '    iso: "2023-01"\n', f'    iso: "{year}-01"\n', 1
        )
        (folder / f"r{year}.yaml").write_text(dated, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("bounds", "keys"),
    [
        (["--reports-since", "2022"], ["r2022", "r2023"]),
        (["--reports-until", "2022-01"], ["r2021", "r2022"]),
        (["--reports-since", "2021-06", "--reports-until", "2022"], ["r2022"]),
        (["--reports-since", "2022-01-15"], ["r2022", "r2023"]),  # a month can hold the day
    ],
)
def test_the_shelf_by_report_date(run, tmp_path: Path, fast: bool, bounds: list[str], keys: list[str]) -> None:  # type: ignore[no-untyped-def]
    shelf = _dated_shelf(tmp_path / "shelf")
    listed = run("--data", str(shelf), *bounds, "reports", "-f", "json", fast=fast)
    assert listed.code == 0, listed.err
    assert [r["key"] for r in rows(listed.out)] == keys
    found = rows(run("--data", str(shelf), "metrics", *bounds, "-f", "json", fast=fast).out)  # after the command too
    assert sorted({r["report"] for r in found}) == keys


@pytest.mark.parametrize(
    ("bounds", "message"),
    [
        (["--reports-since", "2030"], "no report of the shelf is dated within the bounds given"),
        (["--reports-since", "2022x"], "--reports-since: expected a date"),
        (["--reports-since", "2023", "--reports-until", "2022"], "is after --reports-until"),
    ],
)
def test_report_dates_that_keep_nothing_are_refused(run, tmp_path: Path, bounds: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    shelf = _dated_shelf(tmp_path / "shelf")
    done = run("--data", str(shelf), *bounds, "reports")
    assert done.code == 2 and message in done.err and done.out == "", done.err
    alone = run("--data", str(shelf / "r2021.yaml"), "--reports-since", "2022", "metrics")
    assert alone.code == 2 and "no report of the shelf is dated within" in alone.err
