"""The client form: the payload both places a learner meets a quiz read, the static book (the
``text/html`` output of a notebook cell, mounted by ``builder/static/quiz.js``) and the live
widget (``builder.quiz``): questions in client form, interface strings from the gettext catalog,
and settings; and what a notebook's quiz cells hold.
"""

from __future__ import annotations

import hashlib
import html
import json
from decimal import Decimal

from builder import DISTRIBUTION, i18n
from builder.course import facts as fact_text
from builder.course import tree
from builder.course.model import Course, Question
from builder.quizzes.bank import choice_ids, number, numeric_range
from builder.quizzes.frontend import PAGE_SCRIPT

ASSET_DIR = "quiz"  # where the quiz script and quiz.css sit in the book, beside the pages


def _text(course: Course, text: str | None, linked: bool = True) -> str | None:
    """Learner text with fact roles as what they show (the value, and the unit of a {fact}): a
    Markdown link to the sources page when ``linked`` (the book), plain where there is no such
    page (a notebook)."""
    if text is None:
        return None
    lang = course.info.language
    text = text.strip()
    edits = []
    for role in tree.walk_inlines(tree.parse_inline(text)):
        if fact_text.is_role(role) and role.span is not None:
            fact = course.facts[role.text.strip()]
            value = fact_text.shown(fact, role.name, lang)
            shown = f"[{value}]({fact_text.page_link(fact.id)})" if linked else value
            edits.append((role.line, role.span, shown))
    return tree.rewrite(text.split("\n"), 1, edits)


def client_question(course: Course, q: Question, linked: bool = True) -> dict:
    """The form both graders and the front end read (see ``builder.quizzes.grading``); fact
    values link to the sources page when ``linked``."""
    lang = course.info.language
    text = lambda value: _text(course, value, linked)  # noqa: E731
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
    answer = number(q.answer, lang)
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
        "again": _("Start this quiz again"),
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


def payload(course: Course, ids: list[str], title: str | None = None, linked: bool = True) -> dict:
    """Everything one quiz block needs, in the front end's terms; fact values link to the
    sources page when ``linked`` (the book; a notebook has no such page)."""
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
        "questions": [client_question(course, course.questions[i], linked) for i in ids],
    }


def to_json(data: dict) -> str:
    """Compact JSON that is safe inside an HTML ``<script>`` element and a Python string."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        text = text.replace(char, escape)
    return text


# --- what the notebook cell holds -----------------------------------------------------------


def static_html(course: Course, data: dict) -> str:
    """The cell's ``text/html`` output: readable as is, interactive once the page script
    (``frontend.page_script``) mounts it, over http or from file://."""
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
        f'<script src="{ASSET_DIR}/{PAGE_SCRIPT}"></script>'
        "<script>window.builderQuiz && builderQuiz.mountAll();</script>"
    )


def plain_text(data: dict) -> str:
    """The cell's ``text/plain`` output."""
    lines = [data["title"]]
    lines += [
        f"{n}. {strip_markdown(q['prompt'])}" for n, q in enumerate(data["questions"], start=1)
    ]
    return "\n".join(lines)


def show_source(ids: list[str], title: str | None) -> str:
    """The book's quiz cell: its code (the book shows only the saved output)."""
    return f"from builder.quiz import show\n\nshow({_show_args(ids, title)})"


def _show_args(ids: list[str], title: str | None) -> str:
    args = ", ".join(json.dumps(i) for i in ids)
    if title:
        args += f", title={json.dumps(title, ensure_ascii=False)}"
    return args


def how_to(course: Course) -> str:
    """The learner notebook's Markdown cell before the questions: how to answer, what to
    install, what to do when a quiz does not show."""
    _ = i18n.translations(course.info.language).gettext
    return _(
        "**How to answer the questions in this notebook.** Choose *Run ▸ Run All Cells*. "
        "The questions need the `{package}` package: if the cell below says it is missing, run "
        "`%pip install {package}` in a new cell, reload the page, then run all cells again. "
        "Your answers are kept in this browser: after you reopen the notebook or restart the "
        'kernel, run all cells again and they come back. If a question cell says "Error '
        'displaying widget: model not found", run all cells again as well.'
    ).format(package=DISTRIBUTION)


def setup_source(course: Course, ids: list[str]) -> str:
    """The learner notebook's questions cell (its source hidden): the lesson's questions for
    ``show()``, or a message in the course's language when the package is missing."""
    _ = i18n.translations(course.info.language).gettext
    comment = _("The questions of this lesson: run this cell before the quizzes below.")
    missing = _(
        "The questions need the {package} package, which this Jupyter does not have yet. Run  "
        "%pip install {package}  in a new cell, reload the page (F5), then run all cells again."
    ).format(package=DISTRIBUTION)
    return "\n".join(
        [
            f"#@title {comment}",
            "try:",
            "    from builder.quiz import register, show",
            "except ImportError:",
            "    show = None",
            f"    print({json.dumps(missing, ensure_ascii=False)})",
            "else:",
            f"    register(r'''{to_json(payload(course, ids, linked=False))}''')",
        ]
    )


def quiz_source(course: Course, ids: list[str], title: str | None, number: int) -> str:
    """A learner notebook's quiz cell (its source hidden): the widget, bound to ``quiz_<n>``
    for the trainer, or a message when the questions cell has not run."""
    _ = i18n.translations(course.info.language).gettext
    name = f"quiz_{number}"
    first = _("The questions are not loaded: run all cells from the top (Run ▸ Run All Cells).")
    missing = _("The questions cannot show: the {package} package is missing (see above).")
    missing = missing.format(package=DISTRIBUTION)
    say = (
        f'{json.dumps(missing, ensure_ascii=False)} if "show" in globals() else '
        f"{json.dumps(first, ensure_ascii=False)}"
    )
    return "\n".join(
        [
            f"#@title {title or _('Quiz')}",
            f'{name} = show({_show_args(ids, title)}) if globals().get("show") else print({say})',
            name,
        ]
    )
