"""Regenerate src/beibei_cli/_cli_spec.py from the Typer app (run after changing cli.py).

    python scripts/gen_cli_spec.py          # write it
    python scripts/gen_cli_spec.py --check  # exit 1 if it is stale

tests/test_fastpath.py fails while the committed spec differs from the app.
"""

from __future__ import annotations

import pprint
import sys
from pathlib import Path

from _generated import write_or_check

TARGET = Path(__file__).resolve().parent.parent / "src" / "beibei_cli" / "_cli_spec.py"

HEADER = '''"""The command line's parameters, generated from the Typer app in cli.py.

Do not edit: run ``python scripts/gen_cli_spec.py``. The fast path parses argv
with this; tests/test_fastpath.py fails when it is stale.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs start-up time; the fast path imports this module on every run
    from typing import Any

SPEC: dict[str, Any] = '''


def render() -> str:
    from typer.main import get_command

    from beibei_cli.cli import app
    from beibei_cli.fastpath import build_spec

    spec = build_spec(get_command(app))
    return HEADER + pprint.pformat(spec, width=110, sort_dicts=False) + "\n"


def main() -> int:
    return write_or_check(TARGET, render(), "gen_cli_spec.py")


if __name__ == "__main__":
    sys.exit(main())
