"""The start-up fast path and the Typer app are one command line.

The fast path and the Typer app both read the declarations of ``declare.py``.
These tests check that every declared command has its handler, that the fast path
takes the common vectors (or it would be pointless) and declines the rest, and
-- with hypothesis -- that on any argument vector built from the spec both
parsers give byte-identical stdout, stderr and exit code.
"""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beibei_cli import commands, entry, fastpath
from tests.conftest import DATA

SPEC = fastpath.load_spec()

FAST = [
    ["metrics", "--format", "json"],
    ["metrics", "-f", "tsv", "--pillar", "科技创新", "--sort", "value", "-r", "--limit", "4"],
    ["metrics", "--format=csv", "--no-header", "--fields", "id,value"],
    ["metrics", "--section", "results", "-f", "yaml"],
    ["metrics", "--pillar", "nope"],
    ["metrics", "--fields", "id,bogus"],
    ["metrics", "-rn3", "-fjson"],
    ["metrics", "-n", "2", "-n", "3", "-f", "json"],
    ["pillars", "--detail", "--format", "json"],
    ["pillars", "-f", "jsonl", "-n", "1"],
    ["show", "metric-rd-intensity", "--format", "json"],
    ["show", "tech-innovation"],
    ["show", "no-such-id"],
    ["info", "--format", "json"],
    ["search", "招商", "--format", "json"],
    ["search", "zhaoshang", "-l"],
    ["search", "招商", "2022", "--count"],
    ["search", "不存在", "-f", "json"],
    ["search", "--regex", "\\d+亿元", "-f", "jsonl", "--limit", "3"],
    ["search", "-q", "招商"],
    ["search", "--", "-x"],
    ["search", "招商", "--any", "2099"],
    ["--lang", "en", "pillars", "-f", "json"],
    ["--lang", "EN", "pillars", "-f", "json"],
    ["pillars", "-f", "json", "--lang", "en"],
    ["--no-cache", "metrics", "-f", "json", "--limit", "2"],
    ["timeline", "--since", "2022", "-f", "json", "-n", "2"],
    ["entities", "--type", "company", "-f", "tsv"],
    ["source", "--para", "31"],
    ["source", "-f", "json", "-n", "1"],
    ["cite", "para-31", "--format", "md"],
    ["--version"],
    ["--debug", "metrics", "--format", "json"],
]

DECLINED = [
    ["--help"],
    ["metrics", "--help"],
    ["metrics", "--frmat", "json"],
    ["metrics", "--format", "xml"],
    ["metrics", "--limit", "x"],
    ["metrics", "--limit", "-1"],
    ["nosuchcommand"],
    ["cache", "clear"],
    ["show"],
    ["metrics", "-f=json"],
    ["--install-completion"],
    [],
]


def test_spec_holds_no_hand_kept_names() -> None:
    """Every command and global of the app is in the spec, and the fast path reads them all generically."""
    import inspect

    names = {p["name"] for p in SPEC["globals"] if p["expose"]}
    assert names == set(inspect.signature(commands.Ctx).parameters)
    declared = set(SPEC["commands"]) | {f"{g} {sub}" for g, subs in SPEC["groups"].items() for sub in subs}
    assert set(commands.HANDLERS) == declared
    for name, command in SPEC["commands"].items():
        params = inspect.signature(commands.HANDLERS[name]).parameters
        if any(p.kind == p.VAR_KEYWORD for p in params.values()):  # takes every declared value by name
            continue
        assert {p["name"] for p in command["params"] if p["expose"]} == set(params) - {"ctx"}


@pytest.mark.parametrize("args", FAST, ids=" ".join)
def test_fast_path_takes_these(args: list[str]) -> None:
    fastpath.parse(SPEC, fastpath.prepare(SPEC, args))  # does not decline


@pytest.mark.parametrize("args", DECLINED, ids=" ".join)
def test_fast_path_declines_these(args: list[str]) -> None:
    with pytest.raises(fastpath.Decline):
        fastpath.parse(SPEC, fastpath.prepare(SPEC, args))


