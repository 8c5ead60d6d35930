"""Terminal tables sized by priority: ids whole, names short, empty columns gone,
the quote when there is room, long lists capped, entity mentions counted."""

from __future__ import annotations

import json
import re

import pytest

from beibei_cli.output import linebreak as lb
from beibei_cli.output import terminal

WIDTHS = (40, 60, 80, 100, 120, 160)
COMMANDS = [("metrics",), ("entities",), ("timeline",), ("search", "招商"), ("pillars", "--fields", "id,kind,name")]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
@pytest.mark.parametrize("width", WIDTHS)
def test_ids_are_never_wrapped_nor_cut_and_lines_fit(run, args: tuple[str, ...], width: int) -> None:  # type: ignore[no-untyped-def]
    ids = [row["id"] for row in json.loads(run(*args, "--format", "json").out)]
    table = run(*args, "--format", "table", env={"COLUMNS": str(width)}).out
    lines = table.splitlines()
    for rid in ids:
        assert any(rid in line for line in lines), f"{rid} cut or wrapped at {width} columns"
    for line in lines:
        assert lb.cell_width(line) <= width or line in ids, line  # only a lone id may be wider than the terminal


@pytest.mark.parametrize("width", (80, 100, 120))
def test_names_wrap_at_most_twice(run, width: int) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(run("metrics", "--format", "json").out)
    columns = ["name", "figure", "bar", "pillar_name", "as_of", "quote", "id"]
    *_, cells, _, widths = terminal.table_plan(rows, columns, lang="zh", width=width, droppable=True)
    assert widths is not None and "figure" in widths
    names = [t.plain for t in cells["name"]]
    assert max(len(lb.wrap(name, widths["name"])) for name in names) <= terminal.MAX_NAME_LINES
    if "id" not in widths:  # the ids go under the names: room for every id, whole
        assert widths["name"] >= max(lb.cell_width(t.plain) for t in cells["id"])
    assert terminal.table_plan(rows, columns, lang="zh", width=50, droppable=True)[4] is None  # blocks


def test_columns_are_dropped_in_the_documented_order() -> None:
    rows = [
        {
            "id": "metric-a-rather-long-identifier",
            "name": "一个相当长的数据名称需要折行",
            "value": 5.09,
            "unit": "%",
            "pillar_name": "科技创新",
            "as_of": "2022",
        }
    ]
    columns = ["name", "figure", "bar", "pillar_name", "as_of", "id"]
    cells = {c: [terminal.cell_renderable(r, c, lang="zh").plain for r in rows] for c in columns}
    kept = [
        list(terminal.plan_columns(columns, dict.fromkeys(columns, "列"), cells, w) or [])
        for w in (200, 90, 80, 75, 40)
    ]
    assert kept[0] == columns
    dropped = [set(columns) - set(k) for k in kept]
    order = [c for c in terminal.DROP_ORDER if c in columns]
    for gone in dropped[1:-1]:
        assert gone == set(order[: len(gone)])  # always a prefix of DROP_ORDER
    assert kept[-1] == []  # too narrow even for id, name and figure: rows become blocks


def test_columns_empty_in_every_row_are_not_shown() -> None:
    rows = [{"id": "a-1", "name": "甲", "as_of": None}, {"id": "b-2", "name": "乙", "as_of": ""}]
    out = terminal.table(rows, ["name", "as_of", "id"], lang="zh", width=100, color=False)
    assert "时间" not in out and "名称" in out


def test_the_quote_shows_from_120_columns_and_not_below(run) -> None:  # type: ignore[no-untyped-def]
    wide = run("metrics", "--format", "table", env={"COLUMNS": "140"}).out
    narrow = run("metrics", "--format", "table", env={"COLUMNS": "119"}).out
    assert "原文" in wide and "“未来5年" in wide
    assert "原文" not in narrow


def _header(run, width: int, lang: str) -> set[str]:  # type: ignore[no-untyped-def]
    out = run("metrics", "--format", "table", "--lang", lang, env={"COLUMNS": str(width)}).out
    # "名称 / 编号" is the name column with the ids under the names: both columns are there
    return {part.strip() for cell in out.splitlines()[1].strip("┃").split("┃") for part in cell.split(" / ")}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_quote_never_pushes_a_column_out(run, lang: str) -> None:  # type: ignore[no-untyped-def]
    """The quote comes in only beside every other column: at 120 columns it once pushed the share
    bar out (shown at 104-119, gone at 120-126), so a wider window showed less."""
    quote = "原文" if lang == "zh" else "Quote"
    before = _header(run, 119, lang)
    for width in range(120, 221):
        now = _header(run, width, lang)
        if quote in now:
            assert before - {quote} <= now, (width, before - now)
        before = now


