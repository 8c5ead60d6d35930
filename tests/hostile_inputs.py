"""Hostile inputs, each with the exit code and message it must give.

``tests/test_hostile_inputs.py`` runs every case and checks it; ``scripts/hostile_table.py``
runs them too and writes docs/hostile-inputs.md from what they actually print,
and a test fails while that file differs. So the table cannot go stale.
"""

from __future__ import annotations

import errno
import io
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import DATA, PYTHON, ROOT, SOURCE


@dataclass
class Case:
    group: str
    input: str  # what was tried, as a reader would type it
    args: list[str]  # argv after `beibei`; {dir} is the case's own temporary folder
    code: int
    fragment: str  # must be in the first line of stderr ("" for none)
    setup: Callable[[Path], None] | None = None
    env: dict[str, str] = field(default_factory=dict)
    shell: str | None = None  # run in a real process: `bash -c` with BEIBEI standing for the program
    stdout_error: int | None = None  # in-process: every write to stdout fails with this errno


def _report_file(content: str | bytes | None) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        if content is None:
            return
        path = folder / "report.yaml"
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        (folder / "source.txt").write_bytes(SOURCE.read_bytes())

    return setup


def _mkdir(name: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).mkdir()


def _fifo(folder: Path) -> None:
    os.mkfifo(folder / "d.fifo")


def _report_with(old: str, new: str) -> Callable[[Path], None]:
    return _report_file(DATA.read_text(encoding="utf-8").replace(old, new, 1))


def _socket(folder: Path) -> None:
    import socket

    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "sock"))
    sock.close()  # the socket file stays


def _shelf(*names: str, key: str | None = None) -> Callable[[Path], None]:
    """A shelf in the case's folder: the shipped report as each of ``names`` (a/b.yaml makes a/),
    with report.key ``key`` if given; plus what a hostile shelf holds, by name:
    ``loop`` (a symlink to the folder itself), ``bad.yaml`` (a YAML error), ``notes:N`` (N text files)."""

    def setup(folder: Path) -> None:
        text = (ROOT / "data" / "report.yaml").read_text(encoding="utf-8")
        if key is not None:
            text = text.replace("report:\n", f"report:\n  key: {key}\n", 1)
        for name in names:
            if name == "loop":
                os.symlink(folder, folder / "loop")
            elif name == "bad.yaml":
                (folder / "bad.yaml").write_text("schema_version: [unclosed\n", encoding="utf-8")
            elif name.startswith("notes:"):
                (folder / "notes").mkdir()
                for i in range(int(name.partition(":")[2])):
                    (folder / "notes" / f"{i}.txt").write_text("not a report", encoding="utf-8")
            else:
                path = folder / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                (path.parent / "source.txt").write_bytes(SOURCE.read_bytes())

    return setup


def _report_cases() -> list[Case]:
    from tests.test_bad_input import CASES

    return [
        Case(
            "report file",
            f"--data FILE: {name}",
            ["--data", "{dir}/report.yaml", "metrics", "--format", "json"],
            2,
            fragment,
            setup=_report_file(content),
        )
        for name, content, fragment in CASES
    ]


