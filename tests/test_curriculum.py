"""The bundled course as a curriculum: ten lessons in teaching order, each complete, every
figure sourced and used, every glossary term linked, enough questions of enough kinds."""

from __future__ import annotations

from collections import Counter

from builder.checks.run import load_and_check
from builder.course import glossary
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


def test_every_source_has_publisher_title_and_file() -> None:
    course = bundled()
    assert len(course.sources) == 5
    for source in course.sources.values():
        assert source.title and source.publisher and source.file.endswith(".txt"), source.id


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
