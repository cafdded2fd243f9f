"""What a question bank's entries mean, shared by the checks and the client form: the keys each
type takes, choice ids, and the range a numeric answer accepts."""

from __future__ import annotations

from decimal import Decimal

from builder import i18n
from builder.course.model import Question
from builder.quizzes import grading

# Keys that only some types take; anything else applies to every question.
TYPE_KEYS = {
    "single": {"choices"},
    "multiple": {"choices"},
    "true-false": {"answer", "feedback"},
    "numeric": {"answer", "tolerance", "min", "max", "unit", "feedback"},
    "text": {"accept", "ignore_accents", "feedback"},
    "matching": {"pairs", "feedback"},
    "ordering": {"steps", "feedback"},
}
ALL_TYPE_KEYS = set().union(*TYPE_KEYS.values())


def kind(q: Question) -> str:
    """'a single-choice question', 'an ordering question'..."""
    name = {"single": "single-choice", "multiple": "multiple-choice"}.get(q.type, q.type)
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name} question"


def choice_ids(q: Question) -> list[str]:
    """Choice ids as written, or a, b, c... by position."""
    return [c.id or (chr(ord("a") + i) if i < 26 else f"c{i}") for i, c in enumerate(q.choices)]


def number(value: Decimal | str | bool | None, lang: str) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        return value
    return grading.parse_number(value, i18n.decimal_symbol(lang))


def numeric_range(q: Question, lang: str) -> tuple[Decimal, Decimal]:
    """The accepted range of a (valid) numeric question."""
    answer = number(q.answer, lang)
    if answer is not None:
        tolerance = number(q.tolerance, lang) or Decimal(0)
        return answer - tolerance, answer + tolerance
    return number(q.min, lang), number(q.max, lang)  # type: ignore[return-value]
