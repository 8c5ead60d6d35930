"""The Python API: cheap to import, the same rows as the CLI's JSON, documented errors, doctests."""

from __future__ import annotations

import doctest
import json
import subprocess
import sys
import types
from typing import Any

import pytest

import beibei_cli
from beibei_cli import api
from beibei_cli.errors import BeibeiError, DataError, UsageError
from tests.conftest import DATA, PYTHON, ROOT, python_env


@pytest.fixture(scope="module")
def report() -> api.Report:
    return beibei_cli.load()


def test_import_beibei_cli_imports_nothing_but_itself() -> None:
    """The CLI's fast path imports the package on every run: it must stay a few lines of stdlib."""
    probe = (
        "import sys; before = set(sys.modules); import beibei_cli; print(','.join(sorted(set(sys.modules) - before)))"
    )
    done = subprocess.run([PYTHON, "-c", probe], capture_output=True, text=True, env=python_env(), timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "beibei_cli,beibei_cli.about"  # about: the version, a leaf


def test_public_names_resolve_lazily() -> None:
    # the package lists the API's names itself (importing api would cost start-up): the two lists agree
    assert set(beibei_cli.__all__) == set(api.__all__) | {"__version__"}
    for name in beibei_cli.__all__:
        assert getattr(beibei_cli, name) is not None
        assert name in dir(beibei_cli)
    assert beibei_cli.load is api.load and beibei_cli.UsageError is UsageError
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        beibei_cli.nope  # noqa: B018


@pytest.mark.parametrize("module", [api, beibei_cli], ids=["api", "package"])
def test_docstring_examples_run(module: types.ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted > 0
    assert result.failed == 0


CASES: list[tuple[list[str], Any]] = [
    (["metrics"], lambda r: r.metrics()),
    (
        ["metrics", "--pillar", "科技创新", "--sort", "value", "-r"],
        lambda r: r.metrics(pillar="科技创新", sort="value", reverse=True),
    ),
    (["metrics", "--section", "results", "-n", "3"], lambda r: r.metrics(section="results", limit=3)),
    (["metrics", "-n", "0"], lambda r: r.metrics(limit=0)),
    (["pillars"], lambda r: r.pillars()),
    (["pillars", "--detail"], lambda r: r.pillars(detail=True)),
    (["search", "招商"], lambda r: r.search("招商")),
    (["search", "zhaoshang", "--in", "cases,metrics"], lambda r: r.search("zhaoshang", kinds="cases,metrics")),
    (["search", "招商", "生态", "--any", "-n", "5"], lambda r: r.search(["招商", "生态"], any_term=True, limit=5)),
    (["search", "--regex", "20[0-9]{2}年", "-C", "5"], lambda r: r.search("20[0-9]{2}年", regex=True, context=5)),
    (["timeline", "--since", "2022"], lambda r: r.timeline(since="2022")),
    (["entities", "--type", "company"], lambda r: r.entities(type="company")),
    (["source", "--grep", "招商"], lambda r: r.source(grep="招商")),
]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("args", "call"), CASES, ids=[" ".join(a) for a, _ in CASES])
def test_rows_are_the_cli_json(run, report: api.Report, lang: str, args: list[str], call: Any) -> None:  # type: ignore[no-untyped-def]
    done = run("--lang", lang, *args, "--format", "json")
    assert done.code == 0, done.err
    rows = call(report.with_lang(lang))
    assert json.loads(json.dumps(rows)) == json.loads(done.out)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_get_info_and_cite_are_the_cli_output(run, report: api.Report, lang: str) -> None:  # type: ignore[no-untyped-def]
    localized = report.with_lang(lang)
    for rid in ("metric-rd-intensity", "tech-innovation", "org-swu", "para-31", "case-sitaibao-chip-line"):
        assert localized.get(rid) == json.loads(run("--lang", lang, "show", rid, "-f", "json").out)
    assert localized.info() == json.loads(run("--lang", lang, "info", "-f", "json").out)
    # the API's citation is the command's line without its newline (it is a string to paste)
    assert localized.cite("metric-rd-intensity") + "\n" == run("--lang", lang, "cite", "metric-rd-intensity").out
    assert localized.cite("para-31", format="md") + "\n" == run("--lang", lang, "cite", "para-31", "-f", "md").out
    assert not localized.cite("metric-rd-intensity").endswith("\n")


def test_search_says_what_kind_of_answer_it_is(report: api.Report) -> None:
    found, related, absent = report.search("招商"), report.search("GDP增长"), report.search("人口")
    assert (found.answer, related.answer, absent.answer) == ("found", "related", "not-stated")
    assert isinstance(found, list) and found and related and absent == []
    assert report.search("GDP增长", limit=1).answer == "related"  # the first hits tell the whole answer
    assert report.search("private companies").answer == "found"


def test_no_match_is_an_empty_list(report: api.Report) -> None:
    assert report.search("量子计算机") == []


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda r: r.metrics(pillar="nowhere"), "unknown pillar 'nowhere'"),
        (lambda r: r.metrics(sort="size"), "unknown sort 'size'"),
        (lambda r: r.metrics(limit=-1), "limit must be 0 or more, got -1"),
        (lambda r: r.search(""), "the search query is empty"),
        (lambda r: r.search("招商", kinds="widgets"), "unknown scope 'widgets'"),
        (lambda r: r.search("招商", kinds=[]), "is empty; choose from cases"),
        (lambda r: r.search("招商", context=-1), "context must be 0 or more"),
        (lambda r: r.timeline(limit=True), "limit must be a whole number"),
        (lambda r: r.search("(", regex=True), "invalid regular expression"),
        (lambda r: r.get("metric-rd"), "no record with id 'metric-rd'; did you mean metric-rd-"),
        (lambda r: r.cite("nope"), "no record with id 'nope'"),
        (lambda r: r.cite("para-31", format="html"), "cite prints plain or md, not 'html'"),
        (lambda r: r.timeline(since="2022-13"), "--since"),
        (lambda r: r.entities(type="club"), "unknown entity type 'club'"),
        (lambda r: r.source(para=0), "para must be 1 or more"),
        (lambda r: r.with_lang("fr"), "unknown language 'fr'"),
    ],
)
def test_bad_arguments_raise_usage_error(report: api.Report, call: Any, message: str) -> None:
    with pytest.raises(UsageError) as info:
        call(report)
    assert message in info.value.message
    assert isinstance(info.value, BeibeiError) and "\n" not in info.value.message


