"""Glossary checks: term roles that name no term, and terms whose first use in a lesson is
not linked (the uses come from ``course.glossary.uses``, in reading order)."""

from __future__ import annotations

from builder.course.glossary import forms, index, uses
from builder.course.model import Course, Lesson
from builder.problems import Problems, Where, suggest


def check(course: Course, problems: Problems) -> None:
    """Term roles in every lesson, and terms whose first use in a lesson is not linked."""
    for lesson in course.lessons.values():
        _check_lesson(course, lesson, problems)


def _check_lesson(course: Course, lesson: Lesson, problems: Problems) -> None:
    known = index(course)
    for ref in lesson.term_refs:
        term = known.get(ref.target.casefold())
        if term is None and ref.target.casefold() not in course.invalid_records:
            names = [f for t in course.glossary for f in forms(t)]
            problems.error(
                Where(lesson.path, ref.line),
                "ref.unknown-term",
                f"'{ref.target}' is not in course/glossary.yml" + suggest(ref.target, names),
            )
    seen: set[str] = set()
    for use in uses(course, lesson):
        name = use.term.term
        if name in seen:
            continue
        seen.add(name)
        if not use.linked:
            shown = use.text if use.text.casefold() == name.casefold() else f"{use.text} <{name}>"
            problems.warning(
                Where(lesson.path, use.line),
                "term.unlinked",
                f"the first use of glossary term '{name}' in this lesson is not linked; "
                f"write {{term}}`{shown}`",
            )
