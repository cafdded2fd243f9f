"""A lesson as teaching: its pacing from its text, and figures that say when they apply."""

from __future__ import annotations

import io
from pathlib import Path

from builder.checks import curriculum
from builder.checks.run import load_and_check
from tests.helpers import BASE, make_tree

HEAD = BASE["course/lessons/bai-mot.md"].split("## Phần đầu")[0]
SENTENCE = "Cán bộ xã hướng dẫn người dân từng bước, chậm rãi và kiên nhẫn. "


def problems_of(tmp_path: Path, lesson: str) -> list[str]:
    course, problems = load_and_check(make_tree(tmp_path, {"course/lessons/bai-mot.md": lesson}))
    assert course is not None
    return [f"{p.where.line}: [{p.code}] {p.message}" for p in problems.sorted()]


def test_a_lesson_is_paced_from_its_prose_activities_and_questions(tmp_path: Path) -> None:
    """700 words are about 6 minutes of teaching; an activity of 30 minutes and 3 questions
    about 33 of exercises. 30 + 15 stated is far from both; a draft is not judged."""
    body = "## Phần\n\n" + SENTENCE * 50 + "\n\n```{notes}\n:minutes: 30\nThảo luận.\n```\n\n"
    body += "```{quiz}\n:questions: chon-mot chon-nhieu dung-sai\n```\n"
    found = problems_of(tmp_path / "a", HEAD + body)
    assert [f for f in found if "lesson.pacing" in f] == [
        "7: [lesson.pacing] the lesson's prose is 701 words, about 6 minutes at 120 words a "
        "minute, but 'duration: teaching' says 30; shorten or lengthen the text, or state "
        "about 6",
        "7: [lesson.pacing] the trainer notes' activities (':minutes:') and the quiz questions "
        "on the page take about 33 minutes, but 'duration: exercises' says 15; give each "
        "activity its ':minutes:', or state about 33",
    ]
    paced = (HEAD + body).replace("teaching: 30\n  exercises: 15", "teaching: 5\n  exercises: 30")
    assert [f for f in problems_of(tmp_path / "b", paced) if "lesson.pacing" in f] == []
    draft = HEAD + "## Phần\n\n" + SENTENCE * 10 + "\n"
    assert [f for f in problems_of(tmp_path / "c", draft) if "lesson.pacing" in f] == []


def test_every_figure_says_when_in_its_sentence_its_list_s_lead_or_its_chart(
    tmp_path: Path,
) -> None:
    body = (
        "## Phần\n\n"
        "Năm 2022, tỷ lệ ký số đạt {fact}`ty-le`. Có {fact}`so-to` tổ công nghệ số.\n\n"
        "Tính đến tháng 10/2022, tỉnh có:\n\n- {fact}`so-to` tổ;\n- tỷ lệ {fact}`ty-le`.\n\n"
        "Ngày {fact}`ngay`, tỉnh có {fact}`so-to` tổ.\n\n"
        "```{chart} Tổ công nghệ số\n:facts: so-to\n```\n\n"
        "```{chart} Tổ công nghệ số (10/2022)\n:facts: so-to\n```\n"
    )
    found = [f for f in problems_of(tmp_path, HEAD + body) if "fact.undated" in f]
    assert found == [
        "16: [fact.undated] the figure 'so-to' is shown without when it applies; say it in the "
        "same sentence ('Tính đến tháng 10/2022, ...', 'năm 2021', 'trong 9 tháng năm 2022'), "
        "as its source does",
        "25: [fact.undated] the chart 'Tổ công nghệ số' does not say when its figures apply; "
        "name the year or period in its title, e.g. '... ở Trà Vinh (10/2022)'",
    ]


def test_estimates_count_prose_not_notes_or_quizzes(tmp_path: Path) -> None:
    body = "## Phần\n\n" + SENTENCE * 24 + "\n\n```{notes}\n:minutes: 7\n" + SENTENCE * 30
    body += "\n```\n"
    course, _ = load_and_check(make_tree(tmp_path, {"course/lessons/bai-mot.md": HEAD + body}))
    assert course is not None
    lesson = course.lessons["bai-mot"]
    assert curriculum.prose_words(lesson) == 1 + 14 * 24  # the heading, and 14 words a sentence
    assert curriculum.estimate(course, lesson) == (3, 7)


