"""The book's front page: the lesson list with room for the learner's progress, and the map
of each lesson's questions the progress script reads."""

from __future__ import annotations

import json
import re
from pathlib import Path

from builder.checks.run import load_and_check
from builder.quizzes import client
from builder.render import notebooks
from builder.render.book import pages
from tests.helpers import BASE, make_tree

BLOCK = re.compile(
    r'<div class="bq-home" id="bq-home" hidden><script type="application/json">'
    r"(.*?)</script>",
    re.S,
)


def test_each_lesson_maps_to_the_questions_its_notebook_shows(tmp_path: Path) -> None:
    course, _ = load_and_check(make_tree(tmp_path))
    assert course is not None
    page = pages.front_page(course)
    data = json.loads(BLOCK.search(page)[1])
    notebook = notebooks.lesson_notebook(course, course.lessons["bai-mot"])
    setup = next(c for c in notebook.cells if c.id == "questions")
    registered = json.loads(re.search(r"r'''(.*)'''", setup.source)[1])
    assert data["lessons"] == {"bai-mot": [q["id"] for q in registered["questions"]]}
    assert len(data["lessons"]["bai-mot"]) == 7
    assert data["key"] == registered["key"] == client.storage_key(course)
    assert data["strings"]["progress"] == "{done}/{total} câu đã làm, {right} đúng"
    assert '(45 phút)<span data-bq-lesson="bai-mot"></span>' in page
    assert "Xóa kết quả trên máy này</button>" in page
    assert page.count("<script") == 2 and 'src="quiz/progress.js"' in page
    assert "</" not in BLOCK.search(page)[1], "the JSON cannot end its script element"


def test_a_course_without_quizzes_has_no_progress(tmp_path: Path) -> None:
    lesson = re.sub(r"```\{quiz\}.*", "", BASE["course/lessons/bai-mot.md"], flags=re.S)
    root = make_tree(tmp_path, {"course/lessons/bai-mot.md": lesson, "quizzes/bai-mot.yml": None})
    course, _ = load_and_check(root)
    assert course is not None
    page = pages.front_page(course)
    assert "data-bq" not in page and "bq-home" not in page and "<script" not in page
