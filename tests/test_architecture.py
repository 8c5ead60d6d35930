"""A one-way house: every import of src/beibei_cli and benchmarks/ runs down the layer order of
docs/architecture.md, and no modules import each other in a circle.

The imports are read from the source (ast), at every level: top of module, inside functions and
under ``TYPE_CHECKING``, so a lazy or type-only import that runs back up fails too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

SRC = ROOT / "src" / "beibei_cli"

# Bottom to top. A module may import any module of a lower layer, and a module of its own
# group (the same line below); a group is a module, or a package with its submodules.
LAYERS: list[list[str]] = [
    ["about", "errors"],
    ["argv", "dates", "quantity", "files"],
    ["yamlload"],
    ["textsafety"],
    ["models"],
    ["declare", "rows"],
    ["search", "cache"],
    ["schema", "snippets"],
    ["report"],
    ["store"],
    ["shelf"],
    ["queries", "output", "draft"],
    ["api"],
    ["mcp_server"],
    ["commands"],
    ["cli", "fastpath"],
    ["entry"],
    ["__main__", "__init__"],
]


def module_name(path: Path) -> str:
    rel = path.relative_to(SRC).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def group_of(name: str) -> str:
    return name.split(".")[0]


def layer_of(name: str) -> int:
    group = group_of(name)
    for i, layer in enumerate(LAYERS):
        if group in layer:
            return i
    raise AssertionError(f"{name} is in no layer of tests/test_architecture.py (and docs/architecture.md)")


def imports_of(path: Path) -> set[str]:
    """The package's modules ``path`` imports, at any level of the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path)
    package = here.split(".")[:-1] if path.name != "__init__.py" else here.split(".")
    modules = {module_name(p) for p in SRC.rglob("*.py")}
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1] if node.level > 1 else package
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = (node.module or "").removeprefix("beibei_cli").lstrip(".")
                if not (node.module or "").startswith("beibei_cli"):
                    continue
            for alias in node.names:
                candidate = f"{module}.{alias.name}" if module else alias.name
                found.add(candidate if candidate in modules else module or "__init__")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("beibei_cli"):
                    found.add(alias.name.removeprefix("beibei_cli").lstrip(".") or "__init__")
    found.discard(here)
    return {m for m in found if m in modules or m == "__init__"}


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports_of(p) for p in SRC.rglob("*.py")}


def back_edges(edges: dict[str, set[str]]) -> list[str]:
    bad = []
    for module, imported in edges.items():
        for target in imported:
            same_group = group_of(target) == group_of(module)
            if not same_group and layer_of(target) >= layer_of(module):
                bad.append(f"{module} -> {target}")
    return sorted(bad)


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in edges:
        if v not in index:
            visit(v)
    return out


def test_every_module_has_a_layer() -> None:
    for name in graph():
        layer_of(name)


def test_no_import_runs_back_up() -> None:
    assert back_edges(graph()) == []


def test_no_modules_import_each_other_in_a_circle() -> None:
    assert cycles(graph()) == []


def test_the_check_catches_a_back_edge_and_a_circle() -> None:
    """The checker itself can fail: a planted upward import and a circle are reported."""
    edges = graph()
    edges["queries"] = {*edges["queries"], "output"}  # a query building words for people
    edges["models"] = {*edges["models"], "schema"}
    edges["schema"] = {*edges["schema"], "models"}
    assert "queries -> output" in back_edges(edges)
    assert ["models", "schema"] in cycles(edges)


@pytest.mark.parametrize("path", sorted((ROOT / "benchmarks").glob("*.py")), ids=lambda p: p.name)
def test_benchmarks_import_no_other_benchmark_in_a_circle(path: Path) -> None:
    names = {p.stem for p in (ROOT / "benchmarks").glob("*.py")}
    tree = ast.parse(path.read_text(encoding="utf-8"))
    mine = {
        n.module if isinstance(n, ast.ImportFrom) else a.name
        for n in ast.walk(tree)
        if isinstance(n, (ast.Import, ast.ImportFrom))
        for a in (n.names if isinstance(n, ast.Import) else [n])  # type: ignore[attr-defined]
    }
    for other in names & {m for m in mine if m}:
        other_tree = ast.parse((ROOT / "benchmarks" / f"{other}.py").read_text(encoding="utf-8"))
        theirs = {n.module for n in ast.walk(other_tree) if isinstance(n, ast.ImportFrom)}
        theirs |= {a.name for n in ast.walk(other_tree) if isinstance(n, ast.Import) for a in n.names}
        assert path.stem not in theirs, f"benchmarks/{path.stem} and benchmarks/{other} import each other"
