"""Lessons read as slide content: sections, their lists and prose, trainer notes."""

from __future__ import annotations

from builder.checks.run import load_and_check
from builder.render.decks import outline
from tests.conftest import REPO


def test_outline_keeps_lists_on_slides_and_prose_in_notes() -> None:
    course, _ = load_and_check(REPO)
    assert course is not None
    lesson = course.lessons["chuyen-doi-so-la-gi"]
    sections = outline.outline(course, lesson, "vi")
    first = sections[0]
    assert first.title == "Chuyển đổi số là gì" and first.listed
    assert first.items[0].text == "Các bài báo nguồn cũng nói như vậy:"  # the list's lead-in
    assert any("tin học hóa" in p for p in first.prose)
    assert first.notes and "Hỏi lớp" in first.notes[0]