def test_show_always_has_the_whole_quote(run) -> None:  # type: ignore[no-untyped-def]
    out = run("show", "metric-rd-intensity", "--format", "table", env={"COLUMNS": "60"}).out
    flat = "".join(line.strip("│ ") for line in out.splitlines())
    assert "全社会研发经费投入强度达5.09%（36.55亿元）保持全市第一" in flat.replace(" ", "").replace("│", "")


def test_long_lists_in_a_cell_are_capped() -> None:
    items = [f"item-{i}" for i in range(7)]
    assert terminal.capped(items, "en") == "item-0, item-1, item-2 … and 4 more"
    assert terminal.capped(items, "zh") == "item-0、item-1、item-2…等，另有4项"
    out = terminal.table([{"id": "x", "aliases": items}], ["aliases", "id"], lang="en", width=100, color=False)
    assert "… and 4 more" in out and "item-6" not in out


def test_the_entities_table_counts_mentions(run) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(run("entities", "--format", "json").out)
    beibei = next(r for r in rows if r["id"] == "place-beibei")
    out = run("entities", "--format", "table", env={"COLUMNS": "80"}).out
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if "place-beibei" in line)
    row = lines[at] if "北碚区" in lines[at] else lines[at - 1]  # beside its name, or under it
    assert str(len(beibei["mentions"])) in row and "北碚区" in row
    assert "goal-beautiful-beibei" not in out  # a count, not the list
    assert len(out.splitlines()) < 2 * len(rows)


def test_an_entity_page_lists_each_mention_with_kind_title_and_paragraph(run) -> None:  # type: ignore[no-untyped-def]
    out = run("show", "org-swu", "--format", "table", env={"COLUMNS": "120"}).out
    line = next(line for line in out.splitlines() if "case-xunjian-swu-base" in line)
    assert "案例" in line and "¶" in line
    rec = json.loads(run("show", "org-swu", "--format", "json").out)
    mention = next(m for m in rec["mentions"] if m["id"] == "case-xunjian-swu-base")
    assert mention["title"] and mention["title"] in line


def test_columns_named_with_fields_are_never_dropped(run) -> None:  # type: ignore[no-untyped-def]
    out = run("pillars", "--fields", "id,name,heading,summary", "--format", "table", env={"COLUMNS": "80"}).out
    assert all(h in out.splitlines()[1] for h in ("编号", "名称", "标题", "要义"))
    narrow = run("metrics", "--fields", "id,name,value,unit,pillar,as_of", "--format", "table", env={"COLUMNS": "70"})
    assert all(label in narrow.out for label in ("单位", "篇章", "时间"))  # a table or blocks, but all there
    quoted = run("metrics", "--fields", "id,name,quote", "--format", "table", env={"COLUMNS": "100"}).out
    assert "原文" in quoted.splitlines()[1]  # asked for: shown below 120 columns too


def test_long_texts_are_wrapped_whole_not_cut(run) -> None:  # type: ignore[no-untyped-def]
    out = run("source", "--para", "2", "--format", "table", env={"COLUMNS": "80"}).out
    flat = "".join(part.strip() for line in out.splitlines() for part in line.split("│")[2:3])
    assert "…" not in out and flat.endswith("围绕“新时代、新征程、新重庆”加快推进。")


@pytest.mark.parametrize("width", WIDTHS)
def test_an_inferred_date_keeps_its_mark_at_every_width(run, width: int) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(run("timeline", "--format", "json").out)
    inferred = sum(1 for r in rows if r["inferred"])
    assert inferred
    for lang, mark in (("zh", "（推断）"), ("en", "(inferred)")):
        out = run("--lang", lang, "timeline", "--format", "table", env={"COLUMNS": str(width)}).out
        assert out.count(mark) == inferred, (lang, width)


PANEL_WIDTHS = (30, 40, 60, 80)


def _heads(text: str) -> list[str]:
    """The lines that name a panel: its top border (the title), and lines outside any panel."""
    return [line for line in text.splitlines() if not line.startswith(("│", "╰"))]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", PANEL_WIDTHS)
def test_panel_titles_keep_every_id_whole(lang: str, width: int) -> None:
    """`COLUMNS=30 beibei pillars` showed `eco-metro─`; `show` cut long ids in its title."""
    from beibei_cli import queries
    from beibei_cli.report import load_report

    report = load_report(None)
    for detail in (False, True):
        rows = queries.pillar_rows(report, detail=detail, lang=lang)
        text = terminal.briefing(rows, detail=detail, lang=lang, width=width, color=False)
        heads = _heads(text)
        for row in rows:
            assert any(row["id"] in line for line in heads), (row["id"], width, lang, detail)
        for line in text.splitlines():
            assert lb.cell_width(line) <= width or line in {r["id"] for r in rows}, line
    for rid in report.by_id():
        rec = queries.show_record(report, rid, lang)
        text = terminal.record(rec, lang=lang, width=width, color=False)
        head = text.split("╮", 1)[0]
        assert rid in head.splitlines()[0] or head.splitlines()[0] == rid, (rid, width, lang)
        assert all(lb.cell_width(line) <= width for line in text.splitlines()[1:]), rid


