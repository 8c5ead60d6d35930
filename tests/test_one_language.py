"""One interface language (issue 22, item 5): under --lang zh the curated notes and dates of timeline,
show and info are Chinese; under --lang en they are English."""

from __future__ import annotations

import json
import re

import pytest

from beibei_cli import report as report_mod
from tests.conftest import DATA

WIDE = {"COLUMNS": "200"}
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]{2,}")  # an English word (ids are taken out first)
ID = re.compile(r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b")


@pytest.fixture(scope="module")
def rep() -> report_mod.Report:
    return report_mod.load_report(str(DATA), use_cache=False)


def squash(text: str) -> str:
    """Terminal text without its borders and line breaks (a wrapped note is one text again)."""
    return re.sub(r"[\s│┃╭╮╰╯─━┏┓┗┛┡┩┠┨╇┳┻╋┯┷┼┬┴├┤]", "", text)


def english_words(text: str) -> list[str]:
    return WORD.findall(ID.sub("", text))


def noted(rep: report_mod.Report) -> list[dict]:
    """Every record with a note of its own or on one of its dates."""
    out = []
    for recs in rep.records.values():
        for rec in recs:
            dates = [rec.get(k) for k in ("date", "year", "as_of") if isinstance(rec.get(k), dict)]
            dates += rec.get("dates") or []
            if rec.get("note") or any(d.get("note") for d in dates):
                out.append(rec)
    return out


def test_the_timeline_under_zh_has_no_english(run) -> None:  # type: ignore[no-untyped-def]
    """The date notes were English under zh (issue 22); the titles, notes and marks are all Chinese."""
    zh = run("timeline", "--format", "table", env=WIDE).out
    assert english_words(zh) == []
    assert "年份据“去年”和发文时间" in squash(zh)
    en = run("--lang", "en", "timeline", "--format", "table", "--fields", "date,title,date_note", env=WIDE).out
    assert "Year inferred from" in en and "年份据" not in en


def test_show_under_zh_gives_each_note_in_chinese_and_no_english_note(run, rep) -> None:  # type: ignore[no-untyped-def]
    records = noted(rep)
    assert len(records) > 60
    for rec in records:
        zh = squash(run("show", rec["id"], "--format", "table", env=WIDE).out)
        en = squash(run("--lang", "en", "show", rec["id"], "--format", "table", env=WIDE).out)
        dates = [rec.get(k) for k in ("date", "year", "as_of") if isinstance(rec.get(k), dict)]
        for m in [rec, *dates, *(rec.get("dates") or [])]:
            if m.get("note"):
                assert squash(m["note_zh"]) in zh, rec["id"]
                assert squash(m["note"]) not in zh, rec["id"]
                assert squash(m["note"]) in en, rec["id"]
                assert squash(m["note_zh"]) not in en, rec["id"]


def test_show_prints_a_date_as_a_reader_writes_it(run) -> None:  # type: ignore[no-untyped-def]
    """Not its fields (时间 iso：2022 / inferred：false / precision：year)."""
    zh = run("show", "plan-spatial-layout", "--format", "table", env=WIDE).out
    assert "2023年（推断）" in zh
    for field in ("iso", "inferred", "precision", "note_zh"):
        assert f"{field}：" not in zh
    case = run("show", "case-sanjin-road", "--format", "table", env=WIDE).out
    assert "2023年1月9日（推断）" in case and "2022年" in case
    en = run("--lang", "en", "show", "plan-spatial-layout", "--format", "table", env=WIDE).out
    assert "2023 (inferred)" in en and "推断" not in en


def test_show_names_the_reading_and_its_reason_in_the_interface_language(run, rep) -> None:  # type: ignore[no-untyped-def]
    rec = next(m for m in rep.records["metric"] if m["id"] == "metric-private-tax-share")
    zh = run("show", rec["id"], "--format", "table", env=WIDE).out
    assert "推断所得" in zh and squash(rec["inferred_reason_zh"]) in squash(zh)
    assert squash(rec["inferred_reason"]) not in squash(zh)
    en = run("--lang", "en", "show", rec["id"], "--format", "table", env=WIDE).out
    assert "Inferred fields" in en and "Pillar" in en and squash(rec["inferred_reason"]) in squash(en)


def test_info_under_zh_gives_the_date_note_in_chinese(run, rep) -> None:  # type: ignore[no-untyped-def]
    zh = run("info", "--format", "table", env=WIDE).out
    date = rep.meta["date"]
    assert squash(date["note_zh"]) in squash(zh) and squash(date["note"]) not in squash(zh)
    en = run("--lang", "en", "info", "--format", "table", env=WIDE).out
    assert squash(date["note"]) in squash(en) and squash(date["note_zh"]) not in squash(en)


def test_machine_formats_keep_the_field_names_and_carry_both_languages(run) -> None:  # type: ignore[no-untyped-def]
    """``note`` follows --lang like ``title``; ``note_en`` and ``note_zh`` are there whatever --lang says."""
    for lang in ("zh", "en"):
        rows = json.loads(run("--lang", lang, "timeline", "--format", "json").out)
        row = next(r for r in rows if r["id"] == "event-sanjin-road-list")
        assert row["date_note_en"].startswith("The article gives only 1月9日")
        assert row["date_note_zh"].startswith("原文只写“1月9日”")
        assert row["date_note"] == row["date_note_en" if lang == "en" else "date_note_zh"]


def test_piped_show_names_the_fields_of_nested_dates(run) -> None:  # type: ignore[no-untyped-def]
    """Each item of a list of records is ``- field: value`` lines, not unlabelled tab columns."""
    out = run("show", "case-sanjin-road").out
    assert "  - iso: 2023-01-09\n" in out and "    inferred: true\n" in out
    assert "\t" not in out


def test_every_field_has_a_label_in_both_languages() -> None:
    """xlsx and md headers name each field by its label: none may fall back to the English field name."""
    from beibei_cli import rows
    from beibei_cli.output.labels import LABELS

    missing = sorted({f for kind in rows.ROWS for f in rows.names(kind) if f not in LABELS})
    assert missing == []
    for key, (zh, en) in LABELS.items():
        assert zh and en, key
