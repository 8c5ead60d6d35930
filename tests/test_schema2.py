"""Schema 2: figures as quantities, report-level aims, dates, links, coverage by position, ids."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from beibei_cli import output, quantity, queries
from beibei_cli import report as report_mod
from tests.conftest import DATA, ROOT, SOURCE, python_env


@pytest.fixture(scope="module")
def rep() -> report_mod.Report:
    return report_mod.load_report(str(DATA), use_cache=False)


def squash(text: str) -> str:
    return "".join(text.split())


# -- units, qualifiers, English ------------------------------------------------


@pytest.mark.parametrize(
    "value, unit, amount, base",
    [
        (6, "亿元", 600_000_000, "元"),
        (2000, "万元", 20_000_000, "元"),
        (36.55, "亿元", 3_655_000_000, "元"),
        (93.9, "亿元", 9_390_000_000, "元"),
        (8.63, "万户", 86_300, "户"),
        (1.2, "万平方米", 12_000, "平方米"),
        (3, "万", 30_000, ""),
        (1896, "户", 1896, "户"),
        (53.16, "%", 53.16, "%"),
        (5, "年", 60, "月"),
        (1.5, "个月", 1.5, "月"),
    ],
)
def test_units_convert_to_base_amounts(value: float, unit: str, amount: float, base: str) -> None:
    assert quantity.amount(value, unit) == amount
    assert type(quantity.amount(value, unit)) is type(amount)  # whole amounts are exact ints
    assert quantity.base_unit(unit) == base


def test_unknown_unit_is_refused() -> None:
    with pytest.raises(quantity.QuantityError, match="unknown unit"):
        quantity.amount(1, "斤")


@pytest.mark.parametrize(
    "qualifier, meaning, written",
    [("超过", "more-than", "超过6亿元"), ("以上", "at-least", "6亿元以上"), ("余", "more-than", "6余亿元"),
     ("约", "about", "约6亿元"), ("近", "nearly", "近6亿元")],
)  # fmt: skip
def test_qualifiers_have_a_meaning_and_a_place(qualifier: str, meaning: str, written: str) -> None:
    assert quantity.meaning(qualifier) == meaning
    assert quantity.compose("6", "亿元", qualifier) == written


def test_english_renders_units_and_qualifiers() -> None:
    assert quantity.english(6, "亿元", "超过") == "over 600 million yuan"
    assert quantity.english(8.63, "万户", unit_en="market entities") == "86,300 market entities"
    assert quantity.english(10, "倍", "余") == "more than 10 times"
    assert quantity.english(2000, "万元", "以上") == "at least 20 million yuan"
    assert quantity.english(3, "亿元", "约") == "about 300 million yuan"
    assert quantity.english(428, "亿元") == "42.8 billion yuan"
    assert quantity.english(5, "年", "近") == "nearly 5 years"
    assert quantity.english(39, "%", kind="rate-of-change") == "up 39%"


def test_parse_amount_reads_chinese_units() -> None:
    assert quantity.parse_amount("1亿") == 100_000_000
    assert quantity.parse_amount("2000万元") == 20_000_000
    assert quantity.parse_amount("1e8") == 100_000_000
    with pytest.raises(quantity.QuantityError):
        quantity.parse_amount("lots")
    with pytest.raises(quantity.QuantityError, match="count figures are in"):
        quantity.parse_amount("1亿元", "count")
    assert quantity.parse_amount("1万", "count") == 10_000


# -- figures in the report --------------------------------------------------------


def test_every_figure_is_a_quantity(rep: report_mod.Report) -> None:
    for m in rep.typed["metric"]:
        assert m["amount"] == quantity.amount(m["value"], m["unit"]), m["id"]
        assert m["base_unit"] in quantity.KINDS[m["kind"]][1], m["id"]
        assert m["status"] in ("stated", "forecast", "target")
    by_id = {m["id"]: m for m in rep.typed["metric"]}
    assert by_id["metric-tenghai-output"]["status"] == "forecast"
    assert by_id["metric-tenghai-tax"]["status"] == "forecast"
    assert by_id["metric-funds-in-place-growth-2022"]["kind"] == "rate-of-change"
    assert by_id["metric-rd-intensity"]["kind"] == "intensity"
    assert by_id["metric-tenghai-output"]["amount"] == 600_000_000


def test_a_wrong_kind_or_qualifier_is_a_problem(tmp_path: Path) -> None:
    text = DATA.read_text(encoding="utf-8")
    broken = text.replace("    qualifier: 超过\n    kind: money\n", "    qualifier: 约\n    kind: share\n", 1)
    path = tmp_path / "report.yaml"
    path.write_text(broken, encoding="utf-8")
    (tmp_path / "source.txt").write_bytes(SOURCE.read_bytes())
    _, problems = report_mod.check(str(path))
    messages = " | ".join(p["message"] for p in problems)
    assert "a share figure is stated in %" in messages
    assert "but the figure is written '超过6亿元'" in messages


def test_sort_value_groups_kinds_and_compares_amounts(run) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(run("metrics", "--sort", "value", "--format", "json").out)
    texts = [r["text"] for r in rows]
    assert texts.index("428亿元") < texts.index("2000万元以上") < texts.index("8.63万户")
    kinds = [r["kind"] for r in rows]
    seen: list[str] = []
    for kind in kinds:  # each kind is one run: never interleaved
        if not seen or seen[-1] != kind:
            assert kind not in seen, kinds
            seen.append(kind)
    for kind in seen:
        amounts = [r["amount"] for r in rows if r["kind"] == kind]
        assert amounts == sorted(amounts, reverse=True)


def test_kind_and_bounds(rep: report_mod.Report) -> None:
    money = queries.run(rep, "metrics", {"kind": "money", "minimum": "1亿", "maximum": 5e9}, "zh")
    assert [m["text"] for m in money] == ["超过6亿元", "约3亿元", "36.55亿元"]
    assert all(m["kind"] == "share" for m in queries.run(rep, "metrics", {"kind": "share"}, "zh"))
    with pytest.raises(queries.UsageError, match="add --kind"):
        queries.run(rep, "metrics", {"minimum": 1}, "zh")
    with pytest.raises(queries.UsageError, match="unknown kind"):
        queries.run(rep, "metrics", {"kind": "weight"}, "zh")


def test_figure_as_written_is_in_every_default_row(run) -> None:  # type: ignore[no-untyped-def]
    plain = run("metrics", "--format", "plain").out
    assert "超过6亿元" in plain and "10余倍" in plain
    en = json.loads(run("--lang", "en", "metrics", "--format", "json").out)
    by_id = {r["id"]: r for r in en}
    assert by_id["metric-tenghai-output"]["text"] == "超过6亿元"
    assert by_id["metric-tenghai-output"]["figure"] == "over 600 million yuan"
    assert by_id["metric-market-entities"]["figure"] == "86,300 market entities"
    assert by_id["metric-sitaibao-market-value-growth"]["figure"] == "more than 10 times"


def test_bars_only_for_shares() -> None:
    from beibei_cli.output.terminal import bar

    assert bar(53.16, "%", kind="share").plain.strip("·")
    assert bar(5.09, "%", kind="intensity").plain == ""
    assert bar(39, "%", kind="rate-of-change").plain == "▲ +39%"


def test_sort_name_follows_pinyin_from_the_cache(tmp_path: Path) -> None:
    code = (
        "import sys, json; from beibei_cli.entry import run; "
        "run(['metrics', '--sort', 'name', '--fields', 'name', '-f', 'json']); "
        "print('PYPINYIN' if 'pypinyin' in sys.modules else 'CLEAN', file=sys.stderr)"
    )
    env = python_env(BEIBEI_CACHE_DIR=str(tmp_path))
    subprocess.run(
        [sys.executable, "-m", "beibei_cli", "metrics", "-f", "json"], env=env, check=True, capture_output=True
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert done.stderr.strip().endswith("CLEAN")
    names = [r["name"] for r in json.loads(done.stdout)]
    assert names.index("到位资金") < names.index("高新技术企业") < names.index("森林覆盖率") < names.index("税收占比")
    assert names[0] == "到位资金" and names.index("“中国美丽乡村休闲乡村”") > names.index("招商投资额")


# -- structure: report-level aims, dates, links, quotes --------------------------------

GENERAL_IDS = {
    "goal-follow-20th-congress",
    "goal-refine-targets",
    "goal-beautiful-beibei",
    "goal-high-quality-development",
    "goal-right-direction",
    "goal-new-chongqing",
    "plan-five-years",
    "plan-urgency",
    "case-13th-party-congress",
}


def test_report_level_aims_belong_to_no_pillar(rep: report_mod.Report, run) -> None:  # type: ignore[no-untyped-def]
    general = {r["id"] for kind in ("goal", "plan", "case") for r in rep.records[kind] if r["pillar"] is None}
    assert general == GENERAL_IDS
    rows = json.loads(run("pillars", "--detail", "--format", "json").out)
    group = rows[-1]
    assert group["id"] == "general"
    assert {g["id"] for key in ("goals", "plans", "cases") for g in group[key]} == GENERAL_IDS
    assert [m["id"] for m in group["metrics"]] == ["metric-plan-horizon"]
    eco = next(r for r in rows if r["id"] == "eco-metropolis")
    assert [g["id"] for g in eco["goals"]] == ["goal-eco-metropolis", "goal-pastoral-city"]
    assert "## 总体" in run("export").out


def test_every_date_carries_precision_and_inferred(rep: report_mod.Report) -> None:
    dates = [rep.meta["date"]]
    dates += [e["date"] for e in rep.typed["event"]]
    dates += [d for c in rep.typed["case"] for d in c["dates"]]
    dates += [p["year"] for p in rep.typed["plan"]] + [h["year"] for h in rep.typed["honour"]]
    dates += [m["as_of"] for m in rep.typed["metric"]]
    for date in filter(None, dates):
        assert date["precision"] == {4: "year", 7: "month", 10: "day"}[len(date["iso"])]
        assert isinstance(date["inferred"], bool)
        if date["inferred"]:
            assert date["note"], date
    cases = {c["id"]: c for c in rep.typed["case"]}
    assert [(d["iso"], d["inferred"]) for d in cases["case-sanjin-road"]["dates"]] == [
        ("2022", False),
        ("2023-01-09", True),
    ]
    assert cases["case-xunjian-swu-base"]["dates"][0]["inferred"] is True
    assert cases["case-transport"]["dates"][0]["inferred"] is True
    assert cases["case-southwest-bureau-site"]["dates"][0]["label"].startswith("历史")
    plans = {p["id"]: p for p in rep.typed["plan"]}
    assert plans["plan-spatial-layout"]["year"]["inferred"] is True  # type: ignore[index]


def test_inferred_notes_are_shown(run) -> None:  # type: ignore[no-untyped-def]
    note = "1月9日 without a year"
    assert note in run("--lang", "en", "show", "case-sanjin-road").out
    assert "1月9日" in json.loads(run("timeline", "--format", "json").out)[-1]["date_note"]
    assert note in run("--lang", "en", "export").out
    assert note in run("--lang", "en", "pillars", "--detail", "--format", "table", env={"COLUMNS": "200"}).out
    # under zh the same notes in Chinese
    note_zh = "原文只写“1月9日”，未写年份"
    assert note_zh in run("show", "case-sanjin-road").out
    assert note_zh in run("export").out
    assert note_zh in run("pillars", "--detail", "--format", "table", env={"COLUMNS": "200"}).out


def test_cases_link_only_what_their_paragraphs_name(rep: report_mod.Report) -> None:
    entities = {e["id"]: e for e in rep.typed["entity"]}
    for case in rep.typed["case"]:
        text = "".join(rep.paragraphs[n - 1]["text"] for n in case["paras"])
        for ref in case["organisations"] + case["places"] + case["people"]:
            names = [entities[ref]["name"], *entities[ref]["aliases"]]
            assert any(name in text for name in names), (case["id"], ref)
    cases = {c["id"]: c for c in rep.typed["case"]}
    assert "org-swu" not in cases["case-wenzao-road"]["organisations"]
    assert "org-beibei-departments" not in cases["case-enterprise-problems"]["organisations"]


def test_a_quote_in_several_paragraphs_is_pinned(rep: report_mod.Report, tmp_path: Path) -> None:
    for recs in rep.records.values():
        for rec in recs:
            if "quote" in rec and rec.get("quote"):
                found = [p["n"] for p in rep.paragraphs if squash(rec["quote"]) in squash(p["text"])]
                assert set(found) <= set(rec["paras"]) and rec["para"] in found, rec["id"]
    goal = rep.get("goal-beautiful-beibei")
    assert goal is not None and goal["paras"] == [3, 14] and goal["para"] == 3
    text = DATA.read_text(encoding="utf-8").replace("    para: 3\n", "", 1)
    path = tmp_path / "report.yaml"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "source.txt").write_bytes(SOURCE.read_bytes())
    _, problems = report_mod.check(str(path))
    assert any("occurs in paragraphs 3, 14" in p["message"] for p in problems)


def test_cite_uses_the_pinned_paragraph_and_nests_quotes(run) -> None:  # type: ignore[no-untyped-def]
    assert "第3段" in run("cite", "goal-beautiful-beibei").out
    out = run("cite", "goal-follow-20th-congress").out
    # the plain form wraps the quote in “”: quotes inside it become ‘’ (GB/T 15834), never 『』
    assert "‘新时代、新征程、新重庆’" in out and out.split("（《")[0].count("“") == 1
    assert "『" not in out
    # the md form is a blockquote, with no outer marks: the quote stays verbatim
    md = run("cite", "metric-national-srdi-little-giants", "-f", "md").out
    assert md.splitlines()[0] == "> 国家级“专精特新”小巨人企业18家"
    refused = run("cite", "section-lead")
    assert refused.code == 2 and "no quote" in refused.err and "metric" in refused.err


def test_every_md_citation_quotes_verbatim() -> None:
    from beibei_cli import queries
    from beibei_cli.output import md_escape
    from beibei_cli.report import load_report

    report = load_report(None)
    for rid, rec in report.by_id().items():
        if rec.get("quote"):
            assert output.citation(queries.citation(report, rid), "md", "zh").splitlines()[0] == "> " + md_escape(
                rec["quote"]
            ), rid


def test_version_1_file_says_what_changed(tmp_path: Path) -> None:
    text = DATA.read_text(encoding="utf-8")
    path = tmp_path / "report.yaml"
    path.write_text(text.replace("schema_version: 2\n", "schema_version: 1\n", 1), encoding="utf-8")
    (tmp_path / "source.txt").write_bytes(SOURCE.read_bytes())
    _, problems = report_mod.check(str(path))
    assert len(problems) == 1
    message = problems[0]["message"]
    assert "schema version 1" in message and "reads version 2" in message and "quantity" in message


# -- coverage by position ---------------------------------------------------------------

ARABIC = re.compile(r"\d+(?:\.\d+)?")
# Chinese numerals that count something: a numeral followed by a measure word (一个半月, 三个一, 四篇文章).
CHINESE = re.compile(
    r"(?<![第一二两三四五六七八九十百千万])[一二两三四五六七八九十百千万]+(?=[个位批篇次届张盘方片条项栋家户年月天倍座名种])"
)

# Numerals in the article that are no figure of the report, with the reason.
EXCLUDED = {
    "“1+4+9+N”": "the name of the investment-attraction system",
    "15号线": "the name of a metro line (轨道交通15号线)",
    "四篇文章": "the name of the four articles, the report's structure",
    "“两个健康”": "the name of a programme (新时代“两个健康”先行区)",
    "“三个一”": "the name of a mechanism (推动民营经济高质量发展“三个一”机制)",
    "六届二次全会": "the name of a party plenum (the Second Plenary Session of the Sixth Committee)",
    "一位": "an indefinite article (一位身着军装的工作人员)",
    "一批": "an indefinite amount (一批生态型、教育型城市水体公园)",
    "一盘棋": "an idiom (全区建设“一盘棋”)",
    "一张网": "an idiom (出行“一张网”)",
    "四方门": "a slogan (建四方门、迎八方客)",
    "八方客": "a slogan (建四方门、迎八方客)",
    "一心四片": "the name of a layout (“一心四片”)",
}


def numeral_spans(text: str) -> list[tuple[int, int, str]]:
    spans = [(m.start(), m.end(), m.group()) for m in ARABIC.finditer(text)]
    spans += [(m.start(), m.end(), m.group()) for m in CHINESE.finditer(text)]
    return sorted(spans)


def _occurrences(haystack: str, needle: str) -> list[tuple[int, int]]:
    out, start = [], haystack.find(needle)
    while needle and start != -1:
        out.append((start, start + len(needle)))
        start = haystack.find(needle, start + 1)
    return out


def _date_numbers(rec: dict) -> set[int]:
    found: set[int] = set()
    for key in ("date", "year", "as_of"):
        if isinstance(rec.get(key), dict):
            found.update(int(part) for part in rec[key]["iso"].split("-"))
    for date in rec.get("dates") or []:
        found.update(int(part) for part in date["iso"].split("-"))
    return found


def uncovered(records: dict[str, list[dict]]) -> list[str]:
    """Every numeral of the article not inside a record's quote span that carries it, nor excluded."""
    text = squash(SOURCE.read_text(encoding="utf-8"))
    covered: set[int] = set()
    for fragment in EXCLUDED:
        spans = _occurrences(text, squash(fragment))
        assert spans, fragment  # an exclusion that matches nothing is stale
        for start, end in spans:
            covered.update(range(start, end))
    for recs in records.values():
        for rec in recs:
            for quote in [rec.get("quote"), *(rec.get("more_quotes") or [])]:
                if not quote:
                    continue
                for q_start, q_end in _occurrences(text, squash(quote)):
                    if rec.get("_kind") == "metric":  # a figure carries the numbers of its text, where it stands
                        inner = text[q_start:q_end]
                        for t_start, t_end in _occurrences(inner, squash(rec["text"])):
                            covered.update(range(q_start + t_start, q_start + t_end))
                    numbers = _date_numbers(rec)
                    for start, end, numeral in numeral_spans(text[q_start:q_end]):
                        if ARABIC.fullmatch(numeral) and "." not in numeral and int(numeral) in numbers:
                            covered.update(range(q_start + start, q_start + end))
    return [
        f"{numeral} at …{text[max(0, start - 8) : end + 8]}…"
        for start, end, numeral in numeral_spans(text)
        if not set(range(start, end)) <= covered
    ]


