"""Every check of a course tree in one call: load it, check what loading could not, and drop
the warnings course.yml silences."""

from __future__ import annotations

from pathlib import Path

from builder.checks.course import check_course
from builder.course.load import (
    FACTS_FILE,
    GLOSSARY_FILE,
    LESSONS_DIR,
    QUIZZES_DIR,
    SOURCES_FILE,
    load_course,
)
from builder.course.model import Course
from builder.problems import UNREADABLE, Problems, Severity

# When one of these files cannot be read, references to its entries cannot be checked: the
# file's own error is reported, not one "unknown" per reference.
UNCHECKABLE = {
    FACTS_FILE: {"ref.unknown-fact", "quiz.unknown-source", "quiz.answer-not-fact"},
    SOURCES_FILE: {"fact.unknown-source", "quiz.unknown-source"},
    GLOSSARY_FILE: {"ref.unknown-term"},
    LESSONS_DIR: {"ref.unknown-lesson"},  # the folder itself could not be read
    QUIZZES_DIR: {"ref.unknown-question", "quiz.unknown-bank", "quiz.draw"},
}


def load_and_check(root: Path) -> tuple[Course | None, Problems]:
    """Load the course tree and run every check; problems from both, in one list."""
    course, problems = load_course(root)
    if course is not None:
        checked = check_course(course)
        broken = {p.where.path for p in problems.items if p.code in UNREADABLE}
        skip = set().union(*(codes for rel, codes in UNCHECKABLE.items() if rel in broken))
        problems.extend([p for p in checked.items if p.code not in skip])
        silence(course, problems)
    return course, problems


def silence(course: Course, problems: Problems) -> None:
    """Drop the warnings whose codes course.yml silences (errors always stay)."""
    silenced = set(course.info.silence)
    problems.items = [
        p for p in problems.items if p.severity is Severity.ERROR or p.code not in silenced
    ]
