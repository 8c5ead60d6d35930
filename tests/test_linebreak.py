"""Chinese line breaking: no line starts with closing or ends with opening
punctuation, and a number stays with its unit, in every text of the report
rendered at 40, 60, 80 and 100 columns."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beibei_cli.output import linebreak as lb
from tests.conftest import python_env

WIDTHS = (40, 60, 80, 100)
# a number and the unit after it, as they occur in the report
NUMBER_UNIT = re.compile(r"\d+(?:\.\d+)?(?:[%‰]|余?[年月日号户个家栋倍亿万元]+)")


def _report_texts() -> list[tuple[str, str, str]]:
    """(record id, field, text) for every text field of every record, and every paragraph."""
    from beibei_cli.report import load_report

    report = load_report(None)
    out = []

    def walk(rid: str, path: str, value: object) -> None:
        if isinstance(value, str):
            if any(ord(ch) > 0x2E80 for ch in value):
                out.append((rid, path, value))
        elif isinstance(value, dict):
            for key, v in value.items():
                if not str(key).startswith("_") and key != "id":
                    walk(rid, f"{path}.{key}", v)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(rid, f"{path}[{i}]", v)

    for kind, recs in report.records.items():
        for rec in recs:
            walk(rec["id"], kind, rec)
    for p in report.paragraphs:
        out.append((p["id"], "paragraph.text", p["text"]))
    return out


def check_lines(lines: list[str], original: str) -> list[str]:
    """Every rule broken by ``lines`` (the wrapped form of ``original``)."""
    problems = []
    for line in lines:
        problems += lb.line_problems(line)
    # a number is split from its unit when a number-with-unit of the original is not whole on one line
    for m in NUMBER_UNIT.finditer(original):
        if not any(m.group() in line for line in lines):
            problems.append(f"{m.group()!r} split across lines: {lines!r}")
    return problems


def test_the_examples_of_the_issue() -> None:
    text = "解决企业难题1896户，2022年6月10日起招商投资额达93.9亿元，“生命线”（招商）。"
    for width in range(14, 40):  # narrower than its widest piece (13 cells) a rule must give
        lines = lb.lines(text, width)
        assert "".join(lines) == text
        assert check_lines(lines, text) == [], width
        assert all(lb.cell_width(line) <= width for line in lines)
    assert "1896户，" in "".join(lb.lines(text, 14)).split("\n")[0] or any("1896户" in x for x in lb.lines(text, 14))


def test_closing_punctuation_never_starts_a_line() -> None:
    # at width 10 a naive fold puts the comma at the start of the second line
    assert lb.lines("一二三四五，六七八", 10) == ["一二三四", "五，六七八"]
    assert lb.lines("甲乙丙丁“戊己”", 8) == ["甲乙丙丁", "“戊己”"]
    assert lb.lines("甲乙丙丁戊己”。", 12) == ["甲乙丙丁戊", "己”。"]


def test_numbers_stay_with_their_units() -> None:
    assert lb.lines("解决1896户企业", 7) == ["解决", "1896户", "企业"]
    assert lb.lines("到2022年6月底", 10) == ["到", "2022年6月", "底"]
    assert lb.lines("到位资金93.9亿元", 12) == ["到位资金", "93.9亿元"]
    assert lb.lines("增长10余倍", 8) == ["增长", "10余倍"]


@given(
    st.text(alphabet="一二三四，。、；：？！“”‘’（）《》【】1234567890.%年月户亿元 ab", max_size=60), st.integers(6, 40)
)
def test_wrapping_keeps_every_character_and_the_width(text: str, width: int) -> None:
    text = text.strip()
    lines = lb.lines(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        assert lb.cell_width(line) <= width or len(line) == 1


@pytest.mark.parametrize("width", WIDTHS)
def test_every_text_of_the_report_in_a_terminal_record(width: int) -> None:
    """Each text field rendered as `show` renders it (a panel of label and value) at each width."""
    from rich.text import Text as SText

    from beibei_cli.output import terminal

    problems = []
    for rid, field, text in _report_texts():
        rendered = terminal.record({"id": rid, "text": text}, lang="zh", width=width, color=False)
        body = []
        for line in rendered.splitlines()[1:-1]:  # inside the panel, after the label column
            inner = line[1:-1]
            body.append(inner.split("  ", 1)[1].strip() if "  " in inner else inner.strip())
        problems += [f"{rid} {field} @{width}: {p}" for p in check_lines(body, text)]
        # and as a wrapping table cell, at the width a name column gets
        lines = terminal.wrapped_lines(SText(text), width // 3)
        problems += [f"{rid} {field} cell @{width // 3}: {p}" for p in check_lines([t.plain for t in lines], text)]
    assert problems == []


def test_linebreak_imports_in_a_millisecond_or_so() -> None:
    """The measured import cost (stdlib only: re and unicodedata, both loaded by Python already)."""
    code = "import sys; import beibei_cli.output.linebreak; print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'budoux', 'yaml')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=python_env(), check=True)
    assert done.stdout.strip() == "[]"


def test_short_bracketed_and_quoted_groups_stay_whole() -> None:
    assert lb.lines("2022（推断）", 8) == ["2022", "（推断）"]
    assert lb.lines("抓好经济工作的“生命线”", 14) == ["抓好经济工作的", "“生命线”"]


@pytest.mark.parametrize(("text", "width"), [("0（.、、", 6), ("0《、、！", 7)])
def test_a_fold_that_backs_off_still_fits_the_width(text: str, width: int) -> None:
    """Found by the property test above: backing off from a bad cut left a line wider than the width."""
    lines = lb.lines(text, width)
    assert "".join(lines) == text and all(lb.cell_width(line) <= width for line in lines)
