"""A lesson as teaching: its pacing from its text, and figures that say when they apply."""

from __future__ import annotations

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