CASES: list[Case] = [
    *_report_cases(),
    Case(
        "report file",
        "--data FILE: a value of 1 and 400 zeros",
        ["--no-cache", "--data", "{dir}/report.yaml", "metrics"],
        2,
        "value must be a finite number",
        _report_with("    value: 5\n    unit: 年\n", "    value: 1" + "0" * 400 + "\n    unit: 年\n"),
    ),
    Case(
        "report file",
        '--data FILE: iso: "２０２３" (full-width digits)',
        ["--no-cache", "--data", "{dir}/report.yaml", "metrics"],
        2,
        "ASCII digits",
        _report_with('    iso: "2023-01"\n', '    iso: "２０２３"\n'),
    ),
    Case("paths", '--data ""', ["--data", "", "info"], 2, "empty path"),
    Case("paths", 'BEIBEI_DATA=""', ["info"], 2, "BEIBEI_DATA is set but empty", env={"BEIBEI_DATA": ""}),
    Case("paths", 'validate ""', ["validate", ""], 2, "empty path"),
    Case("paths", "--data DIR (a folder with no report)", ["--data", "{dir}", "info"], 2, "holds no report file"),
    Case(
        "shelf",
        "--data DIR: a symlink loop",
        ["--data", "{dir}", "reports"],
        0,
        "",
        _shelf("a.yaml", "b/b.yaml", "loop"),
    ),
    Case(
        "shelf",
        "--data DIR: a bad report among good ones",
        ["--data", "{dir}", "metrics", "--format", "json"],
        0,
        "DIR/bad.yaml:",
        _shelf("a.yaml", "b/b.yaml", "bad.yaml"),
    ),
    Case(
        "shelf",
        "--data DIR: reports failed (reports)",
        ["--data", "{dir}", "reports", "--format", "json"],
        2,
        "DIR/bad.yaml:",
        _shelf("a.yaml", "b/b.yaml", "bad.yaml"),
    ),
    Case(
        "shelf",
        "--data DIR: two reports, one key",
        ["--data", "{dir}", "reports"],
        2,
        "have the key 'same'",
        _shelf("a.yaml", "b/b.yaml", key="same"),
    ),
    Case(
        "shelf",
        "--data DIR: 10,000 files that are not reports",
        ["--data", "{dir}", "reports", "--format", "json"],
        0,
        "",
        _shelf("a.yaml", "notes:10000"),
    ),
    Case(
        "shelf",
        "show ID on a shelf, in two reports",
        ["--data", "{dir}", "show", "para-3"],
        2,
        "is in 2 reports of the shelf",
        _shelf("a.yaml", "b/b.yaml"),
    ),
    Case("paths", "--data FIFO (mkfifo)", ["--no-cache", "--data", "{dir}/d.fifo", "info"], 2, "is a FIFO", _fifo),
    Case(
        "paths",
        "--data FILE whose source: is a FIFO",
        ["--no-cache", "--data", "{dir}/report.yaml", "info"],
        2,
        "is a FIFO",
        lambda folder: (_report_with("  source: source.txt\n", "  source: d.fifo\n")(folder), _fifo(folder)),
    ),
    Case("output", 'export -o ""', ["export", "-o", ""], 2, "empty path"),
    Case(
        "output", "export -o DIR (a directory)", ["export", "-o", "{dir}/folder"], 2, "is a directory", _mkdir("folder")
    ),
    Case(
        "output",
        "metrics -o DIR (a directory)",
        ["metrics", "-o", "{dir}/folder"],
        2,
        "is a directory",
        _mkdir("folder"),
    ),
    Case("output", "metrics -o SOCKET", ["metrics", "-o", "{dir}/sock"], 2, "refusing to replace it", _socket),
    Case("output", "export -o SOCKET", ["export", "-o", "{dir}/sock"], 2, "refusing to replace it", _socket),
    Case("output", "export -o MISSING/x.md", ["export", "-o", "{dir}/missing/x.md"], 2, "No such file or directory"),
    Case("output", "export -o MISSING/ (a folder)", ["export", "-o", "{dir}/missing/"], 2, "no such directory"),
    Case("output", "BEIBEI show nope 2>/dev/full (stderr full)", [], 2, "", shell="BEIBEI show nope 2>/dev/full"),
    Case(
        "output",
        "stdout full (ENOSPC)",
        ["metrics"],
        2,
        "cannot write output: No space left",
        stdout_error=errno.ENOSPC,
    ),
    Case(
        "output",
        "stdout I/O error (EIO)",
        ["metrics"],
        2,
        "cannot write output: Input/output error",
        stdout_error=errno.EIO,
    ),
    Case(
        "output", "BEIBEI metrics >&- (stdout closed)", [], 2, "standard output is closed", shell="BEIBEI metrics >&-"
    ),
    Case("output", "BEIBEI --help >&- (stdout closed)", [], 2, "standard output is closed", shell="BEIBEI --help >&-"),
    Case(
        "output",
        "BEIBEI source | head -c 0 (pipe closed)",
        [],
        0,
        "",
        shell="set -o pipefail; BEIBEI source | head -c 0",
    ),
    Case("output", "BEIBEI metrics --bogus 2>&- (stderr closed)", [], 2, "", shell="BEIBEI metrics --bogus 2>&-"),
    Case("search", 'search ""', ["search", ""], 2, "empty"),
    Case("search", "search -e $'\\xff' (not UTF-8)", ["search", "-e", "\udcff"], 2, "byte 0xff"),
    Case("search", "search with a 2,001-character query", ["search", "招" * 2001], 2, "the limit is 2000"),
    Case(
        "search", "search with 10,000 terms", ["search", *[f"t{i}" for i in range(10_000)]], 2, "too many search terms"
    ),
    Case(
        "search",
        r"search --regex '(\S+)+!' (catastrophic for a backtracking engine)",
        ["search", "--regex", r"(\S+)+!"],
        1,
        "",
    ),
    Case("search", r"search --regex '(.*)*x'", ["search", "--regex", "(.*)*x"], 0, ""),
    Case("search", "search --regex '[unclosed'", ["search", "--regex", "[unclosed"], 2, "invalid regular expression"),
    Case("search", r"search --regex '(招商)\1'", ["search", "--regex", r"(招商)\1"], 2, "backreferences"),
    Case("search", "search --regex '招商(?=体系)'", ["search", "--regex", "招商(?=体系)"], 2, "lookahead"),
    Case("search", "search --regex '(?<=全力)招商'", ["search", "--regex", "(?<=全力)招商"], 2, "lookbehind"),
    Case("search", "search --regex 'x{5000}'", ["search", "--regex", "x{5000}"], 2, "repetition counts over 1000"),
    Case("arguments", "metrics --fields id,colour", ["metrics", "--fields", "id,colour"], 2, "unknown field 'colour'"),
    Case("arguments", "metrics --pillar tourism", ["metrics", "--pillar", "tourism"], 2, "valid pillars"),
    Case("arguments", "metrics --limit -1", ["metrics", "--limit", "-1"], 2, "-1"),
    Case("arguments", "bogus (no such command)", ["bogus"], 2, "No such command"),
    Case("arguments", "metrics --bogus", ["metrics", "--bogus"], 2, "No such option"),
    Case("arguments", "--lang fr metrics", ["--lang", "fr", "metrics"], 2, "fr"),
    Case("arguments", 'show ""', ["show", ""], 2, "the record id is empty"),
    Case(
        "arguments",
        "timeline --since ２０２２ (full-width digits)",
        ["timeline", "--since", "２０２２"],
        2,
        "ASCII digits",
    ),
    Case("arguments", "timeline --until 0000", ["timeline", "--until", "0000"], 2, "year out of range"),
    Case("arguments", "search 招商 -n ٣ (Arabic-Indic digit)", ["search", "招商", "-n", "٣"], 2, "ASCII digits"),
    Case(
        "report file",
        "--data FILE: a metric name of 20,001 characters",
        ["--no-cache", "--data", "{dir}/report.yaml", "metrics"],
        2,
        "the limit for a field is 20,000",
        _report_with("    name: 规划期（未来年数）\n", "    name: " + "研" * 20_001 + "\n"),
    ),
    Case(
        "arguments",
        "metrics --pillar $'\\xff' (an undecodable byte)",
        ["metrics", "--pillar", "\udcff"],
        2,
        "unknown pillar '\\xff'",
    ),
    Case("arguments", "metrics -n 1_0", ["metrics", "-n", "1_0"], 2, "ASCII digits"),
    Case("arguments", "source --para ３", ["source", "--para", "３"], 2, "ASCII digits"),
    Case(
        "environment",
        "BEIBEI_MAX_BYTES=lots (with --no-cache)",
        ["--no-cache", "metrics"],
        2,
        "BEIBEI_MAX_BYTES",
        env={"BEIBEI_MAX_BYTES": "lots"},
    ),
    Case(
        "environment",
        "BEIBEI_MAX_BYTES=1000 (the report cached or not)",
        ["--data", "{dir}/report.yaml", "metrics", "-f", "json"],
        2,
        "over the 1000-byte limit",
        _report_with("", ""),
        env={"BEIBEI_MAX_BYTES": "1000"},
    ),
    Case(
        "environment",
        "BEIBEI_MAX_BYTES=99999999999999999999999",
        ["--no-cache", "metrics", "-f", "json"],
        0,
        "",
        env={"BEIBEI_MAX_BYTES": "99999999999999999999999"},
    ),
    Case(
        "environment",
        "BEIBEI_CACHE_DIR=/dev/null/cache (cannot exist)",
        ["metrics", "-f", "json"],
        0,
        "",
        env={"BEIBEI_CACHE_DIR": "/dev/null/cache"},
    ),
]


