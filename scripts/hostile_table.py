"""Write docs/hostile-inputs.md from the cases in tests/hostile_inputs.py (run from anywhere).

    python scripts/hostile_table.py          # write it
    python scripts/hostile_table.py --check  # exit 1 if it is stale

Each case is run (in-process, or in a real process for closed streams) and its
actual exit code and first line of stderr go in the table.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from _generated import write_or_check

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "hostile-inputs.md"


def render() -> str:
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="beibei-hostile-") as tmp:
        os.environ["BEIBEI_CACHE_DIR"] = str(Path(tmp) / "cache")
        for var in ("BEIBEI_DATA", "BEIBEI_LANG", "BEIBEI_NO_FASTPATH", "BEIBEI_MAX_BYTES"):
            os.environ.pop(var, None)
        from tests.hostile_inputs import run_all, table

        return table(run_all(Path(tmp)))


def main() -> int:
    return write_or_check(DOC, render(), "hostile_table.py")


if __name__ == "__main__":
    sys.exit(main())
