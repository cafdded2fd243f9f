"""Per-type rules for every question of the banks, and its references to facts and sources."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from builder import i18n
from builder.course import facts as fact_text
from builder.course import myst
from builder.course.model import GENERAL, Course, Question
from builder.problems import Problems, suggest
from builder.quizzes import grading
from builder.quizzes.bank import (
    ALL_TYPE_KEYS,
    TYPE_KEYS,
    choice_ids,
    kind,
    number,
    numeric_range,
)


def check_questions(course: Course, problems: Problems) -> None:
    """Per-type rules for every question, and its references to facts and sources."""
    for question in course.questions.values():
        _check_question(course, question, problems)


def _check_question(course: Course, q: Question, problems: Problems) -> None:
    at = q.where
    line = q.lines.get
    for key in sorted(ALL_TYPE_KEYS - TYPE_KEYS[q.type]):
        if key in q.lines:
            extra = "; give each choice its own feedback" if key == "feedback" else ""
            problems.error(
                at.at(line(key)), "quiz.field", f"'{key}' does not apply to {kind(q)}{extra}"
            )
    _check_verdicts(course, q, problems)
    if q.type in ("single", "multiple"):
        _check_choices(q, problems)
    elif q.type == "true-false":
        if not isinstance(q.answer, bool):
            problems.error(
                at.at(line("answer", at.line)),
                "quiz.no-correct",
                "a true-false question needs 'answer: true' or 'answer: false'",
            )
    elif q.type == "numeric":
        _check_numeric(course, q, problems)
    elif q.type == "text":
        if not q.accept:
            problems.error(
                at, "quiz.no-correct", "a text question needs 'accept' with the accepted answers"
            )
    elif q.type == "matching":
        if _check_items(q, "pairs", [p.term for p in q.pairs], problems, "terms"):
            _check_items(q, "pairs", [p.match for p in q.pairs], problems, "matches")
    elif q.type == "ordering":
        _check_items(q, "steps", q.steps, problems, "steps")
    if not q.sources:
        problems.error(
            at.at(line("source", at.line)),
            "quiz.no-source",
            f"question '{q.id}' needs a source: fact ids, a source id, or '{GENERAL}' for "
            "what the course team writes from general knowledge",
        )
    for index, ref in enumerate(q.sources):
        if (
            ref != GENERAL
            and ref not in course.facts
            and ref not in course.sources
            and ref not in course.invalid_records
        ):
            key = "source" if isinstance(q.source, str) else f"source[{index}]"
            problems.error(
                at.at(line(key, line("source", at.line))),
                "quiz.unknown-source",
                f"question '{q.id}' cites '{ref}', which is neither a fact nor a source"
                + suggest(ref, [*course.facts, *course.sources, GENERAL]),
            )
    for text, text_line in _texts(q):
        doc = myst.parsed(text, at.at(text_line), problems)
        for role in fact_text.roles(doc.nodes):
            fact = role.text.strip()
            if not fact:
                problems.error(
                    at.at(text_line), "fact.empty", f"the {{{role.name}}} role needs a fact id"
                )
            elif fact not in course.facts and fact not in course.invalid_records:
                problems.error(
                    at.at(text_line),
                    "ref.unknown-fact",
                    f"unknown fact '{fact}'" + suggest(fact, course.facts),
                )
        # The quiz front end shows HTML as text, so only links, roles and images matter here.
        found = myst.scan(doc, at.at(text_line), problems, trusted=True)
        for url, _ in found.outside_links:
            problems.warning(
                at.at(text_line),
                "link.external",
                f"link to another site ({url}); the book must work without internet",
            )
        if found.images:
            problems.error(
                at.at(text_line),
                "markup.image",
                "quiz texts cannot show pictures; put the picture in the lesson, above the quiz",
            )


def _check_verdicts(course: Course, q: Question, problems: Problems) -> None:
    """Feedback that opens with the verdict the quiz prints above it ("✗ Chưa đúng." then
    "Chưa đúng. ..."): the learner reads it twice."""
    _ = i18n.translations(course.info.language).gettext
    verdicts = [_(message).rstrip(".").strip() for message in ("Correct.", "Not quite.")]
    texts = [(c.feedback, c.lines.get("feedback", c.where.line)) for c in q.choices]
    if q.feedback:
        texts += [
            (getattr(q.feedback, key), q.feedback.lines.get(key, q.lines.get("feedback", 0)))
            for key in ("right", "wrong")
        ]
    for text, text_line in texts:
        opening = unicodedata.normalize("NFC", text or "").strip().casefold()
        said = next((v for v in verdicts if v and _opens_with(opening, v.casefold())), None)
        if said:
            problems.warning(
                q.where.at(text_line or q.where.line),
                "quiz.verdict",
                f"the feedback starts with '{said}', which the quiz already prints above it; "
                "start with the explanation",
            )


def _opens_with(text: str, verdict: str) -> bool:
    """``text`` opens with ``verdict`` as a phrase of its own ("Chưa đúng." but not "Chính
    xác hơn là")."""
    rest = text[len(verdict) :] if text.startswith(verdict) else None
    return rest is not None and (rest == "" or rest[0] in ".,:;!")


def _texts(q: Question) -> list[tuple[str, int]]:
    """Every learner-facing text of a question with its line."""
    line = q.lines.get
    found = [(q.prompt, line("prompt", q.where.line)), (q.explanation, line("explanation", 0))]
    if q.hint:
        found.append((q.hint, line("hint", 0)))
    if q.feedback:
        for key in ("right", "wrong"):
            value = getattr(q.feedback, key)
            if value:
                found.append((value, q.feedback.lines.get(key, line("feedback", 0))))
    for choice in q.choices:
        found.append((choice.text, choice.lines.get("text", choice.where.line)))
        if choice.feedback:
            found.append((choice.feedback, choice.lines.get("feedback", choice.where.line)))
    for pair in q.pairs:
        found += [(pair.term, pair.where.line), (pair.match, pair.where.line)]
    for index, step in enumerate(q.steps):
        found.append((step, line(f"steps[{index}]", 0)))
    return [(text, at or q.where.line) for text, at in found]


def _check_choices(q: Question, problems: Problems) -> None:
    at = q.where
    if len(q.choices) < 2:
        problems.error(
            at.at(q.lines.get("choices", at.line)),
            "quiz.choices",
            f"{kind(q)} needs at least two choices",
        )
    seen: dict[str, int] = {}
    for choice, cid in zip(q.choices, choice_ids(q), strict=True):
        if cid in seen:
            implicit = any(c.id is None for c in q.choices)
            note = "; choices without an 'id' are named a, b, c... by position" if implicit else ""
            problems.error(
                choice.where.at(choice.lines.get("id", choice.where.line)),
                "quiz.duplicate-choice",
                f"duplicate choice id '{cid}' in question '{q.id}' "
                f"(first at line {seen[cid]}{note})",
            )
        seen.setdefault(cid, choice.where.line)
    right = [c for c in q.choices if c.correct]
    if q.choices and not right:
        problems.error(
            at.at(q.lines.get("choices", at.line)),
            "quiz.no-correct",
            f"question '{q.id}' has no choice marked 'correct: true'",
        )
    if q.type == "single" and len(right) > 1:
        problems.error(
            right[1].where.at(right[1].lines.get("correct", right[1].where.line)),
            "quiz.many-correct",
            f"single-choice question '{q.id}' has {len(right)} right choices; "
            "use 'type: multiple' for select-all-that-apply",
        )


def _check_items(q: Question, key: str, items: list[str], problems: Problems, what: str) -> bool:
    """Two or more distinct items; ``False`` when there are too few to go on."""
    at = q.where.at(q.lines.get(key, q.where.line))
    if len(items) < 2:
        problems.error(at, f"quiz.{key}", f"{kind(q)} needs at least two {key}")
        return False
    seen: set[str] = set()
    for index, item in enumerate(items):
        norm = grading.normalize_text(item)
        if norm in seen:
            problems.error(
                q.where.at(q.lines.get(f"{key}[{index}]", at.line)),
                "quiz.duplicate-choice",
                f"question '{q.id}' repeats '{item}' among its {what}",
            )
        seen.add(norm)
    return True


def _shown(value: object) -> str:
    """A YAML value as the author wrote it."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def _check_numeric(course: Course, q: Question, problems: Problems) -> None:
    lang = course.info.language
    at = q.where
    values: dict[str, Decimal] = {}
    for key in ("answer", "tolerance", "min", "max"):
        raw = getattr(q, key)
        if raw is None:
            continue
        value = number(raw, lang)
        if value is None:
            problems.error(
                at.at(q.lines.get(key, at.line)),
                "quiz.numeric",
                f"numeric '{key}' must be a number, not '{_shown(raw)}'",
            )
        else:
            values[key] = value
    if any(
        getattr(q, k) is not None and k not in values for k in ("answer", "tolerance", "min", "max")
    ):
        return
    has_range = "min" in values or "max" in values
    if "answer" in values and has_range:
        problems.error(
            at.at(q.lines["answer"]),
            "quiz.numeric",
            "give either 'answer' (with an optional 'tolerance') or 'min' and 'max', not both",
        )
        return
    if "answer" not in values and not ("min" in values and "max" in values):
        problems.error(
            at,
            "quiz.no-correct",
            f"numeric question '{q.id}' needs 'answer', or both 'min' and 'max'",
        )
        return
    if values.get("tolerance", Decimal(0)) < 0:
        problems.error(
            at.at(q.lines["tolerance"]), "quiz.numeric", "'tolerance' must not be negative"
        )
        return
    low, high = numeric_range(q, lang)
    if low > high:
        problems.error(at.at(q.lines["min"]), "quiz.numeric", "'min' is larger than 'max'")
        return
    cited = [
        course.facts[ref].value
        for ref in q.sources
        if ref in course.facts and isinstance(course.facts[ref].value, Decimal)
    ]
    if cited and not any(low <= value <= high for value in cited):
        key = "answer" if "answer" in values else "min"
        problems.error(
            at.at(q.lines[key]),
            "quiz.answer-not-fact",
            f"the answer to '{q.id}' is none of the figures it cites "
            f"({', '.join(str(v) for v in cited)}); figures come from facts.yml",
        )