class _FailingStdout(io.TextIOBase):
    def __init__(self, err: int) -> None:
        self.err = err
        self.buffer = self

    def write(self, data: object) -> int:  # type: ignore[override]
        raise OSError(self.err, os.strerror(self.err))


def run_case(case: Case, folder: Path) -> tuple[int, str, str]:
    """(exit code, first line of stderr, all of it), the case's folder written DIR."""
    if case.setup is not None:
        case.setup(folder)
    args = [a.replace("{dir}", str(folder)) for a in case.args]
    if case.shell is not None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
        done = subprocess.run(
            ["bash", "-c", case.shell.replace("BEIBEI", f"{PYTHON} -m beibei_cli")],
            capture_output=True,
            env={**env, **case.env},
            timeout=60,
        )
        code, err = done.returncode, done.stderr.decode("utf-8", "replace")
    else:
        code, err = _in_process(case, args)
    err = err.replace(str(folder), "DIR").replace(str(ROOT), ".")
    first = err.splitlines()[0] if err else ""
    # positions in the copied report move with every edit of data/report.yaml: not in the table
    first = re.sub(r"(report\.yaml):\d+:\d+:", r"\1:LINE:COL:", first)
    return code, first, err


def _in_process(case: Case, args: list[str]) -> tuple[int, str]:
    from beibei_cli.entry import run

    saved_env = {k: os.environ.get(k) for k in case.env}
    saved = sys.stdout, sys.stderr
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    os.environ.update(case.env)
    sys.stdout = _FailingStdout(case.stdout_error) if case.stdout_error else io.TextIOWrapper(io.BytesIO())
    sys.stderr = err
    try:
        code = run(args)
    finally:
        sys.stdout, sys.stderr = saved
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    err.flush()
    return code, err.buffer.getvalue().decode("utf-8")  # type: ignore[attr-defined]


