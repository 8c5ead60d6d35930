"""``series`` and ``trend`` as a page (``--format html``): one self-contained file, every text escaped.

(The same pages in a real browser: tests/test_charts_browser.py.)
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import DATA
from tests.test_shelf import copy_report

BAR = re.compile(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="(?:20|14)\.0"')


def shelf(tmp_path: Path) -> Path:
    copy_report(tmp_path / "shelf", "beibei-2023.yaml")
    copy_report(tmp_path / "shelf" / "later", "beibei-2024.yaml")
    return tmp_path / "shelf"


def self_contained(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<script" not in page.lower() and "javascript:" not in page.lower()
    assert not re.search(r"https?:", page)  # no address at all: nothing to fetch
    assert "<style>" in page and "<link" not in page and "<img" not in page


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "typer"])
def test_series_draws_a_bar_per_report_where_the_units_agree(run, tmp_path: Path, fast: bool) -> None:  # type: ignore[no-untyped-def]
    data = shelf(tmp_path)
    page = tmp_path / "forest.html"
    done = run("--data", str(data), "series", "森林覆盖率", "-o", str(page), fast=fast)  # .html picks the page
    assert done.code == 0, done.err
    html = page.read_text(encoding="utf-8")
    self_contained(html)
    rows = json.loads(run("--data", str(data), "series", "森林覆盖率", "-f", "json").out)
    assert len({r["base_unit"] for r in rows}) == 1
    assert len(BAR.findall(html)) == len(rows) == 2  # one bar per report
    assert html.count("<tr>") == len(rows) + 1  # and the table of the rows
    for r in rows:
        assert r["report"] in html and r["figure"] in html and r["quote"] in html


def test_series_whose_units_differ_is_a_table_with_a_note(run) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(run("series", "yanfajingfei", "-f", "json").out)
    assert len({r["base_unit"] for r in rows}) > 1
    html = run("series", "yanfajingfei", "--format", "html").out
    self_contained(html)
    assert "<svg" not in html and "单位不一" in html
    assert html.count("<tr>") == len(rows) + 1
    en = run("--lang", "en", "series", "yanfajingfei", "--format", "html").out
    note = re.search(r'<p class="note">(.*?)</p>', en)
    assert note and "units differ (%, 元)" in note.group(1)  # the base units are the report's own
    assert "<th>Report</th><th>Date</th>" in en


def test_trend_draws_a_bar_per_report_and_term_by_rate(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = shelf(tmp_path)
    with open(data / "later" / "source.txt", "a", encoding="utf-8") as text:  # a longer article: lower rates
        text.write("\n" + "北碚区加快建设西部科学城北碚园区。" * 200 + "\n")
    done = run("--data", str(data), "trend", "招商", "生态", "--format", "html")
    assert done.code == 0, done.err
    self_contained(done.out)
    rows = json.loads(run("--data", str(data), "trend", "招商", "生态", "-f", "json").out)
    bars = BAR.findall(done.out)
    assert len(bars) == len(rows) == 4
    widths = [float(w) for _, w in bars]
    assert rows[0]["count"] == rows[2]["count"] and rows[0]["per_10k"] > rows[2]["per_10k"]
    top = max(r["per_10k"] for r in rows)
    for r, w in zip(rows, widths, strict=True):  # each bar's length is its rate against the largest
        assert w == pytest.approx(max(widths) * r["per_10k"] / top, abs=0.2)
    assert done.out.count("<tr>") == len(rows) + 1


def test_every_text_of_the_page_is_escaped(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    term = '<script>alert("x")</script>&\x1b[31m'
    done = run("trend", term, "-o", str(tmp_path / "t.htm"))
    assert done.code == 1  # the term is not in the report: no match, and the page is written
    page = (tmp_path / "t.htm").read_text(encoding="utf-8")
    self_contained(page)
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;"
    assert page.count(escaped) >= 4 and "\x1b" not in page  # the title twice, the legend, the table
    assert page.count("<svg") == 1


def test_html_is_for_series_and_trend_only(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    done = run("metrics", "-o", str(tmp_path / "m.html"))
    assert done.code == 2 and "no format is written as .html" in done.err
    assert not (tmp_path / "m.html").exists()
    assert run("metrics", "--format", "html").code == 2
    limited = run("--data", str(DATA), "trend", "招商", "生态", "--format", "html", "--limit", "1").out
    assert limited.count("<tr>") == 2 and len(BAR.findall(limited)) == 1
    fields = run("trend", "招商", "--format", "html", "--fields", "term,count").out
    assert "<th>词语</th><th>数量</th></tr>" in fields
    bad = run("trend", "招商", "--format", "html", "--fields", "nope")
    assert bad.code == 2 and "Traceback" not in bad.err
