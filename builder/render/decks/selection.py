"""What of a lesson part a session has time for: the questions its slides ask (a few from each
quiz in turn; the rest stay in the online lesson for practice), the figures its big-number
slides show (with a province, only that province's), and how a figure's source is cited."""

from __future__ import annotations

from builder import i18n
from builder.course import facts as fact_text
from builder.course.model import Course, Deck, Fact, Lesson
from builder.quizzes import placement
from builder.render.decks.outline import Section


def featured(course: Course, deck: Deck, fact_ids: list[str]) -> list[Fact]:
    """The facts a section's big-number slides show: with a province, only its figures."""
    found = [course.facts[f] for f in fact_ids if f in course.facts]
    if deck.province:
        return [f for f in found if f.place == deck.province]
    return found


def placed_questions(course: Course, lesson: Lesson) -> dict[int, list[str]]:
    """Question ids per quiz directive (keyed by ``id()`` of the directive)."""
    return {id(p.quiz): p.ids for p in placement.placements(course, lesson)}


def chosen_questions(
    placed: dict[int, list[str]], sections: list[Section], limit: int
) -> dict[int, list[str]]:
    """Up to ``limit`` of the questions the sections' quizzes show, for the slides: taken in
    turn from each quiz (first questions first), so every quiz is represented before any
    shows a second; each quiz keeps its own order. Keyed like ``placed_questions``."""
    queues = [placed.get(id(quiz), []) for section in sections for quiz in section.quizzes]
    keys = [id(quiz) for section in sections for quiz in section.quizzes]
    chosen: dict[int, list[str]] = {key: [] for key in keys}
    taken, depth = 0, 0
    while taken < limit and any(depth < len(ids) for ids in queues):
        for key, ids in zip(keys, queues, strict=True):
            if depth < len(ids) and taken < limit:
                chosen[key].append(ids[depth])
                taken += 1
        depth += 1
    return chosen


def source_line(course: Course, fact: Fact, lang: str) -> str:
    """'Source: Báo Quảng Trị, 16/9/2022' for a fact."""
    source = course.sources.get(fact.source)
    if source is None:
        return ""
    return i18n.gettext(lang, "Source: {cites}").format(cites=fact_text.cite(source, lang))