def test_every_numeral_of_the_article_is_covered(rep: report_mod.Report) -> None:
    assert uncovered(rep.records) == []


@pytest.mark.parametrize(
    "metric_id, numeral",
    [
        ("metric-mountain-gates", "4"),
        ("metric-tenghai-output", "6"),
        ("metric-wenzao-road-parks", "3"),
        ("metric-shanmuyuan-buildings", "3"),
        ("metric-china-beautiful-leisure-villages", "3"),
        ("metric-tenghai-land-time", "一"),
    ],
)
def test_coverage_fails_without_any_one_figure(rep: report_mod.Report, metric_id: str, numeral: str) -> None:
    records = {k: [r for r in recs if r["id"] != metric_id] for k, recs in rep.records.items()}
    missing = uncovered(records)
    assert missing and all(m.startswith(numeral + " ") for m in missing), missing


# -- no dead ids ------------------------------------------------------------------------

ID_SHAPE = re.compile(
    r"\b(?:metric|case|goal|plan|event|org|place|person|project|caption|honour|section)-[a-z0-9-]*[a-z0-9]\b"
)


def test_every_id_named_in_help_readme_and_docs_exists(rep: report_mod.Report) -> None:
    texts = {
        "cli.py": (ROOT / "src" / "beibei_cli" / "cli.py").read_text(encoding="utf-8"),
        "README.md": (ROOT / "README.md").read_text(encoding="utf-8"),
    }
    for doc in (ROOT / "docs").rglob("*.md"):
        texts[str(doc.relative_to(ROOT))] = doc.read_text(encoding="utf-8")
    known = set(rep.by_id())
    placeholders = {"case-", "goal-", "plan-", "event-", "metric-", "caption-", "honour-"}
    dead = sorted(
        {
            (where, rid)
            for where, text in texts.items()
            for rid in ID_SHAPE.findall(text)
            if rid not in known and rid not in placeholders and not rid.endswith("-")
        }
    )
    assert dead == []