def table(results: list[tuple[Case, int, str]]) -> str:
    """docs/hostile-inputs.md: one row per case, grouped."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|") if text else "(nothing)"

    lines = [
        "# Hostile inputs",
        "",
        "What `beibei` does with inputs meant to break it: the exit code and the first line",
        "it prints on stderr. Generated by `python scripts/hostile_table.py` from the cases",
        "in `tests/hostile_inputs.py`, which `tests/test_hostile_inputs.py` runs; that test fails while",
        "this file differs from what the cases print. DIR is the case's temporary folder,",
        "LINE:COL a position in the report file; `BEIBEI` in a shell line stands for the program.",
        "",
        "Exit codes: 0 ok, 1 nothing found, 2 usage, data or output error, 70 a bug (none below).",
        "",
        "What a table of command lines cannot show has tests of its own in `tests/test_hostile3.py`:",
        "the cache (a planted symlink, a flipped byte, foreign files, a world-writable folder), raw",
        "JSON-RPC sent to `beibei mcp` (each request answered), the Python API's caps, CSV formulas,",
        "Markdown block structure, bash completion quoting, xlsx limits and the table layout's cost.",
        "A shelf's SQLite store has its own in `tests/test_store.py`: a database replaced by garbage,",
        "truncated, of another application, of another schema or build (each rebuilt, never served), a",
        "symlink in its place (not followed: what it names is not written), a database another",
        "process holds locked (the command answers from what it read; the store is kept), a report",
        "failing on a shelf (said on every run, never stored) and the database's private mode (0600).",
    ]
    group = None
    for case, code, message in results:
        if case.group != group:
            group = case.group
            lines += ["", f"## {group}", "", "| input | exit | message |", "|---|---:|---|"]
        lines.append(f"| `{cell(case.input)}` | {code} | {cell(message)} |")
    return "\n".join(lines) + "\n"


def run_all(base: Path) -> list[tuple[Case, int, str]]:
    out = []
    for i, case in enumerate(CASES):
        folder = base / f"case-{i}"
        folder.mkdir()
        code, message, _ = run_case(case, folder)
        out.append((case, code, message))
    return out
