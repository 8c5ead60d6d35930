"""The README's set-up commands and example output stay true."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT, python_env


def test_readme_starts_with_the_two_setup_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = text.split("```sh", 1)[1].split("```", 1)[0].strip().splitlines()
    assert first_block == [
        "python -m pip install . && beibei metrics",
        "python -m pip install '.[test]' && python -m pytest",
    ]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert first_block[1] in ci


def test_readme_examples_are_current() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "readme_examples.py"), "--check"],
        capture_output=True,
        text=True,
        env=python_env(),
        check=False,
    )
    assert done.returncode == 0, done.stderr
