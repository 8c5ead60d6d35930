"""Search output for people: snippets in one language, the kind shown, a hint
when nothing is found at a terminal, and colour in piped output when asked."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beibei_cli.output.hits import MATCH_OFF, MATCH_ON
from beibei_cli.snippets import snippet
from tests.test_process import _in_pty

QUERIES = ["招商", "西南大学", "经济", "北碚", "投资", "zhaoshang", "创新", "Investment", "university"]
ENGLISH_WORD = re.compile(r"[A-Za-z]{4,}")  # the article itself has only GDP and EOD
HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.mark.parametrize("query", QUERIES)
def test_chinese_snippets_have_no_english_fragments(run, query: str) -> None:  # type: ignore[no-untyped-def]
    hits = json.loads(run("search", query, "--any", "--format", "json").out)
    assert hits
    for hit in hits:
        assert not ENGLISH_WORD.search(hit["snippet"]), (hit["id"], hit["snippet"])


@pytest.mark.parametrize("query", ["Investment", "university", "招商"])
def test_english_snippets_are_english_when_the_record_has_english(run, query: str) -> None:  # type: ignore[no-untyped-def]
    hits = json.loads(run("--lang", "en", "search", query, "--format", "json").out)
    assert hits
    for hit in hits:
        if hit["kind"] != "paragraph":  # the article's paragraphs have no translation
            assert not HAN.search(hit["snippet"]) or not ENGLISH_WORD.search(hit["snippet"]), hit["snippet"]


def test_a_snippet_stays_inside_one_line_of_the_text() -> None:
    text = "招商投资额 428亿元\n2022年招商投资额达428亿元\nInvestment attracted\nA note that is English."
    shown, spans = snippet(text, [[0, 2], [17, 19]], "zh", context=20, title_len=11)
    assert shown == "2022年招商投资额达428亿元" and [shown[a:b] for a, b in spans] == ["招商"]
    shown, spans = snippet(text, [[0, 2], [17, 19]], "en", context=20, title_len=11)
    assert shown == "Investment attracted" and spans == []


def test_the_search_table_shows_the_kind(run) -> None:  # type: ignore[no-untyped-def]
    zh = run("search", "招商", "--format", "table", env={"COLUMNS": "120"}).out
    assert "类别" in zh.splitlines()[1] and "案例" in zh
    en = run("--lang", "en", "search", "招商", "--format", "table", env={"COLUMNS": "120"}).out
    assert "Kind" in en.splitlines()[1] and "case" in en


def test_no_hits_at_a_terminal_prints_a_hint_and_piped_nothing(run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    piped = run("search", "没有这个词")
    assert piped.code == 1 and piped.out == "" and piped.err == ""
    code, shown = _in_pty(["search", "没有这个词"], {"BEIBEI_CACHE_DIR": str(tmp_path)})
    assert code == 1
    lines = [line for line in shown.splitlines() if line.strip()]
    # not "try fewer terms": the report does not mention it, and the line says so
    assert len(lines) == 1 and "报告中没有提到“没有这个词”" in lines[0]
    code, shown = _in_pty(["--lang", "en", "search", "nosuchwordanywhere"], {"BEIBEI_CACHE_DIR": str(tmp_path)})
    assert code == 1 and "the report does not mention nosuchwordanywhere" in shown


def test_color_always_colours_matches_in_piped_plain_output(run) -> None:  # type: ignore[no-untyped-def]
    plain = run("search", "招商").out
    coloured = run("--color", "always", "search", "招商").out
    assert MATCH_ON + "招商" + MATCH_OFF in coloured
    assert coloured.replace(MATCH_ON, "").replace(MATCH_OFF, "") == plain  # the same text, only coloured
    some = run("--color", "always", "search", "招商", "--fields", "id,snippet").out
    assert (
        MATCH_ON in some
        and some.replace(MATCH_ON, "").replace(MATCH_OFF, "") == run("search", "招商", "--fields", "id,snippet").out
    )


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "tsv", "yaml"])
def test_machine_formats_never_carry_colour(run, fmt: str) -> None:  # type: ignore[no-untyped-def]
    for args in (("search", "招商"), ("metrics",), ("entities",)):
        out = run("--color", "always", *args, "--format", fmt).out
        assert "\x1b" not in out, (args, fmt)


def test_never_and_no_color_stay_plain(run) -> None:  # type: ignore[no-untyped-def]
    assert "\x1b" not in run("--color", "never", "search", "招商").out
    assert "\x1b" not in run("search", "招商", env={"NO_COLOR": "1"}).out


@given(
    st.text(
        alphabet="abcXYZ 1.,@[`{é中文\u33ff\u3400\u9fff\ua000\uf8ff\uf900\ufaff\ufb00\U0001ffff\U00020000\U0003134f\U00031350\ud800\x80"
    )
)
def test_line_language_counts_every_character(line: str) -> None:
    """The fast count agrees with the definition: zh when a line has Chinese characters
    and at least a third as many as ASCII letters, else en when it has letters."""
    from beibei_cli.search.normalize import is_han
    from beibei_cli.snippets import _lang_of

    han = sum(1 for ch in line if is_han(ch))
    latin = sum(1 for ch in line if ch.isascii() and ch.isalpha())
    assert _lang_of(line) == ("zh" if han and han * 3 >= latin else "en" if latin else None)
