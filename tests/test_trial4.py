"""What the new-user and hostile trial of this round found, each kept as a test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SOURCE


def test_a_colour_sequence_in_a_query_is_shown_not_run(run, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import sys

    from beibei_cli import output

    monkeypatch.setattr(output, "stdout_is_tty", lambda: True)  # the not-stated line is for a terminal
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    result = run("search", "\x1b[31mRED", "-f", "json")
    assert result.code == 1
    assert "\x1b" not in result.err and "\\x1b[31mRED" in result.err


@pytest.mark.parametrize(
    "args",
    [
        ("timeline", "--since", "2023", "--until", "2022"),
        ("metrics", "--since", "2023", "--until", "2022"),
        ("plans", "--since", "2024-02", "--until", "2024-01"),
        ("metrics", "--kind", "money", "--min", "5e9", "--max", "1e8"),
    ],
)
def test_a_reversed_range_is_a_usage_error(run, args: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    result = run(*args)
    assert result.code == 2 and result.out == "" and len(result.err.strip().splitlines()) == 1, result


def test_a_range_of_one_period_is_not_reversed(run) -> None:  # type: ignore[no-untyped-def]
    assert run("timeline", "--since", "2022-06", "--until", "2022", "-f", "json").code == 0


def test_draft_overwrites_nothing_and_writes_nothing_when_refused(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    article = tmp_path / "a.txt"
    article.write_bytes(SOURCE.read_bytes())
    folder = tmp_path / "dir"
    folder.mkdir()
    assert run("draft", str(article), "-o", str(folder)).code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "dir"]  # no source copy left behind
    report = tmp_path / "r.yaml"
    assert run("draft", str(article), "-o", str(report)).code == 0
    report.write_text("# curated by hand\n", encoding="utf-8")
    again = run("draft", str(article), "-o", str(report))
    assert again.code == 2 and "exists" in again.err
    assert report.read_text(encoding="utf-8") == "# curated by hand\n"


def test_draft_never_rewrites_its_own_gb18030_article(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    article = tmp_path / "g.source.txt"
    data = SOURCE.read_text(encoding="utf-8").encode("gb18030")
    article.write_bytes(data)
    result = run("draft", str(article), "-o", str(tmp_path / "g.yaml"))
    assert result.code == 2 and article.read_bytes() == data and not (tmp_path / "g.yaml").exists()


@pytest.mark.parametrize("lang,mark", [("zh", "超过6亿元（预计）"), ("en", "(forecast)")])
def test_the_briefing_marks_forecasts(run, lang: str, mark: str) -> None:  # type: ignore[no-untyped-def]
    out = run("--lang", lang, "pillars", "--detail", "-f", "table", env={"COLUMNS": "100"}).out
    assert mark in out


@pytest.mark.parametrize("fast", [True, False])
def test_an_output_name_with_no_format_is_refused(run, tmp_path: Path, fast: bool) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "x.pdf"
    result = run("metrics", "-o", str(target), fast=fast)
    assert result.code == 2 and ".pdf" in result.err and not target.exists()
    assert run("metrics", "-f", "tsv", "-o", str(target), fast=fast).code == 0  # --format says what to write
    plain = tmp_path / "x.txt"
    assert run("metrics", "-o", str(plain), fast=fast).code == 0 and plain.read_text(encoding="utf-8")
