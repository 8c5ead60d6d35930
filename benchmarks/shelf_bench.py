"""The budgets of a shelf of reports (issue 27), as ratios measured in one run.

    python benchmarks/shelf_bench.py            # the table
    python benchmarks/shelf_bench.py --check    # exit 1 if any ratio is OVER its budget
    python benchmarks/shelf_bench.py --small 10 --big 100

Linear loading: one synthetic report (as bench.py builds it) at --small and --big times the
real one, each loading phase timed in-process (best of --runs); each phase may grow at most
PHASE_BUDGET times from the small to the big one when the big one is ten times the small.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from bench import phases
from common import synthetic

PHASE_BUDGET = 12.0  # from 10x to 100x: linear would be 10x
LOADING = ("parse YAML", "validate", "link quotes", "build index", "write cache", "read cache")


class Verdicts:
    def __init__(self) -> None:
        self.over: list[str] = []

    def row(self, label: str, figure: float, budget: float, text: str) -> None:
        verdict = "ok" if figure <= budget else "OVER"
        if verdict == "OVER":
            self.over.append(label)
        print(f"{text}  {verdict}")


def best_phases(path: Path, runs: int) -> dict[str, float]:
    """Each phase's fastest time over ``runs`` loads (the least disturbed by the machine)."""
    best: dict[str, float] = {}
    for _ in range(runs):
        for name, seconds in phases(path).items():
            best[name] = min(seconds, best.get(name, seconds))
    return best


def linear_loading(small: int, big: int, runs: int, verdicts: Verdicts) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "small").mkdir()
        (folder / "big").mkdir()
        os.environ["BEIBEI_CACHE_DIR"] = str(folder / "cache")
        a = synthetic(small, folder / "small")
        b = synthetic(big, folder / "big")
        one = best_phases(a, runs)
        many = best_phases(b, max(1, runs // 2))
    budget = PHASE_BUDGET * (big / small) / 10
    print(f"\nlinear loading: one report at {small}x and {big}x, in-process, best of {runs}")
    print(f"{'phase':14} {f'{small}x':>10} {f'{big}x':>10} {'growth':>8} {'budget':>7}")
    for name in LOADING:
        growth = many[name] / one[name]
        text = f"{name:14} {one[name] * 1000:8.1f}ms {many[name] * 1000:8.1f}ms {growth:7.1f}x {budget:6.1f}x"
        verdicts.row(f"{name} {small}x→{big}x", growth, budget, text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--big", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--check", action="store_true", help="exit 1 if any ratio is over its budget")
    args = parser.parse_args()
    verdicts = Verdicts()
    cache = tempfile.mkdtemp(prefix="beibei-shelf-bench-")
    try:
        linear_loading(args.small, args.big, args.runs, verdicts)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    if verdicts.over:
        print(f"\nOVER budget: {', '.join(verdicts.over)}")
    else:
        print("\nevery ratio within its budget")
    if args.check and verdicts.over:
        sys.exit(1)


if __name__ == "__main__":
    main()
