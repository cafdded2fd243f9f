"""Live quizzes in Jupyter: an anywidget (ipywidgets DOM widget) on the book's quiz front end.

A lesson notebook's first code cell calls ``register(...)`` with the lesson's questions; each
quiz cell calls ``show("id", ...)``. The widget's ``answers`` trait holds what the learner
checked (synced from the browser) and ``score`` is recomputed in Python by
``builder.quizzes.grading``, so a trainer can read both. This is the only module that knows
anywidget and traitlets.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import anywidget
import traitlets

from builder import i18n
from builder.quizzes import grading
from builder.quizzes.frontend import front_end

_QUESTIONS: dict[str, dict] = {}
_SETTINGS: dict[str, Any] = {}
# The quizzes shown in this kernel, by their question ids: the latest of each, in order.
_SHOWN: dict[tuple[str, ...], Quiz] = {}
# Markdown marks and links of a prompt, for the preview's plain text (client.strip_markdown reads
# the lesson tree, which this light module must not import).
_MARKS = re.compile(r"\[([^\]]*)\]\([^)]*\)|\*\*|\*|`")


class Quiz(anywidget.AnyWidget):
    """One quiz block; ``answers`` maps question ids to ``{response, tries, revealed, right}``
    (``right``: the front end's verdict when it saved, read by the book's front page; the score
    here is graded again). After "Try again" a question holds only ``{tries}``; after "Start
    this quiz again" it is absent."""

    _esm, _css = front_end()["quiz.js"], front_end()["quiz.css"]
    quiz = traitlets.Dict().tag(sync=True)
    answers = traitlets.Dict().tag(sync=True)
    score = traitlets.Int(0).tag(sync=True)
    total = traitlets.Int(0).tag(sync=True)

    def __init__(self, quiz: dict, **kwargs: Any) -> None:
        super().__init__(quiz=quiz, total=len(quiz["questions"]), **kwargs)
        self._grade()

    @traitlets.observe("answers")
    def _on_answers(self, _change: dict) -> None:
        self._grade()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """The widget; where it cannot show (no widget support, or the page not reloaded since
        the package was installed), the questions and what to do, in the course's language,
        instead of an object's repr."""
        bundle = super()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, tuple):
            bundle = bundle[0]
        if bundle:
            lang = self.quiz.get("lang", "en")
            later = i18n.gettext(
                lang,
                "The questions cannot show yet: reload the page (F5), then run this cell again.",
            )
            bundle["text/html"], text = preview(self.quiz, later)
            bundle["text/plain"] = text
        return bundle

    def _grade(self) -> None:
        self.score = grading.score(self.quiz["questions"], self.answers, self.quiz["decimal"])

    def results(self) -> dict[str, str]:
        """Each question's grade: 'right', 'wrong', 'invalid', or 'unanswered'."""
        out = {}
        for question in self.quiz["questions"]:
            state = self.answers.get(question["id"])
            if not isinstance(state, dict) or state.get("response") is None:
                out[question["id"]] = "unanswered"
            else:
                out[question["id"]] = grading.grade(
                    question, state.get("response"), self.quiz["decimal"]
                )
        return out

    def answer(self, question_id: str, response: Any) -> None:
        """Record a response as if the learner had checked it (for trainers and tests)."""
        question = next((q for q in self.quiz["questions"] if q["id"] == question_id), None)
        if question is None:
            raise KeyError(f"question '{question_id}' is not in this quiz")
        state = dict(self.answers.get(question_id) or {})
        tries = int(state.get("tries", 0)) + 1
        right = grading.grade(question, response, self.quiz["decimal"]) == grading.RIGHT
        self.answers = {
            **self.answers,
            question_id: {"response": response, "tries": tries, "revealed": False, "right": right},
        }


def preview(quiz: dict, note: str | None = None) -> tuple[str, str]:
    """A quiz as HTML and plain text without its answers: the title, the prompts, and a note
    (by default, that running the cell shows the quiz)."""
    lang = quiz.get("lang", "en")
    note = note or i18n.gettext(lang, "Run this cell (or Run ▸ Run All Cells) to answer.")
    prompts = [" ".join(_MARKS.sub(r"\1", q["prompt"]).split()) for q in quiz["questions"]]
    title = quiz.get("title", "")
    items = "".join(f"<li>{html.escape(p)}</li>" for p in prompts)
    page = (
        f'<div lang="{html.escape(lang)}"><p><strong>{html.escape(title)}</strong></p>'
        f"<ol>{items}</ol><p><em>{html.escape(note)}</em></p></div>"
    )
    text = "\n".join([title, *(f"{n}. {p}" for n, p in enumerate(prompts, start=1)), note])
    return page, text


def register(data: str | dict) -> None:
    """Make a lesson's questions available to ``show()`` (the builder writes this call)."""
    payload = json.loads(data) if isinstance(data, str) else data
    for question in payload["questions"]:
        _QUESTIONS[question["id"]] = question
    _SETTINGS.update({k: v for k, v in payload.items() if k != "questions"})


def show(*ids: str, title: str | None = None) -> Quiz:
    """A quiz widget with the given questions, in order."""
    missing = [i for i in ids if i not in _QUESTIONS]
    if not ids or missing:
        lang = _SETTINGS.get("lang", "en")
        if not _QUESTIONS:
            raise LookupError(
                i18n.gettext(lang, "No questions are loaded: run the notebook's first code cell.")
            )
        message = i18n.gettext(lang, "Unknown question id(s): {ids}. Known: {known}.")
        raise LookupError(
            message.format(ids=", ".join(missing), known=", ".join(sorted(_QUESTIONS)))
        )
    quiz = {**_SETTINGS, "questions": [_QUESTIONS[i] for i in ids]}
    if title:
        quiz["title"] = title
    shown = _SHOWN[tuple(ids)] = Quiz(quiz)
    return shown


def answers() -> dict[str, dict]:
    """For a trainer: what the learner answered in every quiz shown in this kernel, by question
    id (``{response, tries, revealed, right}``; absent when not answered)."""
    found: dict[str, dict] = {}
    for quiz in _SHOWN.values():
        found.update({k: v for k, v in quiz.answers.items() if isinstance(v, dict)})
    return found


def results() -> dict[str, str]:
    """For a trainer: every shown question's grade ('right', 'wrong', 'invalid' or
    'unanswered'), graded here in Python."""
    found: dict[str, str] = {}
    for quiz in _SHOWN.values():
        found.update(quiz.results())
    return found


def score() -> tuple[int, int]:
    """For a trainer: (questions answered right, questions shown) over the lesson's quizzes;
    a revealed answer does not count as right."""
    quizzes = list(_SHOWN.values())
    return sum(q.score for q in quizzes), sum(q.total for q in quizzes)
