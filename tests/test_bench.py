"""The benchmark scripts stay runnable: CI does not time anything, but it runs their code once."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _bench():  # type: ignore[no-untyped-def]
    if str(ROOT / "benchmarks") not in sys.path:  # bench.py imports its sibling common.py
        sys.path.insert(0, str(ROOT / "benchmarks"))
    spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench"] = module
    spec.loader.exec_module(module)
    return module


def test_the_scale_run_phases_run_on_a_synthetic_report(tmp_path: Path) -> None:
    """bench.py's scale run broke silently once (it called a loader function that had been renamed)."""
    bench = _bench()
    report = bench.synthetic(2, tmp_path)
    phases = bench.phases(report)
    assert set(phases) >= {"parse YAML", "validate", "link quotes", "build index", "read cache"}
    assert all(seconds > 0 for seconds in phases.values()), phases  # each phase ran and was timed


def test_the_mcp_budgets_run(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """mcp_bench.py drives `beibei mcp` and the SDK's minimal server over raw JSON-RPC (timed only by hand)."""
    import os

    _bench()  # puts benchmarks/ on sys.path
    import mcp_bench

    mcp_bench.run(1, 3, {**os.environ, "BEIBEI_CACHE_DIR": str(tmp_path)})
    out = capsys.readouterr().out
    assert "mcp spawn to tools/list" in out and "mcp search, 3 calls in one session" in out
