"""Keep the example output in README.md true.

Every ```console block of the README holds lines ``$ beibei ARGS`` (or
``$ COLUMNS=80 beibei ARGS --format table``, a table as an 80-column terminal
shows it) followed by that command's output. This script re-runs each command (piped, no colour) and
rewrites the output below it; ``--check`` only reports whether anything would
change (the test suite runs it that way).

    python scripts/readme_examples.py          # rewrite README.md
    python scripts/readme_examples.py --check  # exit 1 if it is out of date
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

from _generated import write_or_check

README = Path(__file__).resolve().parent.parent / "README.md"


def run(command: str) -> str:
    """Run one example line; a leading ``COLUMNS=N`` sets the terminal width a table is drawn for."""
    args = shlex.split(command)
    env = {k: v for k, v in os.environ.items() if k not in ("BEIBEI_DATA", "BEIBEI_LANG", "CLICOLOR_FORCE")}
    env.update(NO_COLOR="1", COLUMNS="100")
    while args and args[0].startswith("COLUMNS="):
        env["COLUMNS"] = args.pop(0).partition("=")[2]
    assert args[0] == "beibei", command
    done = subprocess.run([sys.executable, "-m", "beibei_cli", *args[1:]], capture_output=True, env=env, check=False)
    return done.stdout.decode("utf-8")


def regenerate(text: str) -> str:
    out: list[str] = []
    in_block = False
    skipping = False
    for line in text.splitlines():
        if line.startswith("```console"):
            in_block = True
            out.append(line)
            continue
        if in_block and line.startswith("```"):
            in_block = False
            skipping = False
            out.append(line)
            continue
        if in_block:
            if line.startswith(("$ beibei", "$ COLUMNS=")):
                out.append(line)
                out.extend(run(line[2:]).rstrip("\n").splitlines())
                skipping = True
                continue
            if skipping:
                continue
        out.append(line)
    return "\n".join(out) + "\n"


def main() -> int:
    return write_or_check(README, regenerate(README.read_text(encoding="utf-8")), "readme_examples.py")


if __name__ == "__main__":
    sys.exit(main())
