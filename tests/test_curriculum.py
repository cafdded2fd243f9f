"""The bundled course as a curriculum: ten lessons in teaching order, each complete, every
figure sourced and used, every glossary term linked, enough questions of enough kinds."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from builder.checks import curriculum
from builder.checks.run import load_and_check
from builder.course import facts as fact_text
from builder.course import glossary, tree
from builder.course.model import Lesson, Markdown
from tests.conftest import REPO

LESSONS = [
    "cach-mang-cong-nghiep-4",
    "chuyen-doi-so-la-gi",
    "ha-tang-so",
    "chinh-quyen-so",
    "dich-vu-cong-truc-tuyen",
    "kinh-te-so",
    "xa-hoi-so",
    "an-toan-thong-tin",
    "thanh-hoa-thai-nguyen",
    "quang-tri-tra-vinh",
]


def bundled():  # noqa: ANN201
    course, problems = load_and_check(REPO)
    assert course is not None and not problems.errors(strict=True), problems.sorted()
    return course


def test_ten_lessons_in_teaching_order_each_complete() -> None:
    course = bundled()
    order = [lesson for module in course.info.modules for lesson in module.lessons]
    assert order == LESSONS
    assert sorted(course.lessons) == sorted(LESSONS)
    for lesson in course.lessons.values():
        meta = lesson.meta
        assert len(meta.objectives) >= 3 and len(meta.keypoints) >= 3, lesson.id
        assert meta.duration.teaching > 0 and meta.duration.exercises > 0, lesson.id
        assert len(lesson.notes) >= 2, lesson.id
        assert len(lesson.quizzes) >= 2, lesson.id
        for prerequisite in meta.prerequisites:
            assert order.index(prerequisite) < order.index(lesson.id), lesson.id


def test_at_least_forty_facts_each_used_by_a_lesson_or_question() -> None:
    course = bundled()
    assert len(course.facts) >= 40
    used = {ref.fact for lesson in course.lessons.values() for ref in lesson.fact_refs}
    used |= {f for lesson in course.lessons.values() for c in lesson.charts for f in c.facts}
    used |= {s for q in course.questions.values() for s in q.sources if s in course.facts}
    assert sorted(set(course.facts) - used) == []
    for fact in course.facts.values():
        assert fact.source in course.sources and fact.quote.strip(), fact.id


def test_every_source_has_a_title_a_date_and_its_text() -> None:
    """Five sources, each with its title, date and shipped text; a publisher where the saved
    text names one (the Trà Vinh text does not; learners read its title and date instead)."""
    course = bundled()
    assert len(course.sources) == 5
    for source in course.sources.values():
        assert source.title and source.file.endswith(".txt"), source.id
        assert (REPO / "course" / "sources" / source.file).is_file(), source.id
    assert sum(1 for s in course.sources.values() if s.publisher) == 4
    assert sum(1 for s in course.sources.values() if s.date) == 4


def test_thirty_glossary_terms_each_linked_from_a_lesson() -> None:
    course = bundled()
    assert len(course.glossary) >= 30
    linked = {
        glossary.find(course, ref.target).term
        for lesson in course.lessons.values()
        for ref in lesson.term_refs
    }
    assert sorted(t.term for t in course.glossary if t.term not in linked) == []


def test_eighty_questions_eight_per_lesson_five_types_all_explained_and_sourced() -> None:
    course = bundled()
    questions = course.questions
    assert len(questions) >= 80
    assert len(Counter(q.type for q in questions.values())) >= 5
    for question in questions.values():
        assert question.explanation.strip() and question.sources, question.id
    for lesson in course.lessons.values():
        placed = {i for quiz in lesson.quizzes for i in quiz.ids}
        assert len(placed) >= 8, lesson.id
        assert placed <= set(questions), lesson.id
    placed_anywhere = {i for le in course.lessons.values() for q in le.quizzes for i in q.ids}
    assert sorted(set(questions) - placed_anywhere) == []


def test_commune_officials_are_an_audience_of_their_own_and_their_session_uses_it() -> None:
    """Province and district officials, and commune officials, are two audiences; the commune
    session is for the latter, and every lesson for officials is written for both."""
    course = bundled()
    titles = {a.id: a.title for a in course.info.audiences}
    assert titles["can-bo"] == "Cán bộ, công chức cấp tỉnh và cấp huyện"
    assert titles["can-bo-xa"] == "Cán bộ, công chức cấp xã, phường, thị trấn"
    assert course.decks["can-bo-xa"].audience == "can-bo-xa"
    for lesson in course.lessons.values():
        assert ("can-bo" in lesson.meta.audience) == ("can-bo-xa" in lesson.meta.audience)


APPLIED = "ap-dung"  # the tag of a question set in a situation from the learner's work
BOX_TITLE = re.compile(r"^Số liệu tham khảo(: [^,]+)?, \d{4}(-\d{4})?$")


def _boxes(lesson: Lesson, kind: str) -> list[tree.Node]:
    """The lesson's admonitions of class ``kind`` ('figures', 'checklist')."""
    return [
        node
        for block in lesson.blocks
        if isinstance(block, Markdown)
        for top in block.nodes
        for node in top.walk()
        if node.kind == "directive"
        and node.name == "admonition"
        and kind in node.options.get("class", ("", 0))[0].split()
    ]


