"""The fast terminal drawing (``output.terminal``, no Rich) against Rich's (``tests/rich_reference.py``).

Rich is the definition of how a table, a briefing or a record panel looks; ``terminal`` draws
the same plan itself for start-up speed (issue #10). These tests run each
listing command twice in-process, once as shipped and once with Rich drawing
the plan, and require byte-identical output: colour on and off, both
languages, widths from the narrowest to wide, with and without ``--fields``.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beibei_cli.output import terminal
from beibei_cli.output.styled import SText, line_text, sgr
from tests import rich_reference as rich_render

COMMANDS = [
    ["metrics"],
    ["metrics", "--fields", "name,value,quote,id"],
    ["search", "招商"],
    ["search", "zhaoshang"],
    ["search", "北碚", "-n", "30"],
    ["search", "gdp"],
    ["pillars"],
    ["pillars", "--detail"],
    ["timeline"],
    ["entities"],
    ["source", "-n", "5"],
    ["search", "缙云山", "--in", "cases"],
    ["show", "metric-rd-intensity"],
    ["show", "eco-culture"],
    ["show", "metric-sitaibao-market-value-growth"],
    ["info"],
]


def _both(run, monkeypatch: pytest.MonkeyPatch, argv: list[str], width: int, color: bool, lang: str):  # type: ignore[no-untyped-def]
    args = [*argv, "-f", "table", "--color", "always" if color else "never", "--lang", lang]
    env = {"COLUMNS": str(width)}
    fast = run(*args, env=env)
    with monkeypatch.context() as m:
        m.setattr(terminal, "table", rich_render.table)
        m.setattr(terminal, "briefing", rich_render.briefing)
        m.setattr(terminal, "record", rich_render.record)
        slow = run(*args, env=env)
    return fast, slow


def _assert_same(fast, slow, label: str) -> None:  # type: ignore[no-untyped-def]
    assert (fast.code, fast.err) == (slow.code, slow.err), label
    if fast.out != slow.out:  # show the first differing line, not two screens of table
        a, b = fast.out.splitlines(), slow.out.splitlines()
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            if x != y:
                pytest.fail(f"{label}: line {i} differs\nfast: {x!r}\nrich: {y!r}")
        pytest.fail(f"{label}: {len(a)} lines against Rich's {len(b)}")


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: " ".join(a))
@pytest.mark.parametrize("width", [20, 33, 47, 60, 80, 100, 140])
def test_commands_draw_as_rich_does(run, monkeypatch, argv: list[str], width: int) -> None:  # type: ignore[no-untyped-def]
    for color in (False, True):
        for lang in ("zh", "en"):
            fast, slow = _both(run, monkeypatch, argv, width, color, lang)
            assert fast.code == 0, fast.err
            _assert_same(fast, slow, f"{argv} width={width} color={color} lang={lang}")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    argv=st.sampled_from(COMMANDS),
    width=st.integers(min_value=1, max_value=220),
    color=st.booleans(),
    lang=st.sampled_from(["zh", "en"]),
)
def test_any_width_draws_as_rich_does(run, monkeypatch, argv: list[str], width: int, color: bool, lang: str) -> None:  # type: ignore[no-untyped-def]
    fast, slow = _both(run, monkeypatch, argv, width, color, lang)
    _assert_same(fast, slow, f"{argv} width={width} color={color} lang={lang}")


def test_styles_render_as_rich_renders_them() -> None:
    from rich.console import Console
    from rich.style import Style

    console = Console(color_system="truecolor", force_terminal=True)
    for style in ["bold", "dim", "italic", "bold green", "bold black on yellow", "cyan", "magenta", "blue", "red"]:
        ours = line_text([("x", (style,))], True)
        assert ours == Style.parse(style).render("x", color_system=console._color_system)
    combined = Style.parse("bold") + Style.parse("blue") + Style.parse("dim") + Style.parse("green")
    assert sgr(("bold", "blue", "dim", "green")) == combined._make_ansi_codes(console._color_system)  # noqa: SLF001
    with pytest.raises(ValueError):
        sgr(("blinking",))


def test_styled_text_splits_at_spans_as_rich_does() -> None:
    """Pieces cut at every span edge, styles combined in Rich's order (a later colour wins), and a
    style laid under a whole line (``styled``, Rich's ``Segment.apply_style``) losing to the line's own."""
    from rich.console import Console
    from rich.segment import Segment

    from beibei_cli.output.styled import styled

    console = Console(color_system="truecolor", force_terminal=True, width=60)

    def drawn(segments) -> str:  # type: ignore[no-untyped-def]
        return "".join(
            s.style.render(s.text, color_system=console._color_system) if s.style else s.text for s in segments
        )

    ours = SText("名称", "bold green")
    ours.append("  ", "dim")
    ours.append(SText("id-1", "red"))
    ours.stylize("bold black on yellow", 1, 4)
    ours.stylize("blue", 3, 7)
    ours.pad(1)
    theirs = list(rich_render.rich_text(ours).render(console))
    assert line_text(ours.segments(), True) == drawn(theirs)
    under = list(Segment.apply_style(theirs, console.get_style("magenta")))
    assert line_text(styled(ours.segments(), "magenta"), True) == drawn(under)


# -- synthetic rows: texts and widths the report does not have -------------------------------

_TEXT = st.text(
    alphabet=st.sampled_from(list("北碚招商引资项目，。、“”（）《》0123456789.%年月亿元 abcdefgXYZ-·…▲█")),
    min_size=0,
    max_size=60,
)
_WORD = st.text(alphabet=st.sampled_from(list("abcdefghij-0123456789")), min_size=1, max_size=30)


@st.composite
def _pillar(draw):  # type: ignore[no-untyped-def]
    def items() -> list[dict[str, object]]:
        return [
            {"text": draw(_TEXT) or "x", "year": draw(st.sampled_from([None, 2023, 2027]))}
            for _ in range(draw(st.integers(0, 3)))
        ]

    metrics = [
        {
            "name": draw(_TEXT) or "n",
            "figure": draw(_TEXT) or "1",
            "text": "1",
            "value": draw(st.sampled_from([0, 12.5, 53.16, 99, 250, -3])),
            "unit": draw(st.sampled_from(["%", "个", None])),
            "kind": draw(st.sampled_from(["share", "rate-of-change", "count", None])),
        }
        for _ in range(draw(st.integers(0, 4)))
    ]
    return {
        "id": draw(_WORD),
        "kind": draw(st.sampled_from(["positioning", "article", "general"])),
        "name": draw(_TEXT) or "名",
        "name_zh": draw(_TEXT),
        "heading": draw(_TEXT),
        "summary": draw(_TEXT),
        "goals": items(),
        "plans": items(),
        "cases": [
            {"id": draw(_WORD), "title": draw(_TEXT) or "t", "dates": ["2023-01"], "summary": draw(_TEXT)}
            for _ in range(draw(st.integers(0, 2)))
        ],
        "metrics": metrics,
    }


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(_pillar(), min_size=1, max_size=3),
    width=st.integers(min_value=1, max_value=130),
    color=st.booleans(),
    lang=st.sampled_from(["zh", "en"]),
    detail=st.booleans(),
)
def test_briefings_of_any_text_draw_as_rich_does(rows, width: int, color: bool, lang: str, detail: bool) -> None:  # type: ignore[no-untyped-def]
    ours = terminal.briefing(rows, detail=detail, lang=lang, width=width, color=color)
    assert ours == rich_render.briefing(rows, detail=detail, lang=lang, width=width, color=color)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {
                "id": _WORD,
                "name": _TEXT,
                "value": st.sampled_from([1, 2.5, 1896, 53.16, 100]),
                "unit": st.sampled_from(["%", "户", None]),
                "kind": st.sampled_from(["share", "count", "rate-of-change"]),
                "summary": _TEXT,
                "quote": _TEXT,
                "date": st.sampled_from(["2023-01-01", "2022", ""]),
                "inferred": st.booleans(),
            }
        ),
        min_size=1,
        max_size=6,
    ),
    width=st.integers(min_value=1, max_value=200),
    color=st.booleans(),
    lang=st.sampled_from(["zh", "en"]),
    droppable=st.booleans(),
)
def test_tables_of_any_text_draw_as_rich_does(rows, width: int, color: bool, lang: str, droppable: bool) -> None:  # type: ignore[no-untyped-def]
    columns = ["name", "value", "bar", "unit", "date", "summary", "quote", "id"]
    ours = terminal.table(rows, columns, lang=lang, width=width, color=color, droppable=droppable)
    assert ours == rich_render.table(rows, columns, lang=lang, width=width, color=color, droppable=droppable)


@settings(max_examples=300, deadline=None)
@given(
    columns=st.lists(st.tuples(st.booleans(), st.sampled_from(["left", "right"])), min_size=1, max_size=4),
    texts=st.lists(st.lists(_TEXT, min_size=4, max_size=4), min_size=1, max_size=4),
    gap=st.integers(0, 2),
    room=st.integers(-2, 90),
)
def test_grid_columns_are_as_wide_as_rich_makes_them(columns, texts, gap: int, room: int) -> None:  # type: ignore[no-untyped-def]
    """The squeeze of a grid's columns (``Grid.widths``) against Rich's own ``Table`` sizing, every branch
    (wrapping columns narrowed widest first, then all evenly, then measured again)."""
    from rich.console import Console

    grid = terminal.Grid(gap, [(no_wrap, justify, "") for no_wrap, justify in columns])
    for row in texts:
        grid.add_row(
            *(SText(t) if no_wrap else terminal.Wrap(t) for (no_wrap, _), t in zip(columns, row, strict=False))
        )
    console = Console(width=200)
    table = rich_render._rich_part(grid)
    theirs = table._calculate_column_widths(console, console.options.update_width(room))  # type: ignore[union-attr]
    assert grid.widths(room) == theirs


@settings(max_examples=150, deadline=None)
@given(
    rec=st.fixed_dictionaries(
        {
            "id": _WORD,
            "kind": st.sampled_from(["figure", "case"]),
            "name": _TEXT,
            "value": st.one_of(st.none(), st.sampled_from([1, 2.5, 1896])),
            "inferred": st.booleans(),
            "aliases": st.lists(_TEXT, max_size=3),
            "date": st.one_of(
                st.none(), st.fixed_dictionaries({"iso": st.sampled_from(["2023", "2022-06"]), "text": _TEXT})
            ),
            "mentions": st.lists(
                st.fixed_dictionaries({"id": _WORD, "title": _TEXT, "para": st.integers(1, 40)}), max_size=3
            ),
            "quote": _TEXT,
        }
    ),
    width=st.integers(min_value=1, max_value=160),
    color=st.booleans(),
    lang=st.sampled_from(["zh", "en"]),
)
def test_records_of_any_text_draw_as_rich_does(rec, width: int, color: bool, lang: str) -> None:  # type: ignore[no-untyped-def]
    assert terminal.record(rec, lang=lang, width=width, color=color) == rich_render.record(
        rec, lang=lang, width=width, color=color
    )


def test_a_table_of_empty_columns_draws_as_rich_does() -> None:
    rows = [{"id": "", "name": "", "aliases": []}]
    for color in (False, True):
        ours = terminal.table(rows, ["id", "name", "aliases"], lang="en", width=80, color=color)
        assert ours == rich_render.table(rows, ["id", "name", "aliases"], lang="en", width=80, color=color) == "\n"


def test_a_grid_squeezed_to_nothing_is_a_bug_not_a_drawing() -> None:
    """The plans never squeeze a column to nothing (values go under their labels first); if one
    ever did, drawing it is refused rather than guessed."""
    grid = terminal.Grid(2, [(True, "left", ""), (False, "left", "")])
    grid.add_row(SText("a wide label"), terminal.Wrap("a value"))
    assert grid.lines(40)
    with pytest.raises(ValueError, match="squeezed"):
        grid.lines(13)
