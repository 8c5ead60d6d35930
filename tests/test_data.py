"""Fidelity and integrity of data/report.yaml against the article."""

from __future__ import annotations

import re

import pytest

from beibei_cli import report as report_mod
from beibei_cli.models import KINDS
from tests.conftest import DATA, ROOT, SOURCE


@pytest.fixture(scope="module")
def rep() -> report_mod.Report:
    return report_mod.load_report(str(DATA), use_cache=False)


def squash(text: str) -> str:
    return "".join(text.split())


def all_records(rep: report_mod.Report) -> list[dict]:
    """Every record that carries a quote (all kinds but sections, which carry a heading)."""
    return [r for recs in rep.records.values() for r in recs if "quote" in r]


def test_source_copy_is_byte_exact() -> None:
    shared = ROOT.parent / "shared" / "source" / "beibei-report.txt"
    if not shared.exists():
        pytest.skip("the shared article is not beside this checkout")
    assert SOURCE.read_bytes() == shared.read_bytes()


def test_report_file_has_no_problems() -> None:
    data, problems = report_mod.check(str(DATA))
    assert problems == []
    assert data is not None


def test_every_quote_is_verbatim_in_the_source(rep: report_mod.Report) -> None:
    source = squash(SOURCE.read_text(encoding="utf-8"))
    for rec in all_records(rep):
        assert squash(rec["quote"]) in source, rec["id"]


def test_every_record_names_its_paragraph(rep: report_mod.Report) -> None:
    for rec in all_records(rep):
        para = rec["para"]
        assert isinstance(para, int), rec["id"]
        assert squash(rec["quote"]) in squash(rep.paragraphs[para - 1]["text"]), rec["id"]


def test_sections_name_their_heading_paragraph(rep: report_mod.Report) -> None:
    for sec in rep.records["section"]:
        para = rep.paragraphs[sec["para"] - 1]
        assert para["text"] == (sec["heading"] or para["text"])
        assert para["type"] in ("title", "heading")


def test_paragraphs_are_numbered_as_defined(rep: report_mod.Report) -> None:
    paras = rep.paragraphs
    assert len(paras) == 55  # 58 non-empty lines, three sentences re-joined
    assert paras[0]["text"].startswith("聚焦“两大定位”") and paras[0]["type"] == "title"
    joined = [p["text"] for p in paras if "市值已增长10余倍" in p["text"]]
    assert len(joined) == 1
    assert any("和政企“直通车”制度" in p["text"] for p in paras)
    assert any("成效明显。其中，焕然一新" in p["text"] for p in paras)
    assert [p["n"] for p in paras] == list(range(1, 56))
    assert paras[51]["text"].startswith("● 全区森林覆盖率") or any(
        p["text"].startswith("● 全区森林覆盖率") and p["type"] == "list-item" for p in paras
    )


def test_key_figures_match_the_article(rep: report_mod.Report) -> None:
    by_text = {(m["value"], m["unit"]) for m in rep.records["metric"]}
    expected = [
        (53.16, "%"),
        (29.11, "平方米"),
        (2854, "家"),
        (350, "家"),
        (341, "个"),
        (18, "家"),
        (162, "家"),
        (5.09, "%"),
        (36.55, "亿元"),
        (8.63, "万户"),
        (97, "%"),
        (50, "%"),
        (75, "%"),
        (428, "亿元"),
        (93.9, "亿元"),
        (39, "%"),
        (1896, "户"),
        (152, "栋"),
        (3, "亿元"),
        (4463, "户"),
        (29, "个"),
        (6, "亿元"),
        (2000, "万元"),
    ]
    for figure in expected:
        assert figure in by_text, figure


def test_qualified_figures_keep_their_qualifier(rep: report_mod.Report) -> None:
    quals = {(m["value"], m["unit"]): (m["qualifier"], m["qualifier_meaning"]) for m in rep.records["metric"]}
    assert quals[(3, "亿元")] == ("约", "about")
    assert quals[(6, "亿元")] == ("超过", "more-than")
    assert quals[(2000, "万元")] == ("以上", "at-least")
    assert quals[(10, "倍")] == ("余", "more-than")
    # every figure whose text carries a qualifying word records it
    for m in rep.records["metric"]:
        for word in ("超过", "以上", "余", "约", "近"):
            if word in m["text"]:
                assert m["qualifier"] == word, m["id"]


def test_ids_are_unique_and_slug_shaped(rep: report_mod.Report) -> None:
    ids = [r["id"] for r in all_records(rep)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)


def test_cross_references_resolve(rep: report_mod.Report) -> None:
    ids = {r["id"]: kind for kind, recs in rep.records.items() for r in recs}
    for c in rep.records["case"]:
        for ref in c["organisations"] + c["places"] + c["people"]:
            assert ids[ref] == "entity"
    for c in rep.records["case"]:
        assert c["pillar"] is None or ids[c["pillar"]] == "pillar"
    for m in rep.records["metric"]:
        assert m["pillar"] is None or ids[m["pillar"]] == "pillar"
        assert m["case"] is None or ids[m["case"]] == "case"
        assert ids[m["section"]] == "section"


def test_pillars_are_the_two_positionings_then_the_four_articles(rep: report_mod.Report) -> None:
    pillars = rep.pillars()
    assert [p["name"] for p in pillars] == [
        "生态田园都市区",
        "人文科教创新城",
        "生态人文",
        "科技创新",
        "民营经济",
        "城乡融合",
    ]
    assert [p["kind"] for p in pillars] == ["positioning"] * 2 + ["article"] * 4
    assert [p["heading"] for p in pillars[2:]] == [
        "以生态人文塑形铸魂",
        "以科技创新带动转型",
        "以民营经济增能添力",
        "以城乡融合开拓空间",
    ]


def test_every_kind_is_curated(rep: report_mod.Report) -> None:
    for kind in KINDS:
        assert rep.records[kind], kind
    assert len(rep.records["caption"]) == 5


def test_dates_in_the_timeline(rep: report_mod.Report) -> None:
    dates = {e["date"]["iso"]: e["date"] for e in rep.records["event"]}
    assert dates["1949-12-08"]["precision"] == "day"
    assert dates["2021-12-27"]["precision"] == "day"
    assert "2022-04" in dates and "2022-06" in dates
    assert dates["2023-01-09"]["inferred"] is True


def test_checks_can_fail(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A quote that is not in the article, a wrong value and a dangling reference are all reported."""
    text = DATA.read_text(encoding="utf-8")
    broken = text.replace("全区森林覆盖率53.16%", "全区森林覆盖率99.99%", 1)
    broken = broken.replace("value: 53.16", "value: 53.17", 1)
    broken = broken.replace("pillar: tech-innovation", "pillar: no-such-pillar", 1)
    path = tmp_path / "report.yaml"
    path.write_text(broken, encoding="utf-8")
    (tmp_path / "source.txt").write_bytes(SOURCE.read_bytes())
    _, problems = report_mod.check(str(path))
    messages = " | ".join(p["message"] for p in problems)
    assert "not found verbatim" in messages
    assert "differs from the figure" in messages
    assert "'no-such-pillar' is not the id of any pillar" in messages
