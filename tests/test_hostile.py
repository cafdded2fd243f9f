"""A hostile-course corpus (tests/data/hostile_cases.yml): every case fails cleanly.

Each case is built with the CLI into the output folder of an earlier good build: it must exit
with status 2, print exactly its pinned ``path:line: [code] message`` lines and no traceback,
and leave that output byte for byte as it was.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from ruamel.yaml import YAML

from builder.cli import main
from tests.helpers import BASE, make_tree

CASES = YAML(typ="safe").load(
    (Path(__file__).parent / "data" / "hostile_cases.yml").read_text("utf-8")
)
KINDS = (
    "course/course.yml",
    "course/lessons/",
    "course/facts.yml",
    "course/sources.yml",
    "course/glossary.yml",
    "quizzes/",
    "slides/decks/",
    "slides/theme.yml",
    "course/images/",
)
PROBLEM = re.compile(r"^\S.*:\d+: \[[a-z0-9.-]+\] ")


def digest(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder``, by relative path."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# Template syntax in every kind of text: built as text, never evaluated.
RUN = "{{ lipsum.__globals__['os'].system('touch %s') }}"


def payloads(marker: Path) -> dict[str, str]:
    """The base tree with template code in a title, a body, a definition and a fact label."""
    run = RUN % marker
    return {
        "course/course.yml": BASE["course/course.yml"].replace(
            "title: Khóa thử nghiệm", f'title: "Khóa {{{{7*7}}}} {run}"'
        ),
        "course/lessons/bai-mot.md": BASE["course/lessons/bai-mot.md"]
        .replace("title: Bài một", 'title: "Bài {{7*7}}"')
        .replace("## Phần đầu\n", f"## Phần đầu\n\nTính {{{{7*7}}}} và {run}.\n"),
        "course/glossary.yml": BASE["course/glossary.yml"].replace(
            "definition: Người dân dùng công nghệ số.", f'definition: "{run} {{{{7*7}}}}"'
        ),
        "course/facts.yml": BASE["course/facts.yml"].replace(
            "label: Tỷ lệ ký số", f'label: "Tỷ lệ {{{{7*7}}}} {run}"'
        ),
    }


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """An output folder holding a good build (of a tree with template code in its texts),
    and its digest."""
    marker = tmp_path_factory.mktemp("marker") / "ran"
    root = make_tree(tmp_path_factory.mktemp("good"), payloads(marker))
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(main, ["build", "-q", "--root", str(root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert not marker.exists(), "template code in the course ran during the build"
    return out, digest(out)


def test_template_code_is_shown_as_written(previous: tuple[Path, dict[str, str]]) -> None:
    out, _ = previous
    pages = {p.name: p.read_text("utf-8") for p in (out / "book").glob("*.html")}
    for name in ("index.html", "bai-mot.html", "glossary.html", "sources.html"):
        text = BeautifulSoup(pages[name], "html.parser").get_text()
        assert "{{7*7}}" in text, name
        assert "49" not in text, name
        assert "lipsum.__globals__" in text or name == "bai-mot.html", name


def test_the_corpus_covers_every_kind_of_file() -> None:
    assert len(CASES) >= 40
    changed = {rel for case in CASES for rel in case["files"]}
    for kind in KINDS:
        assert any(rel.startswith(kind) for rel in changed), kind


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_a_hostile_tree_fails_cleanly(
    tmp_path: Path, previous: tuple[Path, dict[str, str]], case: dict
) -> None:
    out, before = previous
    root = make_tree(tmp_path, case["files"])
    args = ["build", "-q", "--root", str(root), "--out", str(out)]
    result = CliRunner().invoke(main, args + (["--strict"] if case.get("strict") else []))
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    printed = [line for line in result.stderr.splitlines() if PROBLEM.match(line)]
    assert printed == case["expect"]
    assert digest(out) == before