@pytest.mark.parametrize("fast", [True, False])
def test_kind_min_max_flags(run, fast: bool) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(run("metrics", "--kind", "money", "--min", "1亿", "--max", "5e9", "-f", "json", fast=fast).out)
    assert [r["text"] for r in rows] == ["超过6亿元", "约3亿元", "36.55亿元"]
    refused = run("metrics", "--min", "1", fast=fast)
    assert refused.code == 2 and "add --kind" in refused.err
    general = json.loads(run("metrics", "--pillar", "general", "-f", "json", fast=fast).out)
    assert [r["id"] for r in general] == ["metric-plan-horizon"]


def test_fields_value_never_hides_a_qualifier_silently(run) -> None:  # type: ignore[no-untyped-def]
    hidden = run("metrics", "--fields", "id,value,unit")
    assert hidden.code == 0 and "10\t倍" in hidden.out
    assert "qualifier" in hidden.err and "10余倍" in hidden.err
    assert run("metrics", "--fields", "id,text,value,unit").err == ""
    assert run("metrics", "--section", "results", "--fields", "id,value").err == ""  # none qualified there


# -- one schema -----------------------------------------------------------------------------


def test_the_typed_records_are_the_loaded_records(rep: report_mod.Report) -> None:
    from beibei_cli import schema

    for kind, cls in schema.RECORD_TYPES.items():
        for rec in rep.records[kind]:
            assert set(rec) == set(schema.fields_of(cls)), (kind, set(rec) ^ set(schema.fields_of(cls)))
    assert set(rep.meta) == set(schema.fields_of(schema.Meta))


