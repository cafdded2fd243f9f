"""What an export would lose, as problems at the lines that cause it, before anything is
written: ``builder check --export FORMAT`` reports them, and each ``builder export`` prints
those of its format first.

- ``gift``: a question GIFT cannot hold (ordering; '->' where GIFT reads an arrow) is left out
  of the file: ``export.left-out`` at the question.
- ``moodle``: Moodle XML holds every question; a multiple-choice question whose number of
  right choices has no share in Moodle's grade list imports only with "nearest grade":
  ``export.moodle-grade``.
- ``scorm``: a package shows and scores the questions the lessons' quizzes show; a bank
  question no lesson shows is in no SCO: ``export.unscored``. (Pictures and pages the book
  could not find are the build's errors already: a package holds the built book.)

Warnings, so that a course that never uses a format is not held to it: an author asks for the
formats the province uses (``builder check --export gift --export scorm``).
"""

from __future__ import annotations

from builder.course.model import Course
from builder.export import gift
from builder.export.questions import MOODLE_SHARES
from builder.problems import Problems
from builder.quizzes import placement

FORMATS = ("moodle", "gift", "scorm")


def losses(course: Course, formats: list[str] | tuple[str, ...]) -> Problems:
    """The problems of exporting ``course`` in each of ``formats``."""
    problems = Problems()
    questions = sorted(course.questions.values(), key=lambda q: (q.where.path, q.where.line))
    if "gift" in formats:
        for q in questions:
            reason = gift.cannot(course, q)
            if reason:
                problems.warning(
                    q.where,
                    "export.left-out",
                    f"`builder export gift` leaves out question '{q.id}': {reason}"
                    + ("" if q.type == "ordering" else "; reword it to keep it in GIFT"),
                )
    if "moodle" in formats:
        for q in questions:
            right = sum(c.correct for c in q.choices) if q.type == "multiple" else 0
            if right and right not in MOODLE_SHARES:
                problems.warning(
                    q.where,
                    "export.moodle-grade",
                    f"question '{q.id}' has {right} right choices: Moodle's grade list has no "
                    f"share of 1/{right}; import it with 'Match grades: nearest grade', or give "
                    "it 1 to 10 right choices",
                )
    if "scorm" in formats:
        shown = {
            qid
            for lesson in course.ordered_lessons()
            for qid in placement.shown(placement.placements(course, lesson))
        }
        for q in questions:
            if q.id not in shown:
                problems.warning(
                    q.where,
                    "export.unscored",
                    f"no lesson shows question '{q.id}': a SCORM package neither shows nor "
                    "scores it; place it in a lesson's quiz (```{quiz}``` with :questions: "
                    "or :tags:)",
                )
    return problems
