"""Search: matching, normalisation, pinyin, ranking, snippets, and the CLI around it."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from beibei_cli.errors import UsageError
from beibei_cli.report import load_report
from beibei_cli.search.normalize import normalize_query
from beibei_cli.search.query import Index, parse_terms, search
from tests.conftest import DATA, word_start


@pytest.fixture(scope="module")
def index() -> Index:
    return Index(load_report(str(DATA), use_cache=False).index())


def ids(hits: list[dict]) -> list[str]:
    return [h["id"] for h in hits]


def matched(hit: dict) -> list[str]:
    return [hit["text"][s:e] for s, e in hit["matches"]]


def test_chinese_is_matched_as_text(index: Index) -> None:
    hits = search(index, ["招商"])
    para = next(h for h in hits if h["kind"] == "paragraph")
    assert para["text"].count("招商") == len(para["matches"])
    assert all(m == "招商" for m in matched(para))
    for phrase in ("招商工作体系", "以商招商", "驻点招商"):
        assert phrase in para["text"]


def test_terms_are_anded_and_or_widens(index: Index) -> None:
    both = set(ids(search(index, ["招商", "2022"])))
    assert both == set(ids(search(index, ["招商 2022"])))
    only_zhaoshang = set(ids(search(index, ["招商"])))
    assert both <= only_zhaoshang
    assert set(ids(search(index, ["招商", "缙云山"], any_term=True))) >= only_zhaoshang
    assert search(index, ["招商", "缙云山"]) == [] or all(
        "缙云山" in h["text"] and "招商" in h["text"] for h in search(index, ["招商", "缙云山"])
    )


def test_quoted_phrase_is_one_term() -> None:
    assert parse_terms(['"zhao shang" 2022']) == ["zhao shang", "2022"]
    assert parse_terms(['a"b']) == ['a"b']


def test_regex_and_literal_metacharacters(index: Index) -> None:
    hits = search(index, [r"\d+亿元"], regex=True)
    assert hits and all(any(t.endswith("亿元") for t in matched(h)) for h in hits)
    with pytest.raises(UsageError, match="invalid regular expression"):
        search(index, ["(招商"], regex=True)
    literal = search(index, ["1+4+9+N"])
    assert literal and all("1+4+9+N" in matched(h) for h in literal)


def test_fullwidth_and_case_fold(index: Index) -> None:
    assert set(ids(search(index, ["４２８"]))) == set(ids(search(index, ["428"])))
    assert set(ids(search(index, ["eod"]))) == set(ids(search(index, ["EOD"])))
    assert search(index, ["ＥＯＤ"])


@pytest.mark.parametrize(
    "traditional, simplified", [("經濟", "经济"), ("鄉村振興", "乡村振兴"), ("招商", "招商"), ("綠道", "绿道")]
)
def test_traditional_finds_simplified(index: Index, traditional: str, simplified: str) -> None:
    expected = ids(search(index, [simplified]))
    assert expected
    assert ids(search(index, [traditional])) == expected


@pytest.mark.parametrize("query", ["zhaoshang", "zhao shang", '"zhao shang"', "ZhaoShang", "zs"])
def test_pinyin_finds_zhaoshang(index: Index, query: str) -> None:
    hits = search(index, [query])
    assert "case-investment-system" in ids(hits)
    case = next(h for h in hits if h["id"] == "case-investment-system")
    assert "招商" in matched(case) or "招" in "".join(matched(case))


def test_heteronym_chongqing(index: Index) -> None:
    hits = search(index, ["chongqing"])
    assert any("重庆" in matched(h) for h in hits)
    assert not any("重庆" in matched(h) for h in search(index, ["zhongqing"]))


def test_pinyin_hits_rank_below_exact_hits(index: Index) -> None:
    # (chongqing no longer shows it: the report's English names Chongqing 重庆, so 重庆 is an exact reading)
    hits = search(index, ["jinyun"])
    exact = [any(t.lower() == "jinyun" for t in matched(h)) for h in hits]
    # every record matched on the Latin text itself comes before every pinyin-only record
    assert exact == sorted(exact, reverse=True)
    assert any(exact) and not all(exact)


def test_cases_rank_first_on_ties(index: Index) -> None:
    """A metric with exactly the text of a case, listed before it, ties with it; the case wins."""
    tied = copy.copy(index)
    case_at = next(i for i, doc in enumerate(index.docs) if doc[1] == "case" and "腾海" in doc[4])
    twin = ("metric-twin", "metric", *index.docs[case_at][2:])
    tied.docs = [twin, *index.docs]
    tied._pinyin = [index.pinyin(case_at)] + [index.pinyin(i) for i in range(len(index.docs))]
    hits = search(tied, ["腾海"])
    ids = [h["id"] for h in hits]
    case, twin = hits[ids.index(index.docs[case_at][0])], hits[ids.index("metric-twin")]
    assert case["score"] == twin["score"]  # a real tie, or this test proves nothing
    assert ids.index("metric-twin") > ids.index(case["id"])


def test_scope(index: Index) -> None:
    hits = search(index, ["招商"], kinds={"case", "metric"})
    assert hits and {h["kind"] for h in hits} <= {"case", "metric"}


@pytest.mark.parametrize("query", ["", "   ", "\t"])
def test_empty_query_is_a_usage_error(index: Index, query: str) -> None:
    with pytest.raises(UsageError):
        search(index, [query])


def test_snippet_marks_every_match_inside_it(index: Index) -> None:
    for hit in search(index, ["招商"], context=10):
        for s, e in hit["snippet_matches"]:
            assert 0 <= s < e <= len(hit["snippet"])
            assert hit["snippet"][s:e] == "招商"


# -- properties --------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_any_substring_finds_its_record(index: Index, data: st.DataObject) -> None:
    doc = data.draw(st.sampled_from(index.docs))
    text = doc[4]
    start = word_start(text, data.draw(st.integers(0, max(0, len(text) - 1))))
    end = data.draw(st.integers(start + 1, min(len(text), start + 12)))
    query = text[start:end]
    if not query.strip() or query.count('"') % 2:
        query = query.replace('"', " ")
    if not query.strip():
        return
    assert doc[0] in ids(search(index, [query]))


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.text(max_size=12), min_size=1, max_size=3), regex=st.booleans(), context=st.integers(0, 40))
@example(words=["'s"], regex=False, context=0)  # an English word with no stem once crashed
def test_search_never_raises_on_arbitrary_input(index: Index, words: list[str], regex: bool, context: int) -> None:
    try:
        hits = search(index, words, regex=regex, context=context)
    except UsageError:
        return
    for hit in hits:
        for s, e in hit["matches"]:
            assert 0 <= s <= e <= len(hit["text"])
        for s, e in hit["snippet_matches"]:
            assert 0 <= s < e <= len(hit["snippet"])


@settings(max_examples=200, deadline=None)
@given(data=st.data(), context=st.integers(0, 30))
def test_highlights_lie_inside_the_snippet_and_cover_the_match(index: Index, data: st.DataObject, context: int) -> None:
    doc = data.draw(st.sampled_from(index.docs))
    text = doc[4]
    start = word_start(text, data.draw(st.integers(0, max(0, len(text) - 2))))
    query = "".join(text[start : start + 2].split()).replace('"', "")
    if not query:
        return
    hit = next(h for h in search(index, [query], context=context) if h["id"] == doc[0])
    shown = {hit["snippet"][s:e] for s, e in hit["snippet_matches"]}
    whole = {hit["text"][s:e].replace("\n", " ") for s, e in hit["matches"]}
    assert shown & whole  # at least one match is shown whole, highlighted exactly


# -- the command -------------------------------------------------------------


def test_cli_exit_codes_and_outputs(run) -> None:  # type: ignore[no-untyped-def]
    assert run("search", "招商", "-q").code == 0
    none = run("search", "不存在的词语", "--format", "json")
    assert none.code == 1 and json.loads(none.out) == [] and none.err == ""
    assert run("search", "不存在的词语").code == 1
    bad = run("search", "--regex", "(")
    assert bad.code == 2 and "invalid regular expression" in bad.err
    assert run("search", "  ").code == 2
    listed = run("search", "招商", "-l").out.split()
    assert listed == [h["id"] for h in json.loads(run("search", "招商", "-f", "json").out)]
    counts = dict(line.split("\t") for line in run("search", "招商", "--count").out.splitlines())
    assert sum(int(n) for n in counts.values()) == len(listed)


def test_cli_json_hit_contract(run) -> None:  # type: ignore[no-untyped-def]
    hits = json.loads(run("search", "zhaoshang", "--format", "json").out)
    assert hits
    for hit in hits:
        assert list(hit)[:8] == ["id", "kind", "pillar", "title", "snippet", "score", "text", "matches"]
        for s, e in hit["matches"]:
            assert hit["text"][s:e]


def test_cli_highlight_only_on_colour(run) -> None:  # type: ignore[no-untyped-def]
    plain = run("search", "招商", "-f", "table", env={"COLUMNS": "120"}).out
    assert "\x1b[" not in plain and "招商" in plain
    coloured = run("--color", "always", "search", "招商", "-f", "table", env={"COLUMNS": "120"}).out
    assert "\x1b[" in coloured


def test_cli_scope_option(run) -> None:  # type: ignore[no-untyped-def]
    hits = json.loads(run("search", "招商", "--in", "cases,metrics", "-f", "json").out)
    assert hits and {h["kind"] for h in hits} <= {"case", "metric"}
    bad = run("search", "招商", "--in", "nothing")
    assert bad.code == 2 and "unknown scope" in bad.err


def test_regex_warnings_do_not_escape(index: Index) -> None:
    search(index, ["[[a]"], regex=True)  # Python warns about a possible nested set; the user sees no warning


def test_pinyin_typed_apart_reads_as_one_word(index: Index) -> None:
    apart = ids(search(index, ["shi", "chang", "zhu", "ti"]))
    assert apart and apart == ids(search(index, ["shichangzhuti"]))
    assert all("市场主体" in "".join(matched(h)) for h in search(index, ["shi chang zhu ti"]))


def test_spaces_inside_a_chinese_phrase_are_ignored(index: Index) -> None:
    assert ids(search(index, ['"老旧 小区"'])) == ids(search(index, ["老旧小区"]))


def test_notes_are_searched(index: Index) -> None:
    assert "metric-tenghai-land-time" in ids(search(index, ["纪录"]))  # the note reads 记录 as 纪录


def _pinyin_rule(text: str, letters: list[int], pos: int, end: int) -> tuple[int, int] | None:
    """The pinyin match rule spelled out on a full letter -> character map."""
    from beibei_cli.search.normalize import is_han

    first, last = letters[pos], letters[end - 1]
    if pos > 0 and letters[pos - 1] == first:
        return None  # starts inside a syllable
    if end < len(letters) and letters[end] == last and not is_han(text[last]):
        return None  # ends inside a run that is not a syllable
    return (first, last + 1) if any(is_han(ch) for ch in text[first : last + 1]) else None


def test_pinyin_positions_map_to_characters_as_built(index: Index) -> None:
    """Each record's pinyin maps back to its characters as ``pinyin_row`` built it, and a
    match at every position and length obeys the rule on the full map."""
    from beibei_cli.search.build import pinyin_row

    for i, doc in enumerate(index.docs):
        full, char_of, initials = index.pinyin(i)
        built_full, counts, built_initials = pinyin_row(doc[4])
        letters = [c for c, n in enumerate(counts) for _ in range(n)]
        assert (full, initials) == (built_full, built_initials)
        assert len(char_of) == len(letters) and list(char_of) == letters
        for pos in [*range(min(12, len(full))), *range(12, len(full), 7)]:
            for size in (1, 2, 3, 5, 9):
                if pos + size <= len(full):
                    assert char_of.span(pos, pos + size, doc[4]) == _pinyin_rule(doc[4], letters, pos, pos + size)


def test_pinyin_match_starts_at_a_syllable(index: Index) -> None:
    """nl is in the pinyin of 森林 (se[n l]in) but starts inside a syllable: no match."""
    hits = search(index, ["nl"], exact=True)
    assert not any("森林" in matched(h) for h in hits)


# -- English questions --------------------------------------------------------


def test_glossary_entries_stand_for_what_the_report_says(index: Index) -> None:
    """Every Chinese word of the glossary is in the report, and each record an entry names holds one of them."""
    from beibei_cli.search.glossary import GLOSSARY

    text = {doc[0]: doc[6] for doc in index.docs}
    every = "\x00".join(text.values())
    for entry in GLOSSARY:
        zh = [normalize_query(z, index.t2s) for z in entry["zh"]]
        assert all(z in every for z in zh), entry
        for rid in entry["records"]:
            assert rid in text, (entry, rid)
            assert any(z in text[rid] for z in zh), (entry, rid)


@pytest.mark.parametrize(
    "word, same, other",
    [("companies", "company", "compact"), ("firms", "firm", "firmly"), ("enterprises", "enterprise", "enter")],
)
def test_english_words_match_by_stem(word: str, same: str, other: str) -> None:
    from beibei_cli.search import english

    assert english.stem(word) == english.stem(same)
    assert english.stem(word) != english.stem(other)
    assert english.stem("2022") == "2022"


def test_english_question_finds_the_chinese_record(index: Index) -> None:
    assert "case-tenghai-land" in ids(search(index, ["private", "enterprises"])[:5])
    assert ids(search(index, ["chip", "company"]))[:1] == ["case-sitaibao-chip-line"]


# -- snippets never cut a figure, a date or a Latin word --------------------------

# the test's own idea of a unit, independent of normalize.joined: runs of Latin letters and
# digits, joined by . , ' - inside them, and a % after a figure
UNIT = __import__("re").compile(r"[A-Za-z0-9]+(?:[.,'’\-][A-Za-z0-9]+)*%?")


def _cuts_clean(text: str, body: str, left: bool, right: bool) -> bool:
    """Whether ``body`` is in ``text`` somewhere that its cut ends (``left``, ``right``) cut no unit."""
    inside = {p for m in UNIT.finditer(text) for p in range(m.start() + 1, m.end())}
    at = text.find(body)
    while at >= 0:
        if not (left and at in inside) and not (right and at + len(body) in inside):
            return True
        at = text.find(body, at + 1)
    return False


@settings(max_examples=400, deadline=None)
@given(data=st.data(), context=st.integers(0, 30), lang=st.sampled_from(["zh", "en"]))
def test_snippets_never_cut_a_figure_or_a_word(index: Index, data: st.DataObject, context: int, lang: str) -> None:
    from beibei_cli.search.query import snippet as raw_snippet
    from beibei_cli.snippets import snippet

    doc = data.draw(st.sampled_from(index.docs))  # every record and every paragraph
    text = doc[4]
    start = data.draw(st.integers(0, len(text) - 1))
    span = (start, data.draw(st.integers(start + 1, min(len(text), start + 6))))
    flat = text.replace("\n", " ").replace("\r", " ").replace("\t", " ")
    for shown, source in (
        (snippet(text, [span], lang, context, doc[5])[0], text),
        (raw_snippet(text, [span], context)[0], flat),
    ):
        body = shown.removeprefix("…").removesuffix("…")
        assert body in source
        assert _cuts_clean(source, body, shown.startswith("…"), shown.endswith("…")), (shown, span)


def test_a_figures_snippet_holds_the_figure_whole(run) -> None:  # type: ignore[no-untyped-def]
    hits = json.loads(run("search", "minying", "-f", "json").out)
    tax = next(h for h in hits if h["id"] == "metric-private-tax-share")
    assert "75%" in tax["snippet"]
    assert all("…022年" not in h["snippet"] for h in json.loads(run("search", "93.9", "-f", "json").out))


# -- ranking what was asked first ---------------------------------------------------


@pytest.mark.parametrize("query", ["xinpian", "芯片", "chip", "晶片"])
def test_the_chip_case_ranks_first(index: Index, query: str) -> None:
    """晶片 (Taiwan's word) reaches 芯片 through OpenCC's phrase tables, read when the index is built."""
    hits = search(index, [query])
    assert ids(hits)[:1] == ["case-sitaibao-chip-line"]
    assert all(h["match"] == "exact" for h in hits)


def test_a_reading_of_whole_words_ranks_above_one_across_two(index: Index) -> None:
    found = ids(search(index, ["xinpian"]))
    assert "para-6" in found  # 书写新篇章: 新篇 reads xin pian too
    assert found.index("para-6") == len(found) - 1  # below every 芯片


def test_two_initials_match_titles_and_names_only(index: Index) -> None:
    hits = search(index, ["xp"])
    assert hits and len(hits) <= 10
    by_id = {d[0]: d for d in index.docs}
    for h in hits:
        title_len = by_id[h["id"]][5]
        assert all(e <= title_len for s, e in h["matches"] if h["text"][s:e].isascii() is False), h["id"]


# -- names typed as search reads them ------------------------------------------------


@pytest.mark.parametrize("typed", ["kejichuangxin", "kjcx", "科技創新", "keji"])
def test_pillar_by_pinyin_and_traditional(run, typed: str) -> None:  # type: ignore[no-untyped-def]
    done = run("metrics", "--pillar", typed, "-f", "json")
    assert done.code == 0, done.err
    assert {m["pillar"] for m in json.loads(done.out)} == {"tech-innovation"}


def test_an_ambiguous_pinyin_pillar_is_refused(run) -> None:  # type: ignore[no-untyped-def]
    done = run("metrics", "--pillar", "shengtai")  # 生态田园都市区 and 生态人文
    assert done.code == 2 and "pillar 'shengtai' could be any of" in done.err and "Traceback" not in done.err


def test_source_grep_reads_pinyin_and_traditional(run) -> None:  # type: ignore[no-untyped-def]
    def numbers(*args: str) -> list[int]:
        return [p["n"] for p in json.loads(run("source", "--grep", *args, "-f", "json").out)]

    chinese = numbers("招商")
    assert chinese and numbers("zhaoshang") == chinese
    assert numbers("zhāoshāng") == numbers("ＺＨＡＯＳＨＡＮＧ") == chinese  # tone marks, full width
    assert numbers("經濟") == numbers("经济") == numbers("jingji")


def test_kinds_and_sections_by_their_chinese_names(run) -> None:  # type: ignore[no-untyped-def]
    def listed(*args: str) -> list[str]:
        done = run(*args, "-f", "json")
        assert done.code == 0, done.err
        return [r["id"] for r in json.loads(done.out)]

    assert listed("search", "招商", "--in", "案例,數據") == listed("search", "招商", "--in", "cases,metrics")
    assert listed("metrics", "--section", "數說成效") == listed("metrics", "--section", "results")


@pytest.mark.parametrize(
    ("option", "typed", "as_"),
    [
        (["metrics", "--section"], "shushuochengxiao", "results"),
        (["metrics", "--section"], "sscx", "results"),
        (["metrics", "--section"], "kejichuangxin", "tech-innovation"),  # held in 以科技创新带动转型
        (["search", "招商", "--in"], "anli", "cases"),
        (["search", "招商", "--in"], "anli,shuju", "cases,metrics"),
        (["entities", "--type"], "qiye", "company"),
        (["entities", "--type"], "企業", "company"),
        (["entities", "--type"], "Company", "company"),
        (["entities", "--type"], "jigou", "institution"),  # the whole reading, not 政府机构's tail
        # typed with tone marks, full width, Chinese commas or traditional characters
        (["metrics", "--pillar"], "總體", "general"),
        (["metrics", "--pillar"], "zongti", "general"),
        (["metrics", "--pillar"], "ＫＪＣＸ", "tech-innovation"),
        (["metrics", "--pillar"], "kē jì", "tech-innovation"),
        (["entities", "--type"], "qǐyè", "company"),
        (["entities", "--type"], "ＱＩＹＥ", "company"),
        (["search", "北碚", "--in"], "案例，数据", "cases,metrics"),
        (["search", "北碚", "--in"], "案例、数据", "cases,metrics"),
        (["search", "招商", "--in"], "ànlì", "cases"),
        (["metrics", "--section"], "科技创新", "tech-innovation"),
        (["metrics", "--section"], "科技創新", "tech-innovation"),
        (["metrics", "--section"], "shùshuō", "results"),
    ],
)
def test_names_by_pinyin_tones_full_width_or_traditional(run, option: list[str], typed: str, as_: str) -> None:  # type: ignore[no-untyped-def]
    def listed(value: str) -> list[str]:
        done = run(*option, value, "-f", "json")
        assert done.code == 0, done.err
        return [r["id"] for r in json.loads(done.out)]

    expected = listed(as_)
    assert expected and listed(typed) == expected


def test_an_ambiguous_pinyin_section_names_the_candidates(run) -> None:  # type: ignore[no-untyped-def]
    done = run("metrics", "--section", "yi")  # 以生态…, 以科技…, 以民营…, 以城乡…
    assert done.code == 2 and "could be any of" in done.err and "tech-innovation" in done.err
    assert len(done.err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("北碚森林覆盖率是多少", "metric-forest-coverage"),
        ("斯太宝市值增长了多少", "metric-sitaibao-market-value-growth"),
        ("北碚有多少家高新技术企业", "metric-high-tech-enterprises"),
        ("高新技术企业有多少家", "metric-high-tech-enterprises"),
        ("2022年招商投资额是多少", "metric-investment-attracted-2022"),
        ("北碚森林覆盖率有多高", "metric-forest-coverage"),
        ("中共北碚区第十三次代表大会什么时候召开", "event-13th-party-congress"),
    ],
)
def test_a_chinese_question_finds_what_the_report_states(run, question: str, answer: str) -> None:  # type: ignore[no-untyped-def]
    """The question words (是多少, 有多少家, 了多少) are in no passage: they split the question, as
    English questions lose how and much, so a question the report answers is answered found."""
    done = run("search", question, "-f", "json")
    hits = json.loads(done.out)
    assert done.code == 0 and answer in [h["id"] for h in hits[:3]], done.err
    assert {h["match"] for h in hits} == {"exact"}


@pytest.mark.parametrize("question", ["人口有多少", "北碚人口是多少", "GDP增长了多少", "失业率是多少"])
def test_a_question_the_report_does_not_answer_stays_unanswered(run, question: str) -> None:  # type: ignore[no-untyped-def]
    done = run("search", question, "-f", "json")
    assert done.code == 1 and all(h["match"] != "exact" for h in json.loads(done.out))


def test_question_words_in_quotes_are_kept() -> None:
    assert parse_terms(['"是多少"', "森林覆盖率是多少"]) == ["是多少", "森林覆盖率"]
    assert parse_terms(["多少"]) == ["多少"]  # nothing else was asked


@pytest.mark.parametrize("typed", ["生态", "shengtai"])
def test_an_ambiguous_pillar_names_its_candidates(run, typed: str) -> None:  # type: ignore[no-untyped-def]
    done = run("metrics", "--pillar", typed)
    assert done.code == 2 and "could be any of eco-metropolis (生态田园都市区), eco-culture (生态人文)" in done.err
