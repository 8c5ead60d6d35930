"""The HTML export in a real headless browser: it loads, and the tables render."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")


def browser(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_html_export_renders_in_a_browser(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = tmp_path / "report.html"
    assert run("export", "--format", "html", "-o", str(page)).code == 0
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)  # self-contained: no external assets

    dom = browser(tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "Failed to load resource" not in dom.stderr
    metrics = run("metrics", "-f", "json").out.count('"id": "metric-')
    assert dom.stdout.count("<tr>") >= metrics + 1  # every figure is a row of the rendered table
    assert "森林覆盖率" in dom.stdout and "<h2>" in dom.stdout

    shot = tmp_path / "shot.png"
    done = browser(tmp_path, f"--screenshot={shot}", "--window-size=1200,1600", page.as_uri())
    assert done.returncode == 0 and shot.exists()
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000  # a rendered page, not a blank one


def _probe(tmp: Path, page: str, width: int) -> tuple[int, int]:
    """(scrollWidth, innerWidth) of ``page`` laid out ``width`` CSS pixels wide.

    Headless Chromium will not make a window narrower than 500 px, so the page
    is laid out in an iframe of exactly ``width`` px (srcdoc: same origin, so
    the wrapper can measure it) and the numbers are written into the DOM.
    """
    import html as _html

    wrapper = tmp / f"probe-{width}.html"
    wrapper.write_text(
        '<!DOCTYPE html><html><body style="margin:0">'
        f'<iframe style="width:{width}px;height:900px;border:0" srcdoc="{_html.escape(page, quote=True)}" '
        "onload=\"var d=this.contentDocument;document.body.setAttribute('data-probe',"
        "d.documentElement.scrollWidth+'x'+this.contentWindow.innerWidth)\"></iframe></body></html>",
        encoding="utf-8",
    )
    dom = browser(tmp, "--window-size=1400,1000", "--dump-dom", wrapper.as_uri())
    found = re.search(r'data-probe="(\d+)x(\d+)"', dom.stdout)
    assert found, dom.stderr[-2000:]
    return int(found.group(1)), int(found.group(2))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_export_does_not_scroll_sideways_at_400_and_1280_px(run, tmp_path: Path, lang: str) -> None:  # type: ignore[no-untyped-def]
    page = run("--lang", lang, "export", "--format", "html").out
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    for width in (400, 1280):
        scroll, inner = _probe(tmp_path, page, width)
        assert inner == width
        assert scroll <= inner, f"scrolls sideways at {width} px: {scroll} > {inner}"


def test_the_probe_sees_a_page_that_scrolls(tmp_path: Path) -> None:
    page = "<!DOCTYPE html><html><body><div style='width:900px'>x</div></body></html>"
    scroll, inner = _probe(tmp_path, page, 400)
    assert scroll > inner
