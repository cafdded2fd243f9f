"""Question banks: checks, placing questions in lessons, and the client form the front end reads.

One bank feeds both places a learner meets a quiz: the static book (the ``text/html`` output
of a notebook cell, mounted by ``builder/static/quiz.js``) and the live widget
(``builder.quiz``). Both receive the same *payload*: questions in client form, interface
strings from the gettext catalog, and settings.
"""

from __future__ import annotations

import hashlib
import html
import json
import random
from dataclasses import dataclass
from decimal import Decimal

from builder import grading, i18n
from builder.course import facts as fact_text
from builder.course import myst, tree
from builder.course.model import Course, Lesson, Question, Quiz
from builder.frontend import front_end  # noqa: F401 - the book and bench read it here
from builder.problems import Problems, Where, suggest

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
ASSET_DIR = "quiz"  # where quiz.js and quiz.css sit in the book, beside the pages


@dataclass
class Placed:
    """A quiz directive with the question ids it shows."""

    quiz: Quiz
    ids: list[str]


def _kind(q: Question) -> str:
    """'a single-choice question', 'an ordering question'..."""
    name = {"single": "single-choice", "multiple": "multiple-choice"}.get(q.type, q.type)
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name} question"


# --- checks -----------------------------------------------------------------------------------


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
                at.at(line(key)), "quiz.field", f"'{key}' does not apply to {_kind(q)}{extra}"
            )
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
            f"question '{q.id}' needs a source: fact ids or a source id",
        )
    for index, ref in enumerate(q.sources):
        if (
            ref not in course.facts
            and ref not in course.sources
            and ref not in course.invalid_records
        ):
            key = "source" if isinstance(q.source, str) else f"source[{index}]"
            problems.error(
                at.at(line(key, line("source", at.line))),
                "quiz.unknown-source",
                f"question '{q.id}' cites '{ref}', which is neither a fact nor a source"
                + suggest(ref, [*course.facts, *course.sources]),
            )
    for text, text_line in _texts(q):
        doc = myst.parsed(text, at.at(text_line), problems)
        for role in tree.roles(doc.nodes, "fact"):
            fact = role.text.strip()
            if not fact:
                problems.error(at.at(text_line), "fact.empty", "the {fact} role needs a fact id")
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
            f"{_kind(q)} needs at least two choices",
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
        problems.error(at, f"quiz.{key}", f"{_kind(q)} needs at least two {key}")
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


def _number(value: Decimal | str | bool | None, lang: str) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        return value
    return grading.parse_number(value, i18n.decimal_symbol(lang))


def _check_numeric(course: Course, q: Question, problems: Problems) -> None:
    lang = course.info.language
    at = q.where
    values: dict[str, Decimal] = {}
    for key in ("answer", "tolerance", "min", "max"):
        raw = getattr(q, key)
        if raw is None:
            continue
        number = _number(raw, lang)
        if number is None:
            problems.error(
                at.at(q.lines.get(key, at.line)),
                "quiz.numeric",
                f"numeric '{key}' must be a number, not '{_shown(raw)}'",
            )
        else:
            values[key] = number
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


def numeric_range(q: Question, lang: str) -> tuple[Decimal, Decimal]:
    """The accepted range of a (valid) numeric question."""
    answer = _number(q.answer, lang)
    if answer is not None:
        tolerance = _number(q.tolerance, lang) or Decimal(0)
        return answer - tolerance, answer + tolerance
    return _number(q.min, lang), _number(q.max, lang)  # type: ignore[return-value]


# --- placing questions in lessons ---------------------------------------------------------------


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


# --- the client form --------------------------------------------------------------------------


def choice_ids(q: Question) -> list[str]:
    """Choice ids as written, or a, b, c... by position."""
    return [c.id or (chr(ord("a") + i) if i < 26 else f"c{i}") for i, c in enumerate(q.choices)]


def _text(course: Course, text: str | None) -> str | None:
    """Learner text with fact roles as Markdown links to the sources page."""
    if text is None:
        return None
    lang = course.info.language
    text = text.strip()
    edits = []
    for role in tree.walk_inlines(tree.parse_inline(text)):
        if role.kind == "role" and role.name == "fact" and role.span is not None:
            value = course.facts[role.text.strip()]
            link = f"[{fact_text.value_text(value, lang)}]({fact_text.page_link(value.id)})"
            edits.append((role.line, role.span, link))
    return tree.rewrite(text.split("\n"), 1, edits)


