"""The Python grader and the JS grader agree on one file of test vectors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from builder.quizzes import grading

HERE = Path(__file__).parents[1]  # tests/
VECTORS = json.loads((HERE / "data" / "grading_vectors.json").read_text("utf-8"))


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_python_grader_matches_the_vectors(vector: dict) -> None:
    got = grading.grade(vector["question"], vector["response"], vector["decimal"])
    assert got == vector["expect"]


def test_vectors_cover_every_type_and_outcome() -> None:
    seen = {(v["question"]["type"], v["expect"]) for v in VECTORS}
    for kind in ("single", "multiple", "true-false", "numeric", "text", "matching", "ordering"):
        assert (kind, "right") in seen and (kind, "wrong") in seen, kind
        if kind != "ordering":  # any arrangement of the steps is an answer
            assert (kind, "invalid") in seen, kind


def test_js_grader_matches_the_same_vectors() -> None:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            raise RuntimeError("CI must provide Node.js 18+ for the front-end tests")
        pytest.skip("node is not installed")
    result = subprocess.run(
        [node, "--test", str(HERE / "js")], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"# pass {len(VECTORS) + 1}" in result.stdout


@pytest.mark.parametrize(
    ("typed", "decimal", "value"),
    [
        ("98,72", ",", "98.72"),
        ("14.478", ",", "14478"),
        ("98.72", ",", "98.72"),
        ("1.234.567", ",", "1234567"),
        ("14,478", ".", "14478"),
        ("98,72", ".", "98.72"),
        ("12 %", ",", "12"),
        ("−3", ",", "-3"),
    ],
)
def test_numbers_typed_the_vietnamese_or_english_way(typed: str, decimal: str, value: str) -> None:
    assert grading.parse_number(typed, decimal) == Decimal(value)


@pytest.mark.parametrize("typed", ["", "abc", "1,2,3", "1.2.3,4,5", ".5", "5,"])
def test_text_that_is_not_a_number(typed: str) -> None:
    assert grading.parse_number(typed, ",") is None


def test_score_skips_revealed_and_unanswered_questions() -> None:
    single = next(v["question"] for v in VECTORS if v["question"]["type"] == "single")
    tf = next(v["question"] for v in VECTORS if v["question"]["type"] == "true-false")
    answers = {single["id"]: {"response": "b", "tries": 1, "revealed": False}}
    assert grading.score([single, tf], answers) == 1
    answers[single["id"]]["revealed"] = True
    assert grading.score([single, tf], answers) == 0
