"""The shape of the package: imports between builder modules form no cycle, and each package
imports nothing above it (imports inside functions count too)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "builder"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


class _Imports(ast.NodeVisitor):
    """The builder modules a module imports; with ``top``, only those run when it loads."""

    def __init__(self, modules: set[str], top: bool) -> None:
        self.modules, self.top, self.found = modules, top, set()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:  # noqa: N802 - ast's names
        if not self.top:
            self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef  # noqa: N815

    def visit_Import(self, node: ast.Import) -> None:  # noqa: N802
        self.found |= {a.name for a in node.names if a.name.split(".")[0] == "builder"}

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:  # noqa: N802
        assert node.level == 0, "builder imports are absolute"
        base = node.module or ""
        if base.split(".")[0] == "builder":
            for alias in node.names:
                full = f"{base}.{alias.name}"
                self.found.add(full if full in self.modules else base)


def graph(top: bool = True) -> dict[str, set[str]]:
    """Each module and the builder modules it imports (at load time, with ``top``)."""
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    edges: dict[str, set[str]] = {}
    for path in paths:
        visitor = _Imports(modules, top)
        visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
        edges[module_name(path)] = visitor.found - {module_name(path), "builder"}
    return edges


def test_the_import_graph_sees_every_form_of_import() -> None:
    edges = graph()
    assert "builder.quizzes.bank" in edges["builder.checks.questions"]  # from x import (a, b)
    assert "builder.course.load" in edges["builder.commands.build"]


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


# Each package and the packages it may import: the pipeline reads from the bottom up (course
# and its languages, then quizzes, then the checks and the outputs, then the commands; the
# command line on top).
BASE = ("builder.problems", "builder.codes", "builder.i18n", "builder.cache")
OUTPUTS = (*BASE, "builder.course", "builder.quizzes", "builder.publish")  # publish: Output
LAYERS = {
    "builder.problems": (),
    "builder.codes": ("builder.problems",),
    "builder.publish": (),
    "builder.cache": ("builder.problems",),
    "builder.quiz": ("builder.quizzes.widget",),
    "builder.i18n": ("builder.i18n",),
    "builder.course": (*BASE, "builder.course"),
    "builder.quizzes": (*BASE, "builder.course", "builder.quizzes"),
    "builder.checks": (*BASE, "builder.course", "builder.quizzes", "builder.checks"),
    "builder.render": (*OUTPUTS, "builder.render"),
    "builder.export": (*OUTPUTS, "builder.export"),
    "builder.commands": (
        *OUTPUTS,
        "builder.checks",
        "builder.render",
        "builder.export",
        "builder.commands",
    ),
}


def test_lower_packages_import_nothing_above_them() -> None:
    for module, imports in graph(top=False).items():
        for package, allowed in LAYERS.items():
            if module == package or module.startswith(package + "."):
                above = {m for m in imports if not m.startswith(allowed)} if allowed else imports
                assert not above, f"{module} imports {sorted(above)}"


def test_only_the_commands_import_the_outputs() -> None:
    for module, imports in graph(top=False).items():
        if module.startswith(("builder.render", "builder.commands")):
            continue
        outputs = {m for m in imports if m.startswith("builder.render")}
        assert not outputs, f"{module} imports {sorted(outputs)}: only builder.commands may"


def test_every_stage_is_a_package_under_builder() -> None:
    """The pipeline is visible from the folder names."""
    stages = {"course", "i18n", "quizzes", "checks", "render", "export", "commands"}
    assert stages <= {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    flat = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "__main__"}
    assert flat == {"cli", "problems", "codes", "publish", "cache", "quiz"}