def _words(nodes: list[tree.Node]) -> int:
    return sum(
        len(tree.plain(n.inlines).split())
        for top in nodes
        for n in top.walk()
        if n.inlines and n.kind in ("heading", "paragraph", "th", "td", "dt")
    )


def test_every_bank_trains_judgement_at_least_half_applied_and_all_types_used() -> None:
    """At least half of every bank's questions are situations from the learner's work
    (tagged ap-dung); the course uses all seven question types."""
    course = bundled()
    banks: dict[str, list] = {}
    for question in course.questions.values():
        banks.setdefault(question.where.path, []).append(question)
    assert len(banks) == 9
    for path, questions in banks.items():
        applied = sum(1 for q in questions if APPLIED in q.tags)
        assert applied * 2 >= len(questions), (path, applied, len(questions))
    assert len(course.questions) >= 120
    assert set(Counter(q.type for q in course.questions.values())) == {
        "single", "multiple", "true-false", "numeric", "text", "matching", "ordering"
    }  # fmt: skip


def test_reporting_is_at_most_a_quarter_and_sits_in_dated_boxes() -> None:
    """Province figures sit in boxes titled 'Số liệu tham khảo, 2022-2024' (or in charts),
    and those boxes are at most about a quarter of a lesson's prose."""
    course = bundled()
    for lesson in course.lessons.values():
        boxes = _boxes(lesson, "figures")
        for box in boxes:
            assert BOX_TITLE.match(box.arg), (lesson.id, box.arg)
        total = curriculum.prose_words(lesson)
        boxed = _words(boxes)
        assert boxed <= 0.3 * total, (lesson.id, boxed, total)
        inside = {
            i.text.strip()
            for box in boxes
            for node in box.walk()
            for i in _inlines(node.inlines)
            if fact_text.is_role(i)
        }
        outside = {
            ref.fact
            for ref in lesson.fact_refs
            if ref.fact not in inside
            and course.facts[ref.fact].place
            and isinstance(course.facts[ref.fact].value, Decimal)
        }
        assert sorted(outside) == [], lesson.id


def _inlines(inlines: list[tree.Inline]) -> list[tree.Inline]:
    out = []
    for inline in inlines:
        out.append(inline)
        out += _inlines(inline.children)
    return out


def test_every_lesson_teaches_a_task_step_by_step() -> None:
    """Each lesson has numbered steps (a list of four or more), most have a drawn
    illustration, and trainers have checklists to hand out."""
    course = bundled()
    for lesson in course.lessons.values():
        steps = [
            node
            for block in lesson.blocks
            if isinstance(block, Markdown)
            for top in block.nodes
            for node in top.walk()
            if node.kind == "ordered_list" and len(node.children) >= 4
        ]
        assert steps, lesson.id
    illustrated = [le.id for le in course.lessons.values() if any(
        i.target.endswith(".svg") for i in le.images
    )]  # fmt: skip
    assert len(illustrated) >= 8, illustrated
    assert sum(len(_boxes(le, "checklist")) for le in course.lessons.values()) >= 6


def test_objectives_name_what_a_learner_can_do() -> None:
    course = bundled()
    recall = re.compile(r"^(Nêu|Đọc|Kể|Nhớ) được (các |những )?(số liệu|con số|tên|ngày)")
    for lesson in course.lessons.values():
        for objective in lesson.meta.objectives:
            assert not recall.match(objective), (lesson.id, objective)
            assert "bài báo" not in objective, (lesson.id, objective)


def test_every_figure_says_when_and_every_lesson_is_paced_from_its_text() -> None:
    """builder check --strict is clean (above), so no figure is undated (fact.undated) and no
    duration is far from its text (lesson.pacing); this states the estimates too."""
    course = bundled()
    for lesson in course.lessons.values():
        teaching, exercises = curriculum.estimate(course, lesson)
        duration = lesson.meta.duration
        assert abs(duration.teaching - teaching) <= max(5, 0.4 * teaching), lesson.id
        assert abs(duration.exercises - exercises) <= max(5, 0.4 * exercises), lesson.id
        assert 1000 <= curriculum.prose_words(lesson) <= 3000, lesson.id
