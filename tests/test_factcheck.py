"""The fact-check of issue 22, kept: each defect it found in data/report.yaml has a test here.

Each test states the rule the defect broke, so that a new record breaking it fails too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from beibei_cli import report as report_mod
from tests.conftest import DATA, SOURCE


@pytest.fixture(scope="module")
def rep() -> report_mod.Report:
    return report_mod.load_report(str(DATA), use_cache=False)


def squash(text: str) -> str:
    return "".join(text.split())


def records(rep: report_mod.Report) -> Iterator[tuple[str, dict[str, Any]]]:
    for kind, recs in rep.records.items():
        for rec in recs:
            yield kind, rec


def english_texts(rec: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """The curated English of a record (its *_en fields and its dates' labels), notes left out:
    a note may name a wrong reading in order to rule it out."""
    for key, value in rec.items():
        if key.endswith("_en") and isinstance(value, str):
            yield key, value
    for i, date in enumerate(rec.get("dates") or []):
        if date.get("label_en"):
            yield f"dates[{i}].label_en", date["label_en"]


# -- dates --------------------------------------------------------------------

WORK_YEAR = re.compile(r"(\d{4})年[^，。；]*?工作获")


def test_no_event_is_dated_by_the_year_of_the_work_it_rewards(rep: report_mod.Report) -> None:
    """¶54–55: 2021年…工作获…督查激励 gives 2021 to the work, not to the award; an award the
    article does not date is not on the timeline (it sorted before the 2021-12-27 congress)."""
    for ev in rep.records["event"]:
        for year in WORK_YEAR.findall(ev["quote"]):
            assert not ev["date"]["iso"].startswith(year), ev["id"]


def test_an_honour_dated_by_the_work_says_so(rep: report_mod.Report) -> None:
    """An honour whose only year is the work's (2021年…工作获…) marks that year inferred, with a note in
    both languages; and every honour of ¶54–55 is one of them."""
    flagged = []
    for h in rep.records["honour"]:
        years = WORK_YEAR.findall(h["quote"])
        if not years or not h["year"]:
            continue
        assert h["year"]["iso"] == years[0], h["id"]
        assert h["year"]["inferred"] is True, h["id"]
        assert h["year"]["note"] and h["year"]["note_zh"], h["id"]
        flagged.append(h["id"])
    assert len(flagged) == 3


def test_a_year_of_a_list_is_not_the_year_of_the_award(rep: report_mod.Report) -> None:
    """Second reader, ¶44/¶18: 北碚三金路近日获评重庆市2022年“最美农村路” gives 2022 to the list
    (2022年度); the article says only 近日 and 1月9日. A year taken from a list's name (2022年“…”,
    2022年度) is a reading: inferred, with a note in both languages."""
    list_year = re.compile(r"(\d{4})年度?“")
    checked = 0
    for h in rep.records["honour"]:
        found = list_year.search(h["quote"])
        if not found or not h["year"] or "获评" not in h["quote"]:
            continue
        checked += 1
        assert h["year"]["inferred"] is True, h["id"]
        assert h["year"]["note"] and h["year"]["note_zh"], h["id"]
    assert checked >= 1


def test_a_gloss_the_article_does_not_make_is_marked(rep: report_mod.Report) -> None:
    """Second reader, ¶38: the article writes only 抓好经济工作的“生命线”; a record that glosses it as
    招商 (investment attraction) marks the gloss inferred, with a reason, and no English text states it
    as the article's."""
    for _kind, rec in records(rep):
        if "生命线" not in rec.get("quote", ""):
            continue
        for key, text in english_texts(rec):
            assert not re.search(r"investment attraction as the .lifeline", text), (rec["id"], key)
        if "（招商）" in (rec.get("text") or ""):
            assert "text" in (rec.get("inferred_fields") or []), rec["id"]
            assert rec.get("inferred_reason") and rec.get("inferred_reason_zh"), rec["id"]


# -- translations -------------------------------------------------------------


def test_yuxi_is_not_the_translation_of_渝西(rep: report_mod.Report) -> None:
    """渝西高铁 is the Chongqing–Xi'an line; "Yuxi" reads as 玉溪 in Yunnan."""
    for _, rec in records(rep):
        for key, text in english_texts(rec):
            assert not re.search(r"\byuxi\b", text, re.I), (rec["id"], key)
    line = next(e for e in rep.records["entity"] if e["name"] == "渝西高铁")
    assert "Chongqing–Xi'an" in line["name_en"]


def test_摘牌_is_not_translated_as_delisting(rep: report_mod.Report) -> None:
    """土地摘牌 (¶36) is winning a land parcel listed for sale, not a delisting."""
    for _, rec in records(rep):
        for key, text in english_texts(rec):
            assert "delist" not in text.lower(), (rec["id"], key)


def test_an_english_name_says_private_only_where_the_article_does(rep: report_mod.Report) -> None:
    """¶53 has only 税收占比75%: an English name that makes it the private economy's share states as
    fact what is a reading, unless it hedges (presumably) or the name is marked inferred."""
    for m in rep.records["metric"]:
        name_en = m.get("name_en") or ""
        if "private" in name_en.lower() and "民营" not in m["name"]:
            assert "presumably" in name_en or "name_en" in m["inferred_fields"], m["id"]


def test_the_centre_of_一心四片_is_not_called_a_site(rep: report_mod.Report) -> None:
    """¶26: 以西南局为中心: the article says the Southwest Bureau, not a site of it."""
    for _, rec in records(rep):
        if "以西南局为中心" in rec.get("quote", ""):
            for key, text in english_texts(rec):
                assert "site" not in text.lower(), (rec["id"], key)


