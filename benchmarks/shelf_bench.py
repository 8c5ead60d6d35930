"""The budgets of a shelf of reports (issue 27), as ratios measured in one run.

    python benchmarks/shelf_bench.py            # the table
    python benchmarks/shelf_bench.py --check    # exit 1 if any ratio is OVER its budget
    python benchmarks/shelf_bench.py --small 10 --big 100
    python benchmarks/shelf_bench.py --no-phases --shelf 100   # only the warm shelf

Linear loading: one synthetic report (as bench.py builds it) at --small and --big times the
real one, each loading phase timed in-process (best of --runs); each phase may grow at most
PHASE_BUDGET times from the small to the big one when the big one is ten times the small.

A warm shelf: --shelf copies of the shipped report (each with a key of its own, report.key)
against a shelf of one, both with a warm cache: each command's median wall time and the peak
memory (max RSS), as a ratio to the one-report figure, beside the budget of issue 27.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import phases
from common import ROOT, Verdicts, beibei_cmd, synthetic, timed

PHASE_BUDGET = 12.0  # from 10x to 100x: linear would be 10x
LOADING = ("parse YAML", "validate", "link quotes", "build index", "write cache", "read cache")


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
        many = best_phases(b, runs)  # best of as many: a first run also pays for the memory it maps
    budget = PHASE_BUDGET * (big / small) / 10
    print(f"\nlinear loading: one report at {small}x and {big}x, in-process, best of {runs}")
    print(f"{'phase':14} {f'{small}x':>10} {f'{big}x':>10} {'growth':>8} {'budget':>7}")
    for name in LOADING:
        growth = many[name] / one[name]
        text = f"{name:14} {one[name] * 1000:8.1f}ms {many[name] * 1000:8.1f}ms {growth:7.1f}x {budget:6.1f}x"
        verdicts.row(f"{name} {small}x→{big}x", growth, budget, text)


# (label, args, budget as a ratio of the N-report shelf to the one-report one)
SHELF_COMMANDS = [
    ("show KEY:ID", ["show", "{key}:metric-rd-intensity", "--format", "json"], 1.3),
    ("search 招商 --limit 20", ["search", "招商", "--limit", "20", "--format", "json"], 2.0),
    ("reports", ["reports", "--format", "json"], 2.0),
    ("series 研发经费投入强度", ["series", "研发经费投入强度", "--format", "json"], 3.0),
    ("trend 招商", ["trend", "招商", "--format", "json"], 3.0),
]
MEMORY_BUDGET = 1.5


def make_shelf(folder: Path, count: int) -> Path:
    """``count`` copies of the shipped report in ``folder``, keyed r0, r1, ... (their own files)."""
    folder.mkdir(parents=True)
    text = (ROOT / "data" / "report.yaml").read_text(encoding="utf-8")
    source = (ROOT / "data" / "source.txt").read_bytes()
    for k in range(count):
        (folder / f"r{k}.yaml").write_text(text.replace("report:\n", f"report:\n  key: r{k}\n", 1), encoding="utf-8")
    (folder / "source.txt").write_bytes(source)
    return folder


def warm_shelf(count: int, runs: int, verdicts: Verdicts) -> None:
    bb = beibei_cmd()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "BEIBEI_CACHE_DIR": str(Path(tmp) / "cache")}
        for var in ("BEIBEI_DATA", "BEIBEI_LANG", "BEIBEI_NO_FASTPATH"):
            env.pop(var, None)
        one = make_shelf(Path(tmp) / "one", 1)
        many = make_shelf(Path(tmp) / "many", count)
        for folder in (one, many):  # the cold builds, once
            subprocess.run([*bb, "--data", str(folder), "reports"], env=env, capture_output=True, check=False)
        print(f"\nwarm shelf: {count} reports against 1 (median of {runs}, interleaved; output piped)")
        print(f"{'command':28} {'1 report':>9} {f'{count} reports':>12} {'ratio':>7} {'budget':>7} {'peak MiB':>17}")
        peaks: list[list[float]] = [[], []]
        for label, args, budget in SHELF_COMMANDS:
            # one report loads as --data FILE (its ids bare), the shelf as --data FOLDER (KEY:ID)
            cmds = [
                [*bb, "--data", str(one / "r0.yaml"), *[a.replace("{key}:", "") for a in args]],
                [*bb, "--data", str(many), *[a.replace("{key}", f"r{count // 2}") for a in args]],
            ]
            walls: list[list[float]] = [[], []]
            for _ in range(runs):
                for i, cmd in enumerate(cmds):
                    wall, rss, code = timed(cmd, env)
                    assert code == 0, (cmd, code)
                    walls[i].append(wall)
                    peaks[i].append(rss)
            a, b = (statistics.median(w) for w in walls)
            text = (
                f"{label:28} {a * 1000:7.0f}ms {b * 1000:10.0f}ms {b / a:6.1f}x {budget:6.1f}x "
                f"{max(peaks[0][-runs:]):7.0f} → {max(peaks[1][-runs:]):7.0f}"
            )
            verdicts.row(f"shelf {label}", b / a, budget, text)
        memory = max(peaks[1]) / max(peaks[0])
        verdicts.row(
            "shelf peak memory",
            memory,
            MEMORY_BUDGET,
            f"{'peak memory':28} {max(peaks[0]):7.0f}MiB {max(peaks[1]):8.0f}MiB {memory:6.1f}x {MEMORY_BUDGET:6.1f}x",
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--big", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shelf", type=int, default=1000, help="reports on the warm shelf (0: skip it)")
    parser.add_argument("--no-phases", action="store_true", help="skip the linear loading table")
    parser.add_argument("--check", action="store_true", help="exit 1 if any ratio is over its budget")
    args = parser.parse_args()
    verdicts = Verdicts()
    # the warm shelf first: its children's peak memory (max RSS) would count the big reports
    # the loading phases leave in this process
    if args.shelf:
        warm_shelf(args.shelf, max(args.runs, 3), verdicts)
    if not args.no_phases:
        linear_loading(args.small, args.big, args.runs, verdicts)
    if verdicts.over:
        print(f"\nOVER budget: {', '.join(verdicts.over)}")
    else:
        print("\nevery ratio within its budget")
    if args.check and verdicts.over:
        sys.exit(1)


if __name__ == "__main__":
    main()
