"""Every hostile input gives its exit code and message, and docs/hostile-inputs.md says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.hostile_inputs import CASES, Case, run_all, run_case, table


@pytest.mark.parametrize("case", CASES, ids=[c.input for c in CASES])
def test_hostile_input(tmp_path: Path, case: Case) -> None:
    code, message, err = run_case(case, tmp_path)
    assert code == case.code, err
    assert case.fragment in err
    assert "Traceback" not in message and "internal error" not in message
    if case.code == 2 and case.fragment:
        assert message.startswith("beibei: ")


def test_hostile_inputs_doc_is_current(tmp_path: Path) -> None:
    doc = ROOT / "docs" / "hostile-inputs.md"
    assert doc.read_text(encoding="utf-8") == table(run_all(tmp_path)), "run: python scripts/hostile_table.py"
