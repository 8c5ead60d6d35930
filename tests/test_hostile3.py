"""Hostile round three (issue 23): each test reproduces one defect found on 0.3.0."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest

from beibei_cli import cache
from tests.conftest import DATA, SOURCE

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file semantics")


def _copy(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "report.yaml"
    path.write_bytes(DATA.read_bytes())
    (folder / "source.txt").write_bytes(SOURCE.read_bytes())
    return path


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("BEIBEI_CACHE_DIR", str(folder))
    return folder


# -- 1: the cache follows no link it writes ---------------------------------------


@posix_only
def test_a_planted_symlink_for_the_temp_file_is_not_followed(run, tmp_path: Path, own_cache: Path) -> None:  # type: ignore[no-untyped-def]
    path = _copy(tmp_path / "r")
    victim = tmp_path / "important.txt"
    victim.write_text("precious\n", encoding="utf-8")
    target = cache._file_for("report", str(path))
    index = cache._file_for("index", str(path))
    for name in (target, index):  # the names 0.3.0 wrote to, for this process
        os.symlink(victim, f"{name}.{os.getpid()}.tmp")
    assert run("--data", str(path), "search", "招商", "-l").code == 0
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert not os.path.islink(target) and os.path.isfile(target)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


@posix_only
def test_a_planted_symlink_as_the_cache_file_is_replaced_not_written_through(
    run, tmp_path: Path, own_cache: Path
) -> None:  # type: ignore[no-untyped-def]
    path = _copy(tmp_path / "r")
    victim = tmp_path / "important.txt"
    victim.write_text("precious\n", encoding="utf-8")
    target = cache._file_for("report", str(path))
    os.symlink(victim, target)
    assert run("--data", str(path), "metrics", "-f", "json").code == 0
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert not os.path.islink(target)


@posix_only
def test_a_folder_anyone_can_write_is_not_used(run, tmp_path: Path, own_cache: Path) -> None:  # type: ignore[no-untyped-def]
    path = _copy(tmp_path / "r")
    own_cache.chmod(0o777)
    assert run("--data", str(path), "metrics", "-f", "json").code == 0
    assert list(own_cache.iterdir()) == []
    own_cache.chmod(0o777 | stat.S_ISVTX)  # as /tmp: others cannot remove or rename our files
    assert run("--data", str(path), "metrics", "-f", "json").code == 0
    assert list(own_cache.glob("report-*.marshal"))


# -- 2: cache clear removes only the tool's own files ------------------------------


def test_cache_clear_removes_only_its_own_files(run, tmp_path: Path, own_cache: Path) -> None:  # type: ignore[no-untyped-def]
    path = _copy(tmp_path / "r")
    assert run("--data", str(path), "search", "招商", "-l").code == 0
    ours = sorted(p.name for p in own_cache.iterdir())
    assert len(ours) == 2
    foreign = {
        "notes.txt.tmp": b"mine",
        "other-app.marshal": b"{}",
        "report-py311-0000abcd.marshal": b"not a beibei file",  # our name, not our header
    }
    for name, content in foreign.items():
        (own_cache / name).write_bytes(content)
    r = run("cache", "clear")
    assert r.code == 0 and "2" in r.err
    assert sorted(p.name for p in own_cache.iterdir()) == sorted(foreign)


# -- 3: corrupt cache entries are rebuilt, never served or fatal --------------------


def _warm(run, tmp_path: Path) -> tuple[Path, str, str]:  # type: ignore[no-untyped-def]
    path = _copy(tmp_path / "r")
    metrics = run("--data", str(path), "metrics", "-f", "json")
    found = run("--data", str(path), "search", "招商", "-f", "json")
    assert metrics.code == 0 and found.code == 0
    return path, metrics.out, found.out


def _flip(file: str, needle: bytes, at: int, new: int) -> None:
    raw = bytearray(Path(file).read_bytes())
    where = raw.index(needle) + at
    raw[where] = new
    Path(file).write_bytes(bytes(raw))


def test_a_flipped_byte_in_a_cached_string_is_not_served(run, tmp_path: Path, own_cache: Path) -> None:  # type: ignore[no-untyped-def]
    path, metrics, _ = _warm(run, tmp_path)
    _flip(cache._file_for("report", str(path)), "科技型企业".encode(), 1, 0xA6)  # 科 -> 禑
    again = run("--data", str(path), "metrics", "-f", "json")
    assert again.code == 0 and "禑" not in again.out and again.out == metrics


def test_a_flipped_byte_in_the_index_means_rebuild(run, tmp_path: Path, own_cache: Path) -> None:  # type: ignore[no-untyped-def]
    path, _, found = _warm(run, tmp_path)
    index = cache._file_for("index", str(path))
    raw = bytearray(Path(index).read_bytes())
    raw[len(raw) // 2] ^= 0x40
    Path(index).write_bytes(bytes(raw))
    again = run("--data", str(path), "search", "招商", "-f", "json")
    assert again.code == 0 and again.out == found


def test_a_replaced_index_blob_with_its_token_means_rebuild(run, tmp_path: Path, own_cache: Path) -> None:  # type: ignore[no-untyped-def]
    path, _, found = _warm(run, tmp_path)
    index = cache._file_for("index", str(path))
    payload = cache.read(index)
    assert isinstance(payload, dict)
    cache.write(index, {"token": payload["token"], "index": b"\x00" * 64})
    again = run("--data", str(path), "search", "招商", "-f", "json")
    assert again.code == 0 and again.out == found


def test_a_report_entry_without_meta_means_rebuild(run, tmp_path: Path, own_cache: Path) -> None:  # type: ignore[no-untyped-def]
    path, metrics, _ = _warm(run, tmp_path)
    entry = cache._file_for("report", str(path))
    payload = cache.read(entry)
    assert isinstance(payload, dict)
    del payload["data"]["meta"]
    cache.write(entry, payload)
    again = run("--data", str(path), "metrics", "-f", "json")
    assert again.code == 0 and again.out == metrics
    info = run("--data", str(path), "info", "-f", "json")
    assert info.code == 0 and json.loads(info.out)["title"]


# -- 4: Markdown export escapes block-level structure -------------------------------

BLOCK_ATTACKS = ["~~~", "```", "---", "***", "___", "===", "    code", "  - x", "\t=1", "+ x", "1. x", "> q", "~~del~~"]


def _block_tokens(text: str) -> list[str]:
    markdown_it = pytest.importorskip("markdown_it")
    out = []
    for token in markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(text):
        out += [token.type, *(child.type for child in token.children or [])]
    return out


@pytest.mark.parametrize("attack", BLOCK_ATTACKS)
def test_markdown_export_escapes_block_structure(attack: str) -> None:
    import copy

    from beibei_cli import queries
    from beibei_cli.output import export
    from beibei_cli.report import Report, load_report

    real = load_report(str(DATA), use_cache=False)
    data = copy.deepcopy(real.data)
    data.pop("index", None)
    pillar = data["records"]["pillar"][0]
    for key in ("summary", "summary_en", "summary_zh"):
        if pillar.get(key):
            pillar[key] = attack
    for goal in data["records"]["goal"]:
        if goal.get("pillar"):
            goal["text"] = goal["text_en"] = attack
            break
    bad = Report(data, str(DATA))
    clean = _block_tokens(export.markdown(queries.document(real, "zh"), "zh"))
    text = export.markdown(queries.document(bad, "zh"), "zh")
    tokens = _block_tokens(text)
    for kind in ("fence", "code_block", "hr", "blockquote_open", "s_open", "ordered_list_open"):
        assert tokens.count(kind) == clean.count(kind), (kind, attack)
    assert tokens.count("bullet_list_open") == clean.count("bullet_list_open")
    assert tokens.count("list_item_open") == clean.count("list_item_open")
    assert tokens.count("heading_open") == clean.count("heading_open")


# -- 5: CSV and TSV neutralise formulas ------------------------------------------------

FORMULAS = ['=HYPERLINK("http://x","y")', "@cmd", "-cmd|' /C calc'!A0", "+1", "\t=1+1", "=1+1"]


def _formula_report(folder: Path) -> Path:
    """The report with two English metric names that a spreadsheet would run."""
    path = _copy(folder)
    text = path.read_text(encoding="utf-8")
    for old, attack in (
        ("Planning horizon (the next five years)", FORMULAS[0]),
        ("Buildings in Shanmuyuan that served as leaders' offices", FORMULAS[1]),
    ):
        text = text.replace(f"    name_en: {old}\n", f"    name_en: {json.dumps(attack)}\n", 1)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_csv_and_tsv_cells_never_start_a_formula(fmt: str) -> None:
    import csv
    import io

    from beibei_cli.output import render

    rows = [{"id": f"r{i}", "name": attack, "value": -3.5} for i, attack in enumerate(FORMULAS)]
    text = render(rows, fmt)
    table = list(csv.reader(io.StringIO(text), delimiter="," if fmt == "csv" else "\t"))
    names = [row[1] for row in table[1:]]
    assert all(name[:1] not in "=+-@\t\r" for name in names), names
    assert names[0] == "'" + FORMULAS[0] and names[4] == "'=1+1"  # the collapsed tab no longer hides it
    assert [row[2] for row in table[1:]] == ["-3.5"] * len(FORMULAS)  # a number stays a number
    raw = list(csv.reader(io.StringIO(render(rows, fmt, raw_cells=True)), delimiter="," if fmt == "csv" else "\t"))
    assert [row[1] for row in raw[1:]][:4] == FORMULAS[:4]


@pytest.mark.parametrize("fast", [True, False])
def test_raw_cells_option_on_the_command_line(run, tmp_path: Path, fast: bool) -> None:  # type: ignore[no-untyped-def]
    path = _formula_report(tmp_path)
    safe = run("--data", str(path), "--lang", "en", "metrics", "-f", "csv", "--fields", "id,name", fast=fast)
    assert safe.code == 0, safe.err
    assert "'=HYPERLINK" in safe.out and "\n'@cmd" not in safe.out and ",'@cmd" in safe.out
    raw = run(
        "--data", str(path), "--lang", "en", "--raw-cells", "metrics", "-f", "csv", "--fields", "id,name", fast=fast
    )
    assert raw.code == 0 and ',"=HYPERLINK(' in raw.out and ",@cmd" in raw.out


# -- 6: completion candidates are quoted and never carry a newline --------------------


def _complete(shell: str, words: str, data: Path) -> list[str]:
    import subprocess

    from tests.conftest import PYTHON, python_env

    env = python_env(_BEIBEI_COMPLETE=f"complete_{shell}", BEIBEI_DATA=str(data))
    if shell == "bash":
        env.update(COMP_WORDS=words, COMP_CWORD=str(len(words.split()) - 1))
    else:
        env.update(_TYPER_COMPLETE_ARGS=words)
    done = subprocess.run(
        [PYTHON, "-c", "from beibei_cli.entry import main; main()"], capture_output=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return [w for w in done.stdout.decode("utf-8").split("\n") if w]


@pytest.mark.parametrize(
    ("name", "bash"),
    [
        ("测试 $(touch pwned) `id`", "测试\\ \\$\\(touch\\ pwned\\)\\ \\`id\\`"),
        ("测试'x\"y;z&", "测试\\'x\\\"y\\;z\\&"),
        ("测试\nplain,$(touch pwned)\nfile,/etc/passwd", None),
    ],
)
def test_bash_completion_candidates_are_quoted(tmp_path: Path, name: str, bash: str | None) -> None:
    path = _copy(tmp_path)
    text = path.read_text(encoding="utf-8").replace("    name: 生态田园都市区\n", f"    name: {json.dumps(name)}\n", 1)
    path.write_text(text, encoding="utf-8")
    words = _complete("bash", "beibei metrics --pillar 测", path)
    assert words == ([bash] if bash else [])
    assert all("\n" not in w for w in words)
    if bash:
        import shlex

        assert shlex.split(words[0]) == [name]  # the shell reads back the name, nothing else


# -- 7: xlsx refuses what Excel would cut ------------------------------------------


def test_xlsx_refuses_a_cell_longer_than_excel_holds() -> None:
    from beibei_cli.errors import UsageError
    from beibei_cli.output.xlsx import EXCEL_MAX_TEXT, workbook

    assert workbook([{"name": "名" * EXCEL_MAX_TEXT}])  # exactly the limit: written whole
    with pytest.raises(UsageError, match="32,767 characters in a cell and row 2's name has 32,768"):
        workbook([{"name": "x"}, {"name": "名" * (EXCEL_MAX_TEXT + 1)}])


def test_xlsx_refuses_more_rows_than_a_sheet_holds() -> None:
    from beibei_cli.errors import UsageError
    from beibei_cli.output.xlsx import EXCEL_MAX_ROWS, workbook

    rows = [{"para": 1}] * EXCEL_MAX_ROWS  # with the header: one too many
    with pytest.raises(UsageError, match="1,048,576 rows in a sheet and these are 1,048,577"):
        workbook(rows)


def test_xlsx_of_a_long_name_exits_2_and_writes_nothing(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """No field of a report holds more than an Excel cell (schema.MAX_FIELD_CHARS); a paragraph
    of the article can: `source -f xlsx` refuses it rather than cut it."""
    path = _copy(tmp_path)
    source = tmp_path / "source.txt"
    source.write_text(source.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + "研" * 40000 + "\n", encoding="utf-8")
    out = tmp_path / "out.xlsx"
    r = run("--data", str(path), "source", "-f", "xlsx", "-o", str(out))
    assert r.code == 2 and "32,767 characters" in r.err and len(r.err.splitlines()) == 1, r.err
    assert not out.exists()


# -- 8: every MCP request gets an answer --------------------------------------------

_INIT = [
    {
        "jsonrpc": "2.0",
        "id": 0,
        "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}},
    },
    {"jsonrpc": "2.0", "method": "notifications/initialized"},
]


def _mcp_exchange(lines: list[str], *, close_stdout_after: int | None = None) -> tuple[list[dict], int, str]:  # type: ignore[type-arg]
    """Send raw lines (after initialize) and close stdin; the answers, exit code and stderr."""
    import subprocess
    import threading

    from tests.conftest import PYTHON, python_env

    pytest.importorskip("mcp")
    proc = subprocess.Popen(
        [PYTHON, "-m", "beibei_cli", "mcp"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=python_env(),
    )
    watchdog = threading.Timer(40, proc.kill)
    watchdog.start()
    try:
        assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
        text = "".join(json.dumps(m) + "\n" for m in _INIT) + "".join(line + "\n" for line in lines)
        proc.stdin.write(text.encode("utf-8", "surrogatepass"))
        proc.stdin.close()
        out = proc.stdout.read()
        code = proc.wait()
        err = proc.stderr.read().decode("utf-8", "replace")
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pipe in (proc.stdin, proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
    answers = [json.loads(line) for line in out.decode("utf-8").splitlines() if line.strip()]
    return answers, code, err


def _call(n: int, tool: str, arguments: object) -> str:
    return json.dumps(
        {"jsonrpc": "2.0", "id": n, "method": "tools/call", "params": {"name": tool, "arguments": arguments}}
    )


def test_every_raw_mcp_request_gets_an_answer() -> None:
    lines = [
        _call(1, "search", {"query": "\ud800"}).replace("\\ud800", "\\ud800"),  # a lone surrogate escape
        _call(2, "get_record", {"id": "\ud800"}),
        _call(3, "cite", {"id": "\udcff"}),
        json.dumps({"jsonrpc": "2.0", "id": 4, "method": "tools/call", "params": "search"}),
        "[" * 100000 + "]" * 100000,
        _call(6, "search", {"query": "招商"}) + "\x00",
        json.dumps(
            {
                "jsonrpc": "2.0",
                "id": 7,
                "method": "resources/read",
                "params": {"uri": "beibei://paragraph/" + "9" * 5000},
            }
        ),
        "not json at all",
        _call(9, "search", {"query": "招商"}),  # a good request, written just before stdin closes
    ]
    answers, code, err = _mcp_exchange(lines)
    assert code == 0, err
    by_id = {a.get("id"): a for a in answers}
    for n in (1, 2, 3, 4, 7):
        assert n in by_id, (n, answers)
        assert "error" in by_id[n] or by_id[n]["result"].get("isError"), by_id[n]
    assert by_id[9]["result"].get("isError") is not True
    assert (
        sum(1 for a in answers if a.get("id") is None and a["error"]["code"] == -32700) == 3
    )  # the deep array, the NUL, the text
    assert "Traceback" not in err


def test_a_request_written_before_stdin_closes_is_answered() -> None:
    for _ in range(4):
        answers, code, _err = _mcp_exchange([_call(n, "list_metrics", {"limit": 1}) for n in range(1, 6)])
        assert code == 0 and sorted(a["id"] for a in answers) == [0, 1, 2, 3, 4, 5]


def test_a_client_that_stops_reading_ends_the_server_quietly() -> None:
    import subprocess

    from tests.conftest import PYTHON, python_env

    pytest.importorskip("mcp")
    proc = subprocess.Popen(
        [PYTHON, "-m", "beibei_cli", "mcp"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=python_env(),
    )
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the client's read end
    try:
        lines = [json.dumps(m) for m in _INIT] + [_call(n, "list_metrics", {}) for n in range(1, 20)]
        proc.stdin.write("".join(line + "\n" for line in lines).encode("utf-8"))
        proc.stdin.flush()
        code = proc.wait(timeout=40)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdin.close()
        err = proc.stderr.read().decode("utf-8", "replace")
        proc.stderr.close()
    assert code == 0 and err == "", err


# -- 9: a FIFO as input never blocks -------------------------------------------------


def _beibei(*args: str, timeout: float = 30, **env: str) -> tuple[int, str]:
    import subprocess

    from tests.conftest import PYTHON, python_env

    done = subprocess.run(
        [PYTHON, "-m", "beibei_cli", *args],
        capture_output=True,
        env=python_env(**env),
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return done.returncode, done.stdout.decode("utf-8", "replace") + done.stderr.decode("utf-8", "replace")


@posix_only
@pytest.mark.parametrize("where", ["--data", "--data (cache)", "source:", "validate --source", "api load"])
def test_a_fifo_as_input_is_refused_not_waited_on(tmp_path: Path, where: str) -> None:
    import subprocess

    from tests.conftest import PYTHON, python_env

    path = _copy(tmp_path)
    fifo = tmp_path / "d.fifo"
    os.mkfifo(fifo)
    if where == "--data":
        code, err = _beibei("--no-cache", "--data", str(fifo), "metrics")
    elif where == "--data (cache)":
        code, err = _beibei("--data", str(fifo), "metrics")
    elif where == "source:":
        path.write_text(
            path.read_text(encoding="utf-8").replace("  source: source.txt\n", "  source: d.fifo\n", 1),
            encoding="utf-8",
        )
        code, err = _beibei("--no-cache", "--data", str(path), "metrics")
    elif where == "validate --source":
        code, err = _beibei("validate", str(path), "--source", str(fifo))
    else:
        probe = "import sys, beibei_cli\ntry:\n    beibei_cli.load(sys.argv[1])\nexcept beibei_cli.DataError as e:\n    print(e, file=sys.stderr); sys.exit(2)"
        done = subprocess.run([PYTHON, "-c", probe, str(fifo)], capture_output=True, env=python_env(), timeout=30)
        code, err = done.returncode, done.stderr.decode()
    assert code == 2 and "is a FIFO" in err and len(err.strip().splitlines()) == (2 if "validate" in where else 1), err


def test_a_huge_max_bytes_is_no_limit_not_a_crash(run) -> None:  # type: ignore[no-untyped-def]
    r = run("--no-cache", "metrics", "-f", "json", env={"BEIBEI_MAX_BYTES": "99999999999999999999999"})
    assert r.code == 0 and r.err == "", r.err


# -- 14 and 17: digits are ASCII digits -------------------------------------------------


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("bound", ["--since", "--until"])
@pytest.mark.parametrize("date", ["２０２２", "٢٠٢١", "0000"])
def test_dates_in_other_digits_are_refused_not_misread(run, bound: str, date: str, fast: bool) -> None:  # type: ignore[no-untyped-def]
    r = run("timeline", bound, date, "-f", "json", fast=fast)
    assert r.code == 2 and bound in r.err and len(r.err.splitlines()) == 1, (r.code, r.err)


def test_dates_in_other_digits_are_refused_by_the_api_and_validate(tmp_path: Path) -> None:
    import beibei_cli
    from beibei_cli.errors import UsageError

    report = beibei_cli.load()
    assert len(report.timeline(since="2022")) > 0
    for bad in ("２０２２", "0000"):
        with pytest.raises(UsageError, match="since"):
            report.timeline(since=bad)
    path = _copy(tmp_path)
    for bad in ("２０２３", "0000"):
        path.write_text(
            DATA.read_text(encoding="utf-8").replace('    iso: "2023-01"\n', f'    iso: "{bad}"\n', 1), encoding="utf-8"
        )
        _, problems = __import__("beibei_cli.report", fromlist=["check"]).check(str(path))
        assert any("iso" in p["path"] and bad in p["message"] for p in problems), (bad, problems)


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize(
    "args",
    [
        ["search", "招商", "-n", "٣"],
        ["search", "招商", "-n", "３"],
        ["metrics", "-n", "1_0"],
        ["source", "--para", "٣"],
    ],
)
def test_counts_and_paragraphs_take_ascii_digits_only(run, args: list[str], fast: bool) -> None:  # type: ignore[no-untyped-def]
    r = run(*args, fast=fast)
    assert r.code == 2 and "ASCII digits" in r.err and len(r.err.splitlines()) == 1, (r.code, r.err)
    ok = run(*[a if a not in ("٣", "３", "1_0") else "3" for a in args], fast=fast)
    assert ok.code == 0, ok.err


# -- 11 and 12: bounded queries, honest errors ------------------------------------------


def test_a_huge_value_is_a_validation_problem_not_a_crash(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _copy(tmp_path)
    path.write_text(
        DATA.read_text(encoding="utf-8").replace(
            "    value: 5\n    unit: 年\n", "    value: 1" + "0" * 400 + "\n    unit: 年\n", 1
        ),
        encoding="utf-8",
    )
    r = run("validate", str(path))
    assert r.code == 2 and "metrics[0].value: value must be a finite number" in r.out, (r.out, r.err)
    r = run("--no-cache", "--data", str(path), "metrics")
    assert r.code == 2 and "internal error" not in r.err and "value" in r.err


@pytest.mark.parametrize("args", [["search", "-e", "\udcff"], ["search", "\udcff"]])
def test_an_undecodable_argument_is_a_usage_error(run, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    r = run(*args)
    assert r.code == 2 and "byte 0xff" in r.err and "internal error" not in r.err, r.err


def test_the_api_caps_queries_and_refuses_surrogates() -> None:
    import beibei_cli
    from beibei_cli.errors import UsageError

    report = beibei_cli.load()
    for query, regex, message in [
        ("x" * 1_000_000, True, "limit is 2000"),
        ("招" * 1_000_000, False, "limit is 2000"),
        ("\udcff", True, "byte 0xff"),
        ("\ud800", False, "lone surrogate"),
    ]:
        with pytest.raises(UsageError, match=message):
            report.search(query, regex=regex)
    assert report.search("招商")  # a query within the limit still answers


# -- 16: output paths ------------------------------------------------------------------


def test_export_to_a_missing_folder_is_refused_not_made_a_file(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "newdir"
    r = run("export", "-o", str(target) + "/")
    assert r.code == 2 and "no such directory" in r.err
    assert not target.exists()


def test_a_legal_long_file_name_can_be_written(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    name = "a" * 252 + ".md"  # 255 bytes: the longest name most file systems take
    r = run("export", "-o", str(tmp_path / name))
    assert r.code == 0, r.err
    assert (tmp_path / name).stat().st_size > 0
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left


# -- 10: table layout is linear in a name's length -------------------------------------


def test_table_layout_work_grows_linearly_with_a_long_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """Doubling a long name about doubles the characters the layout wraps (it was quadratic:
    the width was tried one cell at a time, wrapping the whole name each time)."""
    from beibei_cli.output import linebreak, terminal

    real = linebreak._wrap_line
    work = [0]

    def counting(text: str, width: int) -> list[tuple[int, int]]:
        work[0] += len(text)
        return real(text, width)

    monkeypatch.setattr(linebreak, "_wrap_line", counting)

    def cost(n: int) -> int:
        work[0] = 0
        for memo in (linebreak.atoms, linebreak._pieces, linebreak.line_count, linebreak.min_width):
            memo.cache_clear()
        rows = [{"id": "m1", "name": "规划" * (n // 2), "text": "5年", "quote": "未来5年"}]
        terminal.table(rows, ["id", "name", "text", "quote"], lang="zh", width=100, color=False)
        return work[0]

    small, large = cost(4000), cost(8000)
    assert small > 0 and large / small < 2.6, (small, large)


# -- 15: the Python API raises UsageError for every wrong type --------------------------


@pytest.mark.parametrize("path", [123, b"data/report.yaml", [123], {"a": 1}])
def test_load_refuses_a_path_of_the_wrong_type(path: object) -> None:
    import beibei_cli

    with pytest.raises(beibei_cli.UsageError, match="path must be text"):
        beibei_cli.load(path)  # type: ignore[arg-type]


@pytest.mark.parametrize("bound", [float("nan"), float("inf"), float("-inf")])
def test_a_bound_that_is_not_finite_is_refused_not_an_empty_answer(bound: float) -> None:
    import beibei_cli

    with pytest.raises(beibei_cli.UsageError, match="finite"):
        beibei_cli.load().metrics(kind="money", min=bound)


# -- 17: honest names for what is wrong -------------------------------------------------


@pytest.mark.parametrize(("encoding", "name"), [("utf-32", "UTF-32"), ("utf-32-be", "UTF-32"), ("utf-16", "UTF-16")])
def test_a_utf32_file_is_called_utf32(run, tmp_path: Path, encoding: str, name: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "report.yaml"
    text = "schema_version: 2\n"
    raw = text.encode(encoding)
    if encoding == "utf-32-be":
        raw = b"\x00\x00\xfe\xff" + raw
    path.write_bytes(raw)
    r = run("--no-cache", "--data", str(path), "info")
    assert r.code == 2 and f"is {name};" in r.err, r.err


@pytest.mark.parametrize("version", ["true", "2.0", "1.0"])
def test_schema_version_must_be_the_whole_number(tmp_path: Path, version: str) -> None:
    from beibei_cli.report import check

    path = _copy(tmp_path)
    path.write_text(
        DATA.read_text(encoding="utf-8").replace("schema_version: 2\n", f"schema_version: {version}\n", 1),
        encoding="utf-8",
    )
    data, problems = check(str(path))
    assert data is None and problems[0]["path"] == "schema_version", problems[:1]
    assert "expected schema_version: 2" in problems[0]["message"] and "version 1" not in problems[0]["message"]


@pytest.mark.parametrize(("key", "shown"), [("null", "null"), ("true", "true"), ("3", "3")])
def test_a_key_that_is_not_text_is_named_as_written(tmp_path: Path, key: str, shown: str) -> None:
    from beibei_cli.report import check

    path = _copy(tmp_path)
    text = DATA.read_text(encoding="utf-8").replace("\nreport:\n", f"\nreport:\n  {key}: x\n", 1)
    path.write_text(text, encoding="utf-8")
    _, problems = check(str(path))
    assert [p["path"] for p in problems] == [f"report.{shown}"], problems
    assert "None" not in problems[0]["message"] and "True" not in problems[0]["message"]


@pytest.mark.parametrize("args", [["show", "x" * 100_000], ["metrics", "--pillar", "p" * 100_000]])
def test_a_100_kb_argument_is_not_echoed_whole(run, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    r = run(*args)
    assert r.code == 2 and len(r.err) < 1000 and "more characters" in r.err, len(r.err)
    assert len(r.err.splitlines()) == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0x32", "decimal digits"),
        ("1_000", "decimal digits"),
        ("1" + "0" * 4400, "at most 4000 are read"),
        ("1.0e+400", "finite number"),
        (".nan", "finite number"),
    ],
)
def test_a_value_is_a_plain_decimal_number(tmp_path: Path, value: str, message: str) -> None:
    from beibei_cli.report import check

    path = _copy(tmp_path)
    text = DATA.read_text(encoding="utf-8").replace(
        "    value: 5\n    unit: 年\n", f"    value: {value}\n    unit: 年\n", 1
    )
    path.write_text(text, encoding="utf-8")
    data, problems = check(str(path))
    assert data is None and any(message in p["message"] for p in problems), problems
    assert not any("set_int_max_str_digits" in p["message"] for p in problems)


# -- 10, 13 and 17, the rest: a bounded field, the limit on a cached report, bytes as bytes --------


def test_a_field_longer_than_the_limit_is_refused_with_its_position(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A 1 MB name passed validate and then cost a minute to index: now validate (and every
    load) refuses a text field over schema.MAX_FIELD_CHARS, naming where it is."""
    from beibei_cli.schema import MAX_FIELD_CHARS

    path = _copy(tmp_path)
    text = DATA.read_text(encoding="utf-8")
    at = text.index("\n    name: ", text.index("\nmetrics:"))
    end = text.index("\n", at + 1)
    line = text[: at + 1].count("\n") + 1
    for size, refused in ((MAX_FIELD_CHARS, False), (MAX_FIELD_CHARS + 1, True)):
        path.write_text(text[:at] + "\n    name: " + "研" * size + text[end:], encoding="utf-8")
        checked = run("validate", str(path))
        if not refused:
            assert checked.code == 0, checked.out
            continue
        assert checked.code == 2 and f"report.yaml:{line}:11: metrics[0].name: is 20,001 characters long" in checked.out
        loaded = run("--no-cache", "--data", str(path), "metrics", "-f", "json")
        assert loaded.code == 2 and "the limit for a field is 20,000" in loaded.err and loaded.out == ""


