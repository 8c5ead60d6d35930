"""The Markdown and HTML exports: one language, region and date in the header,
a viewport, and no two CSS rules meeting by accident."""

from __future__ import annotations

import re

import pytest

HAN = re.compile(r"[\u3400-\u9fff]")


def test_html_has_a_viewport_and_a_header_with_region_and_date(run) -> None:  # type: ignore[no-untyped-def]
    zh = run("export", "--format", "html").out
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in zh
    header = zh.split("<header>", 1)[1].split("</header>", 1)[0]
    assert "重庆市北碚区" in header and "2023-01" in header and "推断" in header
    en = run("--lang", "en", "export", "--format", "html").out
    header = en.split("<header>", 1)[1].split("</header>", 1)[0]
    assert "Beibei District, Chongqing" in header and "2023-01" in header and "(inferred)" in header


def test_html_classes_do_not_collide(run) -> None:  # type: ignore[no-untyped-def]
    page = run("export", "--format", "html").out
    css = page.split("<style>", 1)[1].split("</style>", 1)[0]
    body = page.split("</head>", 1)[1]
    used: dict[str, set[str]] = {}
    for tag, classes in re.findall(r"<(\w+)[^>]*\bclass=[\"']([^\"']+)[\"']", body):
        for name in classes.split():
            used.setdefault(name, set()).add(tag)
    for name, tags in used.items():
        assert len(tags) == 1, f".{name} is used on {sorted(tags)}: a rule for one styles the other"
    # and no bare .class rule in the CSS reaches an element it was not written for
    for name in re.findall(r"(?<![\w-])\.([a-z][\w-]*)", css):
        assert name in used or name in ("pillar-heading",), name
    assert 'class="pillar"' not in body


def test_markdown_is_in_one_language(run) -> None:  # type: ignore[no-untyped-def]
    zh = run("export").out
    en = run("--lang", "en", "export").out
    assert "(inferred)" not in zh and "inferred:" not in zh and "Source" not in zh and "（推断）" in zh
    assert "推断" not in en and "(inferred)" in en
    # the lines the exporter writes itself (headings, labels, the header and the footer)
    for text, foreign in ((zh, re.compile(r"[A-Za-z]{3,}")), (en, HAN)):
        lines = text.splitlines()
        own = [line for line in lines if line.startswith(("#", "**", "- Region", "- Date", "- 地区", "- 日期"))]
        own.append(lines[-1])
        assert len(own) > 10
        assert [line for line in own if foreign.search(line.split("《")[0].split(": ", 1)[0])] == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_markdown_header_has_region_and_date(run, lang: str) -> None:  # type: ignore[no-untyped-def]
    out = run("--lang", lang, "export").out.splitlines()
    head = "\n".join(out[:5])
    assert ("重庆市北碚区" if lang == "zh" else "Beibei District, Chongqing") in head
    assert "2023-01" in head


@pytest.mark.parametrize(
    ("name", "kind"),
    [("r.html", "html"), ("r.HTM", "html"), ("r.md", "md"), ("r.markdown", "md"), ("r", "md")],
)
@pytest.mark.parametrize("fast", [True, False])
def test_export_takes_the_format_from_the_output_extension(run, tmp_path, name: str, kind: str, fast: bool) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / name
    result = run("export", "-o", str(target), fast=fast)
    assert result.code == 0, result.err
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>" if kind == "html" else "# "), text[:40]


def test_export_format_flag_wins_over_the_extension(run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "r.html"
    assert run("export", "--format", "md", "-o", str(target)).code == 0
    assert target.read_text(encoding="utf-8").startswith("# ")
    target = tmp_path / "r.pdf"
    assert run("export", "--format", "html", "-o", str(target)).code == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("fast", [True, False])
def test_export_refuses_an_extension_it_cannot_write(run, tmp_path, fast: bool) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "r.pdf"
    result = run("export", "-o", str(target), fast=fast)
    assert result.code == 2 and result.out == ""
    assert result.err.count("\n") == 1 and "md" in result.err and "html" in result.err and "r.pdf" in result.err
    assert not target.exists()
