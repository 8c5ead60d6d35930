"""The MCP server's budgets, with a raw JSON-RPC driver over pipes (no client library timed):

    python benchmarks/mcp_bench.py             # both budgets
    python benchmarks/mcp_bench.py --runs 21 --calls 200

1. Spawn to first answer: start the server, ``initialize``, ``notifications/initialized``,
   ``tools/list``, until the tools are read. ``beibei mcp`` against the SDK's own minimal server
   (one tool), interleaved in the same run; budget 1.3x its median.
2. 200 ``search`` calls in a row over one session: the median per call against the Python API's
   ``Report.search`` on the same queries and arguments, interleaved; budget 3x.

``bench.py`` runs it too (``--no-mcp`` skips it). Needs the MCP SDK (``pip install '.[mcp]'``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import ROOT, beibei_cmd

SPAWN_BUDGET = 1.3
CALL_BUDGET = 3.0

MINIMAL = """\
from mcp.server.mcpserver import MCPServer

server = MCPServer("minimal")


@server.tool()
def echo(text: str) -> str:
    \"\"\"Say it back.\"\"\"
    return text


server.run("stdio")
"""

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 0,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "0"}},
}


class Session:
    """One server process, spoken to in JSON-RPC lines on its stdin and stdout."""

    def __init__(self, cmd: list[str], env: dict[str, str]) -> None:
        # buffered: an unbuffered pipe's readline reads one byte per system call
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
        )
        self.next_id = 0

    def send(self, message: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(message, ensure_ascii=False).encode() + b"\n")
        self.proc.stdin.flush()

    def ask(self, method: str, params: dict[str, Any] | None = None) -> Any:
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params or {}})
        return self.answer(self.next_id)

    def answer(self, wanted: int) -> Any:
        assert self.proc.stdout is not None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("the server closed its output")
            message = json.loads(line)
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError(message["error"])
                return message["result"]

    def open(self) -> Any:
        """initialize, initialized, tools/list: what a client does before its first call."""
        self.send(INITIALIZE)
        self.answer(0)
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        return self.ask("tools/list")

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=60)
        assert self.proc.stdout is not None
        self.proc.stdout.close()


def first_answer(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    session = Session(cmd, env)
    tools = session.open()["tools"]
    wall = time.perf_counter() - start
    assert tools, cmd
    session.close()
    return wall


def spawn(runs: int, env: dict[str, str]) -> tuple[float, float]:
    """(median of beibei mcp, median of the SDK's minimal server), seconds to the tools."""
    with tempfile.TemporaryDirectory(prefix="beibei-mcp-bench-") as tmp:
        minimal = Path(tmp) / "minimal_server.py"
        minimal.write_text(MINIMAL, encoding="utf-8")
        ours_cmd, theirs_cmd = [*beibei_cmd(), "mcp"], [sys.executable, str(minimal)]
        first_answer(ours_cmd, env)  # build the cache, warm the disk
        first_answer(theirs_cmd, env)
        ours, theirs = [], []
        for _ in range(runs):
            ours.append(first_answer(ours_cmd, env))
            theirs.append(first_answer(theirs_cmd, env))
    return statistics.median(ours), statistics.median(theirs)


def queries() -> list[str]:
    import yaml

    judged = yaml.safe_load((ROOT / "tests" / "relevance.yaml").read_text(encoding="utf-8"))
    found = [q["query"] for group in judged.values() if isinstance(group, list) for q in group if "query" in q]
    return found or ["招商", "zhaoshang", "斯太宝芯片", "缙云山", "GDP增长"]


def calls(count: int, env: dict[str, str]) -> tuple[float, float]:
    """(median seconds per MCP search call, per Report.search call), the same queries interleaved."""
    import beibei_cli

    asked = queries()
    report = beibei_cli.load()
    session = Session([*beibei_cmd(), "mcp"], env)
    session.open()
    ours, api = [], []
    try:
        for i in range(count):
            arguments = {"query": asked[i % len(asked)], "limit": 10}
            start = time.perf_counter()
            result = session.ask("tools/call", {"name": "search", "arguments": arguments})
            ours.append(time.perf_counter() - start)
            assert not result.get("isError"), result
            start = time.perf_counter()
            report.search(arguments["query"], limit=10)
            api.append(time.perf_counter() - start)
    finally:
        session.close()
    return statistics.median(ours), statistics.median(api)


def run(runs: int, count: int, env: dict[str, str]) -> list[str]:
    """Print both budgets; return the labels of those over."""
    over = []
    ours, theirs = spawn(runs, env)
    ratio = ours / theirs
    verdict = "ok" if ratio <= SPAWN_BUDGET else "OVER"
    print(
        f"mcp spawn to tools/list: beibei mcp {ours * 1000:.1f} ms, the SDK's minimal server {theirs * 1000:.1f} ms "
        f"(median of {runs}, interleaved): {ratio:.2f}x (budget {SPAWN_BUDGET}x)  {verdict}"
    )
    if verdict == "OVER":
        over.append("mcp spawn")
    per_call, per_api = calls(count, env)
    ratio = per_call / per_api
    verdict = "ok" if ratio <= CALL_BUDGET else "OVER"
    print(
        f"mcp search, {count} calls in one session: {per_call * 1000:.2f} ms per call, Report.search "
        f"{per_api * 1000:.2f} ms (medians): {ratio:.2f}x (budget {CALL_BUDGET}x)  {verdict}"
    )
    if verdict == "OVER":
        over.append("mcp search calls")
    return over


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--check", action="store_true", help="exit 1 if a figure is over its budget")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="beibei-bench-") as tmp:
        env = {**os.environ, "BEIBEI_CACHE_DIR": tmp}
        for var in ("BEIBEI_DATA", "BEIBEI_LANG"):
            env.pop(var, None)
        over = run(args.runs, args.calls, env)
    if args.check and over:
        sys.exit(1)


if __name__ == "__main__":
    main()