def test_max_bytes_holds_for_a_cached_report(run, tmp_path: Path, own_cache: Path) -> None:  # type: ignore[no-untyped-def]
    path = _copy(tmp_path)
    assert run("--data", str(path), "metrics", "-f", "json").code == 0  # now cached
    limited = run("--data", str(path), "metrics", "-f", "json", env={"BEIBEI_MAX_BYTES": "1000"})
    assert limited.code == 2 and "over the 1000-byte limit" in limited.err and limited.out == ""
    assert run("--data", str(path), "metrics", "-f", "json").code == 0  # and the limit's gone with the variable


@pytest.mark.parametrize("args", [["metrics", "--pillar", "a\udcff"], ["show", "x\udcfe"], ["metrics", "-f", "\udcff"]])
def test_an_undecodable_byte_in_an_argument_is_shown_as_that_byte(run, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    done = run(*args)
    assert done.code == 2 and "\\udc" not in done.err and ("\\xff" in done.err or "\\xfe" in done.err), done.err


@posix_only
@pytest.mark.parametrize(("args", "code"), [(["show", "nope"], 2), (["export", "-o", "{out}"], 0)])
def test_a_full_stderr_does_not_change_the_exit_code(tmp_path: Path, args: list[str], code: int) -> None:
    import subprocess

    from tests.conftest import PYTHON, python_env

    argv = [a.replace("{out}", str(tmp_path / "x.md")) for a in args]
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [PYTHON, "-m", "beibei_cli", *argv], stdout=subprocess.DEVNULL, stderr=full, env=python_env(), timeout=60
        )
    assert done.returncode == code


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["trend", "\udcff"], "the trend query is not valid text: byte 0xff at character 1"),
        (["trend", "招" * 2001], "the trend query has 2001 characters; the limit is 2000"),
        (["trend", *[str(n) for n in range(300)]], "too many trend terms (300); the limit is 256"),
        (["source", "--grep", "\udcff"], "the --grep text is not valid text: byte 0xff"),
    ],
)
def test_trend_and_grep_have_the_bounds_search_has(run, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    done = run(*args)
    assert done.code == 2 and message in done.err and done.out == "", done.err


def test_the_api_trend_has_the_bounds_too() -> None:
    import beibei_cli
    from beibei_cli.errors import UsageError

    with pytest.raises(UsageError, match="lone surrogate"):
        beibei_cli.load().trend(terms=["\ud800"])
    with pytest.raises(UsageError, match="too many trend terms"):
        beibei_cli.load().trend(terms=["x"] * 5000)


def test_a_colour_sequence_in_an_output_path_is_shown_escaped(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    missing = run("search", "招商", "-o", str(tmp_path / "nope" / "\x1b[31m.json"))
    assert missing.code == 2 and "\x1b" not in missing.err and "\\x1b[31m.json" in missing.err, missing.err
    written = run("metrics", "-o", str(tmp_path / "esc\x1b[31m.json"))
    assert written.code == 0 and "\x1b" not in written.err and "esc\\x1b[31m.json" in written.err


def test_validate_counts_every_problem(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """0.3.0 ended 3,000 problems with "1001 处问题": every problem is listed and counted."""
    path = _copy(tmp_path)
    text = DATA.read_text(encoding="utf-8")
    bogus = "".join(f"  bogus{k}: 1\n" for k in range(3000))
    path.write_text(text.replace("report:\n", "report:\n" + bogus, 1), encoding="utf-8")
    done = run("validate", str(path))
    assert done.code == 2 and len(done.out.splitlines()) == 3000
    assert done.err.strip().endswith("：3000 处问题"), done.err
