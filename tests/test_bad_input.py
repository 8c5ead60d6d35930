"""Hostile and broken input: a clear one-line error and exit 2, never a traceback or a hang."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beibei_cli import report as report_mod
from beibei_cli.errors import BeibeiError
from tests.conftest import DATA, PYTHON, SOURCE, python_env

REPORT = DATA.read_text(encoding="utf-8")


def bomb(levels: int = 9) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    prev = "a"
    for i in range(1, levels):
        name = chr(ord("a") + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
        prev = name
    return "\n".join(lines) + "\n"


def with_source(tmp: Path, text: str | bytes, name: str = "report.yaml") -> Path:
    path = tmp / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    (tmp / "source.txt").write_bytes(SOURCE.read_bytes())
    return path


CASES = [
    # (name, file content or None for "no such file", message fragment)
    ("missing", None, "no such report file"),
    ("empty", "", "is empty"),
    ("blank", "  \n\n", "is empty"),
    ("syntax", "a: [1, 2\n", "YAML syntax error"),
    ("tab-indent", "report:\n\t- x\n", "YAML syntax error"),
    ("not-a-mapping", "- 1\n- 2\n", "must be a mapping"),
    ("unsafe-tag", '!!python/object/apply:os.system ["echo PWNED"]\n', "unsupported YAML tag"),
    ("unsafe-nested", "report: !!python/name:os.system\n", "unsupported YAML tag"),
    ("bomb", bomb(), "alias/anchor bomb"),
    ("gbk", "schema_version: 1\nreport:\n  title: 北碚\n".encode("gb18030"), "iconv -f GB18030 -t UTF-8"),
    ("utf16", "schema_version: 1\n".encode("utf-16"), "UTF-16"),
    ("latin1", b"title: caf\xe9\n", "not valid UTF-8"),
    ("binary", bytes(range(256)), "binary"),
    ("wrong-type", REPORT.replace("value: 53.16", 'value: "abc"', 1), "metrics["),
    ("missing-field", REPORT.replace("    name: 森林覆盖率\n", "", 1), ".name: required field is missing"),
    (
        "unknown-key",
        REPORT.replace("schema_version: 2\n", "schema_version: 2\nextra: 1\n", 1),
        "unknown top-level key 'extra'",
    ),
    (
        "unknown-field",
        REPORT.replace("    value: 53.16\n", "    value: 53.16\n    colour: red\n", 1),
        "unknown field 'colour'",
    ),
    (
        "duplicate-id",
        REPORT.replace("id: metric-rd-spending", "id: metric-rd-intensity", 1),
        "duplicate id 'metric-rd-intensity'",
    ),
    (
        "dangling-ref",
        REPORT.replace("pillar: tech-innovation", "pillar: tech-inovation", 1),
        "'tech-inovation' is not the id of any pillar",
    ),
    (
        "bad-quote",
        REPORT.replace("全区森林覆盖率53.16%", "全区森林覆盖率99%", 1),
        "is not in the quote (and 1 more",
    ),  # the first problem; validate lists both
    ("bad-schema-version", REPORT.replace("schema_version: 2", "schema_version: 9", 1), "schema_version"),
    ("bad-date", REPORT.replace('iso: "1949-12-08"', 'iso: "1949-13-08"', 1), "month out of range"),
    ("unquoted-date", REPORT.replace('iso: "1949-12-08"', "iso: 1949-12-08", 1), "quote it"),
    ("duplicate-key", "schema_version: 1\nschema_version: 1\n", "duplicate key"),
]


@pytest.mark.parametrize("name, content, fragment", CASES, ids=[c[0] for c in CASES])
def test_bad_report_files(run, tmp_path: Path, name: str, content: str | bytes | None, fragment: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "report.yaml" if content is None else with_source(tmp_path, content)
    before = None if content is None else path.read_bytes()
    started = time.monotonic()
    r = run("--data", str(path), "metrics", "--format", "json")
    assert time.monotonic() - started < 10
    assert r.code == 2, r.err
    assert r.out == ""
    assert fragment in r.err, r.err
    assert r.err.startswith("beibei: ") and "Traceback" not in r.err
    assert str(path) in r.err.splitlines()[0]
    if before is not None:
        assert path.read_bytes() == before  # nothing changed


def test_validate_lists_every_problem_with_positions(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    broken = REPORT.replace("value: 53.16", 'value: "abc"', 1).replace("pillar: tech-innovation", "pillar: nowhere", 1)
    path = with_source(tmp_path, broken)
    r = run("validate", str(path))
    assert r.code == 2
    lines = r.out.splitlines()
    assert len(lines) == 2
    for line in lines:
        file, line_no, col, rest = line.split(":", 3)
        assert file == str(path) and int(line_no) > 1 and int(col) >= 1 and "." in rest.split(":")[0]
    assert "expected a number" in r.out and "'nowhere'" in r.out
    as_json = json.loads(run("validate", str(path), "--format", "json").out)
    assert {p["path"].split(".")[-1] for p in as_json} == {"value", "pillar"}


def test_validate_clean_file_and_source_option(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run("validate").code == 0
    path = with_source(tmp_path, REPORT)
    assert run("validate", str(path)).code == 0
    other = tmp_path / "other.txt"
    other.write_text("完全不同的文章。\n", encoding="utf-8")
    r = run("validate", str(path), "--source", str(other))
    assert r.code == 2 and "not found verbatim" in r.out and r.out.count("\n") > 20
    missing = run("validate", str(path), "--source", str(tmp_path / "nope.txt"))
    assert missing.code == 2 and "no such source text" in missing.out


def test_unreadable_source_is_one_more_problem(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    broken = REPORT.replace("value: 53.16", 'value: "abc"', 1)
    path = tmp_path / "r.yaml"
    path.write_text(broken, encoding="utf-8")  # no source.txt beside it
    r = run("validate", str(path))
    assert "no such source text" in r.out and "expected a number" in r.out


def test_permission_denied(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    path = with_source(tmp_path, REPORT)

    real_open = os.open

    def denied(name: object, *args: object, **kwargs: object) -> int:  # the report is opened with os.open
        if str(name) == str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(report_mod.os, "open", denied)
    r = run("--no-cache", "--data", str(path), "metrics")
    assert r.code == 2 and "permission denied" in r.err


def test_oversize_file_is_refused_before_parsing(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = with_source(tmp_path, REPORT)
    r = run("--data", str(path), "metrics", env={"BEIBEI_MAX_BYTES": "1000"})
    assert r.code == 2 and "over the 1000-byte limit" in r.err and "BEIBEI_MAX_BYTES" in r.err
    bad = run("--data", str(path), "metrics", env={"BEIBEI_MAX_BYTES": "lots"})
    assert bad.code == 2 and "BEIBEI_MAX_BYTES" in bad.err


def test_utf8_bom_is_accepted(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = with_source(tmp_path, b"\xef\xbb\xbf" + REPORT.encode("utf-8"))
    assert run("--data", str(path), "metrics", "-f", "json").code == 0


def test_data_from_environment(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = with_source(
        tmp_path,
        REPORT.replace("title: 聚焦", "title: 测试聚焦", 1).replace(
            "heading: null\n    title: 导语", "heading: null\n    title: 导语", 1
        ),
    )
    # the title is not quoted, so changing it keeps the file valid
    info = json.loads(run("info", "-f", "json", env={"BEIBEI_DATA": str(path)}).out)
    assert info["title"].startswith("测试聚焦") and info["data_file"] == str(path)
    cli_wins = json.loads(run("--data", str(DATA), "info", "-f", "json", env={"BEIBEI_DATA": str(path)}).out)
    assert cli_wins["title"].startswith("聚焦")


@pytest.mark.parametrize("cache_dir", ["/proc/beibei-cannot-exist", "/dev/null/cache"])
def test_unwritable_cache_degrades_to_no_cache(run, cache_dir: str) -> None:  # type: ignore[no-untyped-def]
    r = run("metrics", "-f", "json", env={"BEIBEI_CACHE_DIR": cache_dir})
    assert r.code == 0 and json.loads(r.out) and r.err == ""
    s = run("search", "招商", "-l", env={"BEIBEI_CACHE_DIR": cache_dir})
    assert s.code == 0 and "case-investment-system" in s.out


def test_read_only_home_without_cache_env(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = python_env(HOME=str(home / "missing" / "x"), XDG_CACHE_HOME="/dev/null/x", PAGER="/nonexistent/pager")
    env.pop("BEIBEI_CACHE_DIR", None)
    done = subprocess.run(
        [PYTHON, "-m", "beibei_cli", "search", "招商", "-l"], capture_output=True, env=env, timeout=60
    )
    assert done.returncode == 0 and done.stderr == b"" and b"case-investment-system" in done.stdout


def test_corrupt_cache_is_rebuilt(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cache = tmp_path / "cache"
    env = {"BEIBEI_CACHE_DIR": str(cache)}
    first = run("metrics", "-f", "json", env=env).out
    files = list(cache.glob("report-*.marshal"))
    assert files
    for f in files:
        f.write_bytes(b"\x00garbage" * 10)
    again = run("metrics", "-f", "json", env=env)
    assert again.code == 0 and again.out == first
    assert run("cache", "clear", env=env).code == 0
    assert not list(cache.glob("*.marshal"))


def test_stale_cache_follows_the_file(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = with_source(tmp_path, REPORT)
    assert run("--data", str(path), "info", "-f", "json").code == 0
    path.write_text(REPORT.replace("value: 53.16", 'value: "abc"', 1), encoding="utf-8")
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
    assert run("--data", str(path), "info", "-f", "json").code == 2  # never served from the old cache


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["search", ""], "empty"),
        (["search", "--regex", "[unclosed"], "invalid regular expression"),
        (["metrics", "--fields", "id,colour"], "unknown field 'colour'"),
        (["metrics", "--pillar", "tourism"], "valid pillars"),
        (["metrics", "--limit", "-1"], "not in the range"),
        (["bogus"], "No such command"),
        (["metrics", "--bogus"], "No such option"),
        (["--lang", "fr", "metrics"], "fr"),
        (["show", ""], "the record id is empty"),
    ],
)
def test_bad_arguments(run, args: list[str], fragment: str) -> None:  # type: ignore[no-untyped-def]
    r = run(*args)
    assert r.code == 2 and fragment in r.err and len(r.err.strip().splitlines()) == 1


# -- fuzzing -------------------------------------------------------------------

yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20))
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=20,
)


def _load_outcome(path: Path) -> None:
    try:
        report_mod.load_report(str(path), use_cache=False)
    except BeibeiError as exc:
        assert exc.message and "\n" not in exc.message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=yaml_values)
def test_fuzz_random_documents(tmp_path: Path, doc: object) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    _load_outcome(path)


LINES = REPORT.splitlines(keepends=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzz_mutations_of_the_real_report(tmp_path: Path, data: st.DataObject) -> None:
    lines = list(LINES)
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(lines) - 1))
        op = data.draw(st.sampled_from(["delete", "duplicate", "swap", "char", "indent"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif op == "char" and lines[i].strip():
            j = data.draw(st.integers(0, len(lines[i]) - 1))
            ch = data.draw(
                st.sampled_from([":", "-", '"', "'", "&", "*", "!", "#", "[", "{", "x", "9", " ", "\t", "\x00"])
            )
            lines[i] = lines[i][:j] + ch + lines[i][j + 1 :]
        elif op == "indent":
            lines[i] = "  " + lines[i]
    path = with_source(tmp_path, "".join(lines))
    _load_outcome(path)


@pytest.mark.parametrize("joins", ["  line_joins:\n    -\n", "  line_joins:\n    - 7\n", "  line_joins: 一行\n"])
def test_a_malformed_line_join_is_a_problem_not_a_crash(run, tmp_path: Path, joins: str) -> None:  # type: ignore[no-untyped-def]
    """Found by the fuzz test above: a null item of line_joins was exit 70 (AttributeError)."""
    start = REPORT.index("  line_joins:\n")
    end = REPORT.index("\n", REPORT.index("    - ", start)) + 1
    path = with_source(tmp_path, REPORT[:start] + joins + REPORT[end:])
    done = run("--data", str(path), "info", "--format", "json")
    assert done.code == 2 and "line_joins" in done.err and "internal error" not in done.err


def test_validate_reports_loader_errors_with_their_position(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = with_source(tmp_path, "a: [1, 2\n")
    problems = json.loads(run("validate", str(path), "--format", "json").out)
    assert [(p["line"], p["col"], p["path"]) for p in problems] == [(2, 1, "")]
    assert problems[0]["message"].startswith("YAML syntax error")
    missing = json.loads(run("validate", str(tmp_path / "nope.yaml"), "--format", "json").out)
    assert missing[0]["line"] is None and "no such report file" in missing[0]["message"]


# -- --regex runs in linear time (RE2) ---------------------------------------------

PATHOLOGICAL = [r"(\S+)+!", r"(.*)*x", r"(a|aa)+$", r"([^，]+)+。。", r"(\w+\s?)+\$"]

TIMED_SEARCH = """
import sys, time
from beibei_cli.report import load_report
from beibei_cli.search.query import Index, search
index = Index(load_report(None).index())
search(index, ["x"], regex=True)
for pattern in sys.argv[1:]:
    started = time.perf_counter()
    search(index, [pattern], regex=True)
    print(pattern, time.perf_counter() - started)
