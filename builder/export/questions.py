"""What the question exports share: the bank's questions grouped into categories (a lesson's
questions, then those no lesson shows, by bank), their texts as learners read them, and the
record of one export file with what its format left out.

Texts come from the quiz's client form (``quizzes.client.client_question``, with fact values
as plain text since no sources page travels with an export): the same Markdown subset the
quiz front end shows, read with the lesson parser (``course.tree``) into plain text
(``client.strip_markdown``, for GIFT) or into simple HTML built here from the nodes, every
character of author text escaped (for Moodle XML). Nothing in author text is evaluated.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urljoin

from builder.course import tree
from builder.course.model import QUESTION_TYPES, Course, Question
from builder.i18n import vietnamese
from builder.quizzes import client, placement

FOLDER = "exports"  # in the output folder, beside book/, notebooks/ and decks/

# Characters XML 1.0 cannot hold (the C0 controls but tab, newline and return, lone
# surrogates, U+FFFE and U+FFFF): the loader refuses control characters, this drops any left.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"\s+")
# Shares of a multiple-choice question's mark that Moodle accepts for each right choice: its
# grade list holds 100/n for these n only (a file with another grade is refused on import
# unless the teacher chooses "nearest grade").
MOODLE_SHARES = frozenset({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20})


def clean(text: str) -> str:
    """Text as an export writes it: Unicode NFC, without characters XML cannot hold."""
    return _NOT_XML.sub("", unicodedata.normalize("NFC", text))


def file_stem(course: Course) -> str:
    """The name exports start with: the course's id, else its title in ASCII ('chuyen-doi-so')."""
    if course.info.id:
        return course.info.id
    stem = re.sub(r"[^a-z0-9]+", "-", vietnamese.fold(course.info.title.casefold())).strip("-")
    return stem or "course"


# --- categories ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """The questions of one category: those a lesson shows, in the order its quizzes show them
    (a question two lessons show goes with the first), or a bank's questions no lesson shows."""

    names: tuple[str, ...]  # the category's path under the course: (course title, lesson title)
    questions: tuple[Question, ...]
    lesson: str | None = None
    bank: str | None = None


def groups(course: Course) -> list[Group]:
    """Every question of the banks, once: per lesson in course order, then per bank by name."""
    title = course.info.title.strip()
    found: list[Group] = []
    taken: set[str] = set()
    for lesson in course.ordered_lessons():
        ids = placement.shown(placement.placements(course, lesson))
        mine = [course.questions[i] for i in ids if i in course.questions and i not in taken]
        taken.update(q.id for q in mine)
        if mine:
            names = (title, lesson.meta.title.strip())
            found.append(Group(names, tuple(mine), lesson=lesson.id))
    banks: dict[str, list[Question]] = {}
    for q in course.questions.values():
        if q.id not in taken:
            banks.setdefault(q.bank, []).append(q)
    for bank in sorted(banks):
        found.append(Group((title, bank), tuple(banks[bank]), bank=bank))
    return found


def category_path(names: tuple[str, ...]) -> str:
    """A Moodle category path, ``$course$/Course/Lesson``: names under the course's default
    category, a '/' inside a name written '//' as Moodle reads it."""
    parts = [_SPACES.sub(" ", clean(name)).strip().replace("/", "//") for name in names]
    return "/".join(["$course$", *parts])


# --- texts as learners read them ----------------------------------------------------------------


def form(course: Course, q: Question) -> dict:
    """The question in the quiz's client form, fact values as plain text (no sources page)."""
    return client.client_question(course, q, linked=False)


def plain(text: str | None) -> str:
    """Client text as plain text on one line: Markdown marks dropped, as the quiz shows it in
    plain-text places."""
    if not text:
        return ""
    return _SPACES.sub(" ", clean(client.strip_markdown(text))).strip()


def rich(course: Course, text: str | None) -> str:
    """Client text as simple HTML: bold, italic, code and links as the quiz front end shows
    them, everything else as text, escaped. A relative link (to a page of the book) points into
    the published book when course.yml gives its ``url:``, else it is its text."""
    if not text:
        return ""
    inlines = tree.parse_inline(clean(text).strip())
    return "".join(_html(course, inlines)).strip()


