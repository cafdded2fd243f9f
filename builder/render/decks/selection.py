"""What of a lesson part a session has time for: the questions its slides ask (a few from each
quiz in turn; the rest stay in the online lesson for practice), the figures its big-number
slides show (with a province, only that province's; with a date, only what was known then),
the sections and charts it shows, and how a figure's source is cited."""

from __future__ import annotations

from collections.abc import Callable

from builder import i18n
from builder.course import facts as fact_text
from builder.course import sessions
from builder.course.model import Chart, Course, Deck, Fact, Lesson
from builder.quizzes import placement
from builder.render.decks.outline import Section


def featured(course: Course, deck: Deck, fact_ids: list[str]) -> list[Fact]:
    """The facts a section's big-number slides show: with a province, only its figures; with
    a date, only those known by then."""
    found = [course.facts[f] for f in fact_ids if f in course.facts]
    if deck.province:
        found = [f for f in found if f.place == deck.province]
    return [f for f in found if known(deck, f)]


def known(deck: Deck, fact: Fact) -> bool:
    """Whether the fact applies by the session's date (any fact, for a session without one)."""
    return deck.date is None or fact_text.after(fact, deck.date) is None


def keeps(course: Course, deck: Deck) -> Callable[[list[str]], bool]:
    """Which paragraphs a session shows, by the facts they state: with a province, none that
    states another place's figure; with a date, none that states a figure dated after it."""

    def keep(fact_ids: list[str]) -> bool:
        for fact_id in fact_ids:
            fact = course.facts.get(fact_id)
            if fact is None:
                continue
            if deck.province and fact.place not in (None, deck.province):
                return False
            if not known(deck, fact):
                return False
        return True

    return keep


def asked(course: Course, deck: Deck, question_id: str) -> bool:
    """Whether a session may ask a question, by the facts it rests on (as ``keeps``)."""
    question = course.questions.get(question_id)
    if question is None or not isinstance(question.source, list):
        return True
    return keeps(course, deck)(question.source)


def charted(course: Course, deck: Deck, chart: Chart) -> bool:
    """Whether the session shows a chart: its figures are all known by the session's date,
    and with a province, none is another place's."""
    facts = [course.facts[f] for f in chart.facts if f in course.facts]
    if deck.province and any(f.place not in (None, deck.province) for f in facts):
        return False
    return all(known(deck, f) for f in facts)


def taught(deck: Deck, parts: list[sessions.Part], sections: list[Section]) -> list[Section]:
    """The sections a session teaches: with a province, none marked for other places only."""
    if not deck.province:
        return sections
    places = {part.title: part.places for part in parts}
    return [s for s in sections if not places.get(s.group) or deck.province in places[s.group]]


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
