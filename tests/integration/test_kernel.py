"""A lesson notebook run in a real Jupyter kernel: the quiz is a live ipywidget that grades."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from builder.checks.run import load_and_check
from builder.quizzes import client, placement
from tests.conftest import REPO

pytestmark = pytest.mark.slow

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# A lesson with a single-choice and a numeric question (Quảng Trị's 89% of Internet users).
LESSON, SINGLE, NUMERIC = "cach-mang-cong-nghiep-4", "cmcn-01", "cmcn-14"


def test_notebook_runs_and_the_widget_grades_answers_set_through_traits(
    bundled: Path, tmp_path: Path
) -> None:
    course, _ = load_and_check(REPO)
    assert course is not None
    notebook = nbformat.read(bundled / "notebooks" / f"{LESSON}.ipynb", as_version=4)
    quiz_cells = [c for c in notebook.cells if c.cell_type == "code" and c.id.startswith("quiz-")]
    assert quiz_cells and all("show(" in c.source for c in quiz_cells)
    single = course.questions[SINGLE]
    numeric = course.questions[NUMERIC]
    assert (single.type, numeric.type) == ("single", "numeric")
    right = client.client_question(course, single)["key"]
    wrong = next(c for c in client.client_question(course, single)["choices"] if c["id"] != right)
    probe = f"""
import ipywidgets, json
w = show("{SINGLE}", "{NUMERIC}")
results = {{"is_dom_widget": isinstance(w, ipywidgets.DOMWidget), "total": w.total,
           "before": w.score}}
w.answers = {{"{SINGLE}": {{"response": {json.dumps(right)}, "tries": 1, "revealed": False}},
             "{NUMERIC}": {{"response": "89", "tries": 1, "revealed": False}}}}
results["both_right"] = w.score
w.answer("{SINGLE}", {json.dumps(wrong["id"])})
results["one_wrong"] = w.score
results["grades"] = w.results()
results["tries"] = w.answers["{SINGLE}"]["tries"]
import builder.quiz as bq
quiz_2.answer(quiz_2.quiz["questions"][-1]["id"], "nonsense")
results["trainer"] = {{"named": type(quiz_1).__name__, "score": list(bq.score()),
                      "graded": sorted(set(bq.results().values())),
                      "answered": sorted(bq.answers())}}
print(json.dumps(results))
"""
    notebook.cells.append(nbformat.v4.new_code_cell(probe))
    NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    for cell in quiz_cells:
        executed = next(c for c in notebook.cells if c.get("id") == cell.id)
        kinds = [set(o.get("data", {})) for o in executed.outputs]
        assert any(WIDGET_VIEW in k for k in kinds), f"{cell.id} shows no live widget: {kinds}"
    out = json.loads(notebook.cells[-1].outputs[0]["text"])
    placed = placement.placements(course, course.lessons[LESSON])
    shown, first = sum(len(p.ids) for p in placed), placed[1].ids[-1]
    assert out == {
        "is_dom_widget": True,
        "total": 2,
        "before": 0,
        "both_right": 2,
        "one_wrong": 1,
        "grades": {SINGLE: "wrong", NUMERIC: "right"},
        "tries": 2,
        "trainer": {
            "named": "Quiz",
            "score": [1, shown + 2],
            "graded": ["right", "unanswered", "wrong"],
            "answered": sorted({SINGLE, NUMERIC, first}),
        },
    }