def test_slide_text_is_read_kept_out_of_the_learner_outputs_and_kept_short(
    tmp_path: Path,
) -> None:
    """A {slide} holds a section's key points for the deck: its figures are checked like the
    prose's, a slide of over 40 words is a warning, an empty one too, a bad option an error,
    and neither the book's source nor the learner's notebook shows it."""
    from builder.render import notebooks  # noqa: PLC0415

    short = ":::{slide}\n- Ký số {fact}`ty-le`\n- Hai bước dễ làm\n:::\n\n"
    dense = ":::{slide} Quá dài\n" + "- " + "một hai ba bốn năm " * 9 + "\n:::\n\n"
    empty = ":::{slide}\n:::\n\n"
    bad = ":::{slide}\n:columns: 3\n- a\n:::\n\n"
    unknown = ":::{slide}\n- {fact}`khong-co`\n:::\n\n"
    body = "## Phần\n\n" + short + dense + empty + bad + unknown + SENTENCE + "\n"
    found = problems_of(tmp_path / "a", HEAD + body)
    codes = [f.split("] ")[0].split("[")[1] for f in found]
    assert "deck.dense" in codes and "slide.empty" in codes and "directive.option" in codes
    assert "ref.unknown-fact" in codes
    assert any("this slide holds 45 words" in f for f in found), found
    assert not any("deck.dense" in f and "Ký số" in f for f in found)
    lesson_text = HEAD + "## Phần\n\n" + short + SENTENCE + "\n"
    root = make_tree(tmp_path / "b", {"course/lessons/bai-mot.md": lesson_text})
    course, problems = load_and_check(root)
    assert course is not None and not problems.errors(False)
    lesson = course.lessons["bai-mot"]
    assert [s.columns for s in lesson.slides] == [1]
    learner = notebooks.lesson_notebook(course, lesson)
    book = notebooks.book_notebook(course, lesson)
    for notebook in (learner, book):
        text = "".join(cell.source for cell in notebook.cells)
        assert "Hai bước dễ làm" not in text and "{slide}" not in text
        assert SENTENCE.strip() in text


def test_long_objectives_and_key_points_want_short_forms_on_their_slides(tmp_path: Path) -> None:
    """A lesson a deck teaches shows its objectives and key points on slides: over 40 words is
    'deck.dense' at the list, until the front matter gives short forms under 'slides:'; the
    slide then shows those and its notes the full texts, the book and notebook the full texts
    only."""
    from pptx import Presentation  # noqa: PLC0415

    from builder.render import notebooks  # noqa: PLC0415
    from builder.render.decks import deck as decks  # noqa: PLC0415

    long = "Hướng dẫn được người dân nộp hồ sơ trực tuyến từng bước, chậm rãi và kiên nhẫn. " * 3
    head = HEAD.replace("  - Hiểu ba trụ cột.", f"  - {long}")
    body = "## Phần\n\n" + SENTENCE + "\n"
    found = [f for f in problems_of(tmp_path / "a", head + body) if "deck.dense" in f]
    assert found == [
        "3: [deck.dense] the objectives slide holds 51 words; keep a slide to 40 words or "
        "fewer: give the slide short forms in the front matter, under 'slides:' then "
        "'objectives:', one phrase per item (the full objectives go to the speaker notes)"
    ]
    short = "slides:\n  objectives:\n    - Hướng dẫn nộp hồ sơ trực tuyến\n"
    shortened = head.replace("duration:", short + "duration:")
    assert [f for f in problems_of(tmp_path / "b", shortened + body) if "deck.dense" in f] == []
    wordy = shortened.replace("    - Hướng dẫn nộp hồ sơ trực tuyến", f"    - {long}")
    found = [f for f in problems_of(tmp_path / "c", wordy + body) if "deck.dense" in f]
    assert len(found) == 1 and found[0].startswith("8: [deck.dense] the objectives slide holds")
    assert "shorten the phrases under 'slides: objectives:'" in found[0]

    root = make_tree(tmp_path / "d", {"course/lessons/bai-mot.md": shortened + body})
    course, problems = load_and_check(root)
    assert course is not None and not problems.errors(False)
    prs = Presentation(io.BytesIO(decks.deck_bytes(course, course.decks["buoi-mot"])))
    slide = next(s for s in prs.slides if s.shapes.title.text_frame.text == "Mục tiêu")
    shown = [sh.text_frame.text for sh in slide.placeholders if sh.placeholder_format.idx == 1]
    assert shown == ["Hướng dẫn nộp hồ sơ trực tuyến"]
    assert long.strip() in slide.notes_slide.notes_text_frame.text
    lesson = course.lessons["bai-mot"]
    for notebook in (
        notebooks.lesson_notebook(course, lesson),
        notebooks.book_notebook(course, lesson),
    ):
        text = "".join(cell.source for cell in notebook.cells)
        assert long.strip() in text and "Hướng dẫn nộp hồ sơ trực tuyến\n" not in text
