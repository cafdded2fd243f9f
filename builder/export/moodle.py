"""Moodle XML: every question of the banks, every type, for a Moodle question bank.

The file is Moodle's documented question format (``<quiz>`` of ``<question type=...>``): a
``category`` question before each lesson's questions (``$course$/Course/Lesson``; a bank's
questions that no lesson shows under ``$course$/Course/<bank>``), then per question its name
and idnumber (the question's id), the prompt, the explanation as general feedback, the hint,
the tags and what its type holds:

- single and multiple: ``multichoice``, ``<single>`` true or false; a right choice 100 (or its
  share of 100 when several are right), a wrong one 0 (single) or -100 (multiple); each
  choice's feedback on its answer;
- true-false: ``truefalse``, answers ``true`` and ``false`` at 100 and 0, the right-answer
  feedback on the right one and the wrong-answer feedback on the other;
- numeric: ``numerical``, the answer with its ``<tolerance>`` (a min-max range as its middle
  and half its width) and the right feedback; the wrong feedback on a ``*`` answer at 0 (any
  other response); the unit as an optional unit;
- text: ``shortanswer`` (``<usecase>`` 0: the course's quizzes ignore case), each accepted
  answer at 100, written without accents too when the question ignores them, a '*' written
  as ``\\*`` (Moodle's wildcard otherwise), the wrong feedback on a ``*`` answer at 0;
- matching: ``matching``, a ``<subquestion>`` per pair (the term, and the match as its answer),
  the right and wrong feedback as the correct and incorrect (and partly correct) feedback;
- ordering: ``ordering``, the question type built into Moodle 4.4 and later (the
  ``qtype_ordering`` plugin before): the steps as answers in the right order, all shown,
  graded all or nothing, as the course's quizzes grade them.

Texts are the quiz's (``export.questions``): simple HTML in CDATA for prompts, choices,
feedback and subquestions; plain text where Moodle reads plain text (accepted answers,
matches). The tree is built with lxml and serialised by it: author text is never pasted into
markup, and the same course gives the same bytes.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from lxml import etree

from builder.course.model import Course, Question
from builder.export import questions as common
from builder.export.questions import Export
from builder.quizzes.bank import number as bank_number
from builder.quizzes.bank import numeric_range

SUFFIX = "-questions.moodle.xml"
TYPES = {  # the bank's types and Moodle's
    "single": "multichoice",
    "multiple": "multichoice",
    "true-false": "truefalse",
    "numeric": "numerical",
    "text": "shortanswer",
    "matching": "matching",
    "ordering": "ordering",
}
DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'  # as Moodle writes it
PENALTY = "0.3333333"  # Moodle's default penalty for a wrong try (1 for true-false)


def path(course: Course) -> str:
    """Where the file goes in the output folder."""
    return f"{common.FOLDER}/{common.file_stem(course)}{SUFFIX}"


def export(course: Course) -> Export:
    """Every question of the course's banks as one Moodle XML file."""
    root = etree.Element("quiz")
    counts: Counter[str] = Counter()
    groups = common.groups(course)
    for group in groups:
        _category(root, group)
        for q in group.questions:
            root.append(_question(course, q))
            counts[q.type] += 1
    data = DECLARATION + etree.tostring(
        root, xml_declaration=False, encoding="UTF-8", pretty_print=True
    )
    every = [q for group in groups for q in group.questions]
    return Export(path(course), data, counts, len(groups), notes=_notes(course, every))


def _notes(course: Course, every: list[Question]) -> list[str]:
    notes = []
    ordering = [q for q in every if q.type == "ordering"]
    if ordering:
        notes.append(
            f"{len(ordering)} ordering question(s) ({common.ids(ordering)}) use Moodle's "
            "'ordering' question type: built into Moodle 4.4 and later; an older Moodle needs "
            "the qtype_ordering plugin installed to import them."
        )
    notes += common.multiple_notes(every)
    notes += common.accent_notes(every)
    return notes


# --- elements -----------------------------------------------------------------------------------


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = common.clean(text)
    return element


def _text(parent: etree._Element, tag: str, value: str, rich: bool = True) -> etree._Element:
    """``<tag format="html"><text><![CDATA[...]]></text></tag>`` (HTML built from escaped
    text), or ``<tag><text>plain</text></tag>``."""
    element = _el(parent, tag, format="html") if rich else _el(parent, tag)
    inner = _el(element, "text")
    inner.text = _content(value, rich)
    return element


def _content(value: str, rich: bool) -> str | etree.CDATA:
    """A ``<text>``'s content: HTML in CDATA, as Moodle writes it, or plain text; empty as
    ``<text></text>``."""
    if not value:
        return ""
    return etree.CDATA(common.clean(value)) if rich else common.clean(value)


def _answer(
    parent: etree._Element,
    fraction: str,
    text: str,
    feedback: str = "",
    rich: bool = False,
) -> etree._Element:
    """An ``<answer>``: its fraction (percent), text (HTML or, as Moodle reads most answers,
    plain) and feedback (HTML)."""
    answer = _el(
        parent, "answer", fraction=fraction, format="html" if rich else "moodle_auto_format"
    )
    inner = _el(answer, "text")
    inner.text = _content(text, rich)
    _text(answer, "feedback", feedback)
    return answer


