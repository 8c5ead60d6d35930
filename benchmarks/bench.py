"""Whole-process start-up benchmark, and a scale run on a synthetic report.

Runs with public tools only (subprocess + time.perf_counter + os.wait4):

    python benchmarks/bench.py               # budgets table + scale run
    python benchmarks/bench.py --runs 31     # more runs per command
    python benchmarks/bench.py --no-scale    # skip the 100x report
    python benchmarks/bench.py --no-search   # skip search quality (recall@5, MRR) and fallback cost
    python benchmarks/bench.py --no-mcp      # skip the MCP server (spawn to tools/list, 200 search calls)
    python benchmarks/bench.py --check       # exit 1 if any figure is OVER its budget
    python benchmarks/bench.py --scale-commands   # only every command warm at 1x and 100x

Every command runs with its output piped, alternating with the floor
(``python -c pass``) so that machine drift hits both alike; the table gives each
command's median wall time, its ratio to the floor's median and the budget of
the performance issue, and the peak memory (max RSS) of the slowest run.
Each figure past its budget is marked OVER; ``--check`` makes that exit 1.
The scale run also times every command warm on the 1x and the 100x synthetic
report, interleaved: each must stay within 15x its 1x time (cost linear in the
report, the interpreter's start-up shared).
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import Verdicts, beibei_cmd, synthetic, timed

MACHINE = 2.5  # machine formats: no regression from 0.1.0
# Terminal tables and panels, drawn by Rich (the design card), as a ratio to Rich's own import
# (``python -c "import rich.console, rich.table"``), not to the bare interpreter.
TABLE = 1.5
RICH_FLOOR = "import rich.console, rich.table"
HELP = 8.0
VERSION = 2.0

BUDGETS = [
    # (label, args, budget as a ratio to the floor)
    ("metrics --format json", ["metrics", "--format", "json"], MACHINE),
    ("search 招商 --format json", ["search", "招商", "--format", "json"], MACHINE),
    ("search zhaoshang --format json", ["search", "zhaoshang", "--format", "json"], MACHINE),
    # the same question in English and in Chinese (the English goes through the report's own names)
    ("search 民营企业 --format json", ["search", "民营企业", "--format", "json"], MACHINE),
    ("search private enterprises --format json", ["search", "private", "enterprises", "--format", "json"], MACHINE),
    ("show metric-rd-intensity --format json", ["show", "metric-rd-intensity", "--format", "json"], MACHINE),
    ("pillars --detail --format json", ["pillars", "--detail", "--format", "json"], MACHINE),
    ("metrics --format table", ["metrics", "--format", "table"], TABLE),
    ("search 招商 --format table", ["search", "招商", "--format", "table"], TABLE),
    ("pillars --detail --format table", ["pillars", "--detail", "--format", "table"], TABLE),
    ("show metric-rd-intensity --format table", ["show", "metric-rd-intensity", "--format", "table"], TABLE),
    ("--help", ["--help"], HELP),
    ("metrics --help", ["metrics", "--help"], HELP),
    ("--version", ["--version"], VERSION),
]


VERDICTS = Verdicts()


def budgets(runs: int, env: dict[str, str]) -> None:
    bb = beibei_cmd()
    floor_cmd = [sys.executable, "-c", "pass"]
    rich_cmd = [sys.executable, "-c", RICH_FLOOR]
    env = {**env, "COLUMNS": "100"}  # tables render as at a 100-column terminal
    for _ in range(2):  # build the cache
        timed([*bb, "info"], env)
    floor: list[float] = []
    rich_floor: list[float] = []
    results: dict[str, list[tuple[float, float]]] = {label: [] for label, _, _ in BUDGETS}
    for _ in range(runs):
        for label, args, budget in BUDGETS:
            (rich_floor if budget == TABLE else floor).append(timed(rich_cmd if budget == TABLE else floor_cmd, env)[0])
            wall, rss, _code = timed([*bb, *args], env)
            results[label].append((wall, rss))
    base = statistics.median(floor)
    rich_base = statistics.median(rich_floor)
    print(f"floor: python -c pass  median {base * 1000:.1f} ms over {len(floor)} runs")
    print(f"table floor: python -c '{RICH_FLOOR}'  median {rich_base * 1000:.1f} ms over {len(rich_floor)} runs")
    print(f"{'command (output piped)':42} {'median':>9} {'ratio':>7} {'budget':>7} {'peak MiB':>9}")
    medians = {}
    for label, _, budget in BUDGETS:
        walls = [w for w, _ in results[label]]
        med = statistics.median(walls)
        medians[label] = med
        peak = max(r for _, r in results[label])
        against = rich_base if budget == TABLE else base
        floor_name = "rich" if budget == TABLE else "pass"
        text = f"{label:42} {med * 1000:7.1f}ms {med / against:6.2f}x {budget:6}x {peak:8.1f}  (vs {floor_name})"
        VERDICTS.row(label, med / against, budget, text)
    zh = medians["search 招商 --format json"]
    py = medians["search zhaoshang --format json"]
    VERDICTS.row("pinyin query", py / zh, 1.2, f"pinyin vs Chinese query: {py / zh:.2f}x (budget 1.2x)")
    zh = medians["search 民营企业 --format json"]
    en = medians["search private enterprises --format json"]
    VERDICTS.row("English query", en / zh, 1.2, f"English vs Chinese query: {en / zh:.2f}x (budget 1.2x)")


def cache_build(runs: int, env: dict[str, str], data: Path | None = None) -> None:
    bb = beibei_cmd()
    cache = Path(env["BEIBEI_CACHE_DIR"])
    extra = ["--data", str(data)] if data else []
    timed([*bb, *extra, "info"], env)  # make sure the spec exists
    walls, peaks = [], []
    for _ in range(runs):
        for f in [*cache.glob("report-*.marshal"), *cache.glob("index-*.marshal")]:
            f.unlink()
        wall, rss, code = timed([*bb, *extra, "metrics", "--format", "json"], env)
        assert code == 0
        walls.append(wall)
        peaks.append(rss)
    warm = [timed([*bb, *extra, "search", "招商", "--format", "json"], env) for _ in range(runs)]
    label = f"{data.name}" if data else "report.yaml"
    text = (
        f"first run, empty cache ({label}): median {statistics.median(walls) * 1000:.0f} ms, "
        f"peak {max(peaks):.1f} MiB; warm search: "
        f"median {statistics.median(w for w, _, _ in warm) * 1000:.1f} ms, peak {max(r for _, r, _ in warm):.1f} MiB"
    )
    if data is None:  # the budgets of the shipped report; the scale run has its own
        text += " (budget 1500 ms, 150 MiB)"
        VERDICTS.row("first run", max(statistics.median(walls) / 1.5, max(peaks) / 150), 1.0, text)
    else:
        print(text)


def phases(path: Path) -> dict[str, float]:
    """In-process seconds of each loading phase, run as ``load_report`` runs them (the cyclic
    garbage collector paused: ``files.paused_gc``)."""
    from beibei_cli.files import paused_gc

    with paused_gc():
        return _phases(path)


def _phases(path: Path) -> dict[str, float]:
    from beibei_cli import cache, report, yamlload
    from beibei_cli.schema import validate
    from beibei_cli.search.build import build_index
    from beibei_cli.search.query import Index, search

    t = {}
    start = time.perf_counter()
    loaded = yamlload.load(report.read_text(str(path)), str(path))
    t["parse YAML"] = time.perf_counter() - start
    start = time.perf_counter()
    meta, records, problems = validate(loaded.value)
    t["validate"] = time.perf_counter() - start
    assert not problems, problems[:3]
    start = time.perf_counter()
    source_path = report.source_path_for(meta, str(path))
    data, problems = report.build(meta, records, report.read_text(source_path), source_path)
    t["link quotes"] = time.perf_counter() - start
    assert not problems, problems[:3]
    start = time.perf_counter()
    data["index"] = build_index(data)
    t["build index"] = time.perf_counter() - start
    start = time.perf_counter()
    cache.store(str(path), data)
    t["write cache"] = time.perf_counter() - start
    start = time.perf_counter()
    cached = cache.load(str(path))
    t["read cache"] = time.perf_counter() - start
    assert cached is not None
    index = Index(cached["index"])
    start = time.perf_counter()
    search(index, ["招商"])
    t["search 招商"] = time.perf_counter() - start
    start = time.perf_counter()
    search(index, ["zhaoshang"])
    t["search zhaoshang"] = time.perf_counter() - start
    return t


def scale_run(scale: int, env: dict[str, str], only_commands: bool = False) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        big = synthetic(scale, folder)
        small = synthetic(1, folder / "one") if (folder / "one").mkdir() is None else None
        assert small is not None
        if only_commands:
            scale_commands(scale, env, small, big)
            return
        print(f"\nscale run: {big.stat().st_size / 1e6:.1f} MB report ({scale}x), in-process seconds per phase")
        os.environ["BEIBEI_CACHE_DIR"] = env["BEIBEI_CACHE_DIR"]
        one = phases(small)
        many = phases(big)
        print(f"{'phase':18} {'1x':>10} {f'{scale}x':>10} {'growth':>8}")
        for name in one:
            growth = many[name] / one[name] if one[name] > 0 else float("nan")
            print(f"{name:18} {one[name] * 1000:8.1f}ms {many[name] * 1000:8.1f}ms {growth:7.1f}x")
        cache_build(3, env, big)
        scale_commands(scale, env, small, big)


# Every command, warm, on the 1x and the Nx synthetic report: each within SCALE_BUDGET
# times its 1x time (the reports' ids carry the -k0 suffix of the first copy).
SCALE_BUDGET = 15
SCALE_COMMANDS = [
    ["info", "--format", "json"],
    ["metrics", "--format", "json"],
    ["metrics", "--sort", "value", "--limit", "5", "--format", "json"],
    ["pillars", "--detail", "--format", "json"],
    ["timeline", "--format", "json"],
    ["entities", "--format", "json"],
    ["source"],
    ["source", "--grep", "招商"],
    ["search", "招商", "--format", "json"],
    ["search", "zhaoshang", "--format", "json"],
    ["search", "--regex", "招商.{0,4}体系", "--format", "json"],
    ["search", "(\\S+)+!", "--regex", "--count"],
    ["show", "metric-rd-intensity-k0", "--format", "json"],
    ["show", "org-cq-party-committee-k0", "--format", "json"],
    ["show", "para-3", "--format", "json"],
    ["cite", "metric-rd-intensity-k0"],
    ["export"],
    ["export", "--format", "html"],
    ["validate"],
]


def scale_commands(scale: int, env: dict[str, str], small: Path, big: Path, runs: int = 5) -> None:
    bb = beibei_cmd()
    print(f"\nwarm commands, 1x and {scale}x (budget {SCALE_BUDGET}x the 1x time; median of {runs}, interleaved)")
    print(f"{'command (output piped)':46} {'1x':>9} {f'{scale}x':>10} {'growth':>8} {'budget':>7} {'output bytes':>24}")
    for args in SCALE_COMMANDS:
        cmds = [
            [*bb, "validate", str(data)] if args[0] == "validate" else [*bb, "--data", str(data), *args]
            for data in (small, big)
        ]
        sizes = [_output_size(cmd, env) for cmd in cmds]  # also warms the cache
        walls: list[list[float]] = [[], []]
        for _ in range(runs):
            for i, cmd in enumerate(cmds):
                wall, _rss, code = timed(cmd, env)
                assert code in (0, 1), (args, code)
                walls[i].append(wall)
        medians = [statistics.median(w) for w in walls]
        label = " ".join(args)
        growth = medians[1] / medians[0]
        text = (
            f"{label:46} {medians[0] * 1000:7.0f}ms {medians[1] * 1000:8.0f}ms {growth:7.1f}x "
            f"{SCALE_BUDGET:6}x {sizes[0]:>8,}B → {sizes[1]:>10,}B"
        )
        VERDICTS.row(f"{scale}x {label}", growth, SCALE_BUDGET, text)


def _output_size(cmd: list[str], env: dict[str, str]) -> int:
    return len(subprocess.run(cmd, capture_output=True, env=env, timeout=600).stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--no-scale", action="store_true")
    parser.add_argument("--scale-commands", action="store_true", help="only the warm 1x/Nx command rows")
    parser.add_argument("--no-search", action="store_true", help="skip search quality and fallback cost")
    parser.add_argument("--no-mcp", action="store_true", help="skip the MCP server's budgets (mcp_bench.py)")
    parser.add_argument("--check", action="store_true", help="exit 1 if any figure is over its budget")
    args = parser.parse_args()
    import beibei_cli

    # pip compiles bytecode at install time; do the same for a source checkout.
    compileall.compile_dir(str(Path(beibei_cli.__file__).parent), quiet=1)
    tmp = tempfile.mkdtemp(prefix="beibei-bench-")
    env = {**os.environ, "BEIBEI_CACHE_DIR": tmp}
    for var in ("BEIBEI_DATA", "BEIBEI_LANG", "BEIBEI_NO_FASTPATH"):
        env.pop(var, None)
    try:
        if args.scale_commands:
            scale_run(args.scale, env, only_commands=True)
        else:
            budgets(args.runs, env)
            cache_build(5, env)
            if not args.no_search:
                import search_bench  # benchmarks/search_bench.py: recall@5, MRR, fallback cost

                print("\nsearch quality and the cost of the fallback tiers")
                VERDICTS.over.extend(
                    f"search: {o}" for o in search_bench.run(args.runs, None if args.no_scale else args.scale)
                )
            if not args.no_mcp:
                import mcp_bench  # benchmarks/mcp_bench.py: spawn to first answer, per-call cost

                print("\nthe MCP server")
                VERDICTS.over.extend(mcp_bench.run(args.runs, 200, env))
            if not args.no_scale:
                scale_run(args.scale, env)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _verdict(args.check)


def _verdict(check: bool) -> None:
    if VERDICTS.over:
        print(f"\nOVER budget: {', '.join(VERDICTS.over)}")
    else:
        print("\nevery figure within its budget")
    if check and VERDICTS.over:
        sys.exit(1)


if __name__ == "__main__":
    main()
