"""Lessons read as slide content: sections, their lists and prose, trainer notes."""

from __future__ import annotations

from pathlib import Path

from builder.checks.run import load_and_check
from builder.render.decks import outline
from tests.helpers import BASE, make_tree

LESSON = BASE["course/lessons/bai-mot.md"].split("## Phần đầu")[0] + (
    "## Việc cần làm\n\n"
    "Đoạn văn giảng giải, dành cho ghi chú của báo cáo viên.\n\n"
    "Các bước:\n\n"
    "1. Chuẩn bị máy.\n"
    "2. Gọi điện hẹn trước.\n\n"
    "```{notes}\n:minutes: 5\nHỏi lớp: ai đã làm việc này?\n```\n\n"
    "```{admonition} Phiếu việc cần làm: chuẩn bị\n:class: checklist\n"
    "- [ ] Sạc pin điện thoại\n- [x] Mang **phiếu** in sẵn\n```\n"
)


def test_outline_keeps_lists_on_slides_prose_in_notes_and_ticks_as_boxes(tmp_path: Path) -> None:
    """A section's lists are its slide text (with the sentence that leads into a list), its
    other paragraphs go to the notes with the trainer notes; a task list's items show a box
    to tick, never the checkbox's HTML."""
    course, problems = load_and_check(make_tree(tmp_path, {"course/lessons/bai-mot.md": LESSON}))
    assert course is not None and not problems.errors(), problems.sorted()
    (section,) = outline.outline(course, course.lessons["bai-mot"], "vi")
    assert section.title == "Việc cần làm" and section.listed
    texts = [item.text for item in section.items]
    assert texts[:3] == ["Các bước:", "Chuẩn bị máy.", "Gọi điện hẹn trước."]
    assert texts[-2:] == ["☐ Sạc pin điện thoại", "☑ Mang phiếu in sẵn"]
    assert not any("<input" in "".join(s.text for s in i.spans) for i in section.items)
    assert any("giảng giải" in p for p in section.prose)
    assert section.notes == ["Hỏi lớp: ai đã làm việc này?"]
