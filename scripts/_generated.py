"""The one way the repo's generators write a file, or check it (``--check``) for staleness."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_or_check(path: Path, text: str, script: str) -> int:
    """Write ``text`` to ``path``; with ``--check`` in argv, only say (exit 1) whether it is stale."""
    shown = path.relative_to(ROOT)
    if "--check" in sys.argv[1:]:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            print(f"{shown} is stale: run python scripts/{script}", file=sys.stderr)
            return 1
        return 0
    path.write_text(text, encoding="utf-8")
    print(f"wrote {shown}")
    return 0