def test_a_title_shortens_the_name_before_the_id() -> None:
    from beibei_cli import queries
    from beibei_cli.report import load_report

    rows = queries.pillar_rows(load_report(None), detail=False, lang="en")
    title = next(
        line
        for line in terminal.briefing(rows, detail=False, lang="en", width=80, color=False).splitlines()
        if "science-city" in line
    )
    assert title.startswith("╭─ city of culture") and "science-city ─" in title
    rows = queries.pillar_rows(load_report(None), detail=False, lang="zh")
    narrow = terminal.briefing(rows, detail=False, lang="zh", width=30, color=False)
    assert "生态田…  eco-metropolis" in narrow  # the name shortened, the id whole, one line


@pytest.mark.parametrize("width", range(20, 48, 3))
def test_narrow_panels_put_values_under_their_labels_rather_than_squeeze_them(run, width: int) -> None:  # type: ignore[no-untyped-def]
    """Rich's grid squeezed a value (or a figure's name) beside a wide label to three letters a
    line ("Sha / nmu / yua"); below ``RECORD_VALUE_MIN``/``FIGURE_NAME_MIN`` cells the value goes
    under its label instead, so words stay whole."""
    env = {"COLUMNS": str(width)}
    shown = run("show", "metric-rd-intensity", "-f", "table", "--lang", "en", env=env)
    assert shown.code == 0 and "Economy-wide" in shown.out, shown.out
    brief = run("pillars", "--detail", "-f", "table", "--lang", "en", env=env)
    assert brief.code == 0 and "Shanmuyuan" in brief.out
    assert "Buildings" in brief.out and "3 buildings" in brief.out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_line_is_wider_than_the_terminal_but_an_id(run, lang: str) -> None:  # type: ignore[no-untyped-def]
    """Ids are printed whole, on a line of their own, even when wider (users copy them); nothing
    else is. ``info``'s panel once printed the report's title that way, 124 cells at 80 columns."""
    from beibei_cli.output.linebreak import cell_width

    commands = [["info"], ["show", "metric-rd-intensity"], ["pillars", "--detail"], ["metrics"], ["search", "招商"]]
    for width in range(20, 161, 7):
        for argv in commands:
            out = run(*argv, "-f", "table", "--lang", lang, env={"COLUMNS": str(width)}).out
            wide = [line for line in out.splitlines() if cell_width(line) > width]
            assert all(re.fullmatch(r"[a-z0-9-]+", line) for line in wide), (argv, width, wide[:2])


def test_a_narrow_briefing_lays_out_every_panel_s_figures_alike(run) -> None:  # type: ignore[no-untyped-def]
    """The figures-under-names layout is decided once for the briefing: at 30 columns the
    tech-innovation panel kept its figures beside names broken as 斯太宝市值增 / 长."""
    out = run("pillars", "--detail", "-f", "table", env={"COLUMNS": "30"}).out
    assert "斯太宝市值增长" in out and "杉木园中曾作领导人办公地的" in out


def test_a_narrow_table_never_breaks_a_figure(run) -> None:  # type: ignore[no-untyped-def]
    """Below the table's narrowest, rows are blocks of "label: value" lines; an English figure too
    wide to follow its label goes whole on the next line (1,896 / enterprises was broken)."""
    figures = [m["figure"] for m in json.loads(run("metrics", "-f", "json", "--lang", "en").out)]
    for width in range(20, 32):
        lines = run("metrics", "-f", "table", "--lang", "en", env={"COLUMNS": str(width)}).out.splitlines()
        whole = [f for f in figures if len(f) <= width]
        assert all(any(f in line for line in lines) for f in whole), width


SGR = re.compile(r"\x1b\[[0-9;]*m")
CLOSING = "，。、；：？！）》」』〉】”’"


