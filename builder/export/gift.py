"""GIFT: the banks' questions as Moodle's plain-text question format, for people to read and for
any LMS that imports GIFT.

Each lesson's questions follow a ``$CATEGORY: $course$/Course/Lesson`` line (a bank's
questions that no lesson shows, ``$course$/Course/<bank>``); each question is a comment with
its id and tags (``// [id:cds-01] [tag:...]``, which Moodle reads), then ``::id::[plain]``,
the prompt and its answers in braces, one a line, the explanation as general feedback
(``####``):

- single: ``=right#feedback`` and ``~wrong#feedback``; multiple: every choice ``~%share%``
  (a right choice its share of 100, a wrong one -100), with its feedback;
- true-false: ``{T#wrong-answer feedback#right-answer feedback}`` (or ``F``);
- numeric: ``=value:tolerance`` or ``=min..max`` with the right feedback, ``~#wrong feedback``;
- text: ``=answer#right feedback`` for each accepted answer (without accents too, when the
  question ignores them), ``=%0%*#wrong feedback`` for any other;
- matching: ``=term -> match``.

GIFT has no ordering questions: they are skipped and listed (in the file's header and by the
command), never silently dropped, and so is a question whose text GIFT would read otherwise
(a matching term, or a text question's answer or feedback, holding '->'). What GIFT cannot
hold of a question it carries (hints, units, a matching question's right and wrong feedback,
the written order of choices) is listed in the export's notes. Texts are plain (``[plain]``:
Moodle shows them as written); every ``~ = # { } :`` and backslash of author text is escaped
with a backslash.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from builder.course.model import Course, Question
from builder.export import questions as common
from builder.export.questions import Export, Skipped
from builder.quizzes.bank import number as bank_number
from builder.quizzes.bank import numeric_range

SUFFIX = "-questions.gift.txt"  # Moodle imports GIFT from a .txt file
SPECIAL = "\\~=#{}:"  # the backslash first: it escapes the others
NO_ORDERING = "GIFT has no ordering questions (the Moodle XML export carries them)"
MATCHING_FEEDBACK = "right and wrong feedback of matching questions (GIFT gives them none)"


def path(course: Course) -> str:
    """Where the file goes in the output folder."""
    return f"{common.FOLDER}/{common.file_stem(course)}{SUFFIX}"


def escape(text: str) -> str:
    """Author text as GIFT reads it literally: ``~ = # { } :`` and ``\\`` after a backslash."""
    for char in SPECIAL:
        text = text.replace(char, "\\" + char)
    return text


def export(course: Course) -> Export:
    """The course's questions that GIFT can hold as one GIFT file, and those it cannot."""
    counts: Counter[str] = Counter()
    skipped: list[Skipped] = []
    blocks: list[str] = []
    categories = 0
    every: list[Question] = []
    for group in common.groups(course):
        written = []
        for q in group.questions:
            reason = cannot(course, q)
            if reason:
                skipped.append(Skipped(q, reason))
                continue
            written.append(_question(course, q))
            every.append(q)
            counts[q.type] += 1
        if written:
            categories += 1
            blocks.append(f"$CATEGORY: {common.category_path(group.names)}")
            blocks += written
    header = [f"// {common.plain(course.info.title)}: questions in GIFT, written by builder."]
    if skipped:
        header.append("// Not in this file:")
        header += [f"//   {s.question.id} ({s.question.type}): {s.reason}" for s in skipped]
    text = "\n\n".join(["\n".join(header), *blocks]) + "\n"
    data = common.clean(text).encode("utf-8")
    return Export(path(course), data, counts, categories, skipped, _notes(every))


