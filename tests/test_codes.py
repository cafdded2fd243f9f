"""The problem-code registry: complete, used, documented, and silencing by course.yml."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from builder.checks.run import load_and_check
from builder.cli import main
from builder.codes import CODES
from tests.helpers import BASE, make_tree
from tools.codes_table import README, with_table

PACKAGE = Path(__file__).resolve().parent.parent / "builder"
LITERAL = re.compile(r'f?"([a-z]+)\.([a-z{][a-z0-9{}-]*)"')
FILES = {"js", "css", "html", "md", "pptx", "yml", "txt", "ipynb"}


def literals() -> set[str]:
    """Every string in the package shaped like a problem code of a known family."""
    families = {code.split(".")[0] for code in CODES}
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if path.name == "codes.py":
            continue
        for family, name in LITERAL.findall(path.read_text(encoding="utf-8")):
            if family in families and name not in FILES:
                keys = ("choices", "pairs", "steps") if name == "{key}" else (name,)
                found |= {f"{family}.{key}" for key in keys}
    return found


def test_every_code_in_the_package_is_registered() -> None:
    assert literals() - set(CODES) == set()


def test_every_registered_code_is_used() -> None:
    assert set(CODES) - literals() == set()


def test_the_readme_table_is_generated_from_the_registry() -> None:
    text = README.read_text(encoding="utf-8")
    assert with_table(text) == text, "run: python tools/codes_table.py"


def test_check_codes_lists_every_code() -> None:
    result = CliRunner().invoke(main, ["check", "--codes"])
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.output.splitlines()]
    assert listed == list(CODES)


def test_a_course_may_silence_warnings_but_not_errors(tmp_path: Path) -> None:
    lesson = BASE["course/lessons/bai-mot.md"] + "\nXem [Cổng](https://dichvucong.gov.vn/).\n"
    course = BASE["course/course.yml"]
    _, problems = load_and_check(make_tree(tmp_path / "a", {"course/lessons/bai-mot.md": lesson}))
    assert [p.code for p in problems.items] == ["link.external"]
    silenced = {
        "course/lessons/bai-mot.md": lesson,
        "course/course.yml": course + "silence: [link.external]\n",
    }
    _, problems = load_and_check(make_tree(tmp_path / "b", silenced))
    assert problems.items == []
    wrong = {"course/course.yml": course + "silence: [ref.unknown-fact, link.externl]\n"}
    _, problems = load_and_check(make_tree(tmp_path / "c", wrong))
    assert [str(p) for p in problems.sorted()] == [
        "course/course.yml:11: [schema.value] 'ref.unknown-fact' is an error; only warnings can "
        "be silenced (builder check --codes lists them)",
        "course/course.yml:11: [schema.value] no problem code 'link.externl' (did you mean "
        "'link.external'?)",
    ]