def _html(course: Course, inlines: list[tree.Inline]) -> Iterator[str]:
    for inline in inlines:
        kind = inline.kind
        if kind in ("text", "html"):  # the quiz shows HTML as text, and so does Moodle here
            yield _escape(inline.text)
        elif kind == "code":
            yield f"<code>{_escape(inline.text)}</code>"
        elif kind == "softbreak":
            yield "\n"
        elif kind == "hardbreak":
            yield "<br>"
        elif kind == "role":
            yield _escape(tree.default_role_text(inline))
        elif kind == "image":
            yield _escape(inline.text)
        elif kind in ("strong", "em"):
            yield f"<{kind}>{''.join(_html(course, inline.children))}</{kind}>"
        elif kind == "link":
            inner = "".join(_html(course, inline.children))
            address = _address(course, inline.target)
            yield f'<a href="{html.escape(address)}">{inner}</a>' if address else inner
        else:
            yield "".join(_html(course, inline.children))


def _escape(text: str) -> str:
    """Text in HTML: ``& < >`` as entities (quotes stay as written: no attribute holds it)."""
    return html.escape(text, quote=False)


def _address(course: Course, target: str) -> str | None:
    """Where a link in a question goes from inside an LMS: another site as it is, a page of the
    book in the published book (when the course gives its address); else nowhere."""
    target = target.strip()
    if re.match(r"https?://", target, re.IGNORECASE):
        return target
    if re.match(r"[a-z][\w+.-]*:|[/\\]{2}|#", target, re.IGNORECASE) or not target:
        return None
    base = course.address()
    return urljoin(base, target) if base else None


def number(value: Decimal) -> str:
    """A number as Moodle and GIFT read it: a dot for decimals, no exponent ('98.72', '14478')."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def share(right: int) -> str:
    """Each right choice's share of a multiple-choice question's mark, in percent: '50',
    '33.33333' (Moodle's own precision)."""
    return number((Decimal(100) / right).quantize(Decimal("0.00001")))


def accepted(form: dict, ignore_accents: bool) -> list[str]:
    """A text question's accepted answers, and when accents do not matter, each written
    without them too (Moodle compares as typed, ignoring case only): once each, in order."""
    answers = [a for a in form["answer"] if a]
    if ignore_accents:
        answers += [vietnamese.fold(a) for a in answers]
    seen: dict[str, str] = {}
    for answer in answers:
        seen.setdefault(_SPACES.sub(" ", clean(answer)).strip().casefold(), answer)
    return [_SPACES.sub(" ", clean(a)).strip() for a in seen.values()]


def wildcard_free(answer: str) -> str:
    """An accepted answer for Moodle's short-answer type, where '*' matches anything: a '*'
    the author wrote is written '\\*', which matches the star itself."""
    return answer.replace("*", "\\*")


# --- one export file ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Skipped:
    """A question a format cannot hold, with why."""

    question: Question
    reason: str


@dataclass
class Export:
    """One export file: where it goes in the output folder, its bytes, the questions it holds
    per type, how many categories, and what it leaves out or carries differently (for the
    command to say)."""

    path: str
    data: bytes
    counts: Counter[str] = field(default_factory=Counter)
    categories: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def per_type(self) -> str:
        """'single 69, multiple 22, ...' in the bank's order of types."""
        return ", ".join(f"{t} {self.counts[t]}" for t in QUESTION_TYPES if self.counts[t])


def ids(questions: list[Question], most: int = 8) -> str:
    """'a, b, c' or 'a, b, c... (12 in all)'."""
    names = [q.id for q in questions]
    if len(names) <= most:
        return ", ".join(names)
    return ", ".join(names[:most]) + f"... ({len(names)} in all)"


def multiple_notes(questions: list[Question]) -> list[str]:
    """What every question export says of multiple-choice marks, and of right-choice counts
    Moodle's grade list cannot share out."""
    multiple = [q for q in questions if q.type == "multiple"]
    notes = []
    if multiple:
        notes.append(
            f"{len(multiple)} multiple-choice question(s) give part marks in Moodle for some of "
            "the right choices and none once a wrong one is chosen (each right choice carries "
            "its share of the mark, each wrong one -100%); the course's quizzes count only all "
            "the right choices."
        )
    odd = [q for q in multiple if sum(c.correct for c in q.choices) not in MOODLE_SHARES]
    if odd:
        notes.append(
            f"{ids(odd)}: a number of right choices whose share of the mark is not in Moodle's "
            "grade list; import with 'Match grades: nearest grade'."
        )
    return notes


def accent_notes(questions: list[Question]) -> list[str]:
    """What every question export says of text answers that ignore accents: Moodle accepts
    each answer written with all its accents or with none, not with some."""
    folded = [q for q in questions if q.type == "text" and q.ignore_accents]
    if not folded:
        return []
    return [
        f"{len(folded)} text question(s) that ignore accents accept each answer written with "
        "its accents or with none (Moodle cannot ignore only some of them)."
    ]
