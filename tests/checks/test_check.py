"""`builder check` on bad inputs: the exact messages pinned in tests/data/check_cases.yml."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from builder.checks.run import load_and_check
from tests.helpers import make_tree

CASES = YAML(typ="safe").load(
    (Path(__file__).parents[1] / "data" / "check_cases.yml").read_text("utf-8")
)


def test_the_base_tree_is_clean(tmp_path: Path) -> None:
    course, problems = load_and_check(make_tree(tmp_path))
    assert course is not None
    assert [str(p) for p in problems.sorted()] == []


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_input_gives_exact_messages(tmp_path: Path, case: dict) -> None:
    _, problems = load_and_check(make_tree(tmp_path, case["files"]))
    assert [str(p) for p in problems.sorted()] == case["expect"]