@pytest.fixture(autouse=True)
def _in_a_scratch_folder(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Generated vectors are shuffled, so ``-o`` may meet any word ("nothing", 招商) and write
    that file: the working folder of these tests is a scratch one, never the checkout."""
    monkeypatch.chdir(tmp_path)


def invoke(args: list[str], *, fast: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[int, bytes, bytes]:
    """One in-process run through the real entry point, forced down one path."""
    if fast:
        monkeypatch.delenv("BEIBEI_NO_FASTPATH", raising=False)
    else:
        monkeypatch.setenv("BEIBEI_NO_FASTPATH", "1")
    out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    with redirect_stdout(out), redirect_stderr(err):
        code = entry.run(list(args))
        out.flush()
        err.flush()
    stderr = err.buffer.getvalue()  # type: ignore[attr-defined]
    if code == 70:  # an internal error's traceback (--debug) shows each parser's own frames
        stderr = stderr.splitlines()[-1]
    stdout = out.buffer.getvalue()  # type: ignore[attr-defined]
    if stdout.startswith(b"PK"):  # an xlsx workbook: its creation time differs from run to run
        stdout = _without_creation_time(stdout)
    return int(code), stdout, stderr


def _without_creation_time(book: bytes) -> bytes:
    """The workbook's parts but docProps/core.xml (which holds the time it was made)."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        return b"".join(archive.read(n) for n in sorted(archive.namelist()) if n != "docProps/core.xml")


@pytest.mark.parametrize("args", FAST, ids=" ".join)
def test_both_paths_agree(args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert invoke(args, fast=True, monkeypatch=monkeypatch) == invoke(args, fast=False, monkeypatch=monkeypatch)


def test_env_defaults_are_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BEIBEI_LANG", "en")
    fast = invoke(["pillars", "-f", "json"], fast=True, monkeypatch=monkeypatch)
    assert fast == invoke(["pillars", "-f", "json"], fast=False, monkeypatch=monkeypatch)
    assert b'"name_zh"' in fast[1]


# -- argument vectors generated from the spec ------------------------------------

TEXT = ["招商", "zhaoshang", "zs", "經濟", "科技创新", "tech", "2022", "2022-06", "id,name", "id,bogus", "", ",",
        "metric-rd-intensity", "para-31", "tech-innovation", "cases,metrics", "nothing", "results", "(", "\\d+亿元",
        "-x", "--lang", "31", "428亿"]  # fmt: skip
PATHS = [str(DATA), "no-such-report.yaml"]
OUTPUT_FILE_OPTIONS = {"output_path"}  # would write into the working folder: only '-' (stdout)


def values_for(param: dict, well_formed: bool = False) -> st.SearchStrategy[str]:  # type: ignore[type-arg]
    """Values for a parameter; unless ``well_formed``, some of them bad."""
    if param["name"] in OUTPUT_FILE_OPTIONS:
        return st.just("-")
    if param["choices"]:
        options = list(param["choices"])
        if not param["case_sensitive"]:
            options += [c.upper() for c in param["choices"]]
        return st.sampled_from(options if well_formed else options + ["bogus"])
    if param["type"] == "int":
        low = param["min"] if param["min"] is not None else -2
        edges = st.sampled_from([-1, 0, 1, 3]).filter(lambda n: well_formed is False or n >= low)
        numbers = (edges | st.integers(low, 60)).map(str)
        return numbers if well_formed else numbers | st.sampled_from(["x", "-2", " 7"])
    if param["type"] == "path":
        return st.just(str(DATA)) if well_formed else st.sampled_from(PATHS)
    return st.sampled_from([t for t in TEXT if not (well_formed and t.startswith("-"))])


def option_tokens(param: dict, well_formed: bool) -> st.SearchStrategy[list[str]]:  # type: ignore[type-arg]
    names = param["opts"] + param["secondary"]
    if param["flag"]:
        return st.sampled_from(names).map(lambda n: [n])
    value = values_for(param, well_formed)
    long_names = [n for n in names if n.startswith("--")]
    forms = [st.tuples(st.sampled_from(names), value).map(list)]
    if long_names:
        forms.append(st.tuples(st.sampled_from(long_names), value).map(lambda t: [f"{t[0]}={t[1]}"]))
    return st.one_of(forms)


@st.composite
def argvs(draw: st.DrawFn, well_formed: bool = False) -> list[str]:
    name = draw(st.sampled_from(sorted(SPEC["commands"])))
    params = [p for p in SPEC["commands"][name]["params"] if p["expose"]]
    globals_ = [p for p in SPEC["globals"] if p["expose"]]
    chosen = draw(st.lists(st.sampled_from([p for p in params if p["kind"] == "option"] or [None]), max_size=4))
    tokens = [t for p in chosen if p is not None for t in draw(option_tokens(p, well_formed))]
    for p in params:
        if p["kind"] == "argument":
            count = draw(st.integers(1 if p["required"] else 0, 3 if p["nargs"] == -1 else 1))
            tokens += draw(st.lists(values_for(p, well_formed), min_size=count, max_size=count))
    tokens = draw(st.permutations(tokens)) if not well_formed else tokens
    before: list[str] = []
    after: list[str] = []
    for p in draw(st.lists(st.sampled_from(globals_), max_size=2, unique_by=lambda p: p["name"])):
        (before if draw(st.booleans()) else after).extend(draw(option_tokens(p, True)))
    if not well_formed:
        extra = draw(st.sampled_from([[], [], ["--"], ["--bogus"], ["-h"], ["-Z"]]))
        tokens = tokens + extra if draw(st.booleans()) else extra + tokens
    return before + [name] + after + tokens


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(args=argvs())
def test_both_parsers_agree_on_generated_vectors(args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert invoke(args, fast=True, monkeypatch=monkeypatch) == invoke(args, fast=False, monkeypatch=monkeypatch)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(args=argvs(well_formed=True))
def test_fast_path_takes_well_formed_vectors(args: list[str]) -> None:
    """Without this the differential test could pass by the fast path declining everything."""
    fastpath.parse(SPEC, fastpath.prepare(SPEC, args))


def test_no_cache_writes_nothing(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    cache = tmp_path / "cache"
    monkeypatch.setenv("BEIBEI_CACHE_DIR", str(cache))
    for args in (["--no-cache", "metrics", "-f", "json"], ["search", "招商", "--no-cache"], ["--no-cache", "--help"]):
        for fast in (True, False):
            invoke(args, fast=fast, monkeypatch=monkeypatch)
    assert not cache.exists() or not any(cache.rglob("*"))
