"""One interface language at a time: no English label in the Chinese output,
no untranslated (Chinese) label in the English output."""

from __future__ import annotations

import json
import re

import pytest

from beibei_cli.output.labels import LABELS, VALUES

HAN = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
ALLOWED_LATIN_IN_ZH = re.compile(r"--[a-z-]+|\{[a-z]+\}|beibei")

TABLES = [
    ("metrics",),
    ("entities",),
    ("timeline",),
    ("search", "招商"),
    ("search", "招商", "--fields", "id,kind,title,score"),
    ("metrics", "--fields", "id,name,value,unit,pillar,as_of,quote"),
    ("search", "招商", "--fields", "id,match,matches"),
    ("search", "zhaosang", "--fields", "id,kind,match"),
    ("search", "招商", "--count"),
    ("metrics", "--fields", "id,qualifier,qualifier_meaning"),
    ("metrics", "--fields", "text,value,figure"),
]
# columns whose values are words of the interface (record kinds, entity types, how a hit matched...)
WORD_COLUMNS = ("类别", "类型", "匹配方式", "限定含义")
RECORDS = [
    "metric-rd-intensity",
    "case-xunjian-swu-base",
    "org-swu",
    "para-31",
    "tech-innovation",
    "event-13th-party-congress",
]


def test_every_label_has_both_languages() -> None:
    for key, (zh, en) in {**LABELS, **VALUES}.items():
        assert not LATIN.search(ALLOWED_LATIN_IN_ZH.sub("", zh)), (key, zh)
        assert not HAN.search(en), (key, en)


def _headers(table: str) -> list[str]:
    return [h.strip() for line in table.splitlines() if line.startswith("┃") for h in line.strip("┃").split("┃")]


def _column(table: str, index: int) -> list[str]:
    return [
        line.strip("│").split("│")[index].strip()
        for line in table.splitlines()
        if line.startswith("│") and len(line.split("│")) > index + 2
    ]


def _panel_labels(panel: str) -> list[str]:
    out = []
    for line in panel.splitlines()[1:-1]:
        inner = line[1:-1]
        if len(inner) > 1 and inner[0] == " " and inner[1] != " ":
            out.append(inner[1:].split("  ")[0].strip())
    return out


