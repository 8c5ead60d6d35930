"""Looser matching when a term has no exact match: parts, partial, fuzzy pinyin.

The queries of issue 16's table, the labels and notes, the guarantee that
exact matches are never displaced, and the relevance set's figures.
"""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beibei_cli.errors import UsageError
from beibei_cli.report import load_report
from beibei_cli.search.fallback import fuzzy_initials_pattern, fuzzy_pattern, split_term
from beibei_cli.search.query import Index, search
from beibei_cli.search.query import run as run_query
from beibei_cli.search.relevance import by_group, load_cases, score
from tests.conftest import DATA, python_env, word_start

RELEVANCE = Path(__file__).resolve().parent / "relevance.yaml"
# Measured on this set: recall@5 0.923, MRR 0.866 (exact matching only, as
# before issue 16: 0.568 and 0.571). The floors leave room for small changes
# of the data, not for losing a tier.
RECALL_FLOOR = 0.90
MRR_FLOOR = 0.85
ENGLISH_RECALL_FLOOR = 0.85


@pytest.fixture(scope="module")
def index() -> Index:
    return Index(load_report(str(DATA), use_cache=False).index())


def ids(hits: list[dict]) -> list[str]:
    return [h["id"] for h in hits]


# -- the queries of the issue ---------------------------------------------------


@pytest.mark.parametrize(
    "query, tier, expected, note",
    [
        (
            "斯太宝芯片",
            "parts",
            "case-sitaibao-chip-line",
            "no exact match for 斯太宝芯片; showing records that contain 斯太宝 and 芯片",
        ),
        (
            "腾海工贸土地",
            "parts",
            "case-tenghai-land",
            "no exact match for 腾海工贸土地; showing records that contain 腾海工贸 and 土地",
        ),
        (
            "西南大学合作",
            "parts",
            "case-xunjian-swu-base",
            "no exact match for 西南大学合作; showing records that contain 西南大学 and 合作",
        ),
        (
            "招商引资",
            "partial",
            "case-investment-system",
            "no exact match for 招商引资; showing partial matches, records that contain 招商 or 引资",
        ),
        (
            "人才引进",
            "partial",
            "science-city",
            "no exact match for 人才引进; showing partial matches, records that contain 人才 or 引进",
        ),
        (
            "农村公路",
            "partial",
            "project-four-good-rural-roads",
            "no exact match for 农村公路; showing partial matches, records that contain 农村 or 公路",
        ),
        (
            "zhaosang",
            "fuzzy-pinyin",
            "case-investment-system",
            "no exact match for zhaosang; showing fuzzy pinyin matches, such as 招商 (zhaoshang)",
        ),
        (
            "zaoshang",
            "fuzzy-pinyin",
            "case-investment-system",
            "no exact match for zaoshang; showing fuzzy pinyin matches, such as 招商 (zhaoshang)",
        ),
    ],
)
def test_issue_table_finds_what_the_article_has(index: Index, query: str, tier: str, expected: str, note: str) -> None:
    found = run_query(index, [query])
    assert expected in ids(found.hits)[:5]
    assert {h["match"] for h in found.hits} == {tier}
    assert found.note == note
    assert search(index, [query], exact=True) == []  # --exact: today's behaviour, nothing


def test_partial_ranks_by_how_much_of_the_term_a_record_holds(index: Index) -> None:
    # 农村公路: every record with 农村 qualifies; those with 农村…路 (roads) come first
    hits = search(index, ["农村公路"])
    roads = ["路" in h["text"] for h in hits]
    assert roads == sorted(roads, reverse=True) and any(roads) and not all(roads)


def test_parts_need_every_part_in_one_record(index: Index) -> None:
    for hit in search(index, ["斯太宝芯片"]):
        assert "斯太宝" in hit["text"] and "芯片" in hit["text"]
        shown = {hit["text"][s:e] for s, e in hit["matches"]}
        assert {"斯太宝", "芯片"} <= shown


def test_the_reports_subject_is_implied(index: Index) -> None:
    # every record is about 北碚: 北碚招商 is read as 招商, in Beibei, and that is the answer asked for
    # (北碚森林覆盖率 is 全区森林覆盖率53.16%): found, as 北碚 and 招商 typed apart are
    found = run_query(index, ["北碚招商"])
    assert "metric-investment-attracted-2022" in ids(found.hits)  # its text does not say 北碚
    assert {h["match"] for h in found.hits} == {"exact"}
    assert ids(run_query(index, ["北碚", "招商"]).hits) == ids(run_query(index, ["招商"]).hits)
    assert "metric-forest-coverage" in ids(run_query(index, ["北碚森林覆盖率"]).hits)
    assert run_query(index, ["北碚人口"]).hits == []  # the subject alone answers nothing


