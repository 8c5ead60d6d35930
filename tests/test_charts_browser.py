"""The pages of ``series`` and ``trend`` (``--format html``) in a real headless browser: they
load with nothing fetched, the chart's bars and the table render, nothing scrolls sideways.

The browser, its flags and the width probe are the HTML export's (tests/test_export_browser.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.test_charts import BAR, self_contained, shelf
from tests.test_export_browser import CHROMIUM, _probe, browser

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")

PAGES = {
    "series": ["series", "森林覆盖率"],
    "trend": ["trend", "招商", "科技创新", "生态"],
}


@pytest.mark.parametrize("kind", list(PAGES))
def test_the_page_renders_its_chart_and_table_in_a_browser(run, tmp_path: Path, kind: str) -> None:  # type: ignore[no-untyped-def]
    page = tmp_path / f"{kind}.html"
    done = run("--data", str(shelf(tmp_path)), *PAGES[kind], "-o", str(page))
    assert done.code == 0, done.err
    html = page.read_text(encoding="utf-8")
    self_contained(html)

    dom = browser(tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "Failed to load resource" not in dom.stderr
    assert "<svg" in dom.stdout and len(BAR.findall(dom.stdout)) == len(BAR.findall(html)) >= 2
    assert dom.stdout.count("<tr>") == html.count("<tr>") >= 3
    assert "beibei-2023" in dom.stdout and "beibei-2024" in dom.stdout

    shot = tmp_path / "shot.png"
    done_shot = browser(tmp_path, f"--screenshot={shot}", "--window-size=1000,900", page.as_uri())
    assert done_shot.returncode == 0 and shot.exists()
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000  # a rendered page, not a blank one


@pytest.mark.parametrize("kind", list(PAGES))
def test_the_page_does_not_scroll_sideways_at_400_and_1280_px(run, tmp_path: Path, kind: str) -> None:  # type: ignore[no-untyped-def]
    html = run("--data", str(shelf(tmp_path)), *PAGES[kind], "--format", "html").out
    assert re.search(r'<svg class="chart" viewBox="0 0 \d+ \d+"', html)  # drawn at the page's width
    for width in (400, 1280):
        scroll, inner = _probe(tmp_path, html, width)
        assert inner == width
        assert scroll <= inner, f"scrolls sideways at {width} px: {scroll} > {inner}"