def test_unreadable_file_raises_data_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DataError, match="no such report file"):
        beibei_cli.load(str(tmp_path / "missing.yaml"))
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 1\nreport: [\n", encoding="utf-8")
    with pytest.raises(DataError):
        beibei_cli.load(str(bad))


def test_load_takes_a_path_and_env(monkeypatch: pytest.MonkeyPatch) -> None:
    assert beibei_cli.load(str(DATA)).info()["data_file"] == str(DATA)
    monkeypatch.setenv("BEIBEI_DATA", str(DATA))
    assert beibei_cli.load(cache=False).info()["data_file"] == str(DATA)
    assert "lang='zh'" in repr(beibei_cli.load())


def readme_python_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Use from Python", 1)[1]
    return section.split("```python", 1)[1].split("```", 1)[0]


class FakeDataFrame:
    """Just enough of pandas.DataFrame for the README example: rows of flat, same-shaped records."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        assert isinstance(records, list) and records and all(isinstance(r, dict) for r in records)
        self.columns = list(records[0])
        assert all(list(r) == self.columns for r in records), "records of one listing share their keys"
        self.records = records

    def __getitem__(self, columns: list[str]) -> FakeDataFrame:
        assert set(columns) <= set(self.columns), f"no column {set(columns) - set(self.columns)}"
        return FakeDataFrame([{c: r[c] for c in columns} for r in self.records])

    def sort_values(self, column: str, ascending: bool = True) -> FakeDataFrame:
        return FakeDataFrame(sorted(self.records, key=lambda r: r[column], reverse=not ascending))

    def head(self, n: int = 5) -> FakeDataFrame:
        return FakeDataFrame(self.records[:n])


def test_readme_python_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Checked without pandas (not a dependency): a stand-in DataFrame takes the records."""
    code = readme_python_example()
    assert "import pandas as pd" in code
    monkeypatch.setitem(sys.modules, "pandas", types.SimpleNamespace(DataFrame=FakeDataFrame))
    namespace: dict[str, Any] = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102
    assert isinstance(namespace["df"], FakeDataFrame)
