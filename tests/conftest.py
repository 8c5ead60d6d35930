"""Shared fixtures: an isolated cache, the repo's data files, and an in-process runner."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property tests on a fixed sequence of examples, so that a red CI is
# reproducible; locally each run explores new examples.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "report.yaml"
SOURCE = ROOT / "data" / "source.txt"


@pytest.fixture(autouse=True, scope="session")
def _session_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    cache = tmp_path_factory.mktemp("cache")
    os.environ["BEIBEI_CACHE_DIR"] = str(cache)
    for var in ("BEIBEI_DATA", "BEIBEI_LANG", "NO_COLOR", "CLICOLOR_FORCE", "CLICOLOR", "COLUMNS"):
        os.environ.pop(var, None)


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def run(capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run ``beibei ARGS`` in-process through the real entry point."""
    from beibei_cli.entry import run as entry_run

    def invoke(*args: str, env: dict[str, str] | None = None, fast: bool | None = None) -> Result:
        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        if fast is False:
            monkeypatch.setenv("BEIBEI_NO_FASTPATH", "1")
        elif fast is True:
            monkeypatch.delenv("BEIBEI_NO_FASTPATH", raising=False)
        code = entry_run(list(args))
        captured = capsysbinary.readouterr()
        for key in env or {}:
            monkeypatch.delenv(key, raising=False)
        return Result(int(code), captured.out.decode("utf-8"), captured.err.decode("utf-8"))

    return invoke


def python_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(extra)
    return env


PYTHON = sys.executable


def word_start(text: str, start: int) -> int:
    """``start``, or the start of the Latin word it is inside: Latin text is matched from the
    start of a word (xp is not in expand), so a query drawn from the middle of one finds nothing."""
    while 0 < start < len(text) and text[start].isascii() and text[start].isalpha():
        if not (text[start - 1].isascii() and text[start - 1].isalpha()):
            break
        start -= 1
    return start