def client_question(course: Course, q: Question) -> dict:
    """The form both graders and the front end read (see ``builder.grading``)."""
    lang = course.info.language
    text = lambda value: _text(course, value)  # noqa: E731
    out: dict = {"id": q.id, "type": q.type, "prompt": text(q.prompt)}
    if q.type in ("single", "multiple"):
        ids = choice_ids(q)
        out["choices"] = [
            {
                "id": cid,
                "text": text(c.text),
                **({"feedback": text(c.feedback)} if c.feedback else {}),
            }
            for cid, c in zip(ids, q.choices, strict=True)
        ]
        out["answer"] = [cid for cid, c in zip(ids, q.choices, strict=True) if c.correct]
    elif q.type == "true-false":
        out["answer"] = bool(q.answer)
    elif q.type == "numeric":
        low, high = numeric_range(q, lang)
        out["answer"] = {"min": str(low), "max": str(high), "text": _numeric_text(q, lang)}
        if q.unit:
            out["unit"] = q.unit
    elif q.type == "text":
        out["answer"] = [a.strip() for a in q.accept]
        if q.ignore_accents:
            out["ignoreAccents"] = True
    elif q.type == "matching":
        out["pairs"] = [
            {"id": f"p{i}", "term": text(p.term), "match": text(p.match)}
            for i, p in enumerate(q.pairs)
        ]
    elif q.type == "ordering":
        out["steps"] = [{"id": f"p{i}", "text": text(s)} for i, s in enumerate(q.steps)]
    if q.feedback and (q.feedback.right or q.feedback.wrong):
        out["feedback"] = {k: text(v) for k in ("right", "wrong") if (v := getattr(q.feedback, k))}
    out["key"], out["solution"] = _solution(course, q, out)
    out["explanation"] = text(q.explanation)
    if q.hint:
        out["hint"] = text(q.hint)
    if not q.shuffle:
        out["shuffle"] = False
    return out


def strip_markdown(text: str) -> str:
    """Client text without its Markdown marks, as quiz.js shows it in plain-text places."""
    return tree.plain(tree.parse_inline(text))


def _solution(course: Course, q: Question, client: dict) -> tuple[object, str]:
    """A right response (shown in the inputs on 'Show answer') and the answer as text."""
    _ = i18n.translations(course.info.language).gettext
    if q.type in ("single", "multiple"):
        key = client["answer"][0] if q.type == "single" else client["answer"]
        texts = [
            strip_markdown(c["text"]) for c in client["choices"] if c["id"] in client["answer"]
        ]
        return key, "; ".join(texts)
    if q.type == "true-false":
        return client["answer"], _("True") if client["answer"] else _("False")
    if q.type == "numeric":
        value = client["answer"]["text"]
        unit = q.unit or ""
        return value, value + ("" if unit in ("", "%") else " ") + unit
    if q.type == "text":
        return client["answer"][0], client["answer"][0]
    if q.type == "matching":
        pairs = client["pairs"]
        key = {p["id"]: p["id"] for p in pairs}
        return key, "; ".join(
            f"{strip_markdown(p['term'])} → {strip_markdown(p['match'])}" for p in pairs
        )
    steps = client["steps"]
    return [s["id"] for s in steps], "; ".join(
        f"{n}. {strip_markdown(s['text'])}" for n, s in enumerate(steps, start=1)
    )


def _numeric_text(q: Question, lang: str) -> str:
    """The accepted answer as learners read it, without its unit: '98,72', '14.478' or '10–12'."""
    low, high = numeric_range(q, lang)
    answer = _number(q.answer, lang)
    if answer is not None:
        value = i18n.number(answer, lang)
    else:
        value = f"{i18n.number(low, lang)}–{i18n.number(high, lang)}"
    return value