@pytest.mark.parametrize("query", ["GDP增长", "数字经济", "疫情防控", "房价"])
def test_absent_answers_return_nothing_or_only_partial_hits(index: Index, query: str) -> None:
    found = run_query(index, [query])
    assert all(h["match"] == "partial" for h in found.hits)
    assert (found.note is None) == (not found.hits)
    if found.hits:
        assert found.note is not None and "partial matches" in found.note


def test_traditional_compound_falls_back_like_simplified(index: Index) -> None:
    hits = search(index, ["斯太寶芯片"])
    assert hits and ids(hits) == ids(search(index, ["斯太宝芯片"]))


def test_fallback_is_per_term_and_terms_are_anded(index: Index) -> None:
    found = run_query(index, ["斯太宝芯片", "10余倍"])
    assert found.hits and all("10余倍" in h["text"] for h in found.hits)
    assert {h["match"] for h in found.hits} == {"parts"}  # the loosest tier a hit needed
    assert found.note == "no exact match for 斯太宝芯片; showing records that contain 斯太宝 and 芯片"
    # a term that matched exactly is never loosened, even when the whole query finds nothing
    assert run_query(index, ["招商", "缙云山"]).hits == []


def test_scope_applies_to_the_fallback(index: Index) -> None:
    hits = search(index, ["斯太宝芯片"], kinds={"case", "honour"})
    assert hits and {h["kind"] for h in hits} <= {"case", "honour"}


def test_any_term_ranks_exact_before_looser(index: Index) -> None:
    hits = search(index, ["zhaoshang", "tenhai"], any_term=True)
    tiers = [h["match"] for h in hits]
    assert tiers == sorted(tiers, key=["exact", "parts", "fuzzy-pinyin", "partial"].index)
    assert "exact" in tiers and "fuzzy-pinyin" in tiers


def test_pinyin_typed_apart_falls_back_to_fuzzy(index: Index) -> None:
    found = run_query(index, ["zhao", "sang"])
    assert "case-investment-system" in ids(found.hits)
    assert {h["match"] for h in found.hits} == {"fuzzy-pinyin"}
    assert search(index, ["zhao", "sang"], exact=True) == []


def test_regex_never_falls_back(index: Index) -> None:
    assert run_query(index, ["斯太宝芯片"], regex=True).hits == []


# -- exact matches are never displaced -------------------------------------------


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_fallback_leaves_exact_results_alone(index: Index, data: st.DataObject) -> None:
    doc = data.draw(st.sampled_from(index.docs))
    text = doc[4]
    start = word_start(text, data.draw(st.integers(0, max(0, len(text) - 1))))
    query = text[start : start + data.draw(st.integers(1, 10))].replace('"', " ")
    if not query.strip():
        return
    loose = search(index, [query])
    assert loose == search(index, [query], exact=True)  # it matched exactly: nothing else comes in
    assert all(h["match"] == "exact" for h in loose)


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.text(alphabet="zhcsnlaeiougy招商斯太宝芯片北碚经济 ", max_size=10), min_size=1, max_size=3),
    any_term=st.booleans(),
)
def test_tiers_are_ordered_and_exact_comes_first(index: Index, words: list[str], any_term: bool) -> None:
    try:
        found = run_query(index, words, any_term=any_term)
    except UsageError:
        return
    order = ["exact", "parts", "fuzzy-pinyin", "partial"]
    tiers = [order.index(h["match"]) for h in found.hits]
    assert tiers == sorted(tiers)
    if not all(t == 0 for t in tiers):
        assert found.note is not None
    elif not any_term:  # with --any a loosened term may only add to records found exactly
        assert found.note is None
    exact = search(index, words, any_term=any_term, exact=True)
    if any_term:  # the same records; a looser match of another term may add to their scores
        assert {h["id"] for h in found.hits if h["match"] == "exact"} == {h["id"] for h in exact}
    else:
        assert [h for h in found.hits if h["match"] == "exact"] == exact


