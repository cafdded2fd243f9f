"""The shape of the package: module-level imports between builder modules form no cycle."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "builder"
IMPORT = re.compile(r"^from builder(?:\.(\w+))? import ([\w, ]+)", re.M)


def graph() -> dict[str, set[str]]:
    """Each module and the builder modules it imports at module level."""
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    edges: dict[str, set[str]] = {}
    for path in PACKAGE.glob("*.py"):
        found: set[str] = set()
        for module, names in IMPORT.findall(path.read_text(encoding="utf-8")):
            if module:
                found.add(module)
            else:
                found |= {n.split(" as ")[0].strip() for n in names.split(",")} & modules
        edges[path.stem] = found - {path.stem}
    return edges


def test_module_imports_form_no_cycle() -> None:
    edges = graph()
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        assert module not in path, "import cycle: " + " -> ".join([*path, module])
        if module in done:
            return
        for other in sorted(edges.get(module, ())):
            visit(other, [*path, module])
        done.add(module)

    for module in sorted(edges):
        visit(module, [])
    assert len(edges) > 20  # the scan saw the package
