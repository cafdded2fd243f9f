"""The Python grader: the same rules as the quiz front end (``builder/static/quiz.js``).

Both graders read a question in its client form (see ``builder.quizzes.client.client_question``) and
a learner's response, and return ``"right"``, ``"wrong"`` or ``"invalid"`` (nothing usable
was entered: an empty answer, or text that is not a number). The shared vectors in
``tests/data/grading_vectors.json`` pin the two to each other. No third-party imports here.

Responses by type: ``single`` a choice id; ``multiple`` a list of choice ids; ``true-false``
a boolean; ``numeric`` and ``text`` the text typed; ``matching`` a mapping of pair id to the
pair id of the chosen match; ``ordering`` the step ids in the learner's order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from builder.i18n import vietnamese

RIGHT, WRONG, INVALID = "right", "wrong", "invalid"
_SPACES = re.compile(r"\s+")


def parse_number(text: str, decimal: str = ",") -> Decimal | None:
    """A number typed by a learner: '98,72', '14.478' and '98.72' all read as meant in Vietnamese.

    ``decimal`` is the locale's decimal sign. The other sign (``.`` in Vietnamese) is read as
    a thousands separator only where it groups digits by three (``14.478``, ``1.234.567``);
    otherwise a lone one is a decimal point, so ``98.72`` is accepted too. A trailing ``%``
    and spaces are ignored.
    """
    if not isinstance(text, str):
        return None
    value = _SPACES.sub("", unicodedata.normalize("NFC", text)).replace("\u2212", "-")
    value = value.removesuffix("%")
    if not re.fullmatch(r"[+-]?[0-9.,]*[0-9][0-9.,]*", value):
        return None
    sign = "-" if value.startswith("-") else ""
    digits = value.lstrip("+-")
    group = "." if decimal == "," else ","
    if "." in digits and "," in digits:
        point = "." if digits.rfind(".") > digits.rfind(",") else ","
        other = "," if point == "." else "."
        digits = digits.replace(other, "")
    elif decimal in digits or group in digits:
        mark = decimal if decimal in digits else group
        if re.fullmatch(rf"[0-9]{{1,3}}(?:{re.escape(mark)}[0-9]{{3}})+", digits) and (
            mark == group or digits.count(mark) > 1
        ):
            digits = digits.replace(mark, "")
            point = ""
        else:
            point = mark
    else:
        point = ""
    if point:
        if digits.count(point) > 1:
            return None
        digits = digits.replace(point, ".")
    if digits.startswith(".") or digits.endswith("."):
        return None
    try:
        return Decimal(sign + digits)
    except InvalidOperation:  # pragma: no cover - the pattern above rules this out
        return None


def normalize_text(text: str, ignore_accents: bool = False) -> str:
    """Text for comparison: NFC, lowercase, spaces collapsed; without accents if asked."""
    value = unicodedata.normalize("NFC", text).lower()
    if ignore_accents:
        value = vietnamese.fold(value)
    return _SPACES.sub(" ", value).strip()


def grade(question: Mapping[str, Any], response: Any, decimal: str = ",") -> str:
    """Grade one response: ``"right"``, ``"wrong"`` or ``"invalid"``."""
    kind = question["type"]
    if kind == "single":
        if not isinstance(response, str) or not response:
            return INVALID
        return RIGHT if [response] == list(question["answer"]) else WRONG
    if kind == "multiple":
        if not isinstance(response, list) or not response:
            return INVALID
        return RIGHT if set(response) == set(question["answer"]) else WRONG
    if kind == "true-false":
        if not isinstance(response, bool):
            return INVALID
        return RIGHT if response == question["answer"] else WRONG
    if kind == "numeric":
        number = parse_number(response, decimal) if isinstance(response, str) else None
        if number is None:
            return INVALID
        low, high = Decimal(question["answer"]["min"]), Decimal(question["answer"]["max"])
        return RIGHT if low <= number <= high else WRONG
    if kind == "text":
        ignore = bool(question.get("ignoreAccents"))
        typed = normalize_text(response, ignore) if isinstance(response, str) else ""
        if not typed:
            return INVALID
        accepted = {normalize_text(a, ignore) for a in question["answer"]}
        return RIGHT if typed in accepted else WRONG
    if kind == "matching":
        ids = [pair["id"] for pair in question["pairs"]]
        if not isinstance(response, Mapping) or any(not response.get(i) for i in ids):
            return INVALID
        return RIGHT if matched(question, response) == len(ids) else WRONG
    if kind == "ordering":
        ids = [step["id"] for step in question["steps"]]
        if not isinstance(response, list) or sorted(response) != sorted(ids):
            return INVALID
        return RIGHT if response == ids else WRONG
    raise ValueError(f"unknown question type {kind!r}")


def matched(question: Mapping[str, Any], response: Mapping[str, Any]) -> int:
    """How many terms of a matching question are paired with their own match."""
    return sum(1 for pair in question["pairs"] if response.get(pair["id"]) == pair["id"])


def score(
    questions: list[Mapping[str, Any]], answers: Mapping[str, Any], decimal: str = ","
) -> int:
    """Questions answered right without asking for the answer.

    ``answers`` maps question ids to ``{"response": ..., "tries": n, "revealed": bool}``, the
    state the front end saves (with its own verdict, ``"right"``, which is not trusted here: the
    response is graded again); after "Try again" a state holds no response and scores nothing.
    """
    total = 0
    for question in questions:
        state = answers.get(question["id"])
        if not isinstance(state, Mapping) or state.get("revealed"):
            continue
        if grade(question, state.get("response"), decimal) == RIGHT:
            total += 1
    return total
