"""Placing questions in lessons: the questions each quiz directive shows, named or drawn."""

from __future__ import annotations

import random
from dataclasses import dataclass

from builder.course.model import Course, Lesson, Quiz
from builder.problems import Problems, Where, suggest


@dataclass
class Placed:
    """A quiz directive with the question ids it shows."""

    quiz: Quiz
    ids: list[str]


def placements(course: Course, lesson: Lesson, problems: Problems | None = None) -> list[Placed]:
    """The questions each quiz of a lesson shows; problems go to ``problems`` when given.

    Draws skip questions the lesson names anywhere and those earlier draws took, so a lesson
    never shows a question twice unless the author names it twice.
    """
    report = problems if problems is not None else Problems()
    where = Where(lesson.path, 1)
    named = {i for quiz in lesson.quizzes for i in quiz.ids}
    placed: list[Placed] = []
    seen: dict[str, int] = {}
    for index, quiz in enumerate(lesson.quizzes):
        at = quiz.options.get("questions", quiz.line)
        if quiz.ids:
            ids = []
            for qid in quiz.ids:
                if qid in course.questions:
                    ids.append(qid)
                elif qid not in course.invalid_questions and not course.broken_banks:
                    # invalid questions are reported in their bank; an unreadable bank's
                    # question ids are unknown, so nothing can be said of them
                    report.error(
                        where.at(at),
                        "ref.unknown-question",
                        f"unknown question '{qid}'" + suggest(qid, course.questions),
                    )
        else:
            ids = _draw(course, lesson, quiz, index, named | set(seen), report)
        for qid in ids:
            if qid in seen:
                message = (
                    f"question '{qid}' is listed twice in this quiz"
                    if seen[qid] == at
                    else f"question '{qid}' is already placed in this lesson at line {seen[qid]}"
                )
                report.warning(where.at(at), "quiz.repeat", message)
            seen.setdefault(qid, at)
        if ids:
            placed.append(Placed(quiz, ids))
    return placed


def shown(placed: list[Placed]) -> list[str]:
    """The question ids a lesson's quizzes show, each once, in order."""
    return list(dict.fromkeys(qid for p in placed for qid in p.ids))


def _draw(
    course: Course, lesson: Lesson, quiz: Quiz, index: int, taken: set[str], report: Problems
) -> list[str]:
    """``count`` questions carrying every tag, fixed per lesson and quiz position."""
    where = Where(lesson.path, quiz.line)
    banks = {q.bank for q in course.questions.values()}
    if quiz.bank in course.broken_banks:
        return []  # the bank's own error says why
    if quiz.bank and quiz.bank not in banks:
        report.error(
            where.at(quiz.options.get("bank", quiz.line)),
            "quiz.unknown-bank",
            f"unknown question bank '{quiz.bank}' (no quizzes/{quiz.bank}.yml"
            + (suggest(quiz.bank, banks).replace(" (", "; ", 1) or ")"),
        )
        return []
    matching = [
        q.id
        for q in course.questions.values()
        if (quiz.bank is None or q.bank == quiz.bank) and set(quiz.tags) <= set(q.tags)
    ]
    pool = [qid for qid in matching if qid not in taken]
    if len(pool) < quiz.count and course.broken_banks:
        return pool  # the unreadable bank may hold the missing questions; its error says why
    if len(pool) < quiz.count:
        what = "; ".join(
            part
            for part in (
                f"tags: {', '.join(quiz.tags)}" if quiz.tags else "",
                f"bank: {quiz.bank}" if quiz.bank else "",
            )
            if part
        )
        used = len(matching) - len(pool)
        report.error(
            where.at(quiz.options.get("count", quiz.line)),
            "quiz.draw",
            f"':count:' asks for {quiz.count} questions, but only {len(matching)} match ({what})"
            + (f"; already placed in this lesson: {used}" if used else ""),
        )
        return []
    seed = f"{lesson.id}/{index}/{quiz.bank}/{' '.join(quiz.tags)}"
    chosen = set(random.Random(seed).sample(pool, quiz.count))
    return [qid for qid in pool if qid in chosen]
