"""Every check of a course tree: the sources' own (``builder.checks``), then what an output
needs of its inputs that only it can read (a course's deck template, opened with python-pptx)."""

from __future__ import annotations

from pathlib import Path

from builder.checks.run import load_and_check
from builder.course.model import Course
from builder.problems import Problems
from builder.render.decks import deck as decks


def check(root: Path) -> tuple[Course | None, Problems]:
    """Load the course tree and run every check; problems from all, in one list."""
    course, problems = load_and_check(root)
    if course is not None:
        problems.extend(decks.template_problems(course))
    return course, problems
