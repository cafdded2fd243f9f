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


def test_outline_shows_lists_without_slide_text_and_says_the_prose_in_notes(
    tmp_path: Path,
) -> None:
    """A section without ``{slide}`` text shows its lists (with the sentence that leads into
    a list), its other paragraphs go to the notes with the trainer notes; a task list's items
    show a box to tick, never the checkbox's HTML."""
    course, problems = load_and_check(make_tree(tmp_path, {"course/lessons/bai-mot.md": LESSON}))
    assert course is not None and not problems.errors(), problems.sorted()
    (section,) = outline.outline(course, course.lessons["bai-mot"], "vi")
    assert section.title == "Việc cần làm"
    (shown,) = section.texts
    texts = [item.text for item in shown.items]
    assert texts[:3] == ["Các bước:", "Chuẩn bị máy.", "Gọi điện hẹn trước."]
    assert texts[-2:] == ["☐ Sạc pin điện thoại", "☑ Mang phiếu in sẵn"]
    assert not any("<input" in "".join(s.text for s in i.spans) for i in shown.items)
    assert section.prose == ["Đoạn văn giảng giải, dành cho ghi chú của báo cáo viên."]
    assert section.notes == ["Hỏi lớp: ai đã làm việc này?"] and section.minutes == 5


SLIDE = LESSON.replace(
    "## Việc cần làm\n\n",
    "## Việc cần làm\n\n```{slide}\n- Hẹn trước, mang phiếu.\n- Sạc pin.\n```\n\n"
    "```{slide} Các bước\n:columns: 2\n- Một\n\nHai:\n\n- Ba\n```\n\n",
)


def test_slide_text_is_shown_and_everything_the_section_says_goes_to_the_notes(
    tmp_path: Path,
) -> None:
    """With ``{slide}`` text, the slides show that text only (a second slide with its own
    title, in two columns from its second list) and the notes say the whole section in
    whole paragraphs, list items bulleted."""
    course, problems = load_and_check(make_tree(tmp_path, {"course/lessons/bai-mot.md": SLIDE}))
    assert course is not None and not problems.errors(), problems.sorted()
    (section,) = outline.outline(course, course.lessons["bai-mot"], "vi")
    first, second = section.texts
    assert first.title == "" and [i.text for i in first.items] == [
        "Hẹn trước, mang phiếu.",
        "Sạc pin.",
    ]
    assert second.title == "Các bước" and second.split is not None
    assert [i.text for i in second.items[second.split :]] == ["Hai:", "Ba"]
    assert section.prose[:3] == [
        "Đoạn văn giảng giải, dành cho ghi chú của báo cáo viên.",
        "Các bước:",
        "• Chuẩn bị máy.",
    ]
    assert "• ☑ Mang phiếu in sẵn" in section.prose