"""


def test_pathological_patterns_finish_fast() -> None:
    """Each ran past 20 s with Python's backtracking engine; RE2 takes milliseconds.
    The child is killed after 60 s, so the old engine fails this test rather than hanging it."""
    done = subprocess.run(
        [PYTHON, "-c", TIMED_SEARCH, *PATHOLOGICAL], capture_output=True, env=python_env(), timeout=60, text=True
    )
    assert done.returncode == 0, done.stderr
    times = {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1]) for line in done.stdout.splitlines()}
    assert set(times) == set(PATHOLOGICAL)
    assert max(times.values()) < 2, times


@pytest.mark.parametrize(
    "pattern, feature",
    [
        (r"(招商)\1", "backreferences"),
        (r"招商(?=体系)", "lookahead"),
        (r"招商(?!体系)", "negative lookahead"),
        (r"(?<=全力)招商", "lookbehind"),
        (r"(?<!全力)招商", "negative lookbehind"),
        (r"(?P<x>招)(?P=x)", "named backreferences"),
        (r"(?>招商)", "atomic groups"),
        (r"招++", "possessive quantifiers"),
    ],
)
def test_regex_features_re2_lacks_are_named(run, pattern: str, feature: str) -> None:  # type: ignore[no-untyped-def]
    r = run("search", "--regex", pattern)
    assert r.code == 2 and r.out == ""
    assert r.err.startswith(f"beibei: --regex '{pattern}': {feature} ")
    assert "not supported (RE2 syntax" in r.err and len(r.err.splitlines()) == 1


def test_regex_still_finds_and_ignores_case(run) -> None:  # type: ignore[no-untyped-def]
    r = run("search", "--regex", "招商.{0,4}体系", "-l")
    assert r.code == 0 and "case-investment-system" in r.out
    upper = run("search", "--regex", "GDP", "-l")
    lower = run("search", "--regex", "gdp", "-l")
    assert upper.code == 0 and upper.out == lower.out