# -- the pieces -------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("zaoshang", "zhaoshang"),
        ("zhaosang", "zhaoshang"),
        ("cengshi", "chengshi"),
        ("chengsi", "chengshi"),
        ("longcun", "nongcun"),
        ("nuyou", "luyou"),
        ("jinyunsan", "jinyunshan"),
        ("xinfanzi", "xinfangzi"),
        ("tenghai", "tenhai"),
        ("xin", "xing"),
        ("xing", "xin"),
        ("chuangxin", "chuangxing"),
        ("xianan", "xiangan"),
    ],
)
def test_fuzzy_pairs(typed: str, stored: str) -> None:
    pattern = fuzzy_pattern(typed)
    assert pattern is not None and re.fullmatch(pattern, stored)


@pytest.mark.parametrize("typed, stored", [("zhongqing", "chongqing"), ("bei", "pei"), ("xiao", "qiao"), ("an", "ao")])
def test_fuzzy_keeps_other_sounds_apart(typed: str, stored: str) -> None:
    pattern = fuzzy_pattern(typed)
    assert pattern is None or not re.fullmatch(pattern, stored)


def test_fuzzy_initials() -> None:
    assert fuzzy_pattern("tuo") is None  # nothing with a fuzzy partner
    pattern = fuzzy_initials_pattern("nc")
    assert pattern is not None and re.fullmatch(pattern, "lc")
    assert fuzzy_initials_pattern("zs") is None  # zh/z are both z as initials already


@pytest.mark.parametrize(
    "term, parts",
    [
        ("斯太宝芯片", ["斯太宝", "芯片"]),  # the report's own word first
        ("腾海工贸土地", ["腾海工贸", "土地"]),
        ("招商引资", ["招商", "引资"]),  # no word known: pairs
        ("办公地", ["办公", "公地"]),  # an odd run: the last pair overlaps
        ("gdp增长", ["gdp", "增长"]),
        ("93.9亿元增长", ["93.9", "亿元", "增长"]),
        ("西南大学实验室", ["西南大学", "实验", "验室"]),
    ],
)
def test_split_term(index: Index, term: str, parts: list[str]) -> None:
    assert split_term(term, index.vocab, index.longest_word) == parts


# -- the relevance set ---------------------------------------------------------


def test_relevance_set_is_well_formed(index: Index) -> None:
    cases = load_cases(str(RELEVANCE))
    known = {d[0] for d in index.docs}
    assert len(cases) >= 40
    assert {c["type"] for c in cases} >= {"compound", "word", "figure", "pinyin", "initials", "fuzzy", "traditional"}
    queries = {c["query"] for c in cases}
    assert {
        "斯太宝芯片",
        "腾海工贸土地",
        "西南大学合作",
        "招商引资",
        "人才引进",
        "农村公路",
        "zhaosang",
        "zaoshang",
    } <= queries
    assert {"GDP增长", "数字经济"} <= {c["query"] for c in cases if not c["expect"]}
    for case in cases:
        assert set(case["expect"]) <= known, case["query"]
        assert len(case["expect"]) <= 5 and case.get("why"), case["query"]


def test_relevance_recall_and_mrr(index: Index) -> None:
    scores = score(load_cases(str(RELEVANCE)), lambda q: search(index, q.split()))
    misses = [(q.query, q.got) for q in scores.misses()]
    assert scores.recall >= RECALL_FLOOR, misses
    assert scores.mrr >= MRR_FLOOR, misses
    assert scores.unanswered_clean == scores.unanswered, misses


def test_no_absent_question_is_answered_found_and_english_is_answered(index: Index) -> None:
    """The questions the report does not answer (Chinese, pinyin, English) come back related or
    not-stated, never found; the English questions find what the report says (recall@5 >= 0.85)."""
    groups = by_group(load_cases(str(RELEVANCE)))
    absent = groups["absent"]
    assert len(absent) >= 15
    assert {"GDP增长", "人口", "失业率", "房价", "财政收入", "population", "GDP growth"} <= {c["query"] for c in absent}
    assert any(c["query"].isascii() and " " not in c["query"] for c in absent)  # pinyin too
    found = [c["query"] for c in absent if run_query(index, c["query"].split()).answer == "found"]
    assert found == []
    assert len(groups["English"]) >= 20
    scores = score(groups["English"], lambda q: search(index, q.split()))
    assert scores.recall >= ENGLISH_RECALL_FLOOR, [(q.query, q.got) for q in scores.misses()]


# -- the command ------------------------------------------------------------------