@pytest.mark.parametrize("color", ["always", "never"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_what_a_person_sees_at_every_width_colour_on_and_off(run, color: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    """Drawn by Rich: no line wider than the terminal but a lone id, no line that starts with
    closing punctuation, every id whole; colour codes only when asked for."""
    commands = [["metrics"], ["search", "招商"], ["pillars", "--detail"], ["show", "case-tenghai-land"], ["timeline"]]
    for width in (30, 62, 80, 100, 200):
        for argv in commands:
            out = run("--color", color, "--lang", lang, *argv, "-f", "table", env={"COLUMNS": str(width)}).out
            assert bool(SGR.search(out)) == (color == "always"), (argv, width)
            plain = SGR.sub("", out)
            for line in plain.splitlines():
                assert lb.cell_width(line) <= width or re.fullmatch(r"[a-z0-9-]+", line), (argv, width, line)
                inner = line.strip("│┃ ")
                assert not inner or inner[0] not in CLOSING, (argv, width, line)


def _rows_of(table: str) -> list[list[str]]:
    """A drawn table's rows, each as its lines (a row starts where its first cell has text)."""
    body = table.splitlines()[3:-1]
    rows: list[list[str]] = []
    for line in body:
        first = line.strip("│").split("│")[0].strip()
        if first or not rows:
            rows.append([line])
        else:
            rows[-1].append(line)
    return rows


def _column_width(table: str, header: str) -> int:
    cells = table.splitlines()[1].strip("┃").split("┃")
    return next(lb.cell_width(cell) - 2 for cell in cells if cell.strip() == header)


@pytest.mark.parametrize("words", [("企业",), ("招商",), ("科技",), ("xinpian",)])
def test_search_at_100_columns_rows_take_three_lines_and_snippets_forty(run, words: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    out = run("search", *words, "--format", "table", env={"COLUMNS": "100"}).out
    assert _column_width(out, "摘录") >= 40
    rows = _rows_of(out)
    assert rows and max(len(r) for r in rows) <= 3, max(rows, key=len)


def test_search_at_200_columns_snippets_use_the_room(run) -> None:  # type: ignore[no-untyped-def]
    narrow = json.loads(run("search", "企业", "--format", "json").out)
    wide = run("search", "企业", "--format", "table", env={"COLUMNS": "200"}).out
    assert _column_width(wide, "摘录") >= 100
    para = next(h for h in narrow if h["id"] == "para-51")
    assert para["snippet"].endswith("…")  # cut at the default context
    assert "“专精特新”企业162家；" in wide  # the whole paragraph (its last words) at 200 columns


def test_an_asked_context_is_kept_in_a_table(run) -> None:  # type: ignore[no-untyped-def]
    out = run("search", "企业", "--context", "3", "--format", "table", env={"COLUMNS": "200"}).out
    assert "“专精特新”企业162家；" not in out


@pytest.mark.parametrize(
    "lang,forecast,target", [("zh", "超过6亿元（预计）", "4个（目标）"), ("en", "(forecast)", "(target)")]
)
@pytest.mark.parametrize("width", [80, 100, 200])
def test_forecast_and_target_figures_are_marked(run, lang: str, forecast: str, target: str, width: int) -> None:  # type: ignore[no-untyped-def]
    out = run("metrics", "--lang", lang, "--format", "table", env={"COLUMNS": str(width)}).out
    tenghai = next(i for i, line in enumerate(out.splitlines()) if "metric-tenghai-output" in line)
    near = "\n".join(out.splitlines()[max(0, tenghai - 4) : tenghai + 1])
    blocks = "Status: forecast" in near or "状态：预计" in near  # too narrow for a table: a line of its own
    assert forecast in near or blocks
    assert target in out or "Status: target" in out or "状态：目标" in out
    stated = next(line for line in out.splitlines() if "metric-investment-attracted-2022" in line)
    assert "（" not in stated.split("│")[2] if lang == "zh" and width >= 100 else True


def test_sorting_by_value_shows_the_kinds(run) -> None:  # type: ignore[no-untyped-def]
    out = run("metrics", "--pillar", "科技创新", "--sort", "value", "--format", "table", env={"COLUMNS": "100"}).out
    assert "类别" in out.splitlines()[1]
    kinds = [line.split("│")[3].strip() for line in out.splitlines()[3:-1] if line.split("│")[3].strip()]
    assert kinds[0] == "金额" and "数量" in kinds and kinds[-1] == "强度"
    plain = run("metrics", "--pillar", "科技创新", "--format", "table", env={"COLUMNS": "100"}).out
    assert "类别" not in plain.splitlines()[1]


def test_amounts_are_grouped_in_tables_and_panels(run) -> None:  # type: ignore[no-untyped-def]
    table = run("metrics", "--fields", "name,amount", "--format", "table", env={"COLUMNS": "100"}).out
    assert "42,800,000,000" in table and "42800000000" not in table
    panel = run("show", "metric-investment-attracted-2022", "--format", "table", env={"COLUMNS": "100"}).out
    assert "42,800,000,000" in panel
    piped = run("metrics", "--fields", "id,amount", "-f", "tsv").out
    assert "42800000000" in piped  # machine formats keep the number