def cannot(course: Course, q: Question) -> str | None:
    """Why GIFT cannot hold this question, if it cannot."""
    if q.type == "ordering":
        return NO_ORDERING
    form = common.form(course, q)
    if q.type == "matching" and any("->" in common.plain(p["term"]) for p in form["pairs"]):
        return "a matching term holds '->', which GIFT reads as the arrow to its match"
    if q.type == "text":
        feedback = form.get("feedback", {})
        texts = [*form["answer"], feedback.get("right"), feedback.get("wrong")]
        if any("->" in common.plain(t) for t in texts if t):
            return (
                "its answers or feedback hold '->', which makes Moodle read it as a "
                "matching question"
            )
    return None


def _notes(every: list[Question]) -> list[str]:
    notes = []
    lost = {
        "hints (GIFT has none)": [q for q in every if q.hint],
        "units of numeric questions": [q for q in every if q.type == "numeric" and q.unit],
        MATCHING_FEEDBACK: [
            q
            for q in every
            if q.type == "matching" and q.feedback and (q.feedback.right or q.feedback.wrong)
        ],
        "choices kept in their written order (shuffle: false)": [
            q for q in every if q.type in ("single", "multiple") and not q.shuffle
        ],
    }
    for what, questions in lost.items():
        if questions:
            notes.append(
                f"Not in GIFT: {what}, in {len(questions)} question(s): {common.ids(questions)}"
                " (the Moodle XML export carries them)."
            )
    notes += common.multiple_notes(every)
    notes += common.accent_notes(every)
    return notes


def _feedback(text: str | None) -> str:
    value = common.plain(text)
    return f"#{escape(value)}" if value else ""


def _question(course: Course, q: Question) -> str:
    form = common.form(course, q)
    tags = "".join(f" [tag:{tag.replace(']', chr(92) + ']')}]" for tag in q.tags)
    head = f"// [id:{q.id}]{tags}\n::{q.id}::[plain]{escape(common.plain(form['prompt']))}"
    feedback = form.get("feedback", {})
    right, wrong = feedback.get("right"), feedback.get("wrong")
    lines: list[str] = []
    if q.type in ("single", "multiple"):
        chosen = set(form["answer"])
        share = common.share(len(chosen))
        for choice in form["choices"]:
            text = escape(common.plain(choice["text"])) + _feedback(choice.get("feedback"))
            if q.type == "single":
                lines.append(("=" if choice["id"] in chosen else "~") + text)
            else:
                weight = share if choice["id"] in chosen else "-100"
                lines.append(f"~%{weight}%{text}")
    elif q.type == "true-false":
        wrong_part = _feedback(wrong) or ("#" if right else "")
        lines.append(("T" if form["answer"] else "F") + wrong_part + _feedback(right))
    elif q.type == "numeric":
        lines.append("=" + _number(course, q) + _feedback(right))
        if common.plain(wrong):
            lines.append("~" + _feedback(wrong))
    elif q.type == "text":
        for answer in common.accepted(form, q.ignore_accents):
            lines.append("=" + escape(common.wildcard_free(answer)) + _feedback(right))
        if common.plain(wrong):
            lines.append("=%0%*" + _feedback(wrong))
    elif q.type == "matching":
        for pair in form["pairs"]:
            term, match = common.plain(pair["term"]), common.plain(pair["match"])
            lines.append(f"={escape(term)} -> {escape(match)}")
    explanation = common.plain(form["explanation"])
    if explanation:
        lines.append("####" + escape(explanation))
    opening = "#" if q.type == "numeric" else ""
    body = "\n".join(f"\t{line}" for line in lines)
    return f"{head}{{{opening}\n{body}\n}}"


def _number(course: Course, q: Question) -> str:
    """``value:tolerance`` (or ``value``), or ``min..max``."""
    lang = course.info.language
    value = bank_number(q.answer, lang)
    if value is None:
        low, high = numeric_range(q, lang)
        return f"{common.number(low)}..{common.number(high)}"
    tolerance = bank_number(q.tolerance, lang) or Decimal(0)
    if tolerance:
        return f"{common.number(value)}:{common.number(tolerance)}"
    return common.number(value)