def storage_key(course: Course) -> str:
    """Namespace of saved answers in the learner's browser: course id and version."""
    name = course.info.id or hashlib.sha256(course.info.title.encode()).hexdigest()[:10]
    return f"{name}@{course.info.version}"


def ui_strings(lang: str) -> dict[str, str]:
    """Every interface string of the quiz front end, from the gettext catalog."""
    _ = i18n.translations(lang).gettext
    return {
        "check": _("Check answer"),
        "retry": _("Try again"),
        "reveal": _("Show answer"),
        "hint": _("Hint"),
        "right": _("Correct."),
        "wrong": _("Not quite."),
        "answer": _("Answer: {answer}"),
        "why": _("Explanation:"),
        "all": _("Select all that apply."),
        "true": _("True"),
        "false": _("False"),
        "yours": _("Your answer"),
        "choose": _("— choose —"),
        "number": _("Enter a number, for example {example}."),
        "empty": _("Choose or enter an answer first."),
        "incomplete": _("Choose a match for every item first."),
        "up": _("Move up: {item}"),
        "down": _("Move down: {item}"),
        "moved": _("{item}: position {n} of {total}"),
        "order": _("Put the items in order with the arrow buttons."),
        "score": _("Score: {score} of {total} correct"),
        "pairs": _("{n} of {total} pairs are right."),
        "q": _("Question {n}"),
        "mark_right": _("right"),
        "mark_wrong": _("wrong"),
        "mark_answer": _("correct answer"),
    }


def payload(course: Course, ids: list[str], title: str | None = None) -> dict:
    """Everything one quiz block needs, in the front end's terms."""
    lang = course.info.language
    _ = i18n.translations(lang).gettext
    return {
        "title": title or _("Quiz"),
        "key": storage_key(course),
        "lang": lang,
        "decimal": i18n.decimal_symbol(lang),
        "example": i18n.number(Decimal("98.72"), lang),
        "revealAfter": course.info.quiz.reveal_after,
        "strings": ui_strings(lang),
        "questions": [client_question(course, course.questions[i]) for i in ids],
    }


def to_json(data: dict) -> str:
    """Compact JSON that is safe inside an HTML ``<script>`` element and a Python string."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        text = text.replace(char, escape)
    return text


# --- what the notebook cell holds -----------------------------------------------------------


def static_html(course: Course, data: dict) -> str:
    """The cell's ``text/html`` output: readable as is, interactive once quiz.js mounts it."""
    lang = course.info.language
    _ = i18n.translations(lang).gettext
    items = "".join(
        f"<li>{html.escape(strip_markdown(q['prompt']))}</li>" for q in data["questions"]
    )
    note = html.escape(_("Open this page in the online course, or run the cell, to answer."))
    return (
        f'<link rel="stylesheet" href="{ASSET_DIR}/quiz.css">'
        f'<div class="bq" lang="{html.escape(lang)}" data-bq>'
        f'<script type="application/json">{to_json(data)}</script>'
        f"<p><strong>{html.escape(data['title'])}</strong></p><ol>{items}</ol>"
        f'<p class="bq-note">{note}</p></div>'
        f'<script type="module">import {{mountAll}} from "./{ASSET_DIR}/quiz.js";'
        "mountAll();</script>"
    )


def plain_text(data: dict) -> str:
    """The cell's ``text/plain`` output."""
    lines = [data["title"]]
    lines += [
        f"{n}. {strip_markdown(q['prompt'])}" for n, q in enumerate(data["questions"], start=1)
    ]
    return "\n".join(lines)


def show_source(ids: list[str], title: str | None) -> str:
    """What a learner runs live to get the widget."""
    args = ", ".join(json.dumps(i) for i in ids)
    if title:
        args += f", title={json.dumps(title, ensure_ascii=False)}"
    return f"from builder.quiz import show\n\nshow({args})"


def setup_source(course: Course, ids: list[str]) -> str:
    """The notebook's hidden first code cell: the lesson's questions for ``show()``."""
    lang = course.info.language
    _ = i18n.translations(lang).gettext
    data = payload(course, ids)
    comment = _("Questions of this lesson for the quizzes below; written by the builder.")
    return f"# {comment}\nfrom builder.quiz import register\n\nregister(r'''{to_json(data)}''')"
