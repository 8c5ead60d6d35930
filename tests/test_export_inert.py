"""Exports stay inert: report text never becomes markup in Markdown or HTML, nor runs in a browser.

The report is the real one with an attack appended to every text of every record
(ids and references included, so that the records still link up), built without
the loader: this tests the output layer alone.
"""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beibei_cli import output, queries
from beibei_cli.output import export, render
from beibei_cli.report import Report, load_report
from tests.conftest import DATA
from tests.hostile import HTML_PAYLOAD, PAYLOADS

ATTACK = HTML_PAYLOAD + PAYLOADS["terminal"] + PAYLOADS["bidi"]
KEEP = {"_kind", "kind", "type", "precision", "unit"}  # choices the code branches on


def _vocabulary() -> set[str]:
    """Every fixed word the schema offers (kinds, units, qualifiers…): values the code looks up."""
    from beibei_cli import models, quantity

    words: set[str] = set()
    for module in (models, quantity):
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, (tuple, dict)):
                words.update(v for v in value if isinstance(v, str))
    return words


VOCABULARY = _vocabulary()


def spoil(value: Any, key: str = "") -> Any:
    if isinstance(value, str):
        return value if key in KEEP or value in VOCABULARY else value + ATTACK
    if isinstance(value, list):
        return [spoil(v, key) for v in value]
    if isinstance(value, dict):
        return {k: spoil(v, k) for k, v in value.items()}
    return value


@pytest.fixture(scope="module")
def reports() -> tuple[Report, Report]:
    """(the real report, the same with ATTACK in every text)."""
    real = load_report(str(DATA), use_cache=False)
    data = copy.deepcopy(real.data)
    data.pop("index", None)
    return real, Report(spoil(data), str(DATA))


# -- Markdown ---------------------------------------------------------------------


def rendered_markdown(text: str) -> str:
    markdown_it = pytest.importorskip("markdown_it")
    return str(markdown_it.MarkdownIt("commonmark").enable("table").render(text))  # raw HTML on, as GitHub


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_markdown_export_is_text_only(reports: tuple[Report, Report], lang: str) -> None:
    real, bad = reports
    text = export.markdown(queries.document(bad, lang), lang)
    assert "<" not in text and ">" not in text  # the export writes no HTML of its own, and data makes none
    assert not re.search(r"&(?!amp;|lt;|gt;)", text)
    html = rendered_markdown(text)
    clean = rendered_markdown(export.markdown(queries.document(real, lang), lang))
    assert tags(html) == tags(clean)  # the same elements as the real report: no script, img, a
    assert html.count("<td") == clean.count("<td") and html.count("<li") == clean.count("<li")
    assert "<script>console.log" in unescape_html(html)  # shown as text


@pytest.mark.parametrize("fmt_rows", ["metrics", "entities", "timeline", "pillars"])
def test_markdown_tables_keep_their_columns(reports: tuple[Report, Report], fmt_rows: str) -> None:
    real, bad = reports
    rows = {
        "metrics": lambda r: queries.run(r, "metrics", {}, "zh"),
        "entities": lambda r: queries.entity_rows(r, type=None, lang="zh"),
        "timeline": lambda r: queries.timeline_rows(r, since=None, until=None, lang="zh"),
        "pillars": lambda r: queries.pillar_rows(r, detail=False, lang="zh"),
    }[fmt_rows]
    html = rendered_markdown(render(rows(bad), "md"))
    clean = rendered_markdown(render(rows(real), "md"))
    assert tags(html) == tags(clean)
    assert html.count("<td") == clean.count("<td")  # no | in the data split a cell


# -- HTML ---------------------------------------------------------------------------


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: dict[str, int] = {}
        self.attrs: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] = self.tags.get(tag, 0) + 1
        self.attrs.update(f"{tag}.{name}" for name, _ in attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(page: str) -> Collect:
    collect = Collect()
    collect.feed(page)
    collect.close()
    return collect


def tags(page: str) -> dict[str, int]:
    return parsed(page).tags


def unescape_html(page: str) -> str:
    return "".join(parsed(page).text)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_export_escapes_text_and_attributes(reports: tuple[Report, Report], lang: str) -> None:
    real, bad = reports
    page, clean = (
        parsed(export.html(queries.document(bad, lang), lang)),
        parsed(export.html(queries.document(real, lang), lang)),
    )
    assert page.tags == clean.tags  # not one element more: no script, img, svg
    assert page.attrs == clean.attrs  # not one attribute more: no onmouseover, onerror, href
    assert not any(a.split(".")[1].startswith("on") for a in page.attrs)
    text = "".join(page.text)
    assert HTML_PAYLOAD in text  # every attack is shown, as text
    assert "\x1b" not in export.html(queries.document(bad, lang), lang)  # and the terminal payload shown escaped
    assert "\\x1b[2J" in text


# -- in a real browser -----------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
]


def open_page(tmp: Path, page: Path) -> tuple[str, list[str]]:
    """The DOM after the page has loaded and its scripts ran, and the console messages."""
    assert CHROMIUM is not None
    try:
        done = subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={tmp / 'profile'}", "--dump-dom", page.as_uri()],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the page did not finish loading: a dialog (alert) is blocking it")
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, re.findall(r":CONSOLE[^\]]*\] (.*)", done.stderr)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_nothing_runs_in_a_browser(reports: tuple[Report, Report], tmp_path: Path) -> None:
    _, bad = reports
    page = tmp_path / "report.html"
    page.write_text(export.html(queries.document(bad, "en"), "en"), encoding="utf-8")
    dom, console = open_page(tmp_path, page)
    assert console == []  # no payload logged, no error from one
    assert "PWNED" in dom and "<script" not in dom and "<img" not in dom

    # the same page with one attack left unescaped does run: the check above can see it
    html = page.read_text(encoding="utf-8")
    raw = '<script>console.log("PWNED-script")</script>'
    control = tmp_path / "control.html"
    control.write_text(html.replace(export._html.escape(raw), raw), encoding="utf-8")
    _, console = open_page(tmp_path, control)
    assert any("PWNED-script" in line for line in console)


def test_cite_is_text_only(reports: tuple[Report, Report]) -> None:
    _, bad = reports
    for rid in (bad.paragraphs[30]["id"], bad.records["metric"][0]["id"]):
        text = output.citation(queries.citation(bad, rid), "md", "zh")
        assert "<" not in text and "\x1b" not in text and text.startswith("> ")
        assert tags(rendered_markdown(text)) == {"blockquote": 1, "p": 2}  # the quote, then the reference
        plain = output.citation(queries.citation(bad, rid), "plain", "zh")
        assert "\x1b" not in plain and "\\x1b[8m" in plain and "<script>" in plain


@given(st.text(alphabet="#=-+ \t\n0123456789٣.)&<>\\`*_[]|~a中\x1b\u202e", max_size=14))
def test_md_escape_is_the_substitution_it_describes(text: str) -> None:
    """The fast ``md_escape`` gives what the three substitutions it stands for give."""
    from beibei_cli.output import cell, md_escape

    specials = {"&": "&amp;", "<": "&lt;", ">": "&gt;", **{c: "\\" + c for c in "\\`*_[]|~"}}
    expected = re.sub(r"[&<>\\`*_\[\]|~]", lambda m: specials[m.group()], cell(text).lstrip(" "))
    expected = re.sub(r"^(\d{1,9})([.)])(?=\s|$)", r"\1\\\2", expected)
    expected = re.sub(r"^([#=+-])", r"\\\1", expected)
    assert md_escape(text) == expected