@pytest.mark.parametrize("args", TABLES, ids=" ".join)
def test_table_headers_and_kinds_are_in_one_language(run, args: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    zh = run(*args, "--format", "table", env={"COLUMNS": "200"}).out
    en = run("--lang", "en", *args, "--format", "table", env={"COLUMNS": "200"}).out
    zh_headers, en_headers = _headers(zh), _headers(en)
    assert zh_headers and en_headers
    assert [h for h in zh_headers if LATIN.search(h)] == []
    assert [h for h in en_headers if HAN.search(h)] == []
    assert [h for h in en_headers if h[:1].islower()] == []  # "Count", not "count"
    assert len(set(zh_headers)) == len(zh_headers) and len(set(en_headers)) == len(en_headers)
    for name in WORD_COLUMNS:  # named in the interface language
        if name in zh_headers:
            i = zh_headers.index(name)
            assert [v for v in _column(zh, i) if LATIN.search(v)] == []
            assert [v for v in _column(en, i) if HAN.search(v)] == []


@pytest.mark.parametrize("rid", RECORDS)
def test_record_labels_and_kinds_are_in_one_language(run, rid: str) -> None:  # type: ignore[no-untyped-def]
    zh = run("show", rid, "--format", "table", env={"COLUMNS": "200"}).out
    en = run("--lang", "en", "show", rid, "--format", "table", env={"COLUMNS": "200"}).out
    assert [label for label in _panel_labels(zh) if LATIN.search(label)] == []
    assert [label for label in _panel_labels(en) if HAN.search(label)] == []
    rec = json.loads(run("show", rid, "--format", "json").out)
    kind_zh = next(line for line in zh.splitlines() if "记录类别" in line)
    assert rec["record"] not in kind_zh  # the kind's Chinese name, not "metric"


def test_info_is_in_one_language(run) -> None:  # type: ignore[no-untyped-def]
    zh = run("info", "--format", "table", env={"COLUMNS": "120"}).out
    en = run("--lang", "en", "info", "--format", "table", env={"COLUMNS": "120"}).out
    assert [label for label in _panel_labels(zh) if LATIN.search(label)] == []
    assert [label for label in _panel_labels(en) if HAN.search(label)] == []
    assert "true" not in zh and "2023年1月（推断）" in zh  # the date as a reader writes it, not its fields
    assert "2023-01 (inferred)" in en


@pytest.mark.parametrize("detail", [[], ["--detail"]])
def test_the_briefing_is_in_one_language(run, detail: list[str]) -> None:  # type: ignore[no-untyped-def]
    zh = run("pillars", *detail, "--format", "table", env={"COLUMNS": "120"}).out
    assert "两大定位" in zh and "四篇文章" in zh
    en = run("--lang", "en", "pillars", *detail, "--format", "table", env={"COLUMNS": "120"}).out
    assert "Two positionings" in en and "两大定位" not in en


def test_every_record_shows_in_both_languages_with_labels_in_one(run) -> None:  # type: ignore[no-untyped-def]
    """Every record of the report, as `show` draws it at a terminal (a caption crashed under --lang en)."""
    from beibei_cli import queries
    from beibei_cli.output import terminal
    from beibei_cli.report import load_report

    report = load_report(None)
    stray = set()
    for rid in report.by_id():
        for lang, foreign in (("zh", LATIN), ("en", HAN)):
            rec = queries.show_record(report, rid, lang)
            panel = terminal.record(rec, lang=lang, width=200, color=False)
            stray |= {(lang, label) for label in _panel_labels(panel) if foreign.search(label)}
    assert stray == set()


def _labels_of_fields(report_rows: dict[str, list[dict[str, object]]]) -> set[tuple[str, str, str]]:
    """(where, language, label) for every label that two fields of one row or record share."""
    from beibei_cli.output.labels import label

    clashes = set()
    for where, rows in report_rows.items():
        keys = {k for row in rows for k in row}
        for lang in ("zh", "en"):
            named: dict[str, str] = {}
            for key in sorted(keys):
                if named.setdefault(label(key, lang), key) != key:
                    clashes.add((where, lang, label(key, lang)))
    return clashes


def test_no_two_fields_share_a_label() -> None:
    """`--fields text,value,figure` gave two 数值 columns: every field of a row, and of a record, has its own."""
    from beibei_cli import queries
    from beibei_cli import rows as contract
    from beibei_cli.report import load_report

    report = load_report(None)
    rows: dict[str, list[dict[str, object]]] = {
        "metrics": queries.run(report, "metrics", {}, "zh"),
        "pillars": queries.pillar_rows(report, detail=True, lang="zh"),
        "timeline": queries.timeline_rows(report, since=None, until=None, lang="zh"),
        "entities": queries.entity_rows(report, type=None, lang="zh"),
        "source": queries.paragraph_rows(report, para=None, grep=None),
        "search": [dict.fromkeys(contract.names("hit"))],
    }
    for rid in report.by_id():
        rows[rid] = [queries.show_record(report, rid, lang) for lang in ("zh", "en")]
    assert _labels_of_fields(rows) == set()


def test_qualifier_meanings_show_in_the_interface_language(run) -> None:  # type: ignore[no-untyped-def]
    zh = run("show", "metric-tenghai-output", "--format", "table", env={"COLUMNS": "200"}).out
    en = run("--lang", "en", "show", "metric-tenghai-output", "--format", "table", env={"COLUMNS": "200"}).out
    assert "more-than" not in zh and "more-than" not in en and "more than" in en
    line = next(line for line in zh.splitlines() if "限定含义" in line)
    assert not LATIN.search(line)
    assert json.loads(run("show", "metric-tenghai-output", "-f", "json").out)["qualifier_meaning"] == "more-than"


NOTES = [  # what leads to a note on stderr, and the Latin text of the user's own that it may repeat
    (("search", "斯太宝芯片"), ""),
    (("search", "北碚GDP增长"), r"(?i)gdp"),
    (("search", "农村公路"), ""),
    (("search", "zhaosang"), r"zhaosang|\(zhaoshang\)"),
    (("metrics", "--pillar", "eco-metropolis", "--format", "table"), ""),
    (("metrics", "--fields", "id,value,unit", "--format", "plain"), r"--fields|\b(text|qualifier)\b"),
]


@pytest.mark.parametrize(("args", "own"), NOTES, ids=lambda a: " ".join(a) if isinstance(a, tuple) else "")
def test_notes_on_stderr_are_in_one_language(run, monkeypatch, args: tuple[str, ...], own: str) -> None:  # type: ignore[no-untyped-def]
    from beibei_cli import commands

    monkeypatch.setattr(commands, "_stderr_is_tty", lambda: True)  # the fallback note is for a person
    table = () if "--format" in args else ("--format", "table")
    zh = run(*args, *table).err
    en = run("--lang", "en", *args, *table).err
    assert zh.strip() and not LATIN.search(re.sub(own, "", zh) if own else zh), zh
    assert "no exact match for" in en or en == "no matching records\n" or en.startswith("note: "), en


def test_wrote_file_is_in_one_language(run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "out.csv"
    zh = run("metrics", "-o", str(target)).err
    en = run("--lang", "en", "metrics", "-o", str(target)).err
    assert zh == f"已写入 {target}\n" and en == f"wrote {target}\n"


def test_validate_and_cache_clear_speak_the_interface_language(run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.yaml"
    bad.write_text("report: {}\n", encoding="utf-8")
    env = {"BEIBEI_CACHE_DIR": str(tmp_path / "cache")}
    for lang, ok, problems, cleared in (
        ("zh", "：校验通过", "处问题", "个缓存文件"),
        ("en", ": ok", " problems", "cache files from"),
    ):
        assert run("validate", "--lang", lang).err.strip().endswith(ok)
        assert problems in run("validate", str(bad), "--lang", lang).err.splitlines()[-1]
        assert cleared in run("cache", "clear", "--lang", lang, env=env).err