def _category(root: etree._Element, group: common.Group) -> None:
    question = _el(root, "question", type="category")
    _text(question, "category", common.category_path(group.names), rich=False)
    _text(question, "info", "")


def _combined(question: etree._Element, right: str, wrong: str, parts: bool) -> None:
    """Moodle's overall feedback (correct, partly correct, incorrect), and the count of right
    parts shown after a wrong try when the type has parts."""
    _text(question, "correctfeedback", right)
    _text(question, "partiallycorrectfeedback", wrong)
    _text(question, "incorrectfeedback", wrong)
    if parts:
        _el(question, "shownumcorrect")


def _question(course: Course, q: Question) -> etree._Element:
    form = common.form(course, q)
    rich = lambda value: common.rich(course, value)  # noqa: E731
    question = etree.Element("question", type=TYPES[q.type])
    name = _el(question, "name")
    _el(name, "text", q.id)
    _text(question, "questiontext", rich(form["prompt"]))
    _text(question, "generalfeedback", rich(form["explanation"]))
    _el(question, "defaultgrade", "1.0000000")
    _el(question, "penalty", "1.0000000" if q.type == "true-false" else PENALTY)
    _el(question, "hidden", "0")
    _el(question, "idnumber", q.id)
    feedback = form.get("feedback", {})
    right, wrong = rich(feedback.get("right")), rich(feedback.get("wrong"))
    if q.type in ("single", "multiple"):
        _choices(question, course, q, form)
    elif q.type == "true-false":
        truth = bool(form["answer"])
        for value in (True, False):
            chosen = value is truth
            _answer(
                question,
                "100" if chosen else "0",
                "true" if value else "false",
                right if chosen else wrong,
            )
    elif q.type == "numeric":
        _numeric(question, course, q, right, wrong)
    elif q.type == "text":
        _el(question, "usecase", "0")
        for text in common.accepted(form, q.ignore_accents):
            _answer(question, "100", common.wildcard_free(text), right)
        if wrong:
            _answer(question, "0", "*", wrong)
    elif q.type == "matching":
        _el(question, "shuffleanswers", "true" if q.shuffle else "false")
        _combined(question, right, wrong, parts=True)
        for pair in form["pairs"]:
            sub = _text(question, "subquestion", rich(pair["term"]))
            match = _el(sub, "answer")
            _el(match, "text", common.plain(pair["match"]))
    elif q.type == "ordering":
        _el(question, "layouttype", "VERTICAL")
        _el(question, "selecttype", "ALL")
        _el(question, "selectcount", str(len(form["steps"])))
        _el(question, "gradingtype", "ALL_OR_NOTHING")
        _el(question, "showgrading", "SHOW")
        _el(question, "numberingstyle", "none")
        _combined(question, right, wrong, parts=True)
        for position, step in enumerate(form["steps"], start=1):
            _answer(question, str(position), rich(step["text"]), rich=True)
    if q.hint:
        _text(question, "hint", rich(form["hint"]))
    if q.tags:
        tags = _el(question, "tags")
        for tag in q.tags:
            _el(_el(tags, "tag"), "text", tag)
    return question


def _choices(question: etree._Element, course: Course, q: Question, form: dict) -> None:
    single = q.type == "single"
    _el(question, "single", "true" if single else "false")
    _el(question, "shuffleanswers", "true" if q.shuffle else "false")
    _el(question, "answernumbering", "abc")
    _el(question, "showstandardinstruction", "1")
    _combined(question, "", "", parts=not single)
    right = set(form["answer"])
    share = common.share(len(right))
    for choice in form["choices"]:
        if choice["id"] in right:
            fraction = "100" if single else share
        else:
            fraction = "0" if single else "-100"
        _answer(
            question,
            fraction,
            common.rich(course, choice["text"]),
            common.rich(course, choice.get("feedback")),
            rich=True,
        )


def _numeric(question: etree._Element, course: Course, q: Question, right: str, wrong: str) -> None:
    lang = course.info.language
    value = bank_number(q.answer, lang)
    if value is not None:
        tolerance = bank_number(q.tolerance, lang) or Decimal(0)
    else:
        low, high = numeric_range(q, lang)
        value, tolerance = (low + high) / 2, (high - low) / 2
    answer = _answer(question, "100", common.number(value), right)
    _el(answer, "tolerance", common.number(tolerance))
    if wrong:
        other = _answer(question, "0", "*", wrong)
        _el(other, "tolerance", "0")
    if q.unit:
        units = _el(question, "units")
        unit = _el(units, "unit")
        _el(unit, "multiplier", "1")
        _el(unit, "unit_name", q.unit.strip())
    # The unit is optional: a learner may type it after the number, or not (as in the course).
    _el(question, "unitgradingtype", "0")
    _el(question, "unitpenalty", "0.1000000")
    _el(question, "showunits", "0" if q.unit else "3")
    _el(question, "unitsleft", "0")
