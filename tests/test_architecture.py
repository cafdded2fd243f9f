"""The shape of the package: module-level imports between builder modules form no cycle, and
the lower packages import nothing above them."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "builder"
IMPORT = re.compile(r"^from builder((?:\.\w+)*) import ([\w, ]+)", re.M)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def graph() -> dict[str, set[str]]:
    """Each module and the builder modules it imports at module level."""
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    edges: dict[str, set[str]] = {}
    for path in paths:
        found: set[str] = set()
        for dotted, names in IMPORT.findall(path.read_text(encoding="utf-8")):
            base = "builder" + dotted
            for name in (n.split(" as ")[0].strip() for n in names.split(",")):
                found.add(f"{base}.{name}" if f"{base}.{name}" in modules else base)
        edges[module_name(path)] = found - {module_name(path), "builder"}
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


# Each package and the packages it may import: the pipeline reads from the bottom up (course
# and its languages, then quizzes, then the checks and the outputs, then the commands).
BASE = ("builder.problems", "builder.codes", "builder.i18n")
OUTPUTS = (*BASE, "builder.course", "builder.quizzes", "builder.publish")  # publish: Output
LAYERS = {
    "builder.i18n": ("builder.i18n",),
    "builder.course": (*BASE, "builder.course"),
    "builder.quizzes": (*BASE, "builder.course", "builder.quizzes"),
    "builder.checks": (*BASE, "builder.course", "builder.quizzes", "builder.checks"),
    "builder.render": (
        *BASE,
        "builder.course",
        "builder.quizzes",
        "builder.publish",
        "builder.render",
    ),
    "builder.export": (
        *BASE,
        "builder.course",
        "builder.quizzes",
        "builder.publish",
        "builder.export",
    ),
}


def test_lower_packages_import_nothing_above_them() -> None:
    for module, imports in graph().items():
        for package, allowed in LAYERS.items():
            if module == package or module.startswith(package + "."):
                above = {m for m in imports if not m.startswith(allowed)}
                assert not above, f"{module} imports {sorted(above)}"


def test_only_the_commands_import_the_outputs() -> None:
    for module, imports in graph().items():
        if module.startswith(("builder.render", "builder.commands")):
            continue
        outputs = {m for m in imports if m.startswith("builder.render")}
        assert not outputs, f"{module} imports {sorted(outputs)}: only builder.commands may"


def test_every_stage_is_a_package_under_builder() -> None:
    """The pipeline is visible from the folder names."""
    stages = {"course", "i18n", "quizzes", "checks", "render", "export", "commands"}
    assert stages <= {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    flat = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "__main__"}
    assert flat == {"cli", "problems", "codes", "publish", "quiz"}