def test_a_southwest_bureau_site_is_named_only_as_a_reading(rep: report_mod.Report) -> None:
    """The article names no site of the Southwest Bureau (¶20–22, ¶26): a record that calls a place
    its site (旧址) marks that field inferred."""
    for _, rec in records(rep):
        for key, text in [*english_texts(rec), ("title", rec.get("title") or "")]:
            if "Southwest Bureau site" in text or "西南局旧址" in text:
                assert key in rec["inferred_fields"], (rec["id"], key)


def test_a_summary_tells_the_history_the_article_tells(rep: report_mod.Report) -> None:
    """¶22 has 讲述历史; a summary clause about telling history is the article's own words."""
    source = squash(SOURCE.read_text(encoding="utf-8"))
    for p in rep.records["pillar"]:
        for clause in re.split(r"[，；。]", p.get("summary") or ""):
            if "讲述" in clause:
                assert squash(clause) in source, (p["id"], clause)


# -- entity types -------------------------------------------------------------


def test_what_the_article_calls_an_advantage_is_a_concept(rep: report_mod.Report) -> None:
    """¶13: 北碚拥有“双城并进”“三区共融”独特优势: advantages, not programmes."""
    para = rep.paragraphs[12]["text"]
    advantages = re.search(r"拥有((?:“[^”]+”)+)独特优势", para)
    assert advantages is not None
    names = re.findall(r"“([^”]+)”", advantages.group(1))
    assert names == ["双城并进", "三区共融"]
    for name in names:
        ent = next(e for e in rep.records["entity"] if e["name"] == name)
        assert ent["type"] == "concept", ent["id"]


# -- links the article does not make --------------------------------------------


def test_results_section_pillars_are_marked_inferred(rep: report_mod.Report) -> None:
    """数说成效 (¶50–55) ties none of its figures to a pillar: each pillar given there is a reading."""
    start = next(s["para"] for s in rep.records["section"] if s["id"] == "section-results")
    seen = 0
    for _, rec in records(rep):
        if rec.get("para") and rec["para"] > start and rec.get("pillar"):
            assert "pillar" in rec["inferred_fields"], rec["id"]
            assert rec["inferred_reason"] and rec["inferred_reason_zh"], rec["id"]
            seen += 1
    assert seen == 20  # 13 figures and 7 honours


def test_the_five_year_horizon_is_not_attributed_to_the_congress_as_fact(rep: report_mod.Report) -> None:
    """¶8: 会议明确提出…。未来5年，北碚将…: the second sentence does not name the congress."""
    for _, rec in records(rep):
        quote = rec.get("quote") or ""
        if quote.startswith("未来5年") and rec.get("case") == "case-13th-party-congress":
            assert "case" in rec["inferred_fields"], rec["id"]
        if quote.startswith("未来5年"):
            for key, text in english_texts(rec):
                assert "congress" not in text.lower(), (rec["id"], key)
            assert not (rec.get("note") or "").startswith("Decided by"), rec["id"]


def test_an_inferred_link_shows_with_its_reason(rep: report_mod.Report) -> None:
    """Every record that marks a field inferred gives the reason in English and in Chinese, and the
    Chinese reason has no English words in it (only the article's own: GDP, EOD)."""
    source = SOURCE.read_text(encoding="utf-8")
    marked = [rec for _, rec in records(rep) if rec.get("inferred_fields")]
    assert marked
    for rec in marked:
        assert rec["inferred_reason"] and rec["inferred_reason_zh"], rec["id"]
        for word in re.findall(r"[A-Za-z]{2,}", rec["inferred_reason_zh"]):
            assert word in source, (rec["id"], word)


# -- the Chinese notes ----------------------------------------------------------


def notes(rep: report_mod.Report) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every mapping that carries a note: records, their dates and the report's date."""
    yield "report.date", rep.meta["date"] or {}
    for _, rec in records(rep):
        yield rec["id"], rec
        for key in ("date", "year", "as_of"):
            if isinstance(rec.get(key), dict):
                yield f"{rec['id']}.{key}", rec[key]
        for i, date in enumerate(rec.get("dates") or []):
            yield f"{rec['id']}.dates[{i}]", date


def test_every_note_has_a_chinese_note(rep: report_mod.Report) -> None:
    """Under --lang zh a note is shown in Chinese: each English note has its note_zh, and no
    note_zh stands alone."""
    count = 0
    for where, m in notes(rep):
        assert bool(m.get("note")) == bool(m.get("note_zh")), where
        count += bool(m.get("note_zh"))
    assert count > 70


def test_chinese_notes_quote_only_the_article(rep: report_mod.Report) -> None:
    """note_zh is written from the article: what it quotes (“…”, with …… for a gap) is the article's
    words, and its only Latin letters are record ids or the article's own (GDP, EOD)."""
    source = squash(SOURCE.read_text(encoding="utf-8"))
    ids = {rec["id"] for _, rec in records(rep)}
    for where, m in notes(rep):
        zh = m.get("note_zh") or ""
        for quoted in re.findall(r"“([^“”]+)”", zh):
            for piece in quoted.split("……"):
                assert squash(piece) in source, (where, quoted)
        for word in re.findall(r"[A-Za-z][A-Za-z0-9-]*", zh):
            assert word in ids or word in source, (where, word)