def test_the_cli_offers_the_schema_choices() -> None:
    from typer.main import get_command

    from beibei_cli import cli, models, schema
    from beibei_cli.output.labels import from_zh

    def choices(command: str, option: str) -> tuple[str, ...]:
        params = get_command(cli.app).commands[command].params  # type: ignore[attr-defined]
        return tuple(next(p for p in params if option in p.opts).type.choices)

    # the schema's types, then the Chinese names the tables show for them (企业 for company): offered by
    # completion and named in --help (the option also takes pinyin and traditional characters, so the
    # query checks it rather than a fixed choice)
    assert tuple(cli.complete_entity_types("")) == (*models.ENTITY_TYPES, *from_zh(models.ENTITY_TYPES))
    help_text = next(p for p in get_command(cli.app).commands["entities"].params if "--type" in p.opts).help  # type: ignore[attr-defined]
    assert all(t in help_text for t in models.ENTITY_TYPES)
    assert set(from_zh(models.ENTITY_TYPES).values()) == set(models.ENTITY_TYPES)
    assert choices("metrics", "--kind") == models.METRIC_KINDS == tuple(quantity.KINDS)
    assert choices("metrics", "--sort") == models.METRIC_SORTS
    assert choices("metrics", "--status") == models.METRIC_STATUSES
    assert schema.fields_of(schema.Entity)["type"].mark(schema.Choice).choices is models.ENTITY_TYPES
    assert schema.fields_of(schema.Metric)["kind"].mark(schema.Choice).choices is models.METRIC_KINDS


def test_models_is_cheap_and_schema_version_is_defined_once() -> None:
    code = "import sys, beibei_cli.models, beibei_cli.queries; print('typing' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=python_env(), check=True)
    assert done.stdout.strip() == "False"
    sources = list((ROOT / "src" / "beibei_cli").rglob("*.py"))
    defined = [p.name for p in sources if re.search(r"^SCHEMA_VERSION\s*=", p.read_text(encoding="utf-8"), re.M)]
    assert defined == ["about.py"]
