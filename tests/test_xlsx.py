"""--format xlsx: a workbook with numbers in numeric cells and text as text
(never a formula, never a link), read back with openpyxl; csv keeps no BOM."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from beibei_cli.output.xlsx import workbook
from tests.conftest import python_env
from tests.test_process import _in_pty

openpyxl = pytest.importorskip("openpyxl")


def _sheet(data: bytes):  # type: ignore[no-untyped-def]
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_metrics_workbook_has_numbers_and_the_figure_fields(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "figures.xlsx"
    done = run("metrics", "--format", "xlsx", "-o", str(path))
    assert done.code == 0 and done.out == ""
    ws = _sheet(path.read_bytes())
    header = [c.value for c in ws[1]]
    rows = json.loads(run("metrics", "--format", "json").out)
    from beibei_cli.output import header_labels
    from beibei_cli.queries import any_fields

    fields = any_fields(rows)
    # the same fields, in the same order, as JSON, each named by its label (a workbook is for people)
    assert header == header_labels(fields, "zh")
    assert header[:3] == ["编号", "名称", "数字"]
    for field in ("value", "unit", "text", "qualifier", "amount", "kind", "status"):  # the quantity fields
        assert field in fields
    assert ws.max_row == len(rows) + 1
    col = {name: i for i, name in enumerate(fields)}
    for r, row in enumerate(rows, start=2):
        for field in ("value", "amount"):
            number = ws.cell(row=r, column=col[field] + 1)
            assert number.data_type == "n" and number.value == row[field], (row["id"], field)
        assert ws.cell(row=r, column=col["id"] + 1).value == row["id"]
        assert ws.cell(row=r, column=col["quote"] + 1).data_type == "s"


def test_text_is_never_a_formula_nor_a_link() -> None:
    rows = [
        {"id": "x-1", "name": "=SUM(A1:A9)", "url": "https://example.org/", "n": 3, "ok": True, "none": None},
        {"id": "x-2", "name": "+1-2", "url": "mailto:a@b.c", "n": 2.5, "ok": False, "none": None},
    ]
    ws = _sheet(workbook(rows))
    assert ws["B2"].value == "=SUM(A1:A9)" and ws["B2"].data_type == "s"
    assert ws["B3"].value == "+1-2" and ws["B3"].data_type == "s"
    assert ws["C2"].value == "https://example.org/" and ws["C2"].hyperlink is None
    assert ws["D2"].value == 3 and ws["D3"].value == 2.5 and ws["D3"].data_type == "n"
    assert ws["E2"].value is True and ws["F2"].value is None


def test_no_header_leaves_out_the_first_row() -> None:
    ws = _sheet(workbook([{"id": "a", "n": 1}], header=False))
    assert ws["A1"].value == "a" and ws.max_row == 1


def test_the_extension_of_o_picks_the_format(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "figures.xlsx"
    assert run("metrics", "-o", str(path)).code == 0
    assert path.read_bytes()[:2] == b"PK"  # a zip: an xlsx workbook
    csv_path = tmp_path / "figures.csv"
    assert run("metrics", "-o", str(csv_path)).code == 0
    assert csv_path.read_text(encoding="utf-8").startswith("id,name,")


def test_csv_has_no_bom(run) -> None:  # type: ignore[no-untyped-def]
    out = run("metrics", "--format", "csv").out
    assert not out.startswith("\ufeff") and out.startswith("id,")


def test_xlsx_to_a_terminal_is_refused_and_piped_is_written(tmp_path: Path) -> None:
    code, shown = _in_pty(["metrics", "--format", "xlsx"], {"BEIBEI_CACHE_DIR": str(tmp_path)})
    assert code == 2 and "-o FILE" in shown and "PK" not in shown
    done = subprocess.run(
        [sys.executable, "-m", "beibei_cli", "metrics", "--format", "xlsx"],
        capture_output=True,
        env=python_env(BEIBEI_CACHE_DIR=str(tmp_path)),
        check=False,
    )
    assert done.returncode == 0 and done.stdout[:2] == b"PK" and done.stderr == b""
    assert _sheet(done.stdout)["A1"].value == "编号"


def test_xlsx_and_md_headers_follow_lang_and_tsv_csv_keep_field_names(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Human formats name their columns in the interface language; machine formats by field name."""
    path = tmp_path / "figures.xlsx"
    assert run("--lang", "en", "metrics", "--format", "xlsx", "-o", str(path)).code == 0
    assert [c.value for c in _sheet(path.read_bytes())[1]][:3] == ["ID", "Name", "Value"]
    fields = ["--fields", "id,name,note"]
    assert run("metrics", "--format", "md", *fields).out.startswith("| 编号 | 名称 | 注 |")
    assert run("--lang", "en", "metrics", "--format", "md", *fields).out.startswith("| ID | Name | Note |")
    for lang in ("zh", "en"):
        assert run("--lang", lang, "metrics", "--format", "tsv", *fields).out.startswith("id\tname\tnote\n")
        assert run("--lang", lang, "metrics", "--format", "csv", *fields).out.startswith("id,name,note\n")


def test_xlsx_is_imported_only_for_that_format(tmp_path: Path) -> None:
    code = (
        "import sys; from beibei_cli.entry import run; run(['metrics', '--format', 'csv'])\n"
        "print('xlsxwriter' in sys.modules, file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=python_env(BEIBEI_CACHE_DIR=str(tmp_path))
    )
    assert done.stderr.strip().endswith("False")


@pytest.mark.parametrize(
    "args",
    [("search", "招商", "-l"), ("search", "招商", "--count"), ("metrics",), ("entities",), ("pillars",), ("source",)],
    ids=" ".join,
)
@pytest.mark.parametrize("ext", ["json", "csv", "yaml"])
def test_o_writes_what_stdout_would_get(run, tmp_path: Path, args: tuple[str, ...], ext: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / f"out.{ext}"
    done = run(*args, "-o", str(path))
    assert done.code == 0 and done.out == "" and done.err == f"已写入 {path}\n"
    assert path.read_text(encoding="utf-8") == run(*args, "--format", ext).out


def test_xlsx_loads_neither_rich_nor_typer(tmp_path: Path) -> None:
    code = (
        "import sys; from beibei_cli.entry import run; run(['metrics', '--format', 'xlsx', '-o', sys.argv[1]])\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'rich', 'typer', 'yaml', 'pypinyin'}), file=sys.stderr)"
    )
    env = python_env(BEIBEI_CACHE_DIR=str(tmp_path))
    subprocess.run([sys.executable, "-m", "beibei_cli", "info"], capture_output=True, env=env, check=True)  # warm cache
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "f.xlsx")], capture_output=True, text=True, env=env
    )
    assert done.stderr.strip().splitlines()[-1] == "[]", done.stderr
    assert (tmp_path / "f.xlsx").read_bytes()[:2] == b"PK"