def test_cli_exact_flag_and_match_field(run) -> None:  # type: ignore[no-untyped-def]
    loose = run("search", "斯太宝芯片", "--format", "json")
    assert loose.code == 1 and loose.err == ""  # related only: exit 1; not a terminal: no note
    hits = json.loads(loose.out)
    assert hits and all(h["match"] == "parts" for h in hits)
    strict = run("search", "斯太宝芯片", "--exact", "--format", "json")
    assert strict.code == 1 and json.loads(strict.out) == [] and strict.err == ""
    exact = json.loads(run("search", "招商", "--format", "json").out)
    assert {h["match"] for h in exact} == {"exact"}
    assert run("search", "zhaosang", "--exact", "-q").code == 1
    assert run("search", "zhaosang", "-q").code == 1  # fuzzy pinyin: related, not found
    assert run("search", "zhaoshang", "-q").code == 0  # the whole term's pinyin: found
    listed = run("search", "招商引资", "--fields", "id,match", "--format", "tsv").out.splitlines()
    assert listed[0] == "id\tmatch" and all(line.endswith("\tpartial") for line in listed[1:])


def _stderr_on_a_terminal(args: list[str]) -> tuple[int, bytes, str]:
    """Run with stdout piped and stderr on a pseudo-terminal."""
    import pty

    master, slave = pty.openpty()
    cmd = [sys.executable, "-c", "from beibei_cli.entry import main; main()", *args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=slave, env=python_env())
    os.close(slave)
    assert proc.stdout is not None
    with proc.stdout:
        out = proc.stdout.read()
    err = b""
    while select.select([master], [], [], 5)[0]:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        err += chunk
    os.close(master)
    return proc.wait(timeout=30), out, err.decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_note_on_a_terminal_and_stdout_stays_data() -> None:
    code, out, err = _stderr_on_a_terminal(["search", "斯太宝芯片", "--format", "json"])
    assert code == 1  # related only
    assert err.splitlines() == [  # --lang zh, the default
        "报告中没有“斯太宝芯片”这样的说法；以下只是相关内容（与所问词语部分相同），并非答案",
        "没有与“斯太宝芯片”完全匹配的结果；显示含有斯太宝和芯片的记录",
    ]
    _, _, err = _stderr_on_a_terminal(["--lang", "en", "search", "斯太宝芯片", "--format", "json"])
    assert err.splitlines() == [
        "the report does not contain 斯太宝芯片 as asked; what follows is only related (it shares words with it)",
        "no exact match for 斯太宝芯片; showing records that contain 斯太宝 and 芯片",
    ]
    assert {h["match"] for h in json.loads(out)} == {"parts"}  # stdout: only the JSON
    code, out, err = _stderr_on_a_terminal(["search", "斯太宝芯片", "--exact", "-l"])
    assert code == 1 and out == b"" and err == ""
    code, out, err = _stderr_on_a_terminal(["search", "招商", "-l"])
    assert code == 0 and err == ""  # exact: nothing to explain


def test_fuzzy_query_does_not_import_pypinyin() -> None:
    code = (
        "import sys; from beibei_cli.entry import run; run(['search', 'zaoshang', '-q']); "
        "run(['search', '斯太宝芯片', '-q']); "
        "print(','.join(m for m in ('pypinyin', 'opencc', 'jieba') if m in sys.modules))"
    )
    env = python_env()
    warm = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, timeout=60)
    assert warm.returncode == 0, warm.stderr  # this first run builds the cache
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, timeout=60)
    assert done.returncode == 0 and done.stdout.decode().strip() == "", done.stdout


def test_a_word_never_starts_inside_a_figure() -> None:
    # even if the vocabulary held 9亿元, 93.9亿元 is not cut into 93. + 9亿元
    assert split_term("93.9亿元增长", {"9亿元"}, 3) == ["93.9", "亿元", "增长"]


def test_fuzzy_pattern_is_bounded() -> None:
    # a pattern of optional letters backtracks: a very long Latin term is not tried fuzzily
    assert fuzzy_pattern("zhang" * 9) is not None
    assert fuzzy_pattern("zhang" * 10) is None


@pytest.mark.parametrize("typed", ["zhāoshāng", "zhao1shang1", "ZHĀO SHĀNG", "zhao2 shang1"])
def test_pinyin_with_tones_finds_what_toneless_pinyin_finds(run, typed: str) -> None:  # type: ignore[no-untyped-def]
    """A new-user trial typed tones (marks or digits) and found nothing."""
    plain = run("search", "zhaoshang", "-l", "--exact")
    toned = run("search", *typed.split(), "-l", "--exact")
    assert plain.code == 0 and toned.out == plain.out


def test_digits_that_are_not_tones_stay_digits(run) -> None:  # type: ignore[no-untyped-def]
    assert run("search", "abc123", "--exact").code == 1
